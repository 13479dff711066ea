"""French text analysis for the FAQ search: folding, stop words, stemming.

Words are folded first (lower case, no accents), then stemmed, so that people who type
without accents meet the same terms as the articles: `bloqué`, `bloquée`, `bloquer` and
`bloquee` all become `bloqu`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.french import FrenchStemmer

from helpdesk.util.text import fold

WORD_RE = re.compile(r"\w+")

_EXTRA_STOPWORDS = """
a afin ai ainsi alors apres aupres aussi autre autres avant avoir bcp beaucoup besoin bien
bonjour bonsoir ca car cela celle celles celui ceci ceux cet cette chaque chez comme comment
cordialement deja depuis des dois doit doivent devez donc dont elles encore entre etc etre fais
fait faire faites font hier ici ils jamais jour les leurs lors lorsque madame mais meme merci
mme monsieur mr mlle non ni or parce peu peut peuvent peux plus pourquoi pourrais pourriez
pouvez puis puisque quand quel quelle quelles quels quoi rien sais sait savez si souhaite
souhaiterais stp svp tjs toujours tous tout toute toutes tres trop va vais veut veux via
voici voila vont voudrais
"""

STOPWORDS: frozenset[str] = frozenset(
    {fold(word) for word in stopwords_for_language("fr")} | set(_EXTRA_STOPWORDS.split())
)

# Irregular forms that the stemmer does not bring together, mapped to one form of the word.
_IRREGULAR_FORMS = {
    "apparait": """apparaitre apparaissent apparaissait apparaissaient apparaissant apparaisse
        apparaitra apparaitront apparaitrait apparaitraient apparu apparue apparus apparues""",
    "recu": """recevoir recois recoit recoivent recevez recevons recevais recevait recevra
        recevrai recevrez recevront recevrais recevrait recue recus recues""",
    "perdu": "perdre perds perd perdent perdue perdus perdues perdons perdez",
    "voir": "vois voit voient voyez voyons vu vue vus vues verra verrai verrez",
    "mettre": "met mets mettent mettez mis mise mises",
}
IRREGULAR: dict[str, str] = {
    form: lemma for lemma, forms in _IRREGULAR_FORMS.items() for form in forms.split()
}

_snowball = FrenchStemmer().stem


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    return fold(word.lower())


def is_stopword(folded: str) -> bool:
    return len(folded) < 2 or folded in STOPWORDS


@lru_cache(maxsize=200_000)
def stem(folded: str) -> str:
    """Stem of a folded word; the trailing e/i/s that Snowball leaves on unaccented
    participles and plurals (`bloquee`, `notifiee`, `recus`, `envoy`) are removed as well."""
    word = IRREGULAR.get(folded, folded)
    result = _snowball(word)
    while len(result) > 3 and result[-1] in "eisy":
        result = result[:-1]
    return result


@lru_cache(maxsize=200_000)
def term_for(word: str) -> str | None:
    """The index term of one word as typed, or None for a stop word."""
    folded = fold_word(word)
    if is_stopword(folded):
        return None
    return stem(folded)


def _forms_by_term() -> dict[str, tuple[str, ...]]:
    forms: dict[str, list[str]] = {}
    for form, lemma in IRREGULAR.items():
        forms.setdefault(stem(lemma), []).append(form)
    return {term: tuple(values) for term, values in forms.items()}


# The irregular forms of each term (`recevoir`, `reçois`... for `recu`).
IRREGULAR_FORMS_BY_TERM = _forms_by_term()


def folded_words(text: str) -> list[str]:
    """Every word of a text, folded, stop words included."""
    return [fold_word(match.group()) for match in WORD_RE.finditer(text or "")]


def terms(text: str) -> list[str]:
    """The index terms of a text, in order (stop words left out)."""
    result = []
    for match in WORD_RE.finditer(text or ""):
        term = term_for(match.group())
        if term is not None:
            result.append(term)
    return result
