"""Attachments of tickets: the one policy (types, extensions, names, sizes) that web forms and
inbound mail share, and content-addressed storage in the database every node shares.

A file is judged on its declared type, or on its extension when the declared type says nothing;
extensions of code that runs when opened are refused whatever the type.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session

from helpdesk.core import shared
from helpdesk.core.errors import DomainError

MB = 1024 * 1024
MAX_FILENAME_CHARS = 120
FALLBACK_FILENAME = "piece-jointe"

ALLOWED_TYPES = frozenset(
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
BLOCKED_EXTENSIONS = frozenset(
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


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


def uploads_from(files) -> list[Upload]:
    """The files a form received (werkzeug's ``FileStorage``), empty fields left out."""
    uploads = []
    for storage in files or []:
        if storage is None or not getattr(storage, "filename", ""):
            continue
        uploads.append(Upload(storage.filename, storage.mimetype or "", storage.read()))
    return uploads


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
    filename: str,
    content_type: str,
    size: int,
    *,
    max_bytes: int,
    allowed_types: frozenset[str] = ALLOWED_TYPES,
    blocked_extensions: frozenset[str] = BLOCKED_EXTENSIONS,
) -> str | None:
    """Why an attachment is refused (French, shown to people), or None when it is accepted."""
    ext = extension_of(filename)
    if ext in blocked_extensions:
        return f"Extension de fichier interdite (.{ext})."
    kind = effective_type(content_type, filename)
    if not type_is_allowed(kind, allowed_types):
        return f"Type de fichier non autorisé ({kind})."
    if size > max_bytes:
        return (
            f"Pièce jointe trop volumineuse ({_megabytes(size)}, maximum {_megabytes(max_bytes)})."
        )
    return None


def check_upload(upload: Upload, max_bytes: int) -> Upload:
    """Return the upload with a safe name and type, or raise a French DomainError."""
    filename = sanitise_filename(upload.filename, upload.content_type or "")
    content_type = effective_type((upload.content_type or "").split(";")[0].strip(), filename)
    if not upload.data:
        raise DomainError(f"« {filename} » est vide.")
    reason = refusal_reason(filename, content_type, len(upload.data), max_bytes=max_bytes)
    if reason:
        raise DomainError(f"« {filename} » : {reason[0].lower()}{reason[1:]}")
    return Upload(filename, content_type, upload.data)


#: How many first bytes of a file tell its kind for a preview.
SNIFF_BYTES = 16
#: Images shown in the page. SVG is left out on purpose: it is a document that can carry
#: scripts and links, as HTML can, and is only ever offered as a download.
PREVIEW_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
PREVIEW_PDF_TYPE = "application/pdf"


def sniff_preview_type(head: bytes) -> str | None:
    """The type a file's first bytes prove, among the few shown in the page; None otherwise.

    The declared type and the name are never trusted for a preview: a page that says
    image/png but starts with ``<html>`` is not an image.
    """
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return PREVIEW_PDF_TYPE
    return None


def preview_kind(content_type: str) -> str | None:
    """How the page offers a preview of an attachment of this stored type: 'image' (shown
    inline), 'pdf' (a link to the browser's viewer) or None. The preview route still checks
    the file's own bytes before it serves anything."""
    if content_type in PREVIEW_IMAGE_TYPES or content_type == "image/pjpeg":
        return "image"
    if content_type == PREVIEW_PDF_TYPE:
        return "pdf"
    return None


def read_head(session: Session, sha256: str) -> bytes | None:
    """The first bytes of a stored attachment (read in the database, not the whole file)."""
    return shared.head(session, sha256, SNIFF_BYTES)


def store(session: Session, data: bytes) -> str:
    """Store the content in the database that every node shares; return its SHA-256."""
    return shared.put(session, data)


def content(session: Session, sha256: str) -> bytes | None:
    """The stored content of an attachment, or None when it is not stored (any more)."""
    return shared.read(session, sha256)


def is_stored(session: Session, sha256: str) -> bool:
    return shared.is_stored(session, sha256)
