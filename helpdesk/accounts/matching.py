"""Find the people a request is about: responsables, their accounts and their children.

A few indexed look-ups (:mod:`helpdesk.accounts.lookups`) gather a small candidate set; names
are then compared with rapidfuzz (:mod:`helpdesk.accounts.names`). A namesake (same surname,
another first name, no child in common) is somebody else; the records of one person (a
duplicate in the school base) are grouped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from helpdesk.accounts.described import (
    ChildQuery,
    Described,
    PersonQuery,
    child_fit,
    child_support,
    describe,
    readings,
)
from helpdesk.accounts.lookups import (
    accounts_of,
    child_candidates,
    contact_candidates,
    count_namesakes,
    expand_ids,
    load_records,
    login_owners,
    mobile_holders,
    name_candidates,
    pupil_accounts,
    pupil_candidates,
)
from helpdesk.accounts.models import Account, Pupil, PupilLink, Responsable
from helpdesk.accounts.names import (
    CLOSE,
    FAR,
    OTHER,
    SAME,
    civility_gender,
    first_name_level,
    parse_loose_date,
    similarity,
    surname_level,
)

__all__ = [
    "CandidateGroup",
    "ChildQuery",
    "PersonMatch",
    "PersonQuery",
    "Scored",
    "find_person",
    "records_same_person",
    "same_person",
]

PUPIL_ROLES = frozenset({"eleve", "élève", "pupil", "student"})


@dataclass(frozen=True)
class Scored:
    id: str
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdentifiedChild:
    """A child named in the request, and the pupil it was recognised as (if any)."""

    query: ChildQuery
    date_naissance: date | None
    eleve_id: str | None
    score: float = 0.0


@dataclass(frozen=True)
class CandidateGroup:
    """One of the people a request fits when it fits several: records, links, accounts."""

    records: list[Responsable]
    links: list[PupilLink]
    accounts: list[Account]


@dataclass
class PersonMatch:
    """The person found (their records grouped), or nobody."""

    responsables: list[Scored] = field(default_factory=list)
    accounts: list[Scored] = field(default_factory=list)
    pupils: list[Scored] = field(default_factory=list)
    records: list[Responsable] = field(default_factory=list)
    links: list[PupilLink] = field(default_factory=list)
    children: dict[str, Pupil] = field(default_factory=dict)
    account_rows: list[Account] = field(default_factory=list)
    identified: list[IdentifiedChild] = field(default_factory=list)
    #: For each of the person's mobiles, the other responsables recorded with it.
    mobile_holders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: What ties the grouped records together ("telephone", "email", "enfant").
    duplicate_evidence: tuple[str, ...] = ()
    namesakes: int = 0
    ambiguous: int = 0
    #: Set for a request about a pupil's own account.
    pupil: Pupil | None = None
    phone_e164: str | None = None
    #: The people the request fits, when it fits several (nobody is matched then).
    candidates: list[CandidateGroup] = field(default_factory=list)
    candidate_pupils: list[Pupil] = field(default_factory=list)
    #: What to ask to tell them apart (see ``diagnostics.rules.person.ASK_DETAILS``).
    ask_detail: str = ""

    @property
    def found(self) -> bool:
        return bool(self.records) or self.pupil is not None


# --------------------------------------------------------------------------- candidates


@dataclass
class _Candidate:
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


def _candidates(session: Session, ids: set[str]) -> dict[str, _Candidate]:
    records, links = load_records(session, ids)
    return {r.responsable_id: _Candidate(r, links=links.get(r.responsable_id, [])) for r in records}


def _assess(cand: _Candidate, given: Described, by_account: dict[str, set[str]]) -> None:
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
    cand.accepted, cand.namesake = _decide(cand)


def _decide(c: _Candidate) -> tuple[bool, bool]:
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


# --------------------------------------------------------------------------- grouping


def _fits(c: _Candidate) -> set[str]:
    """The details of the request (beyond the name) that this record fits."""
    out = {f"enfant:{i}" for i in c.child_hits} | {f"naissance:{i}" for i in c.child_dated}
    if c.phone_exact:
        out.add("telephone")
    elif c.phone_near:
        out.add("telephone_proche")
    if c.email_exact:
        out.add("email")
    if c.login_exact:
        out.add("identifiant")
    if c.in_uai:
        out.add("ecole")
    return out


def _ask_detail(given: Described, persons: list[list[_Candidate]]) -> str:
    """The one detail to ask when the request fits several people."""
    children = [{link.eleve_id for c in person for link in c.links} for person in persons]
    if any(a & b for i, a in enumerate(children) for b in children[i + 1 :]):
        # two parents of one child: only the requester's own details tell them apart
        return "demandeur"
    if given.children and any(born is None for _, born in given.children):
        return "date_naissance_enfant"
    if not given.children:
        return "prenom_enfant"
    if not given.phone:
        return "telephone"
    if not given.email:
        return "email"
    return "ecole"


def same_person(a: _Candidate, b: _Candidate) -> tuple[bool, tuple[str, ...]]:
    """Whether two responsable records are one person, and what they share.

    Only shared contact data or children join records: two records that merely bear the
    same name are two people (namesakes), whatever the request says about them.
    """
    ra, rb = a.record, b.record
    ga, gb = civility_gender(ra.civilite), civility_gender(rb.civilite)
    if ga and gb and ga != gb:
        return False, ()
    roles_a = {link.eleve_id: link.lien for link in a.links}
    shared_children = set()
    for link in b.links:
        if link.eleve_id in roles_a:
            other = roles_a[link.eleve_id]
            if {other, link.lien} == {"mere", "pere"}:
                return False, ()
            shared_children.add(link.eleve_id)
    shared = []
    mobile = ra.telephone_portable_e164 and ra.telephone_portable_e164 == rb.telephone_portable_e164
    if mobile:
        shared.append("telephone")
    if ra.email_key and ra.email_key == rb.email_key:
        shared.append("email")
    if shared_children:
        shared.append("enfant")
    if not shared:
        return False, ()
    surname = surname_level(ra.nom, rb.nom)
    first = first_name_level(ra.prenom, rb.prenom)
    contact = "telephone" in shared or "email" in shared
    if first == OTHER or (first == FAR and not (ga and ga == gb and contact)):
        # two short first names a letter apart (Léa, Léo) are two people unless the
        # civility and the contact data say otherwise
        return False, ()
    if surname == OTHER:
        # a married and a birth name: same first name and shared contact data
        ok = first == SAME and contact
        return ok, tuple(shared) if ok else ()
    return True, tuple(shared)


def records_same_person(
    a: Responsable, a_links: Sequence[PupilLink], b: Responsable, b_links: Sequence[PupilLink]
) -> tuple[bool, tuple[str, ...]]:
    """Whether two records of the school base are one person, and what they share."""
    return same_person(_Candidate(a, links=list(a_links)), _Candidate(b, links=list(b_links)))


def _group(best: _Candidate, pool: Sequence[_Candidate]) -> tuple[list[_Candidate], set[str]]:
    group = [best]
    evidence: set[str] = set()
    changed = True
    while changed:
        changed = False
        for cand in pool:
            if cand in group:
                continue
            for member in group:
                ok, shared = same_person(member, cand)
                if ok:
                    group.append(cand)
                    evidence.update(shared)
                    changed = True
                    break
    return group, evidence


# --------------------------------------------------------------------------- entry points


def find_person(session: Session, query: PersonQuery) -> PersonMatch:
    """The responsable records, accounts and children a request is about."""
    given = describe(query)
    if (query.role or "").strip().lower() in PUPIL_ROLES or (
        not query.describes_requester and len(query.children) == 1
    ):
        return _find_pupil(session, query, given)

    by_name, namesakes = name_candidates(session, given)
    by_contact, by_account = contact_candidates(session, given)
    owners = login_owners(session, given.login)
    ids = by_name | by_contact | owners | child_candidates(session, given)

    candidates = _candidates(session, ids)
    for cand in candidates.values():
        cand.login_exact = cand.id in owners
        _assess(cand, given, by_account)

    match = PersonMatch(phone_e164=given.phone)
    accepted = sorted(
        (c for c in candidates.values() if c.accepted), key=lambda c: c.strength, reverse=True
    )
    namesakes |= {c.id for c in candidates.values() if c.namesake}
    match.namesakes = len(namesakes - {c.id for c in accepted})
    if not accepted:
        match.namesakes = max(match.namesakes, count_namesakes(session, given))
        match.identified = _identify(given, [])
        return match

    best = accepted[0]
    group, evidence = _group(best, accepted)
    group_fits = set().union(*(_fits(c) for c in group))
    # another person is a rival when the request fits them as well, or fits them on a
    # detail that the best one lacks: only a detail that one person alone fits decides
    rivals = [
        c
        for c in accepted
        if c not in group and (c.strength[0] >= best.strength[0] or _fits(c) - group_fits)
    ]
    if rivals:
        persons = [group]
        for rival in rivals:
            if not any(rival in person for person in persons):
                persons.append(_group(rival, accepted)[0])
        match.ambiguous = len(persons)
        match.identified = _identify(given, [])
        match.ask_detail = _ask_detail(given, persons)
        accounts = accounts_of(session, [c.id for person in persons for c in person])
        match.candidates = [
            CandidateGroup(
                records=[c.record for c in sorted(person, key=lambda c: c.id)],
                links=[link for c in person for link in c.links],
                accounts=[a for c in person for a in accounts.get(c.id, [])],
            )
            for person in persons
        ]
        return match

    # records of the same person that the request did not hit directly
    children = [link.eleve_id for c in group for link in c.links]
    others = expand_ids(session, [c.record for c in group], children, set(candidates))
    extra = _candidates(session, others)
    if extra:
        for cand in extra.values():
            _assess(cand, given, by_account)
        group, evidence = _group(best, [*accepted, *extra.values()])

    return _finish(session, match, given, group, evidence)


def _finish(
    session: Session,
    match: PersonMatch,
    given: Described,
    group: list[_Candidate],
    evidence: set[str],
) -> PersonMatch:
    group.sort(key=lambda c: (-c.score, c.id))
    top = group[0].score
    match.records = [c.record for c in group]
    match.responsables = [
        Scored(c.id, c.score if c.accepted else round(top * 0.9, 3), c.reasons()) for c in group
    ]
    match.links = [link for c in group for link in c.links]
    match.children = {link.eleve_id: link.pupil for link in match.links if link.pupil is not None}
    accounts_by_person = accounts_of(session, [c.id for c in group])
    match.account_rows = [a for c in group for a in accounts_by_person.get(c.id, [])]
    match.accounts = [
        Scored(a.compte_id, next(s.score for s in match.responsables if s.id == a.personne_id))
        for a in match.account_rows
    ]
    match.duplicate_evidence = tuple(sorted(evidence))
    match.identified = _identify(given, list(match.children.values()))
    scores = {i.eleve_id: i.score for i in match.identified if i.eleve_id}
    match.pupils = [
        Scored(eleve_id, round(scores.get(eleve_id, top * 0.8), 3))
        for eleve_id in sorted(match.children)
    ]
    mobiles = sorted(
        {r.telephone_portable_e164 for r in match.records if r.telephone_portable_is_mobile}
        - {None}
    )
    if mobiles:
        own = {r.responsable_id for r in match.records}
        holders = mobile_holders(session, mobiles)
        match.mobile_holders = {
            m: tuple(sorted(ids - own)) for m, ids in holders.items() if ids - own
        }
    return match


def _identify(given: Described, pupils: list[Pupil]) -> list[IdentifiedChild]:
    """Recognise each described child among the person's children (each pupil once)."""
    taken: set[str] = set()
    out = []
    for child, born in given.children:
        ranked = sorted(
            ((child_fit(child, born, p), p.eleve_id) for p in pupils if p.eleve_id not in taken),
            reverse=True,
        )
        if ranked and ranked[0][0] > 0:
            fit, eleve_id = ranked[0]
            taken.add(eleve_id)
            out.append(IdentifiedChild(child, born, eleve_id, round(fit, 3)))
        else:
            out.append(IdentifiedChild(child, born, None))
    return out


def _find_pupil(session: Session, query: PersonQuery, given: Described) -> PersonMatch:
    """A request about a pupil's own account: the pupil and their ``eleve`` accounts."""
    if (query.role or "").strip().lower() in PUPIL_ROLES and (query.nom or query.prenom):
        described = ChildQuery(
            query.nom, query.prenom, query.children[0].date_naissance if query.children else None
        )
    elif query.children:
        described = query.children[0]
    else:
        return PersonMatch()
    pupil_given = Described(
        orientations=readings(described.nom, described.prenom) or [("", "")],
        email=None,
        phone=None,
        phone_variants=[],
        children=[(described, parse_loose_date(described.date_naissance))],
        uai=given.uai,
    )
    ranked = []
    for pupil in pupil_candidates(session, pupil_given):
        fit = _pupil_fit(described, pupil_given, pupil)
        if fit > 0:
            ranked.append((fit + (0.05 if given.uai and pupil.uai == given.uai else 0), pupil))
    ranked.sort(key=lambda item: (-item[0], item[1].eleve_id))
    if not ranked:
        return PersonMatch()
    if len(ranked) > 1 and ranked[1][0] >= ranked[0][0]:
        tied = [pupil for fit, pupil in ranked if fit >= ranked[0][0]]
        return PersonMatch(ambiguous=len(tied), candidate_pupils=tied, ask_detail="eleve")
    fit, pupil = ranked[0]
    accounts = pupil_accounts(session, pupil.eleve_id)
    score = round(min(1.0, fit), 3)
    return PersonMatch(
        pupils=[Scored(pupil.eleve_id, score)],
        accounts=[Scored(a.compte_id, score) for a in accounts],
        account_rows=list(accounts),
        children={pupil.eleve_id: pupil},
        pupil=pupil,
    )


def _pupil_fit(child: ChildQuery, given: Described, pupil: Pupil) -> float:
    best = 0.0
    for nom, prenom in given.orientations:
        surname = surname_level(nom, pupil.nom)
        first = first_name_level(prenom, pupil.prenom)
        born = given.children[0][1]
        same_date = born is not None and pupil.date_naissance == born
        if first == OTHER or surname == OTHER:
            continue
        levels = (surname or 0) + (first or 0)
        if surname is not None and first is not None and min(surname, first) >= CLOSE:
            fit = 0.7 + 0.1 * (levels - 4) / 2 + (0.2 if same_date else 0)
        elif same_date and max(surname or 0, first or 0) >= CLOSE:
            fit = 0.75
        else:
            continue
        if born is not None and not same_date and pupil.date_naissance is not None:
            fit -= 0.1
        best = max(best, fit)
    return best
