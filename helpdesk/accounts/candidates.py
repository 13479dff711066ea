"""The records a request could be about, each assessed against what the request says."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from helpdesk.accounts.described import (
    Described,
    child_support,
)
from helpdesk.accounts.lookups import (
    load_records,
)
from helpdesk.accounts.models import PupilLink, Responsable
from helpdesk.accounts.names import (
    CLOSE,
    FAR,
    OTHER,
    first_name_level,
    similarity,
    surname_level,
)


@dataclass
class Candidate:
    record: Responsable
    links: list[PupilLink] = field(default_factory=list)
    surname: int | None = None
    first_name: int | None = None
    name_score: float = 0.0
    phone_exact: bool = False
    phone_near: bool = False
    email_exact: bool = False
    #: The login the request gives is one of this record's accounts'.
    login_exact: bool = False
    child_score: float = 0.0
    child_exact: int = 0
    #: Indexes of the described children this record has (by name, and by name and date).
    child_hits: frozenset[int] = frozenset()
    child_dated: frozenset[int] = frozenset()
    in_uai: bool = False
    accepted: bool = False
    namesake: bool = False

    @property
    def id(self) -> str:
        return self.record.responsable_id

    @property
    def contact(self) -> bool:
        return self.phone_exact or self.email_exact or self.login_exact

    @property
    def strength(self) -> tuple[int, float]:
        points = (
            2 * self.phone_exact
            + 3 * self.login_exact
            + self.phone_near
            + 2 * self.email_exact
            + 2 * self.child_exact
            + (1 if self.child_score > 0 else 0)
            + (self.surname or 0)
            + (self.first_name or 0)
            + (1 if self.in_uai else 0)
        )
        return points, self.score

    @property
    def score(self) -> float:
        support = (
            0.35 * self.phone_exact
            + 0.15 * self.phone_near
            + 0.35 * self.email_exact
            + 0.3 * min(1.0, self.child_score)
            + 0.05 * self.in_uai
        )
        return round(min(1.0, 0.55 * self.name_score + min(0.45, support)), 3)

    def reasons(self) -> tuple[str, ...]:
        out = []
        if self.surname is not None and self.surname > OTHER:
            out.append("nom")
        if self.first_name is not None and self.first_name > OTHER:
            out.append("prenom")
        if self.phone_exact:
            out.append("telephone")
        elif self.phone_near:
            out.append("telephone_proche")
        if self.email_exact:
            out.append("email")
        if self.login_exact:
            out.append("identifiant")
        if self.child_score > 0:
            out.append("enfant")
        if self.in_uai:
            out.append("uai")
        return tuple(out)


def load_candidates(session: Session, ids: set[str]) -> dict[str, Candidate]:
    records, links = load_records(session, ids)
    return {r.responsable_id: Candidate(r, links=links.get(r.responsable_id, [])) for r in records}


def assess(cand: Candidate, given: Described, by_account: dict[str, set[str]]) -> None:
    record = cand.record
    best: tuple[int, int, float] | None = None
    for nom, prenom in given.orientations or [("", "")]:
        surname = surname_level(nom, record.nom)
        first = first_name_level(prenom, record.prenom)
        sims = [similarity(nom, record.nom) if nom else None]
        sims.append(similarity(prenom, record.prenom) if prenom else None)
        known = [s for s in sims if s is not None]
        name_score = sum(known) / len(known) if known else 0.0
        rank = ((surname or 0) + (first or 0), first if first is not None else 1, name_score)
        if best is None or rank > best:
            best = rank
            cand.surname, cand.first_name, cand.name_score = surname, first, name_score
    on_account = by_account.get(cand.id, set())
    values = {record.telephone_portable_e164, record.telephone_fixe_e164, record.email_key}
    values = (values | on_account) - {None}
    if given.phone:
        cand.phone_exact = given.phone in values
        cand.phone_near = not cand.phone_exact and bool(values & set(given.phone_variants))
    if given.email:
        cand.email_exact = given.email in values
    pupils = [link.pupil for link in cand.links if link.pupil is not None]
    total = 0.0
    hits, dated = set(), set()
    for index, (child, born) in enumerate(given.children):
        fit = max((child_support(child, born, p) for p in pupils), default=0.0)
        total += fit
        cand.child_exact += fit >= 1.0
        if fit > 0:
            hits.add(index)
        if born is not None and any(
            p.date_naissance == born and child_support(child, born, p) > 0 for p in pupils
        ):
            dated.add(index)
    cand.child_score = total
    cand.child_hits, cand.child_dated = frozenset(hits), frozenset(dated)
    if given.uai:
        cand.in_uai = any(p.uai == given.uai for p in pupils)
    cand.accepted, cand.namesake = decide(cand)


def decide(c: Candidate) -> tuple[bool, bool]:
    """Whether a candidate is the requester; and whether it is a namesake set aside."""
    child = c.child_score > 0
    support = c.contact or child or c.phone_near
    if c.first_name == OTHER:
        # another first name: somebody else, whatever else they share
        return False, bool(c.surname and c.surname >= FAR)
    if c.surname == OTHER:
        # a married or birth name: only when children and contact data agree
        return bool(c.first_name and c.first_name >= CLOSE and child and c.contact), False
    if c.surname is not None and c.first_name is not None:
        if c.surname >= CLOSE and c.first_name >= CLOSE:
            return True, False
        return support, False
    if c.surname is None and c.first_name is None:
        return c.contact, False
    known = c.surname if c.surname is not None else c.first_name
    return bool(known and known >= FAR and support), False
