"""What other packages' pages reuse from the ticket pages: a ticket the current user may see,
and an attachment sent safely."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, send_file
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpdesk.core.database import get_session
from helpdesk.tickets import attachments as attachment_store
from helpdesk.tickets.models import Attachment, Message, Ticket
from helpdesk.tickets.permissions import can_view


def load_ticket(reference: str) -> Ticket:
    """The ticket if the current user may see it; 404 otherwise, whatever the reason."""
    session = get_session()
    ticket = session.scalar(
        select(Ticket)
        .options(
            selectinload(Ticket.messages).selectinload(Message.attachments),
            selectinload(Ticket.school),
            selectinload(Ticket.assignee),
        )
        .where(Ticket.reference == reference)
    )
    if ticket is None or not can_view(current_user, ticket):
        abort(404)
    return ticket


def send_attachment(item: Attachment):
    path = attachment_store.path_for(Path(current_app.config["ATTACHMENT_DIR"]), item.sha256)
    if not path.exists():
        abort(404)
    inline = item.content_type in ("application/pdf", "image/png", "image/jpeg", "image/gif")
    response = send_file(
        path,
        mimetype=item.content_type,
        as_attachment=not inline,
        download_name=item.filename,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
