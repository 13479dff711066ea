"""Users: creation, sign-in with growing delays, password change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.auth import throttle
from helpdesk.auth.models import ROLES, User
from helpdesk.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from helpdesk.auth.throttle import ThrottlePolicy
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.schools.models import School
from helpdesk.util.text import single_line

# Verified against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = hash_password("compte-inexistant-0")


#: One answer for every refusal (unknown address, wrong password, attempt delayed, account
#: disabled), so that the page never tells whether an account exists.
SIGN_IN_REFUSED = (
    "Adresse électronique ou mot de passe incorrect, ou trop d'essais rapprochés. "
    "Vérifiez votre saisie et réessayez dans quelques instants."
)


class SignInRefused(DomainError):
    def __init__(self, user: User | None, reason: str):
        super().__init__(SIGN_IN_REFUSED)
        #: The account the address names (None when unknown), for the access journal.
        self.user = user
        #: 'adresse_inconnue', 'mot_de_passe', 'compte_desactive' or 'essai_retarde'.
        self.reason = reason


@dataclass(frozen=True)
class SignInAttempt:
    email: str
    password: str
    #: The client's IP address as the proxy reports it.
    client: str
    #: The account a device cookie of this browser was issued for, with its nonce.
    device_user_id: int | None = None
    device_nonce: str | None = None


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(f"Adresse électronique invalide : {email}") from exc


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def save_user(
    session: Session,
    user: User | None,
    *,
    email: str,
    role: str,
    schools: list[School],
    password: str | None,
    display_name: str | None = None,
    is_active: bool = True,
) -> User:
    """Create an account (`user` is None) or change one: the rules and French messages of
    both the `helpdesk user create` command and the admin pages.

    A display name left out (None) is made from the address; one given must not be blank.
    A changed password, role or activity signs the account out of its other sessions.
    """
    if role not in ROLES:
        raise DomainError(f"Rôle inconnu : {role}.")
    address = normalise_email(email)
    if display_name is None:
        display_name = address.split("@")[0].replace(".", " ").title()
    display_name = single_line(display_name)
    if not display_name:
        raise DomainError("Indiquez le nom affiché.")
    existing = find_user_by_email(session, address)
    if existing is not None and existing is not user:
        raise DomainError(f"Un compte existe déjà pour {address}.")
    if role == "directeur" and not schools:
        raise DomainError("Rattachez le directeur à au moins une école.")
    if user is None:
        if not password:
            raise DomainError("Indiquez un mot de passe initial.")
        user = User(email=address, display_name=display_name, role=role, password_hash="")
        session.add(user)
    if password:
        if problems := password_problems(password):
            raise DomainError(" ".join(problems))
        user.password_hash = hash_password(password)
        if user.id:
            user.session_version += 1
    if user.id and (user.role != role or user.is_active_account != is_active):
        user.session_version += 1
    user.email = address
    user.display_name = display_name
    user.role = role
    user.schools = schools if role == "directeur" else []
    user.is_active_account = is_active
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
    session: Session,
    attempt: SignInAttempt,
    secret: str,
    policy: ThrottlePolicy | None = None,
    now: datetime | None = None,
) -> User:
    """Return the user or raise SignInRefused; every path checks one password hash.

    The address is counted under the browser's device key when the browser signed in to that
    account before, under the address otherwise; the client is counted in both cases.
    """
    policy = policy or ThrottlePolicy()
    now = now or utcnow()
    user = find_user_by_email(session, attempt.email)
    address = attempt.email.strip().lower()
    if user is not None and attempt.device_nonce and attempt.device_user_id == user.id:
        own_key = throttle.throttle_key(secret, "appareil", attempt.device_nonce)
    else:
        own_key = throttle.throttle_key(secret, "adresse", address)
    client_key = throttle.throttle_key(secret, "client", attempt.client)
    keys = {own_key: policy.address, client_key: policy.client}
    delayed = throttle.wait_time(session, keys, now, policy.forget_after) > timedelta(0)
    usable = user is not None and user.is_active_account
    password_ok = verify_password(user.password_hash if usable else _DUMMY_HASH, attempt.password)
    if delayed:
        raise SignInRefused(user, "essai_retarde")
    if not (usable and password_ok):
        throttle.record_failure(session, list(keys), now, policy.forget_after)
        reason = (
            "adresse_inconnue"
            if user is None
            else "compte_desactive"
            if not usable
            else "mot_de_passe"
        )
        raise SignInRefused(user, reason)
    throttle.clear(session, [own_key])
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(attempt.password)
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
