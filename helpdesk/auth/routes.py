import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from helpdesk.audit.services import record_access
from helpdesk.auth.forms import LoginForm, PasswordChangeForm
from helpdesk.auth.services import SignInAttempt, SignInRefused, change_password
from helpdesk.auth.services import authenticate as check_credentials
from helpdesk.auth.sessions import (
    close_all_login_sessions,
    close_login_session,
    open_login_session,
    open_session_count,
    purge_expired,
)
from helpdesk.auth.throttle import ThrottlePolicy, ThrottleRule
from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError
from helpdesk.core.extensions import limiter

bp = Blueprint("auth", __name__)

#: The session cookie's key holding the server-side session token.
SESSION_TOKEN = "sid"
DEVICE_COOKIE = "helpdesk_appareil"
DEVICE_SALT = "helpdesk.device.v1"
DEVICE_DAYS = 180
#: Why a sign-in was refused, as the access journal shows it.
REFUSAL_REASONS = {
    "adresse_inconnue": "adresse inconnue",
    "mot_de_passe": "mot de passe incorrect",
    "compte_desactive": "compte désactivé",
    "essai_retarde": "essai trop rapproché (retardé)",
}


def home_for(user) -> str:
    if user.is_director:
        return url_for("portal.index")
    if user.role == "dpd":
        return url_for("privacy.register")
    return url_for("tickets.home")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


def session_lifetime() -> timedelta:
    return timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])


def _throttle_policy() -> ThrottlePolicy:
    config = current_app.config
    first = config["LOGIN_FIRST_DELAY_SECONDS"]
    return ThrottlePolicy(
        address=ThrottleRule(
            config["LOGIN_FREE_FAILURES"], first, config["LOGIN_MAX_DELAY_SECONDS"]
        ),
        client=ThrottleRule(
            config["LOGIN_CLIENT_FREE_FAILURES"], first, config["LOGIN_CLIENT_MAX_DELAY_SECONDS"]
        ),
    )


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def _device() -> tuple[int | None, str | None]:
    """The account and nonce of this browser's device cookie, if it carries a valid one."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return None, None
    try:
        data = _device_serializer().loads(value, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None, None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None, None
    return data["u"], str(data.get("n", ""))


def _remember_device(response, user) -> None:
    user_id, nonce = _device()
    if user_id != user.id or not nonce:
        nonce = secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps({"u": user.id, "n": nonce}),
        max_age=DEVICE_DAYS * 86400,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        device_user_id, nonce = _device()
        attempt = SignInAttempt(
            form.email.data, form.password.data, request.remote_addr or "", device_user_id, nonce
        )
        try:
            user = check_credentials(
                session, attempt, current_app.config["SECRET_KEY"], _throttle_policy()
            )
        except SignInRefused as exc:
            detail = REFUSAL_REASONS[exc.reason]
            record_access(session, exc.user, "login_failed", "session", detail=detail)
            session.commit()
            form.form_errors.append(str(exc))
        else:
            record_access(session, user, "login", "session")
            purge_expired(session, session_lifetime())
            token = open_login_session(session, user)
            session.commit()
            login_user(user)
            cookie[SESSION_TOKEN] = token
            response = redirect(_safe_next(request.args.get("next")) or home_for(user))
            _remember_device(response, user)
            return response
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    session = get_session()
    close_login_session(session, cookie.pop(SESSION_TOKEN, None))
    session.commit()
    logout_user()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/deconnexion-partout", methods=["POST"])
@login_required
def logout_everywhere():
    session = get_session()
    closed = close_all_login_sessions(session, current_user._get_current_object())
    session.commit()
    cookie.pop(SESSION_TOKEN, None)
    logout_user()
    flash(
        f"Vous êtes déconnecté partout : {closed} session(s) fermée(s) sur ce poste et ailleurs.",
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        session = get_session()
        user = current_user._get_current_object()
        try:
            change_password(session, user, form.current.data, form.new.data)
        except DomainError as exc:
            form.form_errors.append(str(exc))
        else:
            session.commit()
            login_user(user)
            flash("Votre mot de passe a été changé.", "success")
            return redirect(home_for(current_user))
    status = 422 if form.errors or form.form_errors else 200
    sessions = open_session_count(get_session(), current_user, session_lifetime())
    return render_template("auth/password.html", form=form, open_sessions=sessions), status
