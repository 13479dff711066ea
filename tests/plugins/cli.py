"""The `helpdesk` command run as the console script runs it, on a fresh database."""

import pytest
from click.testing import CliRunner

from helpdesk.cli import main
from tests.plugins.database import fresh_database_url


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """A fresh database and instance folder, given to the command through the environment."""
    url = fresh_database_url(tmp_path, "cli")
    monkeypatch.setenv("HELPDESK_DATABASE_URL", url)
    monkeypatch.setenv("HELPDESK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("HELPDESK_CLASSIFY_ENABLED", "0")
    return url


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result
