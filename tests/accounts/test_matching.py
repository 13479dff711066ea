from __future__ import annotations

from datetime import date

import pytest

from helpdesk.accounts.matching import ChildQuery, PersonQuery, find_person
from tests.plugins.factories import AccountData


@pytest.fixture
def data(db_session) -> AccountData:
    return AccountData(db_session)


LEA = ChildQuery(prenom="Léa", date_naissance="02/03/2015")


def ids(match) -> list[str]:
    return [s.id for s in match.responsables]


def test_exact_person_with_accounts_and_children(db_session, data):
    parent, (lea,), account = data.family()
    match = find_person(db_session, PersonQuery(nom="Dupont", prenom="Céline"))
    assert ids(match) == [parent.responsable_id]
    assert [s.id for s in match.accounts] == [account.compte_id]
    assert [s.id for s in match.pupils] == [lea.eleve_id]
    assert 0 < match.responsables[0].score <= 1


@pytest.mark.parametrize(
    ("nom", "prenom"),
    [
        ("DUPONT", "CELINE"),  # capitals, no accents
        ("Dupomt", "Céline"),  # one letter
        ("Dupond", "Celine"),
        ("Duppont", "Céline"),  # doubled letter
        ("Dupont", "Cléine"),  # two neighbours swapped
        ("Céline", "Dupont"),  # inverted
        ("Céline Dupont", None),  # everything in one field
        (" dupont ", "céline "),
    ],
)
def test_typos_accents_and_inversion(db_session, data, nom, prenom):
    parent, _, _ = data.family()
    data.family(nom="Durand", prenom="Paul")
    match = find_person(db_session, PersonQuery(nom=nom, prenom=prenom, children=(LEA,)))
    assert ids(match) == [parent.responsable_id]


def test_two_slips_on_a_long_name_need_a_child_or_contact_data(db_session, data):
    parent, _, _ = data.family(nom="Lefebvre", prenom="Christelle")
    alone = PersonQuery(nom="Lefebre", prenom="Christele")
    assert ids(find_person(db_session, alone)) == []
    with_child = PersonQuery(nom="Lefebre", prenom="Christele", children=(LEA,))
    assert ids(find_person(db_session, with_child)) == [parent.responsable_id]


@pytest.mark.parametrize(
    ("recorded", "written"),
    [
        (("Dupont", "Marie-Claire"), ("Dupont", "Marie Claire")),
        (("Dupont", "Marie-Claire"), ("Dupont", "Marieclaire")),
        (("Dupont", "Marie-Claire"), ("Dupont", "Marie")),
        (("Martin-Dupont", "Anne"), ("Martin Dupont", "Anne")),
        (("Martin-Dupont", "Anne"), ("Martin", "Anne")),
        (("De La Fontaine", "Jean"), ("Lafontaine", "Jean")),
        (("Lafontaine", "Jean"), ("de La Fontaine", "Jean")),
        (("de Lattre", "Jean"), ("Delattre", "Jean")),
        (("Le Goff", "Yann"), ("Legoff", "Yann")),
        (("N'Diaye", "Awa"), ("Ndiaye", "Awa")),
    ],
)
def test_compound_names_hyphens_and_particles(db_session, data, recorded, written):
    parent, _, _ = data.family(nom=recorded[0], prenom=recorded[1])
    match = find_person(db_session, PersonQuery(nom=written[0], prenom=written[1]))
    assert ids(match) == [parent.responsable_id]


def test_the_second_part_of_a_compound_surname_with_a_child(db_session, data):
    parent, _, _ = data.family(nom="Martin-Dupont", prenom="Anne")
    match = find_person(db_session, PersonQuery(nom="Dupont", prenom="Anne", children=(LEA,)))
    assert ids(match) == [parent.responsable_id]


@pytest.mark.parametrize(
    "writing", ["06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678"]
)
def test_found_by_the_mobile_in_any_writing(db_session, data, writing):
    parent, _, _ = data.family()
    assert ids(find_person(db_session, PersonQuery(telephone=writing))) == [parent.responsable_id]


def test_found_by_email_despite_a_far_name(db_session, data):
    parent, _, _ = data.family(nom="Lefebvre", prenom="Christelle", email="christelle.l@example.fr")
    query = PersonQuery(nom="Lefebre", prenom="Cristele", email=" Christelle.L@example.fr ")
    assert ids(find_person(db_session, PersonQuery(nom="Lefebre", prenom="Cristele"))) == []
    match = find_person(db_session, query)
    assert ids(match) == [parent.responsable_id]
    assert "email" in match.responsables[0].reasons


def test_married_name_when_children_and_contact_data_agree(db_session, data):
    parent, _, _ = data.family(nom="Dupont", prenom="Céline")
    agreeing = PersonQuery(nom="Martin", prenom="Céline", telephone="0612345678", children=(LEA,))
    assert ids(find_person(db_session, agreeing)) == [parent.responsable_id]
    without_child = PersonQuery(nom="Martin", prenom="Céline", telephone="0612345678")
    assert ids(find_person(db_session, without_child)) == []
    written_both = PersonQuery(nom="Dupont née Martin", prenom="Céline")
    assert ids(find_person(db_session, written_both)) == [parent.responsable_id]


def test_a_namesake_is_somebody_else(db_session, data):
    data.family(nom="Dupont", prenom="Céline")
    data.family(nom="Dupont", prenom="Marc", civilite="M.", telephone_portable="07 11 22 33 44")
    match = find_person(db_session, PersonQuery(nom="Dupont", prenom="Jean"))
    assert not match.found
    assert match.namesakes >= 1


def test_a_namesake_sharing_a_phone_is_still_somebody_else(db_session, data):
    celine, (lea,), _ = data.family()
    marc = data.responsable(prenom="Marc", civilite="M.")  # same mobile as Céline
    data.link(lea, marc, lien="pere")
    match = find_person(
        db_session, PersonQuery(nom="Dupont", prenom="Céline", telephone="06 12 34 56 78")
    )
    assert ids(match) == [celine.responsable_id]
    assert match.mobile_holders == {"+33612345678": (marc.responsable_id,)}
    assert (
        ids(
            find_person(
                db_session, PersonQuery(nom="Dupont", prenom="Jean", telephone="06 12 34 56 78")
            )
        )
        == []
    )


def test_feminine_and_masculine_first_names_are_two_people(db_session, data):
    louise, (lea,), _ = data.family(nom="Martin", prenom="Louise")
    louis = data.responsable(
        nom="Martin", prenom="Louis", civilite=None, telephone_portable="07 11 22 33 44"
    )
    data.link(lea, louis, lien="pere")
    match = find_person(db_session, PersonQuery(nom="Martin", prenom="Louis", children=(LEA,)))
    assert ids(match) == [louis.responsable_id]


def test_duplicate_records_of_one_person_are_grouped(db_session, data):
    celine, (lea,), first = data.family()
    hugo = data.pupil(prenom="Hugo", date_naissance=date(2012, 11, 20))
    twin = data.responsable(
        nom="DUPONT", prenom="Celine", telephone_portable="+33612345678", email=""
    )
    data.link(hugo, twin)
    second = data.account(twin, [hugo], etat="en_cours_activation")
    match = find_person(db_session, PersonQuery(nom="Dupont", prenom="Céline", children=(LEA,)))
    assert sorted(ids(match)) == sorted([celine.responsable_id, twin.responsable_id])
    assert sorted(s.id for s in match.accounts) == sorted([first.compte_id, second.compte_id])
    assert sorted(s.id for s in match.pupils) == sorted([lea.eleve_id, hugo.eleve_id])
    assert match.duplicate_evidence == ("telephone",)
    assert match.responsables[0].id == celine.responsable_id


def test_records_sharing_only_a_name_are_never_joined(db_session, data):
    """Two records with no child and no contact in common are two people, even when the
    request names a child of each: nobody is matched, both are candidates."""
    celine, (lea,), _ = data.family()
    hugo = data.pupil(prenom="Hugo", date_naissance=date(2012, 11, 20))
    other_school = data.responsable(telephone_portable="07 55 44 33 22", email="c@example.org")
    data.link(hugo, other_school)
    hugo_q = ChildQuery(prenom="Hugo", date_naissance="20/11/2012")
    match = find_person(
        db_session, PersonQuery(nom="Dupont", prenom="Céline", children=(LEA, hugo_q))
    )
    assert ids(match) == []
    candidates = sorted(r.responsable_id for c in match.candidates for r in c.records)
    assert candidates == sorted([celine.responsable_id, other_school.responsable_id])


def test_a_detail_only_one_namesake_fits_decides(db_session, data):
    celine, (lea,), _ = data.family()
    other_child = data.pupil(nom="Martin", prenom="Léa", date_naissance=date(2016, 6, 6))
    namesake = data.responsable(telephone_portable="07 55 44 33 22", email="c@example.org")
    data.link(other_child, namesake)
    name_only = find_person(db_session, PersonQuery(nom="Dupont", prenom="Céline"))
    assert ids(name_only) == [] and len(name_only.candidates) == 2
    assert name_only.ask_detail == "prenom_enfant"
    shared_first_name = find_person(
        db_session, PersonQuery(nom="Dupont", prenom="Céline", children=(ChildQuery(prenom="Léa"),))
    )
    assert ids(shared_first_name) == [] and shared_first_name.ask_detail == "date_naissance_enfant"
    dated = find_person(db_session, PersonQuery(nom="Dupont", prenom="Céline", children=(LEA,)))
    assert ids(dated) == [celine.responsable_id]
    by_phone = find_person(
        db_session, PersonQuery(nom="Dupont", prenom="Céline", telephone="07 55 44 33 22")
    )
    assert ids(by_phone) == [namesake.responsable_id]
    login = data.account(namesake, [other_child], identifiant="C.Dupont42").identifiant
    by_login = find_person(
        db_session, PersonQuery(nom="Dupont", prenom="Céline", login=login.lower())
    )
    assert ids(by_login) == [namesake.responsable_id]


def test_the_other_parent_of_the_same_child_is_not_a_duplicate(db_session, data):
    celine, (lea,), _ = data.family()
    marc = data.responsable(prenom="Marc", civilite="M.", telephone_portable="07 11 22 33 44")
    data.link(lea, marc, lien="pere")
    match = find_person(db_session, PersonQuery(nom="Dupont", prenom="Céline"))
    assert ids(match) == [celine.responsable_id]


def test_homonyms_without_any_other_detail_are_ambiguous(db_session, data):
    data.family(nom="Martin", prenom="Marie")
    data.family(
        nom="Martin",
        prenom="Marie",
        telephone_portable="07 11 22 33 44",
        children=(("Jules", date(2014, 5, 6)),),
    )
    match = find_person(db_session, PersonQuery(nom="Martin", prenom="Marie"))
    assert not match.found and match.ambiguous == 2
    with_child = PersonQuery(
        nom="Martin",
        prenom="Marie",
        children=(ChildQuery(prenom="Jules", date_naissance="06/05/2014"),),
    )
    assert len(ids(find_person(db_session, with_child))) == 1


def test_a_mistyped_phone_still_supports_the_right_person(db_session, data):
    parent, _, _ = data.family(nom="Lefebvre", prenom="Christelle")
    query = PersonQuery(nom="Lefebre", prenom="Christele", telephone="06 12 34 56 87")
    match = find_person(db_session, query)
    assert ids(match) == [parent.responsable_id]
    assert "telephone_proche" in match.responsables[0].reasons


@pytest.mark.parametrize(
    "writing", ["02/03/2015", "2/3/2015", "2015-03-02", "02.03.15", "2 mars 2015"]
)
def test_children_are_identified_whatever_the_date_writing(db_session, data, writing):
    parent, (lea,), _ = data.family()
    query = PersonQuery(
        nom="Dupont", prenom="Céline", children=(ChildQuery(prenom="Lea", date_naissance=writing),)
    )
    (identified,) = find_person(db_session, query).identified
    assert identified.eleve_id == lea.eleve_id
    assert identified.date_naissance == date(2015, 3, 2)


def test_twins_with_close_names_are_told_apart(db_session, data):
    parent, (lea, leo), _ = data.family(
        children=(("Léa", date(2015, 3, 2)), ("Léo", date(2015, 3, 2)))
    )
    query = PersonQuery(
        nom="Dupont",
        prenom="Céline",
        children=(ChildQuery(prenom="Léo", date_naissance="02/03/2015"),),
    )
    (identified,) = find_person(db_session, query).identified
    assert identified.eleve_id == leo.eleve_id


def test_a_child_with_another_birth_date_is_still_identified_by_name(db_session, data):
    parent, (lea,), _ = data.family()
    query = PersonQuery(
        nom="Dupont",
        prenom="Céline",
        children=(ChildQuery(prenom="Léa", date_naissance="03/02/2015"),),
    )
    (identified,) = find_person(db_session, query).identified
    assert identified.eleve_id == lea.eleve_id


def test_pupil_request_finds_the_pupil_and_its_own_accounts(db_session, data):
    _, (lea,), _ = data.family()
    pupil_account = data.account(lea, etat="notifie_non_active")
    for query in (
        PersonQuery(
            role="eleve",
            nom="Dupont",
            prenom="Lea",
            children=(ChildQuery(date_naissance="02/03/2015"),),
        ),
        PersonQuery(
            children=(ChildQuery(nom="Dupont", prenom="Léa", date_naissance="02/03/2015"),)
        ),
    ):
        match = find_person(db_session, query)
        assert match.pupil is not None and match.pupil.eleve_id == lea.eleve_id
        assert [s.id for s in match.accounts] == [pupil_account.compte_id]
        assert match.responsables == []


def test_a_bounded_number_of_queries(db_session, data, count_queries):
    parent, _, _ = data.family()
    for n in range(30):
        data.family(nom="Dupont", prenom=f"Autre{n}", telephone_portable=f"07 00 00 00 {n:02d}")
    query = PersonQuery(
        nom="Dupomt",
        prenom="Celine",
        email="x@example.fr",
        telephone="06 12 34 56 87",
        children=(LEA,),
    )
    with count_queries() as statements:
        match = find_person(db_session, query)
    assert ids(match) == [parent.responsable_id]
    assert len(statements) <= 40


def test_a_homonym_whose_child_has_the_same_first_name_but_another_age(db_session, data):
    first, _, _ = data.family(nom="Lebreton", prenom="Grégoire", civilite="M.",
                              children=(("Hortense", date(2008, 8, 23)),))  # fmt: skip
    data.family(nom="Lebreton", prenom="Grégoire", civilite="M.",
                telephone_portable="07 11 22 33 44",
                children=(("Hortense", date(2010, 11, 20)),))  # fmt: skip
    child = ChildQuery(prenom="Hortense", date_naissance="23.08.08")
    query = PersonQuery(nom="Grégoire", prenom="LEBRETON", telephone="0033612345678",
                        children=(child,))  # fmt: skip
    match = find_person(db_session, query)
    assert ids(match) == [first.responsable_id]
    assert match.duplicate_evidence == ()


@pytest.mark.parametrize(
    ("nom", "prenom"),
    [("Dupont", "Cléine"), ("Dpuont", "Céline"), ("Duppont", "Celine"), ("Dupond", "Célinne")],
)
def test_one_slip_in_either_name_is_found_from_the_names_alone(db_session, data, nom, prenom):
    parent, _, _ = data.family()
    data.family(nom="Dupuis", prenom="Céline", telephone_portable="07 11 22 33 44")
    assert ids(find_person(db_session, PersonQuery(nom=nom, prenom=prenom))) == [
        parent.responsable_id
    ]


def test_a_short_first_name_with_a_slip_needs_contact_data(db_session, data):
    parent, _, _ = data.family(nom="Fleury", prenom="Luce", email="luce.f@example.fr")
    assert ids(find_person(db_session, PersonQuery(nom="Fleury", prenom="Lce"))) == []
    query = PersonQuery(nom="Fleury", prenom="Lce", email="luce.f@example.fr")
    assert ids(find_person(db_session, query)) == [parent.responsable_id]


def test_parents_with_first_names_a_letter_apart_are_not_grouped(db_session, data):
    lea, (kid,), _ = data.family(nom="Martin", prenom="Léa", civilite=None)
    leo = data.responsable(nom="Martin", prenom="Léo", civilite=None,
                           telephone_portable="07 11 22 33 44")  # fmt: skip
    data.link(kid, leo, lien="tuteur")
    child = ChildQuery(prenom="Léa", date_naissance="02/03/2015")
    match = find_person(db_session, PersonQuery(nom="Martin", prenom="Léa", children=(child,)))
    assert ids(match) == [lea.responsable_id]
