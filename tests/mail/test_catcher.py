"""Demo mode: notifications are caught by the application and read under /courriels."""

from __future__ import annotations

from sqlalchemy import select

from helpdesk.mail.models import MailSetting, OutboxMessage
from helpdesk.mail.outbound import sender
from tests.plugins.mail import settings_for, settings_form


def _sandbox_on(db_session):
    db_session.add(MailSetting(key="sandbox", value="1"))
    db_session.flush()


def test_catcher_is_not_found_outside_demo_mode(client, db_session, login_as, make_user):
    login_as(make_user("admin"))
    assert client.get("/courriels").status_code == 404
    assert client.get("/courriels/1").status_code == 404


def test_admin_reads_caught_mails_with_their_links(
    client, db_session, login_as, make_user, make_ticket
):
    _sandbox_on(db_session)
    login_as(make_user("admin"))
    ticket = make_ticket(requester_email="parent.demo@example.org")
    other = make_ticket(requester_email="autre.parent@example.org", subject="Autre sujet")
    listing = client.get("/courriels")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "parent.demo@example.org" in page and "autre.parent@example.org" in page
    assert "Accusé de réception" in page

    filtered = client.get("/courriels?a=parent.demo").get_data(as_text=True)
    assert "parent.demo@example.org" in filtered and "autre.parent@example.org" not in filtered
    assert other.reference not in filtered

    mail = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id)
    ).first()
    shown = client.get(f"/courriels/{mail.id}")
    assert shown.status_code == 200
    body = shown.get_data(as_text=True)
    assert ticket.reference in body
    # The links point to the application's own address (the base URL of the demo).
    assert 'href="http://helpdesk.test/suivi/' in body
    assert client.get("/courriels/999999").status_code == 404


def test_catcher_is_for_admins_only(client, db_session, login_as, make_user):
    _sandbox_on(db_session)
    assert client.get("/courriels").status_code == 302
    login_as(make_user("agent"))
    assert client.get("/courriels").status_code == 403


def test_demo_mode_catches_instead_of_sending(db_session, app, make_ticket, smtp_server):
    ticket = make_ticket()
    factory = app.extensions["helpdesk_db"].session_factory
    report = sender.send_pending(factory, settings_for(smtp_server, sandbox=True))
    assert report.sent >= 1
    assert smtp_server.received == []
    db_session.expire_all()
    rows = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id)
    ).all()
    assert rows and all(row.status == "sent" for row in rows)


def test_outside_demo_mode_the_server_receives_the_mail(db_session, app, make_ticket, smtp_server):
    make_ticket()
    factory = app.extensions["helpdesk_db"].session_factory
    report = sender.send_pending(factory, settings_for(smtp_server))
    assert report.sent >= 1 and len(smtp_server.received) == report.sent


def test_demo_mode_is_an_admin_setting(client, db_session, login_as, make_user):
    login_as(make_user("admin"))
    data = settings_form(sandbox="y")
    assert client.post("/admin/courriels/envoi", data=data).status_code == 302
    assert client.get("/courriels").status_code == 200
    del data["sandbox"]
    assert client.post("/admin/courriels/envoi", data=data).status_code == 302
    assert client.get("/courriels").status_code == 404
