"""The `helpdesk` console script run as a mail server and an operator run it: real processes
on a migrated database, given through the environment."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

HELPDESK = str(Path(sys.executable).with_name("helpdesk"))


@pytest.fixture
def process_env(tmp_path) -> dict[str, str]:
    """A fresh, migrated database and an instance folder, as environment variables."""
    from helpdesk.core.migrate import upgrade
    from tests.plugins.database import fresh_database_url

    url = fresh_database_url(tmp_path, "processes")
    upgrade(url)
    return helpdesk_env(url, tmp_path / "instance")


def helpdesk_env(url: str, instance: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    env.update(
        HELPDESK_DATABASE_URL=url,
        HELPDESK_INSTANCE_PATH=str(instance),
        HELPDESK_SECRET_KEY="tests-secret-key",
        HELPDESK_CLASSIFY_ENABLED="0",
        HELPDESK_CLASSIFY_RETRAIN_HOURS="0",
        HELPDESK_RETENTION_RUN_HOURS="0",
        **extra,
    )
    return env


def run_helpdesk(
    *args: str, env: dict[str, str], input: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [HELPDESK, *args], env=env, input=input, capture_output=True, timeout=timeout
    )


def start_helpdesk(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [HELPDESK, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> tuple[int, str, str]:
    """Ask a long-running command to stop (SIGTERM); its exit code and output."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def wait_for(condition: Callable[[], object], timeout: float = 60, what: str = "") -> object:
    """Poll until ``condition()`` is true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s: {what}")
        time.sleep(0.1)


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    def listening() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the listener stopped: {process.stderr.read().decode()[-2000:]}")
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_for(listening, timeout, f"port {port}")


def query_rows(url: str, sql: str) -> list:
    """Rows of a query on the database the processes use, through a connection of its own."""
    from sqlalchemy import text

    from helpdesk.core.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()
