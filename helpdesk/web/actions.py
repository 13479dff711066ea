"""Run one change a form asked for: commit and say so, or roll back and say why not.

Refusals (:class:`DomainError`) come back as a French message flashed on the next page.
:class:`NotFound` and :class:`PermissionDenied` are not refusals of the change but of the
request: they propagate to the application's error pages (404, 403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from sqlalchemy.orm import Session

from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError, NotFound, PermissionDenied

T = TypeVar("T")


def run_action(change: Callable[[Session], T], success: str | Callable[[T], str] | None) -> bool:
    """Run ``change`` in the request's session; True when it was committed.

    ``success`` is the message flashed after the commit, or a function of what the change
    returned that writes it.
    """
    session = get_session()
    try:
        result = change(session)
    except (NotFound, PermissionDenied):
        session.rollback()
        raise
    except DomainError as exc:
        session.rollback()
        flash(str(exc), "error")
        return False
    session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return True
