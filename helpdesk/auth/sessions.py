"""Signed-in sessions kept in the database, so that signing out holds for every worker."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from helpdesk.auth.models import LoginSession, User
from helpdesk.core.db import utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_login_session(session: Session, user: User, now: datetime | None = None) -> str:
    """Record a new session and return the token the browser's cookie will carry."""
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(id=_digest(token), user_id=user.id, created_at=now or utcnow()))
    session.flush()
    return token


def session_user(
    session: Session, user_id: int, token: str | None, lifetime: timedelta, options=()
) -> User | None:
    """The user of a live session (one query), or None when it was closed or is too old."""
    if not token:
        return None
    return session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .options(*options)
        .where(
            User.id == user_id,
            LoginSession.id == _digest(token),
            LoginSession.created_at > utcnow() - lifetime,
        )
    )


def close_login_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.id == _digest(token)))


def close_all_login_sessions(session: Session, user: User) -> int:
    """Sign the user out everywhere; returns how many sessions were open."""
    closed = session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.session_version += 1
    session.flush()
    return closed.rowcount or 0


def open_session_count(session: Session, user: User, lifetime: timedelta) -> int:
    return session.scalar(
        select(func.count())
        .select_from(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.created_at > utcnow() - lifetime)
    )


def purge_expired(session: Session, lifetime: timedelta, now: datetime | None = None) -> None:
    cutoff = (now or utcnow()) - lifetime
    session.execute(delete(LoginSession).where(LoginSession.created_at <= cutoff))
