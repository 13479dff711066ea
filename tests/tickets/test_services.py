from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from helpdesk.core.errors import DomainError, PermissionDenied
from helpdesk.mail.models import OutboxMessage
from helpdesk.tickets import merging, services
from helpdesk.tickets.models import Message, TicketEvent
from helpdesk.util.tracking import read_token


def events(db_session, ticket):
    return [
        e.kind
        for e in db_session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )
    ]


def test_references_follow_each_other_within_a_year(make_ticket):
    first = make_ticket(created_at=datetime(2031, 3, 2, 9, 0, tzinfo=UTC))
    second = make_ticket(created_at=datetime(2031, 3, 2, 9, 5, tzinfo=UTC))
    other_year = make_ticket(created_at=datetime(2032, 1, 5, 9, 0, tzinfo=UTC))
    assert first.reference == "2031-000001"
    assert second.reference == "2031-000002"
    assert other_year.reference == "2032-000001"


def test_new_ticket_gets_sla_dates_in_business_hours(make_ticket):
    # Friday 17:00 Paris: one hour of the day left, normal priority = 8 business hours.
    ticket = make_ticket(created_at=datetime(2031, 3, 7, 16, 0, tzinfo=UTC))
    due = ticket.first_response_due_at.astimezone()
    assert ticket.first_response_due_at == datetime(2031, 3, 10, 15, 30, tzinfo=UTC)
    assert due > ticket.created_at


def test_opening_queues_a_receipt_with_a_working_tracking_link(db_session, make_ticket, ctx):
    ticket = make_ticket(requester_email="Parent.Test@Example.org")
    mail = db_session.scalar(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id))
    assert mail.kind == "request_received"
    assert mail.to_address == "parent.test@example.org"
    assert f"[{ticket.reference}]" in mail.subject
    token = mail.body_text.split("/suivi/")[1].split()[0]
    assert read_token(ctx.secret_key, token, 10) == (ticket.id, ticket.reference)
    assert events(db_session, ticket) == ["created"]


def test_empty_subject_is_refused(make_ticket):
    with pytest.raises(DomainError):
        make_ticket(subject="   ")


def test_motif_of_another_nature_is_refused(make_ticket):
    with pytest.raises(DomainError, match="relève de la nature"):
        make_ticket(nature="LSU", motif="activation_sms")


def test_agent_reply_answers_assigns_and_waits_for_requester(
    db_session, make_ticket, make_user, ctx
):
    agent = make_user("agent")
    ticket = make_ticket()
    services.add_message(db_session, ctx, ticket, agent, "Bonjour, vérifiez votre numéro.")
    assert ticket.first_response_at is not None
    assert ticket.assignee_id == agent.id
    assert ticket.status == "en_attente_demandeur"
    kinds = [
        m.kind
        for m in db_session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.ticket_id == ticket.id)
            .order_by(OutboxMessage.id)
        )
    ]
    assert kinds == ["request_received", "new_reply"]


def test_requester_reply_reopens_the_ticket(db_session, make_ticket, make_user, ctx):
    agent = make_user("agent")
    ticket = make_ticket()
    services.add_message(db_session, ctx, ticket, agent, "Pouvez-vous préciser ?")
    services.add_message(db_session, ctx, ticket, None, "Voici les précisions.")
    assert ticket.status == "en_cours"
    last = db_session.scalars(
        select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id.desc())
    ).first()
    assert last.author_kind == "demandeur"
    assert last.author_name == ticket.requester_name


def test_internal_note_does_not_notify_nor_count_as_response(
    db_session, make_ticket, make_user, ctx
):
    agent = make_user("agent")
    ticket = make_ticket()
    services.add_message(db_session, ctx, ticket, agent, "Vu avec la directrice.", internal=True)
    assert ticket.first_response_at is None
    assert ticket.status == "nouveau"
    count = len(
        db_session.scalars(select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id)).all()
    )
    assert count == 1


def test_requester_cannot_write_internal_notes(db_session, make_ticket, ctx):
    ticket = make_ticket()
    with pytest.raises(PermissionDenied):
        services.add_message(db_session, ctx, ticket, None, "note", internal=True)


def test_status_transitions_are_checked(db_session, make_ticket, make_user, ctx):
    agent = make_user("agent")
    ticket = make_ticket()
    services.change_status(db_session, ctx, ticket, agent, "resolu")
    assert ticket.resolved_at is not None
    services.change_status(db_session, ctx, ticket, agent, "clos")
    assert ticket.closed_at is not None
    with pytest.raises(DomainError, match="Impossible de passer"):
        services.change_status(db_session, ctx, ticket, agent, "en_attente_demandeur")
    services.change_status(db_session, ctx, ticket, agent, "en_cours")
    assert ticket.closed_at is None and ticket.resolved_at is None


def test_director_cannot_resolve(db_session, make_ticket, make_user, make_school, ctx):
    school = make_school()
    director = make_user("directeur", schools=[school])
    ticket = make_ticket(school_id=school.id)
    with pytest.raises(PermissionDenied):
        services.change_status(db_session, ctx, ticket, director, "resolu")
    services.change_status(db_session, ctx, ticket, director, "clos")
    assert ticket.status == "clos"


def test_assign_to_a_director_is_refused(db_session, make_ticket, make_user, make_school, ctx):
    agent = make_user("agent")
    director = make_user("directeur", schools=[make_school()])
    ticket = make_ticket()
    with pytest.raises(DomainError):
        services.assign(db_session, ctx, ticket, agent, director)
    other = make_user("agent")
    services.assign(db_session, ctx, ticket, agent, other)
    assert ticket.assignee_id == other.id
    assert ticket.status == "en_cours"
    notified = db_session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "agent_assigned")
    )
    assert notified.to_address == other.email


def test_relabel_records_each_change(db_session, make_ticket, make_user):
    agent = make_user("agent")
    ticket = make_ticket()
    services.relabel(
        db_session, ticket, agent, "demande_logicielle", "EDUCONNECT", "enfant_manquant"
    )
    assert ticket.motif == "enfant_manquant"
    assert events(db_session, ticket)[-2:] == ["motif", "labels_confirmed"]


def test_priority_change_moves_the_due_dates(db_session, make_ticket, make_user, ctx):
    agent = make_user("agent")
    ticket = make_ticket(created_at=datetime(2031, 3, 4, 8, 0, tzinfo=UTC))
    normal_due = ticket.resolution_due_at
    services.set_priority(db_session, ctx, ticket, agent, "urgente")
    assert ticket.resolution_due_at < normal_due


def test_merge_moves_the_conversation_and_closes_the_duplicate(
    db_session, make_ticket, make_user, ctx
):
    agent = make_user("agent")
    kept = make_ticket(subject="Code SMS")
    duplicate = make_ticket(subject="Code SMS (relance)", body="Je relance ma demande.")
    merging.merge(db_session, ctx, duplicate, kept, agent)
    bodies = [
        m.body
        for m in db_session.scalars(
            select(Message).where(Message.ticket_id == kept.id).order_by(Message.id)
        )
    ]
    assert "Je relance ma demande." in bodies
    assert duplicate.status == "clos" and duplicate.merged_into_id == kept.id
    with pytest.raises(DomainError):
        merging.merge(db_session, ctx, kept, kept, agent)


def test_new_ticket_without_labels_is_categorised(make_ticket):
    ticket = make_ticket(
        motif=None,
        subject="mon fils napparait pas",
        body="Bonjour, sur mon compte educonnect je ne vois que ma fille, mon fils n'y est pas.",
    )
    assert ticket.motif == "enfant_manquant"
    assert ticket.nature == "EDUCONNECT"
    assert 0.0 < ticket.label_confidence <= 1.0


def test_unsure_labels_land_in_the_to_qualify_view(make_ticket, ctx, monkeypatch):
    monkeypatch.setattr(ctx, "classify_threshold", 1.01)
    ticket = make_ticket(motif=None, subject="Question", body="Bonjour, une question.")
    assert ticket.needs_qualification


def test_directors_nature_is_kept_and_motif_made_consistent(make_ticket):
    ticket = make_ticket(
        motif=None,
        nature="LSU",
        subject="Livret",
        body="Les parents ne voient pas le livret scolaire du deuxième trimestre.",
    )
    assert ticket.nature == "LSU" and ticket.motif == "lsu_bilan_invisible"
