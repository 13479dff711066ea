"""Records of one person (a duplicate in the school base) grouped; namesakes kept apart."""

from __future__ import annotations

from collections.abc import Sequence

from helpdesk.accounts.candidates import Candidate
from helpdesk.accounts.described import (
    Described,
)
from helpdesk.accounts.models import PupilLink, Responsable
from helpdesk.accounts.names import (
    FAR,
    OTHER,
    SAME,
    civility_gender,
    first_name_level,
    surname_level,
)


def fits(c: Candidate) -> set[str]:
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


def ask_detail(given: Described, persons: list[list[Candidate]]) -> str:
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


def same_person(a: Candidate, b: Candidate) -> tuple[bool, tuple[str, ...]]:
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
    return same_person(Candidate(a, links=list(a_links)), Candidate(b, links=list(b_links)))


def group_records(best: Candidate, pool: Sequence[Candidate]) -> tuple[list[Candidate], set[str]]:
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
