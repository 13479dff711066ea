"""FAQ articles in the database, and every saved version of them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.auth.models import User
from helpdesk.core.db import Base, UTCDateTime, utcnow

LIST_SEPARATOR = "|"


def join_list(values) -> str:
    return LIST_SEPARATOR.join(values)


def split_list(text: str | None) -> tuple[str, ...]:
    return tuple(value for value in (text or "").split(LIST_SEPARATOR) if value)


class Article(Base):
    __tablename__ = "kb_article"
    __table_args__ = (Index("ix_kb_article_status_reviewed", "status", "reviewed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Lists are stored `|`-joined (`parent|directeur`): filters match `|value|` with LIKE.
    audiences: Mapped[str] = mapped_column(String(200))
    motifs: Mapped[str] = mapped_column(String(600))
    tags: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    reviewed: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    #: Passages of the service's documents the article rests on: [{"seed", "passage"}].
    sources: Mapped[list] = mapped_column(JSON, default=list)
    #: Number of the latest revision; an UPDATE only succeeds on the number it read.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article", order_by="ArticleRevision.number.desc()"
    )

    __mapper_args__ = {"version_id_col": revision, "version_id_generator": False}

    @property
    def audience_list(self) -> tuple[str, ...]:
        return split_list(self.audiences)

    @property
    def motif_list(self) -> tuple[str, ...]:
        return split_list(self.motifs)

    @property
    def tag_list(self) -> tuple[str, ...]:
        return split_list(self.tags)

    @property
    def is_published(self) -> bool:
        return self.status == "published"


class ArticleRevision(Base):
    """One saved version: the whole article as its file text, who saved it, when, why.

    Revisions outlive their article (the link is emptied on deletion, the slug stays), so
    a deletion is itself recorded as a last revision.
    """

    __tablename__ = "kb_article_revision"
    __table_args__ = (Index("ix_kb_article_revision_article_number", "article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("kb_article.id", ondelete="SET NULL"))
    slug: Mapped[str] = mapped_column(String(120), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    #: The article as `knowledge/<slug>.md` holds it (front matter and Markdown body).
    content: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(200), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article | None] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
