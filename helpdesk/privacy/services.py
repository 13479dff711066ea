"""What the command line, the worker and the admin pages call: whole operations, committed.

An erasure is only done once the database files, the search index, the attachment store and
the categoriser's cache no longer hold the person: these steps run after the commit, here,
so that no caller forgets one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.auth.models import User
from helpdesk.core.errors import DomainError
from helpdesk.privacy import person, retention
from helpdesk.privacy.anonymise import remove_unused_files
from helpdesk.privacy.erasure import ErasureReport, erase_person
from helpdesk.privacy.person_export import export_person
from helpdesk.privacy.storage import flush_database_files, rebuild_ticket_index


@dataclass(frozen=True)
class PrivacySettings:
    rules: list[retention.RetentionRule]
    batch_size: int
    classifier_dir: Path

    @classmethod
    def from_config(cls, config: Mapping) -> PrivacySettings:
        from helpdesk.classify.services import cache_dir_for

        return cls(
            rules=retention.rules_from_config(config),
            batch_size=int(config["RETENTION_BATCH_SIZE"]),
            classifier_dir=cache_dir_for(config),
        )

    def training_cutoff(self, now: datetime) -> datetime | None:
        rule = next((r for r in self.rules if r.kind == "classifier_texts"), None)
        return rule.cutoff(now) if rule and rule.is_active else None


def parse_moment(text: str | None) -> datetime:
    """``--now``: a date (midnight UTC) or an ISO date and time; now when not given."""
    if not text:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise DomainError(f"Date illisible : « {text} » (AAAA-MM-JJ attendu).") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_retention(
    factory: sessionmaker[Session],
    engine: Engine,
    settings: PrivacySettings,
    now: datetime,
    dry_run: bool = False,
    started_by: str = "commande",
) -> retention.RetentionReport:
    report = retention.run_retention(
        factory,
        settings.rules,
        now,
        dry_run=dry_run,
        batch_size=settings.batch_size,
        classifier_dir=settings.classifier_dir,
        started_by=started_by,
    )
    if not dry_run and report.total:
        flush_database_files(engine)
    return report


def find(session: Session, identifier: str) -> person.PersonData:
    return person.find_person(session, person.parse_identity(identifier))


def export(session: Session, identifier: str, settings: PrivacySettings) -> dict | None:
    """The person's data as one object, or None when nothing is held about them."""
    data = find(session, identifier)
    if not data.found:
        return None
    return export_person(session, data)


def erase(
    factory: sessionmaker[Session],
    engine: Engine,
    identifier: str,
    settings: PrivacySettings,
    actor: User | None = None,
) -> ErasureReport | None:
    """Erase the person everywhere; None when nothing is held about them."""
    identity = person.parse_identity(identifier)
    with factory() as session:
        data = person.find_person(session, identity)
        if not data.found:
            return None
        report = erase_person(session, data, actor)
        rebuild_ticket_index(session)
        session.commit()
        remove_unused_files(session, report.digests)
        cutoff = settings.training_cutoff(datetime.now(UTC))
        retention.retrain_without_stale(session, cutoff, settings.classifier_dir)
    flush_database_files(engine)
    return report


def next_run_due(last_run: datetime | None, hours: float, now: datetime) -> bool:
    return hours > 0 and (last_run is None or now - last_run >= timedelta(hours=hours))
