"""Inbound mail becomes tickets and replies: threading, quotes, auto-replies, bounces, attacks."""

from __future__ import annotations

import base64
import subprocess
import sys
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from helpdesk.classify.model import Prediction
from helpdesk.core.db import utcnow
from helpdesk.mail.inbound import ingest as ingest_module
from helpdesk.mail.inbound.ingest import ingest_message, reprocess
from helpdesk.mail.inbound.parsing import parse_message
from helpdesk.mail.models import InboundMessage, OutboxMessage
from helpdesk.tickets import attachments as attachment_store
from helpdesk.tickets import services
from helpdesk.tickets.models import Attachment, Message, Ticket
from tests.plugins.database import SHARED, fresh_database_url
from tests.plugins.mail import mail
from tests.plugins.processes import helpdesk_env, query_rows, run_helpdesk

CORPUS = SHARED / "corpus" / "emails" / "real"
CORPUS_FILES = sorted(CORPUS.glob("*.eml")) if CORPUS.is_dir() else []
PARENT = "claire.martin@example.org"
_ids = iter(range(1, 1_000_000))


def inbound(db_session, result) -> InboundMessage:
    return db_session.get(InboundMessage, result.inbound_id)


def messages(db_session, ticket) -> list[Message]:
    db_session.expire_all()
    return list(
        db_session.scalars(
            select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id)
        )
    )


def outbox_kinds(db_session, ticket) -> list[str]:
    return list(
        db_session.scalars(
            select(OutboxMessage.kind)
            .where(OutboxMessage.ticket_id == ticket.id)
            .order_by(OutboxMessage.id)
        )
    )


@pytest.fixture
def ticket_by_mail(db_session, ctx):
    """A ticket opened by a parent's e-mail, with the receipt queued to them."""
    result = ingest_message(db_session, ctx, mail())
    assert result.status == "created"
    return db_session.get(Ticket, result.ticket_id)


def receipt(db_session, ticket) -> OutboxMessage:
    return db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id).order_by(OutboxMessage.id)
    ).first()


# -- new tickets ----------------------------------------------------------------------------


def test_a_parent_mail_opens_a_categorised_ticket_and_gets_a_receipt(db_session, ctx, monkeypatch):
    seen = []

    def classifier(subject, body):
        seen.append((subject, body))
        return Prediction("demande_logicielle", "EDUCONNECT", "activation_sms", 0.91)

    monkeypatch.setattr(ctx, "classifier", classifier)
    raw = mail(
        subject="TR: Code SMS jamais reçu [2025-000001]",
        body="Bonjour,\n\nJe ne reçois pas le code.\n\n-- \nClaire Martin\n06 00 00 00 00",
        message_id="<nouvelle@example.org>",
    )

    result = ingest_message(db_session, ctx, raw)

    ticket = db_session.get(Ticket, result.ticket_id)
    assert result.status == "created" and result.reference == ticket.reference
    assert ticket.channel == "email"
    assert ticket.subject == "Code SMS jamais reçu"
    assert (ticket.requester_email, ticket.requester_name) == (PARENT, "Claire Martin")
    assert (ticket.nature, ticket.motif, ticket.label_confidence) == (
        "EDUCONNECT",
        "activation_sms",
        0.91,
    )
    assert seen == [("Code SMS jamais reçu", "Bonjour,\n\nJe ne reçois pas le code.")]
    [first] = messages(db_session, ticket)
    assert first.email_message_id == "<nouvelle@example.org>"
    record = inbound(db_session, result)
    assert record.signature == "Claire Martin\n06 00 00 00 00"
    assert record.raw == raw and record.ticket_message_id == first.id
    assert outbox_kinds(db_session, ticket) == ["request_received"]
    assert receipt(db_session, ticket).in_reply_to == "<nouvelle@example.org>"


def test_a_school_address_is_recognised_as_a_director(db_session, ctx, make_school):
    school = make_school(uai="0211234A")
    result = ingest_message(db_session, ctx, mail(sender="Secrétariat <ce.0211234a@ac-dijon.fr>"))
    ticket = db_session.get(Ticket, result.ticket_id)
    assert (ticket.requester_kind, ticket.school_id) == ("directeur", school.id)


def test_the_same_message_is_never_ingested_twice(db_session, ctx):
    raw = mail(message_id="<une-fois@example.org>")
    first = ingest_message(db_session, ctx, raw)
    again = ingest_message(db_session, ctx, raw)
    relayed = ingest_message(db_session, ctx, b"Received: from relais.example.org\r\n" + raw)
    no_id = mail(message_id=None)
    assert ingest_message(db_session, ctx, no_id).status == "created"
    assert ingest_message(db_session, ctx, no_id).status == "duplicate"

    assert first.status == "created"
    assert (again.status, again.inbound_id) == ("duplicate", first.inbound_id)
    assert (relayed.status, relayed.inbound_id) == ("duplicate", first.inbound_id)
    copy = db_session.scalars(
        select(InboundMessage).where(InboundMessage.status == "duplicate")
    ).one()
    assert copy.raw.startswith(b"Received: from relais") and copy.ticket_id == first.ticket_id
    assert f"n° {first.inbound_id}" in copy.error
    assert ingest_message(db_session, ctx, copy.raw).status == "duplicate"
    count = db_session.scalar(
        select(func.count()).select_from(Ticket).where(Ticket.requester_email == PARENT)
    )
    assert count == 2


# -- threading ------------------------------------------------------------------------------


def test_a_reply_by_headers_joins_its_ticket_without_the_quoted_history(
    db_session, ctx, ticket_by_mail, make_user
):
    agent = make_user("agent")
    services.assign(db_session, ctx, ticket_by_mail, agent, agent)
    services.add_message(db_session, ctx, ticket_by_mail, agent, "Quel est votre numéro ?")
    assert ticket_by_mail.status == "en_attente_demandeur"
    answered = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "new_reply")
    ).one()
    body = (
        "Voici mon numéro : 06 11 22 33 44.\n\nCordialement\n\n"
        "Le lun. 14 sept. 2026 à 10:12, Assistance EduConnect <assistance@ac-demo.fr> a écrit :\n"
        "> Quel est votre numéro ?\n"
    )
    raw = mail(
        body=body,
        subject="Re: votre message",
        headers={"In-Reply-To": answered.message_id, "References": answered.references},
    )

    result = ingest_message(db_session, ctx, raw)

    assert (result.status, result.ticket_id) == ("threaded", ticket_by_mail.id)
    last = messages(db_session, ticket_by_mail)[-1]
    assert last.body == "Voici mon numéro : 06 11 22 33 44.\n\nCordialement"
    assert last.author_kind == "demandeur"
    db_session.refresh(ticket_by_mail)
    assert ticket_by_mail.status == "en_cours"
    assert outbox_kinds(db_session, ticket_by_mail)[-1] == "agent_new_message"


@pytest.mark.parametrize(
    "how",
    ["subject", "plus_address", "root_id"],
)
def test_a_reply_by_reference_joins_its_ticket(db_session, ctx, ticket_by_mail, how):
    reference = ticket_by_mail.reference
    subject, to, headers = "Re: ma demande", "assistance@ac-demo.fr", {}
    if how == "subject":
        subject = f"RE : [{reference}] Votre demande a bien été reçue"
    elif how == "plus_address":
        to = f"assistance+{reference}@ac-demo.fr"
    else:
        headers = {"References": f"<ticket-{reference}@ac-demo.fr>"}
    body = (
        "J'ai trouvé le courrier avec l'identifiant.\n\n"
        "On Mon, Sep 14, 2026 at 10:12 AM Assistance <assistance@ac-demo.fr> wrote:\n"
        "> Bonjour\n"
    )

    result = ingest_message(
        db_session, ctx, mail(body=body, subject=subject, to=to, headers=headers)
    )

    assert (result.status, result.reference) == ("threaded", reference)
    assert messages(db_session, ticket_by_mail)[-1].body == (
        "J'ai trouvé le courrier avec l'identifiant."
    )


@pytest.mark.parametrize(
    "history",
    [
        "-----Message d'origine-----\nDe : Assistance\nEnvoyé : lundi 14 septembre 2026 10:12\n"
        "À : Claire\nObjet : Votre demande\n\nBonjour",
        "De : Assistance EduConnect <assistance@ac-demo.fr>\nEnvoyé : lundi 14 septembre 2026\n"
        "À : Claire Martin\nObjet : RE: Votre demande\n\nBonjour",
        "-----Original Message-----\nFrom: Assistance\nSent: Monday\nTo: Claire\n"
        "Subject: Your request\n\nHello",
        "________________________________\nFrom: Assistance <assistance@ac-demo.fr>\n"
        "Sent: Monday, September 14, 2026 10:12 AM\nTo: Claire\nSubject: request\n\nHello",
    ],
    ids=["message-d-origine", "outlook-fr", "original-message", "outlook-separator"],
)
def test_quoted_history_of_french_and_english_clients_is_stripped(
    db_session, ctx, ticket_by_mail, history
):
    subject = f"RE: [{ticket_by_mail.reference}] Votre demande"
    result = ingest_message(
        db_session, ctx, mail(body=f"Le code est arrivé, merci.\n\n{history}\n", subject=subject)
    )
    assert result.status == "threaded"
    assert messages(db_session, ticket_by_mail)[-1].body == "Le code est arrivé, merci."


def test_a_forged_reference_from_a_stranger_opens_a_new_ticket(db_session, ctx, ticket_by_mail):
    before = len(messages(db_session, ticket_by_mail))
    stolen = receipt(db_session, ticket_by_mail)
    raw = mail(
        sender="Intrus <intrus@example.net>",
        subject=f"RE: [{ticket_by_mail.reference}] Votre demande",
        to=f"assistance+{ticket_by_mail.reference}@ac-demo.fr",
        headers={"In-Reply-To": stolen.message_id},
        body="Merci de changer l'adresse de la demande.",
    )

    result = ingest_message(db_session, ctx, raw)

    assert result.status == "created" and result.ticket_id != ticket_by_mail.id
    assert len(messages(db_session, ticket_by_mail)) == before
    forged = db_session.get(Ticket, result.ticket_id)
    assert ticket_by_mail.reference not in forged.subject
    assert forged.requester_email == "intrus@example.net"
    assert "l'expéditeur n'y participe pas" in inbound(db_session, result).notes


def test_a_director_of_the_school_and_the_assignee_reply_by_mail(
    db_session, ctx, make_school, make_user, make_ticket
):
    school = make_school()
    director = make_user("directeur", schools=[school])
    other_director = make_user("directeur", schools=[make_school()])
    agent = make_user("agent")
    ticket = make_ticket(school_id=school.id)
    services.assign(db_session, ctx, ticket, agent, agent)
    subject = f"Re: [{ticket.reference}] suivi"

    from_director = ingest_message(
        db_session, ctx, mail(sender=director.email, subject=subject, body="Je confirme.")
    )
    from_agent = ingest_message(
        db_session, ctx, mail(sender=agent.email, subject=subject, body="C'est corrigé.")
    )
    from_other = ingest_message(
        db_session, ctx, mail(sender=other_director.email, subject=subject, body="Et nous ?")
    )

    assert from_director.status == from_agent.status == "threaded"
    assert from_other.status == "created"
    kinds = [m.author_kind for m in messages(db_session, ticket)]
    assert kinds == ["demandeur", "directeur", "agent"]
    assert outbox_kinds(db_session, ticket)[-1] == "new_reply"


def test_a_reply_to_a_closed_ticket_opens_a_new_one(db_session, ctx, ticket_by_mail):
    services.change_status(db_session, ctx, ticket_by_mail, None, "clos")
    result = ingest_message(
        db_session, ctx, mail(subject=f"Re: [{ticket_by_mail.reference}]", body="Encore moi.")
    )
    assert result.status == "created" and result.ticket_id != ticket_by_mail.id
    assert "close" in inbound(db_session, result).notes


# -- automatic replies and bounces ------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: votre demande"),
        ({"X-Autoreply": "yes"}, "Re: votre demande"),
        ({"Precedence": "auto_reply"}, "Re: votre demande"),
        ({}, "Réponse automatique : absent du bureau"),
    ],
)
def test_automatic_replies_never_create_tickets_nor_replies(
    db_session, ctx, ticket_by_mail, headers, subject
):
    kinds = outbox_kinds(db_session, ticket_by_mail)
    count = db_session.scalar(select(func.count()).select_from(Ticket))
    raw = mail(
        subject=f"{subject} [{ticket_by_mail.reference}]",
        headers=headers,
        body="Je suis absente jusqu'au 20 septembre.",
    )

    result = ingest_message(db_session, ctx, raw)

    assert (result.status, result.ticket_id) == ("auto_reply", ticket_by_mail.id)
    assert db_session.scalar(select(func.count()).select_from(Ticket)) == count
    assert len(messages(db_session, ticket_by_mail)) == 1
    assert outbox_kinds(db_session, ticket_by_mail) == kinds


def bounce_for(outbox: OutboxMessage) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: assistance@ac-demo.fr\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <rebond-1@mx.example.org>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {outbox.to_address}\r\nAction: failed\r\n"
        "Status: 5.1.1\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {outbox.message_id}\r\nSubject: {outbox.subject}\r\n\r\n"
        "--B--\r\n"
    ).encode()


def test_a_bounce_flags_the_address_and_stops_mail_to_it(
    db_session, ctx, ticket_by_mail, make_user
):
    count = db_session.scalar(select(func.count()).select_from(Ticket))
    result = ingest_message(db_session, ctx, bounce_for(receipt(db_session, ticket_by_mail)))

    assert (result.status, result.ticket_id) == ("bounce", ticket_by_mail.id)
    assert db_session.scalar(select(func.count()).select_from(Ticket)) == count
    db_session.refresh(ticket_by_mail)
    assert ticket_by_mail.requester_email_failing
    agent = make_user("agent")
    services.add_message(db_session, ctx, ticket_by_mail, agent, "Réponse")
    assert "new_reply" not in outbox_kinds(db_session, ticket_by_mail)

    # The parent writes again: the address works.
    ingest_message(
        db_session, ctx, mail(subject=f"Re: [{ticket_by_mail.reference}]", body="Me revoici.")
    )
    db_session.refresh(ticket_by_mail)
    assert not ticket_by_mail.requester_email_failing


def test_mail_from_the_helpdesk_itself_is_ignored(db_session, ctx):
    result = ingest_message(db_session, ctx, mail(sender="assistance@ac-demo.fr"))
    assert result.status == "ignored" and result.ticket_id is None


def test_no_receipt_to_a_no_reply_address(db_session, ctx):
    result = ingest_message(db_session, ctx, mail(sender="noreply@ent.example.org"))
    ticket = db_session.get(Ticket, result.ticket_id)
    assert result.status == "created" and outbox_kinds(db_session, ticket) == []


# -- content: HTML, attachments --------------------------------------------------------------


def test_html_is_converted_to_text_and_sanitised(db_session, ctx):
    html = (
        "<html><body><p>Bonjour,</p><script>alert('x')</script>"
        "<p onclick='steal()'>Mon compte est <b>bloqué</b>.</p>"
        "<img src=x onerror=alert(1)><a href='javascript:alert(1)'>lien</a></body></html>"
    )
    msg = EmailMessage()
    msg["From"] = PARENT
    msg["To"] = "assistance@ac-demo.fr"
    msg["Subject"] = "Compte bloqué"
    msg.set_content(html, subtype="html")

    result = ingest_message(db_session, ctx, msg.as_bytes())

    [message] = messages(db_session, db_session.get(Ticket, result.ticket_id))
    assert "Mon compte est bloqué." in message.body
    assert "alert" not in message.body
    for needle in ("<script", "onclick", "onerror", "javascript:"):
        assert needle not in message.body_html.lower()
    assert "<b>bloqué</b>" in message.body_html


def test_attachments_are_stored_under_the_limits(db_session, ctx, monkeypatch):
    monkeypatch.setattr(ctx, "max_attachment_bytes", 100_000)
    pdf = b"%PDF-1.4\n" + b"x" * 2000
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    msg = EmailMessage()
    msg["From"] = PARENT
    msg["To"] = "assistance@ac-demo.fr"
    msg["Subject"] = "Capture d'écran"
    msg.set_content("Voici la capture.")
    msg.add_alternative('<p>Voici la capture.</p><img src="cid:capture1">', subtype="html")
    msg.get_payload()[1].add_related(
        png, "image", "png", cid="<capture1>", filename="capture.png", disposition="inline"
    )
    msg.add_attachment(
        pdf, maintype="application", subtype="pdf", filename="../../etc/courrier.pdf"
    )
    msg.add_attachment(
        b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="facture.exe"
    )
    msg.add_attachment(
        b"y" * (ctx.max_attachment_bytes + 1),
        maintype="application",
        subtype="pdf",
        filename="enorme.pdf",
    )

    result = ingest_message(db_session, ctx, msg.as_bytes())

    ticket = db_session.get(Ticket, result.ticket_id)
    stored = db_session.scalars(
        select(Attachment).where(Attachment.ticket_id == ticket.id).order_by(Attachment.id)
    ).all()
    assert [(a.filename, a.content_type, a.is_inline) for a in stored] == [
        ("capture.png", "image/png", True),
        ("courrier.pdf", "application/pdf", False),
    ]
    assert stored[1].size == len(pdf)
    assert attachment_store.content(db_session, stored[1].sha256) == pdf
    notes = inbound(db_session, result).notes
    assert "facture.exe" in notes and "enorme.pdf" in notes


def test_photos_scans_and_office_files_reach_the_ticket(db_session, ctx):
    files = [
        ("IMG_0042.HEIC", "image", "heic"),
        ("scan.tiff", "image", "tiff"),
        ("courrier.rtf", "application", "rtf"),
        (
            "reunion.pptx",
            "application",
            "vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
    ]
    attachments = [(name, f"{major}/{minor}", name.encode() * 10) for name, major, minor in files]

    result = ingest_message(db_session, ctx, mail(attachments=attachments))

    stored = db_session.scalars(
        select(Attachment).where(Attachment.ticket_id == result.ticket_id).order_by(Attachment.id)
    ).all()
    assert [(a.filename, a.content_type) for a in stored] == [
        (name, ctype) for name, ctype, _ in attachments
    ]
    assert not inbound(db_session, result).notes


# -- hostile and broken input ----------------------------------------------------------------


def _nested(depth: int) -> bytes:
    head = f"From: {PARENT}\r\nTo: assistance@ac-demo.fr\r\nSubject: Poupées russes\r\n"
    head += "MIME-Version: 1.0\r\n"
    body = "Texte tout au fond.\r\n"
    for level in range(depth):
        body = (
            f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n'
            f"--b{level}\r\n{body}\r\n--b{level}--\r\n"
        )
    return (head + body).encode()


HOSTILE = {
    "empty": b"",
    "binary": bytes(range(256)) * 40,
    "nul_bytes": f"From: {PARENT}\r\nSubject: a\x00b\r\n\r\nbody\x00with nul".encode(),
    "huge_line": f"From: {PARENT}\r\nSubject: Ligne\r\n\r\n".encode() + b"A" * 3_000_000,
    "huge_header": f"From: {PARENT}\r\nSubject: ".encode() + b"B" * 500_000 + b"\r\n\r\nx",
    "bad_base64": (
        f"From: {PARENT}\r\nSubject: b64\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n!!!! ceci n'est pas du base64 ===\r\n"
    ).encode(),
    "unknown_charset": (
        f"From: {PARENT}\r\nSubject: =?x-inconnu?Q?caf=E9?=\r\n"
        "Content-Type: text/plain; charset=x-inconnu\r\n\r\nCaf\xe9 cr\xe8me\r\n"
    ).encode("latin-1"),
    "deep_nesting": _nested(300),
    "script_filename": (
        f"From: {PARENT}\r\nSubject: pj\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'
        "Content-Type: text/plain\r\n\r\nVoir pièce jointe\r\n--x\r\n"
        'Content-Type: application/pdf; name="<script>..\\\\..\\\\win.ini.pdf"\r\n'
        'Content-Disposition: attachment; filename="<script>..\\\\..\\\\win.ini.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--x--\r\n"
    ).encode(),
    "header_injection": (
        f"From: {PARENT}\r\nSubject: =?utf-8?Q?a=0D=0ABcc:_victime@example.org?=\r\n\r\nx\r\n"
    ).encode(),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_is_kept_and_never_breaks_ingestion(db_session, ctx, name):
    raw = HOSTILE[name]
    result = ingest_message(db_session, ctx, raw)

    assert result.status in ("created", "unparseable", "ignored"), result
    record = inbound(db_session, result)
    assert record.raw == raw
    if result.ticket_id:
        ticket = db_session.get(Ticket, result.ticket_id)
        assert "\n" not in ticket.subject and "\r" not in ticket.subject
        for attachment in db_session.scalars(
            select(Attachment).where(Attachment.ticket_id == ticket.id)
        ):
            assert "/" not in attachment.filename and "\\" not in attachment.filename
            assert "<" not in attachment.filename and ".." not in attachment.filename
        for outgoing in db_session.scalars(
            select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id)
        ):
            assert "\n" not in outgoing.subject and "\r" not in outgoing.subject


def test_an_unparseable_message_is_kept_raw_with_its_reason(db_session, ctx):
    raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    result = ingest_message(db_session, ctx, raw)
    record = inbound(db_session, result)
    assert result.status == "unparseable" and record.raw == raw
    assert "Outlook" in record.error


def test_a_failure_while_handling_keeps_the_message_for_a_second_try(db_session, ctx, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("panne du service")

    monkeypatch.setattr(ingest_module.services, "open_ticket", broken)
    result = ingest_message(db_session, ctx, mail(message_id="<panne@example.org>"))
    record = inbound(db_session, result)
    assert result.status == "error" and "panne du service" in record.error
    assert db_session.scalar(select(func.count()).select_from(Ticket)) == 0
    monkeypatch.undo()

    again = reprocess(db_session, ctx, record)

    assert again.status == "created" and record.status == "created" and record.error is None
    assert ingest_message(db_session, ctx, record.raw).status == "duplicate"


# -- the shared corpus of real messages -----------------------------------------------------


@pytest.mark.skipif(not CORPUS_FILES, reason=f"shared corpus not found at {CORPUS}")
def test_every_corpus_message_ingests(db_session, ctx):
    statuses = {}
    for path in CORPUS_FILES:
        raw = path.read_bytes()
        parsed = parse_message(raw)
        result = ingest_message(db_session, ctx, raw)
        statuses[path.name] = result.status
        assert result.status != "error", (path.name, result.error)
        record = inbound(db_session, result) if result.inbound_id else None
        if result.status == "duplicate":
            continue
        assert record.raw == raw, path.name
        if parsed.is_unparseable:
            assert result.status == "unparseable" and record.error, path.name
            continue
        if parsed.is_bounce:
            assert result.status == "bounce", path.name
        elif parsed.is_auto_reply:
            assert result.status == "auto_reply", path.name
        if result.status in ("created", "threaded"):
            message = db_session.get(Message, result.message_id)
            new_text = parsed.reply_parts()[0].strip()
            if new_text and result.status == "threaded":
                assert message.body == new_text[: len(message.body)], path.name
            elif new_text:
                assert message.body.startswith(new_text[:200].strip()), path.name
            stored = db_session.scalar(
                select(func.count())
                .select_from(Attachment)
                .where(Attachment.message_id == message.id)
            )
            assert stored <= len(parsed.attachments), path.name
    assert len(statuses) == len(CORPUS_FILES)
    assert "unparseable" in statuses.values() and "bounce" in statuses.values()
    assert "created" in statuses.values() and "auto_reply" in statuses.values()


@pytest.mark.skipif(not CORPUS_FILES, reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize(
    ("name", "body", "attachments"),
    [
        (
            "mailpit__mime-attachment.eml",
            "Message with inline image and attachment:",
            [("inline-image.jpg", True, 16041), ("Sample PDF.pdf", False, 9355)],
        ),
        (
            "django-helpdesk__blank-body-with-attachment.eml",
            "(message sans texte)",
            [("baf", False, 24)],
        ),
        ("flanker__iphone.eml", "Hello\n\n~Danielle", [("photo.JPG", True, 9023)]),
        ("glpi__46-proton-android-mail-response.eml", "Reply from Proton Android client", []),
    ],
)
def test_corpus_messages_keep_their_text_and_attachments(db_session, ctx, name, body, attachments):
    result = ingest_message(db_session, ctx, (CORPUS / name).read_bytes())
    assert result.status == "created"
    message = db_session.get(Message, result.message_id)
    assert message.body == body
    stored = db_session.scalars(
        select(Attachment).where(Attachment.message_id == message.id).order_by(Attachment.id)
    ).all()
    assert [(a.filename, a.is_inline, a.size) for a in stored] == attachments


# -- the whole round trip ------------------------------------------------------------------


def test_round_trip_parent_mail_answer_and_reply_through_a_restarted_smtp_server(
    app, db_session, ctx, make_user, smtp_server
):
    from datetime import timedelta

    from helpdesk.mail.outbound import sender
    from tests.plugins.mail import settings_for

    factory = app.extensions["helpdesk_db"].session_factory
    settings = settings_for(smtp_server)
    agent = make_user("agent")
    opened = ingest_message(db_session, ctx, mail(message_id="<depart@example.org>"))
    ticket = db_session.get(Ticket, opened.ticket_id)
    services.add_message(db_session, ctx, ticket, agent, "Vérifiez le numéro enregistré.")
    db_session.flush()

    smtp_server.stop()
    start = utcnow()
    assert sender.send_pending(factory, settings, now=start).retried == 2
    smtp_server.start()
    assert sender.send_pending(factory, settings, now=start + timedelta(minutes=3)).sent == 2
    texts = [
        (r.message, r.message.get_body(("plain",)).get_content()) for r in smtp_server.received
    ]
    answer, text = next((message, text) for message, text in texts if "Vérifiez" in text)
    quoted = "\n".join(f"> {line}" for line in text.split("\n"))
    reply = mail(
        subject=f"Re: {answer['Subject']}",
        body=f"C'est le bon numéro.\n\nLe 14/09/2026 à 10:00, Assistance a écrit :\n{quoted}\n",
        headers={"In-Reply-To": answer["Message-ID"], "References": answer["References"]},
        to=answer["Reply-To"],
    )

    result = ingest_message(db_session, ctx, reply)

    assert (result.status, result.ticket_id) == ("threaded", ticket.id)
    bodies = [m.body for m in messages(db_session, ticket)]
    assert bodies[1:] == ["Vérifiez le numéro enregistré.", "C'est le bon numéro."]
    assert len(smtp_server.message_ids()) == len(set(smtp_server.message_ids())) == 2


def test_ingest_command_stores_the_message_and_the_worker_makes_it_a_ticket(process_env):
    url = process_env["HELPDESK_DATABASE_URL"]
    raw = mail(message_id="<tube@example.org>")

    first = run_helpdesk("mail", "ingest", env=process_env, input=raw)
    again = run_helpdesk("mail", "ingest", env=process_env, input=raw)

    assert (first.returncode, again.returncode) == (0, 0), first.stderr
    inbound_id = int(first.stdout.split()[1])
    assert first.stdout.decode().split()[0] == "received"
    assert again.stdout.decode().split() == ["duplicate", str(inbound_id)]
    stored = query_rows(url, "SELECT id, status, raw, size, ticket_id FROM inbound_message")
    assert [(r[0], r[1], bytes(r[2]), r[3], r[4]) for r in stored] == [
        (inbound_id, "received", raw, len(raw), None)
    ]

    worked = run_helpdesk("worker", "--once", "--no-fetch", env=process_env)

    assert worked.returncode == 0, worked.stderr
    [(status, subject, sender, message_id, ticket_id)] = query_rows(
        url, "SELECT status, subject, from_address, message_id, ticket_id FROM inbound_message"
    )
    assert (status, subject, sender, message_id) == (
        "created",
        "Code SMS jamais reçu",
        PARENT,
        "<tube@example.org>",
    )
    assert query_rows(
        url, f"SELECT channel, requester_email FROM ticket WHERE id = {ticket_id}"
    ) == [("email", PARENT)]


def test_a_copy_under_the_same_message_id_is_kept_and_not_handled_twice(process_env):
    url = process_env["HELPDESK_DATABASE_URL"]
    original = mail(message_id="<deux-fois@example.org>")
    copy = mail(message_id="<deux-fois@example.org>", body="Le même message, relayé autrement.")
    for raw in (original, copy):
        assert run_helpdesk("mail", "ingest", env=process_env, input=raw).returncode == 0

    assert run_helpdesk("worker", "--once", "--no-fetch", env=process_env).returncode == 0

    rows = query_rows(url, "SELECT status, ticket_id, error FROM inbound_message ORDER BY id")
    assert [r[0] for r in rows] == ["created", "duplicate"]
    assert rows[1][1] == rows[0][1] and "Même Message-ID" in rows[1][2]
    assert query_rows(url, "SELECT count(*) FROM ticket") == [(1,)]


@pytest.mark.parametrize(
    "url",
    ["sqlite:///{tmp}/absente/base.db", "postgresql+psycopg://postgres@127.0.0.1:1/test"],
    ids=["sqlite-file-missing", "postgresql-unreachable"],
)
def test_ingest_command_asks_the_mta_to_retry_when_the_database_is_down(tmp_path, url):
    env = helpdesk_env(url.format(tmp=tmp_path), tmp_path / "instance")

    result = run_helpdesk("mail", "ingest", env=env, input=mail())

    assert result.returncode == 75  # EX_TEMPFAIL: the MTA keeps the message
    assert "Message non enregistré" in result.stderr.decode()
    assert not (tmp_path / "absente").exists()


def test_a_message_refused_while_the_database_was_down_is_stored_when_presented_again(tmp_path):
    from helpdesk.core.migrate import upgrade

    url = fresh_database_url(tmp_path, "retry")
    env = helpdesk_env(url, tmp_path / "instance")
    raw = mail(message_id="<plus-tard@example.org>")
    if url.startswith("sqlite"):
        refused = run_helpdesk("mail", "ingest", env=env, input=raw)  # no schema yet
        assert refused.returncode == 75
    upgrade(url)

    accepted = run_helpdesk("mail", "ingest", env=env, input=raw)

    assert accepted.returncode == 0, accepted.stderr
    assert query_rows(url, "SELECT status FROM inbound_message") == [("received",)]


def test_the_mail_server_s_pipe_loads_neither_flask_nor_sqlalchemy(process_env):
    code = (
        "import atexit, sys\n"
        "heavy = ('flask', 'sqlalchemy', 'click', 'helpdesk.classify', 'helpdesk.tickets')\n"
        "atexit.register(lambda: print('LOADED', sorted(set(sys.modules) & set(heavy))))\n"
        "sys.argv = ['helpdesk', 'mail', 'ingest']\n"
        "from helpdesk.console import run\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=process_env,
        input=mail(),
        capture_output=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().split("LOADED ")[1].strip() == "[]"
    assert done.stdout.decode().startswith("received ")
