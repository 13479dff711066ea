"""Every page of personal data through HTTP, each with a refusal beside it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from helpdesk.audit.models import AuditEntry
from helpdesk.core.db import utcnow
from helpdesk.privacy import requests as rgpd
from helpdesk.privacy.models import RetentionRun, RgpdRequest
from helpdesk.tickets import services
from helpdesk.tickets.models import Ticket

EMAIL = "hortense.routes@example.org"


@pytest.fixture
def parent_ticket(make_ticket):
    return make_ticket(requester_name="Hortense Routes", requester_email=EMAIL)


@pytest.fixture
def rgpd_ticket(make_ticket):
    return make_ticket(
        subject="Effacement de mes données",
        body="Bonjour, je vous demande d'effacer mes données.",
        requester_name="Irène Effacement",
        requester_email="irene.effacement@example.org",
        motif="rgpd_droits",
        nature="RGPD",
        type_demande="demande_conseil",
    )


# --- retention ---------------------------------------------------------------------------


def test_the_retention_screen_shows_rules_and_due_counts(client, login_as, make_user):
    login_as(make_user("admin"))
    page = client.get("/admin/conservation")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Demandes closes" in html and "365 jours" in html


def test_the_retention_screen_is_for_admins_only(client, login_as, make_user):
    login_as(make_user("agent"))
    assert client.get("/admin/conservation").status_code == 403
    assert client.post("/admin/conservation/appliquer").status_code == 403


def test_an_admin_applies_the_rules_and_the_run_is_journaled(
    client, db_session, ctx, login_as, make_user, parent_ticket
):
    admin = login_as(make_user("admin"))
    services.change_status(db_session, ctx, parent_ticket, None, "clos")
    parent_ticket.closed_at = utcnow() - timedelta(days=400)
    db_session.flush()

    response = client.post("/admin/conservation/appliquer")

    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Ticket, parent_ticket.id).requester_email is None
    run = db_session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc())).first()
    assert run.started_by == admin.email and run.counts["tickets"] >= 1
    assert admin.email in client.get("/admin/conservation").get_data(as_text=True)


# --- a person's data ---------------------------------------------------------------------


def test_an_admin_finds_a_person_and_reads_a_summary(client, login_as, make_user, parent_ticket):
    login_as(make_user("admin"))
    assert client.get("/admin/personnes").status_code == 200
    page = client.get("/admin/personnes", query_string={"q": EMAIL})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert parent_ticket.reference in html and "Hortense Routes" in html


def test_an_unknown_person_is_a_404_and_a_bad_identifier_a_400(client, login_as, make_user):
    login_as(make_user("admin"))
    assert (
        client.get("/admin/personnes", query_string={"q": "nobody@example.org"}).status_code == 404
    )
    bad = client.get("/admin/personnes", query_string={"q": "pas un identifiant"})
    assert bad.status_code == 400 and "adresse électronique" in bad.get_data(as_text=True)
    assert client.get("/admin/personnes", query_string={"q": ""}).status_code == 400


def test_a_person_export_is_a_json_file_and_is_journaled(
    client, db_session, login_as, make_user, parent_ticket
):
    login_as(make_user("admin"))
    response = client.get("/admin/personnes/export", query_string={"q": EMAIL})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert [d["reference"] for d in data["demandes"]] == [parent_ticket.reference]
    entry = db_session.scalars(
        select(AuditEntry).where(AuditEntry.subject == "personne", AuditEntry.action == "export")
    ).first()
    assert entry is not None and EMAIL not in (entry.detail or "")


def test_a_person_export_refuses_unknown_and_non_admins(client, login_as, make_user):
    login_as(make_user("admin"))
    query = {"q": "nobody@example.org"}
    assert client.get("/admin/personnes/export", query_string=query).status_code == 404
    assert client.get("/admin/personnes/export", query_string={"q": "x"}).status_code == 400
    login_as(make_user("agent"))
    assert client.get("/admin/personnes/export", query_string={"q": EMAIL}).status_code == 403
    assert client.get("/admin/personnes", query_string={"q": EMAIL}).status_code == 403


def test_erasure_asks_for_confirmation(client, db_session, login_as, make_user, parent_ticket):
    login_as(make_user("admin"))
    response = client.post("/admin/personnes/effacer", data={"q": EMAIL})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Ticket, parent_ticket.id).requester_email == EMAIL


def test_a_confirmed_erasure_anonymises_and_leaves_an_anonymous_journal_line(
    client, db_session, login_as, make_user, parent_ticket
):
    admin = login_as(make_user("admin"))
    response = client.post("/admin/personnes/effacer", data={"q": EMAIL, "confirm": "y"})
    assert response.status_code == 302
    db_session.expire_all()
    ticket = db_session.get(Ticket, parent_ticket.id)
    assert ticket.requester_email is None and ticket.anonymised_at is not None
    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).first()
    assert "Hortense" not in entry.detail and EMAIL not in entry.detail
    assert entry.user_id == admin.id
    again = client.post("/admin/personnes/effacer", data={"q": EMAIL, "confirm": "y"})
    assert again.status_code == 404


def test_erasure_is_for_admins_only(client, db_session, login_as, make_user, parent_ticket):
    login_as(make_user("agent"))
    refused = client.post("/admin/personnes/effacer", data={"q": EMAIL, "confirm": "y"})
    assert refused.status_code == 403
    db_session.expire_all()
    assert db_session.get(Ticket, parent_ticket.id).requester_email == EMAIL


# --- RGPD requests -----------------------------------------------------------------------


def test_the_case_page_shows_the_legal_deadline(client, login_as, make_user, rgpd_ticket):
    login_as(make_user("agent"))
    page = client.get(f"/tickets/{rgpd_ticket.reference}/rgpd")
    assert page.status_code == 200
    assert "Réponse légale attendue avant le" in page.get_data(as_text=True)
    queue = client.get("/tickets", query_string={"motif": "rgpd_droits"})
    assert "Réponse légale avant le" in queue.get_data(as_text=True)


def test_the_case_page_is_for_staff_only(client, login_as, make_user, make_school, rgpd_ticket):
    login_as(make_user("directeur", schools=[make_school()]))
    assert client.get(f"/tickets/{rgpd_ticket.reference}/rgpd").status_code == 404
    login_as(make_user("agent"))
    assert client.get("/tickets/2000-999999/rgpd").status_code == 404


def test_an_agent_opens_and_instructs_the_request(
    client, db_session, login_as, make_user, rgpd_ticket
):
    login_as(make_user("agent"))
    dpd = make_user("dpd", display_name="Dominique DPD")
    base = f"/tickets/{rgpd_ticket.reference}/rgpd"

    opened = client.post(
        f"{base}/ouvrir", data={"open-right": "effacement", "open-received_on": "2026-01-31"}
    )
    assert opened.status_code == 302
    request = db_session.scalars(
        select(RgpdRequest).where(RgpdRequest.ticket_id == rgpd_ticket.id)
    ).one()
    assert request.due_at.date().isoformat() == "2026-02-28"

    assert (
        client.post(f"{base}/identite", data={"identity-identity_state": "demandee"}).status_code
        == 302
    )
    handed = client.post(
        f"{base}/transmettre", data={"handoff-dpd": str(dpd.id), "handoff-summary": "Tout"}
    )
    assert handed.status_code == 302
    db_session.expire_all()
    request = db_session.get(RgpdRequest, request.id)
    assert request.identity_state == "demandee" and request.dpd_id == dpd.id
    page = client.get(base).get_data(as_text=True)
    assert "Dominique DPD" in page and "ne sera pas close automatiquement" in page


def test_refused_case_actions_answer_400_and_change_nothing(
    client, db_session, login_as, make_user, rgpd_ticket, make_ticket
):
    agent = login_as(make_user("agent"))
    base = f"/tickets/{rgpd_ticket.reference}/rgpd"
    assert (
        client.post(f"{base}/identite", data={"identity-identity_state": "verifiee"}).status_code
        == 400
    )
    assert client.post(f"{base}/ouvrir", data={"open-right": "inconnu"}).status_code == 400
    other = make_ticket()
    assert (
        client.post(
            f"/tickets/{other.reference}/rgpd/ouvrir", data={"open-right": "acces"}
        ).status_code
        == 400
    )
    rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)
    db_session.flush()
    assert client.post(f"{base}/prolonger", data={"extend-notice": "court"}).status_code == 400
    assert (
        client.post(
            f"{base}/transmettre",
            data={"handoff-dpd": str(agent.id), "handoff-summary": "Tout"},
        ).status_code
        == 400
    )
    db_session.expire_all()
    request = db_session.scalars(
        select(RgpdRequest).where(RgpdRequest.ticket_id == rgpd_ticket.id)
    ).one()
    assert request.extended_at is None and request.dpd_id is None


def test_an_extension_through_the_page_tells_the_person(
    client, db_session, login_as, make_user, rgpd_ticket
):
    agent = login_as(make_user("agent"))
    rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)
    notice = "Votre demande est complexe : nous vous répondrons dans les deux mois qui viennent."
    response = client.post(
        f"/tickets/{rgpd_ticket.reference}/rgpd/prolonger", data={"extend-notice": notice}
    )
    assert response.status_code == 302
    page = client.get(f"/tickets/{rgpd_ticket.reference}").get_data(as_text=True)
    assert "nous vous répondrons dans les deux mois" in page


def test_the_register_for_staff_and_for_the_dpd_it_was_handed_to(
    client, db_session, ctx, login_as, make_user, rgpd_ticket
):
    agent, dpd = make_user("agent"), make_user("dpd")
    request = rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)
    rgpd.hand_to_dpd(db_session, ctx, rgpd_ticket, request, agent, dpd, "Copie des échanges")
    login_as(agent)
    page = client.get("/rgpd/registre", query_string={"droit": "acces"})
    assert page.status_code == 200 and rgpd_ticket.reference in page.get_data(as_text=True)
    assert db_session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.subject == "registre_rgpd", AuditEntry.user_id == agent.id
        )
    )
    csv_file = client.get("/rgpd/registre.csv")
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
    assert rgpd_ticket.reference in csv_file.get_data(as_text=True)

    login_as(dpd)
    assert client.get("/").headers["Location"].endswith("/rgpd/registre")
    assert rgpd_ticket.reference in client.get("/rgpd/registre").get_data(as_text=True)
    assert client.get(f"/tickets/{rgpd_ticket.reference}").status_code in (403, 404)
    answered = client.post(f"/rgpd/{request.id}/reponse", data={"answer": "Envoyée le 3."})
    assert answered.status_code == 302
    db_session.expire_all()
    assert db_session.get(RgpdRequest, request.id).answer == "Envoyée le 3."


def test_the_register_refuses_directors_other_dpds_and_empty_answers(
    client, db_session, ctx, login_as, make_user, make_school, rgpd_ticket
):
    agent = make_user("agent")
    request = rgpd.open_request(db_session, rgpd_ticket, agent, "acces", None)
    rgpd.hand_to_dpd(db_session, ctx, rgpd_ticket, request, agent, make_user("dpd"), "Copie")
    login_as(make_user("directeur", schools=[make_school()]))
    assert client.get("/rgpd/registre").status_code == 404
    assert client.get("/rgpd/registre.csv").status_code == 404
    login_as(make_user("dpd"))
    assert rgpd_ticket.reference not in client.get("/rgpd/registre").get_data(as_text=True)
    assert client.post(f"/rgpd/{request.id}/reponse", data={"answer": "x"}).status_code == 404
    login_as(agent)
    assert client.post(f"/rgpd/{request.id}/reponse", data={"answer": ""}).status_code == 303
    db_session.expire_all()
    assert db_session.get(RgpdRequest, request.id).answered_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/rgpd/registre", "/admin/personnes", "/admin/conservation"):
        response = client.get(url)
        assert response.status_code in (302, 401)


# --- the privacy page --------------------------------------------------------------------


def test_the_privacy_page_states_the_configured_periods(app, client):
    saved = app.config["RETENTION_DAYS"]
    try:
        app.config["RETENTION_DAYS"] = {**saved, "tickets": 730, "inbound_mail": 45}
        html = client.get("/donnees-personnelles").get_data(as_text=True)
        assert "conservés 2 ans après la clôture de la demande" in html
        assert "45 jours après leur réception" in html
        app.config["RETENTION_DAYS"] = {**saved, "tickets": 0}
        html = client.get("/donnees-personnelles").get_data(as_text=True)
        assert "jusqu’à ce que vous en demandiez l’effacement" in html
    finally:
        app.config["RETENTION_DAYS"] = saved
    html = client.get("/donnees-personnelles").get_data(as_text=True)
    assert "conservés un an après la clôture de la demande, puis supprimés" in html
