"""The agents' actions on a ticket page, through HTTP: each change, and what is refused."""

from __future__ import annotations

import pytest

from helpdesk.tickets.models import Ticket


@pytest.fixture
def agent(login_as, make_user):
    return login_as(make_user("agent"))


def _reload(db_session, ticket) -> Ticket:
    db_session.expire_all()
    return db_session.get(Ticket, ticket.id)


def _flashes(client) -> list[str]:
    with client.session_transaction() as sess:
        return [message for _, message in sess.get("_flashes", [])]


def test_take(client, db_session, agent, make_ticket):
    ticket = make_ticket()

    response = client.post(f"/tickets/{ticket.reference}/prendre")

    assert response.status_code == 302
    assert _reload(db_session, ticket).assignee_id == agent.id


def test_take_is_for_staff_only(client, db_session, login_as, make_user, make_school, make_ticket):
    school = make_school()
    ticket = make_ticket(school_id=school.id)
    login_as(make_user("directeur", schools=[school]))

    response = client.post(f"/tickets/{ticket.reference}/prendre")

    assert response.status_code in (403, 404)
    assert _reload(db_session, ticket).assignee_id is None


def test_assign_to_another_agent(client, db_session, agent, make_user, make_ticket):
    colleague = make_user("agent")
    ticket = make_ticket()

    response = client.post(
        f"/tickets/{ticket.reference}/attribuer", data={"assign-assignee": str(colleague.id)}
    )

    assert response.status_code == 302
    assert _reload(db_session, ticket).assignee_id == colleague.id


@pytest.mark.parametrize("value", ["abc", "999999", "1.5", "<script>"])
def test_assign_to_anything_but_a_listed_agent_is_refused(
    client, db_session, agent, make_ticket, value
):
    ticket = make_ticket()

    response = client.post(
        f"/tickets/{ticket.reference}/attribuer", data={"assign-assignee": value}
    )

    assert response.status_code == 422
    assert "Attribuer à : " in response.get_data(as_text=True)
    assert _reload(db_session, ticket).assignee_id is None


def test_assign_to_a_director_is_refused(
    client, db_session, agent, make_user, make_school, make_ticket
):
    director = make_user("directeur", schools=[make_school()])
    ticket = make_ticket()

    response = client.post(
        f"/tickets/{ticket.reference}/attribuer", data={"assign-assignee": str(director.id)}
    )

    assert response.status_code == 422
    assert _reload(db_session, ticket).assignee_id is None


def test_change_status(client, db_session, agent, make_ticket):
    ticket = make_ticket()

    response = client.post(f"/tickets/{ticket.reference}/statut", data={"status-status": "resolu"})

    assert response.status_code == 302
    assert _reload(db_session, ticket).status == "resolu"
    assert "Statut : Résolu." in _flashes(client)


def test_unknown_status_is_refused(client, db_session, agent, make_ticket):
    ticket = make_ticket()

    response = client.post(f"/tickets/{ticket.reference}/statut", data={"status-status": "perdu"})

    assert response.status_code == 422
    assert _reload(db_session, ticket).status == "nouveau"


def test_relabel(client, db_session, agent, make_ticket):
    ticket = make_ticket(motif="activation_sms")

    response = client.post(
        f"/tickets/{ticket.reference}/qualifier",
        data={
            "labels-type_demande": "demande_logicielle",
            "labels-nature": "EDUCONNECT",
            "labels-motif": "mot_de_passe_oublie",
        },
    )

    assert response.status_code == 302
    assert _reload(db_session, ticket).motif == "mot_de_passe_oublie"


def test_relabel_with_an_unknown_motif_is_refused(client, db_session, agent, make_ticket):
    ticket = make_ticket(motif="activation_sms")

    response = client.post(
        f"/tickets/{ticket.reference}/qualifier",
        data={
            "labels-type_demande": "demande_logicielle",
            "labels-nature": "EDUCONNECT",
            "labels-motif": "motif_invente",
        },
    )

    assert response.status_code == 422
    assert _reload(db_session, ticket).motif == "activation_sms"


def test_priority(client, db_session, agent, make_ticket):
    ticket = make_ticket()
    due = ticket.resolution_due_at

    response = client.post(
        f"/tickets/{ticket.reference}/priorite", data={"priority-priority": "urgente"}
    )

    assert response.status_code == 302
    changed = _reload(db_session, ticket)
    assert changed.priority == "urgente"
    assert changed.resolution_due_at < due


@pytest.mark.parametrize("value", ["tres_haute", "", "1"])
def test_unknown_priority_is_refused(client, db_session, agent, make_ticket, value):
    ticket = make_ticket()

    response = client.post(
        f"/tickets/{ticket.reference}/priorite", data={"priority-priority": value}
    )

    assert response.status_code == 422
    assert _reload(db_session, ticket).priority == "normale"


def test_merge(client, db_session, agent, make_ticket):
    kept = make_ticket(subject="Code SMS")
    duplicate = make_ticket(subject="Code SMS (relance)")

    response = client.post(
        f"/tickets/{duplicate.reference}/fusionner", data={"merge-target": kept.reference}
    )

    assert response.status_code == 302
    merged = _reload(db_session, duplicate)
    assert merged.merged_into_id == kept.id and merged.status == "clos"
    assert f"Demande fusionnée dans {kept.reference}." in _flashes(client)


def test_merge_into_an_unknown_reference_changes_nothing(client, db_session, agent, make_ticket):
    duplicate = make_ticket()

    response = client.post(
        f"/tickets/{duplicate.reference}/fusionner", data={"merge-target": "2099-999999"}
    )

    assert response.status_code == 302
    assert _reload(db_session, duplicate).merged_into_id is None
    assert "Aucune demande ne porte la référence « 2099-999999 »." in _flashes(client)


def test_merge_without_a_reference_is_refused(client, db_session, agent, make_ticket):
    duplicate = make_ticket()

    response = client.post(f"/tickets/{duplicate.reference}/fusionner", data={"merge-target": ""})

    assert response.status_code == 422
    assert "Indiquez la référence" in response.get_data(as_text=True)
    assert _reload(db_session, duplicate).merged_into_id is None


def test_merge_into_itself_is_refused(client, db_session, agent, make_ticket):
    ticket = make_ticket()

    client.post(f"/tickets/{ticket.reference}/fusionner", data={"merge-target": ticket.reference})

    assert _reload(db_session, ticket).merged_into_id is None
    assert "Une demande ne peut pas être fusionnée avec elle-même." in _flashes(client)


def test_actions_on_an_unknown_ticket_are_404(client, agent):
    for action in ("prendre", "attribuer", "statut", "qualifier", "priorite", "fusionner"):
        assert client.post(f"/tickets/2099-999999/{action}").status_code == 404, action
