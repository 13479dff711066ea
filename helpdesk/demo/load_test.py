"""A large académie for load tests: tickets, messages and history inserted in bulk, then
numbered per year like real ones."""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import func, insert, select, update

from helpdesk.core import dialect
from helpdesk.core.db import session_scope, utcnow
from helpdesk.demo import content
from helpdesk.demo.ticket_mix import CHANNEL_WEIGHTS, MOTIF_WEIGHTS, STATUS_WEIGHTS
from helpdesk.tickets import sla
from helpdesk.tickets.models import (
    Message,
    Ticket,
    TicketCounter,
    TicketEvent,
)
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE, MOTIF_NATURE


def build_large(factory, rng, faker, schools, agents, count, echo) -> None:
    """Bulk rows through Core inserts: ~2.5 messages a ticket, for load tests."""
    now = utcnow()
    calendar = sla.BusinessCalendar()
    bodies = content.fast_message_bodies(faker, min(count * 3, 300_000), seed=rng.randint(0, 10**6))
    motifs = list(MOTIF_WEIGHTS)
    motif_weights = list(MOTIF_WEIGHTS.values())
    statuses = list(STATUS_WEIGHTS)
    status_weights = list(STATUS_WEIGHTS.values())
    channels = list(CHANNEL_WEIGHTS)
    channel_weights = list(CHANNEL_WEIGHTS.values())
    first_names = [faker.first_name() for _ in range(500)]
    last_names = [faker.last_name() for _ in range(500)]
    batch = 2000
    span_seconds = 3600 * 24 * 720
    years: dict[int, int] = {}
    body_index = 0
    with click.progressbar(length=count, label="Demandes") as bar:
        for start in range(0, count, batch):
            size = min(batch, count - start)
            with session_scope(factory) as session:
                first_id = (session.scalar(select(func.max(Ticket.id))) or 0) + 1
                tickets, messages, events = [], [], []
                for k in range(size):
                    tid = first_id + k
                    # Two years of tickets, in creation order like real ids.
                    age = span_seconds * (1 - (start + k) / count)
                    created = now - timedelta(seconds=age + rng.randint(0, 600))
                    year = created.year
                    years[year] = years.get(year, 0) + 1
                    motif = rng.choices(motifs, motif_weights)[0]
                    status = rng.choices(statuses, status_weights)[0]
                    first = f"{rng.choice(first_names)}"
                    last = f"{rng.choice(last_names)}"
                    subject = bodies[body_index % len(bodies)][:80].rstrip(" ,.")
                    first_due, resolution_due = sla.due_dates(created, "normale", calendar)
                    answered = status != "nouveau"
                    done = status in ("resolu", "clos")
                    tickets.append(
                        {
                            "id": tid,
                            "reference": f"T{tid}",
                            "subject": subject,
                            "type_demande": MOTIF_DEFAULT_TYPE[motif],
                            "nature": MOTIF_NATURE[motif],
                            "motif": motif,
                            "label_confidence": round(rng.uniform(0.4, 0.99), 2),
                            "needs_qualification": rng.random() < 0.05,
                            "status": status,
                            "priority": "normale",
                            "channel": rng.choices(channels, channel_weights)[0],
                            "requester_name": f"{first} {last}",
                            "requester_email": f"{first}.{last}{tid}@example.org".lower(),
                            "requester_kind": "parent",
                            "requester_email_failing": False,
                            "school_id": rng.choice(schools).id,
                            "assignee_id": rng.choice(agents).id if answered else None,
                            "created_at": created,
                            "updated_at": created + timedelta(hours=2),
                            "first_response_at": created + timedelta(hours=3) if answered else None,
                            "resolved_at": created + timedelta(days=2) if done else None,
                            "closed_at": created + timedelta(days=9) if status == "clos" else None,
                            "first_response_due_at": first_due,
                            "resolution_due_at": resolution_due,
                        }
                    )
                    n_messages = rng.choices((1, 2, 3, 4), (15, 35, 35, 15))[0]
                    for m in range(n_messages):
                        agent_turn = m % 2 == 1
                        messages.append(
                            {
                                "ticket_id": tid,
                                "author_id": tickets[-1]["assignee_id"] if agent_turn else None,
                                "author_kind": "agent" if agent_turn else "demandeur",
                                "author_name": "Agent" if agent_turn else f"{first} {last}",
                                "is_internal": False,
                                "body": bodies[body_index % len(bodies)],
                                "created_at": created + timedelta(hours=3 * m),
                            }
                        )
                        body_index += 1
                    events.append(
                        {
                            "ticket_id": tid,
                            "actor_id": None,
                            "actor_name": f"{first} {last}",
                            "kind": "created",
                            "new_value": "Formulaire de contact",
                            "created_at": created,
                        }
                    )
                session.execute(insert(Ticket), tickets)
                session.execute(insert(Message), messages)
                session.execute(insert(TicketEvent), events)
            bar.update(size)
    _number_references(factory, years)
    dialect.settle_after_bulk_insert(factory.kw["bind"], "ticket")
    echo(f"{count} demandes et {body_index} messages créés.")


def _number_references(factory, years: dict[int, int]) -> None:
    """Give bulk tickets real references, numbered per year in creation order."""
    with session_scope(factory) as session:
        rows = session.execute(select(Ticket.id, Ticket.created_at).order_by(Ticket.created_at))
        counters: dict[int, int] = {}
        updates = []
        for tid, created in rows:
            year = created.year
            counters[year] = counters.get(year, 0) + 1
            updates.append({"b_id": tid, "reference": f"{year}-{counters[year]:06d}"})
        from sqlalchemy import bindparam

        stmt = (
            update(Ticket)
            .where(Ticket.id == bindparam("b_id"))
            .values(reference=bindparam("reference"))
        )
        conn = session.connection()
        for i in range(0, len(updates), 5000):
            conn.execute(stmt, updates[i : i + 5000])
        for year, number in counters.items():
            session.merge(TicketCounter(year=year, last_number=number))
