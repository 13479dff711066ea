"""E-mail rules: the address activates the account and receives notifications."""

from __future__ import annotations

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding, make_finding
from helpdesk.diagnostics.guidance import cap, letter, route, route_for_person
from helpdesk.diagnostics.masking import format_date
from helpdesk.diagnostics.rules import rule
from helpdesk.diagnostics.typos import check_email


@rule("email_unverified")
def email_unverified(ctx: DiagnosisContext) -> Finding | None:
    pending = [a for a in ctx.accounts if a.etat == "en_cours_activation"]
    if not pending:
        return None
    r = route_for_person(ctx, pending[0].personne_id)
    items = [
        {
            "compte_id": a.compte_id,
            "email": ctx.masker.email(a.email),
            "email_verifie": bool(a.email_verifie),
            "date_creation": format_date(a.date_creation),
        }
        for a in pending
    ]
    fix = (
        "Le compte attend la confirmation de son adresse électronique : le responsable doit "
        "cliquer sur le lien du courriel d'activation (vérifier les courriers indésirables). "
        "En se reconnectant, il peut renvoyer ce courriel ou corriger l'adresse ; "
        f"{r.admin} peut aussi renotifier le compte."
    )
    steps = [
        "Vérifier avec le responsable l'adresse électronique saisie (voir la preuve).",
        "Lui faire chercher le courriel d'activation, y compris dans les indésirables.",
        "S'il ne le trouve pas : se reconnecter à EduConnect pour renvoyer le courriel, ou "
        "corriger l'adresse puis cliquer sur le nouveau lien.",
        f"En dernier recours, {r.admin} renotifie le compte.",
    ]
    reply = letter(
        "Votre compte EduConnect est en attente de confirmation de votre adresse électronique. "
        "Un courriel contenant un lien d'activation vous a été envoyé : il suffit de cliquer "
        "sur ce lien pour terminer l'activation. Pensez à regarder dans vos courriers "
        "indésirables.",
        "Si vous ne trouvez pas ce courriel, connectez-vous à nouveau à EduConnect avec votre "
        "identifiant : vous pourrez le faire renvoyer ou corriger votre adresse.",
    )
    return make_finding("email_unverified", {"comptes": items}, fix, steps, reply)


@rule("email_suspect")
def email_suspect(ctx: DiagnosisContext) -> Finding | None:
    sources: list[tuple[str, str, str]] = [
        ("fiche", rec.responsable_id, rec.email) for rec in ctx.records if rec.email
    ]
    sources += [("compte", acc.compte_id, acc.email) for acc in ctx.accounts if acc.email]
    items = []
    seen: set[tuple[str, str]] = set()
    for where, ident, address in sources:
        key = (where, address.strip().lower())
        if key in seen or not address.strip():
            continue
        seen.add(key)
        problem = check_email(address, ctx.providers)
        if problem is None:
            continue
        item = {
            "source": where,
            "id": ident,
            "email": ctx.masker.email(address),
            "raison": problem.reason,
        }
        if problem.likely_domain:
            item["domaine_probable"] = problem.likely_domain
        items.append(item)
    if not items:
        return None
    first_record = next((i["id"] for i in items if i["source"] == "fiche"), None)
    r = route_for_person(ctx, first_record) if first_record else route(ctx)
    in_base = any(item["source"] == "fiche" for item in items)
    in_account = any(item["source"] == "compte" for item in items)
    parts = ["L'adresse électronique semble mal orthographiée ou invalide."]
    if in_base:
        parts.append(
            f"Sur la fiche de {r.base}, {r.who} la corrige (visible dans EduConnect {r.delay})."
        )
    if in_account:
        parts.append(
            "Sur le compte EduConnect, le responsable la corrige lui-même en se connectant, "
            "puis confirme la nouvelle adresse par le lien reçu."
        )
    steps = ["Faire confirmer au responsable son adresse électronique exacte."]
    if in_base:
        steps.append(f"Demander {r.to_who} de corriger l'adresse dans {r.base} ({r.delay}).")
    if in_account:
        steps.append(
            "Le responsable corrige l'adresse dans son compte EduConnect et clique sur le lien "
            "de confirmation."
        )
    likely = sorted({i["domaine_probable"] for i in items if "domaine_probable" in i})
    hint = f" (vouliez-vous écrire « {likely[0]} » ?)" if likely else ""
    reply = letter(
        f"L'adresse électronique enregistrée pour vous semble comporter une erreur{hint} : les "
        "courriels d'EduConnect ne peuvent pas vous parvenir.",
        "Merci de nous confirmer votre adresse exacte. Si elle figure sur votre compte "
        "EduConnect, vous pouvez la corriger vous-même après connexion ; si elle provient de "
        f"{r.school}, nous lui demandons de la corriger.",
    )
    return make_finding("email_suspect", {"adresses": items}, " ".join(parts), steps, reply)


@rule("email_missing")
def email_missing(ctx: DiagnosisContext) -> Finding | None:
    if any((rec.email or "").strip() for rec in ctx.records):
        return None
    if any((acc.email or "").strip() for acc in ctx.accounts):
        return None
    r = route(ctx)
    evidence = {
        "responsable_ids": list(ctx.responsable_ids),
        "compte_ids": [a.compte_id for a in ctx.accounts],
    }
    fix = (
        "Aucune adresse électronique n'est connue pour ce responsable : la notification par "
        "courriel est impossible, et une adresse est indispensable pour terminer l'activation. "
        f"Le responsable communique une adresse à {r.school} ({r.who} la saisit dans "
        f"{r.base}, visible {r.delay}) ; {r.admin} peut remettre une notification papier."
    )
    steps = [
        "Demander au responsable une adresse électronique (l'aider à en créer une au besoin).",
        f"{cap(r.who)} l'enregistre dans {r.base} ; elle est visible dans EduConnect {r.delay}.",
        f"{cap(r.admin)} peut notifier le compte sur papier (feuille individuelle).",
    ]
    reply = letter(
        "Aucune adresse électronique n'est enregistrée pour vous. Une adresse est "
        "indispensable pour activer un compte EduConnect : le lien d'activation y est envoyé.",
        f"Merci de communiquer une adresse électronique à {r.school}. Vous pourrez ensuite "
        "activer votre compte avec l'identifiant et le mot de passe provisoire que l'école "
        "vous remettra, ou par SMS.",
    )
    return make_finding("email_missing", evidence, fix, steps, reply)
