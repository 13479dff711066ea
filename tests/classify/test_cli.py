import io
import json

from helpdesk.classify.cli import run_classify
from helpdesk.tickets.taxonomy import MOTIF_NATURE, MOTIFS, NATURES, TYPES


def _run(classifier, text_or_bytes):
    stream = (
        io.BytesIO(text_or_bytes)
        if isinstance(text_or_bytes, bytes)
        else io.StringIO(text_or_bytes)
    )
    output = io.StringIO()
    errors = run_classify(stream, output, classifier)
    lines = output.getvalue().splitlines()
    return errors, [json.loads(line) for line in lines], output.getvalue()


def _line(**fields):
    return json.dumps(fields, ensure_ascii=False) + "\n"


def test_each_request_yields_one_labelled_line_in_order(classifier):
    text = _line(
        id="c1", subject="Code SMS", body="Je ne reçois jamais le code par SMS pour m'inscrire."
    ) + _line(id=2, subject="RGPD", body="Je demande la suppression de toutes mes données.")
    errors, results, _ = _run(classifier, text)
    assert errors == 0
    assert [result["id"] for result in results] == ["c1", 2]
    assert list(results[0]) == [
        "id",
        "type",
        "nature",
        "motif",
        "confidence",
        "language",
        "second_motif",
    ]
    assert results[0]["language"] == "fr" and results[0]["second_motif"] is None
    assert results[0]["motif"] == "activation_sms"
    assert results[1]["motif"] == "rgpd_droits"
    for result in results:
        assert result["type"] in TYPES
        assert result["nature"] in NATURES
        assert result["motif"] in MOTIFS
        assert result["nature"] == MOTIF_NATURE[result["motif"]]
        assert 0.0 <= result["confidence"] <= 1.0
        assert result["confidence"] == round(result["confidence"], 3)


def test_blank_lines_are_skipped(classifier):
    text = "\n   \n" + _line(id="a", subject="mdp", body="mdp oublié") + "\n"
    errors, results, _ = _run(classifier, text)
    assert errors == 0
    assert [result["id"] for result in results] == ["a"]


def test_malformed_line_reports_a_french_error_and_the_run_goes_on(classifier):
    text = (
        '{"id": "x1", "subject": "oubli"\n'
        + "[1, 2]\n"
        + '{"id": "x3", "subject": "ok", "body": NaN}\n'
        + _line(id="x4", subject="Identifiant", body="J'ai perdu mon identifiant")
    )
    errors, results, _ = _run(classifier, text)
    assert errors == 3
    assert [result["id"] for result in results] == [None, None, None, "x4"]
    assert results[0]["error"] == "Ligne 1 : ce n'est pas du JSON valide."
    assert results[1]["error"] == "Ligne 2 : un objet JSON est attendu."
    assert "motif" not in results[0]
    assert results[3]["motif"] == "identifiant_oublie"


def test_missing_fields(classifier):
    text = (
        _line(subject="Livret scolaire", body="Je ne vois pas le bilan de ma fille.")
        + _line(id="only-subject", subject="Mot de passe oublié")
        + _line(id="nothing")
        + _line(id="blank", subject="  ", body="")
        + _line(id=7, subject=["liste"], body="texte")
    )
    errors, results, _ = _run(classifier, text)
    assert errors == 3
    assert results[0]["id"] is None
    assert results[0]["motif"] == "lsu_bilan_invisible"
    assert results[1]["motif"] == "mot_de_passe_oublie"
    assert results[2] == {
        "id": "nothing",
        "error": "Ligne 3 : la demande n'a ni objet ni texte.",
    }
    assert results[3]["id"] == "blank" and "error" in results[3]
    assert results[4] == {"id": 7, "error": "Ligne 5 : le champ « subject » doit être un texte."}


def test_unicode_is_read_and_written_as_utf8(classifier):
    text = "\ufeff" + _line(
        id="é-1", subject="Élève 🙁", body="Je suis élève en 4ème, j'ai oublié mon mot de passe 😢"
    )
    errors, results, raw = _run(classifier, text)
    assert errors == 0
    assert results[0]["id"] == "é-1"
    assert results[0]["motif"] == "compte_eleve"
    assert '"id": "é-1"' in raw


def test_binary_stream_with_a_badly_encoded_line(classifier):
    good = _line(id="b2", subject="FranceConnect", body="FranceConnect me renvoie une erreur")
    data = b'{"id": "b1", "subject": "caf\xe9"}\n' + good.encode("utf-8")
    errors, results, _ = _run(classifier, data)
    assert errors == 1
    assert results[0] == {
        "id": None,
        "error": "Ligne 1 : texte illisible, l'encodage UTF-8 est attendu.",
    }
    assert results[1]["id"] == "b2"
    assert results[1]["motif"] == "franceconnect"
