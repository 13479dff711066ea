"""The snapshot importer: formats as extractions write them, rejections, transactions."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.accounts import merge as merge_module
from helpdesk.accounts.cli import run_import
from helpdesk.accounts.importer import FILES, import_snapshot
from helpdesk.accounts.models import (
    Account,
    AccountChild,
    Extraction,
    Pupil,
    PupilLink,
    Responsable,
)
from helpdesk.demo.generator import generate_academie
from helpdesk.demo.snapshot_builder import SnapshotBuilder, tiny_snapshot
from helpdesk.schools.models import School

DATA = Path(__file__).resolve().parent.parent / "data" / "accounts"
TABLES = (School, Pupil, Responsable, PupilLink, Account, AccountChild, Extraction)


@pytest.fixture
def session_factory(db_session):
    """Sessions on the test's connection: their commits stay inside the test's transaction."""
    connection = db_session.connection()

    def _factory() -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint")

    return _factory


def dump(session: Session) -> dict[str, list[tuple]]:
    """Every row of the account tables, sorted, to compare database states."""
    session.expire_all()
    result = {}
    for model in TABLES:
        table = model.__table__
        columns = [c for c in table.columns if c.name != "id"]
        rows = session.execute(select(*columns)).all()
        result[table.name] = sorted(tuple(row) for row in rows)
    return result


def rejected(report) -> list[tuple[str, int | None]]:
    return [(row.file, row.line) for row in report.rejected]


def reason(report, file: str, line: int) -> str:
    return next(row.reason for row in report.rejected if (row.file, row.line) == (file, line))


# --------------------------------------------------------------------------- happy path


def test_tiny_snapshot_is_imported_with_normalised_columns(db_session, tmp_path):
    report = import_snapshot(db_session, tiny_snapshot().write(tmp_path / "snap"))

    assert report.imported_anything and report.exit_code == 0
    assert report.rejected == []
    counts = {name: (c.read, c.imported, c.rejected) for name, c in report.files.items()}
    assert counts == {
        "etablissements.csv": (2, 2, 0),
        "eleves.csv": (3, 3, 0),
        "responsables.csv": (4, 4, 0),
        "liens.csv": (5, 5, 0),
        "comptes.csv": (4, 4, 0),
        "extraction.csv": (3, 3, 0),
    }
    school = db_session.scalars(select(School).where(School.uai == "0211234C")).one()
    assert school.search_key == "ecole elementaire jean mace dijon 0211234c"

    hugo = db_session.get(Pupil, "E2")
    assert hugo.date_naissance == date(2012, 11, 20)
    assert (hugo.nom_key, hugo.prenom_key, hugo.uai) == ("dupont", "hugo", "0211235D")
    zoe = db_session.get(Pupil, "E3")
    assert (zoe.ine, zoe.classe, zoe.admission, zoe.prenom_key) == (None, None, "provisoire", "zoe")

    celine_bis = db_session.get(Responsable, "R3")
    assert celine_bis.telephone_portable == "+33 6 12 34 56 78"
    assert celine_bis.telephone_portable_e164 == "+33612345678"
    assert celine_bis.telephone_portable_is_mobile
    assert (celine_bis.nom_key, celine_bis.prenom_key, celine_bis.email) == (
        "dupont",
        "celine",
        None,
    )
    marc = db_session.get(Responsable, "R2")
    assert marc.telephone_portable_e164 == "+33470123456"
    assert not marc.telephone_portable_is_mobile
    assert marc.email_key == "marc.dupont@gmial.com"

    link = db_session.get(PupilLink, ("E3", "R4"))
    assert (link.lien, link.responsable_legal) == ("autre_membre_famille", False)

    marc_account = db_session.get(Account, "C3")
    assert marc_account.enfant_ids == ["E1", "E2"]
    assert (marc_account.etat, marc_account.email_verifie) == ("en_cours_activation", False)
    # 15/03/2026 06:30 in Paris (winter time) is 05:30 UTC.
    assert marc_account.date_synchro == datetime(2026, 3, 15, 5, 30, tzinfo=UTC)
    assert db_session.get(Account, "C1").telephone_e164 == "+33612345678"
    assert db_session.get(Extraction, "educonnect").date_extraction == datetime(
        2026, 3, 16, 4, 0, tzinfo=UTC
    )


def test_generated_academie_imports_without_rejection(db_session, tmp_path):
    stats = generate_academie(tmp_path / "academie", responsables=300, seed=7)
    report = import_snapshot(db_session, tmp_path / "academie")

    assert report.rejected == []
    for name in FILES:
        assert report.files[name].imported == stats.counts[name]
    assert 300 <= stats.counts["responsables.csv"] <= 305
    count = db_session.scalar(select(func.count()).select_from(Responsable))
    assert count == stats.counts["responsables.csv"]
    count = db_session.scalar(select(func.count()).select_from(AccountChild))
    assert count > stats.counts["responsables.csv"]


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ","), ("cp1252", ",")],
)
def test_encodings_and_separators_are_detected(db_session, tmp_path, encoding, separator):
    folder = tiny_snapshot().write(tmp_path / "snap", encoding=encoding, separator=separator)

    report = import_snapshot(db_session, folder)

    assert report.rejected == []
    assert db_session.get(Pupil, "E3").prenom == "Zoé"
    assert db_session.get(Responsable, "R1").prenom == "Céline"
    school = db_session.scalars(select(School).where(School.uai == "0211234C")).one()
    assert school.name == "École élémentaire Jean Macé"


def test_windows_line_endings_and_bom_keep_line_numbers(db_session, tmp_path):
    b = SnapshotBuilder()
    uai = b.school()
    b.pupil(uai, eleve_id="E1")
    b.pupil(uai, eleve_id="E2", niveau="CM3")
    folder = b.write(tmp_path / "snap", encoding="utf-8-sig")
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    report = import_snapshot(db_session, folder)

    assert rejected(report) == [("eleves.csv", 3)]
    assert db_session.get(Pupil, "E1").date_modification is not None


def test_header_names_tolerate_case_accents_spaces_and_order(db_session, tmp_path):
    builder = tiny_snapshot()
    folder = builder.write(tmp_path / "snap")
    # Rewrite eleves.csv with decorated header names and the columns in another order.
    lines = (folder / "eleves.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(";") for line in lines]
    order = [2, 0, 1, 3, 4, 5, 6, 7, 8, 9]
    header = [" NOM ", "Élève_ID", "Ine", "Prénom", "Date naissance", " uai", "CLASSE", "Niveau",
              "admission ", "Date_Modification"]  # fmt: skip
    body = [[row[i] for i in order] for row in rows[1:]]
    text = "\n".join(";".join(cells) for cells in [header, *body]) + "\n"
    (folder / "eleves.csv").write_text(text, encoding="utf-8")

    report = import_snapshot(db_session, folder)

    assert report.rejected == []
    lea = db_session.get(Pupil, "E1")
    assert (lea.nom, lea.prenom, lea.uai) == ("Dupont", "Léa", "0211234C")


def test_quoted_cells_may_hold_separators_and_line_breaks(db_session, tmp_path):
    b = SnapshotBuilder()
    uai = b.school()
    b.pupil(uai, eleve_id="E1", nom="Le Goff; dit « Bob »", classe="CM1\nA")
    b.pupil(uai, eleve_id="E2", date_naissance="31/02/2016")
    folder = b.write(tmp_path / "snap")

    report = import_snapshot(db_session, folder)

    assert db_session.get(Pupil, "E1").nom == "Le Goff; dit « Bob »"
    assert db_session.get(Pupil, "E1").classe == "CM1\nA"
    # Line 2 spans two physical lines: the next row starts on line 4.
    assert rejected(report) == [("eleves.csv", 4)]


def test_unclosed_quote_rejects_its_line_only(db_session, tmp_path):
    b = SnapshotBuilder()
    uai = b.school()
    for n in range(1, 4):
        b.pupil(uai, eleve_id=f"E{n}")
    folder = b.write(tmp_path / "snap")
    lines = (folder / "eleves.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(";Martin;", ';"Martin;')
    (folder / "eleves.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = import_snapshot(db_session, folder)

    assert rejected(report) == [("eleves.csv", 3)]
    assert "guillemet" in reason(report, "eleves.csv", 3)
    assert db_session.get(Pupil, "E1") is not None and db_session.get(Pupil, "E3") is not None


def test_bytes_valid_in_no_encoding_reject_their_row(db_session, tmp_path):
    b = SnapshotBuilder()
    uai = b.school()
    b.pupil(uai, eleve_id="E1", prenom="Chloé")
    b.pupil(uai, eleve_id="E2", prenom="BROKEN")
    b.pupil(uai, eleve_id="E3", prenom="Noël")
    folder = b.write(tmp_path / "snap", encoding="cp1252")
    raw = (folder / "eleves.csv").read_bytes().replace(b"BROKEN", b"Br\x81ken")
    (folder / "eleves.csv").write_bytes(raw)

    report = import_snapshot(db_session, folder)

    assert rejected(report) == [("eleves.csv", 3)]
    assert "encodage" in reason(report, "eleves.csv", 3)
    assert db_session.get(Pupil, "E1").prenom == "Chloé"
    assert db_session.get(Pupil, "E3").prenom == "Noël"


# --------------------------------------------------------------------------- rejections


EXPECTED_MALFORMED = {
    ("etablissements.csv", 4): "UAI en double",
    ("etablissements.csv", 5): "UAI mal formé",
    ("etablissements.csv", 6): "valeur inconnue pour type",
    ("eleves.csv", 4): "date inexistante",
    ("eleves.csv", 5): "établissement inconnu",
    ("eleves.csv", 6): "identifiant d'élève en double",
    ("eleves.csv", 7): "valeur inconnue pour admission",
    ("eleves.csv", 8): "nombre de cellules incorrect : 11 au lieu de 10",
    ("eleves.csv", 9): "identifiant d'élève (eleve_id) manquant",
    ("eleves.csv", 10): "valeur inconnue pour niveau",
    ("responsables.csv", 7): "date inexistante",
    ("responsables.csv", 8): "identifiant de responsable en double",
    ("liens.csv", 6): "élève inconnu : « E3 »",
    ("liens.csv", 7): "responsable inconnu : « R9 »",
    ("liens.csv", 8): "lien en double",
    ("liens.csv", 9): "valeur inconnue pour lien",
    ("liens.csv", 10): "valeur inconnue pour responsable_legal",
    ("comptes.csv", 5): "responsable inconnu : « R9 »",
    ("comptes.csv", 6): "enfant inconnu : « E99 »",
    ("comptes.csv", 7): "valeur inconnue pour profil",
    ("comptes.csv", 8): "identifiant de compte en double",
    ("comptes.csv", 9): "valeur inconnue pour etat",
    ("extraction.csv", 5): "valeur inconnue pour source",
}


def test_each_unreadable_row_is_reported_with_its_line_and_the_rest_imported(db_session):
    report = import_snapshot(db_session, DATA / "malformed")

    assert rejected(report) == sorted(
        EXPECTED_MALFORMED, key=lambda key: (FILES.index(key[0]), key[1])
    )
    for (file, line), expected in EXPECTED_MALFORMED.items():
        assert expected in reason(report, file, line), (file, line)
    assert report.exit_code == 0
    counts = {name: (c.read, c.imported, c.rejected) for name, c in report.files.items()}
    assert counts == {
        "etablissements.csv": (5, 2, 3),
        "eleves.csv": (10, 3, 7),
        "responsables.csv": (7, 5, 2),
        "liens.csv": (10, 5, 5),
        "comptes.csv": (9, 4, 5),
        "extraction.csv": (4, 3, 1),
    }
    assert set(db_session.scalars(select(Pupil.eleve_id))) == {"E1", "E2", "E8"}
    bob = db_session.get(Pupil, "E8")
    assert (bob.nom, bob.niveau, bob.admission) == ('Le Goff; dit "Bob"', "CM1", "definitive")
    assert bob.date_modification == datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    # Data the diagnostics must see is imported as it is.
    r1 = db_session.get(Responsable, "R1")
    assert (r1.email, r1.email_key) == ("Celine.Dupont@Example.fr", "celine.dupont@example.fr")
    assert r1.telephone_fixe_e164 == "+33380123456"
    r3 = db_session.get(Responsable, "R3")
    assert (r3.civilite, r3.prenom, r3.prenom_key) == (None, None, "")
    r4 = db_session.get(Responsable, "R4")
    assert (r4.telephone_portable, r4.telephone_portable_e164) == ("0612", None)
    assert r4.email == "pas-une-adresse"
    r5 = db_session.get(Responsable, "R5")
    assert (r5.telephone_portable_e164, r5.telephone_portable_is_mobile) == ("+594694123456", True)
    assert db_session.get(Account, "C2").enfant_ids == ["E1", "E2"]
    assert db_session.get(Account, "C8").email_verifie is None
    assert db_session.get(Extraction, "siecle").date_extraction == datetime(
        2026, 3, 16, 4, 0, tzinfo=UTC
    )


def test_strict_mode_imports_nothing_but_reports_everything(db_session):
    report = import_snapshot(db_session, DATA / "malformed", strict=True)

    assert report.exit_code == 1 and not report.imported_anything
    assert len(report.rejected) == len(EXPECTED_MALFORMED)
    assert all(c.imported == 0 for c in report.files.values())
    assert report.files["eleves.csv"].read == 10
    assert db_session.scalars(select(Pupil)).all() == []
    assert db_session.scalars(select(School)).all() == []


def test_strict_mode_imports_a_clean_snapshot(db_session, tmp_path):
    report = import_snapshot(db_session, tiny_snapshot().write(tmp_path / "s"), strict=True)

    assert report.exit_code == 0
    assert db_session.get(Pupil, "E1") is not None


def test_references_must_be_in_the_snapshot_itself(db_session, tmp_path):
    import_snapshot(db_session, tiny_snapshot().write(tmp_path / "first"))
    b = SnapshotBuilder()
    uai = b.school(uai="0211236E")
    resp = b.responsable(responsable_id="R100")
    b.link("E1", resp)  # E1 exists in the database, not in this snapshot
    b.pupil("0211234C", eleve_id="E100")  # school known to the database only
    b.account(resp, ["E1"], compte_id="C100")
    b.pupil(uai, eleve_id="E101")

    report = import_snapshot(db_session, b.write(tmp_path / "second"))

    assert rejected(report) == [("eleves.csv", 2), ("liens.csv", 2), ("comptes.csv", 2)]
    assert db_session.get(Pupil, "E101") is not None


@pytest.mark.parametrize("damage", ["missing", "empty", "no_id_column"])
def test_unreadable_file_imports_nothing_and_keeps_previous_data(db_session, tmp_path, damage):
    import_snapshot(db_session, tiny_snapshot().write(tmp_path / "first"))
    before = dump(db_session)
    b = tiny_snapshot()
    b.pupil("0211234C", eleve_id="E50")
    folder = b.write(tmp_path / "second")
    target = folder / "liens.csv"
    if damage == "missing":
        target.unlink()
    elif damage == "empty":
        target.write_bytes(b"")
    else:
        target.write_text("eleve;responsable_id;lien;responsable_legal\nE1;R1;mere;1\n")

    report = import_snapshot(db_session, folder)

    assert report.exit_code == 1
    [row] = report.rejected
    assert row.file == "liens.csv"
    assert row.line == (None if damage == "missing" else 1)
    assert {"missing": "absent", "empty": "vide", "no_id_column": "eleve_id"}[damage] in row.reason
    assert all(c.read == c.imported == c.rejected == 0 for c in report.files.values())
    assert dump(db_session) == before


def test_missing_folder_is_reported(db_session, tmp_path):
    report = import_snapshot(db_session, tmp_path / "nowhere")

    assert report.exit_code == 1
    assert [(r.file, r.line) for r in report.rejected] == [(name, None) for name in FILES]


def test_header_only_snapshot_imports_nothing(db_session, tmp_path):
    builder = SnapshotBuilder()
    builder.rows["extraction.csv"].clear()
    report = import_snapshot(db_session, builder.write(tmp_path / "empty"))

    assert report.exit_code == 1
    assert report.rejected == []


# --------------------------------------------------------------------------- transactions


def test_importing_the_same_snapshot_twice_changes_nothing(db_session, session_factory, tmp_path):
    generate_academie(tmp_path / "academie", responsables=120, seed=3)
    first = import_snapshot(session_factory, tmp_path / "academie")
    after_first = dump(db_session)

    second = import_snapshot(session_factory, tmp_path / "academie")

    assert first.exit_code == second.exit_code == 0
    assert second.to_dict() == first.to_dict()
    assert dump(db_session) == after_first
    third = import_snapshot(db_session, tmp_path / "academie")
    assert third.rejected == [] and dump(db_session) == after_first


def test_a_snapshot_replaces_the_data_of_the_schools_it_contains(db_session, tmp_path):
    b = tiny_snapshot()
    other = b.school(uai="0211236E", nom="École Pasteur")
    tom = b.pupil(other, eleve_id="E9", nom="Petit", prenom="Tom")
    papa = b.responsable(responsable_id="R9", nom="Petit", prenom="Paul")
    b.link(tom, papa, lien="pere")
    b.account(papa, [tom], compte_id="C9")
    import_snapshot(db_session, b.write(tmp_path / "first"))
    school_9 = dump(db_session)

    # The next extraction of the two Dijon schools: Léa has left, Marc's account is gone,
    # Céline's record changed phone number, Hugo's second link disappeared.
    n = SnapshotBuilder()
    n.school(uai="0211234C", nom="École élémentaire Jean Macé", commune="Dijon")
    n.school(uai="0211235D", nom="Collège Les Lentillères", type="college", commune="Dijon")
    n.pupil("0211235D", eleve_id="E2", nom="Dupont", prenom="Hugo", date_naissance="20/11/2012",
            niveau="5E", classe="5E2")  # fmt: skip
    n.pupil("0211234C", eleve_id="E3", nom="Nguyen", prenom="Zoé", niveau="PS")
    n.responsable(responsable_id="R3", nom="Dupont", prenom="Céline",
                  telephone_portable="07 98 76 54 32")  # fmt: skip
    n.responsable(responsable_id="R4", nom="Nguyen", prenom="Thi")
    n.link("E2", "R3")
    n.link("E3", "R4", lien="autre", responsable_legal="0")
    n.account("R3", ["E2"], compte_id="C2")
    n.account("E2", compte_id="C4", profil="eleve")

    report = import_snapshot(db_session, n.write(tmp_path / "second"))

    assert report.rejected == []
    assert set(db_session.scalars(select(Pupil.eleve_id))) == {"E2", "E3", "E9"}
    assert set(db_session.scalars(select(Responsable.responsable_id))) == {"R3", "R4", "R9"}
    assert set(db_session.scalars(select(Account.compte_id))) == {"C2", "C4", "C9"}
    links = db_session.execute(select(PupilLink.eleve_id, PupilLink.responsable_id)).all()
    assert sorted(links) == [("E2", "R3"), ("E3", "R4"), ("E9", "R9")]
    assert db_session.get(Responsable, "R3").telephone_portable_e164 == "+33798765432"
    assert db_session.get(Account, "C2").enfant_ids == ["E2"]
    # The other school is untouched.
    state = dump(db_session)
    for table, rows in school_9.items():
        kept = [row for row in rows if "E9" in row or "R9" in row or "C9" in row]
        assert all(row in state[table] for row in kept)


@pytest.mark.parametrize("use_factory", [False, True])
def test_a_failure_mid_import_leaves_the_previous_data_whole(
    db_session, session_factory, tmp_path, monkeypatch, use_factory
):
    import_snapshot(db_session, tiny_snapshot().write(tmp_path / "first"))
    before = dump(db_session)
    b = SnapshotBuilder()
    b.school(uai="0211234C", nom="Renamed")
    b.pupil("0211234C", eleve_id="E77")
    folder = b.write(tmp_path / "second")
    real_upsert = merge_module.upsert

    def failing_upsert(conn, target, *args, **kwargs):
        if target.name == "account":
            raise RuntimeError("disk full")
        return real_upsert(conn, target, *args, **kwargs)

    monkeypatch.setattr(merge_module, "upsert", failing_upsert)

    with pytest.raises(RuntimeError, match="disk full"):
        import_snapshot(session_factory if use_factory else db_session, folder)

    assert dump(db_session) == before


# --------------------------------------------------------------------------- report and CLI


def test_json_report_has_the_contract_shape(db_session):
    out = io.StringIO()
    code = run_import(db_session, DATA / "malformed", strict=False, as_json=True, out=out)

    assert code == 0
    text = out.getvalue()
    assert text.count("\n") == 1
    data = json.loads(text)
    assert set(data) == {"files", "rejected"}
    assert list(data["files"]) == list(FILES)
    assert data["files"]["eleves.csv"] == {"read": 10, "imported": 3, "rejected": 7}
    assert data["rejected"][0] == {
        "file": "etablissements.csv",
        "line": 4,
        "reason": "UAI en double : « 0211234C » (déjà en ligne 2)",
    }
    assert all(set(row) == {"file", "line", "reason"} for row in data["rejected"])


def test_summary_is_french_and_exit_status_follows_the_outcome(db_session, tmp_path):
    out = io.StringIO()
    code = run_import(db_session, DATA / "malformed", strict=True, as_json=False, out=out)

    assert code == 1
    text = out.getvalue()
    assert "rien n'a été importé" in text
    assert "eleves.csv, ligne 4 : date_naissance : date inexistante : « 31/02/2020 »" in text

    copy = tmp_path / "copy"
    shutil.copytree(DATA / "malformed", copy)
    out = io.StringIO()
    assert run_import(db_session, copy, strict=False, as_json=False, out=out) == 0
    assert "instantané importé" in out.getvalue()
