"""The synthetic académie generator: deterministic, streamed, with its anomalies."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from helpdesk.accounts.normalize import is_valid_ine, is_valid_uai
from helpdesk.demo.generator import generate_academie
from helpdesk.demo.rates import RATES
from helpdesk.demo.snapshot_builder import tiny_snapshot
from helpdesk.demo.snapshot_files import HEADERS
from helpdesk.util.phones import parse_phone


@pytest.fixture(scope="module")
def academie(tmp_path_factory):
    folder = tmp_path_factory.mktemp("academie")
    return folder, generate_academie(folder, responsables=2000, seed=11)


def read(folder, name):
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    for name, seed in (("one", 5), ("again", 5), ("other", 6)):
        generate_academie(tmp_path / name, responsables=300, seed=seed)
    for name in HEADERS:
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    one = (tmp_path / "one" / "eleves.csv").read_bytes()
    assert (tmp_path / "other" / "eleves.csv").read_bytes() != one


def test_sizes_follow_the_academie_ratios(academie):
    folder, stats = academie
    responsables = stats.counts["responsables.csv"]
    assert 2000 <= responsables < 2010
    assert 1.2 < stats.counts["eleves.csv"] / responsables < 1.45
    assert 1.5 < stats.counts["comptes.csv"] / responsables < 1.8
    for name, header in HEADERS.items():
        with (folder / name).open(encoding="utf-8") as fh:
            assert fh.readline().rstrip("\n").split(";") == header
        assert len(read(folder, name)) == stats.counts[name]


def test_identifiers_carry_valid_check_letters(academie):
    folder, _ = academie
    assert all(is_valid_uai(row["uai"]) for row in read(folder, "etablissements.csv"))
    assert all(is_valid_ine(row["ine"]) for row in read(folder, "eleves.csv") if row["ine"])


def test_every_anomaly_is_injected_and_points_to_a_record(academie):
    folder, stats = academie
    kinds = Counter(row["anomalie"] for row in read(folder, "anomalies.csv"))
    expected = {key for key in RATES if not key.startswith("etat_")}
    expected |= {"maternelle_only", "activation_expired", "email_unverified"}
    assert expected <= set(kinds)
    responsables = {row["responsable_id"]: row for row in read(folder, "responsables.csv")}
    pupils = {row["eleve_id"]: row for row in read(folder, "eleves.csv")}
    for row in read(folder, "anomalies.csv"):
        assert row["id"] in responsables or row["id"] in pupils, row
    # A landline in the mobile column is a valid number that is not a mobile.
    for row in read(folder, "anomalies.csv"):
        if row["anomalie"] == "phone_landline":
            phone = parse_phone(responsables[row["id"]]["telephone_portable"])
            assert phone.is_valid and not phone.is_mobile


def test_duplicate_responsables_share_contact_data_and_split_the_children(academie):
    folder, _ = academie
    links = Counter(row["responsable_id"] for row in read(folder, "liens.csv"))
    responsables = {row["responsable_id"]: row for row in read(folder, "responsables.csv")}
    duplicates = [row for row in read(folder, "anomalies.csv")
                  if row["anomalie"] == "duplicate_responsable"]  # fmt: skip
    assert duplicates
    for row in duplicates:
        copy, original = responsables[row["id"]], responsables[row["detail"]]
        assert copy["telephone_portable"] == original["telephone_portable"]
        assert links[row["id"]] >= 1 and links[row["detail"]] >= 1


def test_tiny_snapshot_writes_the_six_files(tmp_path):
    folder = tiny_snapshot().write(tmp_path / "tiny")
    assert sorted(p.name for p in folder.iterdir()) == sorted(HEADERS)
    assert len(read(folder, "comptes.csv")) == 4
