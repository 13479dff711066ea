"""`helpdesk classify` as the centre's scripts call it, and corrections read from tickets."""

import json

from click.testing import CliRunner

from helpdesk.classify.feedback import corrections_from_tickets
from helpdesk.cli import main
from helpdesk.tickets import services


def test_classify_reads_json_lines(cli_env, tmp_path):  # noqa: F811
    requests = tmp_path / "demandes.jsonl"
    requests.write_text(
        json.dumps({"id": "a1", "subject": "Code SMS", "body": "je recois jamais le code sms"})
        + "\n\n"
        + json.dumps({"id": 7, "subject": "", "body": "le livret de mon fils est introuvable"})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["classify", "--input", str(requests)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a1", 7]
    assert lines[0]["motif"] == "activation_sms" and lines[0]["nature"] == "EDUCONNECT"
    assert lines[1]["motif"] == "lsu_bilan_invisible" and lines[1]["nature"] == "LSU"
    assert set(lines[0]) == {
        "id",
        "type",
        "nature",
        "motif",
        "confidence",
        "language",
        "second_motif",
    }
    assert lines[0]["language"] == "fr"
    assert 0.0 <= lines[0]["confidence"] <= 1.0


def test_classify_reports_a_bad_line_and_goes_on(cli_env):  # noqa: F811
    stdin = 'pas du json\n{"id": 2, "subject": "mdp oublié", "body": "mot de passe perdu"}\n'
    result = CliRunner().invoke(main, ["classify"], input=stdin)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert "error" in lines[0]
    assert lines[1]["id"] == 2 and lines[1]["motif"] == "mot_de_passe_oublie"


def test_corrections_come_from_confirmed_labels(db_session, make_user, make_ticket):
    agent = make_user("agent")
    corrected = make_ticket(
        subject="Souci bourse", body="La demande de bourse bloque.", motif="autre"
    )
    make_ticket(subject="Jamais confirmé", motif="autre")
    services.relabel(
        db_session, corrected, agent, "demande_logicielle", "TELESERVICES", "teleservices"
    )
    found = [c for c in corrections_from_tickets(db_session) if c[0] == "Souci bourse"]
    assert found == [
        (
            "Souci bourse",
            "La demande de bourse bloque.",
            "demande_logicielle",
            "TELESERVICES",
            "teleservices",
        )
    ]
    assert all(c[0] != "Jamais confirmé" for c in corrections_from_tickets(db_session))


def test_background_retraining_uses_the_corrections(
    app, db_session, make_user, make_ticket, monkeypatch, tmp_path
):
    from helpdesk.classify.model import CACHE_FILE_NAME, Classifier
    from helpdesk.privacy.cli import retrain_once

    monkeypatch.setitem(app.config, "CLASSIFY_CACHE_DIR", str(tmp_path))
    agent = make_user("agent")
    ticket = make_ticket(
        subject="Dossier de bourse", body="Le site des bourses refuse ma demande.", motif="autre"
    )
    services.relabel(
        db_session, ticket, agent, "demande_logicielle", "TELESERVICES", "teleservices"
    )
    with app.app_context():
        lines, _ = retrain_once()
    assert "réentraîné avec 1 corrections" in lines[0]
    trained = Classifier.load(tmp_path / CACHE_FILE_NAME)
    assert any(
        e.subject == "Dossier de bourse" and e.motif == "teleservices" for e in trained.examples
    )


def test_classify_prints_the_language_of_each_request(cli_env):  # noqa: F811
    stdin = (
        json.dumps({"id": 1, "subject": "", "body": "Hola, olvidé mi contraseña de EduConnect."})
        + "\n"
        + json.dumps({"id": 2, "subject": "", "body": "Bonjour, j'ai oublié mon mot de passe."})
        + "\n"
    )
    result = CliRunner().invoke(main, ["classify"], input=stdin)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["language"] for line in lines] == ["es", "fr"]
    assert lines[0]["motif"] == "mot_de_passe_oublie"
