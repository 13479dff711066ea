"""Rules on the person: duplicate records."""

from __future__ import annotations

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding, make_finding
from helpdesk.diagnostics.guidance import cap, letter, route
from helpdesk.diagnostics.rules import rule


@rule("duplicate_responsable")
def duplicate_responsable(ctx: DiagnosisContext) -> Finding | None:
    if len(ctx.records) < 2:
        return None
    r = route(ctx)
    children_of: dict[str, list[str]] = {}
    for link in ctx.links:
        children_of.setdefault(link.responsable_id, []).append(link.eleve_id)
    evidence = {
        "responsable_ids": list(ctx.responsable_ids),
        "fiches": [
            {
                "responsable_id": rec.responsable_id,
                "nom": ctx.masker.name(rec.prenom, rec.nom),
                "enfants": sorted(children_of.get(rec.responsable_id, [])),
            }
            for rec in ctx.records
        ],
        "comptes": [
            {
                "compte_id": acc.compte_id,
                "responsable_id": acc.personne_id,
                "etat": acc.etat,
                "enfants": list(acc.enfants),
            }
            for acc in ctx.accounts
        ],
        "points_communs": list(ctx.duplicate_evidence),
    }
    unfinished = [a for a in ctx.accounts if a.etat != "active"]
    fix = (
        f"Le responsable est enregistré {len(ctx.records)} fois dans la base : il a plusieurs "
        "comptes et chacun ne montre qu'une partie de ses enfants. "
        f"{cap(r.who)} fusionne les fiches en double dans {r.base} (mêmes nom, prénom et "
        f"coordonnées ; visible dans EduConnect {r.delay}). En attendant, le responsable "
        "rattache les enfants à son compte principal avec « Ajouter des élèves depuis un "
        "autre compte »"
        + (
            f", après avoir activé l'autre compte ({r.admin} peut le notifier)."
            if unfinished
            else "."
        )
    )
    steps = [
        f"Signaler le doublon {r.to_who} pour qu'il fusionne les fiches dans {r.base}.",
    ]
    if unfinished:
        steps.append(
            "Faire activer le second compte (voir l'état des comptes dans la preuve) ; "
            f"{r.admin} peut le renotifier."
        )
    steps.append(
        "Le responsable se connecte à son compte principal et utilise « Ajouter des élèves "
        "depuis un autre compte »."
    )
    reply = letter(
        f"Vous êtes enregistré(e) deux fois dans la base de {r.school}, ce qui vous a donné "
        "deux comptes EduConnect : chacun ne montre qu'une partie de vos enfants.",
        "Vous pouvez regrouper vos enfants sur un seul compte : connectez-vous à votre compte "
        "principal, puis choisissez « Ajouter des élèves depuis un autre compte » et "
        "saisissez l'identifiant et le mot de passe de l'autre compte."
        + (
            " L'autre compte doit d'abord être activé : l'école peut vous en remettre les "
            "identifiants."
            if unfinished
            else ""
        ),
        f"Nous demandons également à {r.school} de corriger ce doublon.",
    )
    return make_finding("duplicate_responsable", evidence, fix, steps, reply)
