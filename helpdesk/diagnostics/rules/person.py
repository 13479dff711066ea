"""Rules on the person: duplicate records, and requests that fit several people."""

from __future__ import annotations

import re

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding
from helpdesk.diagnostics.guidance import act, make_finding, route, route_for_types
from helpdesk.diagnostics.masking import format_date
from helpdesk.diagnostics.rules import rule
from helpdesk.diagnostics.rules.account import accounts_evidence
from helpdesk.util.text import fold

_NOT_LETTERS = re.compile(r"[^a-z0-9]")

#: What to ask a requester to tell the candidates apart, by the key the matching gives.
ASK_DETAILS = {
    "date_naissance_enfant": "la date de naissance de votre enfant",
    "prenom_enfant": "le prénom et la date de naissance de l'un de vos enfants",
    "telephone": "le numéro de mobile que vous avez donné à l'école",
    "email": "l'adresse électronique que vous avez donnée à l'école",
    "ecole": "l'école de votre enfant",
    "eleve": "votre date de naissance et votre établissement",
    "demandeur": "vos nom et prénom, et le numéro de mobile donné à l'école",
}


def identical_key(*parts: str | None) -> str:
    """A name with accents, case, hyphens, apostrophes and spaces set aside."""
    return _NOT_LETTERS.sub("", fold(" ".join(p for p in parts if p)))


@rule("duplicate_responsable")
def duplicate_responsable(ctx: DiagnosisContext) -> Finding | None:
    if len(ctx.records) < 2:
        return None
    children_of: dict[str, list[str]] = {}
    for link in ctx.links:
        children_of.setdefault(link.responsable_id, []).append(link.eleve_id)
    uais = {
        rec.responsable_id: sorted(
            {
                ctx.children[e].uai or ""
                for e in children_of.get(rec.responsable_id, [])
                if e in ctx.children
            }
        )
        for rec in ctx.records
    }
    schools = {u for values in uais.values() for u in values if u}
    identical = len({identical_key(r.nom, r.prenom) for r in ctx.records}) == 1
    mobiles = {r.mobile for r in ctx.records}
    emails = {(r.email or "").strip().lower() for r in ctx.records}
    accounts_of: dict[str, list] = {}
    for account in ctx.responsable_accounts:
        accounts_of.setdefault(account.personne_id, []).append(account)
    evidence = {
        "responsable_ids": list(ctx.responsable_ids),
        "fiches": [
            {
                "responsable_id": rec.responsable_id,
                "nom": ctx.masker.name(rec.prenom, rec.nom),
                "enfants": sorted(children_of.get(rec.responsable_id, [])),
                "ecoles": uais[rec.responsable_id],
                "date_modification": format_date(rec.date_modification),
                "comptes": accounts_evidence(ctx, accounts_of.get(rec.responsable_id, [])),
            }
            for rec in ctx.records
        ],
        "noms_identiques": identical,
        "meme_ecole": len(schools) <= 1,
        "meme_mobile": len(mobiles) == 1 and None not in mobiles,
        "meme_email": len(emails) == 1 and "" not in emails,
        "points_communs": list(ctx.duplicate_evidence),
    }
    if identical:
        unfinished = any(a.etat != "active" for a in ctx.responsable_accounts)
        actions = [act("ecole", "notify_account", "doublon")] if unfinished else []
        actions.append(act("responsable", "regroup_accounts"))
    else:
        actions = [
            act("ecole", "fix_base_identity"),
            act("responsable", "wait_sync"),
            act("responsable", "regroup_accounts"),
        ]
    types = {ctx.schools[u].type for u in schools if u in ctx.schools}
    place = "dans la même école" if len(schools) <= 1 else f"dans {len(schools)} écoles"
    return make_finding(
        "duplicate_responsable",
        evidence,
        actions,
        route_for_types(types) if types else route(ctx),
        values={
            "lieu": place,
            "noms": "noms identiques" if identical else "noms différents",
        },
    )


def person_ambiguous(ctx: DiagnosisContext) -> Finding:
    """The request fits several people: show them (masked) and ask for the telling detail."""
    masker = ctx.masker
    people = []
    for person in ctx.candidates:
        people.append(
            {
                "responsable_ids": [r.responsable_id for r in person.records],
                "nom": masker.name(person.records[0].prenom, person.records[0].nom),
                "enfants": [
                    f"{masker.name(c.prenom, c.nom)}, né(e) le "
                    f"{masker.birth_date(c.date_naissance)}, {_school(ctx, c.uai)}"
                    for c in person.children
                ],
                "mobile": masker.phone(next((r.mobile for r in person.records if r.mobile), "")),
                "email": masker.email(next((r.email for r in person.records if r.email), "")),
                "comptes": accounts_evidence(ctx, person.accounts),
            }
        )
    for pupil in ctx.candidate_pupils:
        people.append(
            {
                "eleve_id": pupil.eleve_id,
                "nom": masker.name(pupil.prenom, pupil.nom),
                "date_naissance": masker.birth_date(pupil.date_naissance),
                "ecole": _school(ctx, pupil.uai),
            }
        )
    detail = ASK_DETAILS.get(ctx.ask_detail, ASK_DETAILS["date_naissance_enfant"])
    evidence = {"candidats": people, "question": detail}
    agent_detail = (
        detail.replace("votre enfant", "l'enfant")
        .replace("vos enfants", "ses enfants")
        .replace("vous avez donné", "le demandeur a donné")
        .replace("vous avez donnée", "le demandeur a donnée")
        .replace("vos nom et prénom", "ses nom et prénom")
        .replace("votre ", "sa ")
    )
    return make_finding(
        "person_ambiguous",
        evidence,
        [act("centre", "ask_requester", "ambigu")],
        route(ctx),
        values={"detail": detail, "detail_agent": agent_detail},
    )


def _school(ctx: DiagnosisContext, uai: str | None) -> str:
    school = ctx.schools.get(uai or "")
    return school.nom if school and school.nom else (uai or "école inconnue")
