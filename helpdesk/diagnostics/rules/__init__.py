"""One small rule per diagnostic code, each pure over a :class:`DiagnosisContext`."""

from __future__ import annotations

from collections.abc import Callable

from helpdesk.diagnostics.context import DiagnosisContext
from helpdesk.diagnostics.findings import Finding

Rule = Callable[[DiagnosisContext], Finding | None]

#: Rules for a responsable, by code.
RULES: dict[str, Rule] = {}


def rule(code: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[code] = func
        return func

    return register
