"""Mobile number rules: the SMS self-enrolment needs the school base's mobile."""

from __future__ import annotations

import phonenumbers

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding
from helpdesk.diagnostics.guidance import act, make_finding, route, route_for_person
from helpdesk.diagnostics.rules import rule
from helpdesk.diagnostics.rules.account import has_active, is_on_a_path
from helpdesk.diagnostics.typos import (
    PHONE_LANDLINE,
    PHONE_OLD_NUMBER,
    Gap,
    phone_closeness,
    phone_gap,
)
from helpdesk.util.phones import national_digits, read_number

_FRENCH_REGIONS = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"}


def _no_mobile_severity(ctx: DiagnosisContext) -> str:
    """A missing mobile blocks only someone with no account on a path (guided-fixes.md)."""
    return "info" if is_on_a_path(ctx) else "blocking"


@rule("phone_missing")
def phone_missing(ctx: DiagnosisContext) -> Finding | None:
    if any((r.telephone_portable or "").strip() for r in ctx.records):
        return None
    evidence: dict = {"responsable_ids": list(ctx.responsable_ids)}
    landlines = [rec.telephone_fixe_e164 or rec.telephone_fixe for rec in ctx.records]
    landlines = [n for n in landlines if n]
    if landlines:
        evidence["telephone_fixe"] = ctx.masker.phone(landlines[0])
        evidence["mobile_en_colonne_fixe"] = _is_mobile_number(landlines[0])
    actions = [act("ecole", "notify_account"), act("ecole", "fix_base_contact", "telephone")]
    return make_finding(
        "phone_missing", evidence, actions, route(ctx), severity=_no_mobile_severity(ctx)
    )


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
    evidence = {
        "responsable_id": closest.responsable_id,
        "telephone_donne": ctx.masker.phone(ctx.given.telephone_e164 or given),
        "telephone_base": ctx.masker.phone(closest.mobile),
        "ecart": gap.text,
        "faute_de_frappe": gap.is_slip,
    }
    if gap.is_slip:
        actions = [act("responsable", "retype_given_data", "telephone")]
    else:
        actions = [
            act("ecole", "fix_base_contact", "telephone"),
            act("responsable", "wait_sync"),
        ]
    return make_finding(
        "phone_mismatch",
        evidence,
        actions,
        route_for_person(ctx, closest.responsable_id),
        severity="info" if has_active(ctx) else "blocking",
        values={"ecart": gap.text},
    )


def _explain_gap(ctx: DiagnosisContext, given_digits: str, mobile: str) -> Gap:
    account_phones = {national_digits(a.telephone_e164 or a.telephone) for a in ctx.accounts}
    if given_digits in account_phones - {""}:
        return Gap(PHONE_OLD_NUMBER, False)
    landlines = {national_digits(r.telephone_fixe_e164 or r.telephone_fixe) for r in ctx.records}
    if given_digits in landlines - {""}:
        return Gap(PHONE_LANDLINE, False)
    return phone_gap(given_digits, mobile)


@rule("phone_not_mobile")
def phone_not_mobile(ctx: DiagnosisContext) -> Finding | None:
    bad = [
        rec
        for rec in ctx.records
        if (rec.telephone_portable or "").strip() and not rec.telephone_portable_is_mobile
    ]
    if not bad:
        return None
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
    actions = [act("ecole", "notify_account"), act("ecole", "fix_base_contact", "telephone")]
    return make_finding(
        "phone_not_mobile",
        {"fiches": items},
        actions,
        route_for_person(ctx, bad[0].responsable_id),
        severity=_no_mobile_severity(ctx),
        values={"nature": ", ".join(natures)},
    )


def describe_number(value: str | None) -> str:
    """What a number that is not a valid French mobile is, in French."""
    text = (value or "").strip()
    number = read_number(text)
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


def _is_mobile_number(value: str) -> bool:
    number = read_number(value)
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
    return make_finding(
        "phone_shared",
        {"telephones": shared},
        [act("ecole", "fix_base_contact", "telephone")],
        route(ctx),
    )
