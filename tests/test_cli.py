"""The `helpdesk` command group, run as the console script runs it."""

from sqlalchemy import select

from helpdesk.auth.models import User
from helpdesk.auth.passwords import verify_password
from tests.plugins.cli import run


def users(url):
    from helpdesk.core.db import make_engine, make_sessionmaker

    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        found = {u.email: u for u in session.scalars(select(User))}
        for u in found.values():
            _ = [s.uai for s in u.schools]
    engine.dispose()
    return found


def test_db_upgrade_then_user_create(cli_env, tmp_path):
    assert "Schéma à jour" in run("db", "upgrade").output
    result = run(
        "user", "create", "Agent.Un@ac-test.fr", "--role", "agent", "--password", "Tres-secret-2026"
    )
    assert result.exit_code == 0, result.output
    assert "Compte créé : agent.un@ac-test.fr" in result.output
    user = users(cli_env)["agent.un@ac-test.fr"]
    assert user.role == "agent" and verify_password(user.password_hash, "Tres-secret-2026")
    assert (tmp_path / "instance" / "secret_key").exists()


def test_user_create_asks_for_the_password(cli_env):
    run("db", "upgrade")
    result = run(
        "user",
        "create",
        "admin@ac-test.fr",
        "--role",
        "admin",
        input="Tres-secret-2026\nTres-secret-2026\n",
    )
    assert result.exit_code == 0, result.output
    assert "admin@ac-test.fr" in users(cli_env)


def test_director_needs_a_known_school(cli_env):
    run("db", "upgrade")
    result = run(
        "user",
        "create",
        "dir@ac-test.fr",
        "--role",
        "directeur",
        "--password",
        "Tres-secret-2026",
        "--school",
        "0219999Z",
    )
    assert result.exit_code != 0
    assert "École inconnue : 0219999Z" in result.output
    result = run(
        "user", "create", "dir@ac-test.fr", "--role", "directeur", "--password", "Tres-secret-2026"
    )
    assert "au moins une école" in result.output


def test_weak_password_is_refused(cli_env):
    run("db", "upgrade")
    result = run("user", "create", "x@ac-test.fr", "--role", "agent", "--password", "court")
    assert result.exit_code != 0
    assert "au moins 10 caractères" in result.output
