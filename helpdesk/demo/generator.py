"""Synthetic snapshots in the format of the data contract (never real people).

:func:`generate_academie` writes a whole académie, family by family, straight to disk, with the
anomalies the helpdesk meets injected at realistic rates; ``anomalies.csv`` beside the six files
lists which records carry which anomaly (the importer ignores it). Small hand-made
snapshots for tests are written by :mod:`helpdesk.demo.snapshot_builder`.
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

from helpdesk.demo.fake_accounts import AccountRows
from helpdesk.demo.fake_people import PersonDetails
from helpdesk.demo.rates import (
    LEVELS,
    MISSPELT_PROVIDERS,
    RATES,
    SCHOOL_SIZES,
    SECONDARY,
)
from helpdesk.demo.snapshot_files import HEADERS, fr_date, fr_datetime, ine_for, uai_for
from helpdesk.util.text import fold

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


class _Academie(PersonDetails, AccountRows):
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
