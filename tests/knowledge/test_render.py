"""Markdown rendering and sanitising of article bodies."""

from __future__ import annotations

import re

from helpdesk.knowledge.render import article_links, markdown_to_text, render_markdown

BODY = """## Étapes

1. Ouvrez **Mon compte**.
2. Cliquez sur *Mes enfants*.

- point un
- point deux

Voir [l'aide](https://educonnect.education.gouv.fr/aide) et `code`.

| Établissement | Délai |
|---|---|
| École | lendemain 8 h 30 |
"""


def test_renders_headings_lists_links_code_tables_and_emphasis():
    html = render_markdown(BODY)
    assert "<h2>Étapes</h2>" in html
    assert "<ol>" in html and "<li>Ouvrez <strong>Mon compte</strong>.</li>" in html
    assert "<em>Mes enfants</em>" in html
    assert "<ul>" in html
    assert (
        '<a href="https://educonnect.education.gouv.fr/aide" rel="noopener noreferrer nofollow">'
        in html
    )
    assert "<code>code</code>" in html
    assert "<table>" in html and "<th>Établissement</th>" in html and "<td>École</td>" in html


def test_scripts_are_removed_with_their_content():
    html = render_markdown("Avant\n\n<script>alert('x')</script>\n\nAprès <script>vol()</script>")
    assert "<script" not in html and "alert" not in html and "vol()" not in html
    assert "Avant" in html and "Après" in html


def test_event_handlers_and_unknown_tags_are_removed():
    html = render_markdown(
        '<img src="x" onerror="alert(1)">\n\n<p onclick="x()" style="color:red">texte</p>'
        '\n\n<iframe src="https://exemple.fr"></iframe>'
    )
    assert "onerror" not in html and "onclick" not in html and "style=" not in html
    assert "<img" not in html and "<iframe" not in html
    assert "<p>texte</p>" in html


def test_javascript_links_are_neutralised():
    html = render_markdown(
        '[a](javascript:alert(1)) <a href="javascript:alert(2)">b</a> '
        '<a href="JaVaScRiPt:alert(3)">c</a> [d](data:text/html;base64,PHNjcmlwdD4=)'
    )
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(not href.lower().startswith(("javascript", "data")) for href in hrefs)
    assert '<a rel="noopener noreferrer nofollow">b</a>' in html


def test_links_to_other_articles_are_rewritten():
    body = "Voir [le code SMS](code-sms-non-recu.md#que-faire) et [ceci](autre.md)."
    html = render_markdown(body, link_for=lambda slug: f"/aide/{slug}")
    assert 'href="/aide/code-sms-non-recu#que-faire"' in html
    assert 'href="/aide/autre"' in html
    assert article_links(body) == ["code-sms-non-recu", "autre"]
    assert 'href="code-sms-non-recu.md#que-faire"' in render_markdown(body)


def test_plain_text_keeps_words_and_drops_markup():
    text = markdown_to_text(BODY + "\n<script>alert(1)</script>\n")
    assert "Ouvrez Mon compte." in text
    assert "l'aide" in text and "https://" not in text
    assert "lendemain 8 h 30" in text
    assert "*" not in text and "|" not in text and "#" not in text and "alert" not in text
