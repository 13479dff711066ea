from __future__ import annotations

import pytest

from helpdesk.mail.inbound.html import html_to_text, sanitise_html


def test_paragraphs_breaks_and_entities():
    html = "<p>Bonjour&nbsp;Zoé,</p><p>Ligne 1<br>Ligne&#160;2<br/>L&eacute;a &amp; Tom</p>"

    assert html_to_text(html) == "Bonjour Zoé,\n\nLigne 1\nLigne 2\nLéa & Tom"


def test_lists_as_dashes_and_numbers():
    html = (
        "<p>Étapes :</p><ul><li>Ouvrir</li><li>Se connecter<ol><li>a</li><li>b</li></ol></li></ul>"
    )

    assert html_to_text(html) == "Étapes :\n\n- Ouvrir\n- Se connecter\n  1. a\n  2. b"


def test_links_rendered_with_their_target():
    html = (
        '<a href="https://educonnect.education.gouv.fr">le portail</a>, '
        '<a href="https://example.fr/">https://example.fr</a>, '
        '<a href="mailto:assistance@ac-exemple.fr">assistance@ac-exemple.fr</a>, '
        '<a href="mailto:assistance@ac-exemple.fr?subject=x">écrire</a>, '
        '<a href="javascript:alert(1)">piège</a>'
    )

    assert html_to_text(html) == (
        "le portail (https://educonnect.education.gouv.fr), https://example.fr, "
        "assistance@ac-exemple.fr, écrire (assistance@ac-exemple.fr), piège"
    )


def test_script_style_and_head_dropped():
    html = (
        "<html><head><title>Titre</title><style>p{color:red}</style>"
        "<script>var x = 1;</script></head><body><p>Visible</p>"
        "<script>document.write('caché')</script><noscript>aussi caché</noscript></body></html>"
    )

    assert html_to_text(html) == "Visible"


def test_blockquote_rendered_as_quote_lines():
    html = (
        "<div>Merci !</div><div class='gmail_quote'>Le lun. 3 juin 2024 à 10:12, X a écrit :"
        "<blockquote><p>Question ?</p><blockquote>Plus ancien</blockquote></blockquote></div>"
    )

    text = html_to_text(html)

    assert text.splitlines()[0] == "Merci !"
    assert "> Question ?" in text
    assert "> > Plus ancien" in text


def test_table_cells_and_pre():
    html = "<table><tr><td>Nom</td><td>Zoé</td></tr></table><pre>  code\n    indenté</pre>"

    assert html_to_text(html) == "Nom Zoé\n\n  code\n    indenté"


@pytest.mark.parametrize(
    "html",
    [
        "<p>Texte <b>non fermé <div>suite",
        "</div></p>Texte</span>",
        "<p>Avant<!-- commentaire jamais fermé",
        '<<<>>><a href="',
        "<style>jamais fermé",
        "<head><title>x</title><p>corps sans body</p>",
        "<" * 10_000,
    ],
)
def test_broken_html_does_not_raise(html):
    text = html_to_text(html)

    assert isinstance(text, str)
    assert "jamais fermé" not in text


def test_broken_html_keeps_text():
    assert html_to_text("<p>Texte <b>non fermé <div>suite") == "Texte non fermé\nsuite"


def test_sanitise_removes_active_content():
    html = (
        '<p onclick="x()" style="color:red">Bonjour</p><script>alert(1)</script>'
        '<img src="https://tracker.example.com/p.gif" onerror="alert(2)">'
        '<img src="cid:image001@01D0">'
        '<a href="javascript:alert(3)">a</a><a href="https://example.fr">b</a>'
        "<style>p{}</style><iframe src='https://evil.example'></iframe>"
        '<form action="https://evil.example"><input name="mdp"></form>'
    )

    clean = sanitise_html(html)

    for needle in ("script", "onclick", "onerror", "style", "tracker", "javascript", "iframe"):
        assert needle not in clean
    assert "<form" not in clean and "<input" not in clean
    assert '<img src="cid:image001@01D0">' in clean
    assert '<a href="https://example.fr" rel="noopener noreferrer">b</a>' in clean


def test_sanitise_keeps_small_inline_data_images_only():
    png = "data:image/png;base64,iVBORw0KGgo="
    clean = sanitise_html(f'<img src="{png}"><img src="data:text/html;base64,PHNjcmlwdD4=">')

    assert clean.count("<img") == 2
    assert png in clean
    assert "text/html" not in clean
