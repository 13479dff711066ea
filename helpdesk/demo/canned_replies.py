"""Canned replies of the demo, each with the passages of the service's documents it rests on.

Placeholders between braces are filled when an agent inserts the reply (tickets/canned.py):
the requester and the ticket, and the académie's details (`{telephone_assistance}`...).
`CANNED_REPLIES` keeps the (motif or None, title, body) shape the demo builder stores.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.knowledge.articles import Source

S0 = "000_56091cbdd3bbe7de.txt"
S1 = "001_6526020610a44bd7.txt"
S2 = "002_e9254e51854e6bed.txt"
S3 = "003_6d5e501a0429da13.txt"
S4 = "004_9dcef877f3e00f2f.txt"
DIGEST = "educonnect-domain.md"

_HELLO = "Bonjour {demandeur},\n\n"
_BYE = "\n\nCordialement,\nL'assistance EduConnect\nDemande n° {reference}"
_DELAYS = (
    "Une correction faite par une école est visible dans EduConnect au plus tôt le lendemain "
    "à partir de 8 h 30 : comptez un à deux jours. Faite par un collège ou un lycée, elle "
    "demande au moins 48 heures."
)
_DELAY_SOURCES = (
    Source(
        S0, "Une modification dans ONDE est donc répercutée dans EduConnect le lendemain à 8h30."
    ),
    Source(
        S1,
        "Si des données sont modifiées dans Onde, il faudra attendre 1 à 2 jours pour une "
        "répercussion dans la base EduConnect.",
    ),
    Source(S3, "Le délai de création du compte après saisie sur Siècle est de 48 heures minimum."),
)
_LOST = (
    Source(S2, "Sur un compte activé : Login ou mot de passe oublié"),
    Source(
        S2,
        "En priorité Auto-dépannage (liens sur page de connexion) ou Re-notification par le "
        "directeur (avec ou sans Ré-initialisation)",
    ),
)


@dataclass(frozen=True)
class CannedText:
    motif: str | None
    title: str
    body: str
    sources: tuple[Source, ...]


def _reply(motif: str | None, title: str, text: str, *sources: Source) -> CannedText:
    return CannedText(motif, title, _HELLO + text + _BYE, tuple(sources))


REPLIES: tuple[CannedText, ...] = (
    _reply(
        "activation_sms",
        "Code SMS : numéro à faire vérifier",
        "Pour créer votre compte par SMS, le numéro de portable que vous saisissez doit "
        "correspondre à celui enregistré par l'école ou l'établissement de votre enfant ; sinon, "
        "le code n'est pas envoyé.\n\nDemandez à la direction de l'école, ou au secrétariat du "
        f"collège ou du lycée, de vérifier votre numéro. {_DELAYS} Vous pourrez alors "
        "recommencer l'inscription.",
        Source(
            S1,
            "il devra en plus renseigner son numéro de téléphone mobile, qui devra correspondre "
            "à celui renseigné dans Onde, et grâce auquel il recevra un code de validation par "
            "SMS.",
        ),
        Source(
            S2,
            "Mettre à jour le numéro de téléphone ou la date de naissance dans ONDE . Vérifier "
            "le lendemain que le compte Educonnect est mis à jour. Prévenir le responsable",
        ),
        *_DELAY_SOURCES,
    ),
    _reply(
        "activation_sms",
        "Code SMS expiré",
        "Le code reçu par SMS est valable 30 minutes. Passé ce délai, recommencez l'inscription "
        "(« Je n'ai pas de compte ») pour en recevoir un nouveau.",
        Source(S2, "J'indique le code d'activation reçu par SMS (code valable 30min)"),
        Source(S2, "Je n'ai pas de compte"),
    ),
    _reply(
        "activation_date_naissance",
        "Date de naissance refusée",
        "Lors de l'activation, EduConnect compare la date de naissance de vos enfants avec "
        "celle enregistrée par l'école ou l'établissement : elles doivent correspondre. "
        "Vérifiez le jour et le mois. Si la date est toujours refusée, demandez à l'école ou au "
        f"secrétariat de la corriger. {_DELAYS}",
        Source(
            S1,
            "Pour vérifier son identité, le responsable devra renseigner les dates de naissance "
            "des enfants rattachés à son compte, et qui devront correspondre avec celles "
            "renseignées dans Onde.",
        ),
        Source(
            S2,
            "Lors de l'activation du compte (scenarii A et B) : Numéro de téléphone ou date de "
            "naissance erroné",
        ),
        *_DELAY_SOURCES,
    ),
    _reply(
        "email_non_verifie",
        "Courriel d'activation non reçu",
        "Votre compte ne sera activé qu'après le clic sur le lien envoyé par courriel. Regardez "
        "dans vos courriers indésirables. Si l'adresse saisie contient une erreur, "
        "reconnectez-vous pour la modifier.",
        Source(
            S4,
            "Le compte responsable n’est activé que si cette adresse est validée c’est-à-dire si "
            "le responsable clique sur le lien reçu par courrier électronique.",
        ),
        Source(
            S0,
            "NB: Si vous ne recevez pas de courriel, vérifiez qu'il n'a pas été classé comme "
            '"spam" ou connectez-vous à nouveau pour modifier votre adresse de messagerie.',
        ),
    ),
    _reply(
        "identifiant_oublie",
        "Identifiant oublié (compte activé)",
        "Sur la page de connexion d'EduConnect, cliquez sur « Identifiant perdu » et suivez les "
        "indications. Si cela ne fonctionne pas, l'école ou l'établissement peut vous notifier "
        "de nouveau votre compte.",
        *_LOST,
        Source(S2, "[Identifiant perdu](#) [Mot de passe perdu](#)"),
    ),
    _reply(
        "identifiant_oublie",
        "Identifiant retrouvé (masqué)",
        "Nous avons retrouvé votre compte : votre identifiant EduConnect ressemble à "
        "{identifiant} (une partie des caractères est volontairement cachée). Il figure aussi "
        "sur la notification remise par l'école. Si vous avez oublié votre mot de passe, "
        "utilisez « Mot de passe perdu » sur la page de connexion.",
        Source(
            S1,
            "Le parcours par notification : un identifiant et un mot de passe sont fournis par "
            "le directeur de l’établissement scolaire de l’enfant.",
        ),
        *_LOST,
    ),
    _reply(
        "mot_de_passe_oublie",
        "Mot de passe oublié (compte activé)",
        "Utilisez « Mot de passe perdu » sur la page de connexion et suivez les indications. Le "
        "nouveau mot de passe doit compter de 8 à 14 caractères, uniquement des lettres non "
        "accentuées et des chiffres, avec au moins une lettre et un chiffre. Si cela ne "
        "fonctionne pas, l'école peut vous notifier de nouveau votre compte avec un nouveau mot "
        "de passe provisoire.",
        *_LOST,
        Source(
            S0,
            "il doit contenir entre 8 et 14 caractères alphanumériques non accentués et "
            "contenant au moins un chiffre et une lettre.",
        ),
    ),
    _reply(
        "mot_de_passe_oublie",
        "Mot de passe provisoire expiré",
        "Au-delà de 3 mois après la notification, le compte ne peut plus être activé avec le "
        "mot de passe provisoire. Demandez à l'école ou à l'établissement une nouvelle "
        "notification avec réinitialisation du mot de passe.",
        Source(
            S4,
            "problèmes d’activation de compte avant expiration du délai du 3 mois ou d’adresse "
            "de courrier électronique à modifier ;",
        ),
        Source(S2, "Avec réinitialisation du mot de passe"),
    ),
    _reply(
        "enfant_manquant",
        "Deux comptes : regrouper ses enfants",
        "Vous êtes enregistré deux fois par l'école : vous avez donc deux comptes, chacun avec "
        "une partie de vos enfants. L'école va vous remettre la notification du second compte "
        "(identifiant et mot de passe provisoire). Connectez-vous ensuite au compte que vous "
        "utilisez déjà et choisissez « Ajouter des enfants depuis un autre compte » avec ces "
        "identifiants.",
        Source(
            S2,
            "Doublon de responsable dans ONDE -> doublon de compte Educonnect. Si les "
            "noms/prénoms sont identiques, notifier le second compte (login, mot de passe "
            "provisoire) au responsable pour qu'il regroupe ses deux comptes depuis le compte "
            "déjà utilisé",
        ),
        Source(S2, "Ajouter des enfants depuis un autre compte"),
    ),
    _reply(
        "enfant_manquant",
        "Nouvel élève pas encore visible",
        "Un enfant apparaît sur votre compte une fois définitivement admis, avec un identifiant "
        f"national élève (INE) et une classe. {_DELAYS}",
        Source(S4, "être définitivement admis à l'école,"),
        Source(S4, "posséder un INE national,"),
        Source(S4, "être réparti dans une classe."),
        *_DELAY_SOURCES,
    ),
    _reply(
        "compte_inexistant",
        "Seuls les responsables légaux ont un compte",
        "Un compte de responsable EduConnect est ouvert aux responsables légaux d'un élève. Si "
        "vous êtes responsable légal et qu'aucun compte n'est trouvé, demandez à l'école ou au "
        f"secrétariat de vérifier votre fiche (nom, portable, adresse électronique). {_DELAYS}",
        Source(
            S4,
            "seuls les responsables ayant la responsabilité légale d’un élève peuvent prétendre "
            "à la création d’un compte d’accès aux services en ligne.",
        ),
        Source(
            S1,
            "il est donc nécessaire que les informations personnelles des responsables légaux "
            "(noms, prénoms, numéros de téléphone et adresses électroniques) renseignées dans "
            "Onde soient correctes.",
        ),
        *_DELAY_SOURCES,
    ),
    _reply(
        "franceconnect",
        "FranceConnect : le portable de l'école est aussi demandé",
        "À la première connexion par FranceConnect, EduConnect demande aussi votre numéro de "
        "portable, qui doit être celui enregistré par l'école, et la date de naissance de vos "
        "enfants. FranceConnect ne remplace donc pas un portable manquant : sans portable "
        "enregistré, demandez à l'école un identifiant et un mot de passe provisoire.",
        Source(
            S1,
            "s’il choisit de créer lui-même son compte (cas 1 et cas 3), il devra en plus "
            "renseigner son numéro de téléphone mobile",
        ),
        Source(
            S2,
            "A condition que le numéro de téléphone portable du responsable soit renseigné dans "
            "ONDE",
        ),
        Source(
            S2,
            "Le directeur notifie les comptes (login et mot de passe provisoire) aux "
            "responsables via l'application de gestion des comptes, par mail ou papier "
            "(scenario C)",
        ),
    ),
    _reply(
        "modification_coordonnees",
        "Changer son numéro ou son adresse électronique",
        "Votre numéro de portable vient du dossier de l'école ou de l'établissement : demandez "
        f"sa modification à la direction ou au secrétariat. {_DELAYS} Votre adresse "
        "électronique se modifie dans votre compte EduConnect (Mon compte, Mes informations).",
        Source(
            S0,
            "les données personnelles, dont les adresses électroniques et numéros de téléphone "
            "des responsables, sont récupérées automatiquement d'ONDE",
        ),
        Source(
            S1,
            "À chaque responsable de gérer son profil (modification mot de passe et adresse "
            "mail) et si besoin, de regrouper leurs enfants sur un même compte.",
        ),
        *_DELAY_SOURCES,
    ),
    _reply(
        "compte_eleve",
        "Compte élève : s'adresser à l'établissement",
        "Les comptes des élèves sont gérés par l'établissement (module Dépannage élève), qui "
        "peut aider l'élève à retrouver l'accès. Une adresse électronique renseignée dans le "
        "compte, par exemple celle d'un parent pour un élève mineur, lui permettra ensuite de "
        "se dépanner seul.",
        Source(
            S3,
            "Il faut une délégation du chef ou de la cheffe d'établissement aux personnels de "
            "secrétariat, au RUPN ENT ou à d'autres personnels pour le module Dépannage élève, "
            "afin de gérer les comptes élèves.",
        ),
        Source(
            S3,
            "Nous recommandons de conseiller aux élèves mineurs de renseigner l'adresse mail de "
            "l'un de leur parent afin de pouvoir s'auto-dépanner.",
        ),
    ),
    _reply(
        "notification_directeur",
        "Notifier des responsables (directeurs d'école)",
        "Dans ARENA, domaine « Scolarité du 1er degré », ouvrez l'administration des comptes "
        "EduConnect. Onglet Responsables : choisissez la classe, cochez les responsables "
        "concernés puis « Notifier les comptes ». La feuille individuelle est préconisée ; "
        "l'envoi par courriel suppose que l'adresse soit saisie dans ONDE. Évitez de notifier "
        "tous les responsables de nouveau à la rentrée.",
        Source(
            S4,
            "L’accès à l’application « Administration des comptes » de EduConnect se fait par le "
            "portail Arena dans le domaine « Scolarité du 1er degré », sous-domaine «EduConnect»",
        ),
        Source(S4, "Cliquez sur «Notifier les comptes»:"),
        Source(
            S4,
            "La notification par feuille individuelle est préconisée : celle-ci est à placer "
            "dans le cahier de liaison, remettre en main propre ou envoyer par courrier.",
        ),
        Source(
            S4,
            "La transmission par mail nécessite que les responsables des élèves vous aient "
            "fourni leur adresse mail et que vous l'ayez précédemment saisi dans ONDE.",
        ),
        Source(
            S3,
            "Il faut éviter de notifier les représentants légaux à la rentrée pour les raisons "
            "suivantes :",
        ),
    ),
    _reply(
        "lsu_bilan_invisible",
        "Livret non visible",
        "Un bilan n'est visible par les familles qu'une fois verrouillé par l'enseignant dans "
        "le LSU (ou importé dans le LSU si l'école utilise un logiciel privé) ; aucune "
        "notification ne signale sa disponibilité.",
        Source(
            S0,
            "Le LSU est visible pour le responsable aussitôt que l'enseignant verrouille le LSU, "
            "ou, s'il utilise un éditeur privé, dès l'import du bilan dans le LSU.",
        ),
        Source(
            S0,
            "Non, il n'y a pas de notification automatique de la disponibilité du livret "
            "scolaire unique.",
        ),
    ),
    _reply(
        "rgpd_droits",
        "Demande transmise au délégué à la protection des données",
        "Votre demande concernant vos données personnelles est transmise au délégué à la "
        "protection des données de l'académie ({contact_dpd}), qui vous répondra dans un délai "
        "d'un mois (prolongeable de deux mois pour une demande complexe).",
        Source(
            DIGEST,
            'A helpdesk "RGPD" request must be routed to the DPD académique with the requester '
            "identified",
        ),
        Source(DIGEST, "Answer within one month (art. 12.3, +2 months if complex)."),
    ),
    _reply(
        "teleservices",
        "Téléservices : compte activé nécessaire",
        "Les services en ligne (bourse, orientation, téléinscription…) s'ouvrent avec votre "
        "compte EduConnect activé. Une fois activé, il reste valable les années suivantes. Pour "
        "un problème dans la démarche elle-même, adressez-vous à l'établissement.",
        Source(
            S3,
            "Ils ont déjà activé leur compte au collège pour accéder aux services de scolarité "
            "(demande de bourse, orientation...).",
        ),
        Source(
            S0,
            "Une fois activé, le compte reste valable pour les années suivantes et en cas de "
            "déménagement dans un autre établissement de France.",
        ),
    ),
    _reply(
        "autre",
        "ENT de l'établissement",
        "Votre compte EduConnect fonctionne : l'accès à l'ENT est indépendant des services de "
        "scolarité et relève de l'établissement. Contactez-le si le problème persiste.",
        Source(S3, "La connexion à l'ENT est indépendante des services de scolarité."),
    ),
    _reply(
        None,
        "Demande de précisions",
        "Pour traiter votre demande, pourriez-vous nous indiquer le nom, le prénom et la date "
        "de naissance de l'élève, son école ou son établissement, votre identifiant EduConnect "
        "si vous le connaissez, et le message exact affiché à l'écran ?",
        Source(
            S1,
            "Pour vérifier son identité, le responsable devra renseigner les dates de naissance "
            "des enfants rattachés à son compte, et qui devront correspondre avec celles "
            "renseignées dans Onde.",
        ),
    ),
    _reply(
        None,
        "Horaires de l'assistance",
        "L'assistance téléphonique ({academie}) vous répond au {telephone_assistance}, "
        "{horaires_assistance}.",
        Source(
            S0,
            "L'assistance téléphonique, au 03.80.44.84.20 est disponible du lundi au vendredi, de "
            "8h00 à 12h30 et de 13h30 à 17h30.",
        ),
    ),
)

CANNED_REPLIES: tuple[tuple[str | None, str, str], ...] = tuple(
    (reply.motif, reply.title, reply.body) for reply in REPLIES
)

#: Macros of the demo: (name, title of the canned reply sent or None, status, motif, priority).
#: Their replies are the canned replies above, so they rest on the same sources.
MACROS: tuple[tuple[str, str | None, str | None, str | None, str | None], ...] = (
    (
        "Code SMS : numéro à faire vérifier, en attente",
        "Code SMS : numéro à faire vérifier",
        "en_attente_demandeur",
        "activation_sms",
        None,
    ),
    ("Code SMS expiré : résolue", "Code SMS expiré", "resolu", "activation_sms", None),
    ("Demander des précisions", "Demande de précisions", "en_attente_demandeur", None, None),
    ("Directeur bloqué : urgent", None, "en_cours", "notification_directeur", "urgente"),
)
