"""Placeholders of the académie's details: filled for people, named for the search index."""

from helpdesk.academie.settings import AcademieSettings, describe, fill


def test_fill_replaces_only_the_academie_placeholders():
    settings = AcademieSettings(telephone_assistance="03 80 44 84 20")
    text = "Appelez le {telephone_assistance} ; {demandeur} et {inconnu} restent."
    assert fill(text, settings) == "Appelez le 03 80 44 84 20 ; {demandeur} et {inconnu} restent."


def test_describe_names_the_placeholders_for_the_index():
    assert describe("Téléphone : {telephone_assistance}, {autre}.") == (
        "Téléphone : téléphone de l'assistance, {autre}."
    )


def test_phone_link_keeps_only_digits():
    assert AcademieSettings(telephone_assistance="03.80.44.84.20").telephone_uri == (
        "tel:0380448420"
    )
