"""RGPD requests: legal deadline, extension, identity, DPD hand-off and answer, register."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError, PermissionDenied
from helpdesk.mail.models import OutboxMessage
from helpdesk.mail.settings import effective
from helpdesk.privacy import requests as rgpd
from helpdesk.privacy.models import RgpdRequest
from helpdesk.tickets import services
from helpdesk.tickets.jobs import run_periodic
from helpdesk.tickets.models import Message
from tests.plugins.database import aware


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (aware(2026, 1, 15, 9), aware(2026, 2, 15, 9)),
        (aware(2026, 1, 31, 9), aware(2026, 2, 28, 9)),
        (aware(2028, 1, 31, 9), aware(2028, 2, 29, 9)),
        (aware(2026, 12, 5, 9), aware(2027, 1, 5, 9)),
    ],
)
def test_the_legal_deadline_is_one_calendar_month_after_receipt(received, due):
    assert rgpd.legal_deadline(received) == due


@pytest.fixture
def rgpd_ticket(make_ticket):
    return make_ticket(
        subject="Je veux accéder à mes données",
        body="Bonjour, je souhaite recevoir une copie des données que vous détenez sur moi.",
        requester_name="Lucie Droits",
        requester_email="lucie.droits@example.org",
        motif="rgpd_droits",
        nature="RGPD",
        type_demande="demande_conseil",
    )


def test_a_request_records_its_right_and_deadline_and_can_be_extended_once(
    db_session, ctx, make_user, rgpd_ticket
):
    agent = make_user("agent")
    received = utcnow() - timedelta(days=3)
    request = rgpd.open_request(db_session, rgpd_ticket, agent, "acces", received)
    assert request.due_at == rgpd.add_months(received, 1)

    with pytest.raises(DomainError):
        rgpd.extend(db_session, ctx, rgpd_ticket, request, agent, "trop court")
    notice = (
        "Votre demande porte sur plusieurs années d'échanges : "
        "nous avons besoin de deux mois de plus."
    )
    rgpd.extend(db_session, ctx, rgpd_ticket, request, agent, notice)

    assert request.due_at == rgpd.add_months(received, 3)
    assert request.extension_notice == notice and request.extended_at is not None
    sent = db_session.scalars(select(Message).where(Message.ticket_id == rgpd_ticket.id)).all()
    assert any(m.body == notice and not m.is_internal for m in sent)
    assert db_session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.ticket_id == rgpd_ticket.id,
            OutboxMessage.to_address == "lucie.droits@example.org",
            OutboxMessage.body_text.contains("deux mois de plus"),
        )
    )
    with pytest.raises(DomainError, match="une fois"):
        rgpd.extend(db_session, ctx, rgpd_ticket, request, agent, notice)


def test_an_extension_after_the_first_month_is_refused(db_session, ctx, make_user, rgpd_ticket):
    agent = make_user("agent")
    request = rgpd.open_request(db_session, rgpd_ticket, agent, "effacement", None)
    with pytest.raises(DomainError, match="dépassé"):
        rgpd.extend(
            db_session,
            ctx,
            rgpd_ticket,
            request,
            agent,
            "Nous avons besoin de plus de temps pour rassembler vos données.",
            now=request.due_at + timedelta(hours=1),
        )


def test_only_rgpd_tickets_open_a_request_and_only_once(
    db_session, make_user, make_ticket, rgpd_ticket
):
    agent = make_user("agent")
    with pytest.raises(DomainError):
        rgpd.open_request(db_session, make_ticket(), agent, "acces", None)
    with pytest.raises(DomainError):
        rgpd.open_request(db_session, rgpd_ticket, agent, "droit_inconnu", None)
    with pytest.raises(PermissionDenied):
        rgpd.open_request(db_session, rgpd_ticket, make_user("dpd"), "acces", None)
    rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)
    with pytest.raises(DomainError):
        rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)


def test_a_request_waiting_for_identity_never_closes_itself(
    app, db_session, ctx, make_user, rgpd_ticket, make_ticket
):
    agent = make_user("agent")
    request = rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)
    rgpd.set_identity(db_session, rgpd_ticket, request, agent, "demandee")
    other = make_ticket(requester_name="Paul Attente")
    for ticket in (rgpd_ticket, other):
        services.change_status(db_session, ctx, ticket, agent, "en_attente_demandeur")
    settings = effective(db_session, app.config)

    run_periodic(db_session, ctx, settings, now=utcnow() + timedelta(days=60))

    assert rgpd_ticket.status == "en_attente_demandeur"
    assert other.status == "clos"

    rgpd.set_identity(db_session, rgpd_ticket, request, agent, "verifiee")
    run_periodic(db_session, ctx, settings, now=utcnow() + timedelta(days=60))
    assert rgpd_ticket.status == "clos"


def test_the_dpd_receives_the_hand_off_and_records_the_answer(
    db_session, ctx, make_user, rgpd_ticket
):
    agent, dpd, other_dpd = make_user("agent"), make_user("dpd"), make_user("dpd")
    request = rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)
    with pytest.raises(DomainError):
        rgpd.hand_to_dpd(db_session, ctx, rgpd_ticket, request, agent, agent, "Copie des échanges")
    rgpd.hand_to_dpd(db_session, ctx, rgpd_ticket, request, agent, dpd, "Copie des échanges")
    assert request.dpd_id == dpd.id and request.handed_at is not None
    assert request.handed_summary == "Copie des échanges"
    told = db_session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.to_address == dpd.email, OutboxMessage.kind == "dpd_handoff"
        )
    ).one()
    assert rgpd_ticket.reference in told.subject and "/rgpd/registre" in told.body_text
    assert "Lucie" not in told.body_text and "Copie des échanges" not in told.body_text

    with pytest.raises(PermissionDenied):
        rgpd.record_answer(db_session, rgpd_ticket, request, other_dpd, "Réponse")
    rgpd.record_answer(db_session, rgpd_ticket, request, dpd, "Copie envoyée par courrier.")
    assert request.answer == "Copie envoyée par courrier." and request.answered_at is not None

    mine = db_session.execute(rgpd.register_query(dpd, rgpd.RegisterFilter())).all()
    theirs = db_session.execute(rgpd.register_query(other_dpd, rgpd.RegisterFilter())).all()
    assert [r.id for r, _ in mine] == [request.id] and theirs == []


def test_the_register_filters_and_exports_without_the_requests_content(
    db_session, make_user, rgpd_ticket, make_ticket
):
    agent = make_user("agent")
    late_ticket = make_ticket(motif="rgpd_droits", nature="RGPD", requester_name="Tom Retard")
    late = rgpd.open_request(
        db_session, late_ticket, agent, "effacement", utcnow() - timedelta(days=40)
    )
    current = rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)

    def ids(**filters):
        rows = db_session.execute(rgpd.register_query(agent, rgpd.RegisterFilter(**filters)))
        return {r.id for r, _ in rows} & {late.id, current.id}

    assert ids(state="en_retard") == {late.id}
    assert ids(state="en_cours") == {current.id}
    assert ids(right="acces") == {current.id}
    rows = db_session.execute(rgpd.register_query(agent, rgpd.RegisterFilter())).all()
    exported = list(csv.reader(io.StringIO(rgpd.register_csv(rows)), delimiter=";"))
    assert exported[0][0] == "reference"
    assert [late_ticket.reference, "Effacement"] in [row[:2] for row in exported]
    assert "Tom Retard" not in rgpd.register_csv(rows)


def test_the_queue_deadline_counts_from_arrival_until_the_request_is_recorded(
    db_session, make_user, rgpd_ticket, make_ticket
):
    plain = make_ticket()
    deadlines = rgpd.deadlines(db_session, [rgpd_ticket.id, plain.id])
    assert deadlines == {rgpd_ticket.id: rgpd.legal_deadline(rgpd_ticket.created_at)}
    request = rgpd.open_request(
        db_session, rgpd_ticket, make_user("agent"), "acces", utcnow() - timedelta(days=10)
    )
    assert rgpd.deadlines(db_session, [rgpd_ticket.id]) == {rgpd_ticket.id: request.due_at}
    assert db_session.get(RgpdRequest, request.id).identity_state == "non_requise"
