import re

from helpdesk.tickets import services


def test_queue_filters_by_motif_status_and_text(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    sms = make_ticket(subject="Code SMS jamais reçu", motif="activation_sms")
    child = make_ticket(
        subject="Mon fils n'apparaît pas", motif="enfant_manquant", requester_name="Karim Benali"
    )
    page = client.get("/tickets?motif=enfant_manquant").get_data(as_text=True)
    assert child.reference in page and sms.reference not in page
    page = client.get("/tickets?q=benali").get_data(as_text=True)
    assert child.reference in page and sms.reference not in page
    page = client.get(f"/tickets?q={sms.reference}").get_data(as_text=True)
    assert sms.reference in page and child.reference not in page


def test_htmx_request_gets_only_the_rows(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    ticket = make_ticket()
    response = client.get("/tickets?statut=tous", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert ticket.reference in body
    assert "<html" not in body and 'id="filtres"' not in body
    assert "HX-Request" in response.headers.get("Vary", "")
    full = client.get("/tickets?statut=tous").get_data(as_text=True)
    assert "<html" in full and 'id="resultats"' in full


def test_mine_and_unassigned(client, db_session, ctx, login_as, make_user, make_ticket):
    agent = login_as(make_user("agent"))
    mine = make_ticket(subject="Attribuée à moi")
    services.assign(db_session, ctx, mine, agent, agent)
    free = make_ticket(subject="Personne")
    page = client.get("/tickets?agent=moi").get_data(as_text=True)
    assert mine.reference in page and free.reference not in page
    page = client.get("/tickets?agent=aucun").get_data(as_text=True)
    assert free.reference in page and mine.reference not in page


def test_take_reply_and_resolve_from_the_ticket_page(
    client, db_session, login_as, make_user, make_ticket
):
    agent = login_as(make_user("agent"))
    ticket = make_ticket()
    assert client.post(f"/tickets/{ticket.reference}/prendre").status_code == 302
    response = client.post(
        f"/tickets/{ticket.reference}/repondre",
        data={"reply-body": "Voici la marche à suivre.", "reply-status": "resolu"},
    )
    assert response.status_code == 302
    db_session.refresh(ticket)
    assert ticket.assignee_id == agent.id and ticket.status == "resolu"
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "Voici la marche à suivre." in page
    assert "a changé le statut" in page


def test_empty_reply_keeps_the_page_with_an_error(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    ticket = make_ticket()
    response = client.post(f"/tickets/{ticket.reference}/repondre", data={"reply-body": ""})
    assert response.status_code == 422
    assert "Écrivez un message." in response.get_data(as_text=True)


def test_queue_runs_a_bounded_number_of_queries(
    client, login_as, make_user, make_ticket, make_school, count_queries
):
    agent = login_as(make_user("agent"))
    school = make_school()
    for _ in range(3):
        make_ticket(school_id=school.id)
    with count_queries() as few:
        assert client.get("/tickets?statut=tous").status_code == 200
    for _ in range(20):
        t = make_ticket(school_id=make_school().id)
        t.assignee_id = agent.id
    with count_queries() as many:
        assert client.get("/tickets?statut=tous").status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 10


def test_ticket_page_runs_a_bounded_number_of_queries(
    client, db_session, ctx, login_as, make_user, make_ticket, count_queries
):
    agent = login_as(make_user("agent"))
    short = make_ticket()
    services.add_message(db_session, ctx, short, agent, "Première réponse")
    long = make_ticket()
    for n in range(15):
        services.add_message(db_session, ctx, long, agent if n % 2 else None, f"Message {n}")
    # The first page of a process also reads what it then keeps (settings, labels).
    client.get(f"/tickets/{short.reference}")
    with count_queries() as few:
        client.get(f"/tickets/{short.reference}")
    with count_queries() as many:
        client.get(f"/tickets/{long.reference}")
    assert len(many) == len(few)


def test_dashboard_counts(client, db_session, ctx, login_as, make_user, make_ticket):
    agent = login_as(make_user("agent"))
    ticket = make_ticket()
    services.assign(db_session, ctx, ticket, agent, agent)
    page = client.get("/accueil").get_data(as_text=True)
    assert "Mes demandes en cours" in page and ticket.reference in page


def test_labels_renamed_by_an_admin_show_in_the_queue(
    client, db_session, login_as, make_user, make_ticket, count_queries
):
    from helpdesk.tickets.models import CategoryLabel

    login_as(make_user("agent"))
    make_ticket(motif="activation_sms")
    db_session.add(CategoryLabel(kind="motif", code="activation_sms", label="SMS d'activation"))
    db_session.flush()
    page = client.get("/tickets").get_data(as_text=True)
    assert "SMS d&#39;activation" in page


def test_failed_reply_on_a_file_database_answers_at_once(tmp_path):
    """A form shown again after a failed POST writes its audit entry without waiting a lock."""
    import time

    from helpdesk import create_app
    from helpdesk.auth.models import User
    from helpdesk.auth.passwords import hash_password
    from helpdesk.auth.sessions import open_login_session
    from helpdesk.core.db import session_scope
    from helpdesk.core.migrate import upgrade
    from tests.plugins.database import fresh_database_url

    url = fresh_database_url(tmp_path, "locks")
    upgrade(url)
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": url,
            "SECRET_KEY": "k",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "CLASSIFY_ENABLED": False,
        }
    )
    factory = app.extensions["helpdesk_db"].session_factory
    with session_scope(factory) as session:
        agent = User(
            email="a@ac-test.fr", display_name="A", role="agent", password_hash=hash_password("x")
        )
        session.add(agent)
        session.flush()
        agent_key = agent.get_id()
        agent_token = open_login_session(session, agent)
    client = app.test_client()
    client.post(
        "/contact",
        data={
            "requester_kind": "parent",
            "last_name": "Martin",
            "first_name": "Léa",
            "email": "lea@example.org",
            "subject": "Code",
            "message": "Le code SMS n'arrive pas.",
        },
    )
    with client.session_transaction() as sess:
        sess["_user_id"] = agent_key
        sess["sid"] = agent_token
    queue = client.get("/tickets?statut=tous").get_data(as_text=True)
    reference = re.search(r"/tickets/(\d{4}-\d{6})", queue).group(1)
    started = time.monotonic()
    response = client.post(f"/tickets/{reference}/repondre", data={"reply-body": ""})
    assert response.status_code == 422
    assert time.monotonic() - started < 5
    app.extensions["helpdesk_db"].engine.dispose()
