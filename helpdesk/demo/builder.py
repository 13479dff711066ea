"""`helpdesk demo`: a living demo académie on an empty database, or a large one for load tests."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import click
from faker import Faker
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.auth.models import User
from helpdesk.auth.passwords import hash_password
from helpdesk.core import dialect
from helpdesk.core.db import Base, session_scope, utcnow
from helpdesk.core.errors import DomainError
from helpdesk.core.migrate import upgrade
from helpdesk.core.runtime import service_context
from helpdesk.demo import accounts, content
from helpdesk.demo.load_test import build_large
from helpdesk.demo.ticket_mix import CHANNEL_WEIGHTS, MOTIF_WEIGHTS, STATUS_WEIGHTS, pick
from helpdesk.macros.models import Macro
from helpdesk.mail.models import MailSetting
from helpdesk.schools.models import School
from helpdesk.tickets import services, sla
from helpdesk.tickets.models import (
    CannedReply,
    Message,
    Ticket,
    TicketEvent,
)
from helpdesk.util.text import search_key

DEMO_PASSWORD = "Demo-EduConnect-2026"
#: Every demo account: (role, e-mail, name, which schools of the demo list it runs).
DEMO_PEOPLE: list[tuple[str, str, str, slice]] = [
    ("admin", "admin@ac-demo.fr", "Camille Roux", slice(0, 0)),
    ("agent", "agent@ac-demo.fr", "Sophie Martin", slice(0, 0)),
    ("agent", "julien.agent@ac-demo.fr", "Julien Moreau", slice(0, 0)),
    ("agent", "nadia.agent@ac-demo.fr", "Nadia Benali", slice(0, 0)),
    ("directeur", "directeur@ac-demo.fr", "Pierre Lambert", slice(0, 2)),
    ("directeur", "secretariat@ac-demo.fr", "Anne Morel", slice(2, 3)),
    ("directeur", "principal@ac-demo.fr", "Luc Garnier", slice(-1, None)),
]
DEMO_LOGINS = [(role, email, DEMO_PASSWORD) for role, email, _, _ in DEMO_PEOPLE]
#: How the school accounts sign and are greeted in the demo's messages.
DIRECTOR_TITLES = {
    "directeur@ac-demo.fr": ("directeur", "Monsieur le Directeur"),
    "secretariat@ac-demo.fr": ("directrice", "Madame la Directrice"),
    "principal@ac-demo.fr": ("principal", "Monsieur le Principal"),
}
#: Open tickets are this share of their SLA target old, so that most are on time, a few
#: at risk and a handful late, as in a queue that is worked every day.
OPEN_AGE_SHARES = ((0.85, (0.02, 0.7)), (0.1, (0.75, 0.98)), (0.05, (1.05, 1.6)))


def is_empty(app: Flask) -> bool:
    upgrade(app.config["DATABASE_URL"])
    with session_scope(app.extensions["helpdesk_db"].session_factory) as session:
        return not (
            session.scalar(select(func.count()).select_from(Ticket))
            or session.scalar(select(func.count()).select_from(User))
        )


def is_demo(app: Flask) -> bool:
    """The database holds the demo: the demo mode (mail catcher) is on."""
    from helpdesk.mail import settings as mail_settings

    upgrade(app.config["DATABASE_URL"])
    with session_scope(app.extensions["helpdesk_db"].session_factory) as session:
        return mail_settings.effective(session, app.config).sandbox


def reset_demo(app: Flask) -> None:
    """Empty the demo's database, keeping its schema; any other database is left alone."""
    if not is_empty(app) and not is_demo(app):
        raise DomainError(
            "Cette base ne contient pas la démonstration (le mode démonstration est inactif) : "
            "elle n'est pas effacée."
        )
    with app.extensions["helpdesk_db"].engine.begin() as conn:
        dialect.empty_tables(conn, list(Base.metadata.sorted_tables))


def build_demo(
    app: Flask, ticket_count: int | None = None, seed: int = 2026, echo: Callable = print
) -> list[tuple[str, str, str]]:
    upgrade(app.config["DATABASE_URL"])
    factory = app.extensions["helpdesk_db"].session_factory
    rng = random.Random(seed)
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    if not is_empty(app):
        raise DomainError(
            "La base n'est pas vide : la démonstration ne s'installe que sur une base vierge."
        )
    with session_scope(factory) as session:
        schools = _schools(session, faker)
        logins, agents, directors = _users(session, schools)
        _canned_replies(session)
        # Notifications are caught and read under /courriels: a demo never mails anyone.
        session.add(MailSetting(key="sandbox", value="1"))
    echo(f"{len(schools)} écoles, {len(logins)} comptes.")
    if ticket_count is None:
        _small(app, factory, rng, faker, schools, agents, directors, echo)
        # Imported after the older requests, which came before the base did.
        _account_base(app, factory, seed, echo)
        _diagnosed(app, factory, rng, schools, echo)
    else:
        build_large(factory, rng, faker, schools, agents, ticket_count, echo)
    _articles(app, factory, echo)
    return logins


def _snapshot_folder(app: Flask) -> Path:
    return Path(app.config["INSTANCE_PATH"]) / "demo-snapshot"


def _account_base(app: Flask, factory, seed: int, echo: Callable) -> None:
    """A generated snapshot of the demo schools, imported as the account base."""
    report = accounts.load_account_base(factory, _snapshot_folder(app), utcnow(), seed)
    if not report.imported_anything:
        raise DomainError(report.summary_text(max_rejected=5))
    counts = report.files
    echo(
        f"Base des comptes : {counts['responsables.csv'].imported} responsables, "
        f"{counts['eleves.csv'].imported} élèves, {counts['comptes.csv'].imported} comptes."
    )


def _diagnosed(app: Flask, factory, rng: random.Random, schools: list[School], echo) -> None:
    """New requests from parents whose records carry an anomaly, diagnosed on arrival."""
    ctx = service_context(app)
    classifier, ctx.classifier = ctx.classifier, None
    now = utcnow()
    school_ids = {s.uai: s.id for s in schools}
    made = diagnosed = 0
    try:
        for _, data in accounts.scenario_inputs(_snapshot_folder(app), school_ids, now, rng):
            with session_scope(factory) as session:
                data.created_at = open_ticket_created(
                    session, now, data.priority, answered=False, rng=rng
                )
                ticket = services.open_ticket(session, ctx, None, data)
                session.flush()
                _spread_in_time(session, ticket, data.created_at, now, rng)
                made += 1
                diagnosed += ticket.diagnosis_summary is not None
    finally:
        ctx.classifier = classifier
    echo(f"{made} demandes récentes sur des comptes en anomalie ({diagnosed} diagnostiquées).")


def _articles(app: Flask, factory, echo: Callable) -> None:
    """The shipped FAQ articles, editable in the application from then on."""
    from helpdesk.knowledge.access import KNOWLEDGE_DIR
    from helpdesk.knowledge.articles import ArticleError
    from helpdesk.knowledge.services import import_directory

    if not KNOWLEDGE_DIR.is_dir():
        return
    try:
        # Inside the app context, the commit also updates this app's article index.
        with app.app_context(), session_scope(factory) as session:
            report = import_directory(session, KNOWLEDGE_DIR)
    except ArticleError as exc:
        echo(f"Articles de la FAQ non importés : {exc}")
        return
    echo(f"{len(report.created)} articles de la FAQ importés.")


def _schools(session: Session, faker: Faker) -> list[School]:
    schools = []
    for item in content.SCHOOLS:
        school = School(
            uai=item["uai"],
            name=item["name"],
            type=item["type"],
            commune=item["commune"],
            search_key=search_key(item["name"], item["commune"], item["uai"]),
        )
        session.add(school)
        schools.append(school)
    session.flush()
    return schools


def _users(session: Session, schools: list[School]):
    hashed = hash_password(DEMO_PASSWORD)
    agents, directors = [], []
    for role, email, name, own in DEMO_PEOPLE:
        user = User(
            email=email, display_name=name, role=role, password_hash=hashed, schools=schools[own]
        )
        session.add(user)
        if role in ("agent", "admin"):
            agents.append(user)
        else:
            directors.append(user)
    session.flush()
    return list(DEMO_LOGINS), agents, directors


def _canned_replies(session: Session) -> None:
    for motif, title, body in content.CANNED_REPLIES:
        session.add(CannedReply(title=title, motif=motif, body=body))
    bodies = {title: body for _, title, body in content.CANNED_REPLIES}
    for name, reply_title, status, motif, priority in content.MACROS:
        body = bodies[reply_title] if reply_title else None
        session.add(Macro(name=name, body=body, status=status, motif=motif, priority=priority))


def _small(app, factory, rng, faker, schools, agents, directors, echo) -> None:
    """About 300 tickets made through the services, then spread over the last weeks."""
    ctx = service_context(app)
    classifier, ctx.classifier = ctx.classifier, None
    now = utcnow()
    total = 300
    try:
        with click.progressbar(range(total), label="Demandes de démonstration") as bar:
            for i in bar:
                with session_scope(factory) as session:
                    _one_ticket(
                        session, ctx, rng, faker, schools, agents, directors, now, i, classifier
                    )
    finally:
        ctx.classifier = classifier
    echo(f"{total} demandes créées.")


def _one_ticket(
    session, ctx, rng, faker, schools, agents, directors, now, i, classifier=None
) -> None:
    motif = pick(rng, MOTIF_WEIGHTS)
    channel = (
        "portail_directeur" if motif == "notification_directeur" else pick(rng, CHANNEL_WEIGHTS)
    )
    convo = content.conversation_for(motif, faker, channel)
    school = next((s for s in schools if s.uai == convo.school.uai), rng.choice(schools))
    director = next((d for d in directors if school.id in {s.id for s in d.schools}), None)
    if channel == "portail_directeur" and director is None:
        convo = content.conversation_for(motif, faker, "email", persona=convo.persona)
        channel = "email"
    status = pick(rng, STATUS_WEIGHTS)
    priority = rng.choices(["basse", "normale", "haute", "urgente"], [10, 70, 15, 5])[0]
    agent = rng.choice(agents)
    colleague = rng.choice([a for a in agents if a is not agent] or agents)
    # Written again about the same people, signed by the demo accounts that write it.
    names = {"agent": agent.display_name, "agent2": colleague.display_name.split()[0]}
    if director is not None:
        title, greeting = DIRECTOR_TITLES.get(
            director.email, ("directeur", "Monsieur le Directeur")
        )
        names.update(directeur=director.display_name, directeur_titre=title)
        names["directeur_appel"] = greeting
    convo = content.conversation_for(motif, faker, channel, persona=convo.persona, names=names)
    if status in ("resolu", "clos"):
        created = now - timedelta(minutes=rng.randint(60 * 24, 60 * 24 * 45))
    else:
        created = open_ticket_created(session, now, priority, answered=status != "nouveau", rng=rng)
    actor = director if channel == "portail_directeur" else None
    requester_name = convo.requester_name
    if convo.requester_kind == "directeur" and director is not None:
        requester_name = director.display_name
    data = services.TicketInput(
        subject=convo.subject,
        body=convo.body,
        channel=channel,
        requester_name=actor.display_name if actor else requester_name,
        requester_email=actor.email if actor else convo.requester_email,
        requester_phone=None if actor else convo.requester_phone,
        requester_kind=convo.requester_kind,
        school_id=school.id,
        child_name=convo.child_name,
        type_demande=convo.type,
        nature=convo.nature,
        motif=convo.motif,
        created_at=created,
        priority=priority,
    )
    ticket = services.open_ticket(session, ctx, actor, data)
    if classifier is not None:
        # The demo's labels are the true ones; confidence, "À qualifier", language and second
        # problem are what the categoriser gives for the same text, by the rule of real tickets.
        prediction = classifier(convo.subject, convo.body)
        ticket.label_confidence = round(prediction.confidence, 3)
        ticket.needs_qualification = prediction.confidence < ctx.classify_threshold
        ticket.language = prediction.language
        ticket.second_motif = prediction.second_motif
    if status != "nouveau":
        services.assign(session, ctx, ticket, agent, agent)
        for reply in convo.replies:
            if reply.author_kind == "agent":
                author = agent
            elif reply.author_kind == "directeur":
                if director is None:
                    continue
                author = director
            else:
                author = actor
            services.add_message(
                session, ctx, ticket, author, reply.body, internal=reply.is_internal
            )
        if status in ("resolu", "clos") and ticket.status not in ("resolu", "clos"):
            services.change_status(session, ctx, ticket, agent, "resolu")
        if status == "clos" and ticket.status != "clos":
            services.change_status(session, ctx, ticket, agent, "clos")
        elif status in ("en_cours", "en_attente_demandeur") and ticket.status != status:
            if status in services.TRANSITIONS[ticket.status]:
                services.change_status(session, ctx, ticket, agent, status)
    session.flush()
    _spread_in_time(session, ticket, created, now, rng)


def business_moment_before(now: datetime, minutes: int, calendar: sla.BusinessCalendar) -> datetime:
    """The moment `minutes` business minutes before `now` (the inverse of adding them)."""
    low, high = now - timedelta(days=3 + minutes // 240 * 2), now
    while sla.business_minutes_between(low, now, calendar) < minutes:
        low -= timedelta(days=7)
    for _ in range(40):
        middle = low + (high - low) / 2
        if sla.business_minutes_between(middle, now, calendar) > minutes:
            low = middle
        else:
            high = middle
        if high - low < timedelta(minutes=1):
            break
    return high


def open_ticket_created(
    session: Session,
    now: datetime,
    priority: str,
    *,
    answered: bool,
    rng: random.Random,
    calendar: sla.BusinessCalendar | None = None,
) -> datetime:
    """When an open demo ticket came in: a share of the target that matters now (first
    response until answered, then resolution), counted in business time back from now."""
    first, resolution = services.sla_targets(session, priority)
    target = resolution if answered else first
    shares = [share for share, _ in OPEN_AGE_SHARES]
    low, high = rng.choices([span for _, span in OPEN_AGE_SHARES], weights=shares)[0]
    minutes = max(5, int(target * rng.uniform(low, high)))
    return business_moment_before(now, minutes, calendar or sla.BusinessCalendar())


def _spread_in_time(session: Session, ticket: Ticket, created: datetime, now: datetime, rng):
    """Messages and events made just now are moved between the creation and now."""
    span = max(60, int((now - created).total_seconds()))
    messages = session.scalars(
        select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id)
    ).all()
    offsets = sorted(rng.randint(0, span) for _ in messages)
    offsets[0] = 0
    for message, offset in zip(messages, offsets, strict=True):
        message.created_at = created + timedelta(seconds=offset)
    events = session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
    ).all()
    step = span // (len(events) + 1)
    for n, event in enumerate(events):
        event.created_at = created + timedelta(seconds=step * n)
    last = messages[-1].created_at if messages else created
    ticket.updated_at = last
    agent_replies = [m for m in messages if m.author_kind == "agent" and not m.is_internal]
    ticket.first_response_at = agent_replies[0].created_at if agent_replies else None
    if ticket.resolved_at:
        ticket.resolved_at = last
    if ticket.closed_at:
        ticket.closed_at = last
