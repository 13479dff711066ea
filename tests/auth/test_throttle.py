"""Failed sign-ins slow down by address and by client; nobody can lock someone else out."""

from __future__ import annotations

import html
import re
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.auth.models import SignInThrottle
from helpdesk.auth.services import SIGN_IN_REFUSED
from helpdesk.auth.throttle import ThrottleRule

PASSWORD = "Motdepasse-2026"
STRANGER = {"REMOTE_ADDR": "203.0.113.66"}


def attempt(client, email: str, password: str, client_ip: str = "198.51.100.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": client_ip},
    )


def alert_text(response) -> str:
    page = response.get_data(as_text=True)
    match = re.search(r'<div class="fr-alert fr-alert--error.*?</div>', page, re.S)
    assert match, "no error alert on the page"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip())


def age_failures(db_session, seconds: float) -> None:
    """Move every recorded failure back in time, as if the user had waited."""
    for row in db_session.scalars(select(SignInThrottle)):
        row.last_failure_at -= timedelta(seconds=seconds)
    db_session.flush()


@pytest.fixture(autouse=True)
def slow_enough(app, monkeypatch):
    """Delays of a minute: a loaded machine cannot outlast them between two requests."""
    monkeypatch.setitem(app.config, "LOGIN_FIRST_DELAY_SECONDS", 60)


def test_delays_grow_then_stop_at_a_ceiling():
    rule = ThrottleRule(free_failures=3, first_delay_seconds=2, max_delay_seconds=60)
    delays = [rule.delay(n).total_seconds() for n in range(0, 12)]
    assert delays[:3] == [0, 0, 0]
    assert delays[3:8] == [2, 4, 8, 16, 32]
    assert delays[8:] == [60, 60, 60, 60]


def test_repeated_failures_delay_the_address_but_never_lock_it(app, make_user, db_session):
    agent = make_user("agent")
    browser = app.test_client()
    for _ in range(3):
        assert attempt(browser, agent.email, "mauvais").status_code == 422
    # The fourth failure is counted and now asks for a delay: even the right password waits.
    assert attempt(browser, agent.email, "mauvais").status_code == 422
    refused = attempt(browser, agent.email, PASSWORD)
    assert refused.status_code == 422
    assert SIGN_IN_REFUSED in alert_text(refused)
    # Once the delay has passed the right password works: no lock to lift.
    age_failures(db_session, 61)
    assert attempt(browser, agent.email, PASSWORD).status_code == 302


def test_stranger_cannot_keep_the_owner_out_of_a_known_browser(app, make_user, db_session):
    agent = make_user("agent")
    owner = app.test_client()
    assert attempt(owner, agent.email, PASSWORD).status_code == 302
    owner.post("/logout")

    stranger = app.test_client()
    for _ in range(8):
        attempt(stranger, agent.email, "devine", client_ip="203.0.113.66")
    # The stranger is slowed down on this address...
    assert attempt(stranger, agent.email, PASSWORD, client_ip="203.0.113.66").status_code == 422
    # ...but the owner's browser, which signed in before, is counted apart and gets in.
    assert attempt(owner, agent.email, PASSWORD).status_code == 302

    # A browser that never signed in to this account waits like the stranger.
    newcomer = app.test_client()
    assert attempt(newcomer, agent.email, PASSWORD).status_code == 422


def test_a_client_trying_many_addresses_is_slowed_down(app, make_user, db_session):
    agent = make_user("agent")
    robot = app.test_client()
    for n in range(10):
        attempt(robot, f"inconnu{n}@ac-test.fr", "devine", client_ip="192.0.2.7")
    assert attempt(robot, agent.email, PASSWORD, client_ip="192.0.2.7").status_code == 422
    # Another client is not affected.
    assert attempt(app.test_client(), agent.email, PASSWORD, "192.0.2.8").status_code == 302


def test_throttle_table_holds_no_address_and_no_ip(app, db_session):
    before = set(db_session.scalars(select(SignInThrottle.key)))
    attempt(app.test_client(), "personne.secrete@example.org", "x", client_ip="192.0.2.99")
    keys = " ".join(set(db_session.scalars(select(SignInThrottle.key))) - before)
    assert keys.count("adresse:") == 1 and keys.count("client:") == 1
    assert "personne" not in keys and "192.0.2.99" not in keys


def test_same_answer_for_unknown_wrong_delayed_and_disabled(app, make_user, db_session):
    agent = make_user("agent")
    disabled = make_user("agent", is_active_account=False)
    browser = app.test_client()
    unknown = alert_text(attempt(browser, "personne@ac-test.fr", PASSWORD, "192.0.2.1"))
    wrong = alert_text(attempt(browser, agent.email, "mauvais", "192.0.2.2"))
    off = alert_text(attempt(browser, disabled.email, PASSWORD, "192.0.2.3"))
    for _ in range(4):
        attempt(browser, agent.email, "mauvais", "192.0.2.4")
    delayed_response = attempt(browser, agent.email, PASSWORD, "192.0.2.5")
    assert delayed_response.status_code == 422
    delayed = alert_text(delayed_response)
    assert unknown == wrong == off == delayed
    assert SIGN_IN_REFUSED in unknown
    # The right password, once the delay has passed, is not refused.
    age_failures(db_session, 3600)
    assert attempt(browser, agent.email, PASSWORD, "192.0.2.6").status_code == 302


def test_unknown_wrong_and_delayed_take_about_the_same_time(app, make_user, db_session):
    agent = make_user("agent")
    browser = app.test_client()
    for _ in range(4):
        attempt(browser, agent.email, "mauvais", "192.0.2.40")
    timings: dict[str, list[float]] = {"unknown": [], "wrong": [], "delayed": []}
    for n in range(6):
        cases = {
            # A fresh address and client each time, so these are never delayed.
            "unknown": (f"absent{n}@ac-test.fr", PASSWORD, f"192.0.2.{100 + n}"),
            "wrong": (agent.email, "mauvais", f"192.0.2.{150 + n}"),
            "delayed": (agent.email, PASSWORD, "192.0.2.40"),
        }
        for name, (email, password, ip) in cases.items():
            if name == "wrong":
                age_failures(db_session, 3600)  # the address is fresh again for this attempt
            started = time.perf_counter()
            response = attempt(browser, email, password, ip)
            timings[name].append(time.perf_counter() - started)
            assert response.status_code == 422
            if name == "wrong":
                for _ in range(4):
                    attempt(browser, agent.email, "mauvais", "192.0.2.40")
    medians = {name: statistics.median(values) for name, values in timings.items()}
    slowest, fastest = max(medians.values()), min(medians.values())
    assert slowest < 2.5 * fastest, medians
