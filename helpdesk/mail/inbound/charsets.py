"""Decode bytes of unknown or mislabelled charsets into text, never failing."""

from __future__ import annotations

import codecs
import re
import unicodedata

# Names seen in the wild that Python does not know, mapped to the codec that reads them.
CHARSET_ALIASES = {
    "x-gbk": "gbk",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gb2312": "gb18030",
    "cn-gb": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-8-e": "iso-8859-8",
    "windows-874": "cp874",
    "x-mac-roman": "mac-roman",
    "x-mac-ce": "mac-latin2",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-sjis": "cp932",
    "shift-jis": "cp932",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-euc-jp": "euc-jp",
    "x-euc-tw": "big5",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "x-user-defined": "cp1252",
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
    "unicode": "utf-16",
    # WHATWG: these labels are read as windows-1252, a superset of both.
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "iso_8859-1": "cp1252",
    "windows-1252": "cp1252",
}

# Charsets under which valid UTF-8 with non-ASCII bytes is far more likely a mislabel.
_SINGLE_BYTE_WESTERN = {"cp1252", "iso8859-15", "iso8859-1", "ascii"}

_CHARSET_CLEAN_RE = re.compile(r"[^a-z0-9_.:+-]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff\ufffe]")


def normalise_charset(name: str | None) -> str | None:
    """Return a Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    label = str(name).strip().strip("\"'").lower()
    if label.startswith("charset="):
        label = label[len("charset=") :].strip("\"'")
    label = _CHARSET_CLEAN_RE.sub("", label)
    if not label or len(label) > 40:
        return None
    label = CHARSET_ALIASES.get(label, label)
    try:
        codec = codecs.lookup(label)
    except LookupError:
        return None
    if codec.name in {"rot-13", "base64", "hex", "zlib", "bz2", "uu", "quopri"}:
        return None
    if not getattr(codec, "_is_text_encoding", True):
        return None
    return codec.name


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode bytes with the declared charset, then UTF-8, then windows-1252/latin-1.

    Text declared as ASCII or Latin-1 that is valid UTF-8 is read as UTF-8 (a common mislabel);
    UTF-8 with a few damaged bytes keeps its readable characters.
    """
    if not data:
        return ""
    codec = normalise_charset(declared)
    candidates: list[str] = []
    if codec in _SINGLE_BYTE_WESTERN and not data.isascii():
        candidates.append("utf-8")
    if codec:
        candidates.append(codec)
    candidates.append("utf-8")
    for candidate in dict.fromkeys(candidates):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError as exc:
            truncated = exc.reason == "unexpected end of data" and exc.start >= len(data) - 3
            if candidate == "utf-8" and truncated:
                # A multi-byte character cut at the very end (truncated header or part).
                try:
                    return data[: exc.start].decode("utf-8")
                except UnicodeDecodeError:
                    continue
        except LookupError:
            continue
    mostly_utf8 = data.decode("utf-8", "replace")
    broken = mostly_utf8.count("\ufffd")
    readable = sum(1 for ch in mostly_utf8 if ord(ch) > 127) - broken
    if readable and (broken * 10 < readable or (codec == "utf-8" and broken <= readable)):
        return mostly_utf8  # UTF-8 with a few damaged bytes: keep the readable text
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def repair_surrogates(text: str) -> str:
    """Re-decode text carrying surrogate-escaped raw bytes (undecodable 8-bit headers)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8", "replace")
    return decode_bytes(raw)


def clean_text(text: str) -> str:
    """Normalise newlines, drop control characters and zero-width marks, compose accents."""
    text = repair_surrogates(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    # A lone surrogate cannot be stored or encoded: replace what is left of them.
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return unicodedata.normalize("NFC", text)
