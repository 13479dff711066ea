from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as cookie,
)
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpdesk.core.database import get_session
from helpdesk.core.extensions import limiter
from helpdesk.core.runtime import service_context
from helpdesk.mail.outbound.tracking_links import resend_tracking_links
from helpdesk.public.forms import (
    WORDINGS,
    ContactForm,
    NotSolvedForm,
    TrackingLinkRequestForm,
    TrackingReplyForm,
    apply_wording,
)
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.schools.models import School
from helpdesk.schools.queries import search_schools
from helpdesk.tickets import followup, services
from helpdesk.tickets.attachments import uploads_from
from helpdesk.tickets.merging import requester_messages
from helpdesk.tickets.models import Attachment, Message, Ticket
from helpdesk.tickets.replies import save_reply
from helpdesk.util.params import parse_id
from helpdesk.util.tracking import InvalidTrackingLink, read_token
from helpdesk.web.actions import run_action
from helpdesk.web.audit import audit_view

bp = Blueprint("public", __name__)


def _contact_email_key() -> str:
    return "contact:" + (request.form.get("email") or "").strip().lower()


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CONTACT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_CONTACT"], methods=["POST"], key_func=_contact_email_key
)
def contact():
    form = ContactForm()
    if not form.is_submitted() and request.args.get("vous") in ("parent", "eleve"):
        form.requester_kind.data = request.args["vous"]
    wording = apply_wording(form, form.requester_kind.data)
    session = get_session()
    school = None
    school_choices: list[School] = []
    if form.is_submitted():
        school, school_choices = _resolve_school(session, form)
    if form.validate_on_submit() and not school_choices:
        if form.website.data:
            return redirect(url_for("public.contact_sent"))
        data = services.TicketInput(
            subject=form.subject.data,
            body=form.message.data,
            channel="formulaire_contact",
            requester_name=f"{form.first_name.data.strip()} {form.last_name.data.strip()}",
            requester_email=form.email.data,
            requester_phone=form.phone.data,
            requester_kind=form.requester_kind.data,
            school_id=school.id if school else None,
            child_name=form.child_first_name.data if wording == "parent" else None,
            uploads=uploads_from(form.files.data),
            intake=form.intake_details(),
        )
        opened = run_action(
            lambda session: services.open_ticket(session, service_context(current_app), None, data),
            form=form,
        )
        if opened.result is not None:
            cookie["contact_ticket"] = opened.result.reference
            return redirect(url_for("public.contact_sent"))
    status = 422 if (form.errors or form.form_errors or school_choices) else 200
    return render_template(
        "public/contact.html",
        form=form,
        school=school,
        school_choices=school_choices,
        wording=wording,
        wordings=WORDINGS,
    ), status


def _resolve_school(session, form: ContactForm) -> tuple[School | None, list[School]]:
    """The school picked in the list, or the only one matching what was typed."""
    picked = parse_id(request.form.get("school_choice") or form.school_id.data, "school_id")
    if picked is not None:
        school = session.get(School, picked)
        if school is not None:
            form.school_id.data = str(school.id)
            return school, []
    query = (form.school_query.data or "").strip()
    if not query:
        return None, []
    found = search_schools(session, query, limit=6)
    if len(found) == 1:
        form.school_id.data = str(found[0].id)
        return found[0], []
    if not found:
        form.school_query.errors = [
            *form.school_query.errors,
            "Aucune école ne correspond : vérifiez le nom ou la commune, ou laissez vide.",
        ]
        return None, []
    return None, found


@bp.route("/contact/ecoles")
def school_suggestions():
    query = request.args.get("school_query", "")
    schools = search_schools(get_session(), query) if len(query.strip()) >= 2 else []
    return render_template("public/_school_options.html", schools=schools, query=query)


@bp.route("/contact/envoye")
def contact_sent():
    """The reference only: the tracking link goes to the requester's address, never here."""
    reference = cookie.get("contact_ticket")
    return render_template(
        "public/contact_sent.html", reference=reference if isinstance(reference, str) else None
    )


def _tracking_link_email_key() -> str:
    return "lien-de-suivi:" + (request.form.get("email") or "").strip().lower()


@bp.route("/lien-de-suivi", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_TRACKING_LINKS"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_TRACKING_LINKS"],
    methods=["POST"],
    key_func=_tracking_link_email_key,
)
def tracking_link():
    """Ask for the tracking links again; the answer is the same whether any exist or not."""
    form = TrackingLinkRequestForm()
    if form.validate_on_submit():
        session = get_session()
        resend_tracking_links(session, service_context(current_app), form.email.data)
        session.commit()
        return render_template("public/tracking_link.html", form=None, sent=True)
    status = 422 if form.errors else 200
    return render_template("public/tracking_link.html", form=form, sent=False), status


def _ticket_from_token(token: str) -> Ticket:
    try:
        ticket_id, reference = read_token(
            current_app.config["SECRET_KEY"], token, current_app.config["TRACKING_LINK_DAYS"]
        )
    except InvalidTrackingLink as exc:
        abort(410 if exc.expired else 404)
    ticket = get_session().scalar(
        select(Ticket)
        .options(selectinload(Ticket.messages).selectinload(Message.attachments))
        .where(Ticket.id == ticket_id, Ticket.reference == reference)
    )
    if ticket is None:
        abort(404)
    return ticket


@bp.route("/suivi/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CONTACT"], methods=["POST"])
def track(token: str):
    """The requester's own conversation, and never another requester's."""
    ticket = _ticket_from_token(token)
    own_messages = requester_messages(get_session(), ticket)
    if ticket.merged_into_id is not None and own_messages is None:
        # Merged into a ticket of the same requester: their conversation continues there.
        merged = get_session().get(Ticket, ticket.merged_into_id)
        return redirect(service_context(current_app).tracking_url(merged.id, merged.reference))
    form = TrackingReplyForm()
    if form.validate_on_submit() and save_reply(ticket, None, form):
        flash("Votre message a été transmis au centre de services.", "success")
        return redirect(url_for("public.track", token=token))
    return _track_page(ticket, token, own_messages, form=form, status=422 if form.errors else 200)


def _track_page(ticket, token, own_messages, form=None, not_solved=None, error=None, status=200):
    session = get_session()
    if own_messages is None:
        own_messages = [m for m in ticket.messages if not m.is_internal]
    return render_template(
        "public/track.html",
        ticket=ticket,
        messages=own_messages,
        merged_elsewhere=ticket.merged_into_id is not None,
        form=form or TrackingReplyForm(formdata=None),
        not_solved=not_solved or NotSolvedForm(formdata=None),
        reopen_until=followup.reopen_deadline(get_session(), service_context(current_app), ticket),
        can_reopen=followup.can_reopen(get_session(), service_context(current_app), ticket),
        rated=session.get(SatisfactionRating, ticket.id) is not None,
        action_error=error,
        token=token,
    ), status


def _requester_action(token: str, form, change, success: str, target: str):
    """Confirm or reopen through the signed link; a refusal is shown on the page (422)."""
    ticket = _ticket_from_token(token)
    if ticket.merged_into_id is not None:
        abort(404)
    if form.validate_on_submit() and run_action(
        lambda session: change(session, ticket), success, form=form
    ):
        return redirect(url_for(target, token=token))
    own_messages = requester_messages(get_session(), ticket)
    error = form.form_errors[-1] if form.form_errors else None
    not_solved = form if isinstance(form, NotSolvedForm) else None
    return _track_page(ticket, token, own_messages, not_solved=not_solved, error=error, status=422)


@bp.route("/suivi/<token>/regle", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CONTACT"])
def solved(token: str):
    """ "Réglé": the resolved request is closed, and the requester is asked for their rating."""
    return _requester_action(
        token,
        FlaskForm(),
        lambda session, ticket: followup.confirm_resolved(
            session, service_context(current_app), ticket
        ),
        "Merci : votre demande est close. Dites-nous ce que vous avez pensé de la réponse.",
        "satisfaction.rate",
    )


@bp.route("/suivi/<token>/pas-regle", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CONTACT"])
def not_solved(token: str):
    """ "Pas réglé": the request is reopened, within the delay after its resolution."""
    form = NotSolvedForm()
    return _requester_action(
        token,
        form,
        lambda session, ticket: followup.reopen(
            session,
            service_context(current_app),
            ticket,
            None,
            form.comment.data,
        ),
        "Votre demande est rouverte : le centre de services la reprend.",
        "public.track",
    )


def _requester_attachment(token: str, attachment_id: int) -> Attachment:
    """An attachment of the requester's own conversation; 404 for anything else."""
    ticket = _ticket_from_token(token)
    session = get_session()
    item = session.get(Attachment, attachment_id)
    if item is None:
        abort(404)
    own_messages = requester_messages(session, ticket)
    if own_messages is not None:
        if item.message_id not in {m.id for m in own_messages}:
            abort(404)
    else:
        message = session.get(Message, item.message_id) if item.message_id else None
        if item.ticket_id != ticket.id or (message is not None and message.is_internal):
            abort(404)
    return item


@bp.route("/suivi/<token>/pieces-jointes/<int:attachment_id>")
def track_attachment(token: str, attachment_id: int):
    from helpdesk.tickets.web import send_attachment

    item = _requester_attachment(token, attachment_id)
    audit_view("attachment", str(item.id), item.ticket_id, action="download", label="demandeur")
    return send_attachment(item)


@bp.route("/suivi/<token>/pieces-jointes/<int:attachment_id>/apercu")
def track_attachment_preview(token: str, attachment_id: int):
    from helpdesk.tickets.web import send_preview

    item = _requester_attachment(token, attachment_id)
    audit_view("attachment", str(item.id), item.ticket_id, action="view", label="demandeur")
    return send_preview(item)


@bp.route("/donnees-personnelles")
def privacy():
    from helpdesk.privacy.retention import rules_from_config

    rules = {rule.kind: rule for rule in rules_from_config(current_app.config)}
    return render_template("public/privacy.html", retention=rules)
