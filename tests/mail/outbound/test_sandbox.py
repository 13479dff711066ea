"""Administrators' mail templates cannot ask a worker for unbounded work."""

import pytest

from helpdesk.core.errors import DomainError
from helpdesk.mail.outbound.notify import render_sources

BOMBS = {
    "{{ range(10**7)|length }}": "Nombre trop grand",
    '{{ "x" * 10**9 }}': "Texte trop long",
    '{{ "x"|center(10**9) }}': "Nombre trop grand",
    "{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}": "Boucle",
    "{{ 2 ** 100000 }}": "Puissance",
    '{{ "%0999999999d" % 1 }}': "formatage",
    '{{ "{:999999999}".format(1) }}': "format",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}": "RecursionError",
    "{{ 1 / 0 }}": "ZeroDivisionError",
}


@pytest.mark.parametrize("source", list(BOMBS))
def test_unbounded_templates_are_refused_with_a_french_message(source):
    with pytest.raises(DomainError) as caught:
        render_sources(source, "texte", "<p>html</p>", {})
    assert BOMBS[source] in str(caught.value)
    assert str(caught.value).startswith("Le modèle")


def test_ordinary_templates_still_render():
    rendered = render_sources(
        "{{ n }} demandes {{ 2 ** 10 }}",
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'ab' * 3 }} {{ 'x'|center(5) }}|",
        "<p>{{ name }}</p>",
        {"n": 4, "name": "<b>"},
    )
    assert rendered.subject == "4 demandes 1024"
    assert rendered.text == "012 ababab   x  |"
    assert rendered.html == "<p>&lt;b&gt;</p>"
