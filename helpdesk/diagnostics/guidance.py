"""Who fixes what in which school base, and the texts of a finding: fix, steps and reply.

The words come from :mod:`helpdesk.diagnostics.advice`; this module only chooses them (by
code, action and audience) and fills their placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from helpdesk.diagnostics import advice
from helpdesk.diagnostics.codes import CODES
from helpdesk.diagnostics.context import FIRST_DEGREE, SECOND_DEGREE, DiagnosisContext
from helpdesk.diagnostics.findings import Action, Finding

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Route:
    """Where a school-base correction is made, and when it shows in EduConnect."""

    base: str
    #: How the requester names the school ("l'école").
    ecole: str
    #: Who corrects the school base ("le directeur ou la directrice de l'école").
    qui: str
    #: Who administers the accounts (notification, re-notification).
    admin: str
    #: How long a correction takes to show in EduConnect, as the documents give it.
    delai: str

    def values(self) -> dict[str, str]:
        out = asdict(self)
        for key in ("ecole", "qui", "admin"):
            out[f"{key}_cap"] = cap(out[key])
        return out


ONDE = Route(
    base="ONDE",
    ecole="l'école",
    qui="le directeur ou la directrice de l'école",
    admin="le directeur ou la directrice de l'école",
    delai="un à deux jours",
)
SIECLE = Route(
    base="SIECLE",
    ecole="l'établissement",
    qui="le secrétariat de l'établissement",
    admin="le chef d'établissement ou le personnel qu'il a désigné",
    delai="au moins 48 heures",
)
EITHER = Route(
    base="ONDE ou SIECLE",
    ecole="l'école ou l'établissement de l'enfant",
    qui="l'école (dans ONDE) ou le secrétariat de l'établissement (dans SIECLE)",
    admin="le directeur d'école ou le chef d'établissement",
    delai="un à deux jours (ONDE) ou au moins 48 heures (SIECLE)",
)


def route_for_types(types: set[str]) -> Route:
    first = bool(types & FIRST_DEGREE)
    second = bool(types & SECOND_DEGREE)
    if first and not second:
        return ONDE
    if second and not first:
        return SIECLE
    return EITHER


def route(ctx: DiagnosisContext) -> Route:
    """The route for the person's children's schools."""
    return route_for_types(ctx.school_types())


def route_for_person(ctx: DiagnosisContext, responsable_id: str | None) -> Route:
    """The route for the children of one of the person's records (all of them if none)."""
    uais = {
        ctx.children[link.eleve_id].uai
        for link in ctx.links
        if link.responsable_id == responsable_id and link.eleve_id in ctx.children
    }
    types = {ctx.schools[u].type for u in uais if u in ctx.schools}
    return route_for_types(types) if types else route(ctx)


def route_for_uai(ctx: DiagnosisContext, uai: str | None) -> Route:
    school = ctx.schools.get(uai or "")
    return route_for_types({school.type}) if school else route(ctx)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill the placeholders ``values`` knows; leave the others (the académie's) as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def join_fr(items: list[str]) -> str:
    """ "a", "a et b", "a, b et c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


# --------------------------------------------------------------------------- findings


def act(actor: str, action: str, variant: str = "") -> Action:
    return Action(actor, action, variant)


def make_finding(
    code: str,
    evidence: dict[str, Any],
    actions: Iterable[Action],
    route: Route,
    *,
    severity: str | None = None,
    variant: str = "",
    values: Mapping[str, str] | None = None,
    holder: str = "Le responsable",
) -> Finding:
    """A finding whose fix and steps are the advice module's texts for its code and actions."""
    actions = tuple(actions)
    filled = {**route.values(), "titulaire": holder, **(values or {})}
    situation = fill(advice.situation(code, variant).agent, filled)
    steps = tuple(fill(advice.action_advice(a.action, a.variant).agent, filled) for a in actions)
    fix = " ".join([situation, *steps])
    return Finding(
        code=code,
        severity=severity or CODES[code].value,
        evidence=evidence,
        fix=fix,
        steps=steps,
        actions=actions,
        variant=variant,
        values=filled,
    )


# --------------------------------------------------------------------------- replies

#: The audience of a reply, from the requester's role.
ROLE_AUDIENCES = {
    "parent": advice.RESPONSABLE,
    "responsable": advice.RESPONSABLE,
    "eleve": advice.ELEVE,
    "élève": advice.ELEVE,
    "directeur": advice.DIRECTEUR,
    "directrice": advice.DIRECTEUR,
    "ecole": advice.DIRECTEUR,
    "secretariat": advice.DIRECTEUR,
}


def audience_for(role: str | None, pupil_request: bool = False) -> str:
    """Who a reply is written for: a parent unless the requester is a pupil or a school."""
    audience = ROLE_AUDIENCES.get((role or "").strip().lower())
    if audience is None:
        return advice.ELEVE if pupil_request else advice.RESPONSABLE
    return audience


def _for(entry: advice.Advice, audience: str) -> str:
    if audience in entry.replies:
        return entry.replies[audience]
    if audience == advice.ELEVE:
        return entry.replies.get(advice.RESPONSABLE, "")
    return ""


def compose_reply(primary: Finding | None, audience: str) -> str:
    """The reply to send, built from the primary finding's situation and actions only.

    Other findings never add to it, so that the reply cannot contradict itself; académie
    placeholders (``{telephone_assistance}``…) are left for the canned-reply mechanism.
    """
    if primary is None:
        return ""
    values = primary.values
    paragraphs = [advice.GREETING]
    opening = _for(advice.situation(primary.code, primary.variant), audience)
    if opening:
        paragraphs.append(fill(opening, values))
    for action in primary.actions:
        text = _for(advice.action_advice(action.action, action.variant), audience)
        if text and fill(text, values) not in paragraphs:
            paragraphs.append(fill(text, values))
    closing = _for(advice.CLOSINGS[audience], audience)
    if closing:
        paragraphs.append(closing)
    paragraphs.append(advice.SIGNATURE)
    return "\n\n".join(paragraphs)
