"""Mobile number rules: the SMS self-enrolment needs the school base's mobile."""

from __future__ import annotations

import phonenumbers

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding, make_finding
from helpdesk.diagnostics.guidance import cap, letter, route, route_for_person
from helpdesk.diagnostics.rules import rule
from helpdesk.diagnostics.typos import (
    PHONE_LANDLINE,
    PHONE_OLD_NUMBER,
    PHONE_OTHER,
    national_digits,
    phone_closeness,
    phone_difference,
)

_FRENCH_REGIONS = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"}


@rule("phone_missing")
def phone_missing(ctx: DiagnosisContext) -> Finding | None:
    if any((r.telephone_portable or "").strip() for r in ctx.records):
        return None
    r = route(ctx)
    evidence: dict = {"responsable_ids": list(ctx.responsable_ids)}
    landlines = [rec.telephone_fixe_e164 or rec.telephone_fixe for rec in ctx.records]
    landlines = [n for n in landlines if n]
    if landlines:
        evidence["telephone_fixe"] = ctx.masker.phone(landlines[0])
        evidence["mobile_en_colonne_fixe"] = _is_mobile_number(landlines[0])
    fix = (
        f"Aucun numéro de mobile n'est enregistré dans {r.base} pour ce responsable : "
        f"l'inscription par SMS est impossible. {cap(r.who)} saisit le mobile dans {r.base} "
        f"(visible dans EduConnect {r.delay}) ; en attendant, {r.admin} peut notifier le compte "
        "(identifiant et mot de passe provisoire)."
    )
    steps = [
        "Demander au responsable son numéro de téléphone mobile.",
        f"Transmettre le numéro {r.to_who}, qui l'enregistre dans {r.base}.",
        f"Le numéro apparaît dans EduConnect {r.delay} : le responsable recommence alors "
        "l'activation par SMS.",
        f"Sans attendre, {r.admin} peut notifier le compte depuis l'outil d'administration "
        "des comptes EduConnect.",
    ]
    reply = letter(
        "Aucun numéro de téléphone mobile ne figure à votre nom dans la base de "
        f"{r.school} : EduConnect ne peut donc pas vous envoyer de code par SMS.",
        f"Nous vous invitons à communiquer votre numéro de mobile à {r.school}, qui "
        f"l'enregistrera. Il sera pris en compte par EduConnect {r.delay} ; vous pourrez alors "
        "recommencer l'activation de votre compte. L'école peut aussi vous remettre un "
        "identifiant et un mot de passe provisoire.",
    )
    return make_finding("phone_missing", evidence, fix, steps, reply)


@rule("phone_mismatch")
def phone_mismatch(ctx: DiagnosisContext) -> Finding | None:
    given = (ctx.given.telephone or "").strip()
    mobiles = [rec for rec in ctx.records if rec.mobile]
    if not given or not mobiles:
        return None
    given_digits = national_digits(ctx.given.telephone_e164 or given)
    if ctx.given.telephone_e164 in {rec.mobile for rec in mobiles}:
        return None
    if given_digits in {national_digits(rec.mobile) for rec in mobiles}:
        return None
    closest = min(mobiles, key=lambda rec: phone_closeness(given_digits, rec.mobile or ""))
    gap = _explain_gap(ctx, given_digits, closest.mobile or "")
    r = route_for_person(ctx, closest.responsable_id)
    evidence = {
        "responsable_id": closest.responsable_id,
        "telephone_donne": ctx.masker.phone(ctx.given.telephone_e164 or given),
        "telephone_base": ctx.masker.phone(closest.mobile),
        "ecart": gap,
    }
    fix = (
        f"Le mobile donné par le responsable ne correspond pas à celui enregistré dans {r.base} "
        f"({gap}). Vérifier avec lui le bon numéro : si celui de la base est faux, {r.who} le "
        f"corrige dans {r.base}, correction visible dans EduConnect {r.delay} ; s'il est juste, "
        "le responsable le saisit tel quel lors de l'activation."
    )
    steps = [
        f"Confirmer avec le responsable son numéro de mobile actuel ({gap} par rapport au "
        f"numéro enregistré dans {r.base}).",
        f"Si la base est erronée : demander {r.to_who} de corriger le mobile dans {r.base}.",
        f"La correction est visible dans EduConnect {r.delay} ; le responsable recommence "
        "ensuite l'activation par SMS.",
        "Si le numéro de la base est le bon : le responsable le saisit exactement lors de "
        "l'activation.",
    ]
    detail = {
        "deux chiffres inversés": " : deux chiffres semblent inversés",
        "un chiffre manquant": " : il semble manquer un chiffre",
        "un chiffre en trop": " : un chiffre semble en trop",
        "un chiffre différent": " : un chiffre diffère",
    }.get(gap, "")
    reply = letter(
        "Le numéro de téléphone mobile que vous indiquez ne correspond pas à celui que "
        f"{r.school} a enregistré{detail}. C'est pourquoi EduConnect ne vous envoie pas de "
        "code par SMS.",
        f"Nous demandons {r.to_who} de corriger votre numéro dans la base élèves. La "
        f"correction sera prise en compte par EduConnect {r.delay} ; vous pourrez alors "
        "recommencer l'activation de votre compte avec votre numéro de mobile.",
        "Si vous avez changé de numéro, merci de nous le confirmer en réponse à ce message.",
    )
    return make_finding("phone_mismatch", evidence, fix, steps, reply)


def _explain_gap(ctx: DiagnosisContext, given_digits: str, mobile: str) -> str:
    account_phones = {national_digits(a.telephone_e164 or a.telephone) for a in ctx.accounts}
    if given_digits in account_phones - {""}:
        return PHONE_OLD_NUMBER
    landlines = {national_digits(r.telephone_fixe_e164 or r.telephone_fixe) for r in ctx.records}
    if given_digits in landlines - {""}:
        return PHONE_LANDLINE
    return phone_difference(given_digits, mobile) or PHONE_OTHER


@rule("phone_not_mobile")
def phone_not_mobile(ctx: DiagnosisContext) -> Finding | None:
    bad = [
        rec
        for rec in ctx.records
        if (rec.telephone_portable or "").strip() and not rec.telephone_portable_is_mobile
    ]
    if not bad:
        return None
    r = route_for_person(ctx, bad[0].responsable_id)
    items = [
        {
            "responsable_id": rec.responsable_id,
            "telephone_portable": ctx.masker.phone(
                rec.telephone_portable_e164 or rec.telephone_portable
            ),
            "nature": describe_number(rec.telephone_portable_e164 or rec.telephone_portable),
        }
        for rec in bad
    ]
    natures = sorted({item["nature"] for item in items})
    fix = (
        f"La colonne « téléphone portable » de {r.base} contient {', '.join(natures)} au lieu "
        f"d'un mobile : l'inscription par SMS ne peut pas aboutir. {cap(r.who)} y enregistre le "
        f"mobile du responsable (visible dans EduConnect {r.delay})."
    )
    steps = [
        "Demander au responsable son numéro de téléphone mobile.",
        f"Demander {r.to_who} de remplacer le numéro de la colonne « portable » dans {r.base}.",
        f"Le mobile est pris en compte par EduConnect {r.delay} ; le responsable recommence "
        "ensuite l'activation par SMS.",
    ]
    reply = letter(
        f"Le numéro enregistré comme « mobile » par {r.school} n'est pas un numéro de "
        "téléphone mobile : EduConnect ne peut pas y envoyer de code par SMS.",
        f"Nous demandons à {r.school} d'enregistrer votre numéro de mobile ; il sera pris en "
        f"compte par EduConnect {r.delay}. Vous pourrez alors recommencer l'activation de "
        "votre compte.",
    )
    return make_finding("phone_not_mobile", {"fiches": items}, fix, steps, reply)


def describe_number(value: str | None) -> str:
    """What a number that is not a valid French mobile is, in French."""
    text = (value or "").strip()
    number = _parse(text)
    if number is not None and phonenumbers.is_valid_number(number):
        region = phonenumbers.region_code_for_number(number)
        if region not in _FRENCH_REGIONS:
            return "un numéro étranger"
        kind = phonenumbers.number_type(number)
        if kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.VOIP):
            return "un numéro de téléphone fixe"
        return "un numéro qui n'est pas un mobile"
    digits = national_digits(text)
    if len(digits) < 10:
        return "un numéro trop court"
    if len(digits) > 10:
        return "un numéro trop long"
    return "un numéro invalide"


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, None if text.startswith("+") else "FR")
    except phonenumbers.NumberParseException:
        return None


def _is_mobile_number(value: str) -> bool:
    number = _parse(value)
    return bool(
        number is not None
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


@rule("phone_shared")
def phone_shared(ctx: DiagnosisContext) -> Finding | None:
    own = set(ctx.responsable_ids)
    shared = []
    for mobile in ctx.valid_mobiles:
        others = sorted(set(ctx.mobile_holders.get(mobile, ())) - own)
        if others:
            shared.append({"telephone": ctx.masker.phone(mobile), "autres_responsable_ids": others})
    if not shared:
        return None
    r = route(ctx)
    fix = (
        f"Le même mobile est enregistré dans {r.base} pour plusieurs responsables : un numéro "
        "ne permet d'activer par SMS qu'un seul compte. "
        f"{cap(r.who)} enregistre le mobile personnel de chaque responsable (visible dans "
        f"EduConnect {r.delay}) ; à défaut, {r.admin} notifie le compte du second responsable."
    )
    steps = [
        "Demander à chaque responsable son propre numéro de mobile.",
        f"Demander {r.to_who} de corriger les numéros dans {r.base}.",
        f"Les numéros sont pris en compte par EduConnect {r.delay}.",
        f"Sinon, {r.admin} notifie le compte du responsable qui n'a pas de numéro personnel.",
    ]
    reply = letter(
        f"Le même numéro de mobile est enregistré par {r.school} pour vous et pour un autre "
        "responsable de l'enfant. Or un numéro ne permet d'activer qu'un seul compte par SMS.",
        f"Merci de communiquer à {r.school} un numéro de mobile personnel pour chacun des "
        f"responsables ; il sera pris en compte par EduConnect {r.delay}. L'école peut aussi "
        "vous remettre un identifiant et un mot de passe provisoire.",
    )
    return make_finding("phone_shared", {"telephones": shared}, fix, steps, reply)
