from __future__ import annotations

import pytest

from helpdesk.mail.inbound.attachments import (
    MAX_FILENAME_CHARS,
    ParseLimits,
    effective_type,
    refusal_reason,
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
