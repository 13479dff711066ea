"""Language of a request, so that agents see it, filter on it and answer accordingly.

The languages the service centre receives are few and known (French; English, Portuguese,
Spanish, Dutch and Haitian Creole from families, above all in Guyane; now and then others).
A character-n-gram identifier covering a hundred languages (py3langid) answers as well on our
requests but adds about 70 MB to every web worker, so the language is told here from
function words, which short requests always contain, and from the script for the languages
not written in Latin letters.
"""

from __future__ import annotations

import re
import unicodedata

LANGUAGES: dict[str, str] = {
    "fr": "français",
    "en": "anglais",
    "pt": "portugais",
    "es": "espagnol",
    "nl": "néerlandais",
    "ht": "créole haïtien",
    "de": "allemand",
    "it": "italien",
    "uk": "ukrainien",
    "ru": "russe",
    "ar": "arabe",
    "zh": "chinois",
    "und": "indéterminée",
}
"""Codes (ISO 639-1, `und` when unknown) with their French names, as shown to agents."""

DEFAULT_LANGUAGE = "fr"
OTHER_THAN_FRENCH = "autres"
"""Value of the queue's language filter that keeps every request not written in French."""

_NOTICES: dict[str, str] = {
    "en": "Your request was written in English. We answer in French; if anything is unclear, "
    "reply to this message and tell us.",
    "pt": "O seu pedido foi escrito em português. Respondemos em francês; se algo não estiver "
    "claro, responda a esta mensagem.",
    "es": "Su solicitud fue escrita en español. Respondemos en francés; si algo no queda claro, "
    "responda a este mensaje.",
    "nl": "Uw verzoek is in het Nederlands geschreven. Wij antwoorden in het Frans; laat het ons "
    "weten als iets niet duidelijk is.",
    "ht": "Demann ou an te ekri an kreyòl. Nou reponn an franse; si gen yon bagay ki pa klè, "
    "reponn mesaj sa a.",
}

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        "je j me m mon ma mes le la les un une des du de et est pas ne n que qui pour dans sur "
        "avec mais ou il elle nous vous ai suis bonjour merci car ce cette ces au aux "
        "votre vos son sa ses compte enfant fils fille".split()
    ),
    "en": frozenset(
        "i my me the a an and is are not to of in on for with but or it he she we you have "
        "has can cannot can t don t does doesn t hello hi please thank thanks account child "
        "son daughter was when what how".split()
    ),
    "pt": frozenset(
        "eu meu minha o a os as um uma e nao é de do da dos das no na em para com mas ou ele "
        "ela nos voce tenho consigo ola bom dia obrigado obrigada conta filho filha quero "
        "aparece esqueci".split()
    ),
    "es": frozenset(
        "yo mi mis el la los las un una y es no de del en para con pero o el ella nosotros "
        "usted tengo puedo hola buenos buenas dias gracias cuenta hijo hija quiero aparece "
        "olvide me".split()
    ),
    "nl": frozenset(
        "ik mijn de het een en is niet van in op voor met maar of hij zij wij u heb kan "
        "goedendag hallo bedankt account kind zoon dochter vergeten".split()
    ),
    "ht": frozenset(
        "mwen m pa yo nou ou li ki sa se ak pou nan kont pitit bonjou mesi resevwa kreye "
        "kod konnen".split()
    ),
    "de": frozenset(
        "ich mein meine der die das ein eine und ist nicht von zu mit aber oder er sie wir "
        "haben kann hallo danke konto kind sohn tochter auf dem den bis".split()
    ),
    "it": frozenset(
        "io mio mia il lo la gli le un una e non di del della in per con ma o lui lei noi "
        "ho posso ciao buongiorno grazie figlio figlia".split()
    ),
}

_WORD = re.compile(r"[a-z]+")
_CYRILLIC_UK = set("іїєґ")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in text if not unicodedata.combining(char)).replace("'", " ")


def _script_language(text: str) -> str | None:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    counts = {"cyrillic": 0, "arabic": 0, "cjk": 0}
    for char in letters:
        name = unicodedata.name(char, "")
        if name.startswith("CYRILLIC"):
            counts["cyrillic"] += 1
        elif name.startswith("ARABIC"):
            counts["arabic"] += 1
        elif name.startswith("CJK"):
            counts["cjk"] += 1
    script, count = max(counts.items(), key=lambda item: item[1])
    if count * 2 < len(letters):
        return None
    if script == "cyrillic":
        return "uk" if _CYRILLIC_UK & set(text.lower()) else "ru"
    return {"arabic": "ar", "cjk": "zh"}[script]


def detect_language(subject: str | None, body: str | None) -> str:
    """ISO 639-1 code of the request's language; French when the text gives no sign.

    The body decides; the subject counts too, but requests often carry a French subject
    chosen from the form over a body in another language.
    """
    text = f"{subject or ''}\n{body or ''}"
    by_script = _script_language(text)
    if by_script:
        return by_script
    words = _WORD.findall(_fold(body or "")) or _WORD.findall(_fold(text))
    if not words:
        return "und" if text.strip() else DEFAULT_LANGUAGE
    scores = {
        language: sum(word in vocabulary for word in words)
        for language, vocabulary in _FUNCTION_WORDS.items()
    }
    best = max(scores, key=lambda language: (scores[language], language == DEFAULT_LANGUAGE))
    if scores[best] == 0:
        return DEFAULT_LANGUAGE
    if scores[best] == scores[DEFAULT_LANGUAGE]:
        return DEFAULT_LANGUAGE
    return best


def language_name(code: str | None) -> str:
    """French name of a language code, as agents read it."""
    return LANGUAGES.get(code or DEFAULT_LANGUAGE, code or "")


def with_language_notice(reply: str, language: str | None) -> str:
    """The reply, opened by a line in the requester's language when they did not write in French.

    The answer itself stays in French (the documents it rests on are French); the line tells
    the family so in their own words, and that they may ask again.
    """
    if not reply or not language or language in (DEFAULT_LANGUAGE, "und"):
        return reply
    notice = _NOTICES.get(language, _NOTICES["en"])
    french = (
        f"Votre demande nous est parvenue en {language_name(language)} ; "
        "nous vous répondons en français."
    )
    return f"{notice}\n({french})\n\n{reply}"
