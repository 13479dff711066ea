from __future__ import annotations

import email
import random
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from helpdesk.mail.inbound.attachments import ParseLimits
from helpdesk.mail.inbound.parsing import parse_message


def _build(**overrides) -> EmailMessage:
    message = EmailMessage()
    message["From"] = overrides.pop("sender", "Zoé Lefèvre <zoe.lefevre@example.fr>")
    message["To"] = overrides.pop("to", "Assistance DSI <assistance@ac-exemple.fr>")
    message["Subject"] = overrides.pop("subject", "Impossible de me connecter à EduConnect")
    message["Date"] = format_datetime(datetime(2026, 3, 2, 9, 15, tzinfo=UTC))
    message["Message-ID"] = "<m1@example.fr>"
    for name, value in overrides.pop("headers", {}).items():
        message[name] = value
    message.set_content(overrides.pop("body", "Bonjour,\nmon code d'activation est refusé.\n"))
    assert not overrides
    return message


def _raw(headers: str, body: bytes | str = b"") -> bytes:
    if isinstance(body, str):
        body = body.encode("utf-8")
    return headers.strip().replace("\n", "\r\n").encode("utf-8") + b"\r\n\r\n" + body


# -- real fixtures -----------------------------------------------------------------------


def test_gmail_reply_text_and_threading_fields(fixture_bytes):
    mail = parse_message(fixture_bytes("talon__gmail.eml"))

    assert mail.from_address == "xxx@gmail.com"
    assert mail.from_name == "Megan One"
    assert mail.subject == "Re: Test"
    assert mail.date == datetime(2012, 4, 2, 20, 21, 52, tzinfo=timezone(timedelta(hours=4)))
    assert mail.message_id.startswith("<CAKsfaBW4hj0") and mail.message_id.endswith(">")
    new_text, quoted, _ = mail.reply_parts()
    assert new_text == "Hello"
    assert "wrote:" in quoted and "> Hi" in quoted
    assert "gmail_quote" not in mail.html_sanitised


def test_iphone_reply_signature(fixture_bytes):
    mail = parse_message(fixture_bytes("talon__iphone.eml"))

    assert mail.reply_parts() == (
        "Hello",
        "On Apr 3, 2012, at 4:19 PM, bob <bob@example.com> wrote:\n> Hi",
        "Sent from my iPhone",
    )


def test_outlook_reply_history_removed(fixture_bytes):
    mail = parse_message(fixture_bytes("talon__outlook.eml"))

    new_text, quoted, _ = mail.reply_parts()
    assert new_text == "Hello"
    assert "The manager has commented" in quoted
    assert mail.date is None


def test_android_reply_in_russian_client(fixture_bytes):
    new_text, quoted, _ = parse_message(fixture_bytes("talon__android.eml")).reply_parts()

    assert new_text == "Hello"
    assert "написал:" in quoted


def test_original_message_separator_in_plain_text(fixture_bytes):
    mail = parse_message(fixture_bytes("django-helpdesk__forwarded-message.eml"))

    new_text, quoted, _ = mail.reply_parts()
    assert new_text == "This is email body"
    assert quoted.startswith("-----Original Message-----")
    assert "The GitHub Team" in quoted


def test_out_of_office_reply(fixture_bytes):
    mail = parse_message(fixture_bytes("sisimai__rfc3834-02.eml"))

    assert mail.is_auto_reply
    assert not mail.is_bounce
    assert mail.from_name == "Neko, Nyaan"
    assert "out of the office" in mail.text


def test_auto_submitted_reply_with_precedence(fixture_bytes):
    mail = parse_message(fixture_bytes("sisimai__rfc3834-06.eml"))

    assert mail.is_auto_reply
    assert not mail.is_bounce


def test_read_receipt_is_automatic(fixture_bytes):
    mail = parse_message(fixture_bytes("flanker__disposition-notification.eml"))

    assert mail.is_auto_reply
    assert not mail.is_bounce


def test_sendmail_bounce_to_orange(fixture_bytes):
    mail = parse_message(fixture_bytes("sisimai__rhost-franceptt-01.eml"))

    assert mail.is_bounce
    assert mail.bounced_recipients == ["pseudo-local-part-kijitora-nyaaan@orange.fr"]
    assert mail.original_message_id == "<20FA40A8-4F88-4453-953D-B7038769D040@example.co.jp>"
    assert mail.original_message_id in mail.thread_message_ids
    assert [a.content_type for a in mail.attachments] == ["message/rfc822"]


def test_french_exchange_bounce(fixture_bytes):
    mail = parse_message(fixture_bytes("sisimai__lhost-exchange2007-06.eml"))

    assert mail.is_bounce
    assert mail.subject == "Non remis : Votre deuxième paire de chaussures à 5 euros"
    assert mail.bounced_recipients == ["transports@agglo-saumur.fr"]
    assert "Échec de la remise" in mail.text


def test_bounce_without_report_uses_failed_recipients(fixture_bytes):
    mail = parse_message(fixture_bytes("sisimai__lhost-googlegroups-09.eml"))

    assert mail.is_bounce
    assert mail.bounced_recipients == ["libsisimai@googlegroups.com"]


def test_exim_bounce_names_recipient_not_sender(fixture_bytes):
    mail = parse_message(fixture_bytes("webklex-phpimap__example_bounce.eml"))

    assert mail.is_bounce
    assert mail.bounced_recipients == ["ding@ding.de"]
    assert mail.attachments[0].filename == "Test.eml"


def test_bounce_with_headers_only_report(fixture_bytes):
    mail = parse_message(fixture_bytes("spamscope-mailparser__mail_malformed_2.eml"))

    assert mail.is_bounce
    assert not mail.is_auto_reply
    assert mail.bounced_recipients == ["abh@netpar.com.br"]
    assert mail.original_message_id == "<004801d1fc84$01c934ac$b247f0b7$@infospacemail.com>"


def test_inline_image_and_pdf_attachment(fixture_bytes):
    mail = parse_message(fixture_bytes("mailpit__mime-attachment.eml"))

    assert mail.text == "Message with inline image and attachment:"
    names = [(a.filename, a.content_type, a.is_inline) for a in mail.attachments]
    assert names == [
        ("inline-image.jpg", "image/jpeg", True),
        ("Sample PDF.pdf", "application/pdf", False),
    ]
    inline = mail.attachments[0]
    assert inline.data.startswith(b"\xff\xd8")
    assert f'src="cid:{inline.content_id}"' in mail.html_sanitised


def test_unicode_subject_and_three_attachments(fixture_bytes):
    mail = parse_message(fixture_bytes("nodemailer-mailparser__nodemailer.eml"))

    assert mail.subject.startswith("Nodemailer is unicode friendly ✔")
    assert [a.filename for a in mail.attachments] == ["image.png", "nyan cat ✔.gif", "notes.txt"]
    assert [a.address for a in mail.to] == ["andris+123@kreata.ee", "andris.reinman@gmail.com"]


def test_pgp_signature_kept_as_attachment(fixture_bytes):
    mail = parse_message(fixture_bytes("django-helpdesk__pgp.eml"))

    assert "thanks for looking into this" in mail.text
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("signature.asc", "application/pgp-signature")
    ]
    assert mail.attachments[0].data.startswith(b"-----BEGIN PGP SIGNATURE-----")


def test_tnef_kept_and_koi8_text_decoded(fixture_bytes):
    mail = parse_message(fixture_bytes("mimekit__ukr.eml"))

    assert mail.text.startswith("шостий")
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("winmail.dat", "application/ms-tnef")
    ]


def test_raw_latin1_subject_and_encoded_display_name(fixture_bytes):
    mail = parse_message(fixture_bytes("ruby-mail__invalid_subject_characters.eml"))

    assert mail.subject == "Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro"
    assert mail.from_name == "Formação Frenetikpolis"
    assert len(mail.to) == 3


def test_utf8_body_declared_ascii(fixture_bytes):
    mail = parse_message(fixture_bytes("enmime__incorrect-charset.eml"))

    assert "∮ E⋅da = Q" in mail.text


def test_broken_quoted_printable_tolerated(fixture_bytes):
    mail = parse_message(fixture_bytes("enmime__quoted-printable-invalid.eml"))

    assert "Stuffs’s Weekly Summary" in mail.text
    assert "1 member was added" in mail.text


def test_traversal_names_from_real_fixtures(fixture_bytes):
    mail = parse_message(fixture_bytes("webklex-phpimap__issue-414.eml"))
    assert [a.filename for a in mail.attachments] == ["MyFile.txt", "foo"]

    mail = parse_message(fixture_bytes("phpmimemailparser__m0027.eml"))
    assert [s.filename for s in mail.skipped] == ["1234.txt"]


def test_french_subject_and_nameless_binary_attachment(fixture_bytes):
    mail = parse_message(fixture_bytes("phpmimemailparser__issue133.eml"))

    assert mail.subject == "Mail avec fichier attaché de 1ko"
    assert len(mail.skipped) == 1
    assert "Type de fichier non autorisé" in mail.skipped[0].reason


# -- headers -----------------------------------------------------------------------------


def test_well_formed_french_message():
    message = _build(
        headers={
            "Cc": "Camille Martin <camille.martin@example.fr>, secretariat@clg-exemple.fr",
            "In-Reply-To": "<ticket-2026-000123@ac-exemple.fr>",
            "References": "<a@ac-exemple.fr> <ticket-2026-000123@ac-exemple.fr>",
            "Reply-To": "Parent <parent@example.fr>",
        }
    )
    mail = parse_message(message.as_bytes())

    assert (mail.from_address, mail.from_name) == ("zoe.lefevre@example.fr", "Zoé Lefèvre")
    assert mail.subject == "Impossible de me connecter à EduConnect"
    assert mail.date == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert [str(a) for a in mail.to] == ["Assistance DSI <assistance@ac-exemple.fr>"]
    assert [a.address for a in mail.cc] == [
        "camille.martin@example.fr",
        "secretariat@clg-exemple.fr",
    ]
    assert mail.message_id == "<m1@example.fr>"
    assert mail.in_reply_to == "<ticket-2026-000123@ac-exemple.fr>"
    assert mail.references == ["<a@ac-exemple.fr>", "<ticket-2026-000123@ac-exemple.fr>"]
    assert mail.thread_message_ids == ["<ticket-2026-000123@ac-exemple.fr>", "<a@ac-exemple.fr>"]
    assert mail.reply_address == "parent@example.fr"
    assert mail.text == "Bonjour,\nmon code d'activation est refusé."
    assert not mail.is_auto_reply and not mail.is_bounce and not mail.warnings


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?utf-8?B?Q29kZSByZWZ1c8Op?=", "Code refusé"),
        ("=?utf-8?B?Q29kZSByZWZ1c8O?=", "Code refus"),  # truncated base64, no padding
        ("=?x-unknown-42?Q?Caf=C3=A9?=", "Café"),  # unknown charset: UTF-8 fallback
        ("=?iso-8859-1?Q?El=E8ve?= =?iso-8859-1?Q?_absent?=", "Elève absent"),
        ("=?utf-8?Q?Mot_de_passe_oubli=C3?= =?utf-8?Q?=A9?=", "Mot de passe oublié"),
    ],
)
def test_subject_decoding_fallbacks(header, expected):
    mail = parse_message(_raw(f"From: a@example.fr\nSubject: {header}", "x"))

    assert mail.subject == expected


def test_raw_8bit_subject_in_latin1_and_utf8():
    latin = b"From: a@example.fr\r\nSubject: R\xe9ponse \xe0 votre demande\r\n\r\nx"
    utf8 = "From: a@example.fr\r\nSubject: Réponse à votre demande\r\n\r\nx".encode()

    assert parse_message(latin).subject == "Réponse à votre demande"
    assert parse_message(utf8).subject == "Réponse à votre demande"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, 2 Mar 2026 10:00:00 +0100", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("Mon, 2 Mar 2026 10:00:00 -0000", datetime(2026, 3, 2, 10, 0, tzinfo=UTC)),
        ("2 Mar 2026 10:00 (CET) +0100", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("demain matin", None),
    ],
)
def test_dates_are_aware_or_none(value, expected):
    mail = parse_message(_raw(f"From: a@example.fr\nDate: {value}", "x"))

    assert mail.date == expected
    assert mail.date is None or mail.date.tzinfo is not None


def test_display_name_that_looks_like_an_address_is_flagged():
    mail = parse_message(_raw('From: "banque@example.fr" <fraude@example.org>', "x"))
    assert mail.from_address == "fraude@example.org"
    assert mail.from_name == "banque@example.fr"

    mail = parse_message(_raw("From: directeur@clg-exemple.fr <fraude@example.org>", "x"))
    assert mail.from_address == "fraude@example.org"
    assert mail.is_sender_ambiguous
    assert mail.warnings


def test_message_ids_are_normalised():
    raw = _raw(
        "From: a@example.fr\nMessage-ID: bare-id@example.fr\n"
        "In-Reply-To: <one@example.fr> (message de Zoé)\n"
        "References: <r1@example.fr>\n <r2@example.fr> <r1@example.fr>",
        "x",
    )
    mail = parse_message(raw)

    assert mail.message_id == "<bare-id@example.fr>"
    assert mail.in_reply_to == "<one@example.fr>"
    assert mail.references == ["<r1@example.fr>", "<r2@example.fr>"]


# -- automatic replies and bounces ---------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "subject", "expected"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: votre demande", True),
        ({"Auto-Submitted": "auto-generated; owner-email=x@example.fr"}, "Info", True),
        ({"Auto-Submitted": "no"}, "Re: votre demande", False),
        ({"X-Autoreply": "yes"}, "Re: votre demande", True),
        ({"X-Autorespond": "1"}, "Re: votre demande", True),
        ({"Precedence": "bulk"}, "Lettre d'information", True),
        ({"Precedence": "junk"}, "Offre", True),
        ({"Precedence": "list"}, "[liste] message", True),
        ({}, "Réponse automatique : Impossible de me connecter", True),
        ({}, "Absence du bureau", True),
        ({}, "Absence : Camille Martin", True),
        ({}, "Out of Office: Re: account", True),
        ({}, "Automatic reply: Password", True),
        ({}, "Absence de connexion à EduConnect", False),
        ({}, "Mon enfant était en absence lundi", False),
        ({}, "Impossible de me connecter", False),
    ],
)
def test_auto_reply_detection(headers, subject, expected):
    mail = parse_message(_build(subject=subject, headers=headers).as_bytes())

    assert mail.is_auto_reply is expected


def _dsn(action: str = "failed", recipient: str = "eleve.inconnu@example.fr") -> bytes:
    return _raw(
        """
From: Mail Delivery System <MAILER-DAEMON@mx.ac-exemple.fr>
To: assistance+2026-000123@ac-exemple.fr
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="R"
""",
        f"""--R\r
Content-Type: text/plain; charset=utf-8\r
\r
Votre message n'a pas pu être remis.\r
--R\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; mx.ac-exemple.fr\r
\r
Final-Recipient: rfc822; {recipient}\r
Action: {action}\r
Status: 5.1.1\r
--R\r
Content-Type: text/rfc822-headers\r
\r
Message-ID: <reply-42@ac-exemple.fr>\r
Subject: [2026-000123] Votre demande\r
--R--\r
""",
    )


def test_delivery_status_bounce():
    mail = parse_message(_dsn())

    assert mail.is_bounce and mail.is_auto_reply
    assert mail.bounced_recipients == ["eleve.inconnu@example.fr"]
    assert mail.original_message_id == "<reply-42@ac-exemple.fr>"
    assert mail.text == "Votre message n'a pas pu être remis."
    assert mail.attachments == []


def test_delay_notice_is_not_a_bounce():
    mail = parse_message(_dsn(action="delayed"))

    assert not mail.is_bounce
    assert mail.bounced_recipients == []


def test_bounce_recipient_found_in_body_text():
    raw = _raw(
        """
From: postmaster@mail.example.net
To: assistance@ac-exemple.fr
Subject: Delivery failure
Content-Type: text/plain; charset=utf-8
""",
        "This is the mail system at host mail.example.net.\n\n"
        "<parent.absent@example.net>: host mx.example.net said: 550 5.1.1 User unknown\n",
    )
    mail = parse_message(raw)

    assert mail.is_bounce
    assert mail.bounced_recipients == ["parent.absent@example.net"]


def test_french_bounce_subject_without_report():
    raw = _raw(
        """
From: Service de messagerie <no-reply@example.net>
To: assistance@ac-exemple.fr
Subject: Message non remis : Votre demande
Content-Type: text/plain; charset=utf-8
""",
        "Le message n'a pas pu être remis à\n\n   famille.dupont@example.net\n",
    )
    mail = parse_message(raw)

    assert mail.is_bounce
    assert mail.bounced_recipients == ["famille.dupont@example.net"]


# -- body and attachments ---------------------------------------------------------------


def test_html_only_message_converted_and_sanitised():
    message = _build()
    message.set_content(
        "<p>Bonjour,</p><p>Voir <a href='https://educonnect.education.gouv.fr'>le portail</a>"
        "<script>alert(1)</script><img src='https://tracker.example.com/p.gif' onerror='x()'>"
        "</p>",
        subtype="html",
    )
    mail = parse_message(message.as_bytes())

    assert mail.text == "Bonjour,\n\nVoir le portail (https://educonnect.education.gouv.fr)"
    assert "<script" not in mail.html_sanitised and "alert" not in mail.html_sanitised
    assert "onerror" not in mail.html_sanitised
    assert "tracker.example.com" not in mail.html_sanitised
    assert 'href="https://educonnect.education.gouv.fr"' in mail.html_sanitised


def test_plain_text_preferred_over_html():
    message = _build(body="Texte brut\n")
    message.add_alternative("<p>Texte <b>HTML</b></p>", subtype="html")
    mail = parse_message(message.as_bytes())

    assert mail.text == "Texte brut"
    assert mail.html_sanitised == "<p>Texte <b>HTML</b></p>"


def test_format_flowed_is_joined():
    raw = _raw(
        "From: a@example.fr\nContent-Type: text/plain; charset=utf-8; format=flowed",
        "Une longue phrase qui \r\ncontinue ici.\r\n\r\n-- \r\nZoé",
    )
    assert parse_message(raw).text == "Une longue phrase qui continue ici.\n\n-- \nZoé"


def _with_attachments(*files: tuple[str, str, bytes]) -> bytes:
    message = _build()
    for filename, ctype, data in files:
        maintype, subtype = ctype.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def test_attachments_kept_and_refused():
    raw = _with_attachments(
        ("capture.png", "image/png", b"\x89PNG" + b"0" * 100),
        ("releve.pdf", "application/pdf", b"%PDF-1.4"),
        ("outil.exe", "application/octet-stream", b"MZ"),
        ("script.js", "text/plain", b"alert(1)"),
        ("archive.zip", "application/zip", b"PK"),
        ("photo.jpg", "application/octet-stream", b"\xff\xd8\xff"),
    )
    mail = parse_message(raw)

    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("capture.png", "image/png"),
        ("releve.pdf", "application/pdf"),
        ("photo.jpg", "image/jpeg"),
    ]
    assert [(s.filename, s.reason) for s in mail.skipped] == [
        ("outil.exe", "Extension de fichier interdite (.exe)."),
        ("script.js", "Extension de fichier interdite (.js)."),
        ("archive.zip", "Type de fichier non autorisé (application/zip)."),
    ]


def test_attachment_size_limits():
    raw = _with_attachments(
        ("a.pdf", "application/pdf", b"1" * 600),
        ("gros.pdf", "application/pdf", b"2" * 1500),
        ("b.pdf", "application/pdf", b"3" * 600),
        ("c.pdf", "application/pdf", b"4" * 100),
    )
    limits = ParseLimits(max_attachment_bytes=1000, max_total_bytes=1300)
    mail = parse_message(raw, limits)

    assert [a.filename for a in mail.attachments] == ["a.pdf", "b.pdf", "c.pdf"]
    assert [s.filename for s in mail.skipped] == ["gros.pdf"]
    assert mail.skipped[0].size == 1500
    assert mail.skipped[0].reason.startswith("Pièce jointe trop volumineuse")

    mail = parse_message(raw, ParseLimits(max_attachment_bytes=1000, max_total_bytes=1000))
    assert [a.filename for a in mail.attachments] == ["a.pdf", "c.pdf"]
    assert mail.skipped[1].reason.startswith("Taille totale des pièces jointes dépassée")


def test_custom_allowed_types():
    raw = _with_attachments(("archive.zip", "application/zip", b"PK"))
    mail = parse_message(raw, ParseLimits(allowed_types=frozenset({"application/zip"})))

    assert [a.filename for a in mail.attachments] == ["archive.zip"]


def test_forwarded_message_kept_as_eml_attachment():
    inner = _build(subject="Message transféré")
    outer = _build(body="Je vous transfère le message.\n")
    outer.add_attachment(inner)
    mail = parse_message(outer.as_bytes())

    assert mail.text == "Je vous transfère le message."
    assert len(mail.attachments) == 1
    attachment = mail.attachments[0]
    assert attachment.content_type == "message/rfc822"
    assert attachment.filename.endswith(".eml")
    assert parse_message(attachment.data).subject == "Message transféré"


# -- hostile input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("/etc/shadow.txt", "shadow.txt"),
        ("C:/Windows/notes.txt", "notes.txt"),
        ("....", "piece-jointe.pdf"),
        ("rapport\u202etxt.pdf", "rapporttxt.pdf"),
    ],
)
def test_path_traversal_attachment_names_neutralised(name, expected):
    raw = _raw(
        """
From: a@example.fr
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"
""",
        (
            "--B\r\nContent-Type: text/plain\r\n\r\nCi-joint.\r\n"
            "--B\r\nContent-Type: application/pdf\r\n"
            f"Content-Disposition: attachment; filename*=utf-8''{_percent(name)}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x\r\n--B--\r\n"
        ),
    )
    mail = parse_message(raw)

    assert [a.filename for a in mail.attachments] == [expected]
    assert mail.attachments[0].data == b"%PDF-1"


def _percent(text: str) -> str:
    return "".join(
        ch if ch.isalnum() or ch in "-_." else "".join(f"%{b:02X}" for b in ch.encode())
        for ch in text
    )


def test_script_and_event_handlers_removed_from_html():
    raw = _raw(
        "From: a@example.fr\nContent-Type: text/html; charset=utf-8",
        '<div onclick="steal()">Bonjour<script>document.cookie</script>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">ici</a>'
        '<iframe src="https://evil.example"></iframe><style>body{}</style></div>',
    )
    mail = parse_message(raw)

    lowered = mail.html_sanitised.lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style", "cookie"):
        assert needle not in lowered
    assert "Bonjour" in mail.html_sanitised
    assert mail.text == "Bonjourici"


def test_two_megabyte_single_line():
    line = b"Bonjour " + b"x" * (2 * 1024 * 1024)
    mail = parse_message(_raw("From: a@example.fr\nSubject: long", line))

    assert not mail.is_unparseable
    assert len(mail.text) == len(line)
    assert mail.reply_parts()[0] == mail.text


def test_bad_base64_body_and_attachment():
    raw = _raw(
        """
From: a@example.fr
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"
""",
        "--B\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
        "\r\nQm9uam91ciDDqWzDqHZl!!\r\n***\r\n"
        "--B\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64"
        "\r\n\r\nJVBER$$i0x=\r\n--B--\r\n",
    )
    mail = parse_message(raw)

    assert mail.text.startswith("Bonjour élève")
    assert [a.filename for a in mail.attachments] == ["a.pdf"]


def test_unknown_charset_body():
    raw = _raw(
        "From: a@example.fr\nContent-Type: text/plain; charset=x-unknown-42\n"
        "Content-Transfer-Encoding: 8bit",
        "Caf\xe9 cr\xe8me".encode("latin-1"),
    )
    assert parse_message(raw).text == "Café crème"


def _nested(depth: int) -> bytes:
    head = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth)
    )
    tail = "".join(f"\r\n--b{i}--\r\n" for i in reversed(range(depth)))
    headers = "From: a@example.fr\r\nSubject: profond\r\nMIME-Version: 1.0\r\n"
    return f"{headers}{head}Content-Type: text/plain\r\n\r\nAu fond{tail}".encode()


def test_deeply_nested_multiparts_are_bounded():
    mail = parse_message(_nested(200))

    assert not mail.is_unparseable
    assert mail.subject == "profond"
    assert any("imbriquée" in warning for warning in mail.warnings)

    shallow = parse_message(_nested(10))
    assert shallow.text == "Au fond"
    assert not shallow.warnings


def test_empty_input():
    for raw in (b"", b"   \r\n\r\n"):
        mail = parse_message(raw)
        assert mail.is_unparseable
        assert mail.error == "Le message est vide."
        assert mail.raw == raw


def test_random_bytes():
    generator = random.Random(20260302)
    for size in (1, 17, 4096, 100_000):
        raw = bytes(generator.randrange(256) for _ in range(size))
        mail = parse_message(raw)
        assert mail.raw == raw
        assert mail.is_unparseable or isinstance(mail.text, str)


def test_outlook_msg_file_is_refused_in_french():
    raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    mail = parse_message(raw)

    assert mail.is_unparseable
    assert "Outlook" in mail.error


def test_headerless_text_is_unparseable_but_readable():
    mail = parse_message("Bonjour,\nje n'arrive pas à me connecter.\n".encode())

    assert mail.is_unparseable
    assert mail.error == "Aucun en-tête de message électronique n'a été trouvé."
    assert mail.text == "Bonjour,\nje n'arrive pas à me connecter."


def test_modern_policy_failure_falls_back_to_compat32(monkeypatch):
    original = email.message_from_bytes

    def fragile(raw, *args, policy=None, **kwargs):
        if policy is email.policy.default:
            raise IndexError("boom")
        return original(raw, *args, policy=policy, **kwargs)

    monkeypatch.setattr(email, "message_from_bytes", fragile)
    mail = parse_message(_build().as_bytes())

    assert not mail.is_unparseable
    assert mail.subject == "Impossible de me connecter à EduConnect"
    assert mail.from_name == "Zoé Lefèvre"


def test_never_raises_even_when_every_parser_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(email, "message_from_bytes", broken)
    mail = parse_message(_build().as_bytes())

    assert mail.is_unparseable
    assert mail.error == "Le message n'a pas pu être analysé (ValueError)."
