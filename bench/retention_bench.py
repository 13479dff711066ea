"""Retention and erasure through the real command, on a base made by `helpdesk demo`.

Times `helpdesk retention run --dry-run` and `helpdesk retention run` at a date where every
closed request is due (the first run on a base that never had one: the worst case), then
`helpdesk person export` and `helpdesk person erase` for the requester with most requests.
Each command is a new process, as cron or an operator runs it.

    .venv/bin/python bench/retention_bench.py --tickets 20000 --engines sqlite,postgresql
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

VENV_BIN = Path(sys.executable).parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
FAR_FUTURE = "2100-01-01"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def helpdesk(env: dict, *args: str) -> tuple[str, str]:
    """Wall-clock and CPU seconds of one command (the CPU share is what the load hides)."""
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [str(VENV_BIN / "helpdesk"), *args], env=env, capture_output=True, text=True
    )
    elapsed = f"{time.perf_counter() - started:6.2f} s ({_children_cpu() - cpu:5.2f} s CPU)"
    if done.returncode not in (0, 1):
        raise SystemExit(f"helpdesk {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def busiest_requester(url: str) -> tuple[str, int]:
    from helpdesk.tickets.models import Ticket

    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            select(Ticket.requester_email, func.count())
            .where(Ticket.requester_email.is_not(None))
            .group_by(Ticket.requester_email)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    engine.dispose()
    return row[0], row[1]


def fresh_postgres(name: str) -> str:
    admin = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG + name


def bench(engine_name: str, tickets: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        url = (
            f"sqlite:///{instance / 'helpdesk.db'}"
            if engine_name == "sqlite"
            else fresh_postgres(f"bench_retention_{os.getpid()}")
        )
        env = dict(
            os.environ,
            HELPDESK_DATABASE_URL=url,
            HELPDESK_INSTANCE_PATH=str(instance),
            HELPDESK_CLASSIFY_ENABLED="0",
        )
        built, _ = helpdesk(env, "demo", "--tickets", str(tickets))
        print(f"{engine_name}: demo of {tickets} requests built in {built}")
        email, count = busiest_requester(url)
        seconds, _ = helpdesk(env, "person", "export", email)
        print(f"  person export ({count} requests)      {seconds}")
        seconds, out = helpdesk(env, "person", "erase", email, "--yes")
        print(f"  person erase  ({count} requests)      {seconds}  {out.strip()}")
        seconds, out = helpdesk(env, "retention", "run", "--dry-run", "--now", FAR_FUTURE)
        due = [line.split() for line in out.splitlines()[1:]]
        print(f"  retention run --dry-run            {seconds}")
        seconds, out = helpdesk(env, "retention", "run", "--now", FAR_FUTURE)
        print(f"  retention run (all due)            {seconds}")
        for fields in due:
            print(f"    {' '.join(fields)}")
        seconds, _ = helpdesk(env, "retention", "run", "--now", FAR_FUTURE)
        print(f"  retention run again (nothing due)  {seconds}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--engines", default="sqlite")
    args = parser.parse_args()
    for engine_name in args.engines.split(","):
        bench(engine_name.strip(), args.tickets)


if __name__ == "__main__":
    main()
