"""Request taxonomy: types, natures and motifs with their French labels (see taxonomy.md)."""

from __future__ import annotations

TYPES: dict[str, str] = {
    "demande_logicielle": "Demande logicielle",
    "demande_conseil": "Demande de conseil",
}

NATURES: dict[str, str] = {
    "EDUCONNECT": "EduConnect",
    "LSU": "Livret scolaire unique",
    "RGPD": "Protection des données",
    "TELESERVICES": "Téléservices",
    "AUTRE": "Autre",
}

MOTIFS: dict[str, str] = {
    "activation_sms": "Auto-inscription : code SMS non reçu ou numéro inconnu",
    "activation_date_naissance": "Date de naissance de l'enfant refusée",
    "email_non_verifie": "Courriel d'activation non reçu ou lien expiré",
    "identifiant_oublie": "Identifiant oublié ou inconnu",
    "mot_de_passe_oublie": "Mot de passe oublié, provisoire refusé ou compte bloqué",
    "enfant_manquant": "Enfant absent du compte",
    "compte_inexistant": "Compte inexistant ou personne non reconnue",
    "franceconnect": "Connexion par FranceConnect",
    "modification_coordonnees": "Changement d'adresse électronique ou de téléphone",
    "compte_eleve": "Compte élève",
    "notification_directeur": "Administration des comptes (directeur, secrétariat)",
    "lsu_bilan_invisible": "Livret, bilan ou attestation non visible",
    "rgpd_droits": "Droits sur les données personnelles",
    "teleservices": "Autre téléservice (bourse, orientation, fiche de renseignements…)",
    "autre": "Autre demande",
}

MOTIF_NATURE: dict[str, str] = {
    "activation_sms": "EDUCONNECT",
    "activation_date_naissance": "EDUCONNECT",
    "email_non_verifie": "EDUCONNECT",
    "identifiant_oublie": "EDUCONNECT",
    "mot_de_passe_oublie": "EDUCONNECT",
    "enfant_manquant": "EDUCONNECT",
    "compte_inexistant": "EDUCONNECT",
    "franceconnect": "EDUCONNECT",
    "modification_coordonnees": "EDUCONNECT",
    "compte_eleve": "EDUCONNECT",
    "notification_directeur": "EDUCONNECT",
    "lsu_bilan_invisible": "LSU",
    "rgpd_droits": "RGPD",
    "teleservices": "TELESERVICES",
    "autre": "AUTRE",
}

MOTIF_DEFAULT_TYPE: dict[str, str] = {
    "activation_sms": "demande_logicielle",
    "activation_date_naissance": "demande_logicielle",
    "email_non_verifie": "demande_logicielle",
    "identifiant_oublie": "demande_logicielle",
    "mot_de_passe_oublie": "demande_logicielle",
    "enfant_manquant": "demande_logicielle",
    "compte_inexistant": "demande_logicielle",
    "franceconnect": "demande_logicielle",
    "modification_coordonnees": "demande_conseil",
    "compte_eleve": "demande_logicielle",
    "notification_directeur": "demande_conseil",
    "lsu_bilan_invisible": "demande_logicielle",
    "rgpd_droits": "demande_conseil",
    "teleservices": "demande_logicielle",
    "autre": "demande_conseil",
}


class InvalidLabels(ValueError):
    """Raised when a type, nature or motif code is unknown or the nature does not fit the motif."""


def check_labels(type_: str, nature: str, motif: str) -> None:
    """Raise InvalidLabels unless the three codes exist and the nature is the motif's."""
    if type_ not in TYPES:
        raise InvalidLabels(f"Type de demande inconnu : {type_!r}")
    if nature not in NATURES:
        raise InvalidLabels(f"Nature inconnue : {nature!r}")
    if motif not in MOTIFS:
        raise InvalidLabels(f"Motif inconnu : {motif!r}")
    if MOTIF_NATURE[motif] != nature:
        raise InvalidLabels(
            f"La nature {nature!r} ne correspond pas au motif {motif!r} "
            f"(nature attendue : {MOTIF_NATURE[motif]!r})"
        )
