"""Speed of the reports (/rapports) at académie scale, on SQLite or PostgreSQL.

Fills a database with `helpdesk demo --tickets N` (or reuses one given with --database-url),
brings it to the académie's shape: the tickets spread over --schools schools, a rating on one
resolved ticket in three (a comment on one in four of those), and articles proposed before
sending in the public forms. Then migrates it (the reports' indexes), signs in as the demo
agent and times each report page and its CSV export through the Flask application, for the
default period (30 days), a year, the whole two years, and one school over a year: median and
95th percentile of --runs requests after one that warms the caches, with the number of SQL
statements each request runs.

    .venv/bin/python bench/reports_bench.py --tickets 100000
    .venv/bin/python bench/reports_bench.py --copy-from sqlite:////tmp/reports.db \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_reports

With --copy-from, an empty PostgreSQL database is first migrated and filled with the rows of
a database built before (the same académie on both engines, without building it twice: the
full-text triggers are off while the rows go in, and the search documents are written once
at the end).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Integer, func, insert, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from queue_sort_bench import bench_app, build, signed_in_client, timed  # noqa: E402

REPORTS = ("volume", "delais", "stock", "satisfaction", "deflexion", "agents")


def shape(app, schools: int) -> None:
    """Spread the demo's tickets over `schools` schools; ratings and deflection events."""
    from helpdesk.core.db import session_scope
    from helpdesk.deflection.models import DeflectionEvent
    from helpdesk.demo.generator import uai_for
    from helpdesk.satisfaction.models import SatisfactionRating
    from helpdesk.schools.models import School
    from helpdesk.tickets.models import Ticket
    from helpdesk.util.text import search_key

    factory = app.extensions["helpdesk_db"].session_factory
    with session_scope(factory) as session:
        have = session.scalar(select(func.count()).select_from(School)) or 0
        if have < schools:
            rows = []
            for n in range(have, schools):
                name = f"École primaire {n:04d}"
                commune = f"Commune {n % 300:03d}"
                uai = uai_for(2400000 + n)
                rows.append(
                    dict(
                        uai=uai,
                        name=name,
                        type="primaire",
                        commune=commune,
                        search_key=search_key(name, commune, uai),
                        updated_at=datetime.now(UTC),
                    )
                )
            session.execute(insert(School), rows)
            ids = session.scalars(select(School.id).order_by(School.id)).all()
            first, count = ids[0], len(ids)
            # Ids are consecutive from the first: a school for each ticket, round the list.
            session.execute(
                update(Ticket).values(school_id=first + Ticket.id % count),
                execution_options={"synchronize_session": False},
            )
            print(f"  tickets spread over {count} schools")
        if not session.scalar(select(func.count()).select_from(SatisfactionRating)):
            session.execute(
                text(
                    "INSERT INTO satisfaction_rating "
                    "(ticket_id, rating, comment, created_at, updated_at) "
                    "SELECT id, 1 + id % 5, CASE WHEN id % 4 = 0 THEN "
                    "'Réponse claire, merci.' ELSE NULL END, resolved_at, resolved_at "
                    "FROM ticket WHERE resolved_at IS NOT NULL AND id % 3 = 0"
                )
            )
            print(
                f"  {session.scalar(select(func.count()).select_from(SatisfactionRating))} ratings"
            )
        if not session.scalar(select(func.count()).select_from(DeflectionEvent)):
            now = datetime.now(UTC)
            events = []
            for n in range(40_000):
                when = now - timedelta(minutes=26 * n)
                key = f"bench{n:012d}"
                base = dict(
                    audience=("parent", "eleve", "directeur")[n % 3],
                    form_key=key,
                    query="code sms non recu",
                    article_slug=("code-sms-non-recu", "mot-de-passe-oublie")[n % 2],
                )
                events.append(dict(base, created_at=when, outcome="shown"))
                if n % 5 == 0:
                    events.append(dict(base, created_at=when, outcome="answered"))
            session.execute(insert(DeflectionEvent), events)
            print(f"  {len(events)} deflection events")
    if app.extensions["helpdesk_db"].engine.dialect.name == "postgresql":
        with app.extensions["helpdesk_db"].engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        with app.extensions["helpdesk_db"].engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()


def copy_database(source_url: str, target_url: str) -> None:
    """Every row of every table of the models, from one database into an empty one."""
    from helpdesk.core.db import Base, make_engine
    from helpdesk.core.migrate import upgrade
    from helpdesk.models import Ticket

    upgrade(target_url)
    source, target = make_engine(source_url), make_engine(target_url)
    with target.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Ticket)):
            print("  target already filled: no copy")
            return
    with source.connect() as src, target.begin() as dst:
        dst.execute(text("SET session_replication_role = replica"))
        for table in Base.metadata.sorted_tables:
            dst.execute(table.delete())
            columns = [c for c in table.columns if c.name != "search_vector"]
            result = src.execution_options(stream_results=True).execute(select(*columns))
            copied = 0
            while rows := result.fetchmany(5000):
                dst.execute(insert(table), [dict(row._mapping) for row in rows])
                copied += len(rows)
            if copied and "id" in table.columns and isinstance(table.c.id.type, Integer):
                dst.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'(SELECT max(id) FROM "{table.name}"))'
                    )
                )
            print(f"  {table.name}: {copied} rows")
        dst.execute(text("SET session_replication_role = DEFAULT"))
        dst.execute(text("UPDATE ticket SET search_vector = ticket_search_document(id)"))
    source.dispose()
    target.dispose()


def scenarios(app) -> list[tuple[str, str]]:
    from helpdesk.core.db import session_scope
    from helpdesk.schools.models import School
    from helpdesk.util.frenchdates import PARIS

    today = datetime.now(PARIS).date()
    year = f"du={today - timedelta(days=364)}&au={today}"
    whole = f"du={today - timedelta(days=730)}&au={today}"
    with session_scope(app.extensions["helpdesk_db"].session_factory) as session:
        uai = session.scalar(select(School.uai).order_by(School.id).limit(1))
    return [
        ("30 jours", ""),
        ("1 an", year),
        ("2 ans (tout)", whole),
        ("1 école, 1 an", f"{year}&ecole={uai}"),
    ]


def measure(url: str, instance: Path, runs: int, schools: int) -> None:
    from helpdesk.core.migrate import upgrade

    upgrade(url)
    app = bench_app(url, instance)
    shape(app, schools)
    engine = app.extensions["helpdesk_db"].engine
    client = signed_in_client(app)
    print(f"  {engine.url.get_backend_name()}: reports (page, then CSV export)")
    print(
        f"    {'rapport':<13} {'période':<14} {'page p50':>9} {'p95':>8} {'CPU':>7} {'req':>4}"
        f"   {'CSV p50':>8} {'p95':>8} {'CPU':>7}"
    )
    for slug in REPORTS:
        for label, query in scenarios(app):
            page = timed(client, engine, f"/rapports/{slug}?{query}", runs)
            export = timed(client, engine, f"/rapports/{slug}/export.csv?{query}", runs)
            print(
                f"    {slug:<13} {label:<14} {page.p50:6.1f} ms {page.p95:5.1f} ms"
                f" {page.cpu:4.1f} ms {page.queries:>4}   {export.p50:5.1f} ms"
                f" {export.p95:5.1f} ms {export.cpu:4.1f} ms"
            )
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--database-url", help="reuse a database filled by `helpdesk demo`")
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--copy-from", help="fill an empty PostgreSQL database from this one")
    args = parser.parse_args()
    if args.copy_from and args.database_url:
        copy_database(args.copy_from, args.database_url)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        url = args.database_url
        if url is None:
            url = f"sqlite:///{instance / 'reports.db'}"
            print(f"Building a demo académie of {args.tickets} tickets…")
            build(url, instance, args.tickets)
        measure(url, instance, args.runs, args.schools)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
