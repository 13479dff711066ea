"""Growing delays between failed sign-ins, per address, per client and per known device.

A hard lock after N failures lets anyone who knows an address shut its owner out, and its
message tells them the account exists. Here a few failures are free, then each further one
must wait twice as long as the last (2 s, 4 s, 8 s... up to a ceiling); nothing is ever
locked for good, and the failures are forgotten after a quiet hour. A browser that signed in
before carries a device cookie: its attempts are counted on their own, so a stranger hammering
an address does not slow its owner down (OWASP's "device cookies").
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpdesk.auth.models import SignInThrottle


@dataclass(frozen=True)
class ThrottleRule:
    free_failures: int
    first_delay_seconds: float
    max_delay_seconds: float

    def delay(self, failures: int) -> timedelta:
        if failures < self.free_failures:
            return timedelta(0)
        steps = min(failures - self.free_failures, 30)
        seconds = min(self.max_delay_seconds, self.first_delay_seconds * 2**steps)
        return timedelta(seconds=seconds)


@dataclass(frozen=True)
class ThrottlePolicy:
    #: One address (or one device that signed in before).
    address: ThrottleRule = ThrottleRule(3, 2, 60)
    #: One client (IP address): many people may share it, so more free failures.
    client: ThrottleRule = ThrottleRule(10, 2, 900)
    forget_after: timedelta = timedelta(hours=1)


def throttle_key(secret: str, kind: str, value: str) -> str:
    """A keyed hash: the table names no address and no IP."""
    digest = hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:56]}"


def wait_time(
    session: Session,
    keys: dict[str, ThrottleRule],
    now: datetime,
    forget_after: timedelta,
) -> timedelta:
    """How long the next attempt must still wait (zero when it may go ahead)."""
    rows = session.scalars(select(SignInThrottle).where(SignInThrottle.key.in_(list(keys))))
    wait = timedelta(0)
    for row in rows:
        if now - row.last_failure_at >= forget_after:
            continue
        due = row.last_failure_at + keys[row.key].delay(row.failures)
        wait = max(wait, due - now)
    return wait


def record_failure(
    session: Session, keys: list[str], now: datetime, forget_after: timedelta
) -> None:
    for key in keys:
        row = session.get(SignInThrottle, key)
        if row is None:
            try:
                with session.begin_nested():
                    session.add(SignInThrottle(key=key, failures=1, last_failure_at=now))
            except IntegrityError:  # another worker recorded the same key meanwhile
                row = session.get(SignInThrottle, key, populate_existing=True)
            else:
                continue
        if now - row.last_failure_at >= forget_after:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
    session.flush()


def clear(session: Session, keys: list[str]) -> None:
    session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_(keys)))


def purge_forgotten(session: Session, now: datetime, forget_after: timedelta) -> None:
    session.execute(
        delete(SignInThrottle).where(SignInThrottle.last_failure_at <= now - forget_after)
    )
