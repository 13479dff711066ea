"""What every node of the application shares, kept in the database.

Several app nodes, each with its own instance folder, run against one database. Whatever one
node writes and another must read lives here rather than on a node's disk:

- ``Blob``: content-addressed bytes (attachments, model files), stored once per content;
- ``SharedFile``: a name pointing at the current bytes of a file every node keeps a copy of
  (the retrained categoriser), so a node can tell cheaply whether its copy is current;
- ``Generation``: a counter per kind of derived data (the article index), raised in the
  transaction that changes the data, so a node can tell cheaply whether its copy is behind.

The database is the store because it is already shared, backed up and restored with the
rest: a ticket and its attachments are saved, removed or restored together, with no object
store to run, secure or keep consistent with it.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, delete, exists, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from helpdesk.core import dialect
from helpdesk.core.db import Base, UTCDateTime, utcnow

_DIGEST_RE = re.compile(r"[0-9a-f]{64}")


class Blob(Base):
    """Bytes stored once per content (SHA-256), whoever refers to them."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SharedFile(Base):
    """The current content of a file every node keeps a local copy of."""

    __tablename__ = "shared_file"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Generation(Base):
    """A counter raised by each change of some derived data (``articles``: the index)."""

    __tablename__ = "generation"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_digest(value: str) -> bool:
    return bool(_DIGEST_RE.fullmatch(value or ""))


def put(session: Session, data: bytes) -> str:
    """Store `data` (once, whoever stores it first) and return its SHA-256."""
    digest = digest_of(data)
    if session.get(Blob, digest) is None:
        stmt = dialect.insert(session, Blob).values(
            sha256=digest, size=len(data), data=data, created_at=utcnow()
        )
        session.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))
    return digest


def read(session: Session, digest: str) -> bytes | None:
    """The stored bytes of `digest`, or None when nothing is stored under it."""
    if not is_digest(digest):
        return None
    return session.scalar(select(Blob.data).where(Blob.sha256 == digest))


def remove_unreferenced(session: Session, digests, referenced_by) -> int:
    """Delete the blobs of `digests` that no row of `referenced_by` (columns) nor any shared
    file refers to; return how many were deleted."""
    wanted = sorted({d for d in digests if is_digest(d)})
    if not wanted:
        return 0
    used: set[str] = set(
        session.scalars(select(SharedFile.sha256).where(SharedFile.sha256.in_(wanted)))
    )
    for column in referenced_by:
        used |= set(session.scalars(select(column).where(column.in_(wanted))))
    unused = [d for d in wanted if d not in used]
    if not unused:
        return 0
    result = session.execute(
        delete(Blob).where(Blob.sha256.in_(unused)),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


def publish(session: Session, name: str, data: bytes) -> str:
    """Make `data` the current content of the shared file `name`; return its digest."""
    digest = put(session, data)
    row = session.get(SharedFile, name, with_for_update=True)
    previous = None if row is None else row.sha256
    if row is None:
        stmt = dialect.insert(session, SharedFile).values(
            name=name, sha256=digest, updated_at=utcnow()
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["name"], set_={"sha256": digest, "updated_at": utcnow()}
            )
        )
    elif row.sha256 != digest:
        row.sha256 = digest
        row.updated_at = utcnow()
    session.flush()
    if previous and previous != digest:
        still_used = session.scalar(select(exists().where(SharedFile.sha256 == previous)))
        if not still_used:
            remove_unreferenced(session, [previous], ())
    return digest


def published_digest(session: Session, name: str) -> str | None:
    """The digest of the current content of `name` (one primary-key read)."""
    return session.scalar(select(SharedFile.sha256).where(SharedFile.name == name))


def published(session: Session, name: str) -> tuple[str, bytes] | None:
    """The digest and bytes of the current content of `name`, or None."""
    row = session.execute(
        select(SharedFile.sha256, Blob.data)
        .join(Blob, Blob.sha256 == SharedFile.sha256)
        .where(SharedFile.name == name)
    ).first()
    return (row[0], row[1]) if row else None


def bump(session: Session, name: str) -> int:
    """Raise the generation `name` in the current transaction; return its new value.

    The row lock it takes lasts until the commit, so changes of the same kind are numbered in
    the order they commit.
    """
    value = session.scalar(
        update(Generation)
        .where(Generation.name == name)
        .values(value=Generation.value + 1)
        .returning(Generation.value)
    )
    if value is None:
        stmt = dialect.insert(session, Generation).values(name=name, value=1)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["name"], set_={"value": Generation.value + 1}
            )
        )
        value = session.scalar(select(Generation.value).where(Generation.name == name))
    return int(value or 0)


def generation(session: Session, name: str) -> int:
    """The current generation `name` (0 before any change)."""
    return int(
        session.scalar(select(func.coalesce(Generation.value, 0)).where(Generation.name == name))
        or 0
    )


def is_stored(session: Session, digest: str) -> bool:
    return is_digest(digest) and bool(session.scalar(select(exists().where(Blob.sha256 == digest))))


def head(session: Session, digest: str, size: int) -> bytes | None:
    """The first `size` bytes stored under `digest` (read by the database), or None."""
    if not is_digest(digest):
        return None
    value = session.scalar(select(func.substr(Blob.data, 1, size)).where(Blob.sha256 == digest))
    return None if value is None else bytes(value)
