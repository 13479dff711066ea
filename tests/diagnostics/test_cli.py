from __future__ import annotations

import io
import json

import pytest
from sqlalchemy.orm import Session

from helpdesk.accounts.importer import import_snapshot
from helpdesk.demo.snapshot_builder import tiny_snapshot
from helpdesk.diagnostics.cli import run_diagnose


@pytest.fixture
def snapshot_session(db_session, tmp_path):
    """The generator's tiny académie, imported with the importer."""
    report = import_snapshot(db_session, tiny_snapshot().write(tmp_path / "snapshot"))
    assert not report.rejected
    return db_session


def run(session: Session, *lines) -> tuple[int, list[str]]:
    def factory() -> Session:
        return Session(bind=session.connection(), join_transaction_mode="create_savepoint")

    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    output = io.StringIO()
    status = run_diagnose(factory, io.StringIO(text + "\n"), output)
    return status, output.getvalue().splitlines()


SMS = {
    "id": "c1",
    "requester": {
        "nom": "Dupont",
        "prenom": "Céline",
        "email": "celine.dupont@example.fr",
        "telephone": "06 12 34 56 87",
        "role": "parent",
    },
    "enfants": [{"nom": "Dupont", "prenom": "Léa", "date_naissance": "02/03/2015"}],
    "uai": "0211234C",
    "motif": "activation_sms",
}


def test_output_follows_the_contract_with_unmasked_evidence(snapshot_session):
    status, (line,) = run(snapshot_session, "\ufeff" + json.dumps(SMS))
    assert status == 0
    assert "inversés" in line  # UTF-8, not \u escapes
    answer = json.loads(line)
    assert set(answer) == {"id", "matched", "primary", "findings"}
    assert answer["id"] == "c1"
    assert answer["primary"] == "duplicate_responsable"
    assert answer["matched"] == {
        "responsable_ids": ["R1", "R3"],
        "compte_ids": ["C1", "C2"],
        "eleve_ids": ["E1", "E2"],
    }
    codes = [f["code"] for f in answer["findings"]]
    assert codes == ["duplicate_responsable", "activation_expired", "phone_mismatch"]
    duplicate, expired, mismatch = answer["findings"]
    assert duplicate["actions"] == [
        {"actor": "ecole", "action": "notify_account"},
        {"actor": "responsable", "action": "regroup_accounts"},
    ]
    assert set(mismatch) == {"code", "severity", "evidence", "fix", "actions"}
    assert mismatch["severity"] == "info"  # her first account is active
    assert mismatch["evidence"]["telephone_donne"] == "06 12 34 56 87"
    assert mismatch["evidence"]["telephone_base"] == "06 12 34 56 78"
    assert mismatch["evidence"]["ecart"] == "les 9e et 10e chiffres sont inversés"
    assert mismatch["actions"] == [{"actor": "responsable", "action": "retype_given_data"}]
    assert "ONDE" in mismatch["fix"]
    assert "chef d'établissement" in expired["fix"]  # the duplicate's account is at the collège
    assert expired["actions"] == [
        {"actor": "responsable", "action": "self_enrol_sms"},
        {"actor": "ecole", "action": "renotify_with_reset"},
    ]


@pytest.mark.parametrize(
    ("requester", "codes"),
    [
        (
            {"nom": "DUPONT", "prenom": "marc"},
            ["email_unverified", "email_suspect", "phone_not_mobile"],
        ),
        (
            {"nom": "Nguyen", "prenom": "Thi"},
            ["not_legal_guardian", "phone_missing", "email_missing"],
        ),
        ({"nom": "Dupont", "prenom": "Jean"}, ["person_not_found"]),
        ({"role": "eleve", "nom": "Dupont", "prenom": "Hugo"}, ["account_ok"]),
    ],
)
def test_the_tiny_academie(snapshot_session, requester, codes):
    status, (line,) = run(snapshot_session, {"id": 7, "requester": requester})
    answer = json.loads(line)
    assert answer["id"] == 7
    assert [f["code"] for f in answer["findings"]] == codes


def test_a_malformed_line_gets_a_french_error_and_the_others_are_answered(snapshot_session):
    status, lines = run(
        snapshot_session,
        "{pas du json",
        SMS,
        "[1, 2]",
        {"requester": {"nom": "Dupont"}},
        {"id": "c9", "requester": "Dupont"},
        {"id": "c10", "requester": {"nom": ["Dupont"]}},
        "",
        {"id": "c11", "requester": {"nom": "Dupont", "prenom": "Marc"}},
    )
    assert status == 1
    answers = [json.loads(line) for line in lines]
    assert len(answers) == 7
    assert answers[0]["line"] == 1 and "JSON illisible" in answers[0]["error"]
    assert answers[1]["id"] == "c1" and "findings" in answers[1]
    assert "objet JSON" in answers[2]["error"]
    assert "« id » est obligatoire" in answers[3]["error"]
    assert answers[4]["id"] == "c9" and "requester" in answers[4]["error"]
    assert answers[5]["id"] == "c10" and "requester.nom" in answers[5]["error"]
    assert answers[6]["id"] == "c11" and answers[6]["findings"]
