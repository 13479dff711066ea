"""Time the SLA arithmetic: due dates of many tickets and business time over long spans."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from helpdesk.tickets.sla import (
    DEFAULT_TARGETS,
    SlaState,
    business_minutes_between,
    due_dates,
)


def main(tickets: int = 100_000) -> None:
    rng = random.Random(1)
    start = datetime(2025, 9, 1, tzinfo=UTC)
    opened = [start + timedelta(minutes=rng.randrange(0, 300 * 24 * 60)) for _ in range(tickets)]
    priorities = [rng.choice(tuple(DEFAULT_TARGETS)) for _ in range(tickets)]

    began = time.perf_counter()
    dues = [
        due_dates(moment, priority) for moment, priority in zip(opened, priorities, strict=True)
    ]
    elapsed = time.perf_counter() - began
    print(f"due_dates: {tickets} tickets in {elapsed:.2f} s ({tickets / elapsed:,.0f}/s)")

    now = start + timedelta(days=150)
    began = time.perf_counter()
    for (_, resolution), priority in zip(dues, priorities, strict=True):
        SlaState.compute(resolution, now, target_minutes=DEFAULT_TARGETS[priority][1])
    elapsed = time.perf_counter() - began
    print(f"SlaState.compute: {tickets} in {elapsed:.2f} s ({tickets / elapsed:,.0f}/s)")

    began = time.perf_counter()
    total = business_minutes_between(start, start + timedelta(days=3650))
    elapsed = time.perf_counter() - began
    print(f"business_minutes_between over ten years: {total} min in {elapsed * 1000:.1f} ms")


if __name__ == "__main__":
    main()
