"""The admin's choice: does waiting for the requester stop the SLA clock?"""

from __future__ import annotations

import pytest

from helpdesk.tickets.models import SlaSetting
from helpdesk.tickets.services import PAUSE_SETTING, pause_enabled


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_admin_turns_the_pause_off_and_on(client, login_as, make_user, db_session):
    login_as(make_user("admin"))
    page = text_of(client.get("/admin/delais"))
    assert 'id="pause-oui" name="pause" value="oui" checked' in page
    response = client.post("/admin/delais/pause", data={"pause": "non"})
    assert response.status_code == 302
    assert db_session.get(SlaSetting, PAUSE_SETTING).value == "0"
    page = text_of(client.get("/admin/delais"))
    assert "Le délai court aussi pendant l&#39;attente du demandeur." in page
    assert 'id="pause-non" name="pause" value="non" checked' in page
    client.post("/admin/delais/pause", data={"pause": "oui"})
    assert pause_enabled(db_session)


@pytest.mark.parametrize("value", ["", "peut-être", "1"])
def test_a_choice_that_is_neither_is_refused_in_french(
    client, login_as, make_user, db_session, value
):
    login_as(make_user("admin"))
    response = client.post("/admin/delais/pause", data={"pause": value})
    assert response.status_code == 422
    assert "Choisissez si le délai est suspendu" in text_of(response)
    assert db_session.get(SlaSetting, PAUSE_SETTING) is None


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("directeur", 404)])
def test_only_admins_change_it(client, login_as, make_user, make_school, db_session, role, status):
    schools = [make_school()] if role == "directeur" else []
    login_as(make_user(role, schools=schools))
    assert client.post("/admin/delais/pause", data={"pause": "non"}).status_code == status
    assert db_session.get(SlaSetting, PAUSE_SETTING) is None


def test_signed_out_visitor_is_sent_to_sign_in(client, db_session):
    response = client.post("/admin/delais/pause", data={"pause": "non"})
    assert response.status_code in (302, 401)
    assert db_session.get(SlaSetting, PAUSE_SETTING) is None
