"""*Comptes à surveiller* and activation statistics: directors for their schools, agents for any."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from sqlalchemy import select

from helpdesk.accounts.importer import import_snapshot
from helpdesk.audit.models import AuditEntry
from helpdesk.demo.snapshot_builder import tiny_snapshot
from helpdesk.schools.models import School

ECOLE = "0211234C"  # Léa (CM1 B), Zoé (PS, no INE, no class, provisional); R1, R2, R4
COLLEGE = "0211235D"  # Hugo (5E2); R2, R3 (R1's duplicate, expired notification)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def academie(db_session, tmp_path):
    """The tiny académie, plus in the école: three pupils without a class, a mother recorded
    twice (R10, R11: same mobile, one record per child) and a father sharing her mobile (R12)."""
    builder = tiny_snapshot()
    kids = [
        builder.pupil(ECOLE, nom="Martin", prenom=f"Noé{n}", classe="", niveau="CP")
        for n in range(3)
    ]
    mobile = "06 71 22 33 44"
    sophie = builder.responsable(
        responsable_id="R10", nom="Bernard", prenom="Sophie", telephone_portable=mobile
    )
    sophie_bis = builder.responsable(
        responsable_id="R11", nom="BERNARD", prenom="Sophie", telephone_portable=mobile, email=""
    )
    paul = builder.responsable(
        responsable_id="R12", civilite="M.", nom="Bernard", prenom="Paul", telephone_portable=mobile
    )
    builder.link(kids[0], sophie)
    builder.link(kids[1], sophie_bis)
    builder.link(kids[0], paul, lien="pere")
    builder.link(kids[1], paul, lien="pere")
    report = import_snapshot(db_session, builder.write(tmp_path / "snapshot"))
    assert report.imported_anything
    return {s.uai: s for s in db_session.scalars(select(School))}


@pytest.fixture
def director(academie, make_user, login_as):
    return login_as(make_user("directeur", schools=[academie[ECOLE]]))


def counts(page: str) -> dict[str, int]:
    return {
        code: int(value)
        for code, value in re.findall(r'<strong data-count="([a-z_]+)">(\d+)</strong>', page)
    }


def rows(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-category="([a-z_]+)" data-ident="([^"]+)">', page)


def last_audit(db_session) -> AuditEntry:
    return db_session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))


# --------------------------------------------------------------------------- directors


def test_director_sees_the_accounts_to_watch_of_their_school(client, db_session, director):
    response = client.get("/demandes/comptes")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert counts(page) == {
        "sans_mobile": 2,  # Marc (a landline in the mobile column), Thi (no number)
        "doublons": 2,  # Sophie twice here; Céline, recorded again at the collège
        "notification_expiree": 0,  # Céline's expired account is the collège's record's
        "courriel_non_confirme": 1,  # Marc
        "eleve_non_eligible": 4,  # Zoé and the three pupils without a class
    }
    assert ("sans_mobile", "R2") in rows(page) and ("sans_mobile", "R4") in rows(page)
    assert ("doublons", "R1 / R3") in rows(page) and ("doublons", "R10 / R11") in rows(page)
    assert "R12" not in page  # the father shares her mobile but is somebody else
    text = html.unescape(page)
    assert "04 ** ** ** 56" in text  # contact data is masked
    assert "Sans INE, sans classe, admission provisoire" in text
    entry = last_audit(db_session)
    assert (entry.user_id, entry.action, entry.subject, entry.object_ref) == (
        director.id,
        "view",
        "comptes_a_surveiller",
        ECOLE,
    )
    assert "9 ligne(s)" in entry.detail


def test_navigation_links_directors_to_their_pages(client, director):
    page = client.get("/demandes").get_data(as_text=True)
    assert 'href="/demandes/comptes"' in page and 'href="/demandes/statistiques"' in page


def test_filter_by_category_with_htmx(client, director):
    response = client.get("/demandes/comptes?categorie=sans_mobile", headers=HTMX)
    page = response.get_data(as_text=True)
    assert "<html" not in page
    assert {category for category, _ in rows(page)} == {"sans_mobile"}
    assert "Saisir le mobile du responsable" in page


def test_pagination(client, director, monkeypatch):
    from helpdesk.watch import routes as watch_routes

    monkeypatch.setattr(watch_routes, "PAGE_SIZE", 3)
    first = client.get("/demandes/comptes?categorie=eleve_non_eligible").get_data(as_text=True)
    second = client.get("/demandes/comptes?categorie=eleve_non_eligible&page=2")
    second = second.get_data(as_text=True)
    assert len(rows(first)) == 3 and len(rows(second)) == 1
    assert not {i for _, i in rows(first)} & {i for _, i in rows(second)}
    assert "page 2 sur 2" in second


@pytest.mark.parametrize(
    "path",
    [
        f"/demandes/comptes?ecole={COLLEGE}",
        f"/demandes/comptes/export?ecole={COLLEGE}",
        f"/demandes/statistiques?ecole={COLLEGE}",
        "/demandes/comptes?ecole=9999999Z",
        f"/ecoles/{COLLEGE}/comptes",
        f"/ecoles/{ECOLE}/comptes",
        f"/ecoles/{COLLEGE}/comptes/export",
        f"/ecoles/{COLLEGE}/statistiques",
        "/ecoles",
    ],
)
def test_directors_never_see_another_schools_accounts(client, db_session, director, path):
    before = db_session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
    response = client.get(path)
    assert response.status_code == 404
    assert "Dupont" not in response.get_data(as_text=True)
    assert db_session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc())) == before


def test_director_with_two_schools_picks_one(client, academie, make_user, login_as):
    login_as(make_user("directeur", schools=[academie[ECOLE], academie[COLLEGE]]))
    page = client.get(f"/demandes/comptes?ecole={COLLEGE.lower()}").get_data(as_text=True)
    assert counts(page)["notification_expiree"] == 1
    assert ("notification_expiree", "C2") in rows(page)
    assert f'<option value="{COLLEGE}" selected>' in page


# --------------------------------------------------------------------------- export


def test_csv_export_for_excel_is_audited(client, db_session, director):
    response = client.get("/demandes/comptes/export?categorie=sans_mobile")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f"comptes-a-surveiller-{ECOLE}-sans_mobile.csv" in response.headers["Content-Disposition"]
    )
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == [
        "Catégorie",
        "Identifiant",
        "Nom",
        "Profil",
        "Enfants ou classe",
        "Détail",
        "Date",
    ]
    assert sorted((line[1], line[2]) for line in lines[1:]) == [
        ("R2", "Marc Dupont"),
        ("R4", "Thi Nguyen"),
    ]
    assert all(line[0] == "Responsables sans téléphone mobile" for line in lines[1:])
    entry = last_audit(db_session)
    assert (entry.user_id, entry.action, entry.object_ref) == (director.id, "export", ECOLE)
    assert "2 ligne(s)" in entry.detail


def test_csv_cells_cannot_run_as_formulas(db_session, tmp_path):
    from helpdesk.watch.export import watch_csv
    from helpdesk.watch.items import SchoolWatch, WatchItem

    watch = SchoolWatch(
        ECOLE, None, {"sans_mobile": [WatchItem("sans_mobile", "R9", "=HYPERLINK(1)")]}
    )
    assert ";'=HYPERLINK(1);" in watch_csv(watch)


# --------------------------------------------------------------------------- agents


def test_agent_sees_any_school(client, db_session, academie, make_user, login_as):
    agent = login_as(make_user("agent"))
    page = client.get(f"/ecoles/{COLLEGE}/comptes").get_data(as_text=True)
    assert counts(page) == {
        "sans_mobile": 1,
        "doublons": 1,
        "notification_expiree": 1,
        "courriel_non_confirme": 1,
        "eleve_non_eligible": 0,
    }
    assert ("notification_expiree", "C2") in rows(page)
    assert last_audit(db_session).user_id == agent.id
    assert client.get("/ecoles/0000000A/comptes").status_code == 404


def test_agent_finds_a_school(client, academie, make_user, login_as):
    login_as(make_user("agent"))
    page = client.get("/ecoles?q=lentilleres").get_data(as_text=True)
    assert f'href="/ecoles/{COLLEGE}/comptes"' in page
    response = client.get(f"/ecoles?q={ECOLE}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ecoles/{ECOLE}/comptes")


# --------------------------------------------------------------------------- statistics


def test_activation_statistics_with_a_chart(client, academie, make_user, login_as):
    login_as(make_user("agent"))
    response = client.get(f"/ecoles/{COLLEGE}/statistiques")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    responsables = re.search(r'<section[^>]*data-profile="responsable".*?</section>', page, re.S)
    section = responsables.group(0)
    # R2 (C3, en cours d'activation) and R3 (C2, notifié non activé): none activated
    assert "<strong data-activated-share>0 %</strong>" in section
    assert '<tr data-code="notifie_non_active"><td>Notifié, non activé</td><td>1</td>' in section
    assert '<tr data-code="etablissement"><td>' in section
    assert "<svg" in section and 'role="img"' in section
    pupils = re.search(r'<section[^>]*data-profile="eleve".*?</section>', page, re.S).group(0)
    assert "<strong data-activated-share>100 %</strong>" in pupils
    # the chart needs no script nor style attribute (strict CSP)
    assert " style=" not in page and "<script>" not in page


def test_director_statistics_are_those_of_their_school(client, director):
    page = client.get("/demandes/statistiques").get_data(as_text=True)
    assert f"({ECOLE})" in page
    section = re.search(r'<section[^>]*data-profile="responsable".*?</section>', page, re.S)
    assert "<strong data-activated-share>50 %</strong>" in section.group(0)


# --------------------------------------------------------------------------- cost


@pytest.fixture
def statements(engine):
    """The SQL statements (with their parameters) run inside a `with` block."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def _capture():
        seen: list[tuple[str, object]] = []

        def _before(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", _before)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", _before)

    return _capture


def test_page_reads_through_indexes_in_a_fixed_number_of_queries(
    client, db_session, academie, make_user, login_as, statements
):
    login_as(make_user("agent"))
    with statements() as small:
        assert client.get(f"/ecoles/{COLLEGE}/comptes").status_code == 200
    with statements() as large:
        assert client.get(f"/ecoles/{ECOLE}/comptes").status_code == 200
    assert len(small) == len(large) <= 20
    if db_session.bind.dialect.name != "sqlite":
        return
    full_scans, checked = [], 0
    for statement, parameters in large:
        if not re.search(r"\bFROM (pupil|pupil_link|responsable|account)\b", statement):
            continue
        checked += 1
        plan = db_session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters
        )
        full_scans += [row[-1] for row in plan if row[-1].startswith("SCAN")]
    assert checked >= 6 and full_scans == []
