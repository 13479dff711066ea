"""How often each motif, status and channel comes up in the demo tickets."""

from __future__ import annotations

import random

#: How often each motif comes up, roughly as the centre sees them.
MOTIF_WEIGHTS = {
    "activation_sms": 14,
    "mot_de_passe_oublie": 14,
    "enfant_manquant": 10,
    "identifiant_oublie": 9,
    "email_non_verifie": 8,
    "compte_inexistant": 7,
    "activation_date_naissance": 5,
    "notification_directeur": 8,
    "modification_coordonnees": 5,
    "compte_eleve": 4,
    "franceconnect": 3,
    "lsu_bilan_invisible": 5,
    "teleservices": 4,
    "rgpd_droits": 2,
    "autre": 2,
}
STATUS_WEIGHTS = {
    "nouveau": 18,
    "en_cours": 22,
    "en_attente_demandeur": 15,
    "resolu": 20,
    "clos": 25,
}
CHANNEL_WEIGHTS = {"formulaire_contact": 45, "portail_directeur": 25, "email": 25, "telephone": 5}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
