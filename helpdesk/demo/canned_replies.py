"""Canned replies of the demo: (motif or None, title, body), for écoles and établissements.

Placeholders between braces are filled when an agent inserts the reply (tickets/canned.py).
"""

from __future__ import annotations

_HELLO = "Bonjour {demandeur},\n\n"
_BYE = "\n\nCordialement,\nL'assistance EduConnect\nDemande n° {reference}"
_DELAYS = (
    "Une correction faite par une école est visible dans EduConnect le lendemain à partir de "
    "8 h 30 ; faite par un collège ou un lycée, sous 48 heures."
)


def _reply(motif: str | None, title: str, text: str) -> tuple[str | None, str, str]:
    return motif, title, _HELLO + text + _BYE


CANNED_REPLIES: tuple[tuple[str | None, str, str], ...] = (
    _reply(
        "activation_sms",
        "Code SMS : numéro à faire vérifier",
        "Pour créer votre compte par SMS, EduConnect compare le numéro que vous saisissez avec "
        "le numéro de portable enregistré par l'école ou l'établissement de votre enfant. S'ils "
        "sont différents, le code n'est pas envoyé et le message « numéro inconnu » s'affiche.\n\n"
        "Demandez à la direction de l'école, ou au secrétariat du collège ou du lycée, de "
        f"vérifier votre numéro. {_DELAYS} Vous pourrez alors recommencer l'inscription.",
    ),
    _reply(
        "activation_sms",
        "Code SMS expiré",
        "Le code reçu par SMS est valable 30 minutes. Passé ce délai, recommencez l'inscription "
        "pour en recevoir un nouveau et saisissez-le sans attendre. Pour terminer l'activation, "
        "cliquez ensuite sur le lien envoyé à votre adresse électronique.",
    ),
    _reply(
        "activation_date_naissance",
        "Date de naissance refusée",
        "Lors de l'activation, EduConnect compare la date de naissance de chacun de vos enfants "
        "avec celle enregistrée par l'école ou l'établissement ; toutes doivent correspondre. "
        "Vérifiez le format jour/mois/année. Si la date est toujours refusée, demandez à l'école "
        f"ou au secrétariat de la corriger. {_DELAYS}",
    ),
    _reply(
        "email_non_verifie",
        "Courriel d'activation non reçu",
        "Votre compte ne sera activé qu'après le clic sur le lien envoyé par courriel. Regardez "
        "dans vos courriers indésirables. Vous pouvez aussi vous reconnecter avec votre "
        "identifiant et votre mot de passe pour demander un nouvel envoi ou corriger votre "
        "adresse si elle contient une erreur.",
    ),
    _reply(
        "identifiant_oublie",
        "Identifiant oublié",
        "Sur la page de connexion d'EduConnect, cliquez sur « Identifiant oublié » : votre "
        "identifiant vous sera envoyé par SMS, si votre numéro de portable est à jour, ou par "
        "courriel. Si ces deux moyens ne fonctionnent pas, l'école ou l'établissement peut vous "
        "remettre une nouvelle notification.",
    ),
    _reply(
        "identifiant_oublie",
        "Identifiant retrouvé (masqué)",
        "Nous avons retrouvé votre compte : votre identifiant EduConnect ressemble à "
        "{identifiant} (une partie des caractères est volontairement cachée). Il figure aussi "
        "sur la notification remise par l'école. Si vous avez oublié votre mot de passe, "
        "utilisez « Mot de passe oublié » sur la page de connexion.",
    ),
    _reply(
        "mot_de_passe_oublie",
        "Mot de passe oublié",
        "Utilisez « Mot de passe oublié » sur la page de connexion : vous recevrez un code par "
        "SMS ou un lien par courriel. Le nouveau mot de passe doit compter de 8 à 14 caractères, "
        "uniquement des lettres non accentuées et des chiffres, avec au moins une lettre et un "
        "chiffre.",
    ),
    _reply(
        "mot_de_passe_oublie",
        "Mot de passe provisoire expiré",
        "Le mot de passe provisoire d'une notification n'est valable que 3 mois. Demandez une "
        "nouvelle notification à l'école ou à l'établissement, ou créez votre compte avec votre "
        "numéro de portable (inscription par SMS) s'il est bien enregistré.",
    ),
    _reply(
        "enfant_manquant",
        "Regrouper ses enfants sur un seul compte",
        "Quand un responsable est enregistré deux fois, ou avec des coordonnées différentes "
        "d'un établissement à l'autre, ses enfants se répartissent sur deux comptes. Depuis "
        "votre compte, utilisez « Ajouter des élèves depuis un autre compte » avec l'identifiant "
        "et le mot de passe du second compte ; vos nom et prénom doivent être identiques sur les "
        "deux comptes.",
    ),
    _reply(
        "enfant_manquant",
        "Nouvel élève pas encore visible",
        "Un enfant apparaît sur votre compte une fois admis définitivement, avec un identifiant "
        f"national élève (INE) et une classe. {_DELAYS}",
    ),
    _reply(
        "compte_inexistant",
        "Seuls les représentants légaux ont un compte",
        "Un compte EduConnect est créé pour chaque représentant légal enregistré par l'école ou "
        "l'établissement. Si vous êtes représentant légal et qu'aucun compte n'est trouvé, "
        "demandez à l'école ou au secrétariat de compléter votre fiche (nom, portable, adresse "
        f"électronique). {_DELAYS}",
    ),
    _reply(
        "franceconnect",
        "FranceConnect : nom de naissance et nom d'usage",
        "FranceConnect transmet votre nom de naissance. Si l'école vous a enregistré sous votre "
        "nom d'usage, EduConnect ne retrouve pas vos enfants. Connectez-vous sans FranceConnect "
        "(identifiant EduConnect ou inscription par SMS), ou demandez à l'école de compléter "
        "votre fiche. Avec FranceConnect, le mot de passe est celui du service choisi "
        "(impots.gouv, ameli…).",
    ),
    _reply(
        "modification_coordonnees",
        "Changer son numéro ou son adresse électronique",
        "Votre numéro de portable vient de la base de l'école ou de l'établissement : demandez "
        f"sa modification à la direction ou au secrétariat. {_DELAYS} Votre adresse "
        "électronique se change dans votre compte EduConnect, puis se confirme par le lien reçu.",
    ),
    _reply(
        "compte_eleve",
        "Compte élève : s'adresser à l'établissement",
        "Les comptes élèves sont fournis par l'établissement, qui peut remettre une nouvelle "
        "notification (identifiant et mot de passe provisoire). À la première connexion, l'élève "
        "choisit un mot de passe et saisit sa date de naissance. Une adresse électronique "
        "renseignée dans le compte, par exemple celle d'un parent, lui permettra ensuite de se "
        "dépanner seul.",
    ),
    _reply(
        "notification_directeur",
        "Notifier des responsables (directeurs d'école)",
        "Dans ARENA, domaine « Scolarité du 1er degré », ouvrez l'administration des comptes "
        "EduConnect. Onglet Responsables : choisissez la classe, cochez les responsables "
        "concernés puis « Notifier les comptes ». Imprimez les feuilles individuelles ou "
        "envoyez-les par courriel si l'adresse est saisie dans ONDE. Le mot de passe provisoire "
        "est valable 3 mois. Évitez de notifier toute l'école de nouveau.",
    ),
    _reply(
        "lsu_bilan_invisible",
        "Livret non visible",
        "Un bilan n'est visible par les familles qu'une fois verrouillé par l'enseignant dans le "
        "LSU ; aucune notification ne signale sa disponibilité. Les familles voient les "
        "attestations, les bilans de fin de cycle et les bilans périodiques du cycle en cours et "
        "de la dernière année du cycle précédent.",
    ),
    _reply(
        "rgpd_droits",
        "Demande transmise au délégué à la protection des données",
        "Votre demande concernant vos données personnelles est transmise au délégué à la "
        "protection des données de l'académie, qui vous répondra dans un délai d'un mois "
        "(prolongeable de deux mois pour une demande complexe).",
    ),
    _reply(
        "teleservices",
        "Téléservices : compte activé nécessaire",
        "Les téléservices (bourse, fiche de renseignements, orientation…) demandent un compte "
        "EduConnect activé et ne sont ouverts que pendant la campagne fixée par l'établissement. "
        "Si vous ne pouvez pas activer votre compte à temps, renseignez-vous au secrétariat : la "
        "demande de bourse peut aussi se faire sur papier.",
    ),
    _reply(
        "autre",
        "ENT ou Pronote",
        "Votre compte EduConnect fonctionne : l'accès à l'ENT ou à Pronote relève de "
        "l'établissement. Choisissez bien le profil « responsable d'élève » à la connexion, puis "
        "contactez le référent numérique de l'établissement si le problème persiste.",
    ),
    _reply(
        None,
        "Demande de précisions",
        "Pour traiter votre demande, pourriez-vous nous indiquer le nom et le prénom de l'élève, "
        "son école ou son établissement, et le message affiché à l'écran ?",
    ),
    _reply(
        None,
        "Horaires de l'assistance",
        "L'assistance EduConnect vous répond du lundi au vendredi, de 8 h 00 à 12 h 30 et de "
        "13 h 30 à 17 h 30.",
    ),
)
