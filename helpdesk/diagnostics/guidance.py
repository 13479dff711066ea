"""Who fixes what in which school base, and when the fix shows in EduConnect."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.diagnostics.context import FIRST_DEGREE, SECOND_DEGREE, DiagnosisContext

SIGNATURE = "Cordialement,\nL'assistance EduConnect de l'académie"


@dataclass(frozen=True)
class Route:
    """Where a school-base correction is made."""

    base: str
    #: Who corrects the school base ("le directeur ou la directrice de l'école").
    who: str
    #: When a correction shows in EduConnect ("le lendemain à 8h30").
    delay: str
    #: Who administers the accounts (notification, re-notification).
    admin: str
    #: How the requester names the school in a reply.
    school: str
    #: ``who`` and ``admin`` after "à" ("au directeur ou à la directrice de l'école").
    to_who: str = ""
    to_admin: str = ""


ONDE = Route(
    base="ONDE",
    who="le directeur ou la directrice de l'école",
    delay="le lendemain à 8h30",
    admin="le directeur ou la directrice de l'école",
    school="l'école",
    to_who="au directeur ou à la directrice de l'école",
    to_admin="au directeur ou à la directrice de l'école",
)
SIECLE = Route(
    base="SIECLE",
    who="le secrétariat de l'établissement",
    delay="sous 48 heures",
    admin="le chef d'établissement ou le secrétariat qu'il a désigné",
    school="l'établissement",
    to_who="au secrétariat de l'établissement",
    to_admin="au chef d'établissement ou au secrétariat qu'il a désigné",
)
EITHER = Route(
    base="ONDE ou SIECLE",
    who="l'école (dans ONDE) ou l'établissement (dans SIECLE)",
    delay="le lendemain à 8h30 (ONDE) ou sous 48 heures (SIECLE)",
    admin="le directeur d'école ou le chef d'établissement",
    school="l'école ou l'établissement de l'enfant",
    to_who="à l'école (dans ONDE) ou à l'établissement (dans SIECLE)",
    to_admin="au directeur d'école ou au chef d'établissement",
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


def letter(*paragraphs: str) -> str:
    """A reply to the requester: greeting, paragraphs, signature."""
    return "\n\n".join(["Bonjour,", *paragraphs, SIGNATURE])


def join_fr(items: list[str]) -> str:
    """ "a", "a et b", "a, b et c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
