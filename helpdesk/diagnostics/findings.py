"""A finding: one diagnostic code with its evidence, its actions and its guided fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from helpdesk.diagnostics.codes import PRIMARY_ORDER, WARNING_ORDER, sort_key


@dataclass(frozen=True)
class Action:
    """Who does what next (an action of guided-fixes.md); ``variant`` picks its wording."""

    actor: str
    action: str
    variant: str = ""

    def as_json(self) -> dict[str, str]:
        return {"actor": self.actor, "action": self.action}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    evidence: dict[str, Any]
    #: What is wrong and what to do, in one paragraph (for the agent).
    fix: str
    steps: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    #: The wording of the situation (``"radiee"``, ``"eleve"``…), "" for the usual one.
    variant: str = ""
    #: Values of the texts' placeholders (the school route, the gap found…).
    values: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The finding as the ``helpdesk diagnose`` contract prints it."""
        return {
            "code": self.code,
            "severity": self.severity,
            "evidence": self.evidence,
            "fix": self.fix,
            "actions": [action.as_json() for action in self.actions],
        }


def ordered(findings: list[Finding]) -> list[Finding]:
    """Blocking first, then warnings, then information; each code once."""
    unique: dict[str, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.code, finding)
    return sorted(unique.values(), key=lambda f: sort_key(f.code, f.severity))


def primary_finding(findings: list[Finding]) -> Finding | None:
    """The finding that answers the request (guided-fixes.md, *Primary finding*)."""
    by_code = {f.code: f for f in findings}
    blocking = {f.code for f in findings if f.severity == "blocking"}
    maternelle = by_code.get("maternelle_only")
    for code in PRIMARY_ORDER:
        if code == "pupil_not_eligible" and maternelle is not None:
            # every child is in maternelle: that answers before the enrolment details
            return maternelle
        if code in blocking:
            return by_code[code]
    if maternelle is not None:
        return maternelle
    for code in WARNING_ORDER:
        if code in by_code and by_code[code].severity == "warning":
            return by_code[code]
    if "account_ok" in by_code:
        return by_code["account_ok"]
    return findings[0] if findings else None


@dataclass(frozen=True)
class Diagnosis:
    """Who the request is about, and what is wrong."""

    responsable_ids: list[str] = field(default_factory=list)
    compte_ids: list[str] = field(default_factory=list)
    eleve_ids: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: The records of each person the request may be about, when it fits several.
    candidates: list[str] = field(default_factory=list)
    candidate_pupils: list[str] = field(default_factory=list)

    @property
    def matched(self) -> dict[str, list[str]]:
        return {
            "responsable_ids": self.responsable_ids,
            "compte_ids": self.compte_ids,
            "eleve_ids": self.eleve_ids,
        }

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    @property
    def primary(self) -> Finding | None:
        return primary_finding(self.findings)

    def finding(self, code: str) -> Finding | None:
        return next((f for f in self.findings if f.code == code), None)

    def as_json(self, request_id: Any) -> dict[str, Any]:
        """The answer of ``helpdesk diagnose`` (data-contract.md)."""
        primary = self.primary
        answer: dict[str, Any] = {"id": request_id, "matched": self.matched}
        if self.finding("person_ambiguous") is not None:
            answer["candidates"] = {"responsable_ids": self.candidates}
            if self.candidate_pupils:
                answer["candidates"]["eleve_ids"] = self.candidate_pupils
        answer["primary"] = primary.code if primary else None
        answer["findings"] = [finding.as_json() for finding in self.findings]
        return answer
