"""Check that the passages recorded beside a text are found, word for word, in the documents.

Advice rests on the service's own documents (`reference/seeds/` and the reference digest).
Each article, ready reply and guidance text records the passages it rests on; this module
finds them again. Comparison ignores only differences of white space (line breaks, repeated
spaces), never of wording or punctuation.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from helpdesk.core.config import PROJECT_ROOT
from helpdesk.knowledge.articles import Source

#: `reference/` of the shared folder beside a checkout: `seeds/*.txt`, `educonnect-domain.md`.
REFERENCE_DIR = PROJECT_ROOT.parent / "shared" / "reference"


def squeeze(text: str) -> str:
    """Text with every run of white space made one space."""
    return " ".join(text.split())


@lru_cache(maxsize=16)
def _document(path: Path) -> str:
    return squeeze(path.read_text(encoding="utf-8"))


def document_path(seed: str, reference_dir: Path = REFERENCE_DIR) -> Path:
    if seed.endswith(".md"):
        return reference_dir / seed
    return reference_dir / "seeds" / seed


def missing_passages(sources: Iterable[Source], reference_dir: Path = REFERENCE_DIR) -> list[str]:
    """French descriptions of the passages not found in their document (empty: all found)."""
    problems = []
    for source in sources:
        path = document_path(source.seed, reference_dir)
        if not path.is_file():
            problems.append(f"document introuvable : {source.seed}")
        elif squeeze(source.passage) not in _document(path):
            problems.append(f"passage absent de {source.seed} : « {source.passage[:80]} »")
    return problems


def source_warnings(sources: Iterable[Source], reference_dir: Path = REFERENCE_DIR) -> list[str]:
    """What the editor of an article is told about its sources (it may still save it)."""
    sources = list(sources)
    if not sources:
        return ["Aucune source : indiquez le passage des documents sur lequel repose l'article."]
    if not (reference_dir / "seeds").is_dir():
        return []
    return [
        problem[:1].upper() + problem[1:] for problem in missing_passages(sources, reference_dir)
    ]
