"""Account-state rules: notification, provisional password, synchronisation; and the state
helpers every rule uses, because what a person can do depends on their accounts' state."""

from __future__ import annotations

import calendar
from datetime import datetime

from helpdesk.diagnostics.context import AccountRecord, DiagnosisContext
from helpdesk.diagnostics.findings import Finding
from helpdesk.diagnostics.guidance import act, make_finding, route, route_for_person
from helpdesk.diagnostics.masking import format_date
from helpdesk.diagnostics.rules import rule
from helpdesk.util.frenchdates import PARIS

#: A provisional password lives this many calendar months.
PROVISIONAL_PASSWORD_MONTHS = 3

ETAT_LABELS = {
    "non_notifie": "non notifié",
    "notifie_non_active": "notifié, non activé",
    "en_cours_activation": "en cours d'activation",
    "active": "activé",
}


def add_months(moment: datetime, months: int) -> datetime:
    """The same wall-clock time ``months`` calendar months later (Europe/Paris)."""
    local = moment.astimezone(PARIS)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def expiry_of(account: AccountRecord) -> datetime | None:
    if account.date_notification is None:
        return None
    return add_months(account.date_notification, PROVISIONAL_PASSWORD_MONTHS)


def is_expired(account: AccountRecord, now: datetime | None) -> bool:
    expiry = expiry_of(account)
    return (
        account.etat == "notifie_non_active"
        and now is not None
        and expiry is not None
        and now > expiry
    )


def is_recently_notified(account: AccountRecord, now: datetime | None) -> bool:
    """Notified less than three months ago and not activated yet: the notification path."""
    return account.etat == "notifie_non_active" and not is_expired(account, now)


def own_accounts(ctx: DiagnosisContext) -> tuple[AccountRecord, ...]:
    """The accounts of the person the request is about (the pupil's for a pupil)."""
    return ctx.accounts if ctx.pupil is not None else ctx.responsable_accounts


def has_active(ctx: DiagnosisContext) -> bool:
    return any(a.etat == "active" for a in own_accounts(ctx))


def is_on_a_path(ctx: DiagnosisContext) -> bool:
    """An account is active, being activated, or notified less than three months ago."""
    return any(
        a.etat in ("active", "en_cours_activation") or is_recently_notified(a, ctx.now)
        for a in own_accounts(ctx)
    )


def expired_accounts(accounts: tuple[AccountRecord, ...], now: datetime | None) -> list:
    """Accounts notified more than three calendar months before ``now`` and never activated."""
    return [a for a in accounts if is_expired(a, now)]


def accounts_evidence(ctx: DiagnosisContext, accounts) -> list[dict]:
    """The state and dates of each account, as an agent needs them."""
    return [
        {
            "compte_id": a.compte_id,
            "identifiant": ctx.masker.login(a.identifiant),
            "etat": a.etat,
            "date_notification": format_date(a.date_notification),
            "date_activation": format_date(a.date_activation),
            "date_dernier_acces": format_date(a.date_dernier_acces),
        }
        for a in accounts
    ]


@rule("activation_expired")
def activation_expired(ctx: DiagnosisContext) -> Finding | None:
    expired = expired_accounts(own_accounts(ctx), ctx.now)
    if not expired:
        return None
    r = route(ctx) if ctx.pupil is not None else route_for_person(ctx, expired[0].personne_id)
    evidence = {
        "comptes": [
            {
                "compte_id": a.compte_id,
                "profil": a.profil,
                "etat": a.etat,
                "date_notification": format_date(a.date_notification),
                "expire_le": format_date(expiry_of(a)),
            }
            for a in expired
        ],
        "date_reference": format_date(ctx.now),
    }
    if ctx.pupil is not None:
        actions = [act("ecole", "renotify_with_reset", "eleve_expire")]
        return make_finding("activation_expired", evidence, actions, r, holder="L'élève")
    actions = [act("ecole", "renotify_with_reset", "expire")]
    if ctx.valid_mobiles:
        actions.insert(0, act("responsable", "self_enrol_sms"))
    return make_finding("activation_expired", evidence, actions, r)


@rule("not_notified")
def not_notified(ctx: DiagnosisContext) -> Finding | None:
    if ctx.pupil is not None:
        never = [a for a in ctx.accounts if a.etat == "non_notifie"]
        if not never:
            return None
        evidence = {"comptes": accounts_evidence(ctx, never)}
        return make_finding(
            "not_notified",
            evidence,
            [act("ecole", "hand_out_pupil_login")],
            route(ctx),
            severity="info" if has_active(ctx) else "blocking",
            variant="eleve",
            holder="L'élève",
        )
    never = [a for a in ctx.responsable_accounts if a.etat == "non_notifie"]
    if not never or ctx.valid_mobiles:
        return None
    evidence = {"comptes": accounts_evidence(ctx, never), "mobile_valide": False}
    return make_finding(
        "not_notified",
        evidence,
        [act("ecole", "notify_account")],
        route_for_person(ctx, never[0].personne_id),
        severity="info" if has_active(ctx) else "blocking",
    )


@rule("sync_pending")
def sync_pending(ctx: DiagnosisContext) -> Finding | None:
    changes = []
    accounts = []
    for account in ctx.accounts:
        synced = account.date_synchro
        if synced is None:
            continue
        late = [
            ("responsable", rec.responsable_id, rec.date_modification)
            for rec in ctx.records
            if rec.date_modification and rec.date_modification > synced
        ] + [
            ("eleve", child.eleve_id, child.date_modification)
            for child in ctx.all_children()
            if child.date_modification and child.date_modification > synced
        ]
        if late:
            accounts.append({"compte_id": account.compte_id, "date_synchro": format_date(synced)})
            changes += late
    if not accounts:
        return None
    unique = sorted(set(changes), key=lambda c: (c[0], c[1]))
    evidence = {
        "comptes": accounts,
        "modifications": [
            {"type": kind, "id": ident, "date_modification": format_date(when)}
            for kind, ident, when in unique
        ],
    }
    return make_finding("sync_pending", evidence, [act("responsable", "wait_sync")], route(ctx))
