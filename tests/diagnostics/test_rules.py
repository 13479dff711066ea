"""Each rule over hand-built contexts (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from helpdesk.diagnostics.context import (
    AccountRecord,
    ChildRecord,
    DiagnosisContext,
    GivenChild,
    GivenDetails,
    LinkRecord,
    PersonRecord,
    SchoolInfo,
)
from helpdesk.diagnostics.engine import run_rules
from helpdesk.diagnostics.masking import Masker
from tests.plugins.factories import paris

NOW = paris(2026, 3, 16, 5, 0)
ECOLE, COLLEGE = "0211234C", "0211235D"
SCHOOLS = {
    ECOLE: SchoolInfo(ECOLE, "École Jean Macé", "elementaire"),
    COLLEGE: SchoolInfo(COLLEGE, "Collège Les Lentillères", "college"),
}
CELINE = PersonRecord(
    "R1",
    "Dupont",
    "Céline",
    civilite="Mme",
    telephone_portable="06 12 34 56 78",
    telephone_portable_e164="+33612345678",
    telephone_portable_is_mobile=True,
    email="celine.dupont@example.fr",
    date_modification=paris(2025, 9, 1, 10, 0),
)
LEA = ChildRecord(
    "E1",
    "Dupont",
    "Léa",
    date(2015, 3, 2),
    ine="1000000001B",
    uai=ECOLE,
    classe="CM1 B",
    niveau="CM1",
    admission="definitive",
    date_modification=paris(2025, 9, 1, 10, 0),
)
ACCOUNT = AccountRecord(
    "C1",
    "responsable",
    "R1",
    etat="active",
    identifiant="c.dupont114",
    email="celine.dupont@example.fr",
    email_verifie=True,
    enfants=("E1",),
    date_notification=paris(2024, 10, 1, 9, 0),
    date_synchro=paris(2026, 3, 15, 6, 30),
)


def context(**overrides) -> DiagnosisContext:
    values = {
        "given": GivenDetails(nom="Dupont", prenom="Céline"),
        "now": NOW,
        "records": (CELINE,),
        "accounts": (ACCOUNT,),
        "links": (LinkRecord("E1", "R1", "mere", True),),
        "children": {"E1": LEA},
        "schools": SCHOOLS,
        "masker": Masker(False),
    }
    values.update(overrides)
    return DiagnosisContext(**values)


def codes(ctx: DiagnosisContext) -> list[str]:
    return [f.code for f in run_rules(ctx)]


def finding(ctx: DiagnosisContext, code: str):
    return next((f for f in run_rules(ctx) if f.code == code), None)


def given_phone(writing: str, e164: str | None = None) -> GivenDetails:
    return GivenDetails(nom="Dupont", prenom="Céline", telephone=writing, telephone_e164=e164)


def test_nothing_wrong_is_account_ok():
    result = run_rules(context())
    assert [f.code for f in result] == ["account_ok"]
    assert result[0].severity == "info"
    assert result[0].actions == ()  # no motif of a lost login: nothing to do


@pytest.mark.parametrize(
    ("motif", "first"),
    [("identifiant_oublie", "recover_login"), ("mot_de_passe_oublie", "recover_password")],
)
def test_an_active_account_that_lost_its_login_gets_self_service_first(motif, first):
    ctx = context(given=GivenDetails(nom="Dupont", prenom="Céline", motif=motif))
    (found,) = run_rules(ctx)
    assert [(a.actor, a.action) for a in found.actions] == [
        ("responsable", first),
        ("ecole", "renotify_with_reset"),
    ]
    assert "perdu" in found.fix


def test_no_record_is_person_not_found():
    result = run_rules(context(records=(), accounts=(), links=(), children={}))
    assert [f.code for f in result] == ["person_not_found"]


# --- phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("writing", "e164"),
    [
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("06 12 34 56 78", None),
    ],
)
def test_the_same_mobile_in_another_writing_is_not_a_mismatch(writing, e164):
    assert "phone_mismatch" not in codes(context(given=given_phone(writing, e164)))


def test_swapped_digits_are_a_slip_saying_where():
    notified = replace(ACCOUNT, etat="non_notifie", date_notification=None)
    ctx = context(accounts=(notified,), given=given_phone("06 12 34 56 87", "+33612345687"))
    found = finding(ctx, "phone_mismatch")
    assert found.severity == "blocking"
    assert found.evidence["ecart"] == "les 9e et 10e chiffres sont inversés"
    assert found.evidence["telephone_base"] == "06 12 34 56 78"
    assert found.evidence["telephone_donne"] == "06 12 34 56 87"
    assert [a.action for a in found.actions] == ["retype_given_data"]


def test_another_number_asks_the_school_to_correct_it_with_the_documents_delay():
    ctx = context(accounts=(), given=given_phone("07 81 22 33 44", "+33781223344"))
    found = finding(ctx, "phone_mismatch")
    assert found.severity == "blocking"
    assert [a.action for a in found.actions] == ["fix_base_contact", "wait_sync"]
    assert "un à deux jours" in found.fix and "lendemain" not in found.fix


def test_a_mismatch_does_not_block_an_active_account():
    found = finding(context(given=given_phone("07 81 22 33 44", "+33781223344")), "phone_mismatch")
    assert found.severity == "info"


def test_a_missing_digit_is_named():
    found = finding(context(given=given_phone("06 12 34 5 78")), "phone_mismatch")
    assert found.evidence["ecart"] == "il manque un chiffre (le 8e)"


def test_the_number_still_on_the_account_is_an_old_number():
    account = replace(ACCOUNT, telephone="07 98 76 54 32", telephone_e164="+33798765432")
    ctx = context(accounts=(account,), given=given_phone("07 98 76 54 32", "+33798765432"))
    assert "ancien numéro" in finding(ctx, "phone_mismatch").evidence["ecart"]


def test_any_of_the_duplicate_records_mobiles_is_theirs():
    other = replace(
        CELINE,
        responsable_id="R9",
        telephone_portable_e164="+33798765432",
        telephone_portable="07 98 76 54 32",
    )
    ctx = context(records=(CELINE, other), given=given_phone("07 98 76 54 32", "+33798765432"))
    assert "phone_mismatch" not in codes(ctx)


def test_no_mismatch_without_a_valid_mobile_in_the_base():
    landline = replace(
        CELINE,
        telephone_portable="03 80 12 34 56",
        telephone_portable_e164="+33380123456",
        telephone_portable_is_mobile=False,
    )
    found = codes(context(records=(landline,), given=given_phone("06 12 34 56 78")))
    assert "phone_mismatch" not in found
    assert "phone_not_mobile" in found


def test_no_mismatch_when_no_phone_is_given():
    assert "phone_mismatch" not in codes(context())


def test_landline_in_the_mobile_column_is_not_mobile():
    landline = replace(
        CELINE,
        telephone_portable="03 80 12 34 56",
        telephone_portable_e164="+33380123456",
        telephone_portable_is_mobile=False,
    )
    found = finding(context(records=(landline,)), "phone_not_mobile")
    assert found.evidence["fiches"][0]["nature"] == "un numéro de téléphone fixe"
    assert "phone_missing" not in codes(context(records=(landline,)))


@pytest.mark.parametrize(
    ("raw", "nature"),
    [
        ("06 12 34 56", "un numéro trop court"),
        ("06 12 34 56 78 9", "un numéro trop long"),
        ("+32 470 12 34 56", "un numéro étranger"),
    ],
)
def test_invalid_numbers_in_the_mobile_column(raw, nature):
    record = replace(
        CELINE,
        telephone_portable=raw,
        telephone_portable_e164=None,
        telephone_portable_is_mobile=False,
    )
    assert (
        finding(context(records=(record,)), "phone_not_mobile").evidence["fiches"][0]["nature"]
        == nature
    )


def test_no_mobile_at_all_is_phone_missing_and_the_landline_is_shown():
    record = replace(
        CELINE,
        telephone_portable=None,
        telephone_portable_e164=None,
        telephone_portable_is_mobile=False,
        telephone_fixe="03 80 12 34 56",
        telephone_fixe_e164="+33380123456",
    )
    never = replace(ACCOUNT, etat="non_notifie", date_notification=None)
    found = finding(context(records=(record,), accounts=(never,)), "phone_missing")
    assert found.severity == "blocking"
    assert found.evidence["telephone_fixe"] == "03 80 12 34 56"
    assert found.evidence["mobile_en_colonne_fixe"] is False
    assert [a.action for a in found.actions] == ["notify_account", "fix_base_contact"]


@pytest.mark.parametrize(
    ("etat", "notified", "severity"),
    [
        ("active", paris(2024, 10, 1, 9, 0), "info"),
        ("en_cours_activation", paris(2026, 2, 1, 9, 0), "info"),
        ("notifie_non_active", paris(2026, 2, 1, 9, 0), "info"),
        ("notifie_non_active", paris(2025, 10, 1, 9, 0), "blocking"),
        ("non_notifie", None, "blocking"),
    ],
)
def test_a_missing_mobile_blocks_only_without_an_account_on_a_path(etat, notified, severity):
    record = replace(
        CELINE, telephone_portable=None, telephone_portable_e164=None,
        telephone_portable_is_mobile=False,
    )  # fmt: skip
    account = replace(ACCOUNT, etat=etat, date_notification=notified)
    found = finding(context(records=(record,), accounts=(account,)), "phone_missing")
    assert found.severity == severity


def test_a_mobile_recorded_for_another_responsable_is_shared():
    ctx = context(mobile_holders={"+33612345678": ("R2",)})
    found = finding(ctx, "phone_shared")
    assert found.severity == "warning"
    assert found.evidence["telephones"][0]["autres_responsable_ids"] == ["R2"]


def test_a_mobile_held_only_by_the_persons_own_duplicate_is_not_shared():
    twin = replace(CELINE, responsable_id="R2")
    ctx = context(records=(CELINE, twin), mobile_holders={"+33612345678": ("R2",)})
    assert "phone_shared" not in codes(ctx)


# --- children ---------------------------------------------------------------------------------


def child_given(born: date) -> GivenDetails:
    return GivenDetails(children=(GivenChild(prenom="Léa", date_naissance=born, eleve_id="E1"),))


def test_day_and_month_swapped_is_a_birthdate_mismatch():
    found = finding(context(given=child_given(date(2015, 2, 3))), "birthdate_mismatch")
    assert found.evidence["enfants"][0]["ecart"] == "jour et mois inversés"
    assert found.evidence["enfants"][0]["date_base"] == "02/03/2015"


def test_the_same_birth_date_is_not_a_mismatch():
    assert "birthdate_mismatch" not in codes(context(given=child_given(date(2015, 3, 2))))


def test_a_child_not_identified_among_the_persons_children_is_not_compared():
    given = GivenDetails(children=(GivenChild(prenom="Zoé", date_naissance=date(2019, 1, 1)),))
    assert "birthdate_mismatch" not in codes(context(given=given))


def test_birth_dates_are_masked_when_asked():
    ctx = context(given=child_given(date(2016, 3, 2)), masker=Masker(True))
    item = finding(ctx, "birthdate_mismatch").evidence["enfants"][0]
    assert item["date_base"] == "**/**/2015" and item["enfant"] == "L. D."


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"admission": "provisoire"}, "admission provisoire"),
        ({"ine": ""}, "sans INE"),
        ({"classe": None}, "sans classe"),
    ],
)
def test_a_child_not_yet_eligible(changes, reason):
    ctx = context(children={"E1": replace(LEA, **changes)})
    assert finding(ctx, "pupil_not_eligible").evidence["enfants"][0]["raisons"] == [reason]


def test_eligibility_only_looks_at_children_of_whom_the_person_is_legal_guardian():
    ctx = context(
        children={"E1": replace(LEA, ine="")}, links=(LinkRecord("E1", "R1", "autre", False),)
    )
    assert "pupil_not_eligible" not in codes(ctx)


def test_maternelle_only():
    ctx = context(children={"E1": replace(LEA, niveau="MS")})
    found = finding(ctx, "maternelle_only")
    assert found.severity == "info"
    assert found.evidence["enfants"] == [
        {"eleve_id": "E1", "enfant": "Léa Dupont", "niveau": "MS", "ine": True}
    ]
    assert [(a.actor, a.action) for a in found.actions] == [("centre", "explain_no_access")]


def test_a_maternelle_child_without_ine_is_no_service_yet_not_unfinished_enrolment():
    ctx = context(children={"E1": replace(LEA, niveau="PS", ine="")})
    assert codes(ctx) == ["maternelle_only", "account_ok"]


def test_a_struck_off_child_is_explained_not_sent_back_to_enrolment():
    ctx = context(children={"E1": replace(LEA, admission="radiee", classe="")})
    found = finding(ctx, "pupil_not_eligible")
    assert found.evidence["enfants"][0]["raisons"] == ["élève radié"]
    assert [a.action for a in found.actions] == ["explain_no_access"]
    assert "radié" in found.fix and "nouvelle école" in found.fix


def test_maternelle_and_elementaire_is_not_maternelle_only():
    hugo = replace(LEA, eleve_id="E2", prenom="Hugo", niveau="GS")
    ctx = context(
        children={"E1": LEA, "E2": hugo},
        links=(LinkRecord("E1", "R1", "mere", True), LinkRecord("E2", "R1", "mere", True)),
    )
    assert "maternelle_only" not in codes(ctx)


def test_not_legal_guardian():
    ctx = context(links=(LinkRecord("E1", "R1", "autre_membre_famille", False),))
    found = finding(ctx, "not_legal_guardian")
    assert found.severity == "blocking"
    assert found.evidence["liens"][0]["lien"] == "autre membre de la famille"


def test_an_empty_legal_flag_is_not_reported_as_not_legal_guardian():
    ctx = context(links=(LinkRecord("E1", "R1", "mere", None),))
    assert "not_legal_guardian" not in codes(ctx)


# --- e-mail -----------------------------------------------------------------------------------


def test_an_account_waiting_for_its_email_confirmation():
    account = replace(ACCOUNT, etat="en_cours_activation", email_verifie=False)
    found = finding(context(accounts=(account,)), "email_unverified")
    assert found.evidence["comptes"][0]["compte_id"] == "C1"


def test_misspelt_domain_on_the_record_and_the_account():
    record = replace(CELINE, email="celine.dupont@gmial.com")
    account = replace(ACCOUNT, email="celine.dupont@hotmial.fr")
    found = finding(context(records=(record,), accounts=(account,)), "email_suspect")
    sources = {(a["source"], a["domaine_probable"]) for a in found.evidence["adresses"]}
    assert sources == {("fiche", "gmail.com"), ("compte", "hotmail.fr")}
    assert "ONDE" in found.fix


def test_email_missing_only_when_no_record_and_no_account_has_one():
    record = replace(CELINE, email=None)
    assert "email_missing" not in codes(context(records=(record,)))
    no_mail = replace(ACCOUNT, email=None)
    assert "email_missing" in codes(context(records=(record,), accounts=(no_mail,)))


# --- accounts ---------------------------------------------------------------------------------


def notified(when) -> AccountRecord:
    return replace(ACCOUNT, etat="notifie_non_active", date_notification=when)


def test_exactly_three_calendar_months_is_not_yet_expired():
    ctx = context(accounts=(notified(paris(2025, 12, 16, 5, 0)),))
    assert "activation_expired" not in codes(ctx)


def test_one_minute_past_three_calendar_months_is_expired():
    found = finding(context(accounts=(notified(paris(2025, 12, 16, 4, 59)),)), "activation_expired")
    assert found.evidence["comptes"][0]["expire_le"] == "16/03/2026 04:59"
    assert found.evidence["date_reference"] == "16/03/2026 05:00"


def test_three_months_after_the_30th_of_november_ends_with_february():
    ctx = context(accounts=(notified(paris(2025, 11, 30, 12, 0)),), now=paris(2026, 2, 28, 12, 0))
    assert "activation_expired" not in codes(ctx)
    later = context(accounts=(notified(paris(2025, 11, 30, 12, 0)),), now=paris(2026, 2, 28, 13))
    assert "activation_expired" in codes(later)


def test_now_is_the_extraction_date_never_the_clock():
    ctx = context(accounts=(notified(paris(2020, 1, 1, 0, 0)),), now=None)
    assert "activation_expired" not in codes(ctx)


def test_not_notified_only_without_a_valid_mobile():
    account = replace(ACCOUNT, etat="non_notifie")
    assert "not_notified" not in codes(context(accounts=(account,)))
    no_mobile = replace(CELINE, telephone_portable_is_mobile=False)
    assert "not_notified" in codes(context(accounts=(account,), records=(no_mobile,)))


def test_a_change_after_the_last_synchronisation_is_pending():
    moved = replace(LEA, date_modification=paris(2026, 3, 15, 14, 0))
    found = finding(context(children={"E1": moved}), "sync_pending")
    assert found.evidence["modifications"] == [
        {"type": "eleve", "id": "E1", "date_modification": "15/03/2026 14:00"}
    ]
    assert "un à deux jours" in found.fix


def test_a_change_before_the_last_synchronisation_is_not_pending():
    moved = replace(LEA, date_modification=paris(2026, 3, 15, 6, 0))
    assert "sync_pending" not in codes(context(children={"E1": moved}))


def test_siecle_changes_take_48_hours():
    moved = replace(LEA, uai=COLLEGE, niveau="5E", date_modification=paris(2026, 3, 15, 14, 0))
    assert "48 heures" in finding(context(children={"E1": moved}), "sync_pending").fix


# --- combinations -----------------------------------------------------------------------------


def test_duplicate_whose_second_account_waits_for_its_email():
    twin = replace(CELINE, responsable_id="R2", nom="DUPONT", prenom="Celine")
    second = replace(
        ACCOUNT, compte_id="C2", personne_id="R2", etat="en_cours_activation", enfants=("E2",)
    )
    result = run_rules(
        context(
            records=(CELINE, twin), accounts=(ACCOUNT, second), duplicate_evidence=("telephone",)
        )
    )
    assert [f.code for f in result] == ["duplicate_responsable", "email_unverified"]
    duplicate = result[0]
    assert duplicate.severity == "blocking"
    assert duplicate.evidence["responsable_ids"] == ["R1", "R2"]
    assert duplicate.evidence["points_communs"] == ["telephone"]
    assert duplicate.evidence["noms_identiques"] is True
    assert [a.action for a in duplicate.actions] == ["notify_account", "regroup_accounts"]
    assert "Ajouter des enfants depuis un autre compte" in duplicate.fix
    assert "fusion" not in duplicate.fix.lower()


def test_duplicate_with_different_names_is_corrected_in_the_base_first():
    twin = replace(CELINE, responsable_id="R2", nom="Dupond")
    second = replace(ACCOUNT, compte_id="C2", personne_id="R2", enfants=("E2",))
    ctx = context(records=(CELINE, twin), accounts=(ACCOUNT, second))
    found = finding(ctx, "duplicate_responsable")
    assert found.evidence["noms_identiques"] is False
    assert [a.action for a in found.actions] == [
        "fix_base_identity",
        "wait_sync",
        "regroup_accounts",
    ]


def test_findings_are_ordered_by_severity_and_each_code_appears_once():
    record = replace(CELINE, email="celine.dupont@gmial.com")
    moved = replace(LEA, date_modification=paris(2026, 3, 15, 14, 0), niveau="GS")
    result = run_rules(
        context(
            records=(record,),
            children={"E1": moved},
            mobile_holders={"+33612345678": ("R2",)},
            accounts=(notified(paris(2025, 1, 1, 0, 0)),),
        )
    )
    assert [f.code for f in result] == [
        "activation_expired",
        "phone_shared",
        "email_suspect",
        "maternelle_only",
        "sync_pending",
    ]
    assert len({f.code for f in result}) == len(result)


# --- a pupil's own account --------------------------------------------------------------------


def pupil_context(account: AccountRecord) -> DiagnosisContext:
    return context(records=(), links=(), children={"E1": LEA}, pupil=LEA, accounts=(account,))


def test_pupil_account_with_an_expired_provisional_password():
    account = AccountRecord(
        "C4", "eleve", "E1", etat="notifie_non_active", date_notification=paris(2025, 9, 1, 9, 0)
    )
    result = run_rules(pupil_context(account))
    assert [f.code for f in result] == ["activation_expired"]
    assert "Dépannage élève" in result[0].fix


def test_a_pupil_account_never_handed_out_is_not_working():
    account = AccountRecord("C4", "eleve", "E1", etat="non_notifie")
    (found,) = run_rules(pupil_context(account))
    assert (found.code, found.severity) == ("not_notified", "blocking")
    assert [(a.actor, a.action) for a in found.actions] == [("ecole", "hand_out_pupil_login")]


def test_pupil_account_otherwise_ok():
    account = AccountRecord("C4", "eleve", "E1", etat="active")
    assert [f.code for f in run_rules(pupil_context(account))] == ["account_ok"]
