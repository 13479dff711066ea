"""The Diagnostic panel of the agents' ticket page, and the diagnosis of requests on arrival."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from helpdesk.academie.settings import load as load_academie
from helpdesk.audit.models import AuditEntry
from helpdesk.diagnostics.codes import CODE_LABELS
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.schools.models import School
from helpdesk.tickets.models import Ticket, TicketEvent

HTMX = {"HX-Request": "true"}
GIVEN_PHONE = "06 12 34 65 78"  # the base holds 06 12 34 56 78: two digits swapped
BASE_PHONE_CLEAR = "06 12 34 56 78"


@pytest.fixture
def family(account_data, db_session):
    """Céline Dupont, mother of Léa (CM1) at an école élémentaire, mobile 06 12 34 56 78."""
    uai = account_data.school(type="elementaire", nom="École élémentaire Jean Macé")
    account_data.default_school = uai
    parent, kids, account = account_data.family(
        nom="Dupont",
        prenom="Céline",
        children=(("Léa", date(2015, 3, 2)),),
        etat="non_notifie",
        telephone_portable=BASE_PHONE_CLEAR,
        email="celine.dupont@example.fr",
    )
    school = db_session.scalar(select(School).where(School.uai == uai))
    return school, parent, kids[0], account


@pytest.fixture
def sms_ticket(family, make_ticket):
    school, *_ = family
    return make_ticket(
        subject="Je ne reçois pas le code SMS",
        body="Bonjour, je ne reçois pas le code SMS pour activer mon compte EduConnect.",
        requester_name="Céline Dupont",
        requester_email="celine.dupont@example.fr",
        requester_phone=GIVEN_PHONE,
        child_name="Léa",
        school_id=school.id,
        motif="activation_sms",
    )


def panel(client, ticket, **params):
    response = client.get(
        f"/tickets/{ticket.reference}/diagnostic", query_string=params, headers=HTMX
    )
    return response, response.get_data(as_text=True)


def contact_data(school) -> dict[str, str]:
    return {
        "requester_kind": "parent",
        "last_name": "Dupont",
        "first_name": "Céline",
        "email": "celine.dupont@example.fr",
        "phone": GIVEN_PHONE,
        "child_first_name": "Léa",
        "school_id": str(school.id),
        "subject": "Je ne reçois pas le code SMS",
        "message": "Bonjour, le code SMS n'arrive jamais quand je crée mon compte.",
    }


def audit_entries(db_session, subject: str) -> list[AuditEntry]:
    return list(
        db_session.scalars(
            select(AuditEntry).where(AuditEntry.subject == subject).order_by(AuditEntry.id)
        )
    )


# --------------------------------------------------------------------------- arrival


def test_request_is_diagnosed_on_arrival(sms_ticket, db_session):
    assert sms_ticket.diagnosis_summary.startswith(CODE_LABELS["phone_mismatch"])
    stored = db_session.scalar(
        select(TicketDiagnosis).where(TicketDiagnosis.ticket_id == sms_ticket.id)
    )
    assert stored.request["requester"]["telephone"] == GIVEN_PHONE
    assert stored.request["enfants"] == [{"nom": None, "prenom": "Léa", "date_naissance": None}]
    assert stored.result["findings"][0]["code"] == "phone_mismatch"
    # the stored evidence is masked
    assert BASE_PHONE_CLEAR not in str(stored.result)
    events = db_session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == sms_ticket.id)
    ).all()
    assert [e.kind for e in events] == ["created", "diagnosis"]
    assert events[1].new_value == sms_ticket.diagnosis_summary


def test_queue_shows_the_first_finding(client, login_as, make_user, sms_ticket):
    login_as(make_user("agent"))
    page = client.get("/tickets").get_data(as_text=True)
    assert html.escape(CODE_LABELS["phone_mismatch"], quote=True) in page


def test_contact_form_request_is_diagnosed(client, db_session, family):
    school, *_ = family
    assert client.post("/contact", data=contact_data(school)).status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    assert ticket.diagnosis_summary.startswith(CODE_LABELS["phone_mismatch"])


def test_director_request_is_diagnosed_on_the_person_concerned(
    client, db_session, login_as, make_user, family
):
    school, *_ = family
    login_as(make_user("directeur", schools=[school]))
    data = {
        "school": str(school.id),
        "subject": "Une maman ne trouve pas sa fille sur son compte",
        "description": "Mme Dupont ne voit pas Léa sur son compte EduConnect.",
        "concerned": "Mme Céline Dupont (maman de Léa)",
        "type_demande": "demande_logicielle",
        "nature": "EDUCONNECT",
    }
    assert client.post("/demandes/nouvelle", data=data).status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    stored = db_session.scalar(
        select(TicketDiagnosis).where(TicketDiagnosis.ticket_id == ticket.id)
    )
    assert stored.request["requester"]["nom"] == "Céline Dupont"
    assert stored.result["matched"]["responsable_ids"] == [family[1].responsable_id]
    assert ticket.diagnosis_summary


def test_email_request_is_diagnosed(db_session, ctx, family, monkeypatch):
    from email.message import EmailMessage

    from helpdesk.classify.model import Prediction
    from helpdesk.mail.inbound.ingest import ingest_message

    monkeypatch.setattr(
        ctx,
        "classifier",
        lambda subject, body: Prediction("demande_logicielle", "EDUCONNECT", "activation_sms", 0.9),
    )
    msg = EmailMessage()
    msg["From"] = "Céline Dupont <celine.dupont@example.fr>"
    msg["To"] = "assistance@ac-demo.fr"
    msg["Subject"] = "Code SMS"
    msg["Message-ID"] = "<diagnostic-sms@example.org>"
    msg.set_content(f"Bonjour, le code SMS n'arrive pas sur mon portable {GIVEN_PHONE}.")
    result = ingest_message(db_session, ctx, msg.as_bytes())
    ticket = db_session.get(Ticket, result.ticket_id)
    assert ticket.channel == "email"
    assert ticket.diagnosis_summary.startswith(CODE_LABELS["phone_mismatch"])


def test_mobile_written_in_the_message_is_used(family, make_ticket):
    school, *_ = family
    ticket = make_ticket(
        requester_name="Céline Dupont",
        requester_phone=None,
        body=f"Bonjour, mon numéro est le {GIVEN_PHONE} et le code n'arrive pas.",
        school_id=school.id,
    )
    assert ticket.diagnosis_summary.startswith(CODE_LABELS["phone_mismatch"])


def test_no_account_base_no_diagnosis(make_ticket, db_session):
    ticket = make_ticket(requester_phone=GIVEN_PHONE)
    assert ticket.id is not None
    assert ticket.diagnosis_summary is None
    assert db_session.scalar(select(TicketDiagnosis)) is None


def test_a_failing_diagnosis_never_blocks_the_request(family, make_ticket, monkeypatch):
    import helpdesk.diagnostics.tickets as tickets

    def broken(*args, **kwargs):
        raise RuntimeError("matching down")

    monkeypatch.setattr(tickets, "find_person", broken)
    ticket = make_ticket(requester_name="Céline Dupont", requester_phone=GIVEN_PHONE)
    assert ticket.id is not None and ticket.reference
    assert ticket.diagnosis_summary is None


def test_other_natures_are_not_diagnosed(family, make_ticket):
    ticket = make_ticket(requester_name="Céline Dupont", motif="lsu_bilan_invisible")
    assert ticket.diagnosis_summary is None


# --------------------------------------------------------------------------- in the background


@pytest.fixture
def in_background(ctx, monkeypatch):
    """The production web server's setting: new tickets wait for their diagnosis."""
    monkeypatch.setattr(ctx, "diagnose_in_background", True)


def test_contact_form_leaves_the_diagnosis_to_the_worker(client, db_session, family, in_background):
    from helpdesk.diagnostics.tickets import diagnose_due

    school, *_ = family
    assert client.post("/contact", data=contact_data(school)).status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    assert ticket.diagnosis_due_at is not None and ticket.diagnosis_summary is None
    assert db_session.scalar(select(TicketDiagnosis)) is None
    assert diagnose_due(db_session) == 1
    assert ticket.diagnosis_summary.startswith(CODE_LABELS["phone_mismatch"])
    assert ticket.diagnosis_due_at is None
    events = db_session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id))
    assert [e.kind for e in events] == ["created", "diagnosis"]
    # nothing waits any more: a second pass diagnoses nothing
    assert diagnose_due(db_session) == 0


def test_first_agent_who_opens_the_panel_keeps_the_diagnosis(
    client, db_session, login_as, make_user, family, in_background
):
    school, *_ = family
    assert client.post("/contact", data=contact_data(school)).status_code == 302
    ticket = db_session.scalar(select(Ticket).order_by(Ticket.id.desc()))
    login_as(make_user("agent"))
    response, page = panel(client, ticket)
    assert response.status_code == 200 and 'data-code="phone_mismatch"' in page
    db_session.refresh(ticket)
    assert ticket.diagnosis_due_at is None
    assert ticket.diagnosis_summary.startswith(CODE_LABELS["phone_mismatch"])
    # a second opening diagnoses on the spot as before, without a new line of history
    panel(client, ticket)
    kinds = db_session.scalars(
        select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)
    ).all()
    assert kinds == ["created", "diagnosis"]


def test_requests_of_other_natures_do_not_wait_for_a_diagnosis(family, make_ticket, in_background):
    ticket = make_ticket(requester_name="Céline Dupont", motif="lsu_bilan_invisible")
    assert ticket.diagnosis_due_at is None and ticket.diagnosis_summary is None


def test_a_failing_background_diagnosis_is_not_retried_forever(
    db_session, family, make_ticket, monkeypatch, in_background
):
    import helpdesk.diagnostics.tickets as tickets

    ticket = make_ticket(requester_name="Céline Dupont", requester_phone=GIVEN_PHONE)
    assert ticket.diagnosis_due_at is not None

    def broken(*args, **kwargs):
        raise RuntimeError("matching down")

    monkeypatch.setattr(tickets, "find_person", broken)
    assert tickets.diagnose_due(db_session) == 1
    assert ticket.diagnosis_due_at is None and ticket.diagnosis_summary is None
    assert tickets.diagnose_due(db_session) == 0


# --------------------------------------------------------------------------- the panel


def test_ticket_page_loads_the_panel_with_htmx(client, login_as, make_user, sms_ticket):
    login_as(make_user("agent"))
    page = client.get(f"/tickets/{sms_ticket.reference}").get_data(as_text=True)
    loader = re.search(r'<div id="diagnostic-contenu"[^>]*>', page).group(0)
    assert f'hx-get="/tickets/{sms_ticket.reference}/diagnostic"' in loader
    assert 'hx-trigger="load"' in loader
    assert 'id="reply-body"' in page


def test_agent_sees_the_acceptance_story(client, db_session, login_as, make_user, sms_ticket):
    agent = login_as(make_user("agent"))
    sms_ticket.assignee_id = agent.id
    db_session.flush()
    response, page = panel(client, sms_ticket)
    assert response.status_code == 200
    finding = re.search(r'<article[^>]*data-code="phone_mismatch".*?</article>', page, re.S)
    assert finding, "phone_mismatch must be shown"
    text = html.unescape(finding.group(0))
    assert "Bloquant" in text and "Constat principal" in text
    assert "les 7e et 8e chiffres sont inversés" in text
    assert GIVEN_PHONE in text and BASE_PHONE_CLEAR in text
    # a slip: the parent types the number again, as the school recorded it
    assert "saisit à nouveau" in text and "ONDE" in text
    # one reply, built from the primary finding, that one click puts in the reply box
    button = re.search(r'<a [^>]*data-diagnostic-reply="phone_mismatch"[^>]*>', page)
    assert 'data-insert-into="reply-body"' in button.group(0)
    reply = html.unescape(re.search(r'data-insert-text="([^"]*)"', button.group(0)).group(1))
    assert reply.startswith("Bonjour,")
    assert "les 7e et 8e chiffres sont inversés" in reply
    assert "écrite pour un parent" in html.unescape(page)
    # the académie's own phone number, hours and name, from its settings
    assert "{" not in reply
    academie = load_academie(db_session)
    assert academie.telephone_assistance in reply and academie.horaires_assistance in reply
    # the person found, with the child
    assert 'data-responsable="' in page and "Léa Dupont" in html.unescape(page)


def test_reply_insertion_is_handled_by_app_js():
    from tests.plugins.database import ROOT

    script = (ROOT / "static" / "app.js").read_text(encoding="utf-8")
    assert "data-insert-into" in script and "data-insert-text" in script


def test_panel_is_masked_for_an_agent_who_does_not_handle_the_ticket(
    client, db_session, login_as, make_user, sms_ticket
):
    sms_ticket.assignee_id = make_user("agent").id
    db_session.flush()
    login_as(make_user("agent"))
    _, page = panel(client, sms_ticket)
    text = html.unescape(page)
    assert "Données masquées" in text
    assert "06 ** ** ** 78" in text
    # the account base's data is masked (the form below keeps what the requester wrote)
    found = text.split('<details class="app-diagnostic__correct')[0]
    assert BASE_PHONE_CLEAR not in found and "celine.dupont@example.fr" not in found
    assert "c***@example.fr" in found
    assert "C. D." in found and "**/**/2015" in found
    assert "Afficher les données en clair" in text
    entry = audit_entries(db_session, "diagnostic")[-1]
    assert entry.ticket_id == sms_ticket.id and entry.object_ref == sms_ticket.reference
    assert entry.detail.startswith("masqué")


def test_showing_clear_data_is_audited(client, db_session, login_as, make_user, sms_ticket):
    agent = login_as(make_user("agent"))
    _, page = panel(client, sms_ticket, clair=1)
    text = html.unescape(page)
    assert BASE_PHONE_CLEAR in text and "celine.dupont@example.fr" in text
    entry = audit_entries(db_session, "diagnostic")[-1]
    assert entry.user_id == agent.id and entry.action == "view"
    assert entry.detail.startswith("en clair")
    assert f"responsable_ids : {sms_ticket_responsable(db_session, sms_ticket)}" in entry.detail


def sms_ticket_responsable(db_session, ticket) -> str:
    stored = db_session.scalar(
        select(TicketDiagnosis).where(TicketDiagnosis.ticket_id == ticket.id)
    )
    return ", ".join(stored.result["matched"]["responsable_ids"])


def test_directors_never_reach_the_panel(client, login_as, make_user, sms_ticket, family):
    school, *_ = family
    login_as(make_user("directeur", schools=[school]))
    response, _ = panel(client, sms_ticket)
    assert response.status_code == 404


def test_panel_without_javascript_is_a_page(client, login_as, make_user, sms_ticket):
    login_as(make_user("agent"))
    response = client.get(f"/tickets/{sms_ticket.reference}/diagnostic")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in page and 'data-code="phone_mismatch"' in page


# --------------------------------------------------------------------------- fix steps


def test_ticking_a_step_is_recorded_in_the_history(
    client, db_session, login_as, make_user, sms_ticket
):
    agent = login_as(make_user("agent"))
    url = f"/tickets/{sms_ticket.reference}/diagnostic/etapes"
    response = client.post(
        url, data={"code": "phone_mismatch", "index": "0", "fait": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith("<li") and " checked" in fragment
    event = db_session.scalar(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == sms_ticket.id, TicketEvent.kind == "fix_step")
        .order_by(TicketEvent.id.desc())
    )
    assert event.actor_id == agent.id
    assert event.new_value.startswith(CODE_LABELS["phone_mismatch"])
    assert "saisit à nouveau" in event.new_value
    # the panel shows it ticked; the ticket's history lists it
    _, page = panel(client, sms_ticket)
    box = re.search(r'<input type="checkbox" id="etape-phone-mismatch-0-case"[^>]*>', page)
    assert " checked" in box.group(0)
    history = client.get(f"/tickets/{sms_ticket.reference}").get_data(as_text=True)
    assert "a coché une étape de résolution" in html.unescape(history)

    client.post(url, data={"code": "phone_mismatch", "index": "0"}, headers=HTMX)
    kinds = db_session.scalars(
        select(TicketEvent.kind).where(TicketEvent.ticket_id == sms_ticket.id)
    ).all()
    assert kinds[-2:] == ["fix_step", "fix_step_undone"]
    _, page = panel(client, sms_ticket)
    box = re.search(r'<input type="checkbox" id="etape-phone-mismatch-0-case"[^>]*>', page)
    assert " checked" not in box.group(0)


def test_unknown_step_is_refused(client, login_as, make_user, sms_ticket):
    login_as(make_user("agent"))
    url = f"/tickets/{sms_ticket.reference}/diagnostic/etapes"
    response = client.post(url, data={"code": "phone_missing", "index": "0", "fait": "1"})
    assert response.status_code == 404


# --------------------------------------------------------------------------- corrections


def test_corrected_details_run_the_diagnosis_again(
    client, db_session, login_as, make_user, sms_ticket
):
    login_as(make_user("agent"))
    data = {
        "diag-nom": "Dupont",
        "diag-prenom": "Céline",
        "diag-email": "celine.dupont@example.fr",
        "diag-telephone": "+33 6 12 34 56 78",
        "diag-enfant_prenom": "Léa",
        "diag-enfant_naissance": "2 mars 2015",
        "diag-uai": "",
    }
    response = client.post(f"/tickets/{sms_ticket.reference}/diagnostic", data=data, headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-code="phone_mismatch"' not in page
    assert "Diagnostic relancé" in page
    db_session.refresh(sms_ticket)
    assert not sms_ticket.diagnosis_summary.startswith(CODE_LABELS["phone_mismatch"])
    stored = db_session.scalar(
        select(TicketDiagnosis).where(TicketDiagnosis.ticket_id == sms_ticket.id)
    )
    assert stored.request["requester"]["telephone"] == "+33 6 12 34 56 78"
    assert stored.request["enfants"][0]["date_naissance"] == "2 mars 2015"
    events = db_session.scalars(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == sms_ticket.id, TicketEvent.kind == "diagnosis")
        .order_by(TicketEvent.id)
    ).all()
    assert len(events) == 2
    assert events[-1].old_value.startswith(CODE_LABELS["phone_mismatch"])


def test_invalid_corrections_are_shown_in_the_panel(client, login_as, make_user, sms_ticket):
    login_as(make_user("agent"))
    data = {"diag-nom": "Dupont", "diag-telephone": "12", "diag-enfant_naissance": "hier"}
    response = client.post(f"/tickets/{sms_ticket.reference}/diagnostic", data=data, headers=HTMX)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Ce numéro de téléphone n'est pas valide." in page
    assert "Date illisible" in page


def test_ticket_describing_nobody_asks_for_details(
    client, login_as, make_user, family, make_ticket
):
    login_as(make_user("agent"))
    ticket = make_ticket(
        requester_name="Direction de l'école",
        requester_email=None,
        requester_kind="directeur",
        motif="activation_sms",
    )
    _, page = panel(client, ticket)
    assert "La demande ne décrit personne" in html.unescape(page)
    assert 'name="diag-nom"' in page


def test_evidence_is_written_in_french():
    from helpdesk.diagnostics.panel import evidence_lines

    lines = evidence_lines(
        {
            "comptes": [{"compte_id": "C2", "profil": "responsable", "etat": "notifie_non_active"}],
            "mobile_valide": False,
            "points_communs": ["telephone", "enfant"],
        }
    )
    assert [(line.label, line.values) for line in lines] == [
        ("Comptes", ("Compte : C2 ; Profil : responsable ; État : Notifié, non activé",)),
        ("Mobile valide", ("non",)),
        ("Points communs", ("mobile, enfant",)),
    ]


# --------------------------------------------------------------------------- the right person


@pytest.fixture
def namesake(family, account_data):
    """Another Céline Dupont, mother of another Léa: no child and no contact in common."""
    school, *_ = family
    return account_data.family(
        nom="Dupont",
        prenom="Céline",
        children=(("Léa", date(2017, 9, 8)),),
        telephone_portable="07 55 44 33 22",
        email="c.dupont@example.net",
    )


def test_namesakes_are_not_told_apart_the_panel_asks_the_question(
    client, login_as, make_user, make_ticket, family, namesake
):
    school, parent, *_ = family
    other, *_ = namesake
    login_as(make_user("agent"))
    ticket = make_ticket(
        requester_name="Céline Dupont",
        requester_email="celine.d@example.com",
        child_name="Léa",
        school_id=school.id,
        motif="enfant_manquant",
    )
    response, page = panel(client, ticket)
    text = html.unescape(page)
    assert response.status_code == 200
    assert 'data-code="person_ambiguous"' in page
    assert "Plusieurs personnes possibles" in text and "Question à poser" in text
    assert "la date de naissance de votre enfant" in text
    # both candidates are shown, masked: nothing of either family in clear
    assert parent.responsable_id in text and other.responsable_id in text
    assert "C. D." in text and BASE_PHONE_CLEAR not in text and "07 55 44 33 22" not in text
    assert "**/**/2015" in text and "**/**/2017" in text
    assert 'data-responsable="' not in page  # nobody matched
    reply = html.unescape(re.search(r'data-insert-text="([^"]*)"', page).group(1))
    assert "pouvez-vous nous indiquer la date de naissance de votre enfant" in reply


def test_the_detail_only_one_namesake_fits_decides(
    client, db_session, login_as, make_user, make_ticket, family, namesake
):
    school, parent, *_ = family
    login_as(make_user("agent"))
    ticket = make_ticket(
        requester_name="Céline Dupont",
        requester_email="celine.d@example.com",
        child_name="Léa",
        school_id=school.id,
        motif="enfant_manquant",
    )
    url = f"/tickets/{ticket.reference}/diagnostic"
    response = client.post(
        url,
        data={"diag-nom": "Céline Dupont", "diag-enfant_prenom": "Léa",
              "diag-enfant_naissance": "02/03/2015"},
        headers=HTMX,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-code="person_ambiguous"' not in page
    assert re.findall(r'data-responsable="([^"]+)"', page) == [parent.responsable_id]


def test_a_director_gets_a_reply_written_for_a_director(
    client, login_as, make_user, make_ticket, family
):
    school, *_ = family
    login_as(make_user("agent"))
    ticket = make_ticket(
        requester_kind="directeur",
        requester_name="Direction de l'école",
        requester_email="ce.0211234c@example.org",
        concerned_person="Céline Dupont",
        child_name="Léa",
        school_id=school.id,
        motif="activation_sms",
    )
    _, page = panel(client, ticket)
    text = html.unescape(page)
    assert "écrite pour une école" in text
    reply = html.unescape(re.search(r'data-insert-text="([^"]*)"', page).group(1))
    assert "Le responsable peut créer son compte lui-même" in reply
    assert "centre de services" in reply
    assert "Vous pouvez créer votre compte" not in reply


@pytest.mark.parametrize(
    ("intake", "which"),
    [
        ({"child_birth_date": date(2017, 9, 8)}, "namesake"),
        ({"login": "C.DUPONT42"}, "namesake"),
        ({"child_birth_date": date(2015, 3, 2)}, "family"),
    ],
)
def test_the_intake_answers_tell_namesakes_apart(
    db_session, account_data, make_ticket, family, namesake, intake, which
):
    from helpdesk.diagnostics.tickets import current_request, run_diagnosis
    from helpdesk.tickets.intake import IntakeDetails

    school, parent, *_ = family
    other, (other_lea,), other_account = namesake
    other_account.identifiant, other_account.identifiant_key = "c.dupont42", "c.dupont42"
    db_session.flush()
    ticket = make_ticket(
        requester_name="Céline Dupont",
        requester_email="celine.d@example.com",
        child_name="Léa",
        school_id=school.id,
        motif="enfant_manquant",
        intake=IntakeDetails(**intake),
    )
    run = run_diagnosis(db_session, current_request(db_session, ticket))
    expected = other if which == "namesake" else parent
    assert run.diagnosis.responsable_ids == [expected.responsable_id]
