"""The satisfaction page, reached from the "resolved" e-mail through the tracking link."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for

from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError
from helpdesk.core.extensions import limiter
from helpdesk.satisfaction.forms import SatisfactionForm
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.satisfaction.services import rate_ticket
from helpdesk.tickets.models import Ticket
from helpdesk.util.tracking import InvalidTrackingLink, read_token

bp = Blueprint("satisfaction", __name__)


def _ticket(token: str) -> Ticket:
    try:
        ticket_id, reference = read_token(
            current_app.config["SECRET_KEY"], token, current_app.config["TRACKING_LINK_DAYS"]
        )
    except InvalidTrackingLink as exc:
        abort(410 if exc.expired else 404)
    ticket = get_session().get(Ticket, ticket_id)
    if ticket is None or ticket.reference != reference:
        abort(404)
    return ticket


@bp.route("/suivi/<token>/avis", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CONTACT"], methods=["POST"])
def rate(token: str):
    session = get_session()
    ticket = _ticket(token)
    existing = session.get(SatisfactionRating, ticket.id)
    form = SatisfactionForm(
        data={"rating": str(existing.rating), "comment": existing.comment} if existing else None
    )
    if form.validate_on_submit():
        try:
            rate_ticket(session, ticket, int(form.rating.data), form.comment.data)
        except DomainError as exc:
            session.rollback()
            form.form_errors.append(str(exc))
        else:
            session.commit()
            flash("Merci : votre avis a été enregistré.", "success")
            return redirect(url_for("satisfaction.rate", token=token))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "satisfaction/rate.html", ticket=ticket, form=form, token=token, existing=existing
    ), status
