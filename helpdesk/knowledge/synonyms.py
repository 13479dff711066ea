"""How people write versus how the articles are written: groups of equivalent expressions.

Applied to queries: when a query contains one expression of a group (longest match first,
compared after analysis, so accents, plurals and verb forms do not matter), the search looks
for any expression of the group. An expression belongs to one group only.
"""

from __future__ import annotations

from functools import lru_cache

from helpdesk.knowledge.analysis import terms

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("mot de passe", "mots de passe", "mdp", "password"),
    ("identifiant", "identifiants", "id", "login", "nom d'utilisateur", "nom utilisateur"),
    ("sms", "texto", "textos", "code sms", "code", "code d'activation", "code de validation"),
    ("franceconnect", "france connect", "fc", "franceconect", "france conect"),
    (
        "educonnect",
        "educonnet",
        "educonect",
        "edu connect",
        "educ connect",
        "educonnexion",
        "educonec",
        "educonnec",
        "educonnecte",
    ),
    (
        "mail",
        "mails",
        "courriel",
        "courriels",
        "e-mail",
        "email",
        "emails",
        "mel",
        "messagerie",
        "adresse mail",
        "adresse electronique",
        "adresse e-mail",
    ),
    (
        "telephone",
        "tel",
        "portable",
        "mobile",
        "numero",
        "gsm",
        "smartphone",
        "numero de telephone",
        "numero de portable",
        "telephone portable",
        "numero de tel",
    ),
    ("enfant", "enfants", "gosse", "fils", "fille", "gamin", "gamine", "fiston"),
    (
        "ne fonctionne pas",
        "fonctionne pas",
        "ne marche pas",
        "marche pas",
        "marche plus",
        "fonctionne plus",
        "bug",
        "beug",
        "bugue",
        "plante",
        "erreur",
        "probleme",
        "echoue",
        "echec",
        "impossible",
        "panne",
        "dysfonctionnement",
    ),
    ("bloque", "blocage", "coince", "bloquant"),
    (
        "oublie",
        "oubli",
        "perdu",
        "perte",
        "egare",
        "ne me souviens plus",
        "me rappelle plus",
    ),
    (
        "livret",
        "livret scolaire",
        "livret scolaire unique",
        "lsu",
        "lsun",
        "bulletin",
        "bulletins",
        "bilan",
        "bilans",
    ),
    ("visible", "apparait", "affiche", "voir", "trouve pas"),
    (
        "parent",
        "parents",
        "responsable",
        "responsables",
        "responsable legal",
        "responsables legaux",
        "representant legal",
        "representants legaux",
        "famille",
        "familles",
    ),
    (
        "directeur",
        "directrice",
        "direction",
        "chef d'etablissement",
        "principal",
        "proviseur",
        "secretariat",
    ),
    ("notifier", "notification", "notifie", "renotifier", "re notifier", "renotification"),
    (
        "rgpd",
        "donnees personnelles",
        "protection des donnees",
        "cnil",
        "vie privee",
        "dpd",
        "dpo",
        "droit a l'oubli",
    ),
    ("bourse", "bourses", "aide financiere"),
    ("teleservice", "teleservices", "scolarite services", "demarche en ligne"),
    (
        "maternelle",
        "petite section",
        "moyenne section",
        "grande section",
        "ps",
        "ms",
        "gs",
        "tps",
    ),
    ("rentree", "rentree scolaire", "debut d'annee", "debut d'annee scolaire", "septembre"),
    (
        "modifier",
        "changer",
        "changement",
        "modification",
        "mettre a jour",
        "mise a jour",
        "maj",
        "corriger",
        "correction",
    ),
    (
        "doublon",
        "doublons",
        "deux comptes",
        "2 comptes",
        "double compte",
        "compte en double",
        "plusieurs comptes",
    ),
    ("statistiques", "statistique", "stats", "taux d'activation", "tableau de bord"),
    ("synchronisation", "synchro", "synchroniser", "synchronise"),
    ("onde", "base eleves", "base eleve", "be1d"),
    ("siecle", "sconet"),
    ("assistance", "support", "hotline", "helpdesk", "contacter", "contact", "joindre"),
    ("horaires", "horaire", "heures d'ouverture", "ouvert", "permanence"),
    ("date de naissance", "dates de naissance", "naissance", "ddn", "date naissance"),
    ("eleve", "eleves", "collegien", "lyceen", "ecolier"),
    ("ent", "pronote", "espace numerique de travail"),
    ("supprimer", "suppression", "effacer", "effacement"),
    ("activer", "activation", "premiere connexion"),
    (
        "inscription",
        "auto-inscription",
        "auto inscription",
        "autoinscription",
        "s'inscrire",
        "inscrire",
        "creer un compte",
        "creer mon compte",
        "creation de compte",
        "auto-enrolement",
        "enrolement",
    ),
    (
        "grand-parent",
        "grands-parents",
        "grand-mere",
        "grand-pere",
        "grand parent",
        "grands parents",
        "grand mere",
        "grand pere",
        "mamie",
        "papi",
        "papy",
    ),
    ("famille d'accueil", "ase", "aide sociale a l'enfance", "tuteur", "tutelle"),
    ("expire", "expiration", "perime", "plus valable", "depasse"),
    ("provisoire", "temporaire"),
    ("confirmation", "confirmer", "valider", "validation"),
)


def _key(expression: str) -> tuple[str, ...]:
    return tuple(terms(expression))


@lru_cache(maxsize=1)
def synonym_table() -> tuple[dict[tuple[str, ...], int], tuple[tuple[tuple[str, ...], ...], ...]]:
    """(expression -> group number, groups of expressions), every expression as index terms."""
    index: dict[tuple[str, ...], int] = {}
    groups: list[tuple[tuple[str, ...], ...]] = []
    for number, group in enumerate(SYNONYM_GROUPS):
        keys = tuple(dict.fromkeys(key for expression in group if (key := _key(expression))))
        groups.append(keys)
        for key in keys:
            index.setdefault(key, number)
    return index, tuple(groups)


def longest_expression() -> int:
    return max(len(key) for key in synonym_table()[0])
