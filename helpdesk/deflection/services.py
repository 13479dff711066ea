"""Record which articles a form proposed and which one answered, and measure the deflection."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.deflection.models import QUERY_MAX, DeflectionEvent
from helpdesk.tickets.models import Ticket

#: Which form each audience writes with, and the channel of the tickets it sends.
FORM_CHANNELS = {
    "parent": "formulaire_contact",
    "eleve": "formulaire_contact",
    "directeur": "portail_directeur",
}
FORM_LABELS = {
    "formulaire_contact": "Formulaire de contact (parents, élèves)",
    "portail_directeur": "Portail des directeurs",
}
#: Words of what was typed that go to the search: the subject first, then the message.
QUERY_WORDS = 40

_FORM_KEY = re.compile(r"^[A-Za-z0-9_-]{12,32}$")
_EMAIL = re.compile(r"\S+@\S+")
_NUMBER = re.compile(r"\d[\d .\-/]{2,}\d")


class InvalidDeflection(DomainError):
    """An event that cannot be recorded (unknown form, article that was not proposed)."""


def new_form_key() -> str:
    return secrets.token_urlsafe(12)


def is_form_key(value: str | None) -> bool:
    return bool(value and _FORM_KEY.match(value))


def suggestion_query(*parts: str | None) -> str:
    """The text searched for: the parts given, at most QUERY_WORDS words."""
    words = " ".join(p for p in parts if p).split()
    text = " ".join(words[:QUERY_WORDS])
    # A last word still being typed stays a prefix; one followed by a space does not.
    last = next((p for p in reversed(parts) if p), "")
    if len(words) <= QUERY_WORDS and last[-1:].isspace():
        text += " "
    return text


def redact(text: str) -> str:
    """What is kept of a query: no e-mail address, no long number, truncated."""
    text = _EMAIL.sub("[courriel]", text or "")
    text = _NUMBER.sub("[numéro]", text)
    text = " ".join(text.split())
    return text if len(text) <= QUERY_MAX else text[: QUERY_MAX - 1] + "…"


@dataclass(frozen=True)
class FormEvents:
    """What a form already recorded: slugs shown and slugs answered."""

    shown: frozenset[str]
    answered: frozenset[str]


def form_events(session: Session, form_key: str) -> FormEvents:
    rows = session.execute(
        select(DeflectionEvent.article_slug, DeflectionEvent.outcome).where(
            DeflectionEvent.form_key == form_key
        )
    ).all()
    return FormEvents(
        shown=frozenset(slug for slug, outcome in rows if outcome == "shown"),
        answered=frozenset(slug for slug, outcome in rows if outcome == "answered"),
    )


def record_shown(
    session: Session, form_key: str, audience: str, query: str, slugs: list[str]
) -> FormEvents:
    """Record the articles a form proposes, once per form and article; flush."""
    if not is_form_key(form_key):
        raise InvalidDeflection("Formulaire non identifié.")
    if audience not in FORM_CHANNELS:
        raise InvalidDeflection("Public inconnu.")
    events = form_events(session, form_key)
    kept = redact(query)
    new = [slug for slug in dict.fromkeys(slugs) if slug not in events.shown]
    for slug in new:
        session.add(
            DeflectionEvent(
                audience=audience,
                form_key=form_key,
                query=kept,
                article_slug=slug,
                outcome="shown",
            )
        )
    if new:
        session.flush()
    return FormEvents(events.shown | frozenset(new), events.answered)


def record_answered(session: Session, form_key: str, slug: str) -> DeflectionEvent:
    """Record that an article the form proposed answered the question (once); flush."""
    if not is_form_key(form_key):
        raise InvalidDeflection("Formulaire non identifié.")
    rows = session.scalars(
        select(DeflectionEvent)
        .where(DeflectionEvent.form_key == form_key, DeflectionEvent.article_slug == slug)
        .order_by(DeflectionEvent.id.desc())
    ).all()
    shown = next((row for row in rows if row.outcome == "shown"), None)
    if shown is None:
        raise InvalidDeflection("Cet article n'a pas été proposé dans ce formulaire.")
    answered = next((row for row in rows if row.outcome == "answered"), None)
    if answered is not None:
        return answered
    event = DeflectionEvent(
        audience=shown.audience,
        form_key=form_key,
        query=shown.query,
        article_slug=slug,
        outcome="answered",
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChannelStats:
    channel: str
    forms_shown: int
    forms_answered: int
    tickets_sent: int

    @property
    def label(self) -> str:
        return FORM_LABELS.get(self.channel, self.channel)

    @property
    def answered_rate(self) -> float | None:
        """Forms closed by an article, among the forms that proposed articles."""
        return self.forms_answered / self.forms_shown if self.forms_shown else None

    @property
    def avoided_share(self) -> float | None:
        """Questions answered by an article, among those answered or sent as a request."""
        total = self.forms_answered + self.tickets_sent
        return self.forms_answered / total if total else None


@dataclass(frozen=True)
class DeflectionStats:
    since: datetime
    channels: list[ChannelStats]
    top_articles: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> ChannelStats:
        return ChannelStats(
            "total",
            sum(c.forms_shown for c in self.channels),
            sum(c.forms_answered for c in self.channels),
            sum(c.tickets_sent for c in self.channels),
        )


def deflection_stats(
    session: Session, since: datetime, top: int = 5, until: datetime | None = None
) -> DeflectionStats:
    """Forms that proposed articles, forms an article answered, and requests sent, per form,
    from ``since`` (and before ``until`` when given)."""
    event_period = [DeflectionEvent.created_at >= since]
    ticket_period = [Ticket.created_at >= since]
    if until is not None:
        event_period.append(DeflectionEvent.created_at < until)
        ticket_period.append(Ticket.created_at < until)
    counts: dict[tuple[str, str], int] = {}
    rows = session.execute(
        select(
            DeflectionEvent.audience,
            DeflectionEvent.outcome,
            func.count(distinct(DeflectionEvent.form_key)),
        )
        .where(*event_period)
        .group_by(DeflectionEvent.audience, DeflectionEvent.outcome)
    )
    for audience, outcome, count in rows:
        key = (FORM_CHANNELS.get(audience, audience), outcome)
        counts[key] = counts.get(key, 0) + count
    sent = dict(
        session.execute(
            select(Ticket.channel, func.count())
            .where(*ticket_period, Ticket.channel.in_(tuple(FORM_LABELS)))
            .group_by(Ticket.channel)
        ).all()
    )
    channels = [
        ChannelStats(
            channel,
            counts.get((channel, "shown"), 0),
            counts.get((channel, "answered"), 0),
            sent.get(channel, 0),
        )
        for channel in FORM_LABELS
    ]
    top_articles = [
        (slug, count)
        for slug, count in session.execute(
            select(DeflectionEvent.article_slug, func.count())
            .where(DeflectionEvent.outcome == "answered", *event_period)
            .group_by(DeflectionEvent.article_slug)
            .order_by(func.count().desc(), DeflectionEvent.article_slug)
            .limit(top)
        )
    ]
    return DeflectionStats(since=since, channels=channels, top_articles=top_articles)


def recent_stats(session: Session, days: int = 30) -> DeflectionStats:
    return deflection_stats(session, utcnow() - timedelta(days=days))
