"""What other packages' pages reuse from the ticket pages: a ticket the current user may see,
the ticket page itself (the desk's forms show it again with their errors), the staff to
assign to, and an attachment sent safely."""

from __future__ import annotations

import io

from flask import abort, current_app, request, send_file
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpdesk.auth.models import User
from helpdesk.core.database import get_session
from helpdesk.core.db import utcnow
from helpdesk.tickets import activity, merging
from helpdesk.tickets import attachments as attachment_store
from helpdesk.tickets.canned import PLACEHOLDERS, canned_replies_for
from helpdesk.tickets.forms import MergeForm, ReplyForm, update_form_for
from helpdesk.tickets.intake import intake_of
from helpdesk.tickets.models import Attachment, Message, Ticket, TicketEvent
from helpdesk.tickets.panels import panels_context
from helpdesk.tickets.permissions import can_view
from helpdesk.util.frenchdates import PARIS
from helpdesk.util.params import parse_id
from helpdesk.web.audit import audit_view
from helpdesk.web.htmx import render_page
from helpdesk.web.links import article_citation


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


def _stored_content(item: Attachment) -> bytes:
    """The attachment's bytes from the shared store (bounded by MAX_ATTACHMENT_BYTES)."""
    data = attachment_store.content(get_session(), item.sha256)
    if data is None:
        abort(404)
    return data


def send_attachment(item: Attachment):
    """The file as a download, never rendered by the browser (previews have their own route)."""
    response = send_file(
        io.BytesIO(_stored_content(item)),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.filename,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


#: An image preview: nothing in it may run, load or be framed elsewhere.
IMAGE_PREVIEW_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
#: Chromium's PDF viewer refuses to run in a sandboxed document (and Firefox's keeps scripts
#: of the file off): the PDF gets everything but the sandbox, and opens in its own tab.
PDF_PREVIEW_CSP = "default-src 'none'; frame-ancestors 'none'; form-action 'none'"


def _sniffed_kind(item: Attachment) -> str | None:
    head = attachment_store.read_head(get_session(), item.sha256)
    if head is None:
        return None
    return attachment_store.preview_kind(attachment_store.sniff_preview_type(head) or "")


def preview_kind_of(item: Attachment) -> str | None:
    """'image', 'pdf' or None: what the page offers for this attachment, once its first
    bytes agree with the type it was stored with (a page posing as an image gets no
    thumbnail, only its download link)."""
    kind = attachment_store.preview_kind(item.content_type)
    if kind is None:
        return None
    return kind if _sniffed_kind(item) == kind else None


def send_preview(item: Attachment):
    """An image or a PDF shown by the browser, with the type its own bytes prove.

    404 for anything else (SVG, HTML, office files) or when the bytes contradict the type
    the attachment was stored with: those files are only ever downloaded.
    """
    kind = attachment_store.preview_kind(item.content_type)
    data = _stored_content(item)
    sniffed = attachment_store.sniff_preview_type(data[: attachment_store.SNIFF_BYTES])
    if kind is None or sniffed is None or attachment_store.preview_kind(sniffed) != kind:
        abort(404)
    response = send_file(
        io.BytesIO(data),
        mimetype=sniffed,
        as_attachment=False,
        download_name=item.filename,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = (
        PDF_PREVIEW_CSP if kind == "pdf" else IMAGE_PREVIEW_CSP
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def staff_users(session) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.role.in_(("agent", "admin")), User.is_active_account.is_(True))
            .order_by(User.display_name)
        )
    )


def ticket_forms(session, ticket: Ticket) -> dict:
    """The page's forms; status, assignee, priority and labels share the desk's update form."""
    return dict(
        reply_form=ReplyForm(prefix="reply"),
        update_form=update_form_for(ticket, staff_users(session)),
        merge_form=MergeForm(prefix="merge"),
    )


def render_ticket(ticket: Ticket, collision=None, **overrides):
    """The ticket page; `collision` lists messages that arrived while a reply was written."""
    session = get_session()
    history = list(
        session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.created_at, TicketEvent.id)
        )
    )
    audit_view("ticket", ticket.reference, ticket.id)
    forms = ticket_forms(session, ticket)
    canned = canned_replies_for(session, ticket, utcnow().astimezone(PARIS).date())
    panels = panels_context("ticket", session, ticket)
    if "reply_form" not in overrides:
        _prefill_reply(forms["reply_form"], canned, panels.get("articles", []))
    forms.update(overrides)
    # What the page shows: a reply sent from it is checked against newer messages.
    message_mark = activity.latest_message_id(ticket)
    status = 422 if any(f.errors for f in overrides.values()) else 200
    if collision:
        status = 409
    page = render_page(
        "tickets/show.html",
        "tickets/show.html",
        ticket=ticket,
        history=history,
        merges=merging.merges_of(session, ticket),
        now=utcnow(),
        canned=canned,
        placeholders=PLACEHOLDERS,
        intake=intake_of(session, ticket.id),
        message_mark=message_mark,
        event_mark=activity.latest_event_id(session, ticket),
        poll_seconds=current_app.config.get("PRESENCE_POLL_SECONDS", 10),
        collision=collision or [],
        **panels,
        **forms,
    )
    return page, status


def _prefill_reply(form: ReplyForm, canned, articles) -> None:
    """Without JavaScript, the reply box starts with the canned reply or article link picked."""
    reply_id = parse_id(request.args.get("reponse_type"), "reponse_type")
    slug = request.args.get("article")
    if reply_id is not None:
        form.body.data = next((c.text for c in canned if c.id == reply_id), None)
    elif slug:
        hit = next((a for a in articles if a.slug == slug), None)
        form.body.data = article_citation(hit.title, hit.slug) if hit else None
