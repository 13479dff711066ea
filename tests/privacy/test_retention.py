"""Retention rules with an injected clock (the suite runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from helpdesk.accounts.models import Account, Pupil, Responsable
from helpdesk.audit.models import AuditEntry
from helpdesk.auth.models import User
from helpdesk.core.db import utcnow
from helpdesk.core.shared import Blob
from helpdesk.deflection.models import DeflectionEvent
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.privacy import retention
from helpdesk.privacy.models import RetentionRun
from helpdesk.schools.models import School
from helpdesk.tickets import attachments as attachment_store
from helpdesk.tickets import services
from helpdesk.tickets.models import Attachment, Message, Ticket
from helpdesk.tickets.search import matching_ids
from tests.plugins.factories import AccountData

NOW = utcnow()
DAY = timedelta(days=1)


@pytest.fixture
def rules(app):
    return retention.rules_from_config(app.config)


def _close(db_session, ctx, ticket, days_ago: int) -> Ticket:
    services.change_status(db_session, ctx, ticket, None, "clos")
    ticket.closed_at = NOW - days_ago * DAY
    db_session.flush()
    return ticket


def _inbound(db_session, n: int, days_ago: int) -> InboundMessage:
    row = InboundMessage(
        sha256=f"{n:064d}",
        raw=b"From: parent@example.org\r\n\r\nBonjour",
        size=40,
        from_address="parent@example.org",
        received_at=NOW - days_ago * DAY,
    )
    db_session.add(row)
    return row


def _outbox(db_session, n: int, days_ago: int, status: str = "sent") -> OutboxMessage:
    row = OutboxMessage(
        kind="new_reply",
        to_address="parent@example.org",
        subject="Réponse",
        body_text="Bonjour",
        message_id=f"<retention-{n}-{id(db_session)}@test>",
        status=status,
        created_at=NOW - days_ago * DAY,
    )
    db_session.add(row)
    return row


def test_each_rule_removes_only_what_is_due_at_the_injected_date(
    app, db_session, ctx, make_ticket, make_user, make_school, rules
):
    factory = app.extensions["helpdesk_db"].session_factory
    upload = attachment_store.Upload("capture.png", "image/png", b"\x89PNG retention-old")
    old = _close(
        db_session,
        ctx,
        make_ticket(
            requester_name="Odile Ancienne",
            requester_email="odile.ancienne@example.org",
            body="Je m'appelle Odile Ancienne, mon fils ne reçoit rien.",
            uploads=[upload],
        ),
        days_ago=400,
    )
    assert db_session.get(Blob, hashlib.sha256(upload.data).hexdigest()) is not None
    recent = _close(db_session, ctx, make_ticket(requester_name="Rita Récente"), days_ago=100)
    still_open = make_ticket(requester_name="Oscar Ouvert")
    still_open.created_at = NOW - 800 * DAY
    for n, days in enumerate((120, 10)):
        _inbound(db_session, 9000 + n + id(db_session) % 1000 * 10, days)
    _outbox(db_session, 1, 120)
    _outbox(db_session, 2, 120, status="pending")
    _outbox(db_session, 3, 10)
    for days in (400, 10):
        moment = NOW - days * DAY
        db_session.add(
            AuditEntry(
                user_label="a@ac-test.fr", action="view", subject="ticket", created_at=moment
            )
        )
        db_session.add(
            DeflectionEvent(
                audience="parent",
                form_key=f"k{days}",
                query="code sms",
                article_slug="a",
                outcome="shown",
                created_at=moment,
            )
        )
    left = make_user("agent", is_active_account=False, display_name="Agathe Partie")
    left.last_login_at = NOW - 400 * DAY
    stayed = make_user("agent", is_active_account=False)
    stayed.last_login_at = NOW - 10 * DAY
    active = make_user("agent")
    active.last_login_at = NOW - 900 * DAY
    data = AccountData(db_session)
    gone_school = data.school()
    kept_school = data.school()
    for uai, seen_days in ((gone_school, 45), (kept_school, 1)):
        pupil = data.pupil(uai=uai)
        parent = data.responsable()
        data.link(pupil, parent)
        data.account(parent, [pupil])
        db_session.scalar(select(School).where(School.uai == uai)).last_seen_at = (
            NOW - seen_days * DAY
        )
    db_session.flush()
    statistics_before = db_session.scalar(
        select(func.count()).select_from(Ticket).where(Ticket.motif == "activation_sms")
    )

    dry = retention.run_retention(factory, rules, NOW, dry_run=True)
    expected = {
        "tickets": 1,
        "inbound_mail": 1,
        "outbox": 1,
        "audit": 1,
        "deflection": 1,
        "classifier_texts": 0,
        "staff_accounts": 1,
        "school_accounts": 1,
    }
    # The suite's other tests share the database: count what this test made.
    assert dry.counts["tickets"] >= 1 and dry.counts["staff_accounts"] >= 1
    assert db_session.get(Ticket, old.id).requester_email == "odile.ancienne@example.org"

    report = retention.run_retention(factory, rules, NOW, started_by="test")
    db_session.expire_all()
    for kind, count in expected.items():
        assert report.counts[kind] >= count, kind

    anonymised = db_session.get(Ticket, old.id)
    assert anonymised.anonymised_at is not None
    assert anonymised.requester_email is None and "Odile" not in anonymised.requester_name
    assert db_session.scalar(select(func.count()).where(Message.ticket_id == old.id)) == 0
    assert db_session.scalar(select(func.count()).where(Attachment.ticket_id == old.id)) == 0
    digest = hashlib.sha256(upload.data).hexdigest()
    assert db_session.get(Blob, digest) is None
    ids = matching_ids(db_session, "Odile Ancienne")
    assert old.id not in set(db_session.scalars(ids))
    assert db_session.get(Ticket, recent.id).requester_name == "Rita Récente"
    assert db_session.get(Ticket, still_open.id).requester_name == "Oscar Ouvert"
    # Anonymised tickets stay counted.
    assert (
        db_session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.motif == "activation_sms")
        )
        == statistics_before
    )
    statuses = set(db_session.scalars(select(OutboxMessage.status)))
    assert "pending" in statuses
    assert (
        db_session.scalar(
            select(func.count())
            .select_from(InboundMessage)
            .where(InboundMessage.received_at > NOW - 90 * DAY)
        )
        >= 1
    )
    assert (
        db_session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.created_at <= NOW - 365 * DAY)
        )
        == 0
    )
    gone = db_session.get(User, left.id)
    assert gone.email.endswith("@compte-supprime.invalid") and "Agathe" not in gone.display_name
    assert db_session.get(User, stayed.id).email == stayed.email
    assert db_session.get(User, active.id).email == active.email
    assert db_session.scalar(select(func.count()).where(Pupil.uai == gone_school)) == 0
    assert db_session.scalar(select(func.count()).where(Pupil.uai == kept_school)) == 1
    assert db_session.scalar(select(func.count()).select_from(Responsable)) >= 1
    assert db_session.scalar(select(func.count()).select_from(Account)) >= 1
    run = db_session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc())).first()
    assert run.started_by == "test" and run.counts["tickets"] >= 1

    again = retention.run_retention(factory, rules, NOW)
    assert again.total == 0


def test_a_rule_set_to_zero_days_keeps_everything(app, db_session, ctx, make_ticket):
    factory = app.extensions["helpdesk_db"].session_factory
    ticket = _close(db_session, ctx, make_ticket(requester_name="Gardée Toujours"), 4000)
    config = dict(app.config)
    config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], "tickets": 0}
    rules = retention.rules_from_config(config)

    report = retention.run_retention(factory, rules, NOW)

    assert "tickets" not in report.counts
    db_session.expire_all()
    assert db_session.get(Ticket, ticket.id).requester_name == "Gardée Toujours"


def test_the_clock_decides_a_ticket_closed_a_year_ago_is_kept_one_day_more(
    app, db_session, ctx, make_ticket, rules
):
    factory = app.extensions["helpdesk_db"].session_factory
    ticket = _close(db_session, ctx, make_ticket(requester_name="Juste Limite"), 0)

    retention.run_retention(factory, rules, NOW + 364 * DAY)
    db_session.expire_all()
    assert db_session.get(Ticket, ticket.id).requester_name == "Juste Limite"

    retention.run_retention(factory, rules, NOW + 366 * DAY)
    db_session.expire_all()
    assert db_session.get(Ticket, ticket.id).anonymised_at is not None
