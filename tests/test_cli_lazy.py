"""The command line names its commands without importing them, and runs each one on demand."""

import subprocess
import sys

import click
import pytest

from helpdesk.cli import LAZY_COMMANDS, load_command, main
from tests.plugins.cli import run

HEAVY = ("helpdesk.setup", "sqlalchemy", "helpdesk.classify.model", "helpdesk.mail.cli")


def _modules_loaded_by(*args: str) -> tuple[str, set[str]]:
    """Run the command in a fresh interpreter; its output and the heavy modules it imported."""
    code = (
        "import sys\n"
        "from helpdesk.cli import main\n"
        f"main({list(args)!r}, standalone_mode=False)\n"
        f"print('LOADED', sorted(set(sys.modules) & set({list(HEAVY)!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    output, _, loaded = done.stdout.rpartition("LOADED ")
    return output, set(eval(loaded))  # noqa: S307 - a list of names printed by the child


def test_help_lists_every_command_and_imports_none_of_them():
    output, loaded = _modules_loaded_by("--help")

    assert loaded == set()
    for name, (_, help_line) in LAZY_COMMANDS.items():
        assert f"{name} " in output
        assert help_line[:30] in output


def test_a_group_help_imports_that_group_only():
    output, loaded = _modules_loaded_by("mail", "--help")

    assert "ingest" in output and "lmtp" in output
    assert "helpdesk.mail.cli" in loaded
    assert not loaded & {"helpdesk.setup", "helpdesk.classify.model", "sqlalchemy"}


def test_the_worker_s_help_loads_no_database_layer():
    output, loaded = _modules_loaded_by("worker", "--help")

    assert "--interval" in output
    assert not loaded & {"helpdesk.setup", "helpdesk.classify.model", "sqlalchemy"}


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_the_listed_help_line_is_the_command_s_own(name):
    command = load_command(name)

    assert command.name == name
    assert LAZY_COMMANDS[name][1] == command.get_short_help_str(limit=300)


def test_flask_s_own_commands_are_still_there():
    assert {"run", "shell", "routes"} <= set(main.list_commands(click.Context(main)))


def test_an_unknown_command_is_refused():
    result = run("nosuchcommand")

    assert result.exit_code == 2
    assert "nosuchcommand" in result.output
