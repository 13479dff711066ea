"""`helpdesk import` then `helpdesk diagnose`, as the centre's scripts chain them."""

import json

from click.testing import CliRunner

from helpdesk.cli import main
from helpdesk.demo.snapshot_builder import tiny_snapshot


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_import_then_diagnose(cli_env, tmp_path):  # noqa: F811
    folder = tmp_path / "snapshot"
    tiny_snapshot().write(folder)
    assert run("db", "upgrade").exit_code == 0

    result = run("import", str(folder), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"files", "rejected"}
    assert report["files"]["responsables.csv"]["imported"] == 4
    assert report["files"]["eleves.csv"] == {"read": 3, "imported": 3, "rejected": 0}

    again = json.loads(run("import", str(folder), "--json").output)
    assert again["files"] == report["files"]

    request = {
        "id": "c1",
        "requester": {
            "nom": "Dupont",
            "prenom": "Celine",
            "telephone": "06 12 34 65 78",
            "role": "parent",
        },
        "enfants": [{"prenom": "Lea", "date_naissance": "02/03/2015"}],
        "uai": "0211234C",
        "motif": "activation_sms",
    }
    result = run("diagnose", input=json.dumps(request) + "\n")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["id"] == "c1"
    assert set(answer) == {"id", "matched", "primary", "findings"}
    assert "R1" in answer["matched"]["responsable_ids"]
    codes = {f["code"] for f in answer["findings"]}
    assert "phone_mismatch" in codes
    for finding in answer["findings"]:
        assert set(finding) == {"code", "severity", "evidence", "fix", "actions"}


def test_import_of_a_missing_folder_imports_nothing(cli_env, tmp_path):  # noqa: F811
    run("db", "upgrade")
    result = run("import", str(tmp_path / "absent"), "--json")
    assert result.exit_code == 1
