"""Save a reply form's message on a ticket: errors go back onto the form, in French."""

from __future__ import annotations

from flask import current_app

from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.tickets import services
from helpdesk.web.uploads import uploads_from


def save_reply(ticket, actor, form, **options) -> bool:
    """Add `form.body` (and `form.files`) to the ticket and commit; False when refused."""
    session = get_session()
    try:
        services.add_message(
            session,
            service_context(current_app),
            ticket,
            actor,
            form.body.data,
            uploads=uploads_from(form.files.data),
            **options,
        )
    except DomainError as exc:
        session.rollback()
        form.body.errors = [*form.body.errors, str(exc)]
        return False
    session.commit()
    return True
