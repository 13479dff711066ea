from __future__ import annotations

from helpdesk.diagnostics.service import DiagnoseRequest, diagnose


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
    assert first.evidence["ecart"] == "deux chiffres inversés"
    assert first.evidence["telephone_base"] == "06 ** ** ** 78"
    assert first.evidence["telephone_donne"] == "06 ** ** ** 87"
    assert "ONDE" in first.fix and "le lendemain à 8h30" in first.fix
    assert "directeur ou la directrice" in first.fix
    assert first.reply.startswith("Bonjour,")
    assert "deux chiffres semblent inversés" in first.reply
    assert "8h30" in first.reply
