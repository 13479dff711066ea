"""Attachments of inbound mail: limits, allowed types and safe file names."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field

MB = 1024 * 1024
MAX_FILENAME_CHARS = 120
FALLBACK_FILENAME = "piece-jointe"

DEFAULT_ALLOWED_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/pjpeg",
        "image/gif",
        "image/webp",
        "image/bmp",
        "image/tiff",
        "image/heic",
        "image/heif",
        "application/pdf",
        "text/plain",
        "text/csv",
        "text/calendar",
        "text/vcard",
        "text/x-vcard",
        "application/rtf",
        "text/rtf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.*",
        "application/vnd.oasis.opendocument.*",
        "application/ms-tnef",
        "application/vnd.ms-tnef",
        "application/pgp-signature",
        "application/pgp-encrypted",
        "application/pgp-keys",
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pkcs7-mime",
        "application/x-pkcs7-mime",
        "message/rfc822",
    }
)

# Refused whatever the declared type: code that runs when opened, or markup a browser runs.
DEFAULT_BLOCKED_EXTENSIONS = frozenset(
    {
        "exe",
        "com",
        "bat",
        "cmd",
        "scr",
        "pif",
        "cpl",
        "msi",
        "msp",
        "msc",
        "dll",
        "sys",
        "vbs",
        "vbe",
        "js",
        "jse",
        "mjs",
        "wsf",
        "wsh",
        "ws",
        "ps1",
        "psm1",
        "psd1",
        "hta",
        "jar",
        "lnk",
        "url",
        "reg",
        "inf",
        "scf",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "appx",
        "html",
        "htm",
        "xhtml",
        "shtml",
        "mht",
        "mhtml",
        "svg",
        "svgz",
        "xml",
        "chm",
        "docm",
        "dotm",
        "xlsm",
        "xltm",
        "xlam",
        "pptm",
        "potm",
        "ppam",
        "sh",
        "py",
        "apk",
    }
)

# Declared types that say nothing: the file name decides.
_VAGUE_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/x-unknown",
        "application/unknown",
        "binary/octet-stream",
    }
)
_EXTRA_EXTENSION_TYPES = {
    "dat": "application/octet-stream",
    "asc": "application/pgp-signature",
    "sig": "application/pgp-signature",
    "p7s": "application/pkcs7-signature",
    "p7m": "application/pkcs7-mime",
    "log": "text/plain",
    "heic": "image/heic",
}
_TYPE_EXTENSIONS = {
    "text/plain": ".txt",
    "text/calendar": ".ics",
    "text/html": ".html",
    "message/rfc822": ".eml",
    "image/jpeg": ".jpg",
    "application/ms-tnef": ".dat",
    "application/pgp-signature": ".asc",
    "application/pkcs7-signature": ".p7s",
    "application/x-pkcs7-signature": ".p7s",
    "application/pkcs7-mime": ".p7m",
    "application/octet-stream": "",
}
_TYPES = mimetypes.MimeTypes()  # the built-in table only: same answer on every machine
_UNSAFE_CHARS_RE = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_SPACES_RE = re.compile(r"\s+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Limits applied while parsing; ``allowed_types`` entries may end with ``/*`` or ``.*``."""

    max_attachment_bytes: int = 10 * MB
    max_total_bytes: int = 25 * MB
    allowed_types: frozenset[str] = DEFAULT_ALLOWED_TYPES
    blocked_extensions: frozenset[str] = DEFAULT_BLOCKED_EXTENSIONS
    max_depth: int = 30
    max_parts: int = 500


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    is_inline: bool = False
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class SkippedAttachment:
    """An attachment left out of the parsed mail, with the reason shown to agents."""

    filename: str
    content_type: str
    size: int
    reason: str


def extension_of(filename: str) -> str:
    _, dot, ext = filename.rpartition(".")
    return ext.lower() if dot else ""


def guess_extension(content_type: str) -> str:
    content_type = content_type.lower()
    if content_type in _TYPE_EXTENSIONS:
        return _TYPE_EXTENSIONS[content_type]
    ext = _TYPES.guess_extension(content_type, strict=False) if content_type else None
    return ext or ""


def sanitise_filename(name: str | None, content_type: str = "") -> str:
    """Make an attachment name safe to store and offer for download.

    Keeps the last path component only, drops control and bidirectional characters, refuses
    ``..``, reserved Windows names and names made of dots, and limits the length while keeping
    the extension. Falls back to ``piece-jointe`` plus an extension guessed from the type.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE_CHARS_RE.sub("_", text)
    text = _SPACES_RE.sub(" ", text)
    while ".." in text:
        text = text.replace("..", ".")
    text = text.strip(" .")
    if not text or not text.strip("._-"):
        return FALLBACK_FILENAME + guess_extension(content_type)
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if stem.lower() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    ext = ext[:16]
    budget = MAX_FILENAME_CHARS - (len(ext) + 1 if ext else 0)
    stem = stem[:budget].rstrip(" .") or FALLBACK_FILENAME
    return f"{stem}.{ext}" if ext else stem


def effective_type(content_type: str, filename: str) -> str:
    """Return the declared type, or the one the extension gives when the declared is vague."""
    content_type = content_type.lower()
    if content_type and content_type not in _VAGUE_TYPES:
        return content_type
    if filename.lower() == "winmail.dat":
        return "application/ms-tnef"
    ext = extension_of(filename)
    guessed = _EXTRA_EXTENSION_TYPES.get(ext) or _TYPES.guess_type(f"x.{ext}", strict=False)[0]
    return guessed or content_type or "application/octet-stream"


def type_is_allowed(content_type: str, allowed: frozenset[str]) -> bool:
    if content_type in allowed:
        return True
    major = content_type.split("/", 1)[0]
    if f"{major}/*" in allowed:
        return True
    return any(
        pattern.endswith(".*") and content_type.startswith(pattern[:-1]) for pattern in allowed
    )


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",") + " Mo"


def refusal_reason(
    filename: str, content_type: str, size: int, total_so_far: int, limits: ParseLimits
) -> str | None:
    """Return why an attachment is refused (French, shown to agents), or None."""
    ext = extension_of(filename)
    if ext in limits.blocked_extensions:
        return f"Extension de fichier interdite (.{ext})."
    kind = effective_type(content_type, filename)
    if not type_is_allowed(kind, limits.allowed_types):
        return f"Type de fichier non autorisé ({kind})."
    if size > limits.max_attachment_bytes:
        return (
            f"Pièce jointe trop volumineuse ({_megabytes(size)}, "
            f"maximum {_megabytes(limits.max_attachment_bytes)})."
        )
    if total_so_far + size > limits.max_total_bytes:
        return (
            "Taille totale des pièces jointes dépassée "
            f"(maximum {_megabytes(limits.max_total_bytes)})."
        )
    return None
