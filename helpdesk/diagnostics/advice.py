"""Every sentence of advice the diagnostics give, each with the passage of the seeds it rests on.

This module is data, reviewed as such: for each diagnostic code, what the agent, a parent, a
pupil or a school director is told the situation is; for each action of ``guided-fixes.md``,
the agent's step and the paragraph of the reply for each audience. Each entry names the seed
document (``shared/reference/seeds/``) and quotes, verbatim, the passage that backs it; a test
checks that every quoted passage is in its document. Where the documents are silent, the texts
say less.

Texts may hold placeholders. Those of the school route (``{base}``, ``{ecole}``, ``{qui}``,
``{delai}``…) and of the finding (``{ecart}``, ``{detail}``…) are filled by
:mod:`helpdesk.diagnostics.guidance`; those of the académie (``{telephone_assistance}``,
``{horaires_assistance}``, ``{academie}``) are left for the canned-reply mechanism to fill.
"""

from __future__ import annotations

from dataclasses import dataclass

S000 = "000_56091cbdd3bbe7de.txt"
S001 = "001_6526020610a44bd7.txt"
S002 = "002_e9254e51854e6bed.txt"
S003 = "003_6d5e501a0429da13.txt"
S004 = "004_9dcef877f3e00f2f.txt"

#: The audiences a reply is written for.
RESPONSABLE, ELEVE, DIRECTEUR = "responsable", "eleve", "directeur"
AUDIENCES = (RESPONSABLE, ELEVE, DIRECTEUR)


@dataclass(frozen=True)
class Source:
    """A passage of a seed document, quoted verbatim (whitespace aside)."""

    seed: str
    passage: str


@dataclass(frozen=True)
class Advice:
    """Texts for the agent and for each audience, and the passages they rest on.

    ``agent`` is the agent's sentence (a situation, or a fix step); ``replies`` the paragraph
    of a reply for each audience (an audience without one gets none).
    """

    agent: str
    replies: dict[str, str]
    sources: tuple[Source, ...]


def _src(seed: str, *passages: str) -> tuple[Source, ...]:
    return tuple(Source(seed, p) for p in passages)


# --------------------------------------------------------------------------- passages

_SELF_SERVICE = _src(
    S002,
    "En priorité Auto-dépannage (liens sur page de connexion) ou Re-notification par le "
    "directeur (avec ou sans Ré-initialisation)",
    "[Identifiant perdu](#) [Mot de passe perdu](#)",
)
_MOBILE_MUST_MATCH = _src(
    S001,
    "s’il choisit de créer lui-même son compte (cas 1 et cas 3), il devra en plus renseigner "
    "son numéro de téléphone mobile, qui devra correspondre à celui renseigné dans Onde, et "
    "grâce auquel il recevra un code de validation par SMS.",
)
_DATES_MUST_MATCH = _src(
    S001,
    "Pour vérifier son identité, le responsable devra renseigner les dates de naissance des "
    "enfants rattachés à son compte, et qui devront correspondre avec celles renseignées dans "
    "Onde.",
)
_NO_MOBILE_NOTIFY = _src(
    S002,
    "Les responsables n'ayant pas de numéro de portable renseigné dans ONDE :",
    "Le directeur notifie les comptes (login et mot de passe provisoire) aux responsables via "
    "l'application de gestion des comptes, par mail ou papier (scenario C)",
)
_DUPLICATE = _src(
    S002,
    "Doublon de responsable dans ONDE -> doublon de compte Educonnect.",
    "Si les noms/prénoms sont identiques, notifier le second compte (login, mot de passe "
    "provisoire) au responsable pour qu'il regroupe ses deux comptes depuis le compte déjà "
    "utilisé",
)
_CORRECT_DATA = _src(
    S001,
    "il est donc nécessaire que les informations personnelles des responsables légaux (noms, "
    "prénoms, numéros de téléphone et adresses électroniques) renseignées dans Onde soient "
    "correctes.",
)
_FIX_IN_ONDE = _src(
    S002,
    "Mettre à jour le numéro de téléphone ou la date de naissance dans ONDE . Vérifier le "
    "lendemain que le compte Educonnect est mis à jour. Prévenir le responsable",
) + _src(
    S003,
    "Possibilité de modifier des informations erronées ou sur demande des représentants légaux.",
)
_THREE_CONDITIONS = _src(
    S004,
    "Il faut en plus que l’élève réponde aux trois conditions suivantes :",
    "être définitivement admis à l'école,",
    "posséder un INE national,",
    "être réparti dans une classe.",
)
_PROVISIONAL_3_MONTHS = _src(
    S004, "problèmes d’activation de compte avant expiration du délai du 3 mois"
)
_RENOTIFY = _src(S002, "(Re)Notifier les comptes", "Avec réinitialisation du mot de passe")
_NOTIFY = _src(
    S004,
    "La notification par feuille individuelle est préconisée : celle-ci est à placer dans le "
    "cahier de liaison, remettre en main propre ou envoyer par courrier.",
    "La transmission par mail nécessite que les responsables des élèves vous aient fourni leur "
    "adresse mail et que vous l'ayez précédemment saisi dans ONDE.",
)
_PUPIL_DESK = _src(
    S003,
    "Il faut une délégation du chef ou de la cheffe d'établissement aux personnels de "
    "secrétariat, au RUPN ENT ou à d'autres personnels pour le module Dépannage élève, afin de "
    "gérer les comptes élèves.",
    "Vous avez la possibilité de vérifier, dans le module Dépannage élève, si les élèves "
    "entrants au lycée n'ont pas été notifiés ou s'ils n'ont pas activé leur compte "
    "EduConnect, afin de notifier uniquement les élèves dans ce cas.",
)
_DELAY_ONDE = _src(
    S001,
    "Si des données sont modifiées dans Onde, il faudra attendre 1 à 2 jours pour une "
    "répercussion dans la base EduConnect.",
) + _src(
    S000, "Une modification dans ONDE est donc répercutée dans EduConnect le lendemain à 8h30."
)
_DELAY_SIECLE = _src(
    S003, "Le délai de création du compte après saisie sur Siècle est de 48 heures minimum."
)
_MATERNELLE = _src(
    S000,
    "Sur leur compte EduConnect, les responsables voient apparaître leurs enfants en école "
    "maternelle, néanmoins aucun service en ligne n'est actuellement disponible pour ces "
    "derniers.",
    "A ce jour, c'est seulement à partir de l'école élémentaire qu'il est pertinent de leur "
    "communiquer l'existence du portail EduConnect.",
)
_ACCOUNT_LASTS = _src(
    S000,
    "Une fois activé, le compte reste valable pour les années suivantes et en cas de "
    "déménagement dans un autre établissement de France.",
)
_LEGAL_ONLY = _src(
    S004,
    "seuls les responsables ayant la responsabilité légale d’un élève peuvent prétendre à la "
    "création d’un compte d’accès aux services en ligne.",
)
_EMAIL_LINK = _src(
    S004,
    "Le compte responsable n’est activé que si cette adresse est validée c’est-à-dire si le "
    "responsable clique sur le lien reçu par courrier électronique.",
)
_EMAIL_SPAM = _src(
    S000,
    "NB: Si vous ne recevez pas de courriel, vérifiez qu'il n'a pas été classé comme \"spam\" "
    "ou connectez-vous à nouveau pour modifier votre adresse de messagerie.",
) + _src(S002, "Services en ligne de l'éducation nationale - activation du compte")
_ACTIVATION_STEPS = _src(
    S002,
    "1 - Saisie de l'identifiant et du mot de passe provisoire notifiés par le directeur d'école",
    "2 - Saisie de l'adresse mail, du nouveau mot de passe et de la date de naissance des "
    "enfants affichés",
    "3 – Un courriel est adressé au responsable. Il doit cliquer sur le lien indiqué",
)
_SELF_ENROL = _src(
    S002,
    "1 - Saisie du numéro de téléphone portable",
    "J'indique le code d'activation reçu par SMS (code valable 30min)",
    "3 - Rattachement de chacun des enfants en école élémentaire (saisie de leur date de "
    "naissance)",
)
_REGROUP = _src(S002, "Ajouter des enfants depuis un autre compte") + _src(
    S003, "Seuls les enfants peuvent être rattachés manuellement à partir d'un autre compte."
)
_FROM_SCHOOL_BASE = _src(
    S000,
    "Oui, les données personnelles, dont les adresses électroniques et numéros de téléphone "
    "des responsables, sont récupérées automatiquement d'ONDE.",
)
_SYNC_NIGHTLY = _src(S000, "Oui, les synchronisations ont lieu toutes les nuits.")
_PROXIMITE = _src(
    S002,
    "Application d'assistance (DSI de proximité - ADSI Onde) pour un diagnostic plus précis, "
    "par exemple sur les doublons de comptes",
)
_PHONE_HOURS = _src(
    S000,
    "L'assistance téléphonique, au 03.80.44.84.20 est disponible du lundi au vendredi, de "
    "8h00 à 12h30 et de 13h30 à 17h30.",
)
_SERVICE_DESK = _src(
    S001, "Du Centre de services (Type de demande : Demande Logicielle - Nature : EDUCONNECT)."
)

#: What the delay of each school base rests on.
DELAY_SOURCES = {"ONDE": _DELAY_ONDE, "SIECLE": _DELAY_SIECLE}

# --------------------------------------------------------------------------- situations

#: For each diagnostic code (and variant), the situation in a sentence, by audience.
SITUATIONS: dict[tuple[str, str], Advice] = {
    ("phone_missing", ""): Advice(
        "Aucun numéro de mobile n'est enregistré dans {base} pour ce responsable : la création "
        "du compte par SMS et la première connexion par FranceConnect lui sont fermées ; la "
        "notification par {ecole} reste possible.",
        {
            RESPONSABLE: "Aucun numéro de téléphone mobile n'est enregistré à votre nom par "
            "{ecole} : la création du compte par SMS, comme la première connexion par "
            "FranceConnect, demande ce numéro.",
            DIRECTEUR: "Aucun numéro de mobile n'est enregistré dans {base} pour ce "
            "responsable : il ne peut ni créer son compte par SMS ni passer par FranceConnect.",
        },
        _NO_MOBILE_NOTIFY + _MOBILE_MUST_MATCH,
    ),
    ("phone_not_mobile", ""): Advice(
        "La colonne du mobile dans {base} contient {nature} : aucun code SMS ne peut y être "
        "envoyé.",
        {
            RESPONSABLE: "Le numéro enregistré comme mobile par {ecole} n'est pas un numéro de "
            "téléphone mobile : EduConnect ne peut pas y envoyer de code par SMS.",
            DIRECTEUR: "Le numéro saisi comme mobile dans {base} pour ce responsable n'est pas "
            "un numéro de mobile : le code SMS ne peut pas lui parvenir.",
        },
        _MOBILE_MUST_MATCH,
    ),
    ("phone_mismatch", ""): Advice(
        "Le mobile donné n'est pas celui que {base} enregistre ({ecart}) : EduConnect n'accepte "
        "que le numéro de la base.",
        {
            RESPONSABLE: "Le numéro de mobile que vous indiquez ne correspond pas à celui que "
            "{ecole} a enregistré ; or EduConnect n'accepte que ce numéro-là.",
            DIRECTEUR: "Le mobile que le responsable saisit ne correspond pas à celui de "
            "{base} ({ecart}) ; EduConnect n'accepte que le numéro enregistré.",
        },
        _MOBILE_MUST_MATCH,
    ),
    ("phone_shared", ""): Advice(
        "Le même mobile est enregistré dans {base} pour un autre responsable ; les coordonnées "
        "de chaque responsable légal doivent être exactes.",
        {
            RESPONSABLE: "Le numéro de mobile enregistré pour vous par {ecole} l'est aussi "
            "pour un autre responsable.",
            DIRECTEUR: "Le même numéro de mobile est saisi dans {base} pour deux responsables.",
        },
        _CORRECT_DATA,
    ),
    ("birthdate_mismatch", ""): Advice(
        "La date de naissance donnée pour l'enfant n'est pas celle de {base} ({ecart}) : "
        "EduConnect exige la date enregistrée pour chaque enfant.",
        {
            RESPONSABLE: "La date de naissance que vous indiquez pour votre enfant ne "
            "correspond pas à celle que {ecole} a enregistrée ; EduConnect demande exactement "
            "celle-là.",
            DIRECTEUR: "La date de naissance que le responsable saisit ne correspond pas à "
            "celle de {base} ({ecart}) ; EduConnect la compare à la base.",
        },
        _DATES_MUST_MATCH,
    ),
    ("duplicate_responsable", ""): Advice(
        "Le responsable est enregistré plusieurs fois ({lieu}, {noms}) : il a donc plusieurs "
        "comptes EduConnect, chacun avec une partie de ses enfants.",
        {
            RESPONSABLE: "Vous êtes enregistré(e) deux fois dans la base des écoles, ce qui "
            "vous donne deux comptes EduConnect : chacun ne montre qu'une partie de vos enfants.",
            DIRECTEUR: "Ce responsable est enregistré deux fois dans {base} : il a deux comptes "
            "EduConnect, chacun avec une partie de ses enfants.",
        },
        _DUPLICATE,
    ),
    ("email_unverified", ""): Advice(
        "Le compte attend que le responsable clique sur le lien du courriel d'activation : "
        "tant que l'adresse n'est pas validée, le compte n'est pas activé.",
        {
            RESPONSABLE: "Votre compte EduConnect attend la confirmation de votre adresse "
            "électronique : il sera activé dès que vous aurez cliqué sur le lien du courriel "
            "d'activation.",
            DIRECTEUR: "Le compte du responsable est « en cours d'activation » : il n'a pas "
            "encore cliqué sur le lien du courriel d'activation.",
        },
        _EMAIL_LINK,
    ),
    ("email_suspect", ""): Advice(
        "L'adresse électronique semble mal écrite ({raison}) : les courriels d'EduConnect ne "
        "peuvent pas arriver.",
        {
            RESPONSABLE: "L'adresse électronique enregistrée pour vous semble comporter une "
            "erreur : les courriels d'EduConnect ne peuvent pas vous parvenir.",
            DIRECTEUR: "L'adresse électronique du responsable semble mal écrite ({raison}) : "
            "les courriels d'EduConnect ne peuvent pas lui parvenir.",
        },
        _EMAIL_SPAM,
    ),
    ("email_missing", ""): Advice(
        "Aucune adresse électronique n'est connue : la notification par courriel est "
        "impossible, celle par feuille imprimable reste ouverte. Le responsable ne donne son "
        "adresse qu'à l'activation, où il la saisit lui-même.",
        {
            RESPONSABLE: "Aucune adresse électronique n'est enregistrée pour vous : vous en "
            "saisirez une lors de l'activation de votre compte.",
            DIRECTEUR: "Aucune adresse électronique n'est connue pour ce responsable : la "
            "notification par courriel lui est impossible.",
        },
        _NOTIFY + _ACTIVATION_STEPS,
    ),
    ("activation_expired", ""): Advice(
        "Le compte a été notifié il y a plus de 3 mois sans être activé : le mot de passe "
        "provisoire n'est plus valable.",
        {
            RESPONSABLE: "Le mot de passe provisoire qui vous avait été remis n'est plus "
            "valable : il devait servir dans les 3 mois suivant sa remise.",
            ELEVE: "Le mot de passe provisoire qui vous avait été remis n'est plus valable : "
            "il devait servir dans les 3 mois suivant sa remise.",
            DIRECTEUR: "Le compte a été notifié il y a plus de 3 mois et n'a pas été activé : "
            "son mot de passe provisoire n'est plus valable.",
        },
        _PROVISIONAL_3_MONTHS,
    ),
    ("not_notified", ""): Advice(
        "Le compte n'a jamais été notifié et le responsable n'a pas de mobile valide pour le "
        "créer lui-même : la notification par l'école lui ouvre l'accès.",
        {
            RESPONSABLE: "Votre compte EduConnect existe, mais son identifiant ne vous a pas "
            "encore été remis, et aucun numéro de mobile ne permet de le créer par SMS.",
            DIRECTEUR: "Le compte de ce responsable n'a jamais été notifié, et sans mobile "
            "valide dans {base} il ne peut pas le créer lui-même.",
        },
        _NO_MOBILE_NOTIFY,
    ),
    ("not_notified", "eleve"): Advice(
        "Le compte de l'élève n'a jamais été notifié : il ne sert à rien tant que l'élève n'a "
        "pas reçu son identifiant.",
        {
            RESPONSABLE: "Le compte EduConnect de votre enfant existe, mais son identifiant ne "
            "lui a pas encore été remis.",
            ELEVE: "Votre compte EduConnect existe, mais son identifiant ne vous a pas encore "
            "été remis.",
            DIRECTEUR: "Le compte de l'élève n'a jamais été notifié : l'élève n'a pas reçu son "
            "identifiant.",
        },
        _PUPIL_DESK,
    ),
    ("pupil_not_eligible", ""): Advice(
        "Un enfant ne remplit pas encore les trois conditions d'un compte : admission "
        "définitive, INE, classe ({raisons}).",
        {
            RESPONSABLE: "Votre enfant n'apparaît pas encore dans EduConnect : son inscription "
            "n'est pas complète (admission définitive, identifiant national ou classe).",
            DIRECTEUR: "L'élève ne remplit pas encore les conditions d'un rattachement : "
            "admission définitive, INE et classe ({raisons}).",
        },
        _THREE_CONDITIONS,
    ),
    ("pupil_not_eligible", "radiee"): Advice(
        "L'enfant a été radié de cette école : il n'y est plus inscrit ; l'accès reviendra "
        "avec son inscription dans sa nouvelle école.",
        {
            RESPONSABLE: "Votre enfant n'est plus inscrit dans cette école (il a été radié de "
            "ses listes) : il n'apparaît plus dans EduConnect à ce titre.",
            DIRECTEUR: "L'élève est radié dans {base} : il n'apparaît plus dans EduConnect au "
            "titre de votre école.",
        },
        _THREE_CONDITIONS + _ACCOUNT_LASTS,
    ),
    ("maternelle_only", ""): Advice(
        "Tous les enfants sont en maternelle : ils apparaissent sur le compte, mais aucun "
        "service en ligne n'est encore proposé à ce niveau. Rien à corriger, pas même l'INE.",
        {
            RESPONSABLE: "Votre enfant est en maternelle : il apparaît sur votre compte "
            "EduConnect, mais aucun service en ligne n'est encore proposé en maternelle.",
            DIRECTEUR: "Les enfants de ce responsable sont tous en maternelle : ils sont "
            "visibles sur son compte, mais aucun service en ligne n'est encore ouvert à ce "
            "niveau.",
        },
        _MATERNELLE,
    ),
    ("sync_pending", ""): Advice(
        "La base a été modifiée après la dernière synchronisation du compte : EduConnect ne "
        "montre pas encore la modification.",
        {
            RESPONSABLE: "Votre dossier a été modifié récemment ; EduConnect ne montre pas "
            "encore cette modification.",
            DIRECTEUR: "La fiche a été modifiée dans {base} après la dernière synchronisation : "
            "EduConnect ne montre pas encore la modification.",
        },
        _SYNC_NIGHTLY,
    ),
    ("not_legal_guardian", ""): Advice(
        "La personne est enregistrée pour l'enfant sans en être responsable légal : seuls les "
        "responsables légaux peuvent avoir un compte.",
        {
            RESPONSABLE: "Vous êtes enregistré(e) pour l'enfant, mais pas comme responsable "
            "légal ; or seuls les responsables légaux peuvent avoir un compte EduConnect.",
            DIRECTEUR: "Cette personne est enregistrée dans {base} sans la responsabilité "
            "légale de l'enfant : elle ne peut pas avoir de compte EduConnect responsable.",
        },
        _LEGAL_ONLY,
    ),
    ("account_ok", ""): Advice(
        "Les données ne montrent pas d'anomalie sur le compte.",
        {
            RESPONSABLE: "Nous avons vérifié votre compte EduConnect : les données ne montrent "
            "pas d'anomalie.",
            ELEVE: "Nous avons vérifié votre compte EduConnect : les données ne montrent pas "
            "d'anomalie.",
            DIRECTEUR: "Les données ne montrent pas d'anomalie sur le compte de cette personne.",
        },
        _SELF_SERVICE,
    ),
    ("person_not_found", ""): Advice(
        "Aucune fiche ne correspond : EduConnect reprend les responsables enregistrés par "
        "l'école ; il faut des précisions.",
        {
            RESPONSABLE: "Nous n'avons pas retrouvé votre dossier à partir des informations "
            "transmises.",
            ELEVE: "Nous n'avons pas retrouvé votre compte à partir des informations transmises.",
            DIRECTEUR: "Nous n'avons pas retrouvé cette personne à partir des informations "
            "transmises.",
        },
        _FROM_SCHOOL_BASE,
    ),
    ("person_ambiguous", ""): Advice(
        "Plusieurs personnes différentes correspondent à la demande (aucun enfant ni coordonnée "
        "en commun) : n'en choisir aucune avant de connaître {detail_agent}.",
        {
            RESPONSABLE: "Plusieurs dossiers correspondent aux informations transmises, et nous "
            "ne voulons pas confondre le vôtre avec celui d'une autre personne.",
            ELEVE: "Plusieurs comptes correspondent aux informations transmises, et nous ne "
            "voulons pas confondre le vôtre avec celui d'une autre personne.",
            DIRECTEUR: "Plusieurs personnes correspondent à la description, et rien ne permet "
            "encore de savoir laquelle est concernée.",
        },
        _DATES_MUST_MATCH,
    ),
}

# --------------------------------------------------------------------------- actions

#: For each action of guided-fixes.md (and variant): the agent's step and the reply paragraphs.
ACTIONS: dict[tuple[str, str], Advice] = {
    ("recover_login", ""): Advice(
        "{titulaire} utilise d'abord le lien « Identifiant perdu » de la page de connexion "
        "d'EduConnect.",
        {
            RESPONSABLE: "Pour retrouver votre identifiant, utilisez le lien « Identifiant "
            "perdu » de la page de connexion d'EduConnect.",
            ELEVE: "Pour retrouver votre identifiant, utilisez le lien « Identifiant perdu » de "
            "la page de connexion d'EduConnect.",
            DIRECTEUR: "Indiquez-lui d'abord le lien « Identifiant perdu » de la page de "
            "connexion d'EduConnect.",
        },
        _SELF_SERVICE,
    ),
    ("recover_password", ""): Advice(
        "{titulaire} utilise d'abord le lien « Mot de passe perdu » de la page de connexion "
        "d'EduConnect.",
        {
            RESPONSABLE: "Pour choisir un nouveau mot de passe, utilisez le lien « Mot de passe "
            "perdu » de la page de connexion d'EduConnect.",
            ELEVE: "Pour choisir un nouveau mot de passe, utilisez le lien « Mot de passe "
            "perdu » de la page de connexion d'EduConnect.",
            DIRECTEUR: "Indiquez-lui d'abord le lien « Mot de passe perdu » de la page de "
            "connexion d'EduConnect.",
        },
        _SELF_SERVICE,
    ),
    ("self_enrol_sms", ""): Advice(
        "Le responsable crée son compte par « Je n'ai pas de compte » : son mobile enregistré "
        "dans {base}, le code reçu par SMS (valable 30 minutes), puis la date de naissance de "
        "ses enfants.",
        {
            RESPONSABLE: "Vous pouvez créer votre compte vous-même : sur la page d'EduConnect, "
            "choisissez « Je n'ai pas de compte », saisissez le numéro de mobile que {ecole} "
            "connaît, puis le code reçu par SMS (valable 30 minutes), et enfin la date de "
            "naissance de vos enfants.",
            DIRECTEUR: "Le responsable peut créer son compte lui-même : « Je n'ai pas de "
            "compte », le mobile enregistré dans {base}, le code reçu par SMS (valable 30 "
            "minutes), puis la date de naissance de ses enfants.",
        },
        _SELF_ENROL + _DATES_MUST_MATCH,
    ),
    ("sign_in_franceconnect", ""): Advice(
        "Le responsable peut aussi se connecter une première fois par FranceConnect : il lui "
        "faut alors le même mobile, enregistré dans {base}.",
        {
            RESPONSABLE: "Vous pouvez aussi vous connecter par FranceConnect ; la première "
            "connexion demande elle aussi le numéro de mobile que {ecole} connaît.",
            DIRECTEUR: "La première connexion par FranceConnect demande elle aussi le mobile "
            "enregistré dans {base}.",
        },
        _MOBILE_MUST_MATCH,
    ),
    ("activate_with_notification", ""): Advice(
        "Le responsable se connecte avec l'identifiant et le mot de passe provisoire notifiés, "
        "saisit une adresse électronique, choisit son mot de passe, donne la date de naissance "
        "de l'enfant affiché, puis clique sur le lien du courriel reçu.",
        {
            RESPONSABLE: "Connectez-vous à EduConnect avec l'identifiant et le mot de passe "
            "provisoire qui vous ont été remis : saisissez votre adresse électronique, "
            "choisissez votre mot de passe et indiquez la date de naissance de l'enfant "
            "affiché, puis cliquez sur le lien du courriel que vous recevrez.",
            DIRECTEUR: "Le responsable active son compte avec l'identifiant et le mot de passe "
            "provisoire notifiés : adresse électronique, nouveau mot de passe, date de "
            "naissance de l'enfant affiché, puis clic sur le lien du courriel reçu.",
        },
        _ACTIVATION_STEPS + _PROVISIONAL_3_MONTHS,
    ),
    ("confirm_email", ""): Advice(
        "Le responsable ouvre le courriel « Services en ligne de l'éducation nationale - "
        "activation du compte » et clique sur le lien ; sinon il regarde dans ses courriers "
        "indésirables, ou se reconnecte pour corriger son adresse.",
        {
            RESPONSABLE: "Ouvrez le courriel intitulé « Services en ligne de l'éducation "
            "nationale - activation du compte » et cliquez sur le lien qu'il contient. Si vous "
            "ne le trouvez pas, regardez dans vos courriers indésirables, ou reconnectez-vous à "
            "EduConnect pour corriger votre adresse.",
            DIRECTEUR: "Le responsable doit ouvrir le courriel « Services en ligne de "
            "l'éducation nationale - activation du compte » et cliquer sur le lien ; s'il ne le "
            "trouve pas, regarder dans ses courriers indésirables, ou se reconnecter pour "
            "corriger son adresse.",
        },
        _EMAIL_SPAM,
    ),
    ("retype_given_data", "telephone"): Advice(
        "Le numéro donné diffère d'une faute de frappe de celui de la base ({ecart}) : le "
        "responsable le saisit à nouveau tel que l'école l'a enregistré.",
        {
            RESPONSABLE: "Le numéro saisi semble comporter une faute de frappe ({ecart}) : "
            "saisissez à nouveau votre numéro de mobile, chiffre par chiffre, tel que vous "
            "l'avez donné à {ecole}.",
            DIRECTEUR: "Le numéro saisi diffère d'une faute de frappe de celui de {base} "
            "({ecart}) : le responsable doit le saisir à nouveau tel qu'il est enregistré.",
        },
        _MOBILE_MUST_MATCH,
    ),
    ("retype_given_data", "date"): Advice(
        "La date donnée diffère d'une faute de frappe de celle de la base ({ecart}) : le "
        "responsable la saisit à nouveau telle que l'école l'a enregistrée.",
        {
            RESPONSABLE: "La date saisie semble comporter une faute de frappe ({ecart}) : "
            "saisissez à nouveau la date de naissance de votre enfant, telle que vous l'avez "
            "donnée à {ecole}.",
            DIRECTEUR: "La date saisie diffère d'une faute de frappe de celle de {base} "
            "({ecart}) : le responsable doit la saisir à nouveau telle qu'elle est enregistrée.",
        },
        _DATES_MUST_MATCH,
    ),
    ("regroup_accounts", ""): Advice(
        "Depuis le compte qu'il utilise déjà, le responsable choisit « Ajouter des enfants "
        "depuis un autre compte » et saisit l'identifiant et le mot de passe (provisoire s'il "
        "y a lieu) de l'autre compte.",
        {
            RESPONSABLE: "Connectez-vous ensuite au compte que vous utilisez déjà, puis, dans "
            "« Mon compte », choisissez « Ajouter des enfants depuis un autre compte » et "
            "saisissez l'identifiant et le mot de passe (provisoire s'il y a lieu) de l'autre "
            "compte : vos enfants seront alors réunis sur le même compte.",
            DIRECTEUR: "Le responsable regroupe ensuite ses enfants depuis le compte qu'il "
            "utilise déjà : « Ajouter des enfants depuis un autre compte », avec l'identifiant "
            "et le mot de passe de l'autre compte.",
        },
        _REGROUP + _DUPLICATE,
    ),
    ("fix_base_contact", "telephone"): Advice(
        "Dans {base}, {qui} corrige le numéro de mobile du responsable.",
        {
            RESPONSABLE: "Communiquez votre numéro de mobile actuel à {ecole}, qui le "
            "corrigera dans sa base.",
            DIRECTEUR: "Corrigez le numéro de mobile du responsable dans {base}.",
        },
        _FIX_IN_ONDE + _CORRECT_DATA,
    ),
    ("fix_base_contact", "email"): Advice(
        "Dans {base}, {qui} corrige l'adresse électronique du responsable.",
        {
            RESPONSABLE: "Communiquez votre adresse électronique exacte à {ecole}, qui la "
            "corrigera dans sa base.",
            DIRECTEUR: "Corrigez l'adresse électronique du responsable dans {base}.",
        },
        _FIX_IN_ONDE + _CORRECT_DATA,
    ),
    ("fix_base_birthdate", ""): Advice(
        "Si la date de la base est erronée, {qui} la corrige dans {base}.",
        {
            RESPONSABLE: "Si la date enregistrée est erronée, signalez-le à {ecole}, qui la "
            "corrigera dans sa base.",
            DIRECTEUR: "Si la date enregistrée est erronée, corrigez-la dans {base}.",
        },
        _FIX_IN_ONDE,
    ),
    ("fix_base_identity", ""): Advice(
        "Dans {base}, {qui} corrige le nom ou le prénom de l'une des fiches pour que les deux "
        "soient écrites à l'identique.",
        {
            RESPONSABLE: "Vos deux fiches ne portent pas exactement les mêmes nom et prénom : "
            "{ecole} doit d'abord les corriger pour qu'ils soient identiques.",
            DIRECTEUR: "Dans {base}, corrigez le nom ou le prénom de l'une des fiches pour que "
            "les deux soient écrites à l'identique.",
        },
        _DUPLICATE + _CORRECT_DATA,
    ),
    ("finalise_enrolment", ""): Advice(
        "{qui_cap} complète l'inscription de l'élève dans {base} : admission définitive, INE, "
        "classe.",
        {
            RESPONSABLE: "{ecole_cap} doit d'abord finaliser l'inscription de votre enfant "
            "(admission définitive, identifiant national, classe).",
            DIRECTEUR: "Finalisez l'inscription de l'élève dans {base} : admission définitive "
            "et répartition dans une classe ; l'élève doit aussi avoir un INE.",
        },
        _THREE_CONDITIONS,
    ),
    ("notify_account", ""): Advice(
        "{admin_cap} notifie le compte depuis l'application « Administration des comptes » : "
        "identifiant et mot de passe provisoire, par feuille individuelle imprimable "
        "(recommandée) ou par courriel.",
        {
            RESPONSABLE: "Demandez à {ecole} de vous remettre votre identifiant et un mot de "
            "passe provisoire, avec lesquels vous activerez votre compte.",
            DIRECTEUR: "Notifiez le compte depuis l'application « Administration des comptes » "
            "(« Notifier les comptes ») ; la feuille individuelle imprimable est recommandée, "
            "le courriel suppose une adresse saisie dans {base}.",
        },
        _NOTIFY + _NO_MOBILE_NOTIFY,
    ),
    ("notify_account", "doublon"): Advice(
        "{admin_cap} notifie au responsable son second compte (identifiant et mot de passe "
        "provisoire).",
        {
            RESPONSABLE: "Demandez à {ecole} l'identifiant et le mot de passe provisoire de "
            "votre second compte.",
            DIRECTEUR: "Notifiez au responsable son second compte (identifiant et mot de passe "
            "provisoire) depuis l'application « Administration des comptes ».",
        },
        _DUPLICATE + _NOTIFY,
    ),
    ("notify_account", "feuille"): Advice(
        "Sans adresse électronique, {admin} notifie le compte par feuille individuelle imprimable.",
        {
            RESPONSABLE: "{ecole_cap} peut vous remettre votre identifiant et un mot de passe "
            "provisoire sur papier.",
            DIRECTEUR: "Notifiez ce responsable par feuille individuelle imprimable.",
        },
        _NOTIFY,
    ),
    ("renotify_with_reset", ""): Advice(
        "Si l'auto-dépannage ne suffit pas, {admin} renotifie le compte avec réinitialisation "
        "du mot de passe.",
        {
            RESPONSABLE: "Si cela ne fonctionne pas, {ecole} peut vous remettre à nouveau votre "
            "identifiant avec un nouveau mot de passe provisoire.",
            DIRECTEUR: "Si l'auto-dépannage ne suffit pas, renotifiez le compte depuis "
            "l'application « Administration des comptes » (« (Re)Notifier les comptes », avec "
            "réinitialisation du mot de passe).",
        },
        _RENOTIFY + _SELF_SERVICE,
    ),
    ("renotify_with_reset", "expire"): Advice(
        "{admin_cap} renotifie le compte avec réinitialisation du mot de passe : un nouveau mot "
        "de passe provisoire, à utiliser sans attendre.",
        {
            RESPONSABLE: "Demandez à {ecole} de vous remettre à nouveau votre identifiant avec "
            "un nouveau mot de passe provisoire, et activez votre compte sans attendre.",
            DIRECTEUR: "Renotifiez le compte depuis l'application « Administration des "
            "comptes » (« (Re)Notifier les comptes », avec réinitialisation du mot de passe).",
        },
        _RENOTIFY + _PROVISIONAL_3_MONTHS,
    ),
    ("renotify_with_reset", "eleve"): Advice(
        "Si l'élève ne peut pas se dépanner seul, un personnel de l'établissement ayant "
        "délégation réinitialise son compte depuis le module « Dépannage élève ».",
        {
            RESPONSABLE: "Si cela ne fonctionne pas, {ecole} peut réinitialiser le compte de "
            "votre enfant.",
            ELEVE: "Si cela ne fonctionne pas, {ecole} peut réinitialiser votre compte.",
            DIRECTEUR: "Si l'élève ne peut pas se dépanner seul, réinitialisez son compte depuis "
            "le module « Dépannage élève » (vous ou un personnel ayant délégation).",
        },
        _PUPIL_DESK,
    ),
    ("renotify_with_reset", "eleve_expire"): Advice(
        "Un personnel de l'établissement ayant délégation remet à l'élève un nouveau mot de "
        "passe provisoire depuis le module « Dépannage élève ».",
        {
            RESPONSABLE: "{ecole_cap} peut remettre à votre enfant un nouveau mot de passe "
            "provisoire.",
            ELEVE: "Demandez à {ecole} un nouveau mot de passe provisoire.",
            DIRECTEUR: "Remettez à l'élève un nouveau mot de passe provisoire depuis le module "
            "« Dépannage élève » (vous ou un personnel ayant délégation).",
        },
        _PUPIL_DESK + _PROVISIONAL_3_MONTHS,
    ),
    ("hand_out_pupil_login", ""): Advice(
        "{ecole_cap} remet à l'élève son identifiant : un personnel ayant délégation le fait "
        "depuis le module « Dépannage élève ».",
        {
            RESPONSABLE: "Le compte EduConnect de votre enfant ne lui a pas encore été remis : "
            "{ecole} peut lui donner son identifiant.",
            ELEVE: "Demandez votre identifiant à {ecole} (le secrétariat ou la personne chargée "
            "des comptes EduConnect).",
            DIRECTEUR: "Remettez à l'élève son identifiant depuis le module « Dépannage élève » "
            "(vous ou un personnel ayant délégation).",
        },
        _PUPIL_DESK,
    ),
    ("wait_sync", ""): Advice(
        "Attendre la synchronisation : compter {delai} après la modification avant de réessayer.",
        {
            RESPONSABLE: "Une fois la correction faite, comptez {delai} avant qu'elle apparaisse "
            "dans EduConnect, puis réessayez.",
            ELEVE: "Une fois la correction faite, comptez {delai} avant qu'elle apparaisse dans "
            "EduConnect, puis réessayez.",
            DIRECTEUR: "Comptez {delai} avant que la modification apparaisse dans EduConnect ; "
            "vérifiez ensuite le compte et prévenez le responsable.",
        },
        _DELAY_ONDE + _DELAY_SIECLE + _FIX_IN_ONDE,
    ),
    ("ask_requester", ""): Advice(
        "Demander au demandeur l'école, le nom, le prénom et la date de naissance de l'enfant, "
        "puis relancer le diagnostic.",
        {
            RESPONSABLE: "Pouvez-vous nous indiquer l'école de votre enfant, ainsi que son nom, "
            "son prénom et sa date de naissance ? Les responsables sont enregistrés par l'école : "
            "si vous ne l'êtes pas encore, adressez-vous à elle.",
            ELEVE: "Pouvez-vous nous indiquer votre établissement, vos nom et prénom et votre "
            "date de naissance ?",
            DIRECTEUR: "Pouvez-vous nous préciser l'école, le nom, le prénom et la date de "
            "naissance de l'enfant concerné ?",
        },
        _FROM_SCHOOL_BASE + _DATES_MUST_MATCH,
    ),
    ("ask_requester", "ambigu"): Advice(
        "Demander {detail_agent}, puis relancer le diagnostic : c'est ce qui distingue les "
        "personnes possibles.",
        {
            RESPONSABLE: "Pour être sûrs de consulter le bon dossier, pouvez-vous nous indiquer "
            "{detail} ?",
            ELEVE: "Pour être sûrs de consulter le bon compte, pouvez-vous nous indiquer "
            "{detail} ?",
            DIRECTEUR: "Pour identifier la bonne personne, pouvez-vous nous préciser {detail} ?",
        },
        _DATES_MUST_MATCH,
    ),
    ("escalate_proximite", ""): Advice(
        "Si le doublon persiste après la correction, le centre le transmet à la DSI de "
        "proximité (ADSI Onde) pour un diagnostic plus précis.",
        {
            DIRECTEUR: "Si le doublon persiste après la correction, nous le transmettrons à la "
            "DSI de proximité.",
        },
        _PROXIMITE,
    ),
    ("explain_no_access", "maternelle"): Advice(
        "Expliquer que les enfants sont visibles mais qu'aucun service en ligne n'est encore "
        "ouvert en maternelle ; rien à corriger.",
        {
            RESPONSABLE: "Il n'y a rien à corriger : les services en ligne commencent à l'école "
            "élémentaire, et votre compte restera valable les années suivantes.",
            DIRECTEUR: "Il n'y a rien à corriger ; c'est à partir de l'élémentaire qu'il est "
            "utile de présenter EduConnect aux familles.",
        },
        _MATERNELLE + _ACCOUNT_LASTS,
    ),
    ("explain_no_access", "radiee"): Advice(
        "Expliquer que l'enfant a quitté cette école : il reviendra sur le compte avec son "
        "inscription dans sa nouvelle école ; rien à corriger ici.",
        {
            RESPONSABLE: "Votre enfant reviendra sur votre compte une fois inscrit dans sa "
            "nouvelle école ; votre compte reste valable d'un établissement à l'autre.",
            DIRECTEUR: "Il n'y a rien à corriger dans votre école : l'élève reviendra dans "
            "EduConnect avec son inscription dans sa nouvelle école.",
        },
        _ACCOUNT_LASTS + _THREE_CONDITIONS,
    ),
    ("explain_no_access", "non_legal"): Advice(
        "Expliquer que seuls les responsables légaux d'un élève peuvent avoir un compte "
        "responsable.",
        {
            RESPONSABLE: "Un compte EduConnect responsable est réservé aux responsables légaux "
            "de l'élève.",
            DIRECTEUR: "Seuls les responsables légaux d'un élève peuvent avoir un compte "
            "responsable.",
        },
        _LEGAL_ONLY,
    ),
}

# --------------------------------------------------------------------------- watch page

#: What a school does about each category of its "accounts to watch" page.
WATCH: dict[str, Advice] = {
    "sans_mobile": Advice(
        "Saisir le mobile du responsable dans la base élèves : sans lui, ni la création du "
        "compte par SMS ni FranceConnect ne sont possibles ; en attendant, notifier le compte.",
        {},
        _NO_MOBILE_NOTIFY + _MOBILE_MUST_MATCH,
    ),
    "doublons": Advice(
        "Responsable enregistré deux fois, donc deux comptes : si les noms et prénoms sont "
        "identiques, lui notifier le second compte pour qu'il regroupe ses enfants depuis le "
        "compte déjà utilisé ; sinon, corriger d'abord le nom ou le prénom.",
        {},
        _DUPLICATE,
    ),
    "notification_expiree": Advice(
        "Le mot de passe provisoire n'est plus valable (plus de 3 mois) : renotifier le compte "
        "avec réinitialisation du mot de passe.",
        {},
        _RENOTIFY + _PROVISIONAL_3_MONTHS,
    ),
    "courriel_non_confirme": Advice(
        "Le compte attend un clic sur le lien du courriel d'activation : le responsable regarde "
        "dans ses courriers indésirables, ou se reconnecte pour corriger son adresse.",
        {},
        _EMAIL_LINK + _EMAIL_SPAM,
    ),
    "eleve_non_eligible": Advice(
        "Sans admission définitive, INE ou classe, aucun compte ne peut être rattaché à "
        "l'élève : compléter son inscription dans la base élèves.",
        {},
        _THREE_CONDITIONS,
    ),
}

# --------------------------------------------------------------------------- letters

GREETING = "Bonjour,"
#: The last paragraph of a reply, by audience.
CLOSINGS: dict[str, Advice] = {
    RESPONSABLE: Advice(
        "",
        {
            RESPONSABLE: "Pour toute question, l'assistance téléphonique vous répond au "
            "{telephone_assistance} ({horaires_assistance}).",
        },
        _PHONE_HOURS,
    ),
    ELEVE: Advice(
        "",
        {
            ELEVE: "Pour toute question, l'assistance téléphonique vous répond au "
            "{telephone_assistance} ({horaires_assistance}).",
        },
        _PHONE_HOURS,
    ),
    DIRECTEUR: Advice(
        "",
        {
            DIRECTEUR: "Pour toute autre question, le centre de services reste à votre "
            "disposition (Demande logicielle, nature EDUCONNECT).",
        },
        _SERVICE_DESK,
    ),
}
SIGNATURE = "Cordialement,\nL'assistance EduConnect, {academie}"


def situation(code: str, variant: str = "") -> Advice:
    return SITUATIONS.get((code, variant)) or SITUATIONS[(code, "")]


def action_advice(action: str, variant: str = "") -> Advice:
    return ACTIONS.get((action, variant)) or ACTIONS[(action, "")]


def every_entry() -> list[tuple[str, Advice]]:
    """Every entry of the module, named, for review and for the source test."""
    named = [(f"situation {c}/{v}", a) for (c, v), a in SITUATIONS.items()]
    named += [(f"action {c}/{v}", a) for (c, v), a in ACTIONS.items()]
    named += [(f"closing {k}", a) for k, a in CLOSINGS.items()]
    named += [(f"watch {k}", a) for k, a in WATCH.items()]
    named += [(f"delay {k}", Advice("", {}, s)) for k, s in DELAY_SOURCES.items()]
    return named
