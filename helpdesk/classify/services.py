"""The categoriser the application uses: shipped examples plus agents' corrections, cached."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from helpdesk.classify.compact import (
    CACHE_FILE_NAME,
    COMPACT_FILE_NAME,
    SHIPPED_COMPACT,
    CompactModel,
    Predicting,
)
from helpdesk.classify.corrections import Correction, merge_corrections, retrain_with_corrections
from helpdesk.classify.documents import (
    DEVELOPMENT_REQUESTS,
    Example,
    Prediction,
    examples_digest,
    load_examples,
    motif_accuracy,
)
from helpdesk.core import shared
from helpdesk.core.db import sqlite_write_intent

if TYPE_CHECKING:
    from helpdesk.classify.model import Classifier


def cache_dir_for(config: Mapping[str, Any]) -> Path:
    """`CLASSIFY_CACHE_DIR`, or `classifier/` in the instance folder."""
    configured = config.get("CLASSIFY_CACHE_DIR")
    return Path(configured) if configured else Path(config["INSTANCE_PATH"]) / "classifier"


def cached_corrections(cache_dir: str | os.PathLike[str]) -> list[Correction]:
    """The corrections the cached classifier was trained with (its weighted examples)."""
    from helpdesk.classify.model import Classifier

    path = Path(cache_dir) / CACHE_FILE_NAME
    if not path.exists():
        return []
    return [
        (example.subject, example.body, example.type, example.nature, example.motif)
        for example in Classifier.load(path).examples
        if example.weight != 1.0
    ]


def load_classifier(
    cache_dir: str | os.PathLike[str], corrections: Iterable[Correction] | None = None
) -> Classifier:
    """The classifier trained on the shipped examples and the corrections, cached in `cache_dir`.

    Without `corrections`, those of the cached classifier are kept, so a restart or a new set
    of shipped examples does not lose what agents taught it.
    """
    if corrections is None:
        corrections = cached_corrections(cache_dir)
    return retrain_with_corrections(corrections, load_examples(), cache_dir=cache_dir)


@dataclass(frozen=True)
class RetrainOutcome:
    """What a retraining did: the classifier now in use and the figures that decided."""

    classifier: Classifier
    replaced: bool
    current_accuracy: float
    candidate_accuracy: float
    corrections: int

    def summary(self) -> str:
        figures = (
            f"{self.candidate_accuracy:.1%} contre {self.current_accuracy:.1%} "
            "sur le jeu de développement"
        )
        if self.replaced:
            return f"Catégoriseur réentraîné avec {self.corrections} corrections ({figures})."
        return (
            f"Catégoriseur conservé : le modèle réentraîné avec {self.corrections} corrections "
            f"ferait moins bien ({figures})."
        )


def retrain_guarded(
    cache_dir: str | os.PathLike[str],
    corrections: Iterable[Correction],
    development: Sequence[Example] | None = None,
) -> RetrainOutcome:
    """Retrain with the agents' corrections; keep the new model only if it is not worse.

    Corrections can be wrong (a hurried agent, a label chosen for another reason), and a model
    that learns them may get worse for everyone. The current model (the cached one, or the one
    trained on the shipped examples) and the retrained one are both measured on the development
    requests, which neither was trained on; the retrained one replaces the current one only if
    it finds at least as many motifs.
    """
    from helpdesk.classify.model import Classifier

    corrections = list(corrections)
    development = list(development) if development is not None else load_development()
    path = Path(cache_dir) / CACHE_FILE_NAME
    current = Classifier.load(path) if path.exists() else Classifier.train(load_examples())
    merged = merge_corrections(load_examples(), corrections)
    if examples_digest(merged) == current.digest:
        accuracy = motif_accuracy(current, development)
        if not path.exists():
            current.save(path)
        return RetrainOutcome(current, False, accuracy, accuracy, len(corrections))
    candidate = Classifier.train(merged)
    current_accuracy = motif_accuracy(current, development)
    candidate_accuracy = motif_accuracy(candidate, development)
    if candidate_accuracy >= current_accuracy:
        candidate.save(path)
        return RetrainOutcome(
            candidate, True, current_accuracy, candidate_accuracy, len(corrections)
        )
    if not path.exists():
        current.save(path)
    return RetrainOutcome(current, False, current_accuracy, candidate_accuracy, len(corrections))


def load_development() -> list[Example]:
    """The development requests shipped with the package."""
    return load_examples(DEVELOPMENT_REQUESTS)


def predictor_for(cache_dir: str | os.PathLike[str]) -> Predicting:
    """The model to predict with; scikit-learn is loaded only when no compact model fits.

    The compact model of the cache folder is used while it was trained on exactly the shipped
    examples plus the corrections it records; with no cache at all, the compact model shipped
    with the package is used while it matches the shipped examples. Otherwise (new examples
    shipped, a file from an older version) the full model is retrained, which writes both.
    """
    cache_dir = Path(cache_dir)
    shipped = load_examples()
    compact_path = cache_dir / COMPACT_FILE_NAME
    if compact_path.exists():
        compact = _readable(compact_path)
        if compact is not None:
            corrections = [Example.from_dict(data) for data in compact.corrections]
            expected = merge_corrections(
                shipped,
                [(e.subject, e.body, e.type, e.nature, e.motif) for e in corrections],
            )
            if compact.digest == examples_digest(expected):
                return compact
    elif not (cache_dir / CACHE_FILE_NAME).exists():
        compact = _readable(SHIPPED_COMPACT)
        if compact is not None and compact.digest == examples_digest(shipped):
            return compact
    return load_classifier(cache_dir)


def _readable(path: Path) -> CompactModel | None:
    try:
        return CompactModel.load(path)
    except ValueError:
        return None


# -- one model for every node -------------------------------------------------------------

#: Names of the model files in the database's shared files (see `helpdesk.core.shared`).
SHARED_PREFIX = "classifier/"
MODEL_FILES = (COMPACT_FILE_NAME, CACHE_FILE_NAME)
#: Beside each model file: the digest of the shared content it was last taken from or put as.
MARK_SUFFIX = ".shared"

log = logging.getLogger(__name__)


def _mark(path: Path) -> Path:
    return path.with_name(path.name + MARK_SUFFIX)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def publish_model(session: Session, cache_dir: str | os.PathLike[str]) -> bool:
    """Make the model files of `cache_dir` the ones every node uses; return whether the
    database's copy changed (the caller commits)."""
    changed = False
    for name in MODEL_FILES:
        path = Path(cache_dir) / name
        if not path.exists():
            continue
        data = path.read_bytes()
        before = shared.published_digest(session, SHARED_PREFIX + name)
        digest = shared.publish(session, SHARED_PREFIX + name, data)
        _write_atomic(_mark(path), digest.encode())
        changed = changed or before != digest
    return changed


def pull_model(session: Session, cache_dir: str | os.PathLike[str]) -> bool:
    """Copy into `cache_dir` the model files another node published since this folder last
    took or put them; return whether a file changed. One primary-key read per file when
    nothing changed."""
    changed = False
    for name in MODEL_FILES:
        path = Path(cache_dir) / name
        digest = shared.published_digest(session, SHARED_PREFIX + name)
        if digest is None:
            continue
        mark = _mark(path)
        if path.exists() and mark.exists() and mark.read_text().strip() == digest:
            continue
        found = shared.published(session, SHARED_PREFIX + name)
        if found is None:
            continue
        _write_atomic(path, found[1])
        _write_atomic(mark, found[0].encode())
        changed = True
    return changed


def pull_model_if_reachable(factory: Callable[[], Session], cache_dir: Path) -> bool:
    """`pull_model`, or nothing when the database is away or not yet created (the command
    line classifies with the model at hand)."""
    try:
        with factory() as session:
            return pull_model(session, cache_dir)
    except DBAPIError:
        log.warning("catégoriseur partagé non relu : base de données indisponible")
        return False


def retrain_shared(
    factory: Callable[[], Session],
    cache_dir: str | os.PathLike[str],
    corrections: Iterable[Correction],
) -> RetrainOutcome:
    """`retrain_guarded` on the model every node uses: start from the published one, and
    publish the outcome, so that every node picks it up."""
    with factory() as session:
        pull_model(session, cache_dir)
    outcome = retrain_guarded(cache_dir, corrections)
    with factory() as session:
        publish_model(session, cache_dir)
        session.commit()
    return outcome


class ReloadingClassifier:
    """Predicts with the cached model, and picks up a model retrained by another process or
    published by another node (`sync` copies it into the cache folder)."""

    def __init__(
        self,
        cache_dir: Path,
        check_every: float = 60.0,
        sync: Callable[[], object] | None = None,
    ):
        self.cache_dir = cache_dir
        self.check_every = check_every
        self.sync = sync
        self._sync()
        self._model = predictor_for(cache_dir)
        self._mtime = self._file_mtime()
        self._checked = time.monotonic()

    def _sync(self) -> None:
        if self.sync is None:
            return
        try:
            self.sync()
        except Exception:  # the database is away: go on with the model at hand
            log.exception("catégoriseur partagé non relu")

    def _file_mtime(self) -> float:
        path = self.cache_dir / COMPACT_FILE_NAME
        return path.stat().st_mtime if path.exists() else 0.0

    def __call__(self, subject: str | None, body: str | None) -> Prediction:
        now = time.monotonic()
        if now - self._checked > self.check_every:
            self._checked = now
            self._sync()
            mtime = self._file_mtime()
            if mtime != self._mtime:
                self._model = predictor_for(self.cache_dir)
                self._mtime = mtime
        return self._model.predict(subject, body)


def classifier_for(
    config: Mapping[str, Any], session: Callable[[], Session] | None = None
) -> Callable[[str | None, str | None], Prediction]:
    """The `(subject, body) -> Prediction` function services use; with `session` (a session
    maker of the shared database), it follows the model every node uses."""
    cache_dir = cache_dir_for(config)
    sync = None
    if session is not None:

        def sync() -> bool:
            # A read on a connection of its own, often inside a request that holds SQLite's
            # write lock: it must not ask for that lock.
            token = sqlite_write_intent.set(False)
            try:
                with session() as opened:
                    return pull_model(opened, cache_dir)
            finally:
                sqlite_write_intent.reset(token)

    every = float(config.get("CLASSIFY_SYNC_SECONDS", 60.0))
    return ReloadingClassifier(cache_dir, check_every=every, sync=sync)
