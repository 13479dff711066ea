"""The request's language and second problem as agents see them: queue filter, ticket page."""


def _tickets(make_ticket):
    french = make_ticket(
        subject="Code SMS", body="Bonjour, je ne reçois pas le code SMS pour mon compte."
    )
    english = make_ticket(
        subject="SMS code", body="Hello, I never get the SMS code to create my account."
    )
    portuguese = make_ticket(
        subject="Código", body="Olá, o código SMS não chega no meu celular para criar a conta."
    )
    return french, english, portuguese


def test_queue_filters_by_language(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    french, english, portuguese = _tickets(make_ticket)
    page = client.get("/tickets?langue=en").get_data(as_text=True)
    assert english.reference in page
    assert french.reference not in page and portuguese.reference not in page
    page = client.get("/tickets?langue=autres").get_data(as_text=True)
    assert english.reference in page and portuguese.reference in page
    assert french.reference not in page
    assert "En portugais" in page
    page = client.get("/tickets?langue=fr").get_data(as_text=True)
    assert french.reference in page and english.reference not in page


def test_unknown_language_filter_is_ignored(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    french, english, _ = _tickets(make_ticket)
    response = client.get("/tickets?langue=klingon")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert french.reference in page and english.reference in page


def test_language_filter_is_for_staff_only(client, login_as, make_user, make_school, make_ticket):
    school = make_school()
    login_as(make_user("directeur", schools=[school]))
    _, english, _ = _tickets(make_ticket)
    response = client.get("/tickets?langue=en")
    assert response.status_code == 404
    assert english.reference not in response.get_data(as_text=True)


def test_ticket_page_shows_language_and_second_problem(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    ticket = make_ticket(
        motif=None,
        subject="Two problems",
        body="My password is not accepted any more. Also my son does not show on my account.",
    )
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "Langue de la demande : anglais" in page
    assert "Second problème signalé dans la demande" in page
    french = make_ticket(subject="Code", body="Bonjour, le code SMS n'arrive pas.")
    page = client.get(f"/tickets/{french.reference}").get_data(as_text=True)
    assert "Langue de la demande : français." in page
    assert "Second problème" not in page
