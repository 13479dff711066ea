"""Find the people a request is about: responsables, their accounts and their children.

A few indexed look-ups (name keys, E.164 phone and its one-slip variants, e-mail, children's
birth dates and names) gather a small candidate set; names are then compared with rapidfuzz.
A namesake (same surname, another first name, no child in common) is somebody else; the records
of one person (a duplicate in the school base) are grouped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, union
from sqlalchemy.orm import Session, contains_eager, selectinload

from helpdesk.accounts.models import Account, Pupil, PupilLink, Responsable
from helpdesk.accounts.names import (
    CLOSE,
    FAR,
    OTHER,
    PARTICLES,
    SAME,
    civility_gender,
    dates_close,
    first_name_level,
    glued_forms,
    parse_loose_date,
    similarity,
    surname_alternatives,
    surname_level,
)
from helpdesk.accounts.normalize import (
    email_key,
    name_key,
    parse_phone,
    phonetic_key,
)

#: Upper bound of rows read per look-up; real requests stay far below.
LOOKUP_LIMIT = 200
#: Upper bound of (id, name) rows read per name look-up, before rapidfuzz filters them.
NAME_LOOKUP_LIMIT = 1000
PUPIL_ROLES = frozenset({"eleve", "élève", "pupil", "student"})


@dataclass(frozen=True)
class ChildQuery:
    nom: str | None = None
    prenom: str | None = None
    date_naissance: str | None = None


@dataclass(frozen=True)
class PersonQuery:
    """What a requester wrote about themselves and their children; anything may be missing."""

    nom: str | None = None
    prenom: str | None = None
    email: str | None = None
    telephone: str | None = None
    role: str | None = None
    uai: str | None = None
    children: tuple[ChildQuery, ...] = ()

    @property
    def describes_requester(self) -> bool:
        return any((self.nom, self.prenom, self.email, self.telephone))


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

    @property
    def found(self) -> bool:
        return bool(self.records) or self.pupil is not None


# --------------------------------------------------------------------------- the request


@dataclass
class _Given:
    """The request, normalised once."""

    orientations: list[tuple[str, str]]  # (nom, prenom) readings, raw text
    nom_keys: list[str]
    email: str | None
    phone: str | None
    phone_variants: list[str]
    children: list[tuple[ChildQuery, date | None]]
    uai: str | None


def _orientations(nom: str | None, prenom: str | None) -> list[tuple[str, str]]:
    """Possible (surname, first name) readings: as written, inverted, or split from one field."""
    nom, prenom = (nom or "").strip(), (prenom or "").strip()
    readings: list[tuple[str, str]] = []
    if nom and prenom:
        readings += [(nom, prenom), (prenom, nom)]
    elif nom or prenom:
        text = nom or prenom
        words = text.split()
        if len(words) >= 2:
            readings += [
                (" ".join(words[1:]), words[0]),
                (" ".join(words[:-1]), words[-1]),
            ]
        readings.append((nom, prenom))
    return readings


def _phone_variants(e164: str | None) -> list[str]:
    """The number with one slip undone: two neighbouring digits swapped, or one digit changed."""
    if not e164 or not e164.startswith("+33") or len(e164) != 12:
        return []
    digits = e164[3:]
    variants: set[str] = set()
    for i in range(len(digits) - 1):
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        variants.add(swapped)
    for i in range(1, len(digits)):
        for d in "0123456789":
            variants.add(digits[:i] + d + digits[i + 1 :])
    variants.discard(digits)
    return sorted("+33" + v for v in variants)


def _prepare(query: PersonQuery) -> _Given:
    phone = parse_phone(query.telephone) if query.telephone else None
    e164 = phone.e164 if phone else None
    orientations = _orientations(query.nom, query.prenom)
    nom_keys = [k for k in dict.fromkeys(name_key(nom) for nom, _ in orientations) if k]
    children = [(child, parse_loose_date(child.date_naissance)) for child in query.children]
    return _Given(
        orientations=orientations,
        nom_keys=nom_keys,
        email=email_key(query.email),
        phone=e164,
        phone_variants=_phone_variants(e164),
        children=children,
        uai=(query.uai or "").strip().upper() or None,
    )


# --------------------------------------------------------------------------- look-ups


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


_GLUED_PARTICLES = ("de la ", "de l ", "des ", "del ", "du ", "de ", "la ", "le ", "d ", "l ")


def surname_lookup_keys(nom: str | None) -> list[str]:
    """Name keys under which a written surname may be recorded: as written, each side of
    "épouse"/"née", and with its particle glued or apart ("Lafontaine" / "de la fontaine")."""
    keys: list[str] = []
    for alt in surname_alternatives(nom):
        keys.append(alt)
        if " " not in alt:
            for particle in _GLUED_PARTICLES:
                glued = particle.replace(" ", "")
                if alt.startswith(glued) and len(alt) - len(glued) >= 3:
                    keys.append(particle + alt[len(glued) :])
                    keys.append("de " + particle + alt[len(glued) :])
        else:
            keys += sorted(glued_forms(alt))
            words = alt.split()
            while len(words) > 1 and words[0] in PARTICLES:
                words = words[1:]
                keys.append(" ".join(words))
        for particle in ("de ", "de la ", "du ", "le "):
            keys.append(particle + alt)
    return list(dict.fromkeys(keys))


def _name_pairs(given: _Given) -> list[dict[str, Any]]:
    """Parameters of the name look-up, one set per reading and surname alternative."""
    params = []
    for nom, prenom in given.orientations:
        prenom_key = name_key(prenom)
        if not prenom_key:
            continue
        keys = surname_lookup_keys(nom)
        for alt in surname_alternatives(nom):
            params.append(
                {
                    "nom_keys": keys,
                    "prenom": prenom_key,
                    "nom": alt,
                    # a slip in the first name: same surname, first name of the same initial
                    "initial_lo": prenom_key[0],
                    "initial_hi": _next_prefix(prenom_key[0]),
                    # a slip in the surname: same first name, same two first letters
                    "prefix_lo": alt[:2],
                    "prefix_hi": _next_prefix(alt[:2]),
                    "phonetic": phonetic_key(alt) or "-",
                }
            )
    return params


@cache
def _name_statement():
    r, p = Responsable, bindparam
    columns = (r.responsable_id, r.nom, r.prenom)
    return union(
        select(*columns).where(
            r.nom_key.in_(p("nom_keys", expanding=True)), r.prenom_key == p("prenom")
        ),
        select(*columns).where(
            r.nom_key == p("nom"), r.prenom_key >= p("initial_lo"), r.prenom_key < p("initial_hi")
        ),
        select(*columns).where(
            r.nom_key >= p("prefix_lo"), r.nom_key < p("prefix_hi"), r.prenom_key == p("prenom")
        ),
        select(*columns).where(r.nom_phonetic == p("phonetic"), r.prenom_key == p("prenom")),
    ).limit(NAME_LOOKUP_LIMIT)


def _count_namesakes(session: Session, given: _Given) -> int:
    """Records of the same surname and another first name (for the "not found" evidence)."""
    count = 0
    for nom, prenom in given.orientations[:1]:
        prenom_key = name_key(prenom)
        if not prenom_key or not nom:
            continue
        rows = session.execute(
            select(Responsable.prenom)
            .where(
                Responsable.nom_key.in_(surname_alternatives(nom)),
                Responsable.prenom_key != prenom_key,
            )
            .limit(NAME_LOOKUP_LIMIT)
        )
        count += sum(1 for (other,) in rows if first_name_level(prenom, other) == OTHER)
    return count


def _name_candidates(session: Session, given: _Given) -> tuple[set[str], set[str]]:
    """Ids of records whose names may be the requester's (a slip at most, either order),
    and ids of namesakes (same surname, another first name)."""
    found: set[str] = set()
    namesakes: set[str] = set()
    seen: set[str] = set()
    for params in _name_pairs(given):
        for rid, nom, prenom in session.execute(_name_statement(), params):
            if rid in seen:
                continue
            seen.add(rid)
            levels = [
                (surname_level(n, nom), first_name_level(p, prenom)) for n, p in given.orientations
            ]
            if any(sl != OTHER and fl != OTHER for sl, fl in levels):
                found.add(rid)
            elif any(fl == OTHER and (sl or 0) >= CLOSE for sl, fl in levels):
                namesakes.add(rid)
    return found, namesakes


@cache
def _contact_statements():
    r, a, p = Responsable, Account, bindparam
    records = (
        select(r.responsable_id)
        .where(
            or_(
                r.telephone_portable_e164.in_(p("phones", expanding=True)),
                r.telephone_fixe_e164 == p("phone"),
                r.email_key == p("email"),
            )
        )
        .limit(LOOKUP_LIMIT)
    )
    accounts = (
        select(a.personne_id, a.telephone_e164, a.email_key)
        .where(
            a.profil == "responsable",
            or_(a.telephone_e164.in_(p("phones", expanding=True)), a.email_key == p("email")),
        )
        .limit(LOOKUP_LIMIT)
    )
    return records, accounts


def _contact_candidates(session: Session, given: _Given) -> tuple[set[str], dict[str, set[str]]]:
    """Ids of records holding the given phone (or a one-slip variant) or e-mail, and for each
    person whose account holds them, the matching account values."""
    phones = ([given.phone] if given.phone else []) + given.phone_variants
    if not phones and not given.email:
        return set(), {}
    params = {"phones": phones, "phone": given.phone or "-", "email": given.email or "-"}
    records, accounts = _contact_statements()
    ids = set(session.scalars(records, params))
    by_account: dict[str, set[str]] = {}
    for pid, phone, mail in session.execute(accounts, params):
        by_account.setdefault(pid, set()).update(v for v in (phone, mail) if v)
    return ids | set(by_account), by_account


@cache
def _child_statement():
    p = bindparam
    return (
        select(PupilLink.responsable_id, Pupil.prenom, Pupil.date_naissance)
        .join(Pupil, Pupil.eleve_id == PupilLink.eleve_id)
        .where(
            or_(
                Pupil.date_naissance.in_(p("dates", expanding=True)),
                and_(
                    Pupil.nom_key.in_(p("noms", expanding=True)),
                    Pupil.prenom_key.in_(p("prenoms", expanding=True)),
                ),
            )
        )
        .limit(NAME_LOOKUP_LIMIT)
    )


def _child_candidates(session: Session, given: _Given) -> set[str]:
    """Ids of responsables linked to a pupil that may be a child named in the request
    (same birth date, or exact names). One statement."""
    dates: set[date] = set()
    name_pairs: set[tuple[str, str]] = set()
    for child, born in given.children:
        if born:
            dates.add(born)
            if born.day <= 12 and born.day != born.month:
                dates.add(born.replace(day=born.month, month=born.day))
        prenom_key = name_key(child.prenom)
        if prenom_key:
            for nom in [child.nom, *[n for n, _ in given.orientations]]:
                for alt in surname_alternatives(nom):
                    name_pairs.add((alt, prenom_key))
    if not dates and not name_pairs:
        return set()
    rows = session.execute(
        _child_statement(),
        {
            "dates": sorted(dates) or [date(1, 1, 1)],
            "noms": sorted({n for n, _ in name_pairs}) or ["-"],
            "prenoms": sorted({p for _, p in name_pairs}) or ["-"],
        },
    )
    return {row.responsable_id for row in rows if _child_fits_any(given, row)}


def _child_fits_any(given: _Given, pupil) -> bool:
    return any(_child_fit(child, born, pupil) > 0 for child, born in given.children)


def _child_fit(child: ChildQuery, born: date | None, pupil) -> float:
    """How well a described child fits a pupil, 0 (not them) to 1, to recognise the child
    among a person's children: a named child with another birth date still fits (the birth
    date check reports it)."""
    level = first_name_level(child.prenom, pupil.prenom)
    if level == OTHER:
        return 0.0
    same_date = born is not None and pupil.date_naissance == born
    if level is None:
        return 0.8 if same_date else 0.0
    if same_date:
        return 1.0 if level >= CLOSE else 0.8
    if level >= CLOSE:
        return 0.6 if level == SAME else 0.45
    return 0.0


def _child_support(child: ChildQuery, born: date | None, pupil) -> float:
    """How much a described child tells that a record is the requester: the child's name
    with the same birth date (or one typing slip away), or with no date given."""
    fit = _child_fit(child, born, pupil)
    if fit == 0 or born is None or pupil.date_naissance is None:
        return fit if born is None else 0.0
    if pupil.date_naissance == born:
        return fit
    return 0.4 if dates_close(born, pupil.date_naissance) else 0.0


# --------------------------------------------------------------------------- candidates


@dataclass
class _Candidate:
    record: Responsable
    links: list[PupilLink] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    surname: int | None = None
    first_name: int | None = None
    name_score: float = 0.0
    phone_exact: bool = False
    phone_near: bool = False
    email_exact: bool = False
    child_score: float = 0.0
    child_exact: int = 0
    in_uai: bool = False
    accepted: bool = False
    namesake: bool = False

    @property
    def id(self) -> str:
        return self.record.responsable_id

    @property
    def contact(self) -> bool:
        return self.phone_exact or self.email_exact

    @property
    def strength(self) -> tuple[int, float]:
        points = (
            2 * self.phone_exact
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
        if self.child_score > 0:
            out.append("enfant")
        if self.in_uai:
            out.append("uai")
        return tuple(out)


@cache
def _load_statements():
    ids = bindparam("ids", expanding=True)
    records = select(Responsable).where(Responsable.responsable_id.in_(ids))
    links = (
        select(PupilLink)
        .join(PupilLink.pupil)
        .options(contains_eager(PupilLink.pupil))
        .where(PupilLink.responsable_id.in_(ids))
        .order_by(PupilLink.responsable_id, PupilLink.eleve_id)
    )
    return records, links


def _load_candidates(session: Session, ids: Iterable[str]) -> dict[str, _Candidate]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    records_statement, links_statement = _load_statements()
    records = session.scalars(records_statement, {"ids": ids})
    candidates = {r.responsable_id: _Candidate(r) for r in records}
    links = session.scalars(links_statement, {"ids": ids})
    for link in links:
        candidates[link.responsable_id].links.append(link)
    return candidates


def _assess(cand: _Candidate, given: _Given, by_account: dict[str, set[str]]) -> None:
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
    for child, born in given.children:
        fit = max((_child_support(child, born, p) for p in pupils), default=0.0)
        total += fit
        cand.child_exact += fit >= 1.0
    cand.child_score = total
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


def _described(c: _Candidate) -> bool:
    """The request names this record fully and gives data of theirs (contact or child)."""
    names = (c.surname or 0) >= CLOSE and (c.first_name or 0) >= CLOSE
    return c.accepted and names and (c.contact or c.child_score > 0)


def same_person(a: _Candidate, b: _Candidate) -> tuple[bool, tuple[str, ...]]:
    """Whether two responsable records are one person, and what they share.

    Besides shared contact data or children, two records that the request itself describes
    (full name, each with a child or contact data given) are one person.
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
    if not shared and _described(a) and _described(b):
        shared.append("demande")
    if not shared:
        return False, ()
    surname = surname_level(ra.nom, rb.nom)
    first = first_name_level(ra.prenom, rb.prenom)
    if first == OTHER:
        return False, ()
    if surname == OTHER:
        # a married and a birth name: same first name and shared contact data
        ok = first == SAME and ("telephone" in shared or "email" in shared)
        return ok, tuple(shared) if ok else ()
    return True, tuple(shared)


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


@cache
def _expand_statement():
    r, p = Responsable, bindparam
    return union(
        select(r.responsable_id).where(r.telephone_portable_e164.in_(p("mobiles", expanding=True))),
        select(r.responsable_id).where(r.email_key.in_(p("emails", expanding=True))),
        select(r.responsable_id).where(
            r.nom_key.in_(p("noms", expanding=True)),
            r.prenom_key.in_(p("prenoms", expanding=True)),
        ),
        select(PupilLink.responsable_id).where(
            PupilLink.eleve_id.in_(p("children", expanding=True))
        ),
    ).limit(LOOKUP_LIMIT)


def _expand(session: Session, group: list[_Candidate], known: set[str]) -> set[str]:
    """Ids of other records that may be the same person: same mobile, e-mail, names or child."""
    params = {
        "mobiles": sorted({c.record.telephone_portable_e164 for c in group} - {None}) or ["-"],
        "emails": sorted({c.record.email_key for c in group} - {None}) or ["-"],
        "noms": sorted({c.record.nom_key for c in group if c.record.prenom_key}) or ["-"],
        "prenoms": sorted({c.record.prenom_key for c in group if c.record.prenom_key}) or ["-"],
        "children": sorted({link.eleve_id for c in group for link in c.links}) or ["-"],
    }
    return set(session.scalars(_expand_statement(), params)) - known


# --------------------------------------------------------------------------- entry points


def find_person(session: Session, query: PersonQuery) -> PersonMatch:
    """The responsable records, accounts and children a request is about."""
    given = _prepare(query)
    if (query.role or "").strip().lower() in PUPIL_ROLES or (
        not query.describes_requester and len(query.children) == 1
    ):
        return _find_pupil(session, query, given)

    by_name, namesakes = _name_candidates(session, given)
    by_contact, by_account = _contact_candidates(session, given)
    ids = by_name | by_contact | _child_candidates(session, given)

    candidates = _load_candidates(session, ids)
    for cand in candidates.values():
        _assess(cand, given, by_account)

    match = PersonMatch(phone_e164=given.phone)
    accepted = sorted(
        (c for c in candidates.values() if c.accepted), key=lambda c: c.strength, reverse=True
    )
    namesakes |= {c.id for c in candidates.values() if c.namesake}
    match.namesakes = len(namesakes - {c.id for c in accepted})
    if not accepted:
        match.namesakes = max(match.namesakes, _count_namesakes(session, given))
        match.identified = _identify(given, [])
        return match

    best = accepted[0]
    group, evidence = _group(best, accepted)
    rivals = [
        c
        for c in accepted
        if c not in group and c.strength[0] >= best.strength[0] and not same_person(best, c)[0]
    ]
    if rivals:
        match.ambiguous = 1 + len({c.id for c in rivals})
        match.identified = _identify(given, [])
        return match

    # records of the same person that the request did not hit directly
    extra = _load_candidates(session, _expand(session, group, set(candidates)))
    if extra:
        for cand in extra.values():
            _assess(cand, given, by_account)
        group, evidence = _group(best, [*accepted, *extra.values()])

    return _finish(session, match, given, group, evidence)


@cache
def _accounts_statement():
    return (
        select(Account)
        .where(
            Account.personne_id.in_(bindparam("ids", expanding=True)),
            Account.profil == "responsable",
        )
        .order_by(Account.compte_id)
        .options(selectinload(Account.children))
    )


def _accounts_of(session: Session, ids: Iterable[str]) -> dict[str, list[Account]]:
    rows = session.scalars(_accounts_statement(), {"ids": sorted(ids)}).all()
    by_person: dict[str, list[Account]] = {}
    for account in rows:
        by_person.setdefault(account.personne_id, []).append(account)
    return by_person


def _finish(
    session: Session,
    match: PersonMatch,
    given: _Given,
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
    accounts_by_person = _accounts_of(session, [c.id for c in group])
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
        holders: dict[str, set[str]] = {m: set() for m in mobiles}
        for rid, mobile in session.execute(
            select(Responsable.responsable_id, Responsable.telephone_portable_e164).where(
                Responsable.telephone_portable_e164.in_(mobiles)
            )
        ):
            if rid not in own:
                holders[mobile].add(rid)
        match.mobile_holders = {m: tuple(sorted(ids)) for m, ids in holders.items() if ids}
    return match


def _identify(given: _Given, pupils: list[Pupil]) -> list[IdentifiedChild]:
    """Recognise each described child among the person's children (each pupil once)."""
    taken: set[str] = set()
    out = []
    for child, born in given.children:
        ranked = sorted(
            ((_child_fit(child, born, p), p.eleve_id) for p in pupils if p.eleve_id not in taken),
            reverse=True,
        )
        if ranked and ranked[0][0] > 0:
            fit, eleve_id = ranked[0]
            taken.add(eleve_id)
            out.append(IdentifiedChild(child, born, eleve_id, round(fit, 3)))
        else:
            out.append(IdentifiedChild(child, born, None))
    return out


def _find_pupil(session: Session, query: PersonQuery, given: _Given) -> PersonMatch:
    """A request about a pupil's own account: the pupil and their ``eleve`` accounts."""
    if (query.role or "").strip().lower() in PUPIL_ROLES and (query.nom or query.prenom):
        described = ChildQuery(
            query.nom, query.prenom, query.children[0].date_naissance if query.children else None
        )
    elif query.children:
        described = query.children[0]
    else:
        return PersonMatch()
    pupil_given = _Given(
        orientations=_orientations(described.nom, described.prenom) or [("", "")],
        nom_keys=[],
        email=None,
        phone=None,
        phone_variants=[],
        children=[(described, parse_loose_date(described.date_naissance))],
        uai=given.uai,
    )
    ranked = []
    for pupil in _pupil_candidates(session, pupil_given):
        fit = _pupil_fit(described, pupil_given, pupil)
        if fit > 0:
            ranked.append((fit + (0.05 if given.uai and pupil.uai == given.uai else 0), pupil))
    ranked.sort(key=lambda item: (-item[0], item[1].eleve_id))
    if not ranked or (len(ranked) > 1 and ranked[1][0] >= ranked[0][0]):
        return PersonMatch(ambiguous=len(ranked) if len(ranked) > 1 else 0)
    fit, pupil = ranked[0]
    accounts = session.scalars(
        select(Account)
        .where(Account.personne_id == pupil.eleve_id, Account.profil == "eleve")
        .options(selectinload(Account.children))
    ).all()
    score = round(min(1.0, fit), 3)
    return PersonMatch(
        pupils=[Scored(pupil.eleve_id, score)],
        accounts=[Scored(a.compte_id, score) for a in accounts],
        account_rows=list(accounts),
        children={pupil.eleve_id: pupil},
        pupil=pupil,
    )


def _pupil_candidates(session: Session, given: _Given) -> list[Pupil]:
    ((child, born),) = given.children
    conds = []
    if born:
        conds.append(Pupil.date_naissance == born)
    for nom, prenom in given.orientations:
        prenom_key = name_key(prenom)
        for alt in surname_alternatives(nom):
            if prenom_key:
                conds.append(and_(Pupil.nom_key == alt, Pupil.prenom_key == prenom_key))
            phonetic = phonetic_key(alt)
            if phonetic and prenom_key:
                conds.append(and_(Pupil.nom_phonetic == phonetic, Pupil.prenom_key == prenom_key))
    pupils: dict[str, Pupil] = {}
    for cond in conds:
        for pupil in session.scalars(select(Pupil).where(cond).limit(LOOKUP_LIMIT)):
            pupils[pupil.eleve_id] = pupil
    return list(pupils.values())


def _pupil_fit(child: ChildQuery, given: _Given, pupil: Pupil) -> float:
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
