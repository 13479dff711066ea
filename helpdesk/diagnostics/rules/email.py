"""E-mail rules: the address activates the account and receives notifications."""

from __future__ import annotations

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding
from helpdesk.diagnostics.guidance import act, make_finding, route, route_for_person
from helpdesk.diagnostics.masking import format_date
from helpdesk.diagnostics.rules import rule
from helpdesk.diagnostics.rules.account import is_on_a_path
from helpdesk.diagnostics.typos import check_email


@rule("email_unverified")
def email_unverified(ctx: DiagnosisContext) -> Finding | None:
    pending = [a for a in ctx.responsable_accounts if a.etat == "en_cours_activation"]
    if not pending:
        return None
    items = [
        {
            "compte_id": a.compte_id,
            "etat": a.etat,
            "email": ctx.masker.email(a.email),
            "email_verifie": bool(a.email_verifie),
            "date_notification": format_date(a.date_notification),
        }
        for a in pending
    ]
    return make_finding(
        "email_unverified",
        {"comptes": items},
        [act("responsable", "confirm_email")],
        route_for_person(ctx, pending[0].personne_id),
    )


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
    actions = []
    if any(item["source"] == "compte" for item in items):
        actions.append(act("responsable", "confirm_email"))
    if first_record:
        actions.append(act("ecole", "fix_base_contact", "email"))
    return make_finding(
        "email_suspect",
        {"adresses": items},
        actions,
        route_for_person(ctx, first_record) if first_record else route(ctx),
        values={"raison": items[0]["raison"]},
    )


@rule("email_missing")
def email_missing(ctx: DiagnosisContext) -> Finding | None:
    if any((rec.email or "").strip() for rec in ctx.records):
        return None
    if any((acc.email or "").strip() for acc in ctx.accounts):
        return None
    evidence = {
        "responsable_ids": list(ctx.responsable_ids),
        "compte_ids": [a.compte_id for a in ctx.accounts],
    }
    # a notification is needed when no account is on a path and SMS enrolment is closed
    needed = not is_on_a_path(ctx) and not ctx.valid_mobiles
    actions = [act("ecole", "notify_account", "feuille")] if needed else []
    return make_finding("email_missing", evidence, actions, route(ctx))
