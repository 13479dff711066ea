"""People in the agents' global search: asked for, masked, journaled, agents only."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from helpdesk.audit.models import AuditEntry
from helpdesk.diagnostics.people import details_from_query
from tests.calls.conftest import BASE_PHONE


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def person_entries(db_session) -> list[AuditEntry]:
    return list(db_session.scalars(select(AuditEntry).where(AuditEntry.subject == "personne")))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Céline Dupont", {"nom": "Céline Dupont"}),
        ("celine.dupont@example.fr", {"email": "celine.dupont@example.fr"}),
        ("06 12 34 56 78", {"telephone": "06 12 34 56 78"}),
        ("c.dupont7", {"login": "c.dupont7"}),
        ("2026-000123", None),
        ("Du", None),
        ("06 12", None),
    ],
)
def test_a_query_is_read_as_a_person(query, expected):
    details = details_from_query(query)
    if expected is None:
        assert details is None
    else:
        assert {k: v for k, v in vars(details).items() if v and k != "role"} == expected


def test_people_are_looked_up_only_when_asked(client, login_as, make_user, family, db_session):
    _, parent, *_ = family
    agent = login_as(make_user("agent"))
    page = text_of(client.get("/recherche", query_string={"q": "Céline Dupont"}))
    assert "Personnes (données des comptes)" in page
    assert "parmi les responsables et les élèves" in page
    assert parent.responsable_id not in page
    assert person_entries(db_session) == []

    response = client.get("/recherche", query_string={"q": "Céline Dupont", "personnes": "1"})
    assert response.status_code == 200
    page = text_of(response)
    assert f'data-responsable="{parent.responsable_id}"' in page
    assert "C. D." in page and BASE_PHONE not in page and "celine.dupont@example.fr" not in page
    entries = person_entries(db_session)
    assert len(entries) == 1 and entries[0].user_id == agent.id
    assert "recherche globale" in entries[0].detail


def test_namesakes_in_the_search_are_shown_as_candidates(
    client, login_as, make_user, family, namesake
):
    _, parent, *_ = family
    other, *_ = namesake
    login_as(make_user("agent"))
    page = text_of(client.get("/recherche", query_string={"q": "Céline Dupont", "personnes": "1"}))
    assert "Plusieurs personnes correspondent : aucune n’est retenue." in page
    assert parent.responsable_id in page and other.responsable_id in page
    assert 'data-responsable="' not in page


def test_a_reference_is_not_looked_up_as_a_person(client, login_as, make_user, family, db_session):
    login_as(make_user("agent"))
    page = text_of(client.get("/recherche", query_string={"q": "2026-000123", "personnes": "1"}))
    assert "Personnes (données des comptes)" not in page
    assert person_entries(db_session) == []


def test_directors_cannot_search_people(
    client, login_as, make_user, make_school, family, db_session
):
    login_as(make_user("directeur", schools=[make_school()]))
    response = client.get("/recherche", query_string={"q": "Céline Dupont", "personnes": "1"})
    assert response.status_code == 404
    assert person_entries(db_session) == []
