"""/rapports through HTTP: who may see the reports, the filters, the CSV export, query counts."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.reports.services import REPORTS

SLUGS = list(REPORTS)


def _recent(hours: int) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


@pytest.mark.parametrize("path", ["/rapports", "/rapports/delais", "/rapports/volume/export.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    ["/rapports", "/rapports/agents", "/rapports/stock/export.csv", "/rapports/ecoles?ecole=ecole"],
)
def test_directors_get_no_report(client, login_as, make_user, make_school, path):
    login_as(make_user("directeur", schools=[make_school()]))
    response = client.get(path)
    assert response.status_code == 404
    assert "Page non trouvée" in response.get_data(as_text=True)


def test_data_protection_officer_is_refused(client, login_as, make_user):
    login_as(make_user("dpd"))
    assert client.get("/rapports").status_code == 403
    assert client.get("/rapports/satisfaction/export.csv").status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_agent_sees_each_report_with_chart_and_table(
    client, login_as, make_user, make_ticket, slug
):
    agent = login_as(make_user("agent"))
    ticket = make_ticket(created_at=_recent(5))
    ticket.assignee_id = agent.id
    response = client.get(f"/rapports/{slug}")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert 'id="rapport-titre"' in page
    assert "<table>" in page
    assert f'href="/rapports/{slug}/export.csv?du=' in page
    assert 'aria-current="page">' + REPORTS[slug][0] in page


def test_admin_sees_the_reports(client, login_as, make_user, make_ticket):
    login_as(make_user("admin"))
    make_ticket(created_at=_recent(2))
    page = client.get("/rapports").get_data(as_text=True)
    assert "Volume des demandes" in page
    assert "<svg" in page and 'role="img"' in page


def test_unknown_report_is_a_404(client, login_as, make_user):
    login_as(make_user("agent"))
    response = client.get("/rapports/inconnu")
    assert response.status_code == 404
    assert client.get("/rapports/inconnu/export.csv").status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ("du=2026-13-45", "La date « du » doit s'écrire AAAA-MM-JJ"),
        ("au=hier", "La date « au » doit s'écrire AAAA-MM-JJ"),
        ("du=0001-01-01", "La date « du » doit être comprise entre"),
        ("ecole=%00", "caractère interdit"),
    ],
)
def test_unreadable_filters_get_a_french_400(client, login_as, make_user, query, message):
    login_as(make_user("agent"))
    for path in ("/rapports/volume", "/rapports/delais/export.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "query, message",
    [
        ("du=2026-05-02&au=2026-05-01", "La date de début doit précéder la date de fin."),
        ("du=2020-01-01&au=2026-01-01", "La période ne peut pas dépasser trois ans."),
        ("ecole=zzzqqq", "Aucune école ne correspond à « zzzqqq »."),
    ],
)
def test_filters_that_cannot_apply_get_a_french_422(client, login_as, make_user, query, message):
    login_as(make_user("agent"))
    response = client.get(f"/rapports/volume?{query}")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert 'id="rapport-titre"' not in page
    export = client.get(f"/rapports/volume/export.csv?{query}")
    assert export.status_code == 422
    assert message in export.get_data(as_text=True)


def test_school_filter_by_uai_name_or_choice(client, login_as, make_user, make_school, make_ticket):
    login_as(make_user("agent"))
    tilleuls = make_school(name="École élémentaire des Tilleuls", commune="Beaune")
    make_school(name="École maternelle des Tilleuls", commune="Auxonne")
    chenes = make_school(name="Collège des Chênes", commune="Dole")
    for _ in range(2):
        make_ticket(school_id=tilleuls.id, created_at=_recent(3))
    make_ticket(school_id=chenes.id, created_at=_recent(3))

    by_uai = client.get(f"/rapports/volume?ecole={tilleuls.uai.lower()}")
    assert by_uai.status_code == 200
    page = by_uai.get_data(as_text=True)
    assert f"{tilleuls.name} ({tilleuls.uai}), demandes reçues" in page
    assert '<th scope="row">Total</th><td>2</td>' in page

    by_name = client.get("/rapports/volume?ecole=chenes dole")
    assert by_name.status_code == 200
    assert '<th scope="row">Total</th><td>1</td>' in by_name.get_data(as_text=True)

    several = client.get("/rapports/volume?ecole=tilleuls")
    assert several.status_code == 422
    page = several.get_data(as_text=True)
    assert "Plusieurs écoles correspondent" in page
    assert f"ecole={tilleuls.uai}" in page

    suggestions = client.get("/rapports/ecoles?ecole=tilleuls&rapport=delais&du=2026-01-01")
    assert suggestions.status_code == 200
    fragment = suggestions.get_data(as_text=True)
    assert f"/rapports/delais?ecole={tilleuls.uai}&amp;du=2026-01-01" in fragment
    assert "Auxonne" in fragment
    none = client.get("/rapports/ecoles?ecole=zzzqqq").get_data(as_text=True)
    assert "Aucune école ne correspond" in none


@pytest.mark.parametrize("slug", SLUGS)
def test_each_report_exports_as_csv(client, login_as, make_user, make_ticket, slug):
    agent = login_as(make_user("agent"))
    ticket = make_ticket(created_at=_recent(4))
    ticket.assignee_id = agent.id
    response = client.get(f"/rapports/{slug}/export.csv?du=2026-01-01&au=2026-01-31")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        f'filename="rapport-{slug}-2026-01-01-2026-01-31.csv"'
        in response.headers["Content-Disposition"]
    )
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    first = text[1:].split("\r\n")[0].split(";")
    assert first[1:] == ["du 1 janv. 2026 au 31 janv. 2026", "Toutes les écoles"]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_report_runs_a_bounded_number_of_queries(
    client, login_as, make_user, make_school, make_ticket, count_queries, slug
):
    agents = [make_user("agent") for _ in range(3)]
    login_as(agents[0])
    make_ticket(school_id=make_school().id, created_at=_recent(6))
    client.get(f"/rapports/{slug}")  # the first page of a process reads what it keeps
    with count_queries() as few:
        assert client.get(f"/rapports/{slug}").status_code == 200
    for n in range(25):
        ticket = make_ticket(
            school_id=make_school().id,
            created_at=_recent(n * 20),
            motif="enfant_manquant" if n % 2 else "activation_sms",
            priority="haute" if n % 3 else "normale",
        )
        ticket.assignee_id = agents[n % 3].id
    with count_queries() as many:
        assert client.get(f"/rapports/{slug}").status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 12


def test_csv_holds_the_figures_of_the_page(client, login_as, make_user, make_school, make_ticket):
    login_as(make_user("agent"))
    school = make_school()
    for motif in ("activation_sms", "activation_sms", "enfant_manquant"):
        make_ticket(school_id=school.id, motif=motif, created_at=_recent(3))
    make_ticket(school_id=make_school().id, created_at=_recent(3))
    response = client.get(f"/rapports/volume/export.csv?ecole={school.uai}")
    assert response.status_code == 200
    lines = response.get_data().decode("utf-8").split("\r\n")
    assert lines[0].endswith(f";{school.name} ({school.uai})")
    start = lines.index("Demandes par motif")
    assert lines[start + 1] == "Motif;Demandes;Part"
    assert lines[start + 2].endswith(";2;66,7 %")
    assert lines[start + 3].endswith(";1;33,3 %")
    assert "Les 15 écoles qui écrivent le plus" not in lines
