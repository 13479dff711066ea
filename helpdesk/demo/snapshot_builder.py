"""Small hand-made snapshots for tests: rows with sensible defaults, written as given."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from helpdesk.demo.snapshot_files import HEADERS, ine_for, uai_for


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
