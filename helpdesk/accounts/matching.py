"""Find the people a request is about: responsables, their accounts and their children.

A few indexed look-ups (:mod:`helpdesk.accounts.lookups`) gather a small candidate set; names
are then compared with rapidfuzz (:mod:`helpdesk.accounts.names`). A namesake (same surname,
another first name, no child in common) is somebody else; the records of one person (a
duplicate in the school base) are grouped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from helpdesk.accounts.candidates import Candidate, assess, load_candidates
from helpdesk.accounts.described import (
    ChildQuery,
    Described,
    PersonQuery,
    child_fit,
    describe,
    readings,
)
from helpdesk.accounts.grouping import (
    ask_detail,
    fits,
    group_records,
    records_same_person,
    same_person,
)
from helpdesk.accounts.lookups import (
    accounts_of,
    child_candidates,
    contact_candidates,
    count_namesakes,
    expand_ids,
    login_owners,
    mobile_holders,
    name_candidates,
    pupil_accounts,
    pupil_candidates,
)
from helpdesk.accounts.models import Account, Pupil, PupilLink, Responsable
from helpdesk.accounts.names import (
    CLOSE,
    OTHER,
    first_name_level,
    parse_loose_date,
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

    candidates = load_candidates(session, ids)
    for cand in candidates.values():
        cand.login_exact = cand.id in owners
        assess(cand, given, by_account)

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
    group, evidence = group_records(best, accepted)
    group_fits = set().union(*(fits(c) for c in group))
    # another person is a rival when the request fits them as well, or fits them on a
    # detail that the best one lacks: only a detail that one person alone fits decides
    rivals = [
        c
        for c in accepted
        if c not in group and (c.strength[0] >= best.strength[0] or fits(c) - group_fits)
    ]
    if rivals:
        persons = [group]
        for rival in rivals:
            if not any(rival in person for person in persons):
                persons.append(group_records(rival, accepted)[0])
        match.ambiguous = len(persons)
        match.identified = _identify(given, [])
        match.ask_detail = ask_detail(given, persons)
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
    extra = load_candidates(session, others)
    if extra:
        for cand in extra.values():
            assess(cand, given, by_account)
        group, evidence = group_records(best, [*accepted, *extra.values()])

    return _finish(session, match, given, group, evidence)


def _finish(
    session: Session,
    match: PersonMatch,
    given: Described,
    group: list[Candidate],
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
