"""Activation statistics of one school's EduConnect accounts: by state and by origin."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.accounts.models import ETATS, ORIGINES, Account, Pupil, PupilLink

ETAT_LABELS = {
    "non_notifie": "Non notifié",
    "notifie_non_active": "Notifié, non activé",
    "en_cours_activation": "En cours d'activation",
    "active": "Activé",
}
ORIGINE_LABELS = {
    "etablissement": "Notifié par l'école ou l'établissement",
    "responsable": "Inscription en ligne par SMS",
    "franceconnect": "FranceConnect",
    "ent": "ENT",
    "aten": "Ancien compte ATEN",
    "non_renseigne": "Non renseignée",
}
PROFILES = {"responsable": "Comptes des responsables", "eleve": "Comptes des élèves"}


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    count: int
    share: float


@dataclass
class ProfileStats:
    """The accounts of one profile (responsables or pupils) of a school."""

    profile: str
    label: str
    total: int = 0
    by_state: list[Bar] = field(default_factory=list)
    by_origin: list[Bar] = field(default_factory=list)

    @property
    def activated(self) -> int:
        return next((bar.count for bar in self.by_state if bar.code == "active"), 0)

    @property
    def activated_share(self) -> float:
        return self.activated / self.total if self.total else 0.0


def _bars(counts: dict[str | None, int], codes, labels: dict[str, str], total: int) -> list[Bar]:
    bars = []
    known = set(codes)
    for code in codes:
        count = counts.get(code, 0)
        bars.append(Bar(code, labels[code], count, count / total if total else 0.0))
    other = sum(n for code, n in counts.items() if code not in known)
    if other:
        bars.append(Bar("autre", "Autre ou non renseigné", other, other / total))
    return bars


def school_activation(session: Session, uai: str) -> list[ProfileStats]:
    """Accounts of the school's responsables and pupils, by state and by origin."""
    pupils = select(Pupil.eleve_id).where(Pupil.uai == uai)
    responsables = (
        select(PupilLink.responsable_id)
        .join(Pupil, Pupil.eleve_id == PupilLink.eleve_id)
        .where(Pupil.uai == uai)
    )
    out = []
    for profile, people in (("responsable", responsables), ("eleve", pupils)):
        rows = session.execute(
            select(Account.etat, Account.origine, func.count())
            .where(Account.profil == profile, Account.personne_id.in_(people))
            .group_by(Account.etat, Account.origine)
        ).all()
        states: dict[str | None, int] = {}
        origins: dict[str | None, int] = {}
        for etat, origine, count in rows:
            states[etat] = states.get(etat, 0) + count
            origins[origine] = origins.get(origine, 0) + count
        total = sum(states.values())
        out.append(
            ProfileStats(
                profile=profile,
                label=PROFILES[profile],
                total=total,
                by_state=_bars(states, ETATS, ETAT_LABELS, total),
                by_origin=_bars(origins, ORIGINES, ORIGINE_LABELS, total),
            )
        )
    return out
