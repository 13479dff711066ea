"""Folding a duplicate ticket into another, and undoing it.

A merge moves the source's messages and attachments onto the target and closes the source.
When the two tickets come from different requesters, each requester's tracking link must keep
showing that requester's conversation only: the moved messages become internal notes on the
target (agents still read them), and the source's link keeps showing the source's own
messages instead of sending its holder to the other requester's ticket. Such a merge, and one
across schools, is only done once an agent has seen both tickets side by side and confirmed.
Every merge records what it moved and how, so that it can be undone exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helpdesk.auth.models import User
from helpdesk.core.context import ServiceContext
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError, PermissionDenied
from helpdesk.tickets.models import (
    Attachment,
    Message,
    Ticket,
    TicketMerge,
    TicketMergeItem,
)
from helpdesk.tickets.permissions import can_manage
from helpdesk.tickets.services import record_event


def same_requester(a: Ticket, b: Ticket) -> bool:
    """Whether two tickets come from the same person, as far as the tickets tell."""
    if a.requester_email or b.requester_email:
        return (a.requester_email or "").strip().lower() == (
            b.requester_email or ""
        ).strip().lower()
    if a.requester_phone and b.requester_phone:
        return "".join(filter(str.isdigit, a.requester_phone)) == "".join(
            filter(str.isdigit, b.requester_phone)
        )
    if a.created_by_id and b.created_by_id:
        return a.created_by_id == b.created_by_id
    return False


@dataclass(frozen=True)
class MergePreview:
    source: Ticket
    target: Ticket
    different_requester: bool
    different_school: bool
    #: Messages that will move, and how many of them the source's requester could read.
    moving: int
    public_moving: int

    @property
    def needs_confirmation(self) -> bool:
        return self.different_requester or self.different_school


class MergeNeedsConfirmation(DomainError):
    def __init__(self, preview: MergePreview):
        super().__init__(
            "Ces deux demandes n'ont pas le même demandeur ou la même école : "
            "confirmez la fusion après avoir comparé les deux demandes."
        )
        self.preview = preview


def preview_merge(session: Session, source: Ticket, target: Ticket) -> MergePreview:
    _check(source, target)
    messages = list(session.scalars(select(Message).where(Message.ticket_id == source.id)))
    return MergePreview(
        source=source,
        target=target,
        different_requester=not same_requester(source, target),
        different_school=(source.school_id or None) != (target.school_id or None),
        moving=len(messages),
        public_moving=sum(1 for m in messages if not m.is_internal),
    )


def _check(source: Ticket, target: Ticket) -> None:
    if source.id == target.id:
        raise DomainError("Une demande ne peut pas être fusionnée avec elle-même.")
    if source.merged_into_id is not None:
        raise DomainError(f"La demande {source.reference} a déjà été fusionnée.")
    if target.merged_into_id is not None:
        raise DomainError(f"La demande {target.reference} a elle-même été fusionnée.")


def merge(
    session: Session,
    ctx: ServiceContext,
    source: Ticket,
    target: Ticket,
    actor: User,
    confirmed: bool = False,
) -> TicketMerge:
    """Fold ``source`` into ``target``; across requesters or schools only when confirmed."""
    if not can_manage(actor, source) or not can_manage(actor, target):
        raise PermissionDenied("Seuls les agents fusionnent les demandes.")
    preview = preview_merge(session, source, target)
    if preview.needs_confirmation and not confirmed:
        raise MergeNeedsConfirmation(preview)
    now = utcnow()
    record = TicketMerge(
        source_id=source.id,
        target_id=target.id,
        actor_id=actor.id,
        actor_name=actor.display_name,
        cross_requester=preview.different_requester,
        source_status=source.status,
        created_at=now,
    )
    session.add(record)
    for message in session.scalars(select(Message).where(Message.ticket_id == source.id)):
        record.items.append(
            TicketMergeItem(message_id=message.id, was_internal=message.is_internal)
        )
        message.ticket_id = target.id
        if preview.different_requester:
            message.is_internal = True
    loose = select(Attachment).where(Attachment.ticket_id == source.id)
    for attachment in session.scalars(loose):
        if attachment.message_id is None:
            if preview.different_requester:
                continue  # a loose file of one requester never reaches the other's link
            record.items.append(TicketMergeItem(attachment_id=attachment.id))
        attachment.ticket_id = target.id
    session.expire(target, ["messages"])
    session.expire(source, ["messages"])
    source.merged_into_id = target.id
    record_event(session, source, actor, "merged_into", None, target.reference)
    record_event(session, target, actor, "merged_from", None, source.reference)
    if source.status != "clos":
        record_event(session, source, actor, "status", source.status, "clos")
        source.status = "clos"
        source.closed_at = now
    target.updated_at = now
    session.flush()
    return record


def undo_merge(session: Session, ctx: ServiceContext, record: TicketMerge, actor: User) -> None:
    """Give the source back its messages (as they were) and its status."""
    source, target = record.source, record.target
    if not can_manage(actor, source):
        raise PermissionDenied("Seuls les agents annulent une fusion.")
    if not record.is_active:
        raise DomainError("Cette fusion a déjà été annulée.")
    if target.merged_into_id is not None:
        raise DomainError(
            f"La demande {target.reference} a depuis été fusionnée à son tour : "
            "annulez d'abord cette fusion-là."
        )
    message_ids = {i.message_id: i for i in record.items if i.message_id is not None}
    attachment_ids = {i.attachment_id for i in record.items if i.attachment_id is not None}
    if message_ids:
        for message in session.scalars(select(Message).where(Message.id.in_(message_ids))):
            message.ticket_id = source.id
            message.is_internal = message_ids[message.id].was_internal
        moved_files = select(Attachment).where(Attachment.message_id.in_(message_ids))
        for attachment in session.scalars(moved_files):
            attachment.ticket_id = source.id
    if attachment_ids:
        for attachment in session.scalars(
            select(Attachment).where(Attachment.id.in_(attachment_ids))
        ):
            attachment.ticket_id = source.id
    now = utcnow()
    record.undone_at = now
    record.undone_by_name = actor.display_name
    source.merged_into_id = None
    if source.status != record.source_status:
        record_event(session, source, actor, "status", source.status, record.source_status)
        source.status = record.source_status
        source.closed_at = None if record.source_status != "clos" else source.closed_at
    record_event(session, source, actor, "merge_undone", target.reference, None)
    record_event(session, target, actor, "merge_undone", source.reference, None)
    session.expire(target, ["messages"])
    session.expire(source, ["messages"])
    source.updated_at = target.updated_at = now
    session.flush()


def merges_of(session: Session, ticket: Ticket) -> list[TicketMerge]:
    """Active merges the ticket took part in, as source or as target (for the agent's page)."""
    return list(
        session.scalars(
            select(TicketMerge)
            .options(selectinload(TicketMerge.source), selectinload(TicketMerge.target))
            .where(
                (TicketMerge.source_id == ticket.id) | (TicketMerge.target_id == ticket.id),
                TicketMerge.undone_at.is_(None),
            )
            .order_by(TicketMerge.created_at)
        )
    )


def requester_messages(session: Session, ticket: Ticket) -> list[Message] | None:
    """What the ticket's own tracking link shows when it was merged into another requester's.

    None when the link should follow the merge (same requester, or not merged). Otherwise the
    messages the requester could read before the merge, wherever they live now.
    """
    if ticket.merged_into_id is None:
        return None
    record = session.scalar(
        select(TicketMerge)
        .options(selectinload(TicketMerge.items))
        .where(TicketMerge.source_id == ticket.id, TicketMerge.undone_at.is_(None))
        .order_by(TicketMerge.id.desc())
        .limit(1)
    )
    if record is None or not record.cross_requester:
        return None
    ids = [i.message_id for i in record.items if i.message_id is not None and not i.was_internal]
    if not ids:
        return []
    return list(
        session.scalars(
            select(Message)
            .options(selectinload(Message.attachments))
            .where(Message.id.in_(ids))
            .order_by(Message.created_at, Message.id)
        )
    )
