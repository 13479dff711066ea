"""Rules on the children: birth dates, eligibility, maternelle, legal guardianship."""

from __future__ import annotations

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding, make_finding
from helpdesk.diagnostics.guidance import cap, join_fr, letter, route, route_for_uai
from helpdesk.diagnostics.rules import rule
from helpdesk.diagnostics.typos import date_difference

LIEN_LABELS = {
    "mere": "mère",
    "pere": "père",
    "tuteur": "tuteur",
    "autre_membre_famille": "autre membre de la famille",
    "aide_sociale_enfance": "aide sociale à l'enfance",
    "personne_en_charge": "personne en charge",
    "autre": "autre lien",
}


@rule("birthdate_mismatch")
def birthdate_mismatch(ctx: DiagnosisContext) -> Finding | None:
    items = []
    for given in ctx.given.children:
        child = ctx.children.get(given.eleve_id or "")
        if child is None or given.date_naissance is None or child.date_naissance is None:
            continue
        gap = date_difference(given.date_naissance, child.date_naissance)
        if gap:
            items.append(
                {
                    "eleve_id": child.eleve_id,
                    "enfant": ctx.masker.name(child.prenom, child.nom),
                    "date_donnee": ctx.masker.birth_date(given.date_naissance),
                    "date_base": ctx.masker.birth_date(child.date_naissance),
                    "ecart": gap,
                }
            )
    if not items:
        return None
    r = route_for_uai(ctx, ctx.children[items[0]["eleve_id"]].uai)
    gaps = join_fr(sorted({item["ecart"] for item in items}))
    fix = (
        f"La date de naissance donnée pour un enfant diffère de celle de {r.base} ({gaps}) ; "
        "EduConnect exige la date exacte de chaque enfant. Si la base est erronée, "
        f"{r.who} la corrige dans {r.base} (visible dans EduConnect {r.delay}) ; sinon le "
        "responsable saisit la date enregistrée."
    )
    steps = [
        "Faire vérifier au responsable la date de naissance (livret de famille).",
        f"Si la base est erronée : demander {r.to_who} de la corriger dans {r.base}.",
        f"La correction est visible dans EduConnect {r.delay} ; le responsable recommence "
        "ensuite l'activation.",
    ]
    reply = letter(
        "La date de naissance que vous indiquez pour votre enfant ne correspond pas à celle "
        f"que {r.school} a enregistrée ({gaps}). EduConnect refuse alors l'activation.",
        "Merci de vérifier la date saisie. Si c'est l'enregistrement de l'école qui est "
        f"inexact, nous lui demandons de le corriger : la correction sera prise en compte par "
        f"EduConnect {r.delay}.",
    )
    return make_finding("birthdate_mismatch", {"enfants": items}, fix, steps, reply)


@rule("pupil_not_eligible")
def pupil_not_eligible(ctx: DiagnosisContext) -> Finding | None:
    items = []
    for child in ctx.legal_children():
        reasons = []
        if child.admission != "definitive":
            reasons.append(
                {
                    "provisoire": "admission provisoire",
                    "radiee": "élève radié",
                }.get(child.admission or "", "admission non renseignée")
            )
        if not (child.ine or "").strip():
            reasons.append("sans INE")
        if not (child.classe or "").strip():
            reasons.append("sans classe")
        if reasons:
            items.append(
                {
                    "eleve_id": child.eleve_id,
                    "enfant": ctx.masker.name(child.prenom, child.nom),
                    "raisons": reasons,
                }
            )
    if not items:
        return None
    r = route(ctx)
    fix = (
        "Un enfant n'est pas encore éligible à EduConnect : il doit être admis définitivement, "
        "avoir un INE et être affecté dans une classe. "
        f"{cap(r.who)} complète l'admission et la classe dans {r.base} (l'INE est attribué "
        f"par le répertoire national des élèves) ; une fois l'inscription complétée, l'enfant "
        f"apparaît dans EduConnect {r.delay}."
    )
    steps = [
        f"Signaler {r.to_who} ce qui manque (voir la preuve).",
        f"L'admission définitive et la classe sont saisies dans {r.base} ; l'INE suit "
        "l'immatriculation de l'élève.",
        f"Une fois l'inscription complétée, l'enfant apparaît sur le compte {r.delay}.",
    ]
    reply = letter(
        f"Votre enfant n'apparaît pas encore dans EduConnect car son inscription à {r.school} "
        "n'est pas finalisée (admission, classe ou identifiant national).",
        f"Nous le signalons à {r.school}. Une fois l'inscription complétée, votre enfant "
        f"apparaîtra sur votre compte {r.delay}.",
    )
    return make_finding("pupil_not_eligible", {"enfants": items}, fix, steps, reply)


@rule("maternelle_only")
def maternelle_only(ctx: DiagnosisContext) -> Finding | None:
    children = ctx.legal_children()
    if not children or not all(child.is_maternelle for child in children):
        return None
    evidence = {
        "enfants": [{"eleve_id": c.eleve_id, "niveau": (c.niveau or "").upper()} for c in children]
    }
    fix = (
        "Tous les enfants du responsable sont en maternelle : ils apparaissent sur le compte, "
        "mais aucun service en ligne ne leur est encore ouvert. Rien à corriger : l'expliquer "
        "au responsable."
    )
    steps = [
        "Expliquer que les services en ligne commencent à l'école élémentaire.",
        "Clore la demande si le compte fonctionne par ailleurs.",
    ]
    reply = letter(
        "Votre enfant est scolarisé en maternelle : il apparaît bien sur votre compte "
        "EduConnect, mais aucun service en ligne n'est encore proposé à ce niveau.",
        "Les services (livret scolaire, etc.) seront disponibles à partir de l'école "
        "élémentaire, avec le même compte.",
    )
    return make_finding("maternelle_only", evidence, fix, steps, reply)


@rule("not_legal_guardian")
def not_legal_guardian(ctx: DiagnosisContext) -> Finding | None:
    links = [link for link in ctx.links if link.responsable_legal is False]
    if not links:
        return None
    child = ctx.children.get(links[0].eleve_id)
    r = route_for_uai(ctx, child.uai if child else None)
    evidence = {
        "liens": [
            {
                "eleve_id": link.eleve_id,
                "responsable_id": link.responsable_id,
                "lien": LIEN_LABELS.get(link.lien or "", link.lien or "non renseigné"),
                "responsable_legal": False,
            }
            for link in links
        ]
    }
    fix = (
        "La personne est enregistrée pour l'enfant sans être représentant légal : seuls les "
        "représentants légaux obtiennent un compte responsable. Si la responsabilité légale "
        f"est établie (jugement, délégation), {r.who} l'enregistre dans {r.base} (visible dans "
        f"EduConnect {r.delay}) ; sinon, expliquer que l'accès passe par un représentant légal."
    )
    steps = [
        "Demander si la personne exerce l'autorité parentale ou une tutelle (justificatif).",
        f"Si oui : {r.who} enregistre la responsabilité légale dans {r.base} ({r.delay}).",
        "Sinon : expliquer que seuls les représentants légaux ont un compte responsable.",
    ]
    reply = letter(
        f"Vous êtes enregistré(e) par {r.school} comme contact de l'enfant, mais pas comme "
        "représentant légal. Or seuls les représentants légaux peuvent disposer d'un compte "
        "EduConnect responsable.",
        f"Si vous exercez l'autorité parentale ou une tutelle, merci de le signaler à "
        f"{r.school} avec un justificatif : l'enregistrement sera pris en compte par "
        f"EduConnect {r.delay}.",
    )
    return make_finding("not_legal_guardian", evidence, fix, steps, reply)
