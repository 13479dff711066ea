"""Attachment storage: content-addressed files outside static/, checked on the way in."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpdesk.core.errors import DomainError

ALLOWED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "message/rfc822",
}
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


def safe_filename(name: str) -> str:
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or "piece-jointe"
    stem, ext = os.path.splitext(name)
    return stem[:120] + ext[:20]


def guess_type(filename: str, declared: str | None) -> str:
    guessed = mimetypes.guess_type(filename)[0]
    return (guessed or declared or "application/octet-stream").split(";")[0].strip().lower()


def check_upload(upload: Upload, max_bytes: int) -> Upload:
    """Return the upload with a safe name and type, or raise a French DomainError."""
    filename = safe_filename(upload.filename)
    content_type = guess_type(filename, upload.content_type)
    if content_type not in ALLOWED_TYPES:
        raise DomainError(
            f"« {filename} » : type de fichier non accepté (PDF, image, texte, bureautique)."
        )
    if len(upload.data) > max_bytes:
        raise DomainError(
            f"« {filename} » dépasse la taille maximale de {max_bytes // (1024 * 1024)} Mo."
        )
    if not upload.data:
        raise DomainError(f"« {filename} » est vide.")
    return Upload(filename, content_type, upload.data)


def store(directory: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = directory / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return digest


def path_for(directory: Path, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise DomainError("Pièce jointe introuvable.")
    return directory / sha256[:2] / sha256
