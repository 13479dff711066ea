"""Attachments previewed in the page (images, PDF), with a type their own bytes prove."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.audit.models import AuditEntry
from helpdesk.setup import SECURITY_HEADERS
from helpdesk.tickets.attachments import Upload, sniff_preview_type
from helpdesk.util.tracking import make_token

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: An HTML page sent as if it were an image.
FAKE_PNG = b"<html><script>alert(document.cookie)</script></html>"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"GIF89a" + b"\x00" * 10, "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF, "application/pdf"),
        (FAKE_PNG, None),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', None),
        (b"", None),
    ],
)
def test_sniffing_knows_only_a_few_types(head, expected):
    assert sniff_preview_type(head[:16]) == expected


@pytest.fixture
def ticket_with_files(make_ticket, make_school):
    school = make_school()
    ticket = make_ticket(
        school_id=school.id,
        uploads=[
            Upload("capture.png", "image/png", PNG),
            Upload("attestation.pdf", "application/pdf", PDF),
            Upload("piege.png", "image/png", FAKE_PNG),
            Upload("notes.txt", "text/plain", b"du texte"),
        ],
    )
    ids = {a.filename: a.id for a in ticket.messages[0].attachments}
    return ticket, school, ids


def test_agent_sees_images_inline_and_a_pdf_link(client, login_as, make_user, ticket_with_files):
    ticket, _, ids = ticket_with_files
    login_as(make_user("agent"))
    response = client.get(f"/tickets/{ticket.reference}")
    page = response.get_data(as_text=True)
    # The app's own policy is left as it is: no frame, no object, no inline script.
    assert (
        response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    )
    assert (
        f'<img src="/pieces-jointes/{ids["capture.png"]}/apercu" alt="Aperçu de capture.png"'
        in (page)
    )
    assert f'href="/pieces-jointes/{ids["attestation.pdf"]}/apercu"' in page
    assert "dans le lecteur PDF du navigateur" in page
    # Declared as an image, but not one: offered as a download only, like the text file.
    assert f"/pieces-jointes/{ids['piege.png']}/apercu" not in page
    assert f"/pieces-jointes/{ids['notes.txt']}/apercu" not in page
    assert "<iframe" not in page and "<object" not in page and "<embed" not in page


def test_image_preview_is_strictly_typed_and_sandboxed(
    client, login_as, make_user, ticket_with_files, db_session
):
    _, _, ids = ticket_with_files
    agent = login_as(make_user("agent"))
    response = client.get(f"/pieces-jointes/{ids['capture.png']}/apercu")
    assert response.status_code == 200
    assert response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith("inline")
    response.close()
    entry = db_session.scalar(
        select(AuditEntry).where(
            AuditEntry.user_id == agent.id, AuditEntry.object_ref == str(ids["capture.png"])
        )
    )
    assert entry is not None and entry.action == "view"


def test_pdf_preview_opens_in_the_viewer_without_running_anything_else(
    client, login_as, make_user, ticket_with_files
):
    _, _, ids = ticket_with_files
    login_as(make_user("agent"))
    response = client.get(f"/pieces-jointes/{ids['attestation.pdf']}/apercu")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    response.close()


@pytest.mark.parametrize("name", ["piege.png", "notes.txt"])
def test_what_its_bytes_do_not_prove_is_never_previewed(
    client, login_as, make_user, ticket_with_files, name
):
    _, _, ids = ticket_with_files
    login_as(make_user("agent"))
    response = client.get(f"/pieces-jointes/{ids[name]}/apercu")
    assert response.status_code == 404
    assert "Page non trouvée" in response.get_data(as_text=True)
    download = client.get(f"/pieces-jointes/{ids[name]}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    download.close()


def test_preview_follows_ticket_visibility(
    client, login_as, make_user, make_school, ticket_with_files
):
    ticket, school, ids = ticket_with_files
    url = f"/pieces-jointes/{ids['capture.png']}/apercu"
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    login_as(make_user("directeur", schools=[make_school()]))
    assert client.get(url).status_code == 404
    assert client.get("/pieces-jointes/999999/apercu").status_code == 404
    login_as(make_user("directeur", schools=[school]))
    response = client.get(url)
    assert response.status_code == 200
    response.close()
    page = client.get(f"/demandes/{ticket.reference}").get_data(as_text=True)
    assert f'<img src="/pieces-jointes/{ids["capture.png"]}/apercu"' in page


def test_requester_previews_through_the_tracking_link(client, ctx, ticket_with_files):
    ticket, _, ids = ticket_with_files
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    page = client.get(f"/suivi/{token}").get_data(as_text=True)
    preview = f"/suivi/{token}/pieces-jointes/{ids['capture.png']}/apercu"
    assert f'<img src="{preview}"' in page
    response = client.get(preview)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    response.close()
    assert client.get(f"/suivi/{token}/pieces-jointes/{ids['piege.png']}/apercu").status_code == 404
    assert client.get(
        f"/suivi/jeton-faux/pieces-jointes/{ids['capture.png']}/apercu"
    ).status_code in (
        404,
        410,
    )
