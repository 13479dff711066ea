"""Score the diagnostics against a case set: codes, primary finding, actions, right person.

A case (see ``tests/data/guided_cases``) is a ``helpdesk diagnose`` request with what a correct
answer reports. Scoring reads the answers exactly as the command prints them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class FamilyScore:
    cases: int = 0
    codes: int = 0
    primary: int = 0
    actions: int = 0
    #: Requests matched to records of somebody else.
    wrong_person: int = 0
    failures: list[str] = field(default_factory=list)

    def rate(self, hits: int) -> float:
        return hits / self.cases if self.cases else 0.0


def load_cases(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def wrong_people(case: dict[str, Any], answer: dict[str, Any]) -> set[str]:
    """Records the answer matched that are not the expected person's."""
    expected = set(case["expect"]["matched"])
    return set(answer.get("matched", {}).get("responsable_ids", [])) - expected


def score(
    cases: Iterable[dict[str, Any]], answer_of: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, FamilyScore]:
    """Each family's score; ``answer_of`` turns a request into the command's answer."""
    scores: dict[str, FamilyScore] = {}
    for case in cases:
        family = scores.setdefault(case["family"], FamilyScore())
        expect = case["expect"]
        answer = answer_of(case["request"])
        family.cases += 1
        codes = sorted(f["code"] for f in answer.get("findings", []))
        primary = answer.get("primary")
        found = next((f for f in answer.get("findings", []) if f["code"] == primary), None)
        actions = found["actions"] if found else None
        ok_codes = codes == expect["codes"]
        ok_primary = primary == expect["primary"]
        ok_actions = ok_primary and actions == expect["actions"]
        wrong = wrong_people(case, answer)
        if "candidates" in expect:
            got = sorted(answer.get("candidates", {}).get("responsable_ids", []))
            ok_codes = ok_codes and got == expect["candidates"]
        family.codes += ok_codes
        family.primary += ok_primary
        family.actions += ok_actions
        family.wrong_person += bool(wrong)
        if not (ok_codes and ok_primary and ok_actions) or wrong:
            family.failures.append(
                f"{case['request']['id']} ({case['note']}): codes {codes}, primary {primary}, "
                f"actions {actions}, matched {answer.get('matched', {}).get('responsable_ids')}"
            )
    return scores


def report(scores: dict[str, FamilyScore]) -> str:
    """A table of the scores, one family a line, then the total."""
    lines = [
        f"{'famille':<22}{'cas':>5}{'codes':>8}{'primary':>9}{'actions':>9}{'mauvaise pers.':>16}"
    ]
    total = FamilyScore()
    for name, s in scores.items():
        lines.append(
            f"{name:<22}{s.cases:>5}{s.rate(s.codes):>8.0%}{s.rate(s.primary):>9.0%}"
            f"{s.rate(s.actions):>9.0%}{s.wrong_person:>16}"
        )
        total.cases += s.cases
        total.codes += s.codes
        total.primary += s.primary
        total.actions += s.actions
        total.wrong_person += s.wrong_person
    lines.append(
        f"{'total':<22}{total.cases:>5}{total.rate(total.codes):>8.0%}"
        f"{total.rate(total.primary):>9.0%}{total.rate(total.actions):>9.0%}"
        f"{total.wrong_person:>16}"
    )
    return "\n".join(lines)
