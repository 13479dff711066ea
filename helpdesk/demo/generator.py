"""Synthetic snapshots in the format of the data contract (never real people).

:func:`generate_academie` writes a whole académie, family by family, straight to disk, with the
anomalies the helpdesk meets injected at realistic rates; ``anomalies.csv`` beside the six files
lists which records carry which anomaly (the importer ignores it). :class:`SnapshotBuilder`
writes small hand-made snapshots for tests.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from faker import Faker

from helpdesk.accounts.normalize import CHECK_LETTERS, compact_key, name_key
from helpdesk.accounts.rows import (
    ACCOUNT_COLUMNS,
    EXTRACTION_COLUMNS,
    LINK_COLUMNS,
    PUPIL_COLUMNS,
    RESPONSABLE_COLUMNS,
    SCHOOL_COLUMNS,
)
from helpdesk.diagnostics.typos import KNOWN_PROVIDERS
from helpdesk.util.phones import parse_phone
from helpdesk.util.text import fold

#: The columns of each file, as the importer reads them (data-contract.md).
HEADERS = {
    "etablissements.csv": list(SCHOOL_COLUMNS),
    "eleves.csv": list(PUPIL_COLUMNS),
    "responsables.csv": list(RESPONSABLE_COLUMNS),
    "liens.csv": list(LINK_COLUMNS),
    "comptes.csv": list(ACCOUNT_COLUMNS),
    "extraction.csv": list(EXTRACTION_COLUMNS),
}

#: The most common of the known providers.
PROVIDERS = KNOWN_PROVIDERS[:12]
MISSPELT_PROVIDERS = ("gmial.com", "hotmial.fr", "orange.rf", "yahou.fr", "gmail.cmo", "wanado.fr")

#: (niveau, age at the rentrée, school types that teach it)
LEVELS = [
    ("PS", 3, ("maternelle", "primaire")),
    ("MS", 4, ("maternelle", "primaire")),
    ("GS", 5, ("maternelle", "primaire")),
    ("CP", 6, ("elementaire", "primaire")),
    ("CE1", 7, ("elementaire", "primaire")),
    ("CE2", 8, ("elementaire", "primaire")),
    ("CM1", 9, ("elementaire", "primaire")),
    ("CM2", 10, ("elementaire", "primaire")),
    ("6E", 11, ("college",)),
    ("5E", 12, ("college",)),
    ("4E", 13, ("college",)),
    ("3E", 14, ("college",)),
    ("2NDE", 15, ("lycee",)),
    ("1ERE", 16, ("lycee",)),
    ("TLE", 17, ("lycee",)),
]
SECONDARY = {"college", "lycee"}
#: Pupils per school, by type (rough national averages).
SCHOOL_SIZES = {"maternelle": 90, "elementaire": 150, "primaire": 120, "college": 500, "lycee": 900}

#: Injection rates (share of the records concerned).
RATES = {
    "phone_missing": 0.06,
    "phone_landline": 0.02,
    "phone_invalid": 0.005,
    "phone_transposed": 0.015,
    "phone_shared": 0.02,
    "duplicate_responsable": 0.015,
    "email_missing": 0.04,
    "email_misspelt": 0.01,
    "not_legal_guardian": 0.05,
    "pupil_no_ine": 0.03,
    "pupil_no_class": 0.01,
    "admission_provisoire": 0.015,
    "admission_radiee": 0.005,
    "sync_pending": 0.02,
    "account_missing": 0.04,
    "etat_non_notifie": 0.08,
    "etat_notifie_recent": 0.04,
    "etat_notifie_expired": 0.05,
    "etat_en_cours_activation": 0.03,
}


def uai_for(number: int) -> str:
    digits = f"{number:07d}"
    return digits + CHECK_LETTERS[int(digits) % 23]


def ine_for(number: int) -> str:
    digits = f"{number:010d}"
    return digits + CHECK_LETTERS[int(digits) % 23]


def fr_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def fr_datetime(value: datetime) -> str:
    return value.strftime("%d/%m/%Y %H:%M")


# --------------------------------------------------------------------------- académie


@dataclass
class GenerationStats:
    folder: Path
    counts: Counter[str] = field(default_factory=Counter)
    anomalies: Counter[str] = field(default_factory=Counter)


class _Writers:
    def __init__(self, folder: Path) -> None:
        self._files = {}
        self.writers = {}
        for name, header in [*HEADERS.items(), ("anomalies.csv", ["anomalie", "id", "detail"])]:
            fh = (folder / name).open("w", encoding="utf-8", newline="")
            self._files[name] = fh
            writer = csv.writer(fh, delimiter=";", lineterminator="\n")
            writer.writerow(header)
            self.writers[name] = writer

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()


class _Academie:
    def __init__(
        self,
        folder: Path,
        responsables: int,
        seed: int,
        extraction: datetime,
        schools: Iterable[tuple[str, str, str, str]] | None = None,
    ) -> None:
        self.folder = folder
        self.given_schools = list(schools or [])
        self.target = responsables
        self.rng = random.Random(seed)
        self.now = extraction
        self.rentree = date(extraction.year if extraction.month >= 9 else extraction.year - 1, 9, 1)
        fake = Faker("fr_FR")
        fake.seed_instance(seed)
        self.last_names = sorted({fake.last_name() for _ in range(4000)})
        self.female = sorted({fake.first_name_female() for _ in range(4000)})
        self.male = sorted({fake.first_name_male() for _ in range(4000)})
        self.cities = sorted({fake.city() for _ in range(3000)})
        self.stats = GenerationStats(folder)
        self.next_id = Counter()
        self.used_mobiles: list[str] = []

    # ids
    def _id(self, prefix: str) -> str:
        self.next_id[prefix] += 1
        return f"{prefix}{self.next_id[prefix]:08d}"

    def _write(self, name: str, row: list[Any]) -> None:
        self.w.writers[name].writerow(row)
        self.stats.counts[name] += 1

    def _anomaly(self, kind: str, ident: str, detail: str = "") -> None:
        self.w.writers["anomalies.csv"].writerow([kind, ident, detail])
        self.stats.anomalies[kind] += 1

    def _chance(self, key: str) -> bool:
        return self.rng.random() < RATES[key]

    # schools
    def _schools(self) -> dict[str, list[str]]:
        by_type: dict[str, list[str]] = {}
        if self.given_schools:
            for uai, name, type_, commune in self.given_schools:
                self._write("etablissements.csv", [uai, name, type_, commune])
                by_type.setdefault(type_, []).append(uai)
            return by_type
        pupils = self.target * 4 // 3
        shares = {
            "maternelle": 0.12,
            "elementaire": 0.20,
            "primaire": 0.20,
            "college": 0.28,
            "lycee": 0.20,
        }
        number = 210000
        for type_, share in shares.items():
            count = max(1, round(pupils * share / SCHOOL_SIZES[type_]))
            for _ in range(count):
                number += self.rng.randint(1, 40)
                uai = uai_for(number)
                city = self.rng.choice(self.cities)
                name = {
                    "maternelle": "École maternelle",
                    "elementaire": "École élémentaire",
                    "primaire": "École primaire",
                    "college": "Collège",
                    "lycee": "Lycée",
                }[type_] + f" {self.rng.choice(self.last_names)}"
                self._write("etablissements.csv", [uai, name, type_, city])
                by_type.setdefault(type_, []).append(uai)
        return by_type

    # people
    def _surname(self) -> str:
        name = self.rng.choice(self.last_names)
        if self.rng.random() < 0.06:
            name += "-" + self.rng.choice(self.last_names)
        return name

    def _mobile(self) -> str:
        prefix = self.rng.choice(["6", "6", "6", "7"])
        first = self.rng.randint(0, 9) if prefix == "6" else self.rng.randint(3, 9)
        if prefix == "6" and first in (3, 9):
            first = 1
        digits = prefix + str(first) + "".join(str(self.rng.randint(0, 9)) for _ in range(7))
        return "0" + digits

    def _write_phone(self, national: str) -> str:
        style = self.rng.random()
        pairs = " ".join(national[i : i + 2] for i in range(0, 10, 2))
        if style < 0.55:
            return pairs
        if style < 0.80:
            return national
        if style < 0.90:
            return pairs.replace(" ", ".")
        if style < 0.97:
            return (
                "+33 " + national[1] + " " + " ".join(national[i : i + 2] for i in range(2, 10, 2))
            )
        return "0033" + national[1:]

    def _landline(self) -> str:
        while True:
            digits = "".join(str(self.rng.randint(0, 9)) for _ in range(8))
            number = "0" + str(self.rng.randint(1, 5)) + digits
            phone = parse_phone(number)
            if phone and phone.is_valid:
                return number

    def _email(self, first: str, last: str) -> str:
        local = f"{name_key(first).replace(' ', '-')}.{compact_key(last)}"
        # Providers number the addresses of common names: namesakes rarely share one.
        if self.rng.random() < 0.85:
            local += str(self.rng.randint(1, 9999))
        return f"{local}@{self.rng.choice(PROVIDERS)}"

    def _stamp(self, days_back_max: int, days_back_min: int = 0) -> datetime:
        delta = timedelta(
            days=self.rng.randint(days_back_min, days_back_max),
            minutes=self.rng.randint(0, 24 * 60 - 1),
        )
        return self.now - delta

    # family
    def _family(self, schools: dict[str, list[str]]) -> None:
        rng = self.rng
        surname = self._surname()
        kind = rng.random()
        parents: list[dict[str, Any]] = []
        mother_name = surname if rng.random() < 0.55 else self._surname()
        if kind < 0.30:
            layout = ["mere"] if rng.random() < 0.8 else ["pere"]
        else:
            layout = ["mere", "pere"]
        for lien in layout:
            parents.append(
                {
                    "lien": lien,
                    "nom": mother_name if lien == "mere" else surname,
                    "prenom": rng.choice(self.female if lien == "mere" else self.male),
                    "civilite": "Mme" if lien == "mere" else "M.",
                    "legal": True,
                }
            )
        if self._chance("not_legal_guardian"):
            lien = rng.choice(["autre_membre_famille", "autre_membre_famille", "autre", "tuteur"])
            female = rng.random() < 0.6
            parents.append(
                {
                    "lien": lien,
                    "nom": self._surname(),
                    "prenom": rng.choice(self.female if female else self.male),
                    "civilite": "Mme" if female else "M.",
                    "legal": lien == "tuteur",
                }
            )
        children = self._children(surname if layout != ["mere"] else mother_name, schools)
        for parent in parents:
            self._responsable(parent)
            if not parent["legal"]:
                self._anomaly("not_legal_guardian", parent["id"], parent["lien"])
        if len(parents) >= 2 and self._chance("phone_shared") and parents[0]["mobile_e"]:
            parents[1]["mobile_e"] = parents[0]["mobile_e"]
            parents[1]["mobile"] = self._write_phone(parents[0]["mobile_e"])
            self._anomaly("phone_shared", parents[1]["id"], parents[0]["id"])
        duplicate = None
        if self._chance("duplicate_responsable") and len(children) >= 2:
            duplicate = self._duplicate(parents[0])
        for parent in parents:
            self._write_responsable(parent)
        if duplicate:
            self._write_responsable(duplicate)
        for index, child in enumerate(children):
            for parent in parents:
                owner = parent
                if duplicate is not None and parent is parents[0] and index % 2 == 1:
                    owner = duplicate
                self._write(
                    "liens.csv",
                    [child["id"], owner["id"], parent["lien"], "1" if parent["legal"] else "0"],
                )
                (owner.setdefault("children", [])).append(child["id"])
        for parent in [*parents, *([duplicate] if duplicate else [])]:
            if parent["legal"]:
                self._responsable_account(parent)
        for child in children:
            if child["secondary"]:
                self._pupil_account(child)

    def _children(self, surname: str, schools: dict[str, list[str]]) -> list[dict[str, Any]]:
        rng = self.rng
        count = rng.choices([1, 2, 3, 4], weights=[18, 40, 30, 12])[0]
        if rng.random() < 0.06:
            first_level = rng.randint(0, 2)
            levels = [min(2, first_level + i) for i in range(count)][:2]
        else:
            first_level = rng.randint(0, 14)
            levels = []
            level = first_level
            for _ in range(count):
                levels.append(level)
                level = min(14, level + rng.randint(1, 4))
        children = []
        for level in levels:
            niveau, age, types = LEVELS[level]
            type_ = rng.choice([t for t in types if t in schools])
            born = date(self.rentree.year - age - 1, 1, 1) + timedelta(days=rng.randint(0, 364))
            child_id = self._id("E")
            ine = ine_for(rng.randint(10**9, 10**10 - 1))
            classe = f"{niveau} {rng.choice('ABCD')}"
            admission = "definitive"
            modified = self._stamp(300, 30)
            if self._chance("pupil_no_ine") or (level < 3 and rng.random() < 0.05):
                ine = ""
                self._anomaly("pupil_no_ine", child_id)
            if self._chance("pupil_no_class"):
                classe = ""
                self._anomaly("pupil_no_class", child_id)
            if self._chance("admission_provisoire"):
                admission = "provisoire"
                self._anomaly("admission_provisoire", child_id)
            elif self._chance("admission_radiee"):
                admission = "radiee"
                self._anomaly("admission_radiee", child_id)
            sync_pending = self._chance("sync_pending")
            if sync_pending:
                modified = self._stamp(0)
                self._anomaly("sync_pending", child_id, "eleve")
            prenom = rng.choice(self.female if rng.random() < 0.5 else self.male)
            self._write(
                "eleves.csv",
                [
                    child_id,
                    ine,
                    surname,
                    prenom,
                    fr_date(born) if rng.random() < 0.97 else born.isoformat(),
                    rng.choice(schools[type_]),
                    classe,
                    niveau,
                    admission,
                    fr_datetime(modified),
                ],
            )
            children.append(
                {
                    "id": child_id,
                    "secondary": type_ in SECONDARY,
                    "nom": surname,
                    "prenom": prenom,
                    "sync_pending": sync_pending,
                }
            )
        if all(LEVELS[level][0] in ("PS", "MS", "GS") for level in levels):
            self._anomaly("maternelle_only", children[0]["id"])
        return children

    def _responsable(self, parent: dict[str, Any]) -> None:
        rng = self.rng
        parent["id"] = self._id("R")
        national = self._mobile()
        parent["mobile_e"] = national
        parent["mobile"] = self._write_phone(national)
        parent["account_phone"] = national
        if self._chance("phone_missing"):
            parent["mobile"] = parent["mobile_e"] = ""
            parent["account_phone"] = ""
            self._anomaly("phone_missing", parent["id"])
        elif self._chance("phone_landline"):
            parent["mobile"] = self._write_phone(self._landline())
            parent["mobile_e"] = ""
            self._anomaly("phone_landline", parent["id"])
        elif self._chance("phone_invalid"):
            parent["mobile"] = national[: rng.randint(6, 9)]
            parent["mobile_e"] = ""
            self._anomaly("phone_invalid", parent["id"])
        elif self._chance("phone_transposed"):
            i = rng.randint(2, 8)
            swapped = national[:i] + national[i + 1] + national[i] + national[i + 2 :]
            if swapped != national:
                parent["mobile"] = self._write_phone(swapped)
                parent["mobile_e"] = swapped
                self._anomaly("phone_transposed", parent["id"], f"donné par le parent : {national}")
        parent["fixe"] = self._write_phone(self._landline()) if rng.random() < 0.25 else ""
        parent["email"] = self._email(parent["prenom"], parent["nom"])
        if self._chance("email_missing"):
            parent["email"] = ""
            self._anomaly("email_missing", parent["id"])
        elif self._chance("email_misspelt"):
            local = parent["email"].split("@")[0]
            parent["email"] = f"{local}@{rng.choice(MISSPELT_PROVIDERS)}"
            self._anomaly("email_misspelt", parent["id"], parent["email"])
        parent["modified"] = self._stamp(400, 20)
        parent["sync_pending"] = False
        if self._chance("sync_pending"):
            parent["modified"] = self._stamp(0)
            parent["sync_pending"] = True
            self._anomaly("sync_pending", parent["id"], "responsable")

    def _duplicate(self, parent: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        copy = dict(parent)
        copy["id"] = self._id("R")
        copy["children"] = []
        variant = rng.choice(["accents", "hyphen", "typo", "case", "same"])
        nom, prenom = parent["nom"], parent["prenom"]
        if variant == "accents":
            prenom = fold(prenom).title() if fold(prenom) != prenom.lower() else prenom + "e"
        elif variant == "hyphen" and " " in nom:
            nom = nom.replace(" ", "-")
        elif variant == "hyphen" and "-" in prenom:
            prenom = prenom.replace("-", " ")
        elif variant == "typo" and len(nom) > 4:
            i = rng.randint(1, len(nom) - 3)
            nom = nom[:i] + nom[i + 1] + nom[i] + nom[i + 2 :]
        elif variant == "case":
            nom = nom.upper()
        copy["nom"], copy["prenom"] = nom, prenom
        if rng.random() < 0.3:
            copy["email"] = ""
        self._anomaly("duplicate_responsable", copy["id"], parent["id"])
        return copy

    def _write_responsable(self, parent: dict[str, Any]) -> None:
        self._write(
            "responsables.csv",
            [
                parent["id"],
                parent["civilite"],
                parent["nom"],
                parent["prenom"],
                parent["mobile"],
                parent["fixe"],
                parent["email"],
                fr_datetime(parent["modified"]),
            ],
        )

    def _account_dates(self) -> tuple[str, list[str], bool]:
        """etat, the five dates, email_verifie."""
        rng = self.rng
        created = self._stamp(900, 200)
        synchro = self._stamp(1, 1).replace(hour=6, minute=30)
        notified = activated = last = None
        roll = rng.random()
        thresholds = [
            ("non_notifie", RATES["etat_non_notifie"]),
            ("notifie_recent", RATES["etat_notifie_recent"]),
            ("notifie_expired", RATES["etat_notifie_expired"]),
            ("en_cours_activation", RATES["etat_en_cours_activation"]),
        ]
        state = "active"
        for name, rate in thresholds:
            if roll < rate:
                state = name
                break
            roll -= rate
        verified = "1"
        if state == "non_notifie":
            etat = "non_notifie"
        elif state == "notifie_recent":
            etat, notified = "notifie_non_active", self._stamp(80, 1)
        elif state == "notifie_expired":
            etat, notified = "notifie_non_active", self._stamp(700, 95)
        elif state == "en_cours_activation":
            etat, notified, verified = "en_cours_activation", self._stamp(120, 2), "0"
        else:
            etat = "active"
            notified = created + timedelta(days=rng.randint(0, 30))
            activated = notified + timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 20))
            last = self._stamp(120)
            if last < activated:
                last = activated
        dates = [
            fr_datetime(created),
            fr_datetime(notified) if notified else "",
            fr_datetime(activated) if activated else "",
            fr_datetime(last) if last else "",
            fr_datetime(synchro),
        ]
        return etat, dates, verified

    def _login(self, prenom: str, nom: str) -> str:
        return f"{compact_key(prenom)[:1]}.{compact_key(nom)}{self.rng.randint(10, 999)}"

    def _responsable_account(self, parent: dict[str, Any]) -> None:
        rng = self.rng
        if self._chance("account_missing"):
            self._anomaly("account_missing", parent["id"])
            return
        etat, dates, verified = self._account_dates()
        if etat == "non_notifie":
            origine = "etablissement"
        else:
            origine = rng.choices(
                ["responsable", "etablissement", "franceconnect", "ent", "aten"],
                weights=[55, 25, 15, 3, 2],
            )[0]
        if etat == "en_cours_activation":
            self._anomaly("email_unverified", parent["id"])
        elif etat == "notifie_non_active" and dates[1]:
            notified = datetime.strptime(dates[1], "%d/%m/%Y %H:%M").replace(tzinfo=self.now.tzinfo)
            if notified < self.now - timedelta(days=92):
                self._anomaly("activation_expired", parent["id"])
        compte_id = self._id("C")
        email = parent["email"] if etat in ("active", "en_cours_activation") else ""
        phone = parent["account_phone"] if etat == "active" and origine == "responsable" else ""
        self._write(
            "comptes.csv",
            [
                compte_id,
                self._login(parent["prenom"], parent["nom"]),
                "responsable",
                parent["id"],
                etat,
                origine,
                email,
                verified if email else "0",
                phone,
                "|".join(parent.get("children", [])),
                *dates,
            ],
        )

    def _pupil_account(self, child: dict[str, Any]) -> None:
        etat, dates, _ = self._account_dates()
        if etat == "en_cours_activation":
            etat = "active"
        self._write(
            "comptes.csv",
            [
                self._id("C"),
                self._login(child["prenom"], child["nom"]),
                "eleve",
                child["id"],
                etat,
                "etablissement",
                "",
                "0",
                "",
                "",
                *dates,
            ],
        )

    def run(self) -> GenerationStats:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.w = _Writers(self.folder)
        try:
            schools = self._schools()
            while self.stats.counts["responsables.csv"] < self.target:
                self._family(schools)
            stamp = fr_datetime(self.now)
            for source in ("onde", "siecle", "educonnect"):
                self._write("extraction.csv", [source, stamp])
        finally:
            self.w.close()
        return self.stats


def generate_academie(
    folder: str | Path,
    responsables: int = 1000,
    seed: int = 2026,
    extraction: datetime | None = None,
    schools: Iterable[tuple[str, str, str, str]] | None = None,
) -> GenerationStats:
    """Write a synthetic académie of about ``responsables`` responsables into ``folder``.

    About 1.33 pupils and 1.66 accounts per responsable; rows are written as they are made,
    so memory does not grow with the size. ``schools`` (uai, nom, type, commune), when given,
    replaces the made-up schools; every level needs a school of a type that teaches it.
    """
    from helpdesk.util.frenchdates import PARIS

    moment = extraction or datetime(2026, 3, 16, 5, 0, tzinfo=PARIS)
    return _Academie(Path(folder), responsables, seed, moment, schools).run()


# --------------------------------------------------------------------------- tests


class SnapshotBuilder:
    """Small hand-made snapshots: add rows with sensible defaults, then :meth:`write`.

    Values are written as given (strings), so tests can put any writing in any cell.
    """

    def __init__(self, extraction: str = "16/03/2026 05:00") -> None:
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in HEADERS}
        self._counter = 0
        for source in ("onde", "siecle", "educonnect"):
            self.rows["extraction.csv"].append({"source": source, "date_extraction": extraction})

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _add(self, name: str, values: dict[str, Any]) -> dict[str, str]:
        unknown = set(values) - set(HEADERS[name])
        if unknown:
            raise KeyError(f"unknown columns for {name}: {sorted(unknown)}")
        row = {column: "" for column in HEADERS[name]}
        row.update({k: "" if v is None else str(v) for k, v in values.items()})
        self.rows[name].append(row)
        return row

    def school(self, **values: Any) -> str:
        n = self._next()
        row = {
            "uai": uai_for(211000 + n),
            "nom": f"École Test {n}",
            "type": "elementaire",
            "commune": "Dijon",
        }
        row.update(values)
        return self._add("etablissements.csv", row)["uai"]

    def pupil(self, uai: str, **values: Any) -> str:
        n = self._next()
        row = {
            "eleve_id": f"E{n:05d}",
            "ine": ine_for(1000000000 + n),
            "nom": "Martin",
            "prenom": "Léa",
            "date_naissance": "02/03/2015",
            "uai": uai,
            "classe": "CM1 A",
            "niveau": "CM1",
            "admission": "definitive",
            "date_modification": "01/09/2025 10:00",
        }
        row.update(values)
        return self._add("eleves.csv", row)["eleve_id"]

    def responsable(self, **values: Any) -> str:
        n = self._next()
        row = {
            "responsable_id": f"R{n:05d}",
            "civilite": "Mme",
            "nom": "Martin",
            "prenom": "Claire",
            "telephone_portable": f"06 12 34 {n // 100:02d} {n % 100:02d}",
            "telephone_fixe": "",
            "email": f"claire.martin{n}@example.org",
            "date_modification": "01/09/2025 10:00",
        }
        row.update(values)
        return self._add("responsables.csv", row)["responsable_id"]

    def link(self, eleve_id: str, responsable_id: str, **values: Any) -> None:
        row = {
            "eleve_id": eleve_id,
            "responsable_id": responsable_id,
            "lien": "mere",
            "responsable_legal": "1",
        }
        row.update(values)
        self._add("liens.csv", row)

    def account(self, personne_id: str, enfants: Iterable[str] = (), **values: Any) -> str:
        n = self._next()
        row = {
            "compte_id": f"C{n:05d}",
            "identifiant": f"c.martin{n}",
            "profil": "responsable",
            "personne_id": personne_id,
            "etat": "active",
            "origine": "responsable",
            "email": "",
            "email_verifie": "1",
            "telephone": "",
            "enfants": "|".join(enfants),
            "date_creation": "01/10/2024 09:00",
            "date_notification": "01/10/2024 09:00",
            "date_activation": "02/10/2024 18:30",
            "date_dernier_acces": "01/03/2026 20:00",
            "date_synchro": "15/03/2026 06:30",
        }
        row.update(values)
        return self._add("comptes.csv", row)["compte_id"]

    def write(
        self,
        folder: str | Path,
        *,
        separator: str = ";",
        encoding: str = "utf-8",
        header_names: dict[str, list[str]] | None = None,
    ) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, header in HEADERS.items():
            with (folder / name).open("w", encoding=encoding, newline="") as fh:
                writer = csv.writer(fh, delimiter=separator, lineterminator="\n")
                writer.writerow((header_names or {}).get(name, header))
                for row in self.rows[name]:
                    writer.writerow([row[column] for column in header])
        return folder


def tiny_snapshot() -> SnapshotBuilder:
    """A fixed small académie: two schools, a family of three, a pupil account, a duplicate."""
    b = SnapshotBuilder()
    ecole = b.school(
        uai="0211234C", nom="École élémentaire Jean Macé", type="elementaire", commune="Dijon"
    )
    college = b.school(
        uai="0211235D", nom="Collège Les Lentillères", type="college", commune="Dijon"
    )
    lea = b.pupil(
        ecole,
        eleve_id="E1",
        nom="Dupont",
        prenom="Léa",
        date_naissance="02/03/2015",
        niveau="CM1",
        classe="CM1 B",
    )
    hugo = b.pupil(
        college,
        eleve_id="E2",
        nom="Dupont",
        prenom="Hugo",
        date_naissance="2012-11-20",
        niveau="5E",
        classe="5E2",
    )
    b.pupil(
        ecole,
        eleve_id="E3",
        nom="Nguyen",
        prenom="Zoé",
        date_naissance="14/07/2020",
        niveau="PS",
        classe="",
        ine="",
        admission="provisoire",
    )
    celine = b.responsable(
        responsable_id="R1",
        nom="Dupont",
        prenom="Céline",
        telephone_portable="06 12 34 56 78",
        email="celine.dupont@example.fr",
    )
    marc = b.responsable(
        responsable_id="R2",
        civilite="M.",
        nom="Dupont",
        prenom="Marc",
        telephone_portable="04 70 12 34 56",
        email="marc.dupont@gmial.com",
    )
    celine_bis = b.responsable(
        responsable_id="R3",
        nom="DUPONT",
        prenom="Celine",
        telephone_portable="+33 6 12 34 56 78",
        email="",
    )
    mamie = b.responsable(
        responsable_id="R4", nom="Nguyen", prenom="Thi", telephone_portable="", email=""
    )
    b.link(lea, celine)
    b.link(lea, marc, lien="pere")
    b.link(hugo, celine_bis)
    b.link(hugo, marc, lien="pere")
    b.link("E3", mamie, lien="autre_membre_famille", responsable_legal="0")
    b.account(
        celine,
        [lea],
        compte_id="C1",
        identifiant="c.dupont114",
        email="celine.dupont@example.fr",
        telephone="0612345678",
    )
    b.account(
        celine_bis,
        [hugo],
        compte_id="C2",
        identifiant="c.dupont7",
        etat="notifie_non_active",
        origine="etablissement",
        date_activation="",
        date_dernier_acces="",
        date_notification="05/09/2025 08:00",
    )
    b.account(
        marc,
        [lea, hugo],
        compte_id="C3",
        identifiant="m.dupont21",
        etat="en_cours_activation",
        email="marc.dupont@gmial.com",
        email_verifie="0",
        date_activation="",
        date_dernier_acces="",
    )
    b.account(
        hugo, compte_id="C4", identifiant="h.dupont3", profil="eleve", origine="etablissement"
    )
    return b
