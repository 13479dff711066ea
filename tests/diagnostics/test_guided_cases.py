"""The guided-fix case set (tests/data/guided_cases), through the `helpdesk diagnose` answer.

The set was written from guided-fixes.md and the seeds, never tuned on: a failure here is a
diagnosis to fix, not an expectation to edit.
"""

from __future__ import annotations

import pytest

from helpdesk.accounts.importer import import_snapshot
from helpdesk.diagnostics.cli import diagnosis_json
from helpdesk.diagnostics.evaluation import load_cases, report, score
from helpdesk.diagnostics.panel import EVIDENCE_LABELS, evidence_lines
from helpdesk.diagnostics.services import DiagnoseRequest, diagnose
from tests.plugins.database import ROOT

CASES = ROOT / "tests" / "data" / "guided_cases"
pytestmark = pytest.mark.xdist_group("guided_cases")


@pytest.fixture
def case_base(db_session):
    report_ = import_snapshot(db_session, CASES / "snapshot")
    assert not report_.rejected
    return db_session


@pytest.fixture
def scores(case_base):
    cases = load_cases(CASES / "cases.jsonl")
    return score(
        cases, lambda request: diagnosis_json(DiagnoseRequest.from_json(request), case_base)
    )


def test_every_family_has_at_least_ten_cases():
    families: dict[str, int] = {}
    for case in load_cases(CASES / "cases.jsonl"):
        families[case["family"]] = families.get(case["family"], 0) + 1
    assert len(families) >= 9
    assert min(families.values()) >= 10, families


def test_nobody_is_ever_matched_to_somebody_else(scores):
    wrong = {name: s.wrong_person for name, s in scores.items() if s.wrong_person}
    assert not wrong, report(scores)


def test_codes_primary_and_actions_follow_the_specification(scores):
    for name, s in scores.items():
        assert s.rate(s.primary) >= 0.9, (name, report(scores), s.failures)
        assert s.rate(s.actions) >= 0.9, (name, report(scores), s.failures)
        assert s.rate(s.codes) >= 0.9, (name, report(scores), s.failures)


def test_masked_evidence_never_shows_an_internal_field_name(case_base):
    for case in load_cases(CASES / "cases.jsonl"):
        result = diagnose(case_base, DiagnoseRequest.from_json(case["request"]), mask=True)
        for finding in result.findings:
            for key in _keys(finding.evidence):
                assert key in EVIDENCE_LABELS, (case["request"]["id"], finding.code, key)
            for line in evidence_lines(finding.evidence):
                assert "_" not in line.label
                for value in line.values:
                    for internal in ("telephone_proche", "responsable_ids", "_id :"):
                        assert internal not in value, (finding.code, value)


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()
