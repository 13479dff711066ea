"""EduConnect accounts of a synthetic académie: states and dates at their observed rates."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from helpdesk.accounts.normalize import compact_key
from helpdesk.demo.rates import RATES
from helpdesk.demo.snapshot_files import fr_datetime


class AccountRows:
    """Writes the account rows; mixed into the académie writer, whose ids, files, random
    generator and anomaly log it uses."""

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
