"""The demo's account base: a generated snapshot of the demo schools, and requests about it.

The snapshot is written by :func:`helpdesk.demo.generator.generate_academie` for the demo
schools and imported like a real one. Its ``anomalies.csv`` says which parents carry which
anomaly: each scenario below picks one of them and writes the request that parent would send,
so that the diagnosis made on arrival has something to find.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from helpdesk.accounts.importer import ImportReport, import_snapshot
from helpdesk.demo.content import SCHOOLS
from helpdesk.demo.generator import generate_academie
from helpdesk.tickets.services import TicketInput
from helpdesk.tickets.taxonomy import MOTIF_DEFAULT_TYPE, MOTIF_NATURE
from helpdesk.util.frenchdates import PARIS
from helpdesk.util.text import fold

#: Responsables of the demo académie: enough for every anomaly, quick to make and import.
RESPONSABLES = 2000
#: The provider a parent really uses, for each misspelt one of the generator.
PROVIDER_FIXES = {
    "gmial.com": "gmail.com",
    "hotmial.fr": "hotmail.fr",
    "orange.rf": "orange.fr",
    "yahou.fr": "yahoo.fr",
    "gmail.cmo": "gmail.com",
    "wanado.fr": "wanadoo.fr",
}


def extraction_moment(now: datetime) -> datetime:
    """This morning's nightly extraction (yesterday's before 5 a.m.), in Paris time."""
    local = now.astimezone(PARIS)
    moment = local.replace(hour=5, minute=0, second=0, microsecond=0)
    return moment if moment <= local else moment - timedelta(days=1)


def load_account_base(factory, folder: Path, now: datetime, seed: int) -> ImportReport:
    """Generate the snapshot of the demo schools into ``folder`` and import it."""
    generate_academie(
        folder,
        RESPONSABLES,
        seed=seed,
        extraction=extraction_moment(now),
        schools=[(s.uai, s.name, s.type, s.commune) for s in SCHOOLS],
    )
    return import_snapshot(factory, folder)


# --------------------------------------------------------------------------- the snapshot


class Snapshot:
    """The generated CSV files, read back to pick the parents of the scenarios."""

    def __init__(self, folder: Path) -> None:
        self.responsables = {r["responsable_id"]: r for r in _rows(folder / "responsables.csv")}
        self.pupils = {p["eleve_id"]: p for p in _rows(folder / "eleves.csv")}
        self.children: dict[str, list[str]] = defaultdict(list)
        self.parents: dict[str, list[str]] = defaultdict(list)
        self.legal: set[tuple[str, str]] = set()
        for link in _rows(folder / "liens.csv"):
            self.children[link["responsable_id"]].append(link["eleve_id"])
            self.parents[link["eleve_id"]].append(link["responsable_id"])
            if link["responsable_legal"] == "1":
                self.legal.add((link["eleve_id"], link["responsable_id"]))
        self.accounts = {
            a["personne_id"]: a for a in _rows(folder / "comptes.csv") if a["profil"] != "eleve"
        }
        self.anomalies: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.flags: dict[str, set[str]] = defaultdict(set)
        for row in _rows(folder / "anomalies.csv"):
            self.anomalies[row["anomalie"]].append((row["id"], row["detail"]))
            self.flags[row["id"]].add(row["anomalie"])

    def trouble(self, responsable_id: str) -> set[str]:
        """Every anomaly of a responsable, of their account and of their children."""
        found = set(self.flags[responsable_id])
        for eleve_id in self.children[responsable_id]:
            found |= self.flags[eleve_id]
        account = self.accounts.get(responsable_id)
        if account is None:
            found.add("account_missing")
        elif account["etat"] != "active":
            found.add(f"etat_{account['etat']}")
        return found


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Person:
    """The parent writing, the child the request is about, and extras for the message."""

    responsable: dict[str, str]
    child: dict[str, str]
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Scenario:
    anomaly: str
    motif: str
    subject: str
    body: str
    #: Anomalies (see :meth:`Snapshot.trouble`) the chosen parent may also have.
    allowed: frozenset[str] = frozenset()
    #: Gives the person from an ``anomalies.csv`` line, or None when it does not fit.
    person: Callable[[Snapshot, str, str], Person | None] | None = None
    #: The requester gives their mobile in the form.
    gives_phone: bool = True


def _parent_of(snap: Snapshot, responsable_id: str, *, legal: bool = True) -> Person | None:
    responsable = snap.responsables.get(responsable_id)
    children = [
        snap.pupils[e]
        for e in snap.children[responsable_id]
        if not legal or (e, responsable_id) in snap.legal
    ]
    if responsable is None or not children:
        return None
    return Person(responsable, children[0])


def _responsable(snap: Snapshot, ident: str, detail: str) -> Person | None:
    return _parent_of(snap, ident)


def _transposed(snap: Snapshot, ident: str, detail: str) -> Person | None:
    person = _parent_of(snap, ident)
    given = detail.rsplit(":", 1)[-1].strip()
    if person is None or not given:
        return None
    return Person(person.responsable, person.child, phone=given)


def _misspelt(snap: Snapshot, ident: str, detail: str) -> Person | None:
    person = _parent_of(snap, ident)
    local, _, domain = detail.partition("@")
    if person is None or domain not in PROVIDER_FIXES:
        return None
    return Person(person.responsable, person.child, email=f"{local}@{PROVIDER_FIXES[domain]}")


def _duplicated(snap: Snapshot, ident: str, detail: str) -> Person | None:
    """The original parent, asking about the child linked to their duplicate."""
    original = snap.responsables.get(detail)
    missing = [snap.pupils[e] for e in snap.children[ident] if (e, ident) in snap.legal]
    if original is None or not missing or not snap.children[detail]:
        return None
    return Person(original, missing[0])


def _pupil_parent(snap: Snapshot, ident: str, detail: str) -> Person | None:
    pupil = snap.pupils.get(ident)
    parents = [r for r in snap.parents[ident] if (ident, r) in snap.legal]
    if pupil is None or not parents:
        return None
    return Person(snap.responsables[parents[0]], pupil)


def _not_legal(snap: Snapshot, ident: str, detail: str) -> Person | None:
    return _parent_of(snap, ident, legal=False)


SCENARIOS = (
    Scenario(
        "phone_transposed",
        "activation_sms",
        "Code SMS jamais reçu",
        "Bonjour,\nJ'essaie de créer mon compte EduConnect pour suivre {child_at}. On me dit "
        "qu'un code va m'être envoyé par SMS au {phone} mais je ne reçois jamais rien, j'ai "
        "essayé trois fois depuis hier soir.\nPouvez-vous m'aider ?\n{name}",
        allowed=frozenset({"etat_non_notifie", "etat_notifie_non_active"}),
        person=_transposed,
    ),
    Scenario(
        "phone_missing",
        "activation_sms",
        "Activation par SMS impossible",
        "Bonjour, quand je veux activer mon compte par SMS, le site me dit que mon numéro "
        "n'est pas connu. Pourtant c'est bien le {phone}. Mon enfant : {child}, {school}.\n"
        "Merci d'avance.",
        allowed=frozenset({"etat_non_notifie", "etat_notifie_non_active"}),
    ),
    Scenario(
        "phone_landline",
        "activation_sms",
        "Pas de SMS pour l'inscription",
        "Bonjour,\nle site EduConnect refuse mon numéro de portable quand je veux m'inscrire "
        "par SMS. Je ne comprends pas, je l'ai donné à l'école à la rentrée pour {child}, "
        "qui est {school_at}.\nCordialement\n{name}",
        allowed=frozenset({"etat_non_notifie", "etat_notifie_non_active"}),
        gives_phone=False,
    ),
    Scenario(
        "phone_shared",
        "activation_sms",
        "Numéro déjà utilisé",
        "Bonjour, je veux créer mon compte mais le numéro de portable est déjà celui du compte "
        "de mon conjoint. Comment faire pour avoir chacun notre compte pour {child} ?\n{name}",
        allowed=frozenset({"etat_non_notifie", "etat_notifie_non_active"}),
    ),
    Scenario(
        "duplicate_responsable",
        "enfant_manquant",
        "Un de mes enfants n'apparaît pas",
        "Bonjour,\nsur mon compte EduConnect je ne vois qu'un seul de mes enfants. {child}, "
        "qui est {school_at}, n'apparaît pas du tout. Est-ce normal ?\nBien cordialement,\n"
        "{name}",
        allowed=frozenset({"etat_non_notifie", "etat_notifie_non_active", "email_missing"}),
        person=_duplicated,
    ),
    Scenario(
        "email_misspelt",
        "email_non_verifie",
        "Mail d'activation jamais reçu",
        "Bonjour, j'ai commencé à activer mon compte mais je n'ai jamais reçu le mail pour "
        "confirmer mon adresse, même dans les spams. Mon adresse est {email}.\n"
        "Parent de {child} ({school}).",
        allowed=frozenset({"etat_en_cours_activation", "email_unverified"}),
        person=_misspelt,
    ),
    Scenario(
        "email_unverified",
        "email_non_verifie",
        "Adresse mail pas confirmée",
        "Bonjour,\nEduConnect me demande toujours de confirmer mon adresse mail, mais le lien "
        "du message ne marche plus. Je ne peux pas voir les notes de {child}.\nMerci\n{name}",
        allowed=frozenset({"etat_en_cours_activation"}),
    ),
    Scenario(
        "activation_expired",
        "mot_de_passe_oublie",
        "Mot de passe provisoire refusé",
        "Bonjour,\nl'école m'avait donné un identifiant et un mot de passe provisoire au début "
        "de l'année pour {child}. Aujourd'hui le site me dit que le mot de passe est incorrect. "
        "Je l'ai recopié plusieurs fois.\nCordialement,\n{name}",
        allowed=frozenset({"etat_notifie_non_active"}),
    ),
    Scenario(
        "pupil_no_ine",
        "enfant_manquant",
        "Mon enfant n'est pas sur mon compte",
        "Bonjour, mon enfant {child} est inscrit {school_at} depuis septembre mais il "
        "n'apparaît pas sur mon compte EduConnect. Mes autres démarches fonctionnent.\n{name}",
        allowed=frozenset({"maternelle_only"}),
        person=_pupil_parent,
    ),
    Scenario(
        "pupil_no_class",
        "enfant_manquant",
        "Enfant absent du compte",
        "Bonjour,\nje ne trouve pas {child} sur mon compte, alors qu'il est bien {school_at}. "
        "Que dois-je faire ?\nMerci de votre aide.",
        person=_pupil_parent,
    ),
    Scenario(
        "maternelle_only",
        "teleservices",
        "Aucun service pour mon enfant",
        "Bonjour, je suis connecté à EduConnect mais je ne vois aucun service pour {child}, "
        "qui est {school_at}. La page est vide. Est-ce que j'ai raté quelque chose ?\n{name}",
        person=_pupil_parent,
    ),
    Scenario(
        "not_legal_guardian",
        "compte_inexistant",
        "Impossible de créer un compte",
        "Bonjour,\nje m'occupe de {child} la semaine et je voudrais suivre ses devoirs. "
        "L'école a mes coordonnées mais je n'arrive pas à créer de compte.\nCordialement,\n"
        "{name}",
        allowed=frozenset({"account_missing", "etat_non_notifie"}),
        person=_not_legal,
    ),
)


def _choose(snap: Snapshot, scenario: Scenario, taken: set[str]) -> Person | None:
    """A parent with the scenario's anomaly and, if one exists, no unrelated other."""
    picker = scenario.person or _responsable
    fallback = None
    allowed = scenario.allowed | {scenario.anomaly}
    for ident, detail in snap.anomalies[scenario.anomaly]:
        person = picker(snap, ident, detail)
        if person is None or person.responsable["responsable_id"] in taken:
            continue
        if snap.trouble(person.responsable["responsable_id"]) <= allowed:
            return person
        fallback = fallback or person
    return fallback


# --------------------------------------------------------------------------- writing


def _as_written(text: str, rng: random.Random) -> str:
    """Names as parents type them: often as is, sometimes without accents or in lower case."""
    roll = rng.random()
    if roll < 0.35:
        return fold(text).title()
    if roll < 0.5:
        return text.lower()
    return text


def _phone_as_written(national: str, rng: random.Random) -> str:
    digits = "".join(c for c in national if c.isdigit())
    if digits.startswith("33"):
        digits = "0" + digits[2:]
    style = rng.choice(("pairs", "plain", "dots", "intl"))
    pairs = [digits[i : i + 2] for i in range(0, 10, 2)]
    if style == "pairs":
        return " ".join(pairs)
    if style == "dots":
        return ".".join(pairs)
    if style == "intl":
        return "+33 " + digits[1] + " " + " ".join(pairs[1:])
    return digits


def _own_mobile(responsable: dict[str, str], rng: random.Random) -> str:
    mobile = responsable["telephone_portable"]
    digits = "".join(c for c in mobile if c.isdigit())
    if len(digits) >= 9 and digits[-9] in "67":
        return digits[-9:].rjust(10, "0")
    return "0" + rng.choice("67") + "".join(str(rng.randint(0, 9)) for _ in range(8))


def scenario_inputs(
    folder: Path, school_ids: dict[str, int], now: datetime, rng: random.Random
) -> list[tuple[str, TicketInput]]:
    """The new requests of the scenarios, each with the anomaly it was written for."""
    snap = Snapshot(folder)
    schools = {s.uai: s for s in SCHOOLS}
    made = []
    taken: set[str] = set()
    for n, scenario in enumerate(SCENARIOS):
        person = _choose(snap, scenario, taken)
        if person is None:
            continue
        r, child = person.responsable, person.child
        taken.add(r["responsable_id"])
        first, last = _as_written(r["prenom"], rng), _as_written(r["nom"], rng)
        name = f"{first} {last}" if rng.random() < 0.7 else f"{last.upper()} {first}"
        phone = None
        if scenario.gives_phone:
            phone = _phone_as_written(person.phone or _own_mobile(r, rng), rng)
        email = person.email or r["email"] or None
        school = schools[child["uai"]]
        child_name = _as_written(child["prenom"], rng)
        body = scenario.body.format(
            child=child_name,
            child_at=f"{child_name} {school.at}",
            school=school.name,
            school_at=school.at,
            phone=phone or "mon numéro de portable",
            email=email or "mon adresse",
            name=name,
        )
        channel = "formulaire_contact" if n % 3 else "email"
        made.append(
            (
                scenario.anomaly,
                TicketInput(
                    subject=scenario.subject,
                    body=body,
                    channel=channel,
                    requester_name=name,
                    requester_email=email,
                    requester_phone=phone if channel == "formulaire_contact" else None,
                    requester_kind="parent",
                    school_id=school_ids[school.uai],
                    child_name=child_name,
                    type_demande=MOTIF_DEFAULT_TYPE[scenario.motif],
                    nature=MOTIF_NATURE[scenario.motif],
                    motif=scenario.motif,
                    created_at=now - timedelta(minutes=rng.randint(10, 60 * 30)),
                ),
            )
        )
    return made
