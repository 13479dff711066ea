"""Run every rule over a context and combine the findings."""

from __future__ import annotations

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding, ordered
from helpdesk.diagnostics.guidance import act, make_finding, route
from helpdesk.diagnostics.masking import format_date
from helpdesk.diagnostics.rules import RULES, account, email, person, phone, pupils
from helpdesk.diagnostics.rules.account import (
    activation_expired,
    is_recently_notified,
    not_notified,
    own_accounts,
)
from helpdesk.diagnostics.rules.person import person_ambiguous

# The rule modules register themselves on import.
_RULE_MODULES = (phone, email, account, pupils, person)

#: Motifs of a lost login or password, and the self-service that answers each.
LOST = {"identifiant_oublie": "recover_login", "mot_de_passe_oublie": "recover_password"}


def run_rules(ctx: DiagnosisContext) -> list[Finding]:
    """Every finding that applies, blocking first; ``account_ok`` when none blocks or warns."""
    if ctx.candidates or ctx.candidate_pupils:
        return [person_ambiguous(ctx)]
    if ctx.pupil is not None:
        checks = (not_notified, activation_expired)
        findings = [f for check in checks if (f := check(ctx)) is not None]
    elif not ctx.records:
        return [person_not_found(ctx)]
    else:
        findings = [f for check in RULES.values() if (f := check(ctx)) is not None]
    if not any(f.severity in ("blocking", "warning") for f in findings):
        findings.append(account_ok(ctx))
    return ordered(findings)


def account_ok(ctx: DiagnosisContext) -> Finding:
    """Nothing blocks: what the person can do themselves, by the state of their accounts."""
    accounts = own_accounts(ctx)
    evidence = {
        "comptes": [
            {
                "compte_id": a.compte_id,
                "profil": a.profil,
                "etat": a.etat,
                "identifiant": ctx.masker.login(a.identifiant),
                "origine": a.origine,
                "date_notification": format_date(a.date_notification),
                "date_dernier_acces": format_date(a.date_dernier_acces),
            }
            for a in accounts
        ]
    }
    holder = "eleve" if ctx.pupil is not None else "responsable"
    motif = (ctx.given.motif or "").strip()
    actions = []
    if any(a.etat == "active" for a in accounts):
        if motif in LOST:
            reset = "eleve" if ctx.pupil is not None else ""
            actions = [act(holder, LOST[motif]), act("ecole", "renotify_with_reset", reset)]
    elif any(is_recently_notified(a, ctx.now) for a in accounts):
        actions = [act(holder, "activate_with_notification")]
    elif ctx.valid_mobiles and ctx.pupil is None:
        actions = [act("responsable", "self_enrol_sms")]
    return make_finding(
        "account_ok",
        evidence,
        actions,
        route(ctx),
        holder="L'élève" if ctx.pupil is not None else "Le responsable",
    )


def person_not_found(ctx: DiagnosisContext) -> Finding:
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
    return make_finding("person_not_found", evidence, [act("centre", "ask_requester")], route(ctx))
