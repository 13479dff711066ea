"""The admins' access journal, filtered by who, what, which object and when."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from helpdesk.audit.services import record_access
from helpdesk.core.db import utcnow


@pytest.fixture
def journal(db_session, make_user, make_ticket):
    agent = make_user("agent", display_name="Agent Dupuis")
    director = make_user("directeur", display_name="Directrice Lemoine")
    ticket = make_ticket()
    now = utcnow()
    entries = [
        (agent, "view", "diagnostic", ticket.reference, ticket.id, "masqué", now),
        (agent, "view", "ticket", ticket.reference, ticket.id, None, now - timedelta(days=1)),
        (director, "export", "comptes_a_surveiller", "0211234C", None, "12 ligne(s)", now),
        (
            director,
            "view",
            "comptes_a_surveiller",
            "0211234C",
            None,
            None,
            now - timedelta(days=40),
        ),
    ]
    for user, action, subject, ref, ticket_id, detail, when in entries:
        entry = record_access(db_session, user, action, subject, ref, ticket_id, detail)
        entry.created_at = when
    db_session.flush()
    return agent, director, ticket


def rows(client, **args) -> str:
    response = client.get("/admin/journal", query_string=args)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


def test_filters_by_user_subject_action_object_and_period(client, login_as, make_user, journal):
    agent, director, ticket = journal
    login_as(make_user("admin"))
    assert rows(client).count("<tr>") == 4
    by_director = rows(client, utilisateur=director.id)
    assert by_director.count("<tr>") == 2 and agent.email not in by_director
    exports = rows(client, action="export")
    assert exports.count("<tr>") == 1 and "12 ligne(s)" in exports
    diagnostics = rows(client, sujet="diagnostic")
    assert diagnostics.count("<tr>") == 1
    assert f'href="/tickets/{ticket.reference}"' in diagnostics
    school = rows(client, objet="0211234C")
    assert school.count("<tr>") == 2 and 'href="/ecoles/0211234C/comptes"' in school
    recent = rows(client, du=(utcnow() - timedelta(days=7)).date().isoformat())
    assert recent.count("<tr>") == 3
    old = rows(client, au=(utcnow() - timedelta(days=30)).date().isoformat())
    assert old.count("<tr>") == 1


def test_filters_are_kept_across_pages(client, db_session, login_as, make_user):
    admin = login_as(make_user("admin"))
    for n in range(51):
        record_access(db_session, admin, "export", "comptes_a_surveiller", f"lot-{n}")
    db_session.flush()
    page = client.get("/admin/journal?action=export").get_data(as_text=True)
    assert 'href="/admin/journal?page=2&amp;action=export"' in page


def test_journal_is_for_admins_only(client, login_as, make_user):
    login_as(make_user("agent"))
    assert client.get("/admin/journal").status_code == 403
