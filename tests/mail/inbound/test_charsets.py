from __future__ import annotations

import pytest

from helpdesk.mail.inbound.charsets import clean_text, decode_bytes, normalise_charset


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("UTF-8", "utf-8"),
        ('"utf8"', "utf-8"),
        ("x-gbk", "gbk"),
        ("gb2312", "gb18030"),
        ("ks_c_5601-1987", "cp949"),
        ("iso-8859-8-i", "iso8859-8"),
        ("windows-874", "cp874"),
        ("charset=us-ascii", "cp1252"),
        ("iso-8859-1", "cp1252"),
        ("x-unknown-42", None),
        ("charset=us-askey", None),
        ("base64", None),
        ("rot13", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_charset(label, expected):
    assert normalise_charset(label) == expected


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("élève".encode(), "utf-8", "élève"),
        ("élève".encode("latin-1"), "iso-8859-1", "élève"),
        ("élève".encode(), "iso-8859-1", "élève"),  # UTF-8 labelled Latin-1
        ("élève".encode(), "us-ascii", "élève"),
        ("élève".encode("latin-1"), "utf-8", "élève"),  # Latin-1 labelled UTF-8
        ("élève".encode("latin-1"), "x-unknown-42", "élève"),
        ("“guillemets” €".encode("cp1252"), None, "“guillemets” €"),
        ("шостий".encode("koi8-r"), "koi8-r", "шостий"),
        ("Test".encode("utf-16-le"), "utf-16le", "Test"),
        ("café".encode()[:-1], "utf-8", "caf"),  # character cut at the end
        ("élève ".encode() * 20 + b"\xff", "utf-8", "élève " * 20 + "\ufffd"),
        (b"", "utf-8", ""),
    ],
)
def test_decode_bytes_fallbacks(data, declared, expected):
    assert decode_bytes(data, declared) == expected


def test_clean_text_normalises():
    text = "Ligne\r\nsuite\rfin\x00\u200b e\u0301\x85"

    assert clean_text(text) == "Ligne\nsuite\nfin é"


def test_clean_text_repairs_surrogate_escaped_bytes():
    escaped = "élève".encode().decode("ascii", "surrogateescape")

    assert clean_text(escaped) == "élève"
