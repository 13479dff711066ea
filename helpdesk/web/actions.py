"""Run one change a form asked for: commit and say so, or roll back and say why not.

Refusals (:class:`DomainError`) come back as a French message: flashed on the next page, or
written onto the form (or one of its fields) that is shown again. :class:`NotFound` and
:class:`PermissionDenied` are not refusals of the change but of the request: they propagate
to the application's error pages (404, 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import flash
from sqlalchemy.orm import Session

from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError, NotFound, PermissionDenied

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """Whether the change was committed, and what it returned; true when committed."""

    done: bool
    result: T | None = None

    def __bool__(self) -> bool:
        return self.done


def run_action(
    change: Callable[[Session], T],
    success: str | Callable[[T], str] | None = None,
    *,
    form: Any = None,
    field: Any = None,
) -> Outcome[T]:
    """Run ``change`` in the request's session and commit it, or roll it back when refused.

    ``success`` is the message flashed after the commit, or a function of what the change
    returned that writes it. A refusal is written onto ``field`` when given, else onto
    ``form`` (its form-wide errors), else flashed.
    """
    session = get_session()
    try:
        result = change(session)
    except (NotFound, PermissionDenied):
        session.rollback()
        raise
    except DomainError as exc:
        session.rollback()
        if field is not None:
            field.errors = [*field.errors, str(exc)]
        elif form is not None:
            form.form_errors.append(str(exc))
        else:
            flash(str(exc), "error")
        return Outcome(False)
    session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return Outcome(True, result)
