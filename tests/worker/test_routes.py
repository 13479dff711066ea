"""The administrator sees whether the background worker is alive, and what waits for it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.core.db import utcnow
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.worker.services import TaskOutcome, record_pass


@pytest.fixture
def admin(login_as, make_user):
    return login_as(make_user("admin"))


def _backlog(db_session) -> None:
    now = utcnow()
    for number in range(3):
        db_session.add(
            InboundMessage(
                sha256=f"{number:064d}",
                raw=b"Subject: x\r\n\r\ny",
                size=17,
                status="received",
                received_at=now - timedelta(minutes=number),
            )
        )
    db_session.add(
        OutboxMessage(
            kind="new_reply",
            to_address="claire.martin@example.org",
            subject="Réponse",
            body_text="Bonjour",
            message_id="<sante-1@ac-test.fr>",
            next_attempt_at=now - timedelta(minutes=1),
        )
    )
    db_session.flush()


def test_a_live_worker_is_shown_with_its_tasks_and_the_backlog(client, admin, db_session):
    _backlog(db_session)
    now = utcnow()
    record_pass(
        db_session,
        "serveur-1:4242",
        now - timedelta(hours=1),
        [TaskOutcome("inbound"), TaskOutcome("send", "SMTPConnectError : serveur injoignable")],
        now - timedelta(seconds=20),
    )

    page = client.get("/admin/tache-de-fond")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "La tâche de fond fonctionne" in text and "fr-alert--success" in text
    assert 'data-backlog="inbound">3<' in text and 'data-backlog="outbox">1<' in text
    assert "serveur-1:4242" in text and "Actif" in text
    assert "Envoi des notifications" in text and "SMTPConnectError" in text
    assert "En échec" in text
    index = client.get("/admin").get_data(as_text=True)
    assert "En marche" in index and "ne fonctionne pas" not in index


def test_a_silent_worker_raises_a_warning_on_the_page_and_the_administration_home(
    client, admin, db_session
):
    _backlog(db_session)
    long_ago = utcnow() - timedelta(minutes=6)
    record_pass(db_session, "serveur-1:4242", long_ago, [TaskOutcome("inbound")], long_ago)

    text = client.get("/admin/tache-de-fond").get_data(as_text=True)
    index = client.get("/admin").get_data(as_text=True)

    assert "La tâche de fond ne fonctionne pas" in text and "fr-alert--error" in text
    assert "Silencieux" in text
    assert "La tâche de fond ne fonctionne pas" in index
    assert "3 courriel(s) reçu(s) et 1 notification(s) attendent" in index


def test_no_worker_ever_is_a_warning_too(client, admin):
    text = client.get("/admin/tache-de-fond").get_data(as_text=True)

    assert "Aucun passage n’a été enregistré" in text


def test_the_figures_are_readable_by_a_probe(client, admin, db_session):
    _backlog(db_session)
    now = utcnow()
    record_pass(db_session, "serveur-2:7", now, [TaskOutcome("send", "panne")], now)

    data = client.get("/admin/tache-de-fond/etat.json").get_json()

    assert data["alive"] is True and data["workers"] == 1
    assert (data["inbound_backlog"], data["outbox_backlog"]) == (3, 1)
    assert data["failing_tasks"] == ["send"]


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("directeur", 404)])
def test_other_roles_are_refused(client, login_as, make_user, make_school, role, status):
    schools = [make_school()] if role == "directeur" else []
    login_as(make_user(role, schools=schools))

    assert client.get("/admin/tache-de-fond").status_code == status
    assert client.get("/admin/tache-de-fond/etat.json").status_code == status


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/admin/tache-de-fond")

    assert response.status_code == 302 and "/login" in response.headers["Location"]
