"""The indexed look-ups of the matching: each a few statements, built once, bounded.

Names (exact keys, one slip in either name, phonetic key), contact data (E.164 phone and its
one-slip variants, e-mail), children (birth date, names), the records of a person grouped
(same mobile, e-mail, names or child), accounts, and pupils for a pupil's own account.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, union
from sqlalchemy.orm import Session, contains_eager, selectinload

from helpdesk.accounts.described import Described, child_fits_any
from helpdesk.accounts.models import Account, Pupil, PupilLink, Responsable
from helpdesk.accounts.names import (
    CLOSE,
    OTHER,
    PARTICLES,
    first_name_level,
    glued_forms,
    surname_alternatives,
    surname_level,
)
from helpdesk.accounts.normalize import name_key, phonetic_key

#: Upper bound of rows read per look-up; real requests stay far below.
LOOKUP_LIMIT = 200
#: Upper bound of (id, name) rows read per name look-up, before rapidfuzz filters them.
NAME_LOOKUP_LIMIT = 1000


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


def _name_pairs(given: Described) -> list[dict[str, Any]]:
    """Parameters of the name look-up, one set per reading and surname alternative."""
    params = []
    for nom, prenom in given.orientations:
        prenom_key = name_key(prenom)
        if not prenom_key:
            continue
        keys = surname_lookup_keys(nom)
        initial = prenom_key[:1]
        for alt in surname_alternatives(nom):
            prefix = alt[:3] if len(alt) >= 5 else alt[:2]
            params.append(
                {
                    "nom_keys": keys,
                    "prenom": prenom_key,
                    "nom": alt,
                    # a slip in the first name: same surname, first name of the same initial
                    "initial_lo": initial,
                    "initial_hi": _next_prefix(initial),
                    # a slip in the surname: same first name, surname starting the same
                    "prefix_lo": prefix,
                    "prefix_hi": _next_prefix(prefix),
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
        # "|| ''" keeps the planner on the (nom_key, prenom_key) index: a common first name
        # has thousands of rows, a surname prefix a few hundred
        select(*columns).where(
            r.nom_key >= p("prefix_lo"),
            r.nom_key < p("prefix_hi"),
            r.prenom_key.concat("") == p("prenom"),
        ),
        # slips in both names: a surname that sounds the same, a first name of the same initial
        select(*columns).where(
            r.nom_phonetic == p("phonetic"),
            r.prenom_key >= p("initial_lo"),
            r.prenom_key < p("initial_hi"),
        ),
    ).limit(NAME_LOOKUP_LIMIT)


def count_namesakes(session: Session, given: Described) -> int:
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


def name_candidates(session: Session, given: Described) -> tuple[set[str], set[str]]:
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


def contact_candidates(session: Session, given: Described) -> tuple[set[str], dict[str, set[str]]]:
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


def login_owners(session: Session, login: str | None) -> set[str]:
    """The responsables whose account has this login (compared without case)."""
    if not login:
        return set()
    statement = (
        select(Account.personne_id)
        .where(Account.identifiant_key == login, Account.profil == "responsable")
        .limit(LOOKUP_LIMIT)
    )
    return set(session.scalars(statement))


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


def child_candidates(session: Session, given: Described) -> set[str]:
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
    return {row.responsable_id for row in rows if child_fits_any(given, row)}


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


def load_records(
    session: Session, ids: Iterable[str]
) -> tuple[list[Responsable], dict[str, list[PupilLink]]]:
    """Responsable records and their links (each with its pupil loaded): two statements."""
    ids = sorted(set(ids))
    if not ids:
        return [], {}
    records_statement, links_statement = _load_statements()
    records = list(session.scalars(records_statement, {"ids": ids}))
    links: dict[str, list[PupilLink]] = {}
    for link in session.scalars(links_statement, {"ids": ids}):
        links.setdefault(link.responsable_id, []).append(link)
    return records, links


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


def expand_ids(
    session: Session, records: list[Responsable], eleve_ids: Iterable[str], known: set[str]
) -> set[str]:
    """Ids of other records that may be the same person: same mobile, e-mail, names or child."""
    named = [r for r in records if r.prenom_key]
    params = {
        "mobiles": sorted({r.telephone_portable_e164 for r in records} - {None}) or ["-"],
        "emails": sorted({r.email_key for r in records} - {None}) or ["-"],
        "noms": sorted({r.nom_key for r in named}) or ["-"],
        "prenoms": sorted({r.prenom_key for r in named}) or ["-"],
        "children": sorted(set(eleve_ids)) or ["-"],
    }
    return set(session.scalars(_expand_statement(), params)) - known


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


def accounts_of(session: Session, ids: Iterable[str]) -> dict[str, list[Account]]:
    """The ``responsable`` accounts of these records, by record id."""
    rows = session.scalars(_accounts_statement(), {"ids": sorted(ids)}).all()
    by_person: dict[str, list[Account]] = {}
    for account in rows:
        by_person.setdefault(account.personne_id, []).append(account)
    return by_person


def pupil_candidates(session: Session, given: Described) -> list[Pupil]:
    """Pupils that may be the one described (birth date, exact or phonetic names)."""
    ((_child, born),) = given.children
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


def pupil_accounts(session: Session, eleve_id: str) -> list[Account]:
    """A pupil's own (``eleve``) accounts."""
    return list(
        session.scalars(
            select(Account)
            .where(Account.personne_id == eleve_id, Account.profil == "eleve")
            .order_by(Account.compte_id)
            .options(selectinload(Account.children))
        )
    )


def mobile_holders(session: Session, mobiles: list[str]) -> dict[str, set[str]]:
    """The responsables recorded with each of these mobiles."""
    holders: dict[str, set[str]] = {m: set() for m in mobiles}
    rows = session.execute(
        select(Responsable.responsable_id, Responsable.telephone_portable_e164).where(
            Responsable.telephone_portable_e164.in_(mobiles)
        )
    )
    for rid, mobile in rows:
        holders[mobile].add(rid)
    return holders
