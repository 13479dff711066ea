"""Speed of the agents' queue for each column sort, and of the saved views' counts.

Fills a database with `helpdesk demo --tickets N` (or reuses one given with --database-url),
signs in as the demo agent and times the queue page as htmx asks for it (the rows only, first
page, open tickets) through the Flask application, for every sort of the column headers, with
the number of SQL statements each request runs. Then times the saved views' counts.

    .venv/bin/python bench/queue_sort_bench.py --tickets 100000
    .venv/bin/python bench/queue_sort_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_web
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, select, text

VENV_BIN = Path(sys.executable).parent
SORTS = (
    "recent",
    "ancien",
    "maj",
    "maj_ancienne",
    "echeance",
    "echeance_lointaine",
    "ecole",
    "ecole_desc",
    "motif",
    "motif_desc",
    "statut",
    "statut_desc",
)
VIEWS = {
    "Non attribuées": "agent=aucun",
    "Échéance dépassée": "sla=depasse",
    "Codes SMS": "motif=activation_sms",
    "Nouvelles": "statut=nouveau",
    "Toutes, par activité": "statut=tous&tri=maj",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def build(url: str, instance: Path, tickets: int) -> None:
    env = dict(
        os.environ,
        HELPDESK_DATABASE_URL=url,
        HELPDESK_INSTANCE_PATH=str(instance),
        HELPDESK_CLASSIFY_ENABLED="0",
    )
    subprocess.run(
        [str(VENV_BIN / "helpdesk"), "demo", "--tickets", str(tickets)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@dataclass(frozen=True)
class Timing:
    """Wall-clock median and p95 of the requests, SQL statements of one, and the median CPU
    time one request used (this process, plus the PostgreSQL server processes): on a shared
    machine the wall clock also counts the time spent waiting for a core."""

    p50: float
    p95: float
    queries: int
    cpu: float

    def __str__(self) -> str:
        return (
            f"p50 {self.p50:6.1f} ms  p95 {self.p95:6.1f} ms  CPU {self.cpu:5.1f} ms  "
            f"{self.queries} requêtes"
        )


def _server_cpu_ms(engine) -> float:
    """CPU time used so far by the PostgreSQL processes serving this database (0 on SQLite)."""
    if engine.dialect.name != "postgresql":
        return 0.0
    with engine.connect() as conn:
        pids = conn.scalars(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        ).all()
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def timed(client, engine, path: str, runs: int) -> Timing:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    times, cpu = [], []
    for n in range(runs + 1):
        statements.clear()
        server = _server_cpu_ms(engine)
        event.listen(engine, "before_cursor_execute", count)
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers={"HX-Request": "true"})
        elapsed = (time.perf_counter() - started) * 1000
        used = (time.process_time() - started_cpu) * 1000
        event.remove(engine, "before_cursor_execute", count)
        used += _server_cpu_ms(engine) - server
        assert response.status_code == 200, (path, response.status_code)
        if n:  # the first request warms the caches
            times.append(elapsed)
            cpu.append(used)
    return Timing(
        statistics.median(times), percentile(times, 0.95), len(statements), statistics.median(cpu)
    )


def bench_app(url: str, instance: Path):
    from helpdesk import create_app

    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "CLASSIFY_ENABLED": False,
        }
    )


def signed_in_client(app, prepare=None):
    """A test client signed in as the first agent, through a server-side sign-in session;
    ``prepare(session, agent)`` runs first in the same transaction."""
    from helpdesk.auth.models import User
    from helpdesk.auth.sessions import open_login_session
    from helpdesk.core.db import session_scope

    with session_scope(app.extensions["helpdesk_db"].session_factory) as session:
        agent = session.scalar(select(User).where(User.role == "agent").order_by(User.id))
        if prepare is not None:
            prepare(session, agent)
        token = open_login_session(session, agent)
        login = agent.get_id()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = login
        cookie["_fresh"] = True
        cookie["sid"] = token
    return client


def measure(url: str, instance: Path, runs: int) -> None:
    from helpdesk.desk.views import save_view

    def save_views(session, agent) -> None:
        for name, query in VIEWS.items():
            save_view(session, agent, name, query)

    app = bench_app(url, instance)
    engine = app.extensions["helpdesk_db"].engine
    client = signed_in_client(app, save_views)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  {engine.url.get_backend_name()}: queue rows (first page, open tickets)")
    for sort in SORTS:
        print(f"    tri={sort:<19} {timed(client, engine, f'/tickets?tri={sort}', runs)}")
    every = timed(client, engine, "/tickets?statut=tous&tri=ecole", runs)
    print(f"    statut=tous&tri=ecole    {every}")
    print(f"  {len(VIEWS)} saved views counted   {timed(client, engine, '/vues', runs)}")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--database-url", help="reuse a database filled by `helpdesk demo`")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        url = args.database_url
        if url is None:
            url = f"sqlite:///{instance / 'queue.db'}"
            print(f"Building a demo académie of {args.tickets} tickets…")
            build(url, instance, args.tickets)
        measure(url, instance, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
