import os
import re
from pathlib import Path

import pytest

from helpdesk.tickets.taxonomy import (
    MOTIF_DEFAULT_TYPE,
    MOTIF_NATURE,
    MOTIFS,
    NATURES,
    TYPES,
    InvalidLabels,
    check_labels,
)


def _spec_path() -> Path | None:
    candidates = [Path(__file__).parents[3] / "shared" / "spec" / "taxonomy.md"]
    if "HELPDESK_SHARED" in os.environ:
        candidates.insert(0, Path(os.environ["HELPDESK_SHARED"]) / "spec" / "taxonomy.md")
    return next((path for path in candidates if path.exists()), None)


def _table_rows(text: str, heading: str) -> list[list[str]]:
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("| `"):
            rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


@pytest.fixture(scope="module")
def spec() -> str:
    path = _spec_path()
    if path is None:
        pytest.skip("taxonomy.md not found beside the repository")
    return path.read_text(encoding="utf-8")


def test_types_match_spec(spec):
    assert list(TYPES) == [row[0] for row in _table_rows(spec, "Type de demande")]


def test_natures_match_spec(spec):
    assert list(NATURES) == [row[0] for row in _table_rows(spec, "Nature")]


def test_motifs_match_spec_with_nature_and_default_type(spec):
    rows = _table_rows(spec, "Motif")
    assert list(MOTIFS) == [row[0] for row in rows]
    assert MOTIF_NATURE == {row[0]: row[1] for row in rows}
    assert MOTIF_DEFAULT_TYPE == {row[0]: row[2] for row in rows}


def test_every_motif_has_a_known_nature_and_type():
    assert set(MOTIF_NATURE) == set(MOTIFS) == set(MOTIF_DEFAULT_TYPE)
    assert set(MOTIF_NATURE.values()) == set(NATURES)
    assert set(MOTIF_DEFAULT_TYPE.values()) <= set(TYPES)


def test_codes_are_stable_identifiers_and_labels_are_french_text():
    for table in (TYPES, NATURES, MOTIFS):
        for code, label in table.items():
            assert re.fullmatch(r"[a-zA-Z_]+", code)
            assert label and label[0].isupper()


def test_check_labels_accepts_consistent_codes():
    check_labels("demande_conseil", "RGPD", "rgpd_droits")


@pytest.mark.parametrize(
    ("type_", "nature", "motif"),
    [
        ("demande_inconnue", "RGPD", "rgpd_droits"),
        ("demande_conseil", "INCONNUE", "rgpd_droits"),
        ("demande_conseil", "RGPD", "motif_inconnu"),
        ("demande_conseil", "LSU", "rgpd_droits"),
    ],
)
def test_check_labels_rejects_unknown_or_inconsistent_codes(type_, nature, motif):
    with pytest.raises(InvalidLabels):
        check_labels(type_, nature, motif)
