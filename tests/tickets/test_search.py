"""Ticket full-text search, on the embedded SQLite FTS5 and on PostgreSQL alike."""

from sqlalchemy import select

from helpdesk.tickets import merging, services
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.permissions import scope_tickets
from helpdesk.tickets.search import search_tickets


def refs(result):
    return [hit.ticket.reference for hit in result.hits]


def find(db_session, user, query, **kwargs):
    return search_tickets(db_session, query, scope_tickets(select(Ticket), user), **kwargs)


def test_accents_and_case_do_not_matter(db_session, make_user, make_ticket):
    agent = make_user("agent")
    ticket = make_ticket(subject="Élève bloqué à l'activation", body="Le compte est bloqué.")
    assert ticket.reference in refs(find(db_session, agent, "ELEVE BLOQUE"))
    assert ticket.reference in refs(find(db_session, agent, "élève"))


def test_a_word_only_in_a_later_message_is_found(db_session, ctx, make_user, make_ticket):
    agent = make_user("agent")
    ticket = make_ticket(subject="Problème de connexion", body="Je n'arrive pas à me connecter.")
    assert ticket.reference not in refs(find(db_session, agent, "franceconnect"))
    services.add_message(db_session, ctx, ticket, None, "J'ai essayé avec FranceConnect aussi.")
    result = find(db_session, agent, "franceconnect")
    assert refs(result) == [ticket.reference]
    assert "<mark>FranceConnect</mark>" in result.hits[0].excerpt_html


def test_prefix_and_requester_name(db_session, make_user, make_ticket):
    agent = make_user("agent")
    ticket = make_ticket(requester_name="Mélissandre Quintard", subject="Identifiant perdu")
    assert refs(find(db_session, agent, "quint")) == [ticket.reference]
    assert refs(find(db_session, agent, "melissandre identif")) == [ticket.reference]
    assert refs(find(db_session, agent, "melissandre zebulon")) == []


def test_excerpts_are_escaped(db_session, make_user, make_ticket):
    agent = make_user("agent")
    make_ticket(subject="Test", body="<script>alert('x')</script> piratage <img src=x onerror=y>")
    html = find(db_session, agent, "piratage").hits[0].excerpt_html
    assert "<script" not in html and "<img" not in html
    assert "<mark>piratage</mark>" in html


def test_directors_only_search_their_schools(db_session, make_user, make_school, make_ticket):
    mine, other = make_school(), make_school()
    director = make_user("directeur", schools=[mine])
    own = make_ticket(school_id=mine.id, subject="Notification des parents zorglub")
    make_ticket(school_id=other.id, subject="Notification des parents zorglub")
    assert refs(find(db_session, director, "zorglub")) == [own.reference]
    assert find(db_session, make_user("agent"), "zorglub").total == 2


def test_newest_first_or_by_relevance(db_session, make_user, make_ticket):
    agent = make_user("agent")
    weak = make_ticket(subject="Question", body="Un mot sur le livret scolaire.")
    strong = make_ticket(subject="Livret scolaire invisible", body="Le livret n'apparaît pas.")
    newest = make_ticket(subject="Autre", body="Encore le livret")
    assert refs(find(db_session, agent, "livret"))[:3] == [
        newest.reference,
        strong.reference,
        weak.reference,
    ]
    assert refs(find(db_session, agent, "livret", order="relevance"))[0] == strong.reference


def test_merge_and_edits_follow_in_the_index(db_session, ctx, make_user, make_ticket):
    agent = make_user("agent")
    kept = make_ticket(subject="Demande initiale")
    duplicate = make_ticket(subject="Relance", body="Toujours pas de quetzalcoatl")
    merging.merge(db_session, ctx, duplicate, kept, agent)
    assert kept.reference in refs(find(db_session, agent, "quetzalcoatl"))
    kept.subject = "Sujet renommé hippogriffe"
    db_session.flush()
    assert refs(find(db_session, agent, "hippogriffe")) == [kept.reference]


def test_queue_uses_the_search(client, login_as, make_user, make_ticket):
    login_as(make_user("agent"))
    ticket = make_ticket(subject="Autre chose", body="Mon enfant n'apparaît pas, ornithorynque.")
    page = client.get("/tickets?q=ornithorynque").get_data(as_text=True)
    assert ticket.reference in page and "<mark>ornithorynque</mark>" in page
    page = client.get("/tickets?q=ornithorynque&tri=pertinence").get_data(as_text=True)
    assert ticket.reference in page


def test_counting_stops_at_the_limit(db_session, make_user, make_ticket, monkeypatch):
    from helpdesk.tickets import search

    agent = make_user("agent")
    for _ in range(4):
        make_ticket(subject="Compteur wapiti")
    assert find(db_session, agent, "wapiti").total == 4
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    result = find(db_session, agent, "wapiti")
    assert result.total == 2 and not result.total_is_exact
    assert result.total_label.startswith("plus de 2")
    assert len(result.hits) == 4
