"""Turn uploaded files of a form into the services' Upload objects."""

from __future__ import annotations

from helpdesk.tickets.attachments import Upload


def uploads_from(files) -> list[Upload]:
    uploads = []
    for storage in files or []:
        if storage is None or not getattr(storage, "filename", ""):
            continue
        uploads.append(Upload(storage.filename, storage.mimetype or "", storage.read()))
    return uploads
