"""Articles in the database: the one write path (create, edit, publish, delete, import, export).

Every change records an `ArticleRevision` and notes the article in `session.info`; once the
session commits, the article index applies those notes (see `access`), so the index follows
the database and never shows what was rolled back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from helpdesk.core import shared
from helpdesk.core.db import utcnow
from helpdesk.core.errors import DomainError
from helpdesk.knowledge.articles import (
    STATUSES,
    ArticleDoc,
    ArticleError,
    Source,
    dump_article,
    load_articles,
    normalise_body,
    parse_article,
    validate_article,
    write_article,
)
from helpdesk.knowledge.models import Article, ArticleRevision, join_list
from helpdesk.knowledge.queries import to_doc

#: session.info key: {slug: ArticleDoc to index, or None to remove}, applied after commit.
PENDING_INDEX = "kb_index_pending"
#: session.info key: the article index generation the transaction raised the database to.
PENDING_GENERATION = "kb_index_generation"
#: The name of the article index's counter (see `helpdesk.core.shared.Generation`).
INDEX_GENERATION = "articles"
SYSTEM_LABEL = "Import des fichiers"
MAX_LENGTHS = {"slug": 120, "title": 200, "summary": 500}
FIELD_LABELS = {"slug": "L'identifiant", "title": "Le titre", "summary": "Le résumé"}


class ArticleInvalid(DomainError):
    """The article does not validate; `problems` lists why, in French."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(" ; ".join(self.problems))


class ArticleConflict(DomainError):
    """Someone saved the article since the editor opened it."""


# -- conversions ------------------------------------------------------------------------


def _fill(article: Article, doc: ArticleDoc) -> None:
    article.slug = doc.slug
    article.title = doc.title
    article.audiences = join_list(doc.audiences)
    article.motifs = join_list(doc.motifs)
    article.tags = join_list(doc.tags)
    article.status = doc.status
    article.reviewed = doc.reviewed
    article.summary = doc.summary
    article.body = doc.body
    article.sources = [{"seed": s.seed, "passage": s.passage} for s in doc.sources]


def clean_doc(doc: ArticleDoc) -> ArticleDoc:
    """The article as it will be stored: trimmed title and summary, normalised body."""
    return dataclasses.replace(
        doc,
        title=(doc.title or "").strip(),
        summary=(doc.summary or "").strip(),
        body=normalise_body(doc.body or ""),
        sources=tuple(
            Source(s.seed.strip(), " ".join(s.passage.split())) for s in doc.sources or ()
        ),
    )


def check_doc(doc: ArticleDoc) -> None:
    """Raise ArticleInvalid unless the article validates and writes back to a file unchanged."""
    problems = validate_article(doc)
    for name, limit in MAX_LENGTHS.items():
        value = getattr(doc, name)
        if isinstance(value, str) and len(value) > limit:
            problems.append(f"{FIELD_LABELS[name]} est trop long ({limit} caractères au plus).")
    if not problems:
        try:
            same = parse_article(dump_article(doc)) == doc
        except ArticleError as exc:
            problems.extend(exc.problems)
        else:
            if not same:
                problems.append("Le texte contient des caractères qui ne peuvent pas être gardés.")
    if problems:
        raise ArticleInvalid(problems)


# -- index notes --------------------------------------------------------------------------


def _note_for_index(session: Session, slug: str, doc: ArticleDoc | None) -> None:
    if PENDING_GENERATION not in session.info:
        # Every node's index follows this counter: the change is numbered in its transaction.
        session.info[PENDING_GENERATION] = shared.bump(session, INDEX_GENERATION)
    session.info.setdefault(PENDING_INDEX, {})[slug] = doc


def take_index_changes(session: Session) -> tuple[dict[str, ArticleDoc | None], int | None]:
    """The articles changed by the transaction that just committed and the generation of the
    index it made (and forget them)."""
    generation = session.info.pop(PENDING_GENERATION, None)
    return session.info.pop(PENDING_INDEX, None) or {}, generation


def forget_index_changes(session: Session) -> None:
    session.info.pop(PENDING_INDEX, None)
    session.info.pop(PENDING_GENERATION, None)


# -- writing ----------------------------------------------------------------------------


def _author_label(actor) -> str:
    return getattr(actor, "display_name", None) or SYSTEM_LABEL


def _add_revision(session: Session, article: Article, doc: ArticleDoc, actor, note: str) -> None:
    session.add(
        ArticleRevision(
            article=article,
            slug=doc.slug,
            number=article.revision,
            title=doc.title,
            status=doc.status,
            content=dump_article(doc),
            note=(note or "").strip()[:200],
            author_id=getattr(actor, "id", None),
            author_label=_author_label(actor),
            created_at=article.updated_at,
        )
    )


def create_article(session: Session, doc: ArticleDoc, actor=None, note: str = "") -> Article:
    doc = clean_doc(doc)
    problems = []
    try:
        check_doc(doc)
    except ArticleInvalid as exc:
        problems = exc.problems
    if session.scalar(select(Article.id).where(Article.slug == doc.slug)) is not None:
        problems.append(f"Un article porte déjà l'identifiant « {doc.slug} ».")
    if problems:
        raise ArticleInvalid(problems)
    now = utcnow()
    article = Article(
        revision=1, created_at=now, updated_at=now, updated_by_id=getattr(actor, "id", None)
    )
    _fill(article, doc)
    session.add(article)
    _add_revision(session, article, doc, actor, note or "Création")
    session.flush()
    _note_for_index(session, doc.slug, doc)
    return article


def update_article(
    session: Session,
    article: Article,
    doc: ArticleDoc,
    actor=None,
    note: str = "",
    expected_revision: int | None = None,
) -> bool:
    """Save a new version of `article`; return False (and record nothing) when unchanged.

    `expected_revision` is the version the editor started from: if someone saved since,
    ArticleConflict is raised rather than overwriting their work.
    """
    doc = clean_doc(doc)
    if doc.slug != article.slug:
        raise ArticleInvalid(["L'identifiant d'un article ne change pas après sa création."])
    check_doc(doc)
    if expected_revision is not None and expected_revision != article.revision:
        raise _conflict(article)
    if to_doc(article) == doc:
        return False
    _fill(article, doc)
    article.revision += 1
    article.updated_at = utcnow()
    article.updated_by_id = getattr(actor, "id", None)
    _add_revision(session, article, doc, actor, note or "Modification")
    try:
        session.flush()
    except StaleDataError:
        raise _conflict(None) from None
    _note_for_index(session, doc.slug, doc)
    return True


def _conflict(article: Article | None) -> ArticleConflict:
    who = ""
    if article is not None and article.revisions:
        who = f" par {article.revisions[0].author_label}"
    return ArticleConflict(
        f"L'article a été modifié entre-temps{who}. "
        "Rechargez la page pour repartir de la dernière version."
    )


def set_status(session: Session, article: Article, status: str, actor=None) -> bool:
    if status not in STATUSES:
        raise ArticleInvalid([f"Statut inconnu : « {status} »."])
    note = "Publication" if status == "published" else "Retour en brouillon"
    doc = dataclasses.replace(to_doc(article), status=status)
    return update_article(session, article, doc, actor, note)


def mark_reviewed(session: Session, article: Article, today: dt.date, actor=None) -> bool:
    doc = dataclasses.replace(to_doc(article), reviewed=today)
    return update_article(session, article, doc, actor, "Relecture")


def restore_revision(
    session: Session, article: Article, revision: ArticleRevision, actor=None
) -> bool:
    """Save the content of an older revision as the newest one."""
    if revision.article_id != article.id:
        raise ArticleInvalid(["Cette version appartient à un autre article."])
    try:
        doc = parse_article(revision.content)
    except ArticleError as exc:
        raise ArticleInvalid(exc.problems) from None
    return update_article(session, article, doc, actor, f"Retour à la version {revision.number}")


def delete_article(session: Session, article: Article, actor=None) -> None:
    """Delete an article; its history stays, closed by a revision recording the deletion."""
    doc = to_doc(article)
    slug = article.slug
    article.revision += 1
    article.updated_at = utcnow()
    _add_revision(session, article, doc, actor, "Suppression")
    session.flush()
    session.delete(article)
    session.flush()
    _note_for_index(session, slug, None)


# -- files ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def import_directory(session: Session, folder: str | Path, actor=None) -> ImportReport:
    """Load every `*.md` article of `folder`: new ones are created, changed ones get a new
    revision. Nothing is imported when a file does not validate (ArticleError lists all)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ArticleError([f"Dossier introuvable : {folder}"])
    docs = load_articles(folder)
    existing = {a.slug: a for a in session.scalars(select(Article))}
    report = ImportReport()
    note = f"Import depuis {folder.name}/"
    for doc in docs:
        article = existing.get(doc.slug)
        if article is None:
            create_article(session, doc, actor, note)
            report.created.append(doc.slug)
        elif update_article(session, article, doc, actor, note):
            report.updated.append(doc.slug)
        else:
            report.unchanged.append(doc.slug)
    return report


def export_directory(session: Session, folder: str | Path, prune: bool = False) -> ExportReport:
    """Write every article as `<folder>/<slug>.md`; with `prune`, remove the other `*.md`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    slugs = set()
    for article in session.scalars(select(Article).order_by(Article.slug)):
        report.written.append(write_article(to_doc(article), folder))
        slugs.add(article.slug)
    if prune:
        for path in sorted(folder.glob("*.md")):
            if path.stem not in slugs:
                path.unlink()
                report.removed.append(path)
    return report
