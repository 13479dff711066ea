"""Accounts to watch in one school, before parents write: the diagnostics, school-wide.

Everything is read for one UAI through indexed look-ups (pupils by UAI, their links, the
responsables and accounts of those), so the cost follows the size of the school, never that of
the académie.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from helpdesk.accounts.matching import records_same_person
from helpdesk.accounts.models import Account, Pupil, PupilLink, Responsable
from helpdesk.core import dialect
from helpdesk.diagnostics.advice import WATCH
from helpdesk.diagnostics.masking import Masker, format_date
from helpdesk.diagnostics.rules.account import PROVISIONAL_PASSWORD_MONTHS, add_months
from helpdesk.diagnostics.services import educonnect_now

CATEGORIES: dict[str, str] = {
    "sans_mobile": "Responsables sans téléphone mobile",
    "doublons": "Responsables probablement enregistrés en double",
    "notification_expiree": "Comptes notifiés il y a plus de 3 mois, jamais activés",
    "courriel_non_confirme": "Adresses électroniques jamais confirmées",
    "eleve_non_eligible": "Élèves sans INE, sans classe ou non admis définitivement",
}

#: What the school does about each category.
CATEGORY_ACTIONS: dict[str, str] = {key: entry.agent for key, entry in WATCH.items()}

#: The account states the page lists (the others are read from the index only).
WATCHED_STATES = ("notifie_non_active", "en_cours_activation")
PROFILE_LABELS = {"responsable": "Responsable", "eleve": "Élève"}
_PARENTS = {"mere", "pere"}
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


# --------------------------------------------------------------------------- queries


def _pupil_ids(uai: str) -> Select:
    return select(Pupil.eleve_id).where(Pupil.uai == uai)


def _responsable_ids(uai: str) -> Select:
    return (
        select(PupilLink.responsable_id)
        .join(Pupil, Pupil.eleve_id == PupilLink.eleve_id)
        .where(Pupil.uai == uai)
    )


_RESPONSABLE_COLUMNS = (
    Responsable.responsable_id,
    Responsable.civilite,
    Responsable.nom,
    Responsable.prenom,
    Responsable.telephone_portable,
    Responsable.telephone_portable_e164,
    Responsable.telephone_portable_is_mobile,
    Responsable.telephone_fixe,
    Responsable.email,
    Responsable.email_key,
)
_PUPIL_COLUMNS = (
    Pupil.eleve_id,
    Pupil.nom,
    Pupil.prenom,
    Pupil.ine,
    Pupil.classe,
    Pupil.niveau,
    Pupil.admission,
)
_ACCOUNT_COLUMNS = (
    Account.compte_id,
    Account.profil,
    Account.personne_id,
    Account.etat,
    Account.email,
    Account.date_creation,
    Account.date_notification,
)


@dataclass(slots=True)
class _Person:
    responsable_id: str
    civilite: str | None
    nom: str
    prenom: str | None
    telephone_portable: str | None
    telephone_portable_e164: str | None
    telephone_portable_is_mobile: bool
    telephone_fixe: str | None
    email: str | None
    email_key: str | None


@dataclass(slots=True)
class _Pupil:
    eleve_id: str
    nom: str
    prenom: str | None
    ine: str | None
    classe: str | None
    niveau: str | None
    admission: str | None


@dataclass(slots=True)
class _Link:
    eleve_id: str
    responsable_id: str
    lien: str | None
    responsable_legal: bool | None = None
    uai: str | None = None


@dataclass
class _School:
    """The rows of one school, read once."""

    uai: str
    pupils: dict[str, _Pupil] = field(default_factory=dict)
    links: list[_Link] = field(default_factory=list)
    responsables: dict[str, _Person] = field(default_factory=dict)
    accounts: list = field(default_factory=list)
    links_of: dict[str, list[_Link]] = field(default_factory=dict)


def _load(session: Session, uai: str) -> _School:
    """The school's pupils, their links and responsables in one pass, then the accounts."""
    conn = session.connection()
    school = _School(uai)
    pupil_width = len(_PUPIL_COLUMNS)
    rows = conn.execute(
        select(
            *_PUPIL_COLUMNS,
            PupilLink.lien,
            PupilLink.responsable_legal,
            *_RESPONSABLE_COLUMNS,
        )
        .select_from(Pupil)
        .outerjoin(PupilLink, PupilLink.eleve_id == Pupil.eleve_id)
        .outerjoin(Responsable, Responsable.responsable_id == PupilLink.responsable_id)
        .where(Pupil.uai == uai)
    )
    for row in rows:
        eleve_id = row[0]
        if eleve_id not in school.pupils:
            school.pupils[eleve_id] = _Pupil(*row[:pupil_width])
        responsable_id = row[pupil_width + 2]
        if responsable_id is None:
            continue
        link = _Link(eleve_id, responsable_id, row[pupil_width], row[pupil_width + 1], uai)
        school.links.append(link)
        school.links_of.setdefault(responsable_id, []).append(link)
        if responsable_id not in school.responsables:
            school.responsables[responsable_id] = _Person(*row[pupil_width + 2 :])
    for profile, people in (("responsable", _responsable_ids(uai)), ("eleve", _pupil_ids(uai))):
        school.accounts += conn.execute(
            select(*_ACCOUNT_COLUMNS).where(
                Account.personne_id.in_(people),
                Account.profil == profile,
                Account.etat.in_(WATCHED_STATES),
            )
        ).all()
    return school


# --------------------------------------------------------------------------- the page


def school_watch(session: Session, uai: str, masker: Masker | None = None) -> SchoolWatch:
    """What to watch in the school ``uai``; contact data written by ``masker`` (masked)."""
    masker = masker or Masker(True)
    school = _load(session, uai)
    now = educonnect_now(session)
    watch = SchoolWatch(uai=uai, now=now)
    watch.items["sans_mobile"] = _without_mobile(school, masker)
    watch.items["doublons"] = _duplicates(session, school)
    expired, unconfirmed = _account_items(school, now, masker)
    watch.items["notification_expiree"] = expired
    watch.items["courriel_non_confirme"] = unconfirmed
    watch.items["eleve_non_eligible"] = _ineligible_pupils(school)
    for items in watch.items.values():
        items.sort(key=lambda item: item.sort_key)
    return watch


def _full_name(row) -> str:
    return " ".join(p for p in (row.prenom, row.nom) if p)


def _name_key(row) -> tuple:
    return ((row.nom or "").lower(), (row.prenom or "").lower())


def _children_text(school: _School, responsable_id: str) -> str:
    names = []
    for link in school.links_of.get(responsable_id, []):
        pupil = school.pupils.get(link.eleve_id)
        if pupil is not None:
            names.append(_pupil_label(pupil))
    return ", ".join(sorted(names))


def _pupil_label(pupil) -> str:
    where = pupil.classe or pupil.niveau
    return f"{pupil.prenom or pupil.nom}" + (f" ({where})" if where else "")


def _without_mobile(school: _School, masker: Masker) -> list[WatchItem]:
    items = []
    for row in school.responsables.values():
        if row.telephone_portable_is_mobile:
            continue
        written = (row.telephone_portable or "").strip()
        if written:
            detail = (
                "Numéro enregistré comme mobile qui n'en est pas un : "
                f"{masker.phone(row.telephone_portable_e164 or written)}"
            )
        elif row.telephone_fixe:
            detail = f"Aucun mobile ; un fixe est enregistré ({masker.phone(row.telephone_fixe)})"
        else:
            detail = "Aucun numéro de téléphone"
        items.append(
            WatchItem(
                "sans_mobile",
                row.responsable_id,
                _full_name(row),
                "Responsable",
                _children_text(school, row.responsable_id),
                detail,
                sort_key=_name_key(row),
            )
        )
    return items


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ineligible_pupils(school: _School) -> list[WatchItem]:
    items = []
    for pupil in school.pupils.values():
        reasons = []
        if not (pupil.ine or "").strip():
            reasons.append("sans INE")
        if not (pupil.classe or "").strip():
            reasons.append("sans classe")
        if pupil.admission != "definitive":
            reasons.append(ADMISSION_LABELS.get(pupil.admission or "", "admission non renseignée"))
        if reasons:
            items.append(
                WatchItem(
                    "eleve_non_eligible",
                    pupil.eleve_id,
                    _full_name(pupil),
                    "Élève",
                    pupil.classe or pupil.niveau or "",
                    _sentence(", ".join(reasons)),
                    sort_key=_name_key(pupil),
                )
            )
    return items


def _account_items(
    school: _School, now: datetime | None, masker: Masker
) -> tuple[list[WatchItem], list[WatchItem]]:
    expired, unconfirmed = [], []
    for account in school.accounts:
        if account.profil == "eleve":
            person = school.pupils.get(account.personne_id)
            children = ""
        else:
            person = school.responsables.get(account.personne_id)
            children = _children_text(school, account.personne_id)
        if person is None:
            continue
        profile = PROFILE_LABELS.get(account.profil, account.profil)
        if (
            account.etat == "notifie_non_active"
            and now is not None
            and account.date_notification is not None
            and now > add_months(account.date_notification, PROVISIONAL_PASSWORD_MONTHS)
        ):
            expired.append(
                WatchItem(
                    "notification_expiree",
                    account.compte_id,
                    _full_name(person),
                    profile,
                    children,
                    "Mot de passe provisoire expiré",
                    account.date_notification,
                    sort_key=(account.date_notification, *_name_key(person)),
                )
            )
        elif account.etat == "en_cours_activation":
            address = masker.email(account.email) if account.email else "adresse non renseignée"
            unconfirmed.append(
                WatchItem(
                    "courriel_non_confirme",
                    account.compte_id,
                    _full_name(person),
                    profile,
                    children,
                    f"En attente de confirmation ({address})",
                    account.date_creation,
                    sort_key=_name_key(person),
                )
            )
    return expired, unconfirmed


# --------------------------------------------------------------------------- duplicates


def _duplicates(session: Session, school: _School) -> list[WatchItem]:
    """Groups of records that are one person: they share a child, a mobile or an address.

    Records of other schools holding the mobile or address of one of this school's
    responsables are read too (a parent recorded once per school).
    """
    records = dict(school.responsables)
    links_of = {rid: list(links) for rid, links in school.links_of.items()}
    outside = _records_sharing_contact(session, school)
    if outside:
        for row in outside:
            records[row.responsable_id] = row
        for eleve_id, responsable_id, lien, uai in session.connection().execute(
            select(PupilLink.eleve_id, PupilLink.responsable_id, PupilLink.lien, Pupil.uai)
            .join(Pupil, Pupil.eleve_id == PupilLink.eleve_id)
            .where(PupilLink.responsable_id.in_([row.responsable_id for row in outside]))
        ):
            links_of.setdefault(responsable_id, []).append(
                _Link(eleve_id, responsable_id, lien, uai=uai)
            )

    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rid, row in records.items():
        if row.telephone_portable_e164:
            groups[("telephone", row.telephone_portable_e164)].append(rid)
        if row.email_key:
            groups[("email", row.email_key)].append(rid)
    for link in school.links:
        groups[("enfant", link.eleve_id)].append(link.responsable_id)
    lien = {(link.responsable_id, link.eleve_id): link.lien for link in school.links}

    parent = {rid: rid for rid in records}

    def root(rid: str) -> str:
        while parent[rid] != rid:
            parent[rid] = parent[parent[rid]]
            rid = parent[rid]
        return rid

    shared: dict[str, set[str]] = defaultdict(set)
    tested: set[tuple[str, str]] = set()
    for (kind, value), members in groups.items():
        if len(members) < 2:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                # A child's mother and father: two people, whatever else they share.
                if kind == "enfant" and {lien.get((a, value)), lien.get((b, value))} == _PARENTS:
                    continue
                pair = (a, b) if a < b else (b, a)
                if pair in tested:
                    continue
                tested.add(pair)
                same, what = records_same_person(
                    records[a], links_of.get(a, ()), records[b], links_of.get(b, ())
                )
                if same:
                    parent[root(a)] = root(b)
                    shared[a].update(what)
                    shared[b].update(what)

    clusters: dict[str, list[str]] = defaultdict(list)
    for rid in shared:
        clusters[root(rid)].append(rid)
    items = []
    for members in clusters.values():
        if len(members) < 2 or not any(m in school.responsables for m in members):
            continue
        members.sort(key=lambda rid: (rid not in school.responsables, rid))
        items.append(_duplicate_item(school, records, links_of, members, shared))
    return items


def _records_sharing_contact(session: Session, school: _School) -> list[_Person]:
    """Records outside the school with the mobile or the address of one of its responsables.

    The holders of each responsable's mobile and address are counted on their indexes (one
    look-up each); only the records of values held twice are read.
    """
    conn = session.connection()
    names = ("telephone_portable_e164", "email_key")
    counts = []
    for name in names:
        other = aliased(Responsable)
        counts.append(
            select(func.count())
            .select_from(other)
            .where(getattr(other, name) == getattr(Responsable, name))
            .scalar_subquery()
        )
    held_twice: dict[str, set[str]] = {name: set() for name in names}
    for mobile, email, mobile_holders, email_holders in conn.execute(
        select(Responsable.telephone_portable_e164, Responsable.email_key, *counts).where(
            Responsable.responsable_id.in_(_responsable_ids(school.uai))
        )
    ):
        if mobile and mobile_holders > 1:
            held_twice["telephone_portable_e164"].add(mobile)
        if email and email_holders > 1:
            held_twice["email_key"].add(email)
    found = {}
    for name, values in held_twice.items():
        if not values:
            continue
        column = getattr(Responsable, name)
        for row in conn.execute(
            select(*_RESPONSABLE_COLUMNS).where(dialect.among(conn, column, sorted(values)))
        ):
            if row.responsable_id not in school.responsables:
                found[row.responsable_id] = _Person(*row)
    return list(found.values())


def _duplicate_item(
    school: _School,
    records: dict,
    links_of: dict[str, list],
    members: Iterable[str],
    shared: dict[str, set[str]],
) -> WatchItem:
    members = list(members)
    first = records[members[0]]
    names = sorted({_full_name(records[m]) for m in members})
    common = sorted(set().union(*(shared[m] for m in members)) - {"demande"})
    labels = {"telephone": "même mobile", "email": "même adresse", "enfant": "enfant commun"}
    detail = f"{len(members)} fiches : " + ", ".join(members)
    if common:
        detail += " ; " + ", ".join(labels.get(c, c) for c in common)
    elsewhere = sorted(
        {
            link.uai
            for m in members
            if m not in school.responsables
            for link in links_of.get(m, [])
            if link.uai
        }
    )
    if elsewhere:
        detail += " ; autre fiche rattachée à " + ", ".join(elsewhere)
    children = ", ".join(sorted({text for m in members if (text := _children_text(school, m))}))
    return WatchItem(
        "doublons",
        " / ".join(members),
        " / ".join(names),
        "Responsable",
        children,
        detail,
        sort_key=_name_key(first),
    )


# --------------------------------------------------------------------------- export

CSV_HEADER = ("Catégorie", "Identifiant", "Nom", "Profil", "Enfants ou classe", "Détail", "Date")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = format_date(value)[:10]
    elif isinstance(value, date):
        text = format_date(value)
    else:
        text = str(value)
    # A spreadsheet would run a cell starting like a formula.
    return "'" + text if text.startswith(_FORMULA_START) else text


def watch_csv(watch: SchoolWatch, category: str | None = None) -> str:
    """The items as a CSV file for Excel: UTF-8 with a byte-order mark, ``;`` separated."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for item in watch.rows(category):
        writer.writerow(
            [
                _cell(value)
                for value in (
                    CATEGORIES[item.category],
                    item.ident,
                    item.name,
                    item.profile,
                    item.children,
                    item.detail,
                    item.when,
                )
            ]
        )
    return buffer.getvalue()
