"""Users: creation, sign-in with lock-out, password change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.auth.models import ROLES, User
from helpdesk.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.schools.models import School

# Verified against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = hash_password("compte-inexistant-0")


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15


class AuthenticationFailed(DomainError):
    pass


class AccountLocked(DomainError):
    def __init__(self, until: datetime):
        super().__init__("Compte temporairement verrouillé après plusieurs échecs.")
        self.until = until


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(f"Adresse électronique invalide : {email}") from exc


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    session: Session,
    email: str,
    role: str,
    password: str,
    display_name: str | None = None,
    school_uais: list[str] | tuple[str, ...] = (),
    check_strength: bool = True,
) -> User:
    if role not in ROLES:
        raise DomainError(f"Rôle inconnu : {role} (agent, directeur ou admin).")
    address = normalise_email(email)
    if find_user_by_email(session, address):
        raise DomainError(f"Un compte existe déjà pour {address}.")
    if check_strength and (problems := password_problems(password)):
        raise DomainError(" ".join(problems))
    schools = resolve_schools(session, school_uais)
    if role == "directeur" and not schools:
        raise DomainError("Un directeur doit être rattaché à au moins une école (UAI).")
    user = User(
        email=address,
        display_name=display_name or address.split("@")[0].replace(".", " ").title(),
        role=role,
        password_hash=hash_password(password),
        schools=schools,
    )
    session.add(user)
    session.flush()
    return user


def resolve_schools(session: Session, uais: list[str] | tuple[str, ...]) -> list[School]:
    wanted = [u.strip().upper() for u in uais if u.strip()]
    if not wanted:
        return []
    found = {s.uai: s for s in session.scalars(select(School).where(School.uai.in_(wanted)))}
    missing = [u for u in wanted if u not in found]
    if missing:
        raise DomainError("École inconnue : " + ", ".join(missing))
    return [found[u] for u in wanted]


def authenticate(
    session: Session, email: str, password: str, policy: LockoutPolicy | None = None
) -> User:
    """Return the user or raise; failures count towards a temporary lock-out."""
    policy = policy or LockoutPolicy()
    user = find_user_by_email(session, email)
    now = utcnow()
    if user is None or not user.is_active_account:
        verify_password(_DUMMY_HASH, password)
        raise AuthenticationFailed("Adresse électronique ou mot de passe incorrect.")
    if user.locked_until and user.locked_until > now:
        raise AccountLocked(user.locked_until)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + timedelta(minutes=policy.lock_minutes)
            user.failed_logins = 0
        session.flush()
        raise AuthenticationFailed("Adresse électronique ou mot de passe incorrect.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError("Le mot de passe actuel est incorrect.")
    if problems := password_problems(new):
        raise DomainError(" ".join(problems))
    user.password_hash = hash_password(new)
    user.session_version += 1
    session.flush()


def set_active(session: Session, user: User, active: bool) -> None:
    user.is_active_account = active
    user.session_version += 1
    session.flush()
