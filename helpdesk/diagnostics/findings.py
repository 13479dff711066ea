"""A finding: one diagnostic code with its evidence and guided fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from helpdesk.diagnostics.codes import CODES, sort_key


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    evidence: dict[str, Any]
    #: Who must do what, and when it shows, in one paragraph.
    fix: str
    steps: tuple[str, ...] = ()
    #: A reply to the requester, ready to send.
    reply: str = ""

    def as_json(self) -> dict[str, Any]:
        """The finding as the ``helpdesk diagnose`` contract prints it."""
        return {
            "code": self.code,
            "severity": self.severity,
            "evidence": self.evidence,
            "fix": self.fix,
        }


def make_finding(
    code: str,
    evidence: dict[str, Any],
    fix: str,
    steps: list[str] | tuple[str, ...] = (),
    reply: str = "",
) -> Finding:
    return Finding(code, CODES[code].value, evidence, fix, tuple(steps), reply)


def ordered(findings: list[Finding]) -> list[Finding]:
    """Blocking first, then warnings, then information; each code once."""
    unique: dict[str, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.code, finding)
    return sorted(unique.values(), key=lambda f: sort_key(f.code, f.severity))


@dataclass(frozen=True)
class Diagnosis:
    """Who the request is about, and what is wrong."""

    responsable_ids: list[str] = field(default_factory=list)
    compte_ids: list[str] = field(default_factory=list)
    eleve_ids: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

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

    def finding(self, code: str) -> Finding | None:
        return next((f for f in self.findings if f.code == code), None)
