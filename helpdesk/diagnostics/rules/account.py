"""Account-state rules: notification, provisional password, synchronisation."""

from __future__ import annotations

import calendar
from datetime import datetime

from helpdesk.diagnostics.context import AccountRecord, DiagnosisContext
from helpdesk.diagnostics.findings import Finding, make_finding
from helpdesk.diagnostics.guidance import cap, letter, route, route_for_person
from helpdesk.diagnostics.masking import PARIS, format_date
from helpdesk.diagnostics.rules import rule

#: A provisional password lives this many calendar months.
PROVISIONAL_PASSWORD_MONTHS = 3


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


def expired_accounts(accounts: tuple[AccountRecord, ...], now: datetime | None) -> list:
    """Accounts notified more than three calendar months before ``now`` and never activated."""
    if now is None:
        return []
    expired = []
    for account in accounts:
        expiry = expiry_of(account)
        if account.etat == "notifie_non_active" and expiry is not None and now > expiry:
            expired.append(account)
    return expired


@rule("activation_expired")
def activation_expired(ctx: DiagnosisContext) -> Finding | None:
    expired = expired_accounts(ctx.accounts, ctx.now)
    if not expired:
        return None
    r = route(ctx) if ctx.pupil is not None else route_for_person(ctx, expired[0].personne_id)
    evidence = {
        "comptes": [
            {
                "compte_id": a.compte_id,
                "profil": a.profil,
                "date_notification": format_date(a.date_notification),
                "expire_le": format_date(expiry_of(a)),
            }
            for a in expired
        ],
        "date_reference": format_date(ctx.now),
    }
    if ctx.pupil is not None:
        fix = (
            "Le compte de l'élève a été notifié il y a plus de 3 mois et n'a jamais été activé : "
            f"le mot de passe provisoire a expiré. {cap(r.admin)} (ou un personnel délégué, "
            "module « Dépannage élève ») génère un nouveau mot de passe provisoire et le remet à "
            "l'élève."
        )
        steps = [
            f"Demander {r.to_admin} de renotifier le compte de l'élève (module « Dépannage "
            "élève » ou outil d'administration des comptes).",
            "L'élève se connecte avec le nouveau mot de passe provisoire, choisit son mot de "
            "passe et confirme sa date de naissance.",
        ]
        reply = letter(
            "Le mot de passe provisoire du compte EduConnect de l'élève a expiré : il n'est "
            "valable que 3 mois après sa remise.",
            f"L'élève peut s'adresser à {r.school}, qui lui remettra un nouveau mot de passe "
            "provisoire. À la première connexion, il choisira son propre mot de passe.",
        )
    else:
        fix = (
            "Le compte a été notifié il y a plus de 3 mois et n'a jamais été activé : le mot de "
            f"passe provisoire a expiré. {cap(r.admin)} renotifie le compte depuis l'outil "
            "d'administration des comptes EduConnect (nouveau mot de passe provisoire) ; le "
            "responsable peut aussi s'inscrire par SMS si son mobile est à jour dans la base."
        )
        steps = [
            f"Demander {r.to_admin} de renotifier le compte (feuille individuelle ou courriel).",
            "Le responsable se connecte avec le nouveau mot de passe provisoire dans les 3 mois, "
            "choisit son mot de passe et confirme son adresse électronique.",
            "Autre voie : l'activation par SMS, si le mobile de la base est le sien.",
        ]
        reply = letter(
            "Le mot de passe provisoire qui vous avait été remis a expiré : il n'est valable "
            "que 3 mois.",
            f"Nous demandons à {r.school} de vous remettre un nouvel identifiant et un nouveau "
            "mot de passe provisoire. Vous pouvez aussi activer votre compte sans attendre par "
            "SMS, depuis la page d'accueil d'EduConnect, si votre numéro de mobile est connu "
            "de l'école.",
        )
    return make_finding("activation_expired", evidence, fix, steps, reply)


@rule("not_notified")
def not_notified(ctx: DiagnosisContext) -> Finding | None:
    never = [a for a in ctx.accounts if a.etat == "non_notifie"]
    if not never or ctx.valid_mobiles:
        return None
    r = route_for_person(ctx, never[0].personne_id)
    evidence = {"compte_ids": [a.compte_id for a in never], "mobile_valide": False}
    fix = (
        "Le compte n'a jamais été notifié et aucun mobile valide ne permet l'inscription par "
        f"SMS. {cap(r.admin)} notifie le compte (feuille individuelle ou courriel) depuis "
        f"l'outil d'administration des comptes EduConnect ; ou {r.who} enregistre le mobile "
        f"du responsable dans {r.base} (visible dans EduConnect {r.delay})."
    )
    steps = [
        f"Demander {r.to_admin} de notifier le compte du responsable.",
        f"Ou faire enregistrer son mobile dans {r.base} ({r.delay}) pour l'inscription par SMS.",
        "Le responsable active ensuite son compte (mot de passe, adresse électronique).",
    ]
    reply = letter(
        "Votre compte EduConnect existe, mais ses identifiants ne vous ont pas encore été "
        "remis, et aucun numéro de mobile n'est enregistré pour l'activer par SMS.",
        f"Nous demandons à {r.school} de vous transmettre votre identifiant et un mot de passe "
        "provisoire. Vous pouvez aussi lui communiquer votre numéro de mobile : il sera pris en "
        f"compte par EduConnect {r.delay}, et vous pourrez activer votre compte par SMS.",
    )
    return make_finding("not_notified", evidence, fix, steps, reply)


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
    r = route(ctx)
    unique = sorted(set(changes), key=lambda c: (c[0], c[1]))
    evidence = {
        "comptes": accounts,
        "modifications": [
            {"type": kind, "id": ident, "date_modification": format_date(when)}
            for kind, ident, when in unique
        ],
    }
    fix = (
        "La base élèves a été modifiée après la dernière synchronisation du compte : la "
        f"modification sera visible dans EduConnect {r.delay}. Attendre ce délai avant toute "
        "autre action."
    )
    steps = [
        f"Attendre la prochaine synchronisation ({r.delay} après la modification).",
        "Le responsable se reconnecte ensuite ; si rien n'a changé, rouvrir la demande.",
    ]
    reply = letter(
        f"Les informations de votre dossier ont été mises à jour récemment par {r.school}. "
        f"Elles apparaîtront dans EduConnect {r.delay}.",
        "Merci de vous reconnecter après ce délai. Si la situation n'a pas changé, "
        "répondez simplement à ce message.",
    )
    return make_finding("sync_pending", evidence, fix, steps, reply)
