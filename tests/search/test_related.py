"""The articles a ticket page offers to link in a reply."""

from __future__ import annotations

import html as htmllib
import re

from helpdesk.search.related import related_articles


def test_the_sms_ticket_gets_the_sms_article_first(kb, make_ticket):
    ticket = make_ticket(
        subject="code sms jamais recu", body="Je ne reçois pas le code.", motif="activation_sms"
    )
    hits = related_articles(kb, ticket)
    assert hits[0].slug == "code-sms-non-recu"
    assert len(hits) == 5
    assert all({"parent", "eleve"} & set(hit.audiences) for hit in hits)


def test_the_motif_is_boosted(kb, make_ticket):
    text = dict(subject="Problème", body="Mon compte ne marche pas, le code ne passe pas.")
    plain = [h.slug for h in related_articles(kb, make_ticket(motif="autre", **text))]
    boosted = related_articles(kb, make_ticket(motif="activation_sms", **text))
    assert [h.slug for h in boosted] != plain
    assert "activation_sms" in boosted[0].motifs


def test_a_vague_ticket_still_gets_its_motifs_articles(kb, make_ticket):
    ticket = make_ticket(
        subject="Bonjour", body="Merci de me rappeler.", motif="lsu_bilan_invisible"
    )
    hits = related_articles(kb, ticket)
    assert any("lsu_bilan_invisible" in hit.motifs for hit in hits)


def test_directors_get_directors_articles(kb, make_ticket):
    ticket = make_ticket(
        subject="Notifier les parents",
        body="Comment notifier les responsables de CP ?",
        requester_kind="directeur",
        motif="notification_directeur",
    )
    hits = related_articles(kb, ticket)
    assert hits[0].slug == "directeur-notifier-les-responsables"
    assert all("directeur" in hit.audiences for hit in hits)


def test_the_ticket_page_inserts_an_absolute_link(client, kb, make_user, login_as, make_ticket):
    login_as(make_user("agent"))
    ticket = make_ticket(subject="code sms jamais recu", motif="activation_sms")
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    assert "Articles utiles" in page
    texts = [htmllib.unescape(t) for t in re.findall(r'data-insert-text="([^"]*)"', page)]
    assert "Je ne reçois pas le code SMS : http://helpdesk.test/faq/code-sms-non-recu" in texts
    # Without JavaScript, the same link pre-fills the reply box.
    page = client.get(f"/tickets/{ticket.reference}?article=code-sms-non-recu").get_data(
        as_text=True
    )
    body = re.search(r'<textarea[^>]*id="reply-body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert htmllib.unescape(body).strip().endswith("/faq/code-sms-non-recu")
