"""Reading articles: by slug, filtered lists, those due for review, visibility rules."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from helpdesk.knowledge.articles import ArticleDoc, Source
from helpdesk.knowledge.models import Article, ArticleRevision, split_list


def to_doc(article: Article) -> ArticleDoc:
    return ArticleDoc(
        slug=article.slug,
        title=article.title,
        audiences=split_list(article.audiences),
        motifs=split_list(article.motifs),
        tags=split_list(article.tags),
        status=article.status,
        reviewed=article.reviewed,
        summary=article.summary,
        body=article.body,
        sources=tuple(Source(item["seed"], item["passage"]) for item in article.sources or ()),
    )


#: Audiences the public pages show; an article meant only for agents is internal.
PUBLIC_AUDIENCES = ("parent", "eleve", "directeur")


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_cutoff(today: dt.date, months: int) -> dt.date:
    """Articles last reviewed on or before this date are due for review."""
    return months_before(today, months)


def get_article(session: Session, slug: str) -> Article | None:
    return session.scalar(select(Article).where(Article.slug == slug))


def has_articles(session: Session) -> bool:
    """Whether the database holds articles (False too when the table is not there yet)."""
    try:
        return session.scalar(select(Article.id).limit(1)) is not None
    except SQLAlchemyError:
        session.rollback()
        return False


def all_docs(session: Session) -> list[ArticleDoc]:
    return [to_doc(a) for a in session.scalars(select(Article).order_by(Article.slug))]


def _has(column, value: str):
    return ("|" + column + "|").contains(f"|{value}|", autoescape=True)


def list_articles(
    session: Session,
    *,
    status: str | None = None,
    audience: str | None = None,
    motif: str | None = None,
    due_on_or_before: dt.date | None = None,
    slugs: Iterable[str] | None = None,
) -> list[Article]:
    stmt = select(Article).options(selectinload(Article.updated_by))
    if status:
        stmt = stmt.where(Article.status == status)
    if audience:
        stmt = stmt.where(_has(Article.audiences, audience))
    if motif:
        stmt = stmt.where(_has(Article.motifs, motif))
    if due_on_or_before is not None:
        stmt = stmt.where(Article.reviewed <= due_on_or_before)
        stmt = stmt.order_by(Article.reviewed, Article.title)
    if slugs is not None:
        stmt = stmt.where(Article.slug.in_(list(slugs)))
    stmt = stmt.order_by(Article.title)
    return list(session.scalars(stmt))


def count_due(session: Session, cutoff: dt.date) -> int:
    return session.scalar(
        select(func.count()).select_from(Article).where(Article.reviewed <= cutoff)
    )


def revisions_of(session: Session, article: Article) -> list[ArticleRevision]:
    return list(
        session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article.id)
            .order_by(ArticleRevision.number.desc())
        )
    )


def get_revision(session: Session, article: Article, number: int) -> ArticleRevision | None:
    return session.scalar(
        select(ArticleRevision).where(
            ArticleRevision.article_id == article.id, ArticleRevision.number == number
        )
    )


def is_public(doc: ArticleDoc) -> bool:
    """Published and meant for someone other than the agents."""
    return doc.is_published and any(a in PUBLIC_AUDIENCES for a in doc.audiences)
