"""Every look at personal data leaves one journal entry, shown and exported in words."""

from __future__ import annotations

import csv
import html
import io

import pytest
from sqlalchemy import select

from helpdesk.audit.models import AuditEntry
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.tickets.attachments import Upload
from helpdesk.util.tracking import make_token

PASSWORD = "Motdepasse-2026"
RAW_MAIL = (
    b"From: Claire Martin <claire.martin@example.org>\r\n"
    b"To: assistance@ac-test.fr\r\nSubject: Code SMS\r\nMessage-ID: <audit-1@example.org>\r\n"
    b"Date: Mon, 7 Sep 2026 10:00:00 +0200\r\n\r\nBonjour, le code n'arrive pas.\r\n"
)


def fetch(client, url: str) -> int:
    """GET a file download and close it (send_file keeps the file open until then)."""
    response = client.get(url)
    response.close()
    return response.status_code


def entries(db_session, **where) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, name) == value)
    return list(db_session.scalars(stmt))


@pytest.fixture
def ticket_with_file(make_ticket, make_school):
    school = make_school()
    ticket = make_ticket(
        school_id=school.id, uploads=[Upload("bulletin.pdf", "application/pdf", b"%PDF-1.4 x")]
    )
    return ticket, school


def test_director_viewing_a_ticket_is_recorded_once(
    client, db_session, login_as, make_user, make_school, make_ticket, ticket_with_file
):
    ticket, school = ticket_with_file
    director = login_as(make_user("directeur", schools=[school]))
    assert client.get(f"/demandes/{ticket.reference}").status_code == 200
    [entry] = entries(db_session, user_id=director.id, subject="ticket")
    assert (entry.action, entry.object_ref, entry.ticket_id) == (
        "view",
        ticket.reference,
        ticket.id,
    )
    # Another school's ticket is not found, and nothing is recorded.
    foreign = make_ticket(school_id=make_school().id)
    assert client.get(f"/demandes/{foreign.reference}").status_code == 404
    assert len(entries(db_session, user_id=director.id)) == 1


def test_attachment_downloads_are_recorded(
    client, db_session, login_as, make_user, ticket_with_file, ctx
):
    ticket, _ = ticket_with_file
    attachment = ticket.messages[0].attachments[0]
    agent = login_as(make_user("agent"))
    assert fetch(client, f"/pieces-jointes/{attachment.id}") == 200
    [entry] = entries(db_session, user_id=agent.id, subject="attachment")
    assert (entry.action, entry.object_ref, entry.ticket_id) == (
        "download",
        str(attachment.id),
        ticket.id,
    )
    assert client.get("/pieces-jointes/999999").status_code == 404
    assert len(entries(db_session, subject="attachment")) == 1

    # The requester's download through the tracking link is recorded too.
    client.post("/logout")
    token = make_token(ctx.secret_key, ticket.id, ticket.reference)
    assert fetch(client, f"/suivi/{token}/pieces-jointes/{attachment.id}") == 200
    requester = entries(db_session, subject="attachment", user_label="demandeur")
    assert len(requester) == 1 and requester[0].user_id is None


def test_inbound_mail_and_outbox_pages_are_recorded(
    client, db_session, login_as, make_user, make_ticket
):
    inbound = InboundMessage(
        sha256="a" * 64,
        raw=RAW_MAIL,
        size=len(RAW_MAIL),
        from_address="claire.martin@example.org",
        subject="Code SMS",
    )
    db_session.add(inbound)
    ticket = make_ticket()
    outbox = db_session.scalar(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
    db_session.flush()
    admin = login_as(make_user("admin"))
    assert client.get(f"/admin/courriels/entrants/{inbound.id}").status_code == 200
    assert fetch(client, f"/admin/courriels/entrants/{inbound.id}/brut") == 200
    assert client.get(f"/admin/courriels/file/{outbox.id}").status_code == 200
    recorded = [(e.action, e.subject, e.object_ref) for e in entries(db_session, user_id=admin.id)]
    assert recorded == [
        ("view", "inbound_mail", str(inbound.id)),
        ("download", "inbound_mail", str(inbound.id)),
        ("view", "outbox_mail", str(outbox.id)),
    ]
    assert client.get("/admin/courriels/entrants/999999").status_code == 404
    assert client.get("/admin/courriels/file/999999").status_code == 404
    assert len(entries(db_session, user_id=admin.id)) == 3


def test_failed_sign_ins_are_recorded(client, db_session, make_user):
    agent = make_user("agent")
    client.post("/login", data={"email": agent.email, "password": "mauvais"})
    client.post("/login", data={"email": "inconnu@ac-test.fr", "password": "mauvais"})
    failed = entries(db_session, action="login_failed")[-2:]
    assert failed[0].user_id == agent.id and failed[0].detail == "mot de passe incorrect"
    assert failed[1].user_id is None and failed[1].detail == "adresse inconnue"
    # The address typed for an unknown account is not kept.
    assert all("inconnu@" not in (e.user_label + (e.detail or "")) for e in failed)
    # A successful sign-in is a plain sign-in.
    client.post("/login", data={"email": agent.email, "password": PASSWORD})
    assert entries(db_session, action="login", user_id=agent.id)


def test_journal_shows_people_and_objects_in_words_one_entry_per_view(
    client, db_session, login_as, make_user, ticket_with_file
):
    ticket, _ = ticket_with_file
    attachment = ticket.messages[0].attachments[0]
    agent = login_as(make_user("agent", display_name="Agent Dupuis"))
    for _ in range(2):
        assert client.get(f"/tickets/{ticket.reference}").status_code == 200
    fetch(client, f"/pieces-jointes/{attachment.id}")
    assert len(entries(db_session, user_id=agent.id, subject="ticket")) == 2

    login_as(make_user("admin"))
    page = html.unescape(
        client.get("/admin/journal", query_string={"objet": ticket.reference}).get_data(
            as_text=True
        )
    )
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == 3
    assert f"Agent Dupuis (agent du centre de services, {agent.email})" in body
    assert f"La demande {ticket.reference} de Claire Martin" in body
    assert f"Pièce jointe « bulletin.pdf » de la demande {ticket.reference}" in body
    assert "Téléchargement" in body


def test_journal_exports_as_csv_and_the_export_is_recorded(
    client, db_session, login_as, make_user, ticket_with_file
):
    ticket, _ = ticket_with_file
    login_as(make_user("agent", display_name="Agent Dupuis"))
    client.get(f"/tickets/{ticket.reference}")
    admin = login_as(make_user("admin", display_name="Admin Roux"))
    response = client.get("/admin/journal.csv", query_string={"sujet": "ticket"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "journal-des-acces.csv" in response.headers["Content-Disposition"]
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0] == ["Date", "Qui", "Action", "Sujet", "Objet", "Demande", "Précisions"]
    mine = [r for r in rows[1:] if r[5] == ticket.reference]
    assert len(mine) == 1
    assert mine[0][1].startswith("Agent Dupuis (") and mine[0][2] == "Consultation"
    assert mine[0][4] == f"La demande {ticket.reference} de Claire Martin"
    assert all(r[3] == "Demande" for r in rows[1:])
    [export] = entries(db_session, user_id=admin.id, subject="journal")
    assert export.action == "export" and "sujet=ticket" in export.detail


def test_journal_export_is_for_admins_only(client, login_as, make_user):
    login_as(make_user("agent"))
    assert client.get("/admin/journal.csv").status_code == 403
