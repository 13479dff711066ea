"""Rules on the children: birth dates, eligibility, maternelle, legal guardianship."""

from __future__ import annotations

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding
from helpdesk.diagnostics.guidance import act, join_fr, make_finding, route, route_for_uai
from helpdesk.diagnostics.rules import rule
from helpdesk.diagnostics.typos import date_gap

LIEN_LABELS = {
    "mere": "mère",
    "pere": "père",
    "tuteur": "tuteur",
    "autre_membre_famille": "autre membre de la famille",
    "aide_sociale_enfance": "aide sociale à l'enfance",
    "personne_en_charge": "personne en charge",
    "autre": "autre lien",
}
ADMISSION_REASONS = {"provisoire": "admission provisoire", "radiee": "élève radié"}


@rule("birthdate_mismatch")
def birthdate_mismatch(ctx: DiagnosisContext) -> Finding | None:
    items = []
    slips = []
    for given in ctx.given.children:
        child = ctx.children.get(given.eleve_id or "")
        if child is None or given.date_naissance is None or child.date_naissance is None:
            continue
        gap = date_gap(given.date_naissance, child.date_naissance)
        if gap.text:
            slips.append(gap.is_slip)
            items.append(
                {
                    "eleve_id": child.eleve_id,
                    "enfant": ctx.masker.name(child.prenom, child.nom),
                    "date_donnee": ctx.masker.birth_date(given.date_naissance),
                    "date_base": ctx.masker.birth_date(child.date_naissance),
                    "ecart": gap.text,
                    "faute_de_frappe": gap.is_slip,
                }
            )
    if not items:
        return None
    if all(slips):
        actions = [act("responsable", "retype_given_data", "date")]
    else:
        actions = [act("ecole", "fix_base_birthdate"), act("responsable", "wait_sync")]
    return make_finding(
        "birthdate_mismatch",
        {"enfants": items},
        actions,
        route_for_uai(ctx, ctx.children[items[0]["eleve_id"]].uai),
        values={"ecart": join_fr(sorted({item["ecart"] for item in items}))},
    )


@rule("pupil_not_eligible")
def pupil_not_eligible(ctx: DiagnosisContext) -> Finding | None:
    items = []
    for child in ctx.legal_children():
        if child.admission == "radiee":
            # the child left the school: that is the whole story
            reasons = [ADMISSION_REASONS["radiee"]]
        else:
            reasons = []
            if child.admission != "definitive":
                reasons.append(ADMISSION_REASONS.get(child.admission or "", "admission inconnue"))
            if not (child.ine or "").strip() and not child.is_maternelle:
                reasons.append("sans INE")
            if not (child.classe or "").strip():
                reasons.append("sans classe")
        if reasons:
            items.append(
                {
                    "eleve_id": child.eleve_id,
                    "enfant": ctx.masker.name(child.prenom, child.nom),
                    "niveau": (child.niveau or "").upper(),
                    "raisons": reasons,
                }
            )
    if not items:
        return None
    struck_off = [i for i in items if i["raisons"] == [ADMISSION_REASONS["radiee"]]]
    actions = []
    if len(struck_off) < len(items):
        actions += [act("ecole", "finalise_enrolment"), act("responsable", "wait_sync")]
    if struck_off:
        actions.append(act("centre", "explain_no_access", "radiee"))
    reasons = join_fr(sorted({r for item in items for r in item["raisons"]}))
    return make_finding(
        "pupil_not_eligible",
        {"enfants": items},
        actions,
        route_for_uai(ctx, ctx.children[items[0]["eleve_id"]].uai),
        variant="radiee" if len(struck_off) == len(items) else "",
        values={"raisons": reasons},
    )


@rule("maternelle_only")
def maternelle_only(ctx: DiagnosisContext) -> Finding | None:
    children = ctx.legal_children()
    if not children or not all(child.is_maternelle for child in children):
        return None
    evidence = {
        "enfants": [
            {
                "eleve_id": c.eleve_id,
                "enfant": ctx.masker.name(c.prenom, c.nom),
                "niveau": (c.niveau or "").upper(),
                "ine": bool((c.ine or "").strip()),
            }
            for c in children
        ]
    }
    return make_finding(
        "maternelle_only",
        evidence,
        [act("centre", "explain_no_access", "maternelle")],
        route(ctx),
    )


@rule("not_legal_guardian")
def not_legal_guardian(ctx: DiagnosisContext) -> Finding | None:
    links = [link for link in ctx.links if link.responsable_legal is False]
    if not links:
        return None
    child = ctx.children.get(links[0].eleve_id)
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
    return make_finding(
        "not_legal_guardian",
        evidence,
        [act("centre", "explain_no_access", "non_legal")],
        route_for_uai(ctx, child.uai if child else None),
    )
