"""The one attachment policy: names, types and sizes, for web forms and inbound mail alike."""

from __future__ import annotations

import re

import pytest

from helpdesk.core.errors import DomainError
from helpdesk.mail.inbound.attachments import ParseLimits, refusal_reason
from helpdesk.tickets.attachments import (
    MAX_FILENAME_CHARS,
    Upload,
    check_upload,
    effective_type,
    sanitise_filename,
    type_is_allowed,
)


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("capture.png", "image/png", "capture.png"),
        ("../../etc/passwd", "", "passwd"),
        ("..\\..\\win.ini", "", "win.ini"),
        ("/var/www/index.php", "", "index.php"),
        ("C:\\Users\\eleve\\bulletin.pdf", "", "bulletin.pdf"),
        ("bulletin..pdf", "", "bulletin.pdf"),
        ("..", "application/pdf", "piece-jointe.pdf"),
        ("", "text/calendar", "piece-jointe.ics"),
        (None, "application/octet-stream", "piece-jointe"),
        ("re\x00lev\x1fe.pdf", "", "releve.pdf"),
        ("photo\u202egpj.exe", "", "photogpj.exe"),
        ('a<b>c:d"e|f?g*h.txt', "", "a_b_c_d_e_f_g_h.txt"),
        ("CON.txt", "", "_CON.txt"),
        (".htaccess", "", "htaccess"),
        ("  espaces   multiples .pdf  ", "", "espaces multiples.pdf"),
        ("e\u0301le\u0300ve.pdf", "", "élève.pdf"),
    ],
)
def test_sanitise_filename(name, content_type, expected):
    assert sanitise_filename(name, content_type) == expected


def test_sanitise_filename_limits_length_and_keeps_extension():
    name = sanitise_filename("é" * 500 + ".pdf")

    assert len(name) == MAX_FILENAME_CHARS
    assert name.endswith("é.pdf")


@pytest.mark.parametrize(
    ("content_type", "filename", "expected"),
    [
        ("image/png", "x.png", "image/png"),
        ("application/octet-stream", "photo.jpg", "image/jpeg"),
        ("application/octet-stream", "winmail.dat", "application/ms-tnef"),
        ("application/octet-stream", "signature.asc", "application/pgp-signature"),
        ("application/octet-stream", "sans-extension", "application/octet-stream"),
        ("", "notes.txt", "text/plain"),
    ],
)
def test_effective_type(content_type, filename, expected):
    assert effective_type(content_type, filename) == expected


def test_type_patterns():
    allowed = frozenset({"image/*", "application/vnd.oasis.opendocument.*"})

    assert type_is_allowed("image/webp", allowed)
    assert type_is_allowed("application/vnd.oasis.opendocument.text", allowed)
    assert not type_is_allowed("application/pdf", allowed)


def test_default_limits_refuse_dangerous_files():
    limits = ParseLimits()

    assert refusal_reason("bulletin.pdf", "application/pdf", 10, 0, limits) is None
    assert refusal_reason("dessin.svg", "image/svg+xml", 10, 0, limits)
    assert refusal_reason("page.html", "text/plain", 10, 0, limits)
    assert refusal_reason("macro.docm", "application/msword", 10, 0, limits)
    assert refusal_reason("inconnu", "application/octet-stream", 10, 0, limits)
    reason = refusal_reason("gros.pdf", "application/pdf", 11 * 1024 * 1024, 0, limits)
    assert reason == "Pièce jointe trop volumineuse (11,0 Mo, maximum 10,0 Mo)."


@pytest.mark.parametrize(
    ("filename", "declared", "stored_type"),
    [
        ("IMG_0042.HEIC", "image/heic", "image/heic"),
        ("IMG_0043.heic", "application/octet-stream", "image/heic"),
        ("scan.tiff", "image/tiff", "image/tiff"),
        ("courrier.rtf", "application/rtf", "application/rtf"),
        (
            "reunion.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("releve.pdf", "application/pdf", "application/pdf"),
    ],
)
def test_web_uploads_accept_what_mail_accepts(filename, declared, stored_type):
    checked = check_upload(Upload(filename, declared, b"data"), max_bytes=1024)

    assert checked.content_type == stored_type
    assert refusal_reason(filename, declared, 4, 0, ParseLimits()) is None


@pytest.mark.parametrize(
    ("filename", "declared", "message"),
    [
        ("outil.exe", "application/pdf", "extension de fichier interdite (.exe)"),
        ("page.html", "text/plain", "extension de fichier interdite (.html)"),
        ("archive.zip", "application/zip", "type de fichier non autorisé (application/zip)"),
        ("vide.pdf", "application/pdf", "est vide"),
        ("gros.pdf", "application/pdf", "trop volumineuse"),
    ],
)
def test_web_uploads_refuse_with_a_french_message(filename, declared, message):
    data = b"" if filename == "vide.pdf" else b"x" * (2048 if filename == "gros.pdf" else 10)

    with pytest.raises(DomainError, match=re.escape(message)):
        check_upload(Upload(filename, declared, data), max_bytes=1024)
