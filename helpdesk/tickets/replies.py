"""Save a reply form's message on a ticket: errors go back onto the form, in French.

Agents, directors and requesters reply through the same service call; each page only adds
the options its author may use (an internal note, a new status).
"""

from __future__ import annotations

from flask import current_app

from helpdesk.core.runtime import service_context
from helpdesk.tickets import services
from helpdesk.tickets.attachments import uploads_from
from helpdesk.web.actions import run_action


def save_reply(ticket, actor, form, success: str | None = None, **options) -> bool:
    """Add `form.body` (and `form.files`) to the ticket and commit; False when refused, with
    the reason written under the message field."""
    return run_action(
        lambda session: services.add_message(
            session,
            service_context(current_app),
            ticket,
            actor,
            form.body.data,
            uploads=uploads_from(form.files.data),
            **options,
        ),
        success,
        field=form.body,
    ).done
