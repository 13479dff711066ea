"""Run every rule over a context and combine the findings."""

from __future__ import annotations

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding, make_finding, ordered
from helpdesk.diagnostics.guidance import letter, route
from helpdesk.diagnostics.masking import format_date
from helpdesk.diagnostics.rules import RULES, account, email, person, phone, pupils
from helpdesk.diagnostics.rules.account import activation_expired

# The rule modules register themselves on import.
_RULE_MODULES = (phone, email, account, pupils, person)

ETAT_LABELS = {
    "non_notifie": "non notifié",
    "notifie_non_active": "notifié, non activé",
    "en_cours_activation": "en cours d'activation",
    "active": "activé",
}


def run_rules(ctx: DiagnosisContext) -> list[Finding]:
    """Every finding that applies, blocking first; ``account_ok`` when none does."""
    if ctx.pupil is not None:
        found = activation_expired(ctx)
        return [found] if found else [account_ok(ctx)]
    if not ctx.records:
        return [person_not_found(ctx)]
    findings = [f for check in RULES.values() if (f := check(ctx)) is not None]
    return ordered(findings) if findings else [account_ok(ctx)]


def account_ok(ctx: DiagnosisContext) -> Finding:
    r = route(ctx)
    evidence = {
        "comptes": [
            {
                "compte_id": a.compte_id,
                "profil": a.profil,
                "etat": a.etat,
                "identifiant": ctx.masker.login(a.identifiant),
                "origine": a.origine,
                "date_dernier_acces": format_date(a.date_dernier_acces),
            }
            for a in ctx.accounts
        ]
    }
    if ctx.pupil is not None:
        fix = (
            "Le compte de l'élève ne présente pas d'anomalie. L'élève utilise le dépannage en "
            "ligne (« Identifiant oublié », « Mot de passe oublié ») s'il a renseigné une "
            f"adresse électronique ; sinon {r.admin} (ou un personnel délégué) l'aide depuis le "
            "module « Dépannage élève »."
        )
        steps = [
            "Orienter l'élève vers « Identifiant oublié » ou « Mot de passe oublié ».",
            f"À défaut, {r.admin} réinitialise le mot de passe (module « Dépannage élève »).",
        ]
        reply = letter(
            "Le compte EduConnect de l'élève fonctionne normalement.",
            "En cas d'oubli, il suffit d'utiliser « Identifiant oublié » ou « Mot de passe "
            "oublié » sur la page de connexion d'EduConnect. Si aucune adresse électronique "
            f"n'est associée au compte, {r.school} peut réinitialiser le mot de passe.",
        )
        return make_finding("account_ok", evidence, fix, steps, reply)
    fix = (
        "Aucune anomalie dans les données : le responsable utilise le dépannage en ligne "
        "(« Identifiant oublié », « Mot de passe oublié », par SMS ou par courriel). S'il se "
        "connecte avec FranceConnect, son mot de passe est celui du compte choisi "
        "(impots.gouv.fr, ameli.fr…)."
    )
    steps = [
        "Orienter le responsable vers « Identifiant oublié » ou « Mot de passe oublié ».",
        "Compte créé via FranceConnect : changer le mot de passe chez ce fournisseur.",
        "Si le problème concerne un autre service (ENT, Pronote), l'orienter vers l'établissement.",
    ]
    states = sorted({ETAT_LABELS.get(a.etat or "", a.etat or "") for a in ctx.accounts} - {""})
    state_text = f" (état : {', '.join(states)})" if states else ""
    reply = letter(
        f"Nous avons vérifié votre compte EduConnect{state_text} : il ne présente pas d'anomalie.",
        "Si vous avez oublié votre identifiant ou votre mot de passe, utilisez « Identifiant "
        "oublié » ou « Mot de passe oublié » sur la page de connexion : un code vous sera "
        "envoyé par SMS ou par courriel. Si vous vous connectez avec FranceConnect, votre mot "
        "de passe est celui du service choisi (impots.gouv.fr, ameli.fr…).",
    )
    return make_finding("account_ok", evidence, fix, steps, reply)


def person_not_found(ctx: DiagnosisContext) -> Finding:
    r = route(ctx)
    given = ctx.given
    provided = [
        name
        for name, value in (
            ("nom", given.nom),
            ("prenom", given.prenom),
            ("email", given.email),
            ("telephone", given.telephone),
            ("enfants", given.children),
            ("uai", given.uai),
        )
        if value
    ]
    evidence: dict = {"criteres_fournis": provided}
    if ctx.namesakes:
        evidence["homonymes_ecartes"] = ctx.namesakes
    if ctx.ambiguous:
        evidence["personnes_possibles"] = ctx.ambiguous
    if ctx.ambiguous:
        fix = (
            "Plusieurs personnes de la base correspondent à la description : demander au "
            "demandeur son numéro de mobile, son adresse électronique, ou le prénom et la date "
            "de naissance d'un enfant, puis relancer le diagnostic."
        )
    else:
        fix = (
            "Aucune fiche de responsable ne correspond à la personne décrite. Vérifier "
            "l'orthographe, demander le nom de l'école, le prénom et la date de naissance des "
            "enfants. Si la personne n'est pas enregistrée comme responsable légal, elle "
            f"s'adresse à {r.school}, qui l'enregistre dans {r.base} (visible dans EduConnect "
            f"{r.delay})."
        )
    steps = [
        "Demander au demandeur : nom et prénom exacts, mobile, adresse électronique, école, "
        "prénom et date de naissance de chaque enfant.",
        "Relancer le diagnostic avec ces éléments.",
        f"Si la personne n'est toujours pas trouvée : l'orienter vers {r.school} pour être "
        "enregistrée comme responsable de l'enfant.",
    ]
    reply = letter(
        "Nous n'avons pas pu retrouver votre dossier à partir des informations transmises.",
        "Merci de nous préciser vos nom et prénom tels que l'école les connaît, votre numéro "
        "de mobile, le nom de l'école ainsi que le prénom et la date de naissance de chacun "
        "de vos enfants. Si vous n'êtes pas encore enregistré(e) comme responsable de "
        f"l'enfant, adressez-vous à {r.school}.",
    )
    return make_finding("person_not_found", evidence, fix, steps, reply)
