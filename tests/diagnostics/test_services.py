from __future__ import annotations

from datetime import date

from helpdesk.diagnostics.guidance import compose_reply
from helpdesk.diagnostics.services import DiagnoseRequest, diagnose
from tests.plugins.factories import paris


def request(**values) -> DiagnoseRequest:
    enfants = values.pop("enfants", ())
    return DiagnoseRequest.from_json(
        {"id": "t", "requester": values, "enfants": list(enfants), "motif": "activation_sms"}
    )


def test_sms_code_never_arrives_because_two_digits_are_swapped(db_session, account_data):
    """The acceptance story: "je ne reçois pas le code SMS"."""
    parent, (lea,), account = account_data.family(
        telephone_portable="06 12 34 56 78", etat="non_notifie"
    )
    result = diagnose(
        db_session,
        request(
            nom="Dupont",
            prenom="Celine",
            telephone="06 12 34 56 87",
            enfants=[{"prenom": "Léa", "date_naissance": "02/03/2015"}],
        ),
    )
    assert result.responsable_ids == [parent.responsable_id]
    assert result.compte_ids == [account.compte_id]
    assert result.eleve_ids == [lea.eleve_id]
    first = result.findings[0]
    assert first.code == "phone_mismatch"
    assert first.severity == "blocking"
    assert first.evidence["ecart"] == "les 9e et 10e chiffres sont inversés"
    assert first.evidence["telephone_base"] == "06 ** ** ** 78"
    assert first.evidence["telephone_donne"] == "06 ** ** ** 87"
    assert "ONDE" in first.fix
    assert [a.action for a in first.actions] == ["retype_given_data"]
    reply = compose_reply(result.primary, "responsable")
    assert reply.startswith("Bonjour,")
    assert "les 9e et 10e chiffres sont inversés" in reply


def test_evidence_is_masked_unless_asked(db_session, account_data):
    account_data.family(email="celine.dupont@gmial.com")
    req = request(nom="Dupont", prenom="Céline")
    masked = diagnose(db_session, req).finding("email_suspect")
    clear = diagnose(db_session, req, mask=False).finding("email_suspect")
    assert masked.evidence["adresses"][0]["email"] == "c***@gmial.com"
    assert clear.evidence["adresses"][0]["email"] == "celine.dupont@gmial.com"


def test_a_birth_date_in_another_writing_is_not_a_mismatch(db_session, account_data):
    account_data.family()
    for writing in ("2015-03-02", "2/3/2015", "02.03.2015", "2 mars 2015"):
        child = {"prenom": "Lea", "date_naissance": writing}
        result = diagnose(db_session, request(nom="Dupont", prenom="Céline", enfants=[child]))
        assert result.codes == ["account_ok"]


def test_a_birth_date_with_day_and_month_swapped(db_session, account_data):
    _, (lea,), _ = account_data.family()
    child = {"prenom": "Léa", "date_naissance": "03/02/2015"}
    result = diagnose(db_session, request(nom="Dupont", prenom="Céline", enfants=[child]))
    found = result.finding("birthdate_mismatch")
    assert found.evidence["enfants"][0]["eleve_id"] == lea.eleve_id
    assert found.evidence["enfants"][0]["ecart"] == "jour et mois inversés"


def test_duplicate_responsable_whose_second_account_is_waiting_for_its_email(
    db_session, account_data
):
    celine, (lea,), first = account_data.family()
    hugo = account_data.pupil(prenom="Hugo", date_naissance=date(2012, 11, 20))
    twin = account_data.responsable(
        nom="DUPONT",
        prenom="Celine",
        email="celine.d@example.fr",
        telephone_portable="+33 6 12 34 56 78",
    )
    account_data.link(hugo, twin)
    second = account_data.account(
        twin, [hugo], etat="en_cours_activation", email="celine.d@example.fr", email_verifie=False
    )
    result = diagnose(db_session, request(nom="Dupont", prenom="Céline"))
    assert sorted(result.responsable_ids) == sorted([celine.responsable_id, twin.responsable_id])
    assert sorted(result.compte_ids) == sorted([first.compte_id, second.compte_id])
    assert result.codes == ["duplicate_responsable", "email_unverified"]
    assert "phone_shared" not in result.codes  # the same mobile on her own duplicate
    duplicate = result.finding("duplicate_responsable")
    assert duplicate.evidence["points_communs"] == ["telephone"]
    assert result.primary is duplicate
    reply = compose_reply(duplicate, "responsable")
    assert "Ajouter des enfants depuis un autre compte" in reply
    assert "second compte" in reply


def test_a_mobile_shared_with_the_other_parent(db_session, account_data):
    celine, (lea,), _ = account_data.family()
    marc = account_data.responsable(prenom="Marc", civilite="M.")
    account_data.link(lea, marc, lien="pere")
    result = diagnose(db_session, request(nom="Dupont", prenom="Céline"))
    assert result.responsable_ids == [celine.responsable_id]
    assert result.codes == ["phone_shared"]
    shared = result.finding("phone_shared").evidence["telephones"][0]
    assert shared["autres_responsable_ids"] == [marc.responsable_id]


def test_time_checks_use_the_educonnect_extraction_date(db_session, account_data):
    account_data.family(etat="notifie_non_active")  # notified 01/10/2024 09:00
    req = request(nom="Dupont", prenom="Céline")
    account_data.set_now(paris(2025, 1, 1, 9, 0))
    assert diagnose(db_session, req).codes == ["account_ok"]
    account_data.set_now(paris(2025, 1, 1, 9, 1))
    assert diagnose(db_session, req).codes == ["activation_expired"]


def test_a_namesake_is_person_not_found(db_session, account_data):
    account_data.family()
    result = diagnose(db_session, request(nom="Dupont", prenom="Martine"))
    assert result.codes == ["person_not_found"]
    assert result.matched == {"responsable_ids": [], "compte_ids": [], "eleve_ids": []}
    assert result.findings[0].evidence["homonymes_ecartes"] == 1


def test_a_diagnosis_runs_a_bounded_number_of_queries(db_session, account_data, count_queries):
    account_data.family()
    lea = {"prenom": "Léa", "date_naissance": "02/03/2015"}
    req = request(
        nom="Dupont",
        prenom="Celine",
        telephone="06 12 34 56 87",
        email="celine@example.fr",
        enfants=[lea],
    )
    with count_queries() as statements:
        diagnose(db_session, req)
    assert len(statements) <= 40
