"""One set of account rules and French messages, from the command line and the admin pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.auth.models import User
from helpdesk.auth.services import save_user
from helpdesk.core.errors import DomainError
from tests.plugins.cli import run

PASSWORD = "Tres-secret-2026"


def test_a_new_account_gets_a_name_from_its_address(db_session):
    user = save_user(
        db_session,
        None,
        email="Anne.Martin@ac-test.fr",
        role="agent",
        schools=[],
        password=PASSWORD,
    )

    assert (user.email, user.display_name, user.is_active_account) == (
        "anne.martin@ac-test.fr",
        "Anne Martin",
        True,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "directeur"}, "Rattachez le directeur à au moins une école."),
        ({"password": "court"}, "au moins 10 caractères"),
        ({"password": None}, "Indiquez un mot de passe initial."),
        ({"display_name": "  "}, "Indiquez le nom affiché."),
        ({"role": "pirate"}, "Rôle inconnu : pirate."),
    ],
)
def test_refusals_say_why_in_french(db_session, changes, message):
    values = {"email": "x@ac-test.fr", "role": "agent", "schools": [], "password": PASSWORD}

    with pytest.raises(DomainError, match=message):
        save_user(db_session, None, **(values | changes))


def test_an_address_is_taken_once(db_session):
    save_user(db_session, None, email="x@ac-test.fr", role="agent", schools=[], password=PASSWORD)

    with pytest.raises(DomainError, match="Un compte existe déjà pour x@ac-test.fr."):
        save_user(
            db_session, None, email="X@ac-test.fr", role="agent", schools=[], password=PASSWORD
        )


def test_the_command_and_the_admin_page_refuse_with_the_same_message(
    cli_env, client, db_session, make_user, login_as
):
    run("db", "upgrade")
    command = run("user", "create", "dir@ac-test.fr", "--role", "directeur", "--password", PASSWORD)
    login_as(make_user("admin"))
    page = client.post(
        "/admin/utilisateurs/nouveau",
        data={
            "email": "dir@ac-test.fr",
            "display_name": "Dominique Essai",
            "role": "directeur",
            "password": PASSWORD,
            "is_active": "y",
        },
    )

    message = "Rattachez le directeur à au moins une école."
    assert command.exit_code != 0 and message in command.output
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    assert db_session.scalar(select(User).where(User.email == "dir@ac-test.fr")) is None
