from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from helpdesk.audit.services import record_access
from helpdesk.auth.forms import LoginForm, PasswordChangeForm
from helpdesk.auth.services import (
    AccountLocked,
    AuthenticationFailed,
    LockoutPolicy,
    change_password,
)
from helpdesk.auth.services import authenticate as check_credentials
from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError
from helpdesk.core.extensions import limiter
from helpdesk.web.filters import local_datetime

bp = Blueprint("auth", __name__)


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


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        policy = LockoutPolicy(
            current_app.config["LOGIN_MAX_FAILURES"], current_app.config["LOGIN_LOCK_MINUTES"]
        )
        try:
            user = check_credentials(session, form.email.data, form.password.data, policy)
        except AccountLocked as exc:
            session.commit()
            form.form_errors.append(
                "Compte temporairement verrouillé après plusieurs échecs. Réessayez après "
                f"le {local_datetime(exc.until)}."
            )
        except AuthenticationFailed as exc:
            session.commit()
            form.form_errors.append(str(exc))
        else:
            record_access(session, user, "login", "session")
            session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("Vous êtes déconnecté.", "info")
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
    return render_template("auth/password.html", form=form), status
