"""What the watch page lists: its categories, what the school does about each, its items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from helpdesk.diagnostics.advice import WATCH

CATEGORIES: dict[str, str] = {
    "sans_mobile": "Responsables sans téléphone mobile",
    "doublons": "Responsables probablement enregistrés en double",
    "notification_expiree": "Comptes notifiés il y a plus de 3 mois, jamais activés",
    "courriel_non_confirme": "Adresses électroniques jamais confirmées",
    "eleve_non_eligible": "Élèves sans INE, sans classe ou non admis définitivement",
}

#: What the school does about each category.
CATEGORY_ACTIONS: dict[str, str] = {key: entry.agent for key, entry in WATCH.items()}

PROFILE_LABELS = {"responsable": "Responsable", "eleve": "Élève"}
ADMISSION_LABELS = {"provisoire": "admission provisoire", "radiee": "radié(e)"}


@dataclass(frozen=True)
class WatchItem:
    """One line of the page: a responsable, an account, a pupil or a group of records."""

    category: str
    ident: str
    name: str
    profile: str = ""
    children: str = ""
    detail: str = ""
    when: datetime | date | None = None
    sort_key: tuple = ()


@dataclass
class SchoolWatch:
    """Every item of one school, by category."""

    uai: str
    now: datetime | None
    items: dict[str, list[WatchItem]] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {code: len(self.items.get(code, [])) for code in CATEGORIES}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self, category: str | None = None) -> list[WatchItem]:
        """The items of one category, or of all of them in the categories' order."""
        codes = [category] if category else list(CATEGORIES)
        return [item for code in codes for item in self.items.get(code, [])]
