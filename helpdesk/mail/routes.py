"""Mail pages: outbound settings, test message, outbox, templates, mailboxes, inbound log."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select

from helpdesk.core.database import get_session
from helpdesk.core.errors import DomainError
from helpdesk.core.runtime import service_context
from helpdesk.mail import services
from helpdesk.mail import settings as mail_settings
from helpdesk.mail.forms import MailboxForm, OutboundForm, ProbeMessageForm, TemplateForm
from helpdesk.mail.inbound import imap
from helpdesk.mail.inbound.html import sanitise_html
from helpdesk.mail.inbound.parsing import parse_message
from helpdesk.mail.models import (
    INBOUND_STATUSES,
    OUTBOX_STATUSES,
    InboundMessage,
    Mailbox,
    OutboxMessage,
)
from helpdesk.mail.outbound import notify
from helpdesk.tickets.queries import references_by_id
from helpdesk.util.params import parse_page
from helpdesk.web.access import admin_required, staff_required
from helpdesk.web.actions import run_action
from helpdesk.web.audit import audit_view

bp = Blueprint("mail", __name__, url_prefix="/admin/courriels")

PAGE_SIZE = 50


def _page() -> int:
    return parse_page(request.args.get("page"))


def _settings_form(session) -> OutboundForm:
    current = mail_settings.effective(session, current_app.config)
    form = OutboundForm()
    if not form.is_submitted():
        for name in mail_settings.EDITABLE:
            if name != "smtp_password":
                getattr(form, name).data = getattr(current, name)
    return form


def _index(form: OutboundForm | None = None, probe: ProbeMessageForm | None = None, status=200):
    session = get_session()
    current = mail_settings.effective(session, current_app.config)
    inbound = dict(
        session.execute(
            select(InboundMessage.status, func.count()).group_by(InboundMessage.status)
        ).all()
    )
    mailboxes = session.scalar(select(func.count()).select_from(Mailbox))
    return render_template(
        "mail/index.html",
        form=form or _settings_form(session),
        probe=probe or ProbeMessageForm(formdata=None),
        outbox=services.outbox_counts(session),
        inbound=inbound,
        mailboxes=mailboxes,
        has_password=bool(current.smtp_password),
        env_mailbox=bool(current_app.config.get("IMAP_HOST")),
    ), status


@bp.route("")
@admin_required
def index():
    return _index()


@bp.route("/envoi", methods=["POST"])
@admin_required
def save_settings():
    session = get_session()
    form = _settings_form(session)
    if not form.validate_on_submit():
        return _index(form=form, status=422)
    values = {name: getattr(form, name).data for name in mail_settings.EDITABLE}

    def save(session) -> None:
        mail_settings.save(session, values)
        if form.forget_password.data:
            mail_settings.forget_password(session)

    if not run_action(save, "Réglages d'envoi enregistrés.", form=form):
        return _index(form=form, status=422)
    return redirect(url_for("mail.index"))


@bp.route("/essai", methods=["POST"])
@admin_required
def send_probe():
    from helpdesk.mail.outbound.smtp import send_test_message

    probe = ProbeMessageForm()
    if not probe.validate_on_submit():
        return _index(probe=probe, status=422)
    settings = mail_settings.effective(get_session(), current_app.config)
    try:
        message_id = send_test_message(settings, probe.to_address.data.strip())
    except DomainError as exc:
        flash(f"Le message d'essai n'est pas parti : {exc}", "error")
    else:
        flash(
            f"Message d'essai remis au serveur {settings.smtp_host} pour "
            f"{probe.to_address.data.strip()} (identifiant {message_id}).",
            "success",
        )
    return redirect(url_for("mail.index"))


# -- outbox -------------------------------------------------------------------------------


def _outbox_page(stmt) -> dict:
    """One page of outbox messages, newest first, with what the pagination needs."""
    session = get_session()
    page = _page()
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(
        stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return {
        "items": items,
        "kinds": notify.KINDS,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "total": total,
    }


@bp.route("/file")
@admin_required
def outbox():
    status = request.args.get("statut", "")
    stmt = select(OutboxMessage)
    if status in OUTBOX_STATUSES:
        stmt = stmt.where(OutboxMessage.status == status)
    return render_template(
        "mail/outbox.html", status=status, statuses=OUTBOX_STATUSES, **_outbox_page(stmt)
    )


@bp.route("/file/<int:outbox_id>")
@admin_required
def outbox_item(outbox_id: int):
    item = get_session().get(OutboxMessage, outbox_id)
    if item is None:
        abort(404)
    audit_view("outbox_mail", str(item.id), item.ticket_id)
    return render_template(
        "mail/outbox_item.html",
        item=item,
        kinds=notify.KINDS,
        html=sanitise_html(item.body_html or ""),
    )


@bp.route("/file/<int:outbox_id>/<action>", methods=["POST"])
@admin_required
def outbox_action(outbox_id: int, action: str):
    actions = {"relancer": services.retry_outbox, "abandonner": services.discard_outbox}
    if action not in actions:
        abort(404)
    done = "sera renvoyé au prochain passage" if action == "relancer" else "est abandonné"
    run_action(
        lambda session: actions[action](session, outbox_id),
        lambda item: f"Le courriel à {item.to_address} {done}.",
    )
    back = request.form.get("next", "")
    if back.startswith("/admin/courriels/"):
        return redirect(back)
    return redirect(url_for("mail.outbox"))


# -- templates ----------------------------------------------------------------------------


@bp.route("/modeles")
@admin_required
def templates():
    session = get_session()
    from helpdesk.mail.models import MailTemplate

    overrides = {row.kind: row for row in session.scalars(select(MailTemplate))}
    return render_template("mail/templates.html", kinds=notify.KINDS, overrides=overrides)


@bp.route("/modeles/<kind>", methods=["GET", "POST"])
@admin_required
def template_edit(kind: str):
    if kind not in notify.KINDS:
        abort(404)
    session = get_session()
    ctx = service_context(current_app)
    subject, text, html, is_override = services.template_sources(session, kind)
    form = TemplateForm(data={"subject": subject, "body_text": text, "body_html": html})
    rendered = None
    status = 200
    if form.validate_on_submit():
        action = request.form.get("action", "apercu")
        try:
            if action == "enregistrer":
                services.save_template(
                    session,
                    ctx,
                    kind,
                    form.subject.data,
                    form.body_text.data,
                    form.body_html.data,
                    current_user.display_name,
                )
                session.commit()
                flash(f"Modèle « {notify.KINDS[kind].label} » enregistré.", "success")
                return redirect(url_for("mail.template_edit", kind=kind))
            rendered = services.preview(
                ctx, kind, form.subject.data, form.body_text.data, form.body_html.data
            )
        except DomainError as exc:
            session.rollback()
            form.form_errors.append(str(exc))
            status = 422
    elif form.is_submitted():
        status = 422
    if rendered is None and status == 200:
        try:
            rendered = services.preview(
                ctx, kind, form.subject.data, form.body_text.data, form.body_html.data
            )
        except DomainError:
            rendered = None
    return render_template(
        "mail/template_edit.html",
        kind=kind,
        meta=notify.KINDS[kind],
        form=form,
        is_override=is_override,
        rendered=rendered,
        preview_html=sanitise_html(rendered.html) if rendered else "",
    ), status


@bp.route("/modeles/<kind>/reinitialiser", methods=["POST"])
@admin_required
def template_reset(kind: str):
    if kind not in notify.KINDS:
        abort(404)
    session = get_session()
    services.reset_template(session, kind)
    session.commit()
    flash("Le modèle d'origine s'applique de nouveau.", "success")
    return redirect(url_for("mail.template_edit", kind=kind))


# -- mailboxes ----------------------------------------------------------------------------


@bp.route("/boites")
@admin_required
def mailboxes():
    session = get_session()
    rows = session.scalars(select(Mailbox).order_by(Mailbox.name)).all()
    return render_template(
        "mail/mailboxes.html",
        mailboxes=rows,
        env_host=current_app.config.get("IMAP_HOST"),
        modes=mail_settings.IMAP_SECURITY_MODES,
    )


@bp.route("/boites/nouvelle", methods=["GET", "POST"], defaults={"mailbox_id": None})
@bp.route("/boites/<int:mailbox_id>", methods=["GET", "POST"])
@admin_required
def mailbox_edit(mailbox_id: int | None):
    session = get_session()
    mailbox = session.get(Mailbox, mailbox_id) if mailbox_id else None
    if mailbox_id and mailbox is None:
        abort(404)
    form = MailboxForm(obj=mailbox)
    if form.validate_on_submit():
        values = {
            name: getattr(form, name).data
            for name in (
                "name",
                "host",
                "port",
                "security",
                "username",
                "password",
                "folder",
                "processed_folder",
                "is_active",
            )
        }
        saved = run_action(
            lambda session: services.save_mailbox(session, mailbox, **values),
            lambda saved: f"Boîte « {saved.name} » enregistrée.",
            form=form,
        )
        if saved:
            return redirect(url_for("mail.mailboxes"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("mail/mailbox_edit.html", form=form, mailbox=mailbox), status


@bp.route("/boites/<int:mailbox_id>/tester", methods=["POST"])
@admin_required
def mailbox_test(mailbox_id: int):
    mailbox = get_session().get(Mailbox, mailbox_id)
    if mailbox is None:
        abort(404)
    box = imap.MailboxConfig.from_row(mailbox, current_app.config.get("MAIL_CA_FILE"))
    try:
        waiting = imap.check_connection(box)
    except imap.ImapError as exc:
        flash(f"Connexion à « {mailbox.name} » impossible : {exc}", "error")
    else:
        flash(
            f"Connexion à « {mailbox.name} » réussie : {waiting} message(s) dans "
            f"« {mailbox.folder} ».",
            "success",
        )
    return redirect(url_for("mail.mailboxes"))


@bp.route("/boites/<int:mailbox_id>/supprimer", methods=["POST"])
@admin_required
def mailbox_delete(mailbox_id: int):
    session = get_session()
    try:
        services.delete_mailbox(session, mailbox_id)
    except DomainError:
        abort(404)
    session.commit()
    flash("Boîte supprimée ; les messages déjà reçus sont conservés.", "success")
    return redirect(url_for("mail.mailboxes"))


# -- inbound ------------------------------------------------------------------------------


@bp.route("/entrants")
@staff_required
def inbound():
    session = get_session()
    status = request.args.get("statut", "")
    page = _page()
    stmt = select(InboundMessage).with_only_columns(
        InboundMessage.id,
        InboundMessage.received_at,
        InboundMessage.from_address,
        InboundMessage.subject,
        InboundMessage.status,
        InboundMessage.error,
        InboundMessage.size,
        InboundMessage.ticket_id,
    )
    if status in INBOUND_STATUSES:
        stmt = stmt.where(InboundMessage.status == status)
    count_stmt = select(func.count()).select_from(InboundMessage)
    if status in INBOUND_STATUSES:
        count_stmt = count_stmt.where(InboundMessage.status == status)
    total = session.scalar(count_stmt)
    rows = session.execute(
        stmt.order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    ticket_ids = {row.ticket_id for row in rows if row.ticket_id}
    references = references_by_id(session, ticket_ids)
    return render_template(
        "mail/inbound.html",
        rows=rows,
        references=references,
        status=status,
        statuses=INBOUND_STATUSES,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
    )


def _inbound(inbound_id: int) -> InboundMessage:
    record = get_session().get(InboundMessage, inbound_id)
    if record is None:
        abort(404)
    return record


@bp.route("/entrants/<int:inbound_id>")
@staff_required
def inbound_item(inbound_id: int):
    record = _inbound(inbound_id)
    mail = parse_message(record.raw)
    ticket = None
    if record.ticket_id:
        from helpdesk.tickets.models import Ticket

        ticket = get_session().get(Ticket, record.ticket_id)
    audit_view("inbound_mail", str(record.id), record.ticket_id)
    preview = record.raw[:20000].decode("utf-8", "replace")
    return render_template(
        "mail/inbound_item.html",
        record=record,
        mail=mail,
        ticket=ticket,
        raw_preview=preview,
        raw_truncated=len(record.raw) > 20000,
    )


@bp.route("/entrants/<int:inbound_id>/brut")
@staff_required
def inbound_raw(inbound_id: int):
    record = _inbound(inbound_id)
    audit_view("inbound_mail", str(record.id), record.ticket_id, action="download")
    response = Response(record.raw, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = f'attachment; filename="message-{record.id}.eml"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/entrants/<int:inbound_id>/retraiter", methods=["POST"])
@staff_required
def inbound_retry(inbound_id: int):
    from helpdesk.mail.inbound.ingest import reprocess

    record = _inbound(inbound_id)
    run_action(
        lambda session: reprocess(session, service_context(current_app), record),
        lambda result: (
            f"Message retraité : {INBOUND_STATUSES.get(result.status, result.status).lower()}."
        ),
    )
    return redirect(url_for("mail.inbound_item", inbound_id=inbound_id))


# -- demo mail catcher ----------------------------------------------------------------------

catcher_bp = Blueprint("catcher", __name__, url_prefix="/courriels")


def _sandbox_only(view):
    """The catcher exists only in demo mode: elsewhere its pages are not found."""
    from functools import wraps

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not mail_settings.effective(get_session(), current_app.config).sandbox:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


@catcher_bp.route("")
@_sandbox_only
@admin_required
def catcher_index():
    address = " ".join((request.args.get("a") or "").split())[:254]
    stmt = select(OutboxMessage)
    if address:
        stmt = stmt.where(OutboxMessage.to_address.contains(address.lower(), autoescape=True))
    return render_template("mail/catcher.html", address=address, **_outbox_page(stmt))


@catcher_bp.route("/<int:outbox_id>")
@_sandbox_only
@admin_required
def catcher_show(outbox_id: int):
    item = get_session().get(OutboxMessage, outbox_id)
    if item is None:
        abort(404)
    settings = mail_settings.effective(get_session(), current_app.config)
    return render_template(
        "mail/catcher_item.html",
        item=item,
        sender=settings.mail_from,
        kinds=notify.KINDS,
        html=sanitise_html(item.body_html or ""),
    )
