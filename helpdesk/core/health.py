"""What a node needs to serve requests: the database reachable and at the migrations' head,
Redis reachable when the request counters live there.

Each check answers in a bounded time (a load balancer asks every few seconds) and says what
failed without any secret (the URLs are not repeated).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.engine import Engine

TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    """The migrations' head(s) shipped with this code."""
    from alembic.script import ScriptDirectory

    from helpdesk.core.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def database_checks(engine: Engine) -> list[Check]:
    """The database answers, and its schema is the one this code was written for."""
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                timeout = int(TIMEOUT_SECONDS * 1000)
                conn.exec_driver_sql(f"SET LOCAL statement_timeout = {timeout}")
            conn.execute(text("SELECT 1"))
            try:
                current = set(
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
                )
            except Exception:
                current = set()
            conn.rollback()
    except Exception as exc:
        return [
            Check("base", False, f"injoignable ({type(exc).__name__})"),
            Check("migrations", False, "non vérifiées"),
        ]
    heads = head_revisions()
    if current == heads:
        migrations = Check("migrations", True, ", ".join(sorted(current)))
    else:
        found = ", ".join(sorted(current)) or "aucune"
        migrations = Check("migrations", False, f"{found} au lieu de {', '.join(sorted(heads))}")
    return [Check("base", True, "joignable"), migrations]


def redis_check(url: str | None) -> Check:
    """Redis answers PING; not required when the counters are kept in memory (one node)."""
    if not url or not url.startswith(("redis://", "rediss://", "unix://")):
        return Check("redis", True, "non utilisé")
    import redis

    try:
        client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return Check("redis", False, f"injoignable ({type(exc).__name__})")
    return Check("redis", True, "joignable")
