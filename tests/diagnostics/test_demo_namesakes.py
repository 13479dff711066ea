"""The demo académie's two Marguerite Masse: the right one's records, never the other family."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest

from helpdesk.demo.accounts import RESPONSABLES, load_account_base
from helpdesk.diagnostics.services import DiagnoseRequest, diagnose

pytestmark = pytest.mark.xdist_group("demo_namesakes")


@pytest.fixture
def demo_base(db_session, tmp_path):
    folder = tmp_path / "demo"
    load_account_base(db_session, folder, datetime(2026, 12, 7, 9, 0, tzinfo=UTC), seed=2026)
    return db_session, folder


def _rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_the_demo_base_is_the_one_the_demo_command_loads():
    assert RESPONSABLES == 2000


def test_marguerite_masse_matches_her_own_two_records_and_never_the_other_family(demo_base):
    session, folder = demo_base
    people = [
        r
        for r in _rows(folder / "responsables.csv")
        if (r["nom"], r["prenom"]) == ("Masse", "Marguerite")
    ]
    by_contact: dict[str, list[dict]] = {}
    for record in people:
        by_contact.setdefault(record["email"], []).append(record)
    twins = next(group for group in by_contact.values() if len(group) == 2)
    others = {r["responsable_id"] for r in people} - {r["responsable_id"] for r in twins}
    assert others, "the demo has a namesake of another family"
    links = _rows(folder / "liens.csv")
    pupils = {p["eleve_id"]: p for p in _rows(folder / "eleves.csv")}
    twin_ids = {r["responsable_id"] for r in twins}
    second_child = next(
        pupils[link["eleve_id"]]
        for link in links
        if link["responsable_id"] == twins[1]["responsable_id"]
    )
    other_first_names = {
        pupils[link["eleve_id"]]["prenom"] for link in links if link["responsable_id"] in others
    }
    # as the contact form sends it: her name, her e-mail, her mobile, the missing child
    request = DiagnoseRequest(
        id="masse",
        nom="Marguerite Masse",
        email=twins[0]["email"],
        telephone=twins[0]["telephone_portable"] or None,
        role="parent",
        enfants=(DiagnoseRequest.from_json(
            {"id": 1, "enfants": [{"prenom": second_child["prenom"]}]}
        ).enfants),
        motif="enfant_manquant",
    )  # fmt: skip
    result = diagnose(session, request)
    assert set(result.responsable_ids) == twin_ids
    assert result.primary.code == "duplicate_responsable"
    assert not set(result.responsable_ids) & others
    # with only her name and a first name both families have, nobody is chosen
    if second_child["prenom"] in other_first_names:
        vague = DiagnoseRequest(
            id="vague", nom="Marguerite Masse", role="parent", enfants=request.enfants
        )
        unsure = diagnose(session, vague)
        assert unsure.responsable_ids == []
        assert unsure.primary.code == "person_ambiguous"
        assert twin_ids | others <= set(unsure.candidates)
