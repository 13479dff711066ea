"""Ticket full-text search speed, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Fills a database with `helpdesk demo --tickets N` (or reuses one given with --sqlite-file /
--pg-database), picks words found in about 1 % and about 50 % of the tickets, then times
`search_tickets` (first page of 25, newest first and by relevance, excerpts included) as the
agents' queue and global search call it. Also prints how soon a new ticket is searchable.

    .venv/bin/python bench/ticket_search_bench.py --tickets 100000 --engines sqlite,postgresql
    .venv/bin/python bench/ticket_search_bench.py --tickets 500000 --engines postgresql
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "ticket-search"
VENV_BIN = Path(sys.executable).parent
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
CANDIDATES = (
    "bonjour merci compte enfant code mot passe identifiant connexion courriel adresse "
    "portable numero activation ecole directeur livret bourse franceconnect notification "
    "bloque message erreur fille fils rentree inscription confirmation lien dossier "
    "attestation semaine parents college orientation secretariat"
).split()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def build(url: str, instance: Path, tickets: int) -> float:
    env = dict(
        os.environ,
        HELPDESK_DATABASE_URL=url,
        HELPDESK_INSTANCE_PATH=str(instance),
        HELPDESK_CLASSIFY_ENABLED="0",
    )
    started = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "helpdesk"), "demo", "--tickets", str(tickets)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def pick_words(session, total: int) -> dict[str, tuple[str, int]]:
    from helpdesk.tickets.search import matching_ids

    counts = {}
    for word in CANDIDATES:
        ids = matching_ids(session, word)
        counts[word] = session.scalar(select(func.count()).select_from(ids.subquery()))
    chosen = {}
    for label, share in (("1 %", 0.01), ("50 %", 0.5)):
        word = min(counts, key=lambda w: abs(counts[w] / total - share))
        chosen[label] = (word, counts[word])
    return chosen


def measure(url: str, runs: int) -> None:
    from helpdesk.auth.models import User
    from helpdesk.core.db import make_engine, make_sessionmaker
    from helpdesk.tickets.models import Ticket
    from helpdesk.tickets.permissions import scope_tickets
    from helpdesk.tickets.search import search_tickets

    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory() as session:
        total = session.scalar(select(func.count()).select_from(Ticket))
        agent = session.scalar(select(User).where(User.role == "agent"))
        _ = agent.schools
        scope = scope_tickets(select(Ticket), agent)
        words = pick_words(session, total)
        print(f"  {total} tickets")
        for label, (word, count) in words.items():
            for query in (word, word[:4]):
                for order in ("recent", "relevance"):
                    times = []
                    for _ in range(runs):
                        started = time.perf_counter()
                        result = search_tickets(session, query, scope, order=order, limit=25)
                        times.append((time.perf_counter() - started) * 1000)
                    p50, p95 = statistics.median(times), percentile(times, 0.95)
                    print(
                        f"  « {query:<14}» ({label} : {count:>6} tickets) {order:<9} "
                        f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({result.total} résultats)"
                    )
    _freshness(factory)
    engine.dispose()


def _freshness(factory) -> None:
    """Time from the commit of a new ticket to its first appearance in a search."""
    from helpdesk.core.context import ServiceContext
    from helpdesk.tickets.models import Ticket
    from helpdesk.tickets.search import search_tickets
    from helpdesk.tickets.services import TicketInput, open_ticket

    word = f"zygomatique{int(time.time())}"
    with factory() as session:
        ctx = ServiceContext(secret_key="bench")
        open_ticket(
            session,
            ctx,
            None,
            TicketInput(
                subject="Mesure",
                body=f"Message contenant {word}.",
                channel="email",
                requester_name="Banc d'essai",
                motif="autre",
            ),
        )
        session.commit()
        committed = time.perf_counter()
    with factory() as session:
        result = search_tickets(session, word, select(Ticket))
        delay = (time.perf_counter() - committed) * 1000
    print(f"  nouvelle demande trouvée {delay:.1f} ms après son commit ({result.total} résultat)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--sqlite-file", help="reuse this SQLite database instead of building one")
    parser.add_argument("--pg-database", help="reuse this PostgreSQL database")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for engine_name in args.engines.split(","):
        print(f"=== {engine_name} ===")
        if engine_name == "sqlite":
            if args.sqlite_file:
                url = f"sqlite:///{Path(args.sqlite_file).resolve()}"
            else:
                path = OUT / f"search-{args.tickets}.db"
                path.unlink(missing_ok=True)
                url = f"sqlite:///{path}"
                print(f"  demo --tickets {args.tickets} : {build(url, OUT, args.tickets):.1f} s")
        else:
            name = args.pg_database or f"bench_search_{args.tickets}"
            url = PG + name
            if not args.pg_database:
                admin = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                admin.dispose()
                print(f"  demo --tickets {args.tickets} : {build(url, OUT, args.tickets):.1f} s")
        measure(url, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
