"""Two workers never take the same stored message: rows are claimed, not just read."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from helpdesk.core.db import make_engine, make_sessionmaker, utcnow
from helpdesk.mail.inbound.received import claim_received
from helpdesk.mail.models import InboundMessage
from tests.plugins.database import is_postgres


@pytest.fixture
def stored(process_env):
    """Five committed `received` rows in a fresh database; its URL."""
    url = process_env["HELPDESK_DATABASE_URL"]
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        for number in range(5):
            raw = f"Subject: {number}\r\n\r\ncorps".encode()
            session.add(
                InboundMessage(
                    sha256=f"{number:064d}", raw=raw, size=len(raw), received_at=utcnow()
                )
            )
        session.commit()
    engine.dispose()
    return url


@pytest.mark.skipif(not is_postgres(), reason="row locks: PostgreSQL")
def test_a_second_worker_skips_the_rows_the_first_is_handling(stored):
    engine = make_engine(stored)
    factory = make_sessionmaker(engine)
    first, second = factory(), factory()
    try:
        taken = [row.id for row in claim_received(first, limit=2)]
        others = [row.id for row in claim_received(second, limit=10)]
        assert len(taken) == 2 and len(others) == 3
        assert not set(taken) & set(others)
        first.rollback()  # a worker that dies gives its rows back
        with factory() as third:
            again = [row.id for row in claim_received(third, limit=10)]
        assert set(again) == set(taken)
    finally:
        first.close()
        second.close()
        engine.dispose()


@pytest.mark.skipif(is_postgres(), reason="single writer: SQLite")
def test_on_sqlite_a_second_worker_waits_for_the_first_to_commit(stored):
    engine = make_engine(stored)
    impatient = make_engine(stored, connect_args={"timeout": 0.2, "check_same_thread": False})
    first = make_sessionmaker(engine)()
    second = make_sessionmaker(impatient)()
    try:
        assert len(claim_received(first, limit=2)) == 2
        with pytest.raises(OperationalError, match="locked"):
            claim_received(second, limit=10)
    finally:
        first.close()
        second.close()
        engine.dispose()
        impatient.dispose()
