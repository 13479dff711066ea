"""FAQ article files: Markdown with a YAML front matter, loaded into `ArticleDoc`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpdesk.tickets.taxonomy import MOTIFS

AUDIENCES: dict[str, str] = {
    "parent": "Parents et responsables",
    "eleve": "Élèves",
    "directeur": "Directeurs et secrétariats",
    "agent": "Agents du centre de services",
}
STATUSES: dict[str, str] = {"published": "Publié", "draft": "Brouillon"}
FIELD_ORDER = (
    "title",
    "slug",
    "audiences",
    "motifs",
    "tags",
    "status",
    "reviewed",
    "summary",
    "sources",
)
#: A seed of `reference/seeds/` (`002_e9254e51854e6bed.txt`) or the reference digest.
SOURCE_FILE_RE = re.compile(r"^(?:[0-9]{3}_[0-9a-f]{16}\.txt|educonnect-domain\.md)$")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z0-9àâäçéèêëîïôöùûüÿœæ]+(?:-[a-z0-9àâäçéèêëîïôöùûüÿœæ]+)*$")
_FENCE = "---"


class _HeaderLoader(yaml.SafeLoader):
    """Safe YAML loader that leaves dates as text, so they are checked with a clear message."""


_HeaderLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ArticleError(ValueError):
    """An article file cannot be read or does not validate; `problems` lists why, in French."""

    def __init__(self, problems: Iterable[str], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        prefix = f"{source} : " if source else ""
        super().__init__(prefix + " ; ".join(self.problems))


@dataclass(frozen=True)
class Source:
    """A passage of the service's documents that a text rests on, copied word for word."""

    seed: str
    passage: str


@dataclass(frozen=True)
class ArticleDoc:
    slug: str
    title: str
    audiences: tuple[str, ...] = ()
    motifs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    status: str = "draft"
    reviewed: dt.date | None = None
    summary: str = ""
    body: str = field(default="", repr=False)
    sources: tuple[Source, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        for name in ("audiences", "motifs", "tags", "sources"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def is_published(self) -> bool:
        return self.status == "published"


def normalise_body(body: str) -> str:
    """LF line ends, no trailing spaces, no blank lines around, one final newline."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(lines).strip("\n")
    return text + "\n" if text else ""


def validate_article(doc: ArticleDoc) -> list[str]:
    """Return the problems of an article, in French (empty when it is valid)."""
    problems: list[str] = []
    if not isinstance(doc.title, str) or not doc.title.strip():
        problems.append("Le titre est obligatoire.")
    if not isinstance(doc.slug, str) or not SLUG_RE.match(doc.slug):
        problems.append(
            f"Identifiant (slug) invalide : « {doc.slug} » "
            "(lettres minuscules non accentuées, chiffres et tirets)."
        )
    if not doc.audiences:
        problems.append("Indiquez au moins un public (audiences).")
    for audience in doc.audiences:
        if audience not in AUDIENCES:
            problems.append(f"Public inconnu : « {audience} » (attendu : {', '.join(AUDIENCES)}).")
    if not doc.motifs:
        problems.append("Indiquez au moins un motif.")
    for motif in doc.motifs:
        if motif not in MOTIFS:
            problems.append(f"Motif inconnu : « {motif} ».")
    for tag in doc.tags:
        if not isinstance(tag, str) or not TAG_RE.match(tag):
            problems.append(
                f"Mot-clé invalide : « {tag} » (minuscules, chiffres et tirets, sans espace)."
            )
    for name in ("audiences", "motifs", "tags"):
        values = getattr(doc, name)
        if len(set(values)) != len(values):
            problems.append(f"Valeur répétée dans « {name} ».")
    if doc.status not in STATUSES:
        problems.append(f"Statut inconnu : « {doc.status} » (attendu : published ou draft).")
    if not isinstance(doc.reviewed, dt.date) or isinstance(doc.reviewed, dt.datetime):
        problems.append(
            f"Date de relecture invalide : « {doc.reviewed} » (format attendu : AAAA-MM-JJ)."
        )
    if not isinstance(doc.summary, str) or not doc.summary.strip():
        problems.append("Le résumé (summary) est obligatoire.")
    elif "\n" in doc.summary:
        problems.append("Le résumé doit tenir sur une seule ligne.")
    if not isinstance(doc.body, str) or not doc.body.strip():
        problems.append("Le texte de l'article est vide.")
    problems.extend(source_problems(doc.sources))
    return problems


def source_problems(sources: Iterable[Source]) -> list[str]:
    """Problems of the recorded sources' form (whether each passage is found is checked
    against the documents themselves by `helpdesk.knowledge.sources`)."""
    problems = []
    for number, source in enumerate(sources, start=1):
        if not SOURCE_FILE_RE.match(source.seed or ""):
            problems.append(
                f"Source {number} : document inconnu « {source.seed} » "
                "(attendu : un fichier des documents de référence, par exemple "
                "002_e9254e51854e6bed.txt)."
            )
        if not (source.passage or "").strip():
            problems.append(f"Source {number} : le passage cité est vide.")
        elif "\n" in source.passage:
            problems.append(f"Source {number} : le passage cité doit tenir sur une ligne.")
    return problems


def _as_sources(value: Any, problems: list[str]) -> tuple[Source, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(item, dict)
        and set(item) == {"seed", "passage"}
        and all(isinstance(v, str) for v in item.values())
        for item in value
    ):
        problems.append("« sources » doit être une liste d'éléments « seed » et « passage ».")
        return ()
    return tuple(Source(item["seed"].strip(), " ".join(item["passage"].split())) for item in value)


def _split(text: str) -> tuple[str, str]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        raise ArticleError(
            ["Le fichier doit commencer par un en-tête YAML entre deux lignes « --- »."]
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == _FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    raise ArticleError(["L'en-tête YAML n'est pas refermé par une ligne « --- »."])


def _as_list(value: Any, name: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    problems.append(f"« {name} » doit être une liste de textes.")
    return ()


def _as_date(value: Any, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"Date de relecture invalide : « {value} » (format attendu : AAAA-MM-JJ).")
    return None


def parse_article(text: str, *, source: str | None = None) -> ArticleDoc:
    """Parse and validate one article file's text; raise ArticleError with every problem."""
    try:
        header, body = _split(text)
    except ArticleError as exc:
        raise ArticleError(exc.problems, source) from None
    try:
        meta = yaml.load(header, Loader=_HeaderLoader)
    except (yaml.YAMLError, ValueError) as exc:
        raise ArticleError([f"En-tête YAML illisible : {exc}"], source) from None
    if not isinstance(meta, dict):
        raise ArticleError(
            ["L'en-tête YAML doit être une suite de champs « nom: valeur »."], source
        )
    problems: list[str] = []
    unknown = sorted(str(key) for key in meta if key not in FIELD_ORDER)
    if unknown:
        problems.append(f"Champ inconnu dans l'en-tête : {', '.join(unknown)}.")
    reviewed = meta.get("reviewed")
    doc = ArticleDoc(
        slug=str(meta.get("slug") or ""),
        title=str(meta.get("title") or ""),
        audiences=_as_list(meta.get("audiences"), "audiences", problems),
        motifs=_as_list(meta.get("motifs"), "motifs", problems),
        tags=_as_list(meta.get("tags"), "tags", problems),
        status=str(meta.get("status") or ""),
        reviewed=_as_date(reviewed, problems) if reviewed is not None else None,
        summary=str(meta.get("summary") or "").strip(),
        body=normalise_body(body),
        sources=_as_sources(meta.get("sources"), problems),
    )
    problems.extend(p for p in validate_article(doc) if p not in problems)
    if problems:
        raise ArticleError(problems, source)
    return doc


def _scalar(value: str) -> str:
    options = {"allow_unicode": True, "default_flow_style": True, "width": 1_000_000}
    dumped = yaml.safe_dump(value, **options)
    if dumped.startswith("'") and "'" in value:
        # French text is full of apostrophes: double quotes read better than doubled ''.
        dumped = yaml.safe_dump(value, default_style='"', **options)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _flow_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(_scalar(v) for v in values) + "]"


def _source_lines(sources: tuple[Source, ...]) -> list[str]:
    if not sources:
        return []
    lines = ["sources:"]
    for source in sources:
        lines.append(f"  - seed: {source.seed}")
        lines.append(f"    passage: {_scalar(source.passage)}")
    return lines


def dump_article(doc: ArticleDoc) -> str:
    """The normalised file text of an article (fixed field order, flow lists, LF)."""
    reviewed = doc.reviewed.isoformat() if doc.reviewed else ""
    lines = [
        _FENCE,
        f"title: {_scalar(doc.title.strip())}",
        f"slug: {doc.slug}",
        f"audiences: {_flow_list(doc.audiences)}",
        f"motifs: {_flow_list(doc.motifs)}",
        f"tags: {_flow_list(doc.tags)}",
        f"status: {doc.status}",
        f"reviewed: {reviewed}",
        f"summary: {_scalar(doc.summary.strip())}",
        *_source_lines(doc.sources),
        _FENCE,
        "",
        "",
    ]
    return "\n".join(lines) + normalise_body(doc.body)


def load_article(path: str | Path) -> ArticleDoc:
    """Read one `<slug>.md` file; its slug must match the file name."""
    path = Path(path)
    doc = parse_article(path.read_text(encoding="utf-8"), source=path.name)
    if doc.slug != path.stem:
        raise ArticleError(
            [f"Le slug « {doc.slug} » ne correspond pas au nom du fichier « {path.name} »."],
            path.name,
        )
    return doc


def load_articles(directory: str | Path) -> list[ArticleDoc]:
    """Every `*.md` article of a folder, sorted by slug; one ArticleError lists all bad files."""
    docs: list[ArticleDoc] = []
    problems: list[str] = []
    for path in sorted(Path(directory).glob("*.md")):
        try:
            docs.append(load_article(path))
        except ArticleError as exc:
            problems.append(str(exc))
    if problems:
        raise ArticleError(problems)
    return docs


def write_article(doc: ArticleDoc, directory: str | Path) -> Path:
    """Validate and write an article as `<directory>/<slug>.md`."""
    problems = validate_article(doc)
    if problems:
        raise ArticleError(problems, doc.slug)
    path = Path(directory) / f"{doc.slug}.md"
    path.write_text(dump_article(doc), encoding="utf-8", newline="\n")
    return path
