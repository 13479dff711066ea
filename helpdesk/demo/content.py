"""Synthetic French content for the demo académie: schools, people, conversations, messages.

Everything here is invented: schools and communes are made up, people come from Faker's
fr_FR provider, e-mail addresses use reserved example domains.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from faker import Faker

from helpdesk.academie.settings import AcademieSettings
from helpdesk.demo.canned_replies import CANNED_REPLIES, MACROS
from helpdesk.demo.motif_texts import MOTIF_TEXTS, Answer, MotifTexts, Template
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE, MOTIF_NATURE
from helpdesk.util.frenchdates import long_date

__all__ = [
    "CANNED_REPLIES",
    "MACROS",
    "CHANNELS",
    "MOTIF_WEIGHTS",
    "SCHOOLS",
    "Conversation",
    "DemoSchool",
    "FastMessage",
    "Persona",
    "Reply",
    "conversation_for",
    "fast_message_bodies",
    "fast_messages",
    "is_valid_uai",
    "make_persona",
    "make_schools",
    "uai_check_letter",
]

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"

CHANNELS = ("formulaire_contact", "email", "portail_directeur", "telephone")

#: How often each motif comes up in the demo, roughly as a service centre sees them.
MOTIF_WEIGHTS: dict[str, int] = {
    "activation_sms": 18,
    "mot_de_passe_oublie": 14,
    "identifiant_oublie": 10,
    "email_non_verifie": 10,
    "enfant_manquant": 9,
    "activation_date_naissance": 7,
    "compte_inexistant": 6,
    "franceconnect": 4,
    "modification_coordonnees": 4,
    "compte_eleve": 4,
    "notification_directeur": 4,
    "lsu_bilan_invisible": 4,
    "teleservices": 3,
    "autre": 2,
    "rgpd_droits": 1,
}


# --- schools --------------------------------------------------------------------------------


def uai_check_letter(digits: str) -> str:
    """Check letter of a UAI from its first seven digits."""
    if len(digits) != 7 or not digits.isdigit():
        raise ValueError(f"a UAI starts with seven digits, not {digits!r}")
    return UAI_LETTERS[int(digits) % 23]


def is_valid_uai(uai: str) -> bool:
    uai = uai.upper()
    return len(uai) == 8 and uai[:7].isdigit() and uai[7] == uai_check_letter(uai[:7])


_TYPE_PREFIX = {
    "maternelle": ("École maternelle", "à l'école maternelle", "l'école maternelle"),
    "elementaire": ("École élémentaire", "à l'école élémentaire", "l'école élémentaire"),
    "primaire": ("École primaire", "à l'école primaire", "l'école primaire"),
    "college": ("Collège", "au collège", "le collège"),
    "lycee": ("Lycée", "au lycée", "le lycée"),
}

_LEVELS = {
    "maternelle": ("PS", "MS", "GS"),
    "elementaire": ("CP", "CE1", "CE2", "CM1", "CM2"),
    "primaire": ("MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"),
    "college": ("6e", "5e", "4e", "3e"),
    "lycee": ("2de", "1re", "Tle"),
}

#: Age reached during the calendar year in which the school year starts.
_MATERNELLE_LEVELS = ("PS", "MS", "GS")
_AGE = {
    "PS": 3,
    "MS": 4,
    "GS": 5,
    "CP": 6,
    "CE1": 7,
    "CE2": 8,
    "CM1": 9,
    "CM2": 10,
    "6e": 11,
    "5e": 12,
    "4e": 13,
    "3e": 14,
    "2de": 15,
    "1re": 16,
    "Tle": 17,
}


@dataclass(frozen=True)
class DemoSchool:
    uai: str
    name: str
    type: str
    commune: str

    def __getitem__(self, key: str) -> str:
        """Dict-style access to the four columns of etablissements.csv: school["uai"]."""
        if key not in ("uai", "name", "type", "commune"):
            raise KeyError(key)
        return getattr(self, key)

    @property
    def degree(self) -> int:
        return 2 if self.type in ("college", "lycee") else 1

    @property
    def patron(self) -> str:
        return self.name.removeprefix(_TYPE_PREFIX[self.type][0]).strip()

    @property
    def at(self) -> str:
        """'à l'école élémentaire Jules Ferry', 'au collège Lazare Carnot'."""
        return f"{_TYPE_PREFIX[self.type][1]} {self.patron}"

    @property
    def with_article(self) -> str:
        return f"{_TYPE_PREFIX[self.type][2]} {self.patron}"


def _school(digits: str, type_: str, patron: str, commune: str) -> DemoSchool:
    return DemoSchool(
        uai=digits + uai_check_letter(digits),
        name=f"{_TYPE_PREFIX[type_][0]} {patron}",
        type=type_,
        commune=commune,
    )


SCHOOLS: tuple[DemoSchool, ...] = (
    _school("0210841", "maternelle", "Les Coquelicots", "Vaulnay-sur-Ouche"),
    _school("0211736", "maternelle", "Pauline Kergomard", "Saint-Aubin-les-Vignes"),
    _school("0212458", "elementaire", "Jules Ferry", "Montrevel-en-Auxois"),
    _school("0213907", "elementaire", "Louis Pasteur", "Chevigny-la-Forêt"),
    _school("0582216", "elementaire", "Marie Curie", "Brévannes-sur-Loire"),
    _school("0711593", "primaire", "Jean de La Fontaine", "Marcilly-le-Châtel"),
    _school("0714820", "primaire", "Les Tilleuls", "Villers-sous-Roche"),
    _school("0893374", "primaire", "Colette", "Pouilly-les-Saules"),
    _school("0219652", "college", "Gaston Bachelard", "Montrevel-en-Auxois"),
    _school("0719241", "college", "Lazare Carnot", "Chevigny-la-Forêt"),
    _school("0589128", "lycee", "Gustave Eiffel", "Brévannes-sur-Loire"),
    _school("0899417", "lycee", "Simone Veil", "Marcilly-le-Châtel"),
)

_DEPARTMENTS = ("021", "058", "071", "089")
_PATRONS = (
    "Jules Ferry",
    "Victor Hugo",
    "Jean Jaurès",
    "Louis Pasteur",
    "Marie Curie",
    "Jean Moulin",
    "Jacques Prévert",
    "Paul Bert",
    "Condorcet",
    "Colette",
    "George Sand",
    "Albert Camus",
    "Lucie Aubrac",
    "Simone Veil",
    "Germaine Tillion",
    "Antoine de Saint-Exupéry",
    "Jean de La Fontaine",
    "Charles Perrault",
    "Gustave Courbet",
    "Lamartine",
    "Vauban",
    "Les Tilleuls",
    "Les Marronniers",
    "Les Hirondelles",
    "Le Petit Prince",
    "Les Vergers",
    "Les Coteaux",
    "Le Clos Fleuri",
    "La Source",
    "Les Lavandières",
)
_COMMUNE_ROOTS = (
    "Vaulnay",
    "Chaumelle",
    "Marvigny",
    "Bréville",
    "Sombrenay",
    "Auxange",
    "Corvelle",
    "Montaubry",
    "Villotte",
    "Fontenelle",
    "Saint-Aubin",
    "Saint-Loup",
    "Varennes",
    "Chassey",
    "Beaumarais",
    "Noirval",
    "Flavigeot",
    "Combertault",
    "Arcenet",
    "Lormeraie",
)
_COMMUNE_SUFFIXES = (
    "",
    "",
    "",
    "-sur-Ouche",
    "-en-Auxois",
    "-les-Vignes",
    "-la-Forêt",
    "-le-Châtel",
    "-sur-Serein",
    "-en-Morvan",
    "-sous-Roche",
    "-lès-Dijon",
    "-sur-Arroux",
    "-la-Côte",
)
_TYPE_WEIGHTS = (
    ("maternelle", 3),
    ("elementaire", 5),
    ("primaire", 6),
    ("college", 2),
    ("lycee", 1),
)


def make_schools(faker: Faker, n: int) -> list[DemoSchool]:
    """`n` more synthetic schools, with valid UAIs distinct from each other and from SCHOOLS."""
    rng = faker.random
    taken = {school.uai for school in SCHOOLS}
    types = [type_ for type_, weight in _TYPE_WEIGHTS for _ in range(weight)]
    schools = []
    while len(schools) < n:
        digits = rng.choice(_DEPARTMENTS) + f"{rng.randrange(10_000):04d}"
        uai = digits + uai_check_letter(digits)
        if uai in taken:
            continue
        taken.add(uai)
        commune = rng.choice(_COMMUNE_ROOTS) + rng.choice(_COMMUNE_SUFFIXES)
        schools.append(_school(digits, rng.choice(types), rng.choice(_PATRONS), commune))
    return schools


# --- people -------------------------------------------------------------------------------------

_GIRLS = (
    "Léa",
    "Emma",
    "Jade",
    "Louise",
    "Alice",
    "Chloé",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Inès",
    "Ambre",
    "Julia",
    "Zoé",
    "Léna",
    "Manon",
    "Camille",
    "Sarah",
    "Lou",
    "Nina",
    "Eva",
    "Romane",
    "Agathe",
    "Margaux",
    "Clara",
    "Maëlys",
    "Lucie",
    "Yasmine",
    "Capucine",
    "Salomé",
)
_BOYS = (
    "Gabriel",
    "Léo",
    "Raphaël",
    "Louis",
    "Arthur",
    "Jules",
    "Adam",
    "Maël",
    "Lucas",
    "Hugo",
    "Noah",
    "Liam",
    "Sacha",
    "Gabin",
    "Nathan",
    "Tom",
    "Théo",
    "Ethan",
    "Paul",
    "Nolan",
    "Timéo",
    "Enzo",
    "Mathis",
    "Rayan",
    "Axel",
    "Robin",
    "Victor",
    "Côme",
    "Malo",
    "Naël",
)
_TITLES = {1: ("directrice", "directeur"), 2: ("principale", "principal")}
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "example.fr")
_DOMAIN_SLIPS = {
    "example.com": ("exemple.com", "example.cmo", "exmaple.com", "example.con"),
    "example.org": ("exemple.org", "example.ogr", "exmaple.org"),
    "example.net": ("exemple.net", "example.nte", "exmaple.net"),
    "example.fr": ("exemple.fr", "example.rf", "exmaple.fr"),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _login_part(text: str) -> str:
    return "".join(c for c in _fold(text).lower() if c.isalpha())


@dataclass(frozen=True)
class Persona:
    """A family as one conversation describes it: a responsable, their children, their school."""

    civilite: str
    prenom: str
    nom: str
    nom_naissance: str
    enfant: str
    enfant_is_girl: bool
    enfant2: str
    date_naissance: date
    classe: str
    school: DemoSchool
    telephone: str
    email: str
    identifiant: str
    directeur: str
    directeur_is_woman: bool

    @property
    def is_woman(self) -> bool:
        return self.civilite == "Mme"

    @property
    def full_name(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def child_name(self) -> str:
        return f"{self.enfant} {self.nom}"


def _mobile(rng: random.Random) -> str:
    prefix = rng.choice(("06", "06", "06", "07"))
    second = rng.randrange(10) if prefix == "06" else rng.randrange(3, 10)
    digits = f"{prefix}{second}{rng.randrange(10_000_000):07d}"
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def _school_year(today: date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def make_persona(
    faker: Faker,
    school: DemoSchool | None = None,
    *,
    degree: int | None = None,
    today: date | None = None,
    school_age: bool = False,
) -> Persona:
    """A synthetic family; the school is drawn from SCHOOLS (of `degree` if given).

    With `school_age`, the child is at least in CP (online services start there).
    """
    rng = faker.random
    if school is None:
        candidates = [s for s in SCHOOLS if degree is None or s.degree == degree]
        if school_age or rng.random() < 0.9:
            candidates = [s for s in candidates if s.type != "maternelle"]
        school = rng.choice(candidates)
    is_woman = rng.random() < 0.7
    prenom = faker.first_name_female() if is_woman else faker.first_name_male()
    nom = faker.last_name()
    enfant_is_girl = rng.random() < 0.5
    enfant = rng.choice(_GIRLS if enfant_is_girl else _BOYS)
    enfant2 = rng.choice([name for name in _GIRLS + _BOYS if name != enfant])
    levels = _LEVELS[school.type]
    if school_age:
        levels = tuple(level for level in levels if level not in _MATERNELLE_LEVELS) or levels
    classe = rng.choice(levels)
    birth_year = _school_year(today or date.today()) - _AGE[classe]
    born = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
    local = _login_part(prenom) if rng.random() < 0.7 else _login_part(prenom)[:1]
    email = f"{local}.{_login_part(nom)}"
    if rng.random() < 0.5:
        email += str(rng.randrange(1, 100))
    email += "@" + rng.choice(_EMAIL_DOMAINS)
    directeur_is_woman = rng.random() < 0.65
    return Persona(
        civilite="Mme" if is_woman else "M.",
        prenom=prenom,
        nom=nom,
        nom_naissance=faker.last_name(),
        enfant=enfant,
        enfant_is_girl=enfant_is_girl,
        enfant2=enfant2,
        date_naissance=born,
        classe=classe,
        school=school,
        telephone=_mobile(rng),
        email=email,
        identifiant=f"{_login_part(prenom)[:1]}.{_login_part(nom)}{rng.randrange(1, 1000)}",
        directeur=f"{'Mme' if directeur_is_woman else 'M.'} {faker.last_name()}",
        directeur_is_woman=directeur_is_woman,
    )


# --- filling the templates ------------------------------------------------------------------


def _wrong_date(born: date, rng: random.Random) -> date:
    if born.day <= 12 and born.day != born.month:
        return born.replace(day=born.month, month=born.day)
    return born + timedelta(days=rng.choice((-1, 1)))


def _transpose(phone: str, rng: random.Random) -> str:
    digits = phone.replace(" ", "")
    candidates = [i for i in range(2, 9) if digits[i] != digits[i + 1]]
    if not candidates:
        return phone
    i = rng.choice(candidates)
    digits = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    return " ".join(digits[j : j + 2] for j in range(0, 10, 2))


def _long_date(day: date) -> str:
    return long_date(day)


def _elide(word: str, name: str) -> str:
    """'de Hugo' -> "d'Hugo", 'que Emma' -> "qu'Emma"."""
    if _fold(name[:1]).upper() in "AEIOUH":
        return f"{word[:-1]}'{name}"
    return f"{word} {name}"


def _elide_de(at: str) -> str:
    """'à l'école primaire X' -> "de l'école primaire X", 'au collège X' -> 'du collège X'."""
    if at.startswith("au "):
        return "du " + at.removeprefix("au ")
    return "de " + at.removeprefix("à ")


def _teleservices(classe: str) -> tuple[str, ...]:
    services = ("la demande de bourse", "la fiche de renseignements")
    if classe in ("3e", "2de"):
        services += ("la saisie des vœux d'orientation",)
    if classe == "3e":
        services += ("la téléinscription au lycée",)
    return services


def _context(persona: Persona, faker: Faker, today: date) -> dict[str, str]:
    rng = faker.random
    school = persona.school
    is_school = school.degree == 1
    other = rng.choice([s for s in SCHOOLS if s.uai != school.uai and s.type != "maternelle"])
    local, domain = persona.email.split("@")
    email_faux = f"{local}@{rng.choice(_DOMAIN_SLIPS.get(domain, ('gmial.com',)))}"
    recent = today - timedelta(days=rng.randrange(1, 20))
    title = _TITLES[school.degree][0 if persona.directeur_is_woman else 1]
    if school.type == "lycee":
        title = "proviseure" if persona.directeur_is_woman else "proviseur"
    mdp = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
    mdp = mdp[:2] + str(rng.randrange(10, 100)) + mdp[2:]
    institution = _TYPE_PREFIX[school.type][2]
    l_ecole = "l'école" if is_school else institution
    return {
        "prenom": persona.prenom,
        "nom": persona.nom,
        "nom_naissance": persona.nom_naissance,
        "civ": persona.civilite,
        "madame": "Madame" if persona.is_woman else "Monsieur",
        "lien": "mère" if persona.is_woman else "père",
        "grand_parent": "la grand-mère" if persona.is_woman else "le grand-père",
        "un_parent": "une maman" if persona.is_woman else "un papa",
        "Un_parent": "Une maman" if persona.is_woman else "Un papa",
        "pe": "e" if persona.is_woman else "",
        "enfant": persona.enfant,
        "enfant2": persona.enfant2,
        "de_enfant": _elide("de", persona.enfant),
        "de_enfant2": _elide("de", persona.enfant2),
        "que_enfant": _elide("que", persona.enfant),
        "mon_fils": "ma fille" if persona.enfant_is_girl else "mon fils",
        "il": "elle" if persona.enfant_is_girl else "il",
        "Il": "Elle" if persona.enfant_is_girl else "Il",
        "e_enfant": "e" if persona.enfant_is_girl else "",
        "classe": persona.classe,
        "date_naissance": persona.date_naissance.strftime("%d/%m/%Y"),
        "date_naissance_faux": _wrong_date(persona.date_naissance, rng).strftime("%d/%m/%Y"),
        "date_naissance_lettres": _long_date(persona.date_naissance),
        "telephone": persona.telephone,
        "telephone_colle": persona.telephone.replace(" ", ""),
        "telephone_faux": _transpose(persona.telephone, rng),
        "email": persona.email,
        "email_faux": email_faux,
        "identifiant": persona.identifiant,
        "mdp_provisoire": mdp,
        "ecole": school.name,
        "de_ecole": _elide_de(school.at),
        "a_ecole": school.at,
        "commune": school.commune,
        "uai": school.uai,
        "autre_ecole": other.with_article,
        "a_autre_ecole": other.at,
        "l_ecole": l_ecole,
        "L_ecole": l_ecole[0].upper() + l_ecole[1:],
        "a_l_ecole": "à l'école" if is_school else _TYPE_PREFIX[school.type][1],
        "de_l_ecole": "de l'école" if is_school else "du " + institution.removeprefix("le "),
        "e_ecole": "e" if is_school else "",
        "secretariat": "la direction de l'école"
        if is_school
        else f"le secrétariat du {institution.removeprefix('le ')}",
        "au_secretariat": "à la direction de l'école"
        if is_school
        else f"au secrétariat du {institution.removeprefix('le ')}",
        "base": "ONDE" if is_school else "SIECLE",
        "delai_synchro": "dans un à deux jours (au plus tôt le lendemain à 8 h 30)"
        if is_school
        else "dans 48 heures au moins",
        "directeur": persona.directeur,
        "directeur_titre": title,
        "directeur_appel": f"{'Madame la' if persona.directeur_is_woman else 'Monsieur le'} "
        f"{title.capitalize()}",
        "teleservice": rng.choice(_teleservices(persona.classe)),
        "agent": faker.first_name(),
        "agent2": faker.first_name(),
        "jour": rng.choice(
            ("lundi", "mardi", "hier", "la semaine dernière", "vendredi dernier", "ce matin")
        ),
        "date": recent.strftime("%d/%m"),
        "heure": f"{rng.choice((8, 9, 10, 11, 14, 15, 16))} h {rng.randrange(0, 60, 5):02d}",
    }


_TYPO_WORD_MIN = 6


def _roughen(text: str, rng: random.Random) -> str:
    """Make a person's text look typed in a hurry now and then: slips, no accents, no capitals."""
    roll = rng.random()
    if roll < 0.15:
        text = _fold(text)
    elif roll < 0.22:
        text = text.lower()
    if rng.random() < 0.3:
        words = text.split(" ")
        slots = [
            i
            for i, word in enumerate(words)
            if len(word) >= _TYPO_WORD_MIN and word.isalpha() and word.islower()
        ]
        for i in rng.sample(slots, min(len(slots), rng.choice((1, 1, 2)))):
            word = words[i]
            j = rng.randrange(1, len(word) - 2)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        text = " ".join(words)
    return text


# --- conversations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    #: 'agent', 'demandeur' (the parent or pupil who asked) or 'directeur'.
    author_kind: str
    body: str
    is_internal: bool = False


@dataclass(frozen=True)
class Conversation:
    subject: str
    body: str
    requester_kind: str
    replies: tuple[Reply, ...]
    type: str
    nature: str
    motif: str
    channel: str
    persona: Persona

    @property
    def requester_name(self) -> str:
        if self.requester_kind == "directeur":
            return self.persona.directeur
        if self.requester_kind == "eleve":
            return self.persona.child_name
        return self.persona.full_name

    @property
    def requester_email(self) -> str | None:
        if self.requester_kind == "directeur":
            return f"ce.{self.persona.school.uai.lower()}@ac-demo.fr"
        if self.requester_kind == "eleve":
            return None
        return self.persona.email

    @property
    def requester_phone(self) -> str | None:
        return self.persona.telephone if self.requester_kind in ("parent", "autre") else None

    @property
    def child_name(self) -> str | None:
        """The pupil the request is about; None for a director's question on the tool."""
        return None if self.motif == "notification_directeur" else self.persona.child_name

    @property
    def school(self) -> DemoSchool:
        return self.persona.school


def _audience(requester_kind: str) -> str:
    return requester_kind if requester_kind in ("eleve", "directeur") else "parent"


def _pick_tagged(items, tag: str | None, rng: random.Random):
    """An item with the template's tag, else an untagged one, else None."""
    same = [item for item in items if tag is not None and item.tag == tag]
    if same:
        return rng.choice(same)
    generic = [item for item in items if item.tag is None]
    return rng.choice(generic) if generic else None


def _pick_followup(texts: MotifTexts, tag: str | None, rng: random.Random) -> str:
    """A follow-up that fits the template's tag or any tag."""
    fitting = [
        item
        for item in texts.followups
        if isinstance(item, str) or item.tag is None or item.tag == tag
    ]
    if not fitting:
        return rng.choice(_PARENT_FOLLOWUPS)
    item = rng.choice(fitting)
    return item if isinstance(item, str) else item.text


def _pick_answer(texts: MotifTexts, audience: str, tag: str | None, rng: random.Random) -> Answer:
    for wanted in (audience, "parent", "directeur"):
        fitting = tuple(a for a in texts.answers if a.audience in (wanted, None))
        answer = _pick_tagged(fitting, tag, rng) or (rng.choice(fitting) if fitting else None)
        if answer is not None:
            return answer
    raise LookupError("no answer text")  # pragma: no cover - every motif has answers


#: Motifs about services that start in CP: the child is never in maternelle.
_SCHOOL_AGE_MOTIFS = frozenset({"lsu_bilan_invisible", "teleservices", "compte_eleve"})

_GREETINGS = {
    "parent": ("Bonjour {madame} {nom},", "Bonjour,", "Madame, Monsieur,", "Bonjour {madame},"),
    "eleve": ("Bonjour {enfant},", "Bonjour,"),
    "directeur": ("Bonjour,", "Bonjour {directeur_appel},"),
}
#: The demo académie's details are the settings' defaults.
DEMO_ACADEMIE = AcademieSettings()
_SIGN_OFFS = ("Cordialement,", "Bien cordialement,", "Bonne journée,", "Bonne fin de journée,")
_SIGNATURE = "{agent}\nCentre de services de la DSI - assistance EduConnect"
_HOURS = (
    f"L'assistance téléphonique vous répond au {DEMO_ACADEMIE.telephone_assistance}, "
    f"{DEMO_ACADEMIE.horaires_assistance}."
)
_AFTER_CALL = "Suite à votre appel, voici le récapitulatif de nos échanges."
_CLOSING_LINES = (
    "Merci pour votre retour. Nous clôturons la demande ; n'hésitez pas à nous recontacter si "
    "besoin.",
    "Parfait, merci. Bonne journée.",
    "Merci de nous avoir tenus informés, la demande est close.",
)
_GENERIC_NOTES = (
    "Je prends.",
    "{agent2}, tu peux regarder ? Je n'ai pas l'extraction {base} de cette école.",
    "Demande en doublon avec un appel de ce matin : je fusionnerai si besoin.",
    "Rappel fait à {heure}, messagerie. Je réessaie demain.",
    "Attention, le prénom de l'enfant n'est pas écrit pareil dans la demande et dans la base : "
    "vérifier avant de répondre.",
)
_DIRECTOR_FOLLOWUPS = (
    "Merci pour ces précisions, je transmets à la famille.",
    "C'est noté, merci.",
    "Merci, je fais la correction aujourd'hui.",
    "Très clair, merci beaucoup.",
)
_PARENT_FOLLOWUPS = ("Merci pour votre réponse.", "merci beaucoup", "D'accord, merci.")
_FORWARD_NOTES = (
    "Message envoyé à {l_ecole} ({uai}) pour correction de la base.",
    "Vu avec {directeur} par téléphone : correction {base} en cours.",
)


def _agent_message(
    text: str, ctx: dict[str, str], audience: str, by_phone: bool, rng: random.Random
) -> str:
    parts = [rng.choice(_GREETINGS[audience]).format_map(ctx)]
    if by_phone:
        parts.append(_AFTER_CALL)
    parts.append(text.format_map(ctx))
    sign_off = rng.choice(_SIGN_OFFS) + "\n" + _SIGNATURE.format_map(ctx)
    if audience != "directeur" and rng.random() < 0.3:
        sign_off += "\n" + _HOURS
    parts.append(sign_off)
    return "\n\n".join(parts)


def _choose_template(
    texts: MotifTexts, channel: str, persona: Persona | None, rng: random.Random
) -> Template:
    if channel == "telephone":
        fitting = [t for t in texts.templates if t.by_phone]
    elif channel == "portail_directeur":
        fitting = [t for t in texts.templates if not t.by_phone and t.requester_kind == "directeur"]
    elif channel == "formulaire_contact":
        fitting = [t for t in texts.templates if not t.by_phone and t.requester_kind != "directeur"]
    else:
        fitting = [t for t in texts.templates if not t.by_phone]
    if not fitting:
        fitting = [t for t in texts.templates if not t.by_phone]
    if persona is not None:
        same_degree = [t for t in fitting if t.degree in (None, persona.school.degree)]
        fitting = same_degree or fitting
    return rng.choice(fitting)


def conversation_for(
    motif: str,
    faker: Faker,
    channel: str,
    *,
    persona: Persona | None = None,
    today: date | None = None,
    names: dict[str, str] | None = None,
) -> Conversation:
    """A request about `motif` as it arrives through `channel`, with the replies it got.

    Pass `persona` to write about people already in the demo base; otherwise one is drawn.
    `names` gives the staff who write the replies (``agent``, ``agent2``, ``directeur``),
    so that signatures match the accounts that post them.
    """
    if motif not in MOTIF_TEXTS:
        raise ValueError(f"unknown motif {motif!r}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    rng = faker.random
    today = today or date.today()
    texts = MOTIF_TEXTS[motif]
    template = _choose_template(texts, channel, persona, rng)
    if persona is None:
        school_age = motif in _SCHOOL_AGE_MOTIFS
        persona = make_persona(faker, degree=template.degree, today=today, school_age=school_age)
    ctx = _context(persona, faker, today)
    ctx.update(names or {})
    requester_kind = template.requester_kind
    audience = _audience(requester_kind)
    person_writes = not template.by_phone and requester_kind != "directeur"

    body = template.body.format_map(ctx)
    if person_writes:
        body = _roughen(body, rng)
    replies: list[Reply] = []

    def note(text: str) -> None:
        replies.append(Reply("agent", text.format_map(ctx), is_internal=True))

    fixes = [fix for fix in texts.school_fixes if fix.tag == template.tag]
    by_school = audience != "directeur" and bool(fixes) and rng.random() < 0.35
    if rng.random() < 0.55 and not by_school:
        picked = _pick_tagged(texts.notes, template.tag, rng)
        note(picked.text if picked else rng.choice(_GENERIC_NOTES))
    elif rng.random() < 0.2:
        note(rng.choice(_GENERIC_NOTES))

    if by_school:
        note(rng.choice(_FORWARD_NOTES))
        replies.append(Reply("directeur", rng.choice(fixes).text.format_map(ctx)))
        after = _pick_tagged(texts.after_fix, template.tag, rng) or rng.choice(texts.after_fix)
        answer_text = after.text
    else:
        answer_text = _pick_answer(texts, audience, template.tag, rng).text
    replies.append(
        Reply("agent", _agent_message(answer_text, ctx, audience, template.by_phone, rng))
    )

    if rng.random() < 0.5:
        if requester_kind == "directeur":
            author, followup = (
                "directeur",
                rng.choice(texts.director_followups or _DIRECTOR_FOLLOWUPS),
            )
        else:
            author, followup = "demandeur", _pick_followup(texts, template.tag, rng)
        followup = followup.format_map(ctx)
        replies.append(Reply(author, _roughen(followup, rng) if person_writes else followup))
        if rng.random() < 0.4:
            replies.append(Reply("agent", rng.choice(_CLOSING_LINES)))

    return Conversation(
        subject=template.subject.format_map(ctx),
        body=body,
        requester_kind=requester_kind,
        replies=tuple(replies),
        type=MOTIF_DEFAULT_TYPE[motif],
        nature=MOTIF_NATURE[motif],
        motif=motif,
        channel=channel,
        persona=persona,
    )


# --- bulk messages for load tests -------------------------------------------------------------


@dataclass(frozen=True)
class FastMessage:
    motif: str
    subject: str
    body: str


_POOL_SEED = 20260901
_POOL_VARIANTS = 48
_ASIDES = (
    "",
    "",
    "",
    "J'ai essayé sur mon téléphone et sur l'ordinateur, pareil.",
    "C'est la deuxième fois que j'écris.",
    "Je suis joignable le matin.",
    "Je vous mets la capture d'écran en pièce jointe.",
    "Mon conjoint a le même problème.",
    "L'école m'a dit de vous écrire.",
    "J'ai déjà appelé mais ça ne répondait pas.",
    "C'est assez urgent.",
    "Merci de me répondre par mail.",
    "je précise que j'ai bien tout recopié",
    "Nous avons trois enfants dans deux établissements.",
    "Je n'ai pas d'ordinateur, seulement mon portable.",
)
_TAILS = (
    "",
    "",
    "",
    "",
    "\n\nEnvoyé de mon téléphone",
    "\n\nMerci d'avance",
    "\n\nmerci",
    "\n\nBonne journée",
    "\n\nCdlt",
    "\n\nDans l'attente de votre réponse,",
    "\n\nMerci de votre aide !",
    "\n\nBien à vous",
)


@dataclass(frozen=True)
class _Pool:
    motifs: tuple[str, ...]
    cum_weights: tuple[int, ...]
    cores: dict[str, tuple[tuple[str, str], ...]]


@lru_cache(maxsize=1)
def _fast_pool() -> _Pool:
    faker = Faker("fr_FR")
    faker.seed_instance(_POOL_SEED)
    rng = faker.random
    today = date(2026, 1, 15)
    cores: dict[str, tuple[tuple[str, str], ...]] = {}
    for motif, texts in MOTIF_TEXTS.items():
        written = [t for t in texts.templates if not t.by_phone]
        variants = []
        for i in range(_POOL_VARIANTS):
            template = written[i % len(written)]
            persona = make_persona(
                faker, degree=template.degree, today=today, school_age=motif in _SCHOOL_AGE_MOTIFS
            )
            ctx = _context(persona, faker, today)
            body = template.body.format_map(ctx)
            if template.requester_kind != "directeur":
                body = _roughen(body, rng)
            variants.append((template.subject.format_map(ctx), body))
        cores[motif] = tuple(variants)
    motifs = tuple(MOTIF_WEIGHTS)
    running, cum = 0, []
    for motif in motifs:
        running += MOTIF_WEIGHTS[motif]
        cum.append(running)
    return _Pool(motifs=motifs, cum_weights=tuple(cum), cores=cores)


def fast_messages(faker: Faker, n: int, *, seed: int | None = None) -> Iterator[FastMessage]:
    """`n` labelled messages combined from a precomputed pool.

    Deterministic for a given `seed`, or for a seeded faker when no seed is given.
    """
    pool = _fast_pool()
    rng = faker.random if seed is None else random.Random(seed)
    random_ = rng.random
    asides, tails = _ASIDES, _TAILS
    for motif in rng.choices(pool.motifs, cum_weights=pool.cum_weights, k=n):
        cores = pool.cores[motif]
        subject, body = cores[int(random_() * len(cores))]
        aside = asides[int(random_() * len(asides))]
        tail = tails[int(random_() * len(tails))]
        if aside:
            body = f"{body}\n{aside}"
        yield FastMessage(motif, subject, body + tail)


def fast_message_bodies(faker: Faker, n: int, *, seed: int | None = None) -> list[str]:
    """`n` varied French message bodies, cheap enough for a load test of 100,000 tickets."""
    return [message.body for message in fast_messages(faker, n, seed=seed)]
