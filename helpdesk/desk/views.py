"""Saved views: a name on a set of queue filters, the agent's own or shared by an admin."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from helpdesk.auth.models import User
from helpdesk.core.errors import DomainError, NotFound, PermissionDenied
from helpdesk.desk.models import SavedView
from helpdesk.tickets.queries import QueueFilters, count_matching

#: Views an agent may keep; the queue counts each of them.
MAX_OWN_VIEWS = 20
MAX_NAME = 80


def filters_of(view: SavedView) -> QueueFilters:
    return QueueFilters.from_args(MultiDict(parse_qsl(view.query)))


def normalise_query(query: str) -> str:
    """The filters of a query string as the queue reads them, without the page number."""
    return QueueFilters.from_args(MultiDict(parse_qsl(query.lstrip("?")[:2000]))).query_string()


def views_for(session: Session, user: User) -> list[SavedView]:
    """The user's own views, then those admins shared, each group by name."""
    return list(
        session.scalars(
            select(SavedView)
            .where(or_(SavedView.owner_id == user.id, SavedView.is_shared.is_(True)))
            .order_by(SavedView.is_shared, func.lower(SavedView.name), SavedView.id)
        )
    )


def save_view(
    session: Session, owner: User, name: str, query: str, shared: bool = False
) -> SavedView:
    """Create a view, or replace the filters of the owner's view of that name."""
    if not owner.is_staff:
        raise PermissionDenied("Seuls les agents enregistrent des vues.")
    name = " ".join((name or "").split())[:MAX_NAME]
    if not name:
        raise DomainError("Donnez un nom à la vue.")
    if shared and not owner.is_admin:
        raise PermissionDenied("Seuls les administrateurs partagent des vues.")
    normalised = normalise_query(query or "")
    view = session.scalar(
        select(SavedView).where(SavedView.owner_id == owner.id, SavedView.name == name)
    )
    if view is None:
        own = session.scalar(
            select(func.count()).select_from(SavedView).where(SavedView.owner_id == owner.id)
        )
        if own >= MAX_OWN_VIEWS:
            raise DomainError(f"{MAX_OWN_VIEWS} vues au plus : supprimez-en une d'abord.")
        view = SavedView(owner_id=owner.id, name=name, query=normalised, is_shared=shared)
        session.add(view)
    else:
        view.query = normalised
        view.is_shared = shared
    session.flush()
    return view


def _editable(session: Session, user: User, view_id: int) -> SavedView:
    view = session.get(SavedView, view_id)
    if view is None or not (view.owner_id == user.id or (view.is_shared and user.is_admin)):
        raise NotFound("Vue introuvable.")
    return view


def delete_view(session: Session, user: User, view_id: int) -> str:
    view = _editable(session, user, view_id)
    name = view.name
    session.delete(view)
    session.flush()
    return name


def set_shared(session: Session, user: User, view_id: int, shared: bool) -> SavedView:
    if not user.is_admin:
        raise PermissionDenied("Seuls les administrateurs partagent des vues.")
    view = _editable(session, user, view_id)
    view.is_shared = shared
    session.flush()
    return view


def view_counts(
    session: Session, views: list[SavedView], user: User, now: datetime
) -> dict[int, int]:
    """How many tickets each view shows now (one count per view, as the queue counts)."""
    return {view.id: count_matching(session, filters_of(view), user, now) for view in views}
