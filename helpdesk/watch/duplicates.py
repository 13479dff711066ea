"""Responsables probably recorded twice: records of one school that share a child, a mobile
or an address, and records of other schools that hold their contact data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from helpdesk.accounts.matching import records_same_person
from helpdesk.accounts.models import Pupil, PupilLink, Responsable
from helpdesk.core import dialect
from helpdesk.watch.items import WatchItem
from helpdesk.watch.records import (
    PARENTS,
    RESPONSABLE_COLUMNS,
    LinkRow,
    PersonRow,
    SchoolRecords,
    children_text,
    full_name,
    name_key,
    responsable_ids,
)


def duplicate_groups(session: Session, school: SchoolRecords) -> list[WatchItem]:
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
                LinkRow(eleve_id, responsable_id, lien, uai=uai)
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
                if kind == "enfant" and {lien.get((a, value)), lien.get((b, value))} == PARENTS:
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


def _records_sharing_contact(session: Session, school: SchoolRecords) -> list[PersonRow]:
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
            Responsable.responsable_id.in_(responsable_ids(school.uai))
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
            select(*RESPONSABLE_COLUMNS).where(dialect.among(conn, column, sorted(values)))
        ):
            if row.responsable_id not in school.responsables:
                found[row.responsable_id] = PersonRow(*row)
    return list(found.values())


def _duplicate_item(
    school: SchoolRecords,
    records: dict,
    links_of: dict[str, list],
    members: Iterable[str],
    shared: dict[str, set[str]],
) -> WatchItem:
    members = list(members)
    first = records[members[0]]
    names = sorted({full_name(records[m]) for m in members})
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
    children = ", ".join(sorted({text for m in members if (text := children_text(school, m))}))
    return WatchItem(
        "doublons",
        " / ".join(members),
        " / ".join(names),
        "Responsable",
        children,
        detail,
        sort_key=name_key(first),
    )
