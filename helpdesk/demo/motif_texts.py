"""What people write for each motif, and what agents answer: French text templates.

Placeholders (filled by `helpdesk.demo.content`):
  requester   {prenom} {nom} {nom_naissance} {civ} (Mme/M.) {madame} (Madame/Monsieur)
              {lien} (mère/père) {un_parent} {Un_parent} (une maman/un papa) {pe} ('' or 'e')
  child       {enfant} {enfant2} {de_enfant} {de_enfant2} {que_enfant} (elided: d'Inès)
              {mon_fils} (mon fils/ma fille) {il} {Il} {e_enfant}
              {classe} {date_naissance} {date_naissance_faux} {date_naissance_lettres}
  contact     {telephone} {telephone_colle} {telephone_faux} {email} {email_faux}
              {identifiant} {mdp_provisoire}
  school      {ecole} {a_ecole} (à l'école …/au collège …) {de_ecole} {commune} {uai}
              {autre_ecole} {a_autre_ecole} {e_ecole}
              {l_ecole} {L_ecole} {a_l_ecole} {de_l_ecole} {secretariat} {au_secretariat}
              {base} (ONDE/SIECLE) {delai_synchro} {directeur} {directeur_titre}
              {teleservice}
  staff, time {agent} {agent2} {jour} {date} {heure}

Each template may carry a tag; answers and notes with the same tag are preferred, so that the
agent answers the problem the person described.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    requester_kind: str
    subject: str
    body: str
    tag: str | None = None
    #: 1 = école (ONDE), 2 = collège or lycée (SIECLE), None = either.
    degree: int | None = None
    #: A note taken by an agent during a phone call rather than the person's own words.
    by_phone: bool = False


@dataclass(frozen=True)
class Answer:
    text: str
    #: 'parent', 'eleve' or 'directeur'; None fits every audience.
    audience: str | None = None
    tag: str | None = None


@dataclass(frozen=True)
class Note:
    text: str
    tag: str | None = None


@dataclass(frozen=True)
class MotifTexts:
    templates: tuple[Template, ...]
    answers: tuple[Answer, ...]
    notes: tuple[Note, ...]
    #: What the requester writes back once helped (a Note when it fits only one tag).
    followups: tuple[str | Note, ...]
    #: What a director writes on a parent's ticket once the school base is corrected; used
    #: only for templates with the same tag (an untagged fix fits untagged templates).
    school_fixes: tuple[Note, ...] = ()
    #: The agent's answer to the parent once the school has corrected its base.
    after_fix: tuple[Note, ...] = ()
    #: What a director who asked writes back; a general set is used when empty.
    director_followups: tuple[str, ...] = ()


def parent(subject: str, body: str, tag: str | None = None, degree: int | None = None):
    return Template("parent", subject, body, tag, degree)


def pupil(subject: str, body: str, tag: str | None = None, degree: int | None = 2):
    return Template("eleve", subject, body, tag, degree)


def director(subject: str, body: str, tag: str | None = None, degree: int | None = None):
    return Template("directeur", subject, body, tag, degree)


def phone(kind: str, subject: str, body: str, tag: str | None = None, degree: int | None = None):
    return Template(kind, subject, body, tag, degree, by_phone=True)


MOTIF_TEXTS: dict[str, MotifTexts] = {}

# --- activation_sms -------------------------------------------------------------------------

MOTIF_TEXTS["activation_sms"] = MotifTexts(
    templates=(
        parent(
            "Code SMS non reçu",
            "Bonjour,\n\nJ'essaie de créer mon compte EduConnect pour suivre la scolarité de "
            "{mon_fils} {enfant} ({classe}, {ecole}) mais je ne reçois jamais le code par SMS. "
            "J'ai recommencé trois fois depuis {jour}. Mon numéro est le {telephone}.\n\n"
            "Pouvez-vous m'aider ?\n\nCordialement,\n{prenom} {nom}",
        ),
        parent(
            "educonnect",
            "bjr jarrive pas a m inscrire ça me dit numero inconnu alors que c bien mon num "
            "{telephone_colle}. {enfant} est en {classe} a {commune}. merci de me rappeler",
            tag="numero",
        ),
        parent(
            "Impossible d'activer mon compte - numéro de téléphone non reconnu",
            "Madame, Monsieur,\n\nLors de l'inscription sur EduConnect, le site m'indique que "
            "le numéro saisi ne correspond pas à celui connu de l'établissement. J'ai pourtant "
            "donné le {telephone} {a_l_ecole} lors de l'inscription {de_enfant}. Il est possible "
            "que j'aie changé de numéro depuis, je ne sais plus lequel j'avais indiqué.\n\n"
            "Je vous remercie par avance de votre aide.\n\n{civ} {prenom} {nom}",
            tag="numero",
        ),
        parent(
            "toujours pas de code !!!",
            "Ça fait une semaine que j'essaie, le code SMS n'arrive JAMAIS. J'ai même essayé avec "
            "le téléphone de mon conjoint, pareil. Pour la bourse il faut le compte avant la fin "
            "du mois, comment je fais ??\n{prenom} {nom}, {lien} {de_enfant} en {classe}",
        ),
        parent(
            "code sms refusé",
            "Bonjour, j'ai bien reçu le code par SMS hier soir mais quand je le tape ce matin on "
            "me dit qu'il n'est pas valide. Je l'ai recopié 2 fois sans erreur. Merci de "
            "m'indiquer la marche à suivre.\n{prenom} {nom}",
            tag="expire",
        ),
        director(
            "Auto-inscription impossible - numéro inconnu",
            "Bonjour,\n\n{Un_parent} de {classe} ({civ} {nom}, responsable {de_enfant}) ne "
            "parvient pas à s'auto-inscrire : message « numéro inconnu ». J'ai vérifié dans "
            "{base}, le portable saisi est le {telephone}, c'est bien le sien d'après la famille. "
            "La fiche a été modifiée avant-hier. Faut-il attendre ou lui faire une notification ?"
            "\n\n{directeur}, {directeur_titre}",
            tag="numero",
            degree=1,
        ),
        director(
            "Familles sans code SMS",
            "Bonjour,\nPlusieurs familles nouvellement inscrites nous disent ne pas recevoir le "
            "code SMS. Les "
            "numéros sont pourtant renseignés dans SIECLE (portable, accepte SMS coché). Exemple : "
            "{civ} {nom}, responsable {de_enfant} ({classe}), portable {telephone}.\n"
            "Merci d'avance.\nLe secrétariat, {ecole}",
            tag="numero",
            degree=2,
        ),
        phone(
            "parent",
            "Appel : code SMS non reçu",
            "Appel de {civ} {nom} ({lien} {de_enfant}, {classe}, {ecole}) à {heure} : ne reçoit "
            "pas le code SMS lors de l'auto-inscription, message « numéro inconnu ». Numéro donné "
            "au téléphone : {telephone}. Vérification à faire dans l'annuaire.",
            tag="numero",
        ),
        phone(
            "parent",
            "Appel : code SMS refusé",
            "{civ} {nom} a appelé à {heure} : code SMS reçu mais refusé (saisi le lendemain). "
            "Expliqué que le code n'est valable que 30 minutes ; le parent recommence "
            "l'inscription. Rappellera en cas d'échec.",
            tag="expire",
        ),
    ),
    answers=(
        Answer(
            "Pour créer votre compte par SMS, EduConnect compare le numéro que vous saisissez avec "
            "le numéro de portable enregistré par {l_ecole} dans sa base ({base}). S'ils ne sont "
            "pas identiques, le code n'est pas envoyé et le message « numéro inconnu » "
            "s'affiche.\n\nNous vous invitons à demander {au_secretariat} de vérifier votre "
            "numéro. Une correction sera visible dans EduConnect {delai_synchro} ; vous pourrez "
            "alors recommencer l'inscription. {L_ecole} peut aussi vous remettre une notification "
            "avec votre identifiant et un mot de passe provisoire.",
            "parent",
        ),
        Answer(
            "Après vérification, le numéro de portable enregistré pour vous par {l_ecole} ne "
            "correspond pas à celui que vous nous indiquez. Nous avons signalé l'écart "
            "{au_secretariat}. Dès que le numéro sera corrigé dans {base}, la mise à jour "
            "apparaîtra dans EduConnect {delai_synchro}. Vous pourrez alors recommencer "
            "l'inscription ; le code reçu par SMS est valable 30 minutes.",
            "parent",
            "numero",
        ),
        Answer(
            "Le code reçu par SMS n'est valable que 30 minutes. Passé ce délai, il faut "
            "recommencer l'inscription pour en recevoir un nouveau, puis le saisir sans "
            "attendre.\n\nVous choisirez ensuite un mot de passe de 8 à 14 caractères, uniquement "
            "des lettres non accentuées et des chiffres (au moins une lettre et un chiffre). Pour "
            "terminer, cliquez sur le lien envoyé à votre adresse électronique : votre compte "
            "sera alors activé.",
            "parent",
            "expire",
        ),
        Answer(
            "Le code SMS n'est envoyé que si le numéro saisi par le parent est identique au "
            "numéro de portable de la fiche responsable dans {base}. Une modification de la fiche "
            "n'est visible dans EduConnect que {delai_synchro} : si la fiche vient d'être "
            "corrigée, la famille doit attendre ce délai avant de réessayer.\n\nSi le problème "
            "persiste, vous pouvez notifier le compte depuis l'outil d'administration des "
            "comptes (onglet Responsables, « Notifier les comptes ») et remettre la feuille "
            "individuelle à la famille : elle se connectera avec son identifiant et le mot de "
            "passe provisoire, valable 3 mois.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Annuaire : compte de {civ} {nom} à l'état « non notifié ». Portable en base "
            "{telephone_faux}, numéro donné {telephone} : deux chiffres inversés. Correction "
            "{base} à demander {au_secretariat}.",
            "numero",
        ),
        Note(
            "Pas de portable dans la fiche responsable : l'auto-inscription par SMS est "
            "impossible. Proposer la notification par {l_ecole}.",
            "numero",
        ),
        Note(
            "Numéro identique en base, fiche synchronisée. Code probablement saisi après les "
            "30 minutes : procédure réexpliquée.",
            "expire",
        ),
        Note("Même numéro de portable saisi pour les deux parents : le code part chez l'autre."),
    ),
    followups=(
        "Merci beaucoup, j'ai recommencé ce matin et j'ai bien reçu le code. Mon compte est "
        "activé.",
        "bonjour c bon j'ai pu m'inscrire merci",
        Note(
            "Merci pour votre réponse. Je passe {a_l_ecole} demain pour donner mon nouveau numéro.",
            "numero",
        ),
    ),
    school_fixes=(
        Note(
            "Bonjour, le numéro de portable a été corrigé dans {base} ce jour. {directeur}",
            "numero",
        ),
        Note(
            "Bonjour, c'était l'ancien numéro de la famille, j'ai mis à jour le portable de {civ} "
            "{nom}. Cordialement, {directeur}",
            "numero",
        ),
        Note(
            "Bonjour, le portable n'était pas saisi dans la fiche, c'est fait. Cordialement", None
        ),
    ),
    after_fix=(
        Note(
            "{L_ecole} a corrigé votre numéro de portable. La modification sera visible dans "
            "EduConnect {delai_synchro}. Vous pourrez alors recommencer l'inscription par SMS ; "
            "le code reçu est valable 30 minutes."
        ),
    ),
)

# --- activation_date_naissance ------------------------------------------------------------

MOTIF_TEXTS["activation_date_naissance"] = MotifTexts(
    templates=(
        parent(
            "Date de naissance refusée",
            "Bonjour,\n\nÀ l'étape de la date de naissance, le site m'indique que la date de "
            "naissance {de_enfant} est incorrecte. Je saisis pourtant bien le {date_naissance}. "
            "Je ne comprends pas.\n\nCordialement,\n{prenom} {nom}",
        ),
        parent(
            "activation bloquée",
            "la date de naissance de {mon_fils} ne passe pas !! {il} est né{e_enfant} le "
            "{date_naissance_lettres}, j'ai essayé avec les / et sans... rien ne marche. c'est "
            "pour {ecole}",
        ),
        parent(
            "Erreur de date de naissance {a_l_ecole} ?",
            "Madame, Monsieur,\nJ'ai deux enfants, {enfant} et {enfant2}. Quand je renseigne les "
            "dates de naissance, celle {de_enfant} est refusée. L'école a peut-être fait une "
            "erreur : sur le certificat de scolarité il est écrit {date_naissance_faux} au lieu "
            "du {date_naissance}.\nMerci de votre aide,\n{civ} {nom}",
            tag="base",
        ),
        parent(
            "bloquée à la dernière étape",
            "Bonsoir, je n'arrive pas au bout de l'activation. Il me demande la date de "
            "naissance {de_enfant}, je la mets et ça bloque en disant que les informations ne "
            "correspondent pas. J'ai vérifié sur le livret de famille c'est la bonne. Merci",
        ),
        director(
            "Date de naissance erronée dans {base}",
            "Bonjour,\n{Un_parent} me signale que la date de naissance de son enfant est refusée "
            "à l'activation. Dans {base} j'avais {date_naissance_faux}, le livret de famille "
            "indique {date_naissance}. J'ai corrigé la fiche élève ce matin. Le parent doit-il "
            "attendre demain pour réessayer ?\n{directeur}",
            tag="base",
        ),
        phone(
            "parent",
            "Appel : date de naissance refusée",
            "Appel de {civ} {nom} : date de naissance {de_enfant} ({classe}, {ecole}) refusée à "
            "l'activation. Date donnée par le parent : {date_naissance}. À comparer avec la base "
            "élèves.",
        ),
        phone(
            "parent",
            "Rappel : activation toujours bloquée",
            "{civ} {nom} rappelle : toujours bloqué à l'étape des dates de naissance. A deux "
            "enfants ({enfant}, {enfant2}) dans deux écoles. Je vérifie les deux fiches.",
            tag="base",
        ),
    ),
    answers=(
        Answer(
            "Lors de l'activation, EduConnect vérifie la date de naissance de vos enfants avec "
            "celle enregistrée par {l_ecole} dans {base}. Si les deux dates diffèrent, même d'un "
            "jour, l'activation est refusée ; quand vous avez plusieurs enfants, toutes les dates "
            "doivent correspondre.\n\nLa date enregistrée pour {enfant} n'est pas celle que vous "
            "indiquez. Nous avons demandé {au_secretariat} de la corriger. La correction sera "
            "visible {delai_synchro} : vous pourrez alors reprendre l'activation.",
            "parent",
            "base",
        ),
        Answer(
            "Merci de vérifier que vous saisissez la date au format jour/mois/année (par exemple "
            "{date_naissance}). Si elle est toujours refusée, c'est que la date enregistrée par "
            "{l_ecole} est différente : adressez-vous {au_secretariat}, avec le livret de "
            "famille, pour qu'elle soit corrigée dans {base}. La correction apparaît dans "
            "EduConnect {delai_synchro}.",
            "parent",
        ),
        Answer(
            "Oui : une correction faite dans {base} est reprise par EduConnect lors de la "
            "synchronisation, et visible {delai_synchro}. Le parent pourra reprendre "
            "l'activation à ce moment-là. Si la famille a d'autres enfants, leurs dates de "
            "naissance doivent aussi être exactes dans la base.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Date en base : {date_naissance_faux} ; date donnée : {date_naissance}. Inversion "
            "jour/mois probable. Demande de correction envoyée {au_secretariat}.",
            "base",
        ),
        Note(
            "Les dates des deux enfants sont justes en base. Vérifier que le parent ne saisit "
            "pas la date d'un autre enfant (enfant rattaché par erreur ?)."
        ),
        Note("Fiche corrigée hier par {l_ecole}, synchronisation faite cette nuit : à retenter."),
    ),
    followups=(
        "Bonjour, ça fonctionne depuis ce matin, merci !",
        "D'accord, je réessaie demain matin. Merci.",
        "merci c'est bon mon compte est activé",
    ),
    school_fixes=(
        Note("Bonjour, la date de naissance est corrigée dans {base}. {directeur}", "base"),
        Note("Bonjour, j'ai corrigé la date de naissance {de_enfant} dans la base.", None),
        Note(
            "C'est fait, la fiche {de_enfant} est à jour (erreur de saisie à l'inscription).",
            "base",
        ),
    ),
    after_fix=(
        Note(
            "{L_ecole} a corrigé la date de naissance {de_enfant}. Vous pourrez reprendre "
            "l'activation de votre compte {delai_synchro}."
        ),
    ),
)

# --- email_non_verifie ----------------------------------------------------------------------

MOTIF_TEXTS["email_non_verifie"] = MotifTexts(
    templates=(
        parent(
            "Mail de confirmation jamais reçu",
            "Bonjour,\nJ'ai créé mon compte EduConnect mais je n'ai jamais reçu le mail de "
            "confirmation. J'ai regardé dans les spams, rien. Mon adresse : {email}.\nMerci",
            tag="spam",
        ),
        parent(
            "Compte en cours d'activation",
            "Bonjour,\n\nMon compte est marqué « en cours d'activation » depuis {jour} et je ne "
            "peux pas accéder aux services {de_enfant}. Que dois-je faire ?\n\nBien cordialement"
            "\n{prenom} {nom}",
            tag="spam",
        ),
        parent(
            "lien expiré",
            "le lien dans le mail marche plus, ça dit qu'il a expiré. jai cliqué dessus 2 jours "
            "apres. comment on fait pour en avoir un autre ?",
            tag="lien",
        ),
        parent(
            "Erreur dans mon adresse mail",
            "Bonjour, je crois que je me suis trompé{pe} dans mon adresse mail à l'inscription : "
            "j'ai tapé {email_faux} au lieu de {email}. Du coup je ne reçois rien. Comment "
            "corriger ? Merci d'avance. {prenom} {nom}",
            tag="adresse",
        ),
        director(
            "Courriel d'activation non reçu",
            "Bonjour,\n{Un_parent} de {classe} a bien activé son compte avec le mot de passe "
            "provisoire mais n'a jamais reçu le courriel d'activation. Dans l'outil "
            "d'administration, le compte est « en cours d'activation ». L'adresse dans {base} est "
            "{email_faux}, je pense qu'il y a une faute. Que faire ?\n{directeur}",
            tag="adresse",
        ),
        phone(
            "parent",
            "Appel : compte en cours d'activation",
            "Appel de {civ} {nom} : compte bloqué « en cours d'activation », courriel non reçu. "
            "Adresse relue ensemble : {email}. Conseillé de regarder dans les indésirables et de "
            "redemander l'envoi en se reconnectant.",
            tag="spam",
        ),
        phone(
            "parent",
            "Appel : lien d'activation expiré",
            "{civ} {nom} : lien d'activation expiré. Expliqué comment obtenir un nouveau courriel "
            "en se reconnectant avec identifiant et mot de passe. OK pour le parent.",
            tag="lien",
        ),
    ),
    answers=(
        Answer(
            "Votre compte est créé mais pas encore activé : il faut cliquer sur le lien envoyé "
            "par courriel à l'adresse que vous avez indiquée. Si vous ne l'avez pas reçu, "
            "regardez dans le dossier des courriers indésirables (spams). Vous pouvez aussi vous "
            "reconnecter à EduConnect avec votre identifiant et votre mot de passe : l'envoi d'un "
            "nouveau courriel vous sera proposé, et vous pourrez corriger votre adresse si elle "
            "est erronée.",
            "parent",
        ),
        Answer(
            "Le lien d'activation n'est valable que pour une durée limitée. Reconnectez-vous sur "
            "EduConnect avec votre identifiant et votre mot de passe, puis demandez l'envoi d'un "
            "nouveau courriel ; cliquez ensuite sur le lien sans tarder pour terminer "
            "l'activation.",
            "parent",
            "lien",
        ),
        Answer(
            "L'adresse enregistrée sur votre compte est {email_faux} : elle contient une erreur, "
            "le courriel n'a donc pas pu vous parvenir. Reconnectez-vous avec votre identifiant "
            "et votre mot de passe ; à l'étape de confirmation de l'adresse, saisissez {email} "
            "puis cliquez sur le lien que vous recevrez.",
            "parent",
            "adresse",
        ),
        Answer(
            "Tant que le lien reçu par courriel n'a pas été cliqué, le compte reste « en cours "
            "d'activation ». Si l'adresse est erronée, le parent peut se reconnecter avec son "
            "identifiant et son mot de passe et saisir la bonne adresse ; pensez aussi à corriger "
            "le courriel dans {base} pour les prochaines notifications. Si le parent a oublié le "
            "mot de passe qu'il a choisi, vous pouvez notifier de nouveau son compte.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Compte en_cours_activation, courriel non vérifié, adresse {email_faux} (faute de "
            "frappe dans le domaine).",
            "adresse",
        ),
        Note(
            "Adresse correcte. Courriel sans doute classé en indésirable ; conseillé de "
            "redemander l'envoi.",
            "spam",
        ),
        Note("Premier mail envoyé il y a plus d'une semaine, lien périmé.", "lien"),
    ),
    followups=(
        Note("Trouvé dans les spams, c'est réglé. Merci", "spam"),
        Note(
            "J'ai corrigé mon adresse et reçu le mail. Tout fonctionne, merci beaucoup.", "adresse"
        ),
        "ok merci ça marche",
    ),
)

# --- identifiant_oublie ---------------------------------------------------------------------

MOTIF_TEXTS["identifiant_oublie"] = MotifTexts(
    templates=(
        parent(
            "Identifiant oublié",
            "Bonjour,\nJ'ai oublié mon identifiant EduConnect. Pouvez-vous me le renvoyer ?\n"
            "{prenom} {nom}, {lien} {de_enfant} en {classe} {a_ecole}.",
        ),
        parent(
            "identifiant",
            "je ne me rappel plus de mon identifiant, j'avais créé le compte l'an dernier pour "
            "{enfant}. mon mail c {email}",
        ),
        parent(
            "Perte du courrier {de_l_ecole}",
            "Madame, Monsieur,\n\nJe ne retrouve plus le courrier {de_l_ecole} avec mes "
            "identifiants. J'ai essayé « identifiant oublié » mais on me demande un numéro de "
            "téléphone et je n'ai plus le même.\n\nMerci de m'aider.\n{civ} {nom}",
            tag="telephone",
        ),
        parent(
            "c'est quoi mon identifiant ?",
            "Bonjour, on me demande un identifiant, j'ai essayé mon adresse mail, mon nom, le "
            "nom {de_enfant}… rien ne marche. Je n'ai jamais eu de papier {de_l_ecole} je crois. "
            "Cordialement",
            tag="forme",
        ),
        director(
            "Identifiant perdu par un parent",
            "Bonjour,\n{Un_parent} a perdu son identifiant et n'a plus accès à sa messagerie. "
            "Puis-je lui communiquer l'identifiant visible dans l'outil d'administration ou "
            "faut-il refaire une notification ? Compte de {civ} {nom}, élève {enfant} en "
            "{classe}.\nMerci, {directeur}",
        ),
        phone(
            "parent",
            "Appel : identifiant oublié",
            "Appel de {civ} {nom} : identifiant oublié. Compte actif trouvé ({identifiant}). "
            "Orienté vers « Identifiant oublié » par courriel, l'adresse du compte est à jour.",
        ),
        phone(
            "parent",
            "Appel : identifiant perdu, numéro changé",
            "{civ} {nom}, {lien} {de_enfant} : identifiant perdu, portable changé depuis "
            "l'activation. Conseillé de faire mettre à jour le numéro {a_l_ecole} ; en attendant, "
            "récupération par courriel.",
            tag="telephone",
        ),
    ),
    answers=(
        Answer(
            "Sur la page de connexion d'EduConnect, cliquez sur « Identifiant oublié » : vous "
            "pourrez recevoir votre identifiant par SMS, si votre numéro de portable est à jour, "
            "ou par courriel à l'adresse enregistrée sur votre compte.\n\nPour des raisons de "
            "sécurité, nous ne communiquons pas les identifiants par retour de courriel. Si "
            "aucune des deux solutions ne fonctionne, {l_ecole} peut vous remettre une nouvelle "
            "notification avec votre identifiant.",
            "parent",
        ),
        Answer(
            "Votre identifiant n'est ni votre adresse électronique ni votre nom : il figure sur "
            "la notification (courrier ou courriel) remise par {l_ecole}. Si vous ne l'avez plus, "
            "utilisez le lien « Identifiant oublié » de la page de connexion, ou demandez "
            "{au_secretariat} une nouvelle notification.",
            "parent",
            "forme",
        ),
        Answer(
            "Comme votre numéro a changé, la récupération par SMS ne peut pas fonctionner : "
            "choisissez la récupération par courriel dans « Identifiant oublié ». Pensez aussi à "
            "donner votre nouveau numéro {au_secretariat} : il sera pris en compte dans "
            "EduConnect {delai_synchro}.",
            "parent",
            "telephone",
        ),
        Answer(
            "Vous pouvez retrouver l'identifiant du parent en recherchant son compte dans l'outil "
            "d'administration (onglet Responsables) et le lui communiquer de vive voix, ou "
            "notifier de nouveau son compte : il recevra une feuille avec son identifiant et un "
            "mot de passe provisoire. Si son portable a changé, mettez à jour {base} : il pourra "
            "ensuite utiliser « Identifiant oublié » par SMS.",
            "directeur",
        ),
    ),
    notes=(
        Note("Compte actif, courriel vérifié : récupération en libre-service possible."),
        Note(
            "Deux comptes pour la même personne (dont un par FranceConnect). Lui indiquer lequel "
            "utiliser."
        ),
        Note("Portable en base différent du numéro actuel : SMS impossible.", "telephone"),
    ),
    followups=(
        "Merci, j'ai récupéré mon identifiant par mail.",
        "Ok merci je vais voir avec {l_ecole}.",
        "super merci ça a marché",
    ),
)

# --- mot_de_passe_oublie ------------------------------------------------------------------

MOTIF_TEXTS["mot_de_passe_oublie"] = MotifTexts(
    templates=(
        parent(
            "Compte bloqué",
            "Bonjour,\nJ'ai oublié mon mot de passe EduConnect et après plusieurs essais mon "
            "compte est bloqué. Comment le débloquer ?\nMerci\n{prenom} {nom}",
        ),
        parent(
            "MOT DE PASSE PROVISOIRE",
            "le mot de passe provisoire du courrier ne marche pas !! je le recopie exactement "
            "{mdp_provisoire} et ça dit identifiant ou mot de passe incorrect",
            tag="provisoire",
        ),
        parent(
            "Nouveau mot de passe refusé",
            "Bonjour,\n\nOn me demande de changer mon mot de passe mais il refuse celui que je "
            "choisis (il ne respecte pas les règles, paraît-il). J'ai mis le prénom de {mon_fils} "
            "avec l'accent et son année de naissance.\n\nCordialement,\n{civ} {nom}",
            tag="regles",
        ),
        parent(
            "mdp oublié",
            "mdp oublié. j ai fait mot de passe oublié mais le sms arrive pas. {telephone}",
        ),
        parent(
            "Mot de passe du courrier refusé",
            "Madame, Monsieur,\nJ'ai reçu en septembre le courrier {de_l_ecole} avec un mot de "
            "passe provisoire mais je ne m'en sers que maintenant et il est refusé. Pouvez-vous "
            "m'en donner un nouveau ?\nBien à vous,\n{prenom} {nom}",
            tag="provisoire",
        ),
        director(
            "Mots de passe provisoires expirés",
            "Bonjour,\nplusieurs familles me disent que le mot de passe provisoire de la "
            "notification de septembre ne fonctionne pas. Dois-je refaire une notification ? "
            "Est-ce que cela réinitialise aussi les comptes déjà activés ?\n{directeur}",
            tag="provisoire",
        ),
        phone(
            "parent",
            "Appel : mot de passe provisoire refusé",
            "Appel de {civ} {nom} : mot de passe provisoire refusé. Notification de plus de "
            "3 mois, donc expirée. Conseillé de demander une nouvelle notification {a_l_ecole} "
            "ou de passer par l'inscription par SMS.",
            tag="provisoire",
        ),
        phone(
            "parent",
            "Appel : mot de passe oublié",
            "{civ} {nom} : mot de passe oublié, trop d'essais. Expliqué « Mot de passe oublié » "
            "(code par SMS ou lien par courriel) et les règles du nouveau mot de passe.",
        ),
    ),
    answers=(
        Answer(
            "Utilisez le lien « Mot de passe oublié » sur la page de connexion d'EduConnect : "
            "vous recevrez un code par SMS ou un lien par courriel pour en choisir un nouveau. "
            "Votre nouveau mot de passe doit compter de 8 à 14 caractères, uniquement des lettres "
            "non accentuées et des chiffres, avec au moins une lettre et un chiffre.",
            "parent",
        ),
        Answer(
            "Le mot de passe provisoire indiqué sur la notification n'est valable que 3 mois. "
            "Passé ce délai, il ne fonctionne plus : demandez {au_secretariat} une nouvelle "
            "notification, ou créez votre compte vous-même avec votre numéro de portable "
            "(inscription par SMS), s'il est bien enregistré par {l_ecole}.",
            "parent",
            "provisoire",
        ),
        Answer(
            "Le mot de passe que vous choisissez doit contenir entre 8 et 14 caractères, "
            "uniquement des lettres sans accent et des chiffres, dont au moins une lettre et un "
            "chiffre. Les lettres accentuées, les espaces et les caractères spéciaux (é, ç, @, !…) "
            "sont refusés.",
            "parent",
            "regles",
        ),
        Answer(
            "Si vous vous connectez avec FranceConnect, vous n'avez pas de mot de passe "
            "EduConnect : c'est le mot de passe du compte choisi sur FranceConnect (impots.gouv, "
            "ameli…) qu'il faut utiliser, et réinitialiser auprès de ce service en cas d'oubli.",
            "parent",
            "franceconnect",
        ),
        Answer(
            "Le mot de passe provisoire d'une notification expire au bout de 3 mois : les "
            "familles qui n'ont pas activé leur compte à temps doivent être notifiées de nouveau. "
            "Faites-le compte par compte depuis l'onglet Responsables de l'outil d'administration "
            "(feuille individuelle ou courrier électronique). Évitez une nouvelle notification de "
            "tous les responsables : si l'option de réinitialisation du mot de passe est "
            "cochée, les parents qui ont déjà activé leur compte perdraient le mot de passe "
            "qu'ils ont choisi.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Compte notifié non activé, notification de plus de 3 mois : mot de passe provisoire "
            "expiré.",
            "provisoire",
        ),
        Note("Compte actif, origine FranceConnect : pas de mot de passe EduConnect."),
        Note("Mot de passe choisi avec accent : règles réexpliquées.", "regles"),
    ),
    followups=(
        "C'est bon, j'ai pu changer mon mot de passe. Merci",
        Note("Je n'avais pas compris pour les accents, ça marche maintenant.", "regles"),
        Note("Merci, je demande une nouvelle feuille {a_l_ecole}.", "provisoire"),
    ),
)

# --- enfant_manquant ------------------------------------------------------------------------

MOTIF_TEXTS["enfant_manquant"] = MotifTexts(
    templates=(
        parent(
            "Un seul enfant sur mon compte",
            "Bonjour,\nSur mon compte EduConnect je ne vois {que_enfant} mais pas {enfant2}, qui "
            "est aussi {a_ecole}. Comment l'ajouter ?\nMerci\n{prenom} {nom}",
            tag="doublon",
        ),
        parent(
            "il manque mon deuxième enfant",
            "il manque mon deuxième enfant sur mon compte !! {enfant2} est {a_autre_ecole} et "
            "{enfant} {a_ecole}, on ne voit {que_enfant}. merci de regarder",
            tag="autre_ecole",
        ),
        parent(
            "Nouvel élève non visible",
            "Bonjour,\n\n{mon_fils} {enfant} est arrivé{e_enfant} {a_ecole} {jour}. {Il} "
            "n'apparaît pas dans mon espace EduConnect alors que je vois bien mes autres "
            "enfants.\n\nCordialement,\n{civ} {nom}",
            tag="nouveau",
        ),
        parent(
            "Je ne vois pas mes enfants",
            "Madame, Monsieur,\nNous sommes séparés. Je suis responsable légal{pe} {de_enfant} "
            "et {enfant2} mais je n'ai aucun enfant sur mon compte, alors que leur autre parent "
            "les voit tous les deux. Pouvez-vous vérifier ?\n{prenom} {nom}",
            tag="doublon",
        ),
        parent(
            "Deux comptes à regrouper",
            "Bonjour, j'ai deux comptes : un avec {enfant} et un autre avec {enfant2}. Je "
            "voudrais tout avoir sur un seul compte. C'est possible ? Merci",
            tag="doublon",
        ),
        director(
            "Responsable en double dans {base}",
            "Bonjour,\n{Un_parent} ({civ} {nom}) ne voit qu'un de ses deux enfants sur son "
            "compte. En regardant {base} je m'aperçois que le responsable est saisi deux fois "
            "(une fois avec un accent au prénom, une fois sans). Quelle est la procédure ?\n"
            "{directeur}, {directeur_titre}",
            tag="doublon",
        ),
        phone(
            "parent",
            "Appel : enfant absent du compte",
            "Appel de {civ} {nom} : {enfant2} n'apparaît pas sur le compte (seulement {enfant}). "
            "À vérifier : responsable saisi deux fois ?",
            tag="doublon",
        ),
        phone(
            "parent",
            "Appel : nouvel élève pas encore sur le compte",
            "{civ} {nom} : {enfant} arrivé{e_enfant} {a_ecole} {jour}, pas encore sur le compte. "
            "Élève pas encore admis définitivement dans la base ; {l_ecole} est prévenu{e_ecole}.",
            tag="nouveau",
        ),
    ),
    answers=(
        Answer(
            "Votre compte ne réunit que les enfants rattachés à une même fiche de responsable. "
            "D'après nos vérifications, vous êtes enregistré{pe} deux fois dans la base de "
            "l'établissement, ce qui a créé deux comptes : {enfant2} figure sur le second.\n\n"
            "Vous pouvez rattacher {enfant2} à votre compte avec la fonction « Ajouter des élèves "
            "depuis un autre compte », en saisissant l'identifiant et le mot de passe du second "
            "compte ; vos nom et prénom doivent être identiques sur les deux comptes. Nous avons "
            "aussi signalé le doublon {au_secretariat}.",
            "parent",
            "doublon",
        ),
        Answer(
            "Un enfant n'apparaît sur votre compte qu'une fois admis définitivement, avec un "
            "identifiant national élève (INE) et affecté dans une classe. {L_ecole} complète le "
            "dossier {de_enfant} ; une fois la mise à jour faite, {il} apparaîtra sur votre "
            "compte {delai_synchro}.",
            "parent",
            "nouveau",
        ),
        Answer(
            "Quand vos enfants sont dans plusieurs établissements, le regroupement sur un seul "
            "compte est automatique si votre nom, votre adresse électronique et votre numéro de "
            "portable sont identiques dans chacun d'eux. Ce n'est pas le cas ici : demandez "
            "{a_autre_ecole} la notification de votre compte, puis utilisez « Ajouter des élèves "
            "depuis un autre compte » pour rattacher {enfant2} à votre compte principal.",
            "parent",
            "autre_ecole",
        ),
        Answer(
            "Nous vérifions votre fiche et celles de vos enfants dans la base de "
            "l'établissement. Pouvez-vous nous confirmer le nom, le prénom et la date de "
            "naissance de l'enfant qui n'apparaît pas, ainsi que son école ?",
            "parent",
        ),
        Answer(
            "Quand un responsable est saisi deux fois dans {base}, EduConnect crée deux comptes et "
            "chacun ne montre qu'une partie des enfants. Corrigez la base pour ne garder qu'une "
            "fiche, rattachée aux deux enfants ; la correction sera visible {delai_synchro}. En "
            "attendant, le parent peut regrouper ses enfants depuis son compte avec « Ajouter des "
            "élèves depuis un autre compte », à l'aide de l'identifiant et du mot de passe du "
            "second compte (à notifier si besoin).",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Deux fiches responsables « {prenom} {nom} » avec et sans accent, même portable, "
            "enfants disjoints : doublon.",
            "doublon",
        ),
        Note(
            "Élève {enfant} en admission provisoire, sans INE : rattachement impossible tant "
            "qu'il n'est pas admis définitivement.",
            "nouveau",
        ),
        Note(
            "Frère ou sœur dans un autre établissement, adresse électronique différente d'un "
            "établissement à l'autre : pas de regroupement automatique.",
            "autre_ecole",
        ),
    ),
    followups=(
        Note("J'ai réussi à ajouter {enfant2}, merci pour les explications.", "doublon"),
        Note("J'ai réussi à ajouter {enfant2}, merci pour les explications.", "autre_ecole"),
        "Je vois bien mes deux enfants maintenant. Merci !",
        "d'accord merci j'attends",
    ),
    school_fixes=(
        Note(
            "Bonjour, le doublon est supprimé dans {base} : il ne reste qu'une fiche de "
            "responsable, rattachée aux deux enfants.",
            "doublon",
        ),
        Note(
            "Bonjour, l'admission {de_enfant} est validée et sa classe affectée ce jour.", "nouveau"
        ),
    ),
    after_fix=(
        Note(
            "{L_ecole} a corrigé sa base : la modification apparaîtra sur votre compte "
            "{delai_synchro}. Vous verrez alors tous vos enfants sur le même compte.",
            "doublon",
        ),
        Note(
            "{L_ecole} a terminé l'inscription {de_enfant} dans sa base : {il} apparaîtra sur "
            "votre compte {delai_synchro}.",
            "nouveau",
        ),
    ),
)

# --- compte_inexistant ------------------------------------------------------------------------

MOTIF_TEXTS["compte_inexistant"] = MotifTexts(
    templates=(
        parent(
            "Je ne suis pas reconnu",
            "Bonjour,\nQuand je veux m'inscrire, EduConnect me dit que je ne suis pas reconnu. "
            "{mon_fils} {enfant} est pourtant inscrit{e_enfant} en {classe} {a_ecole} depuis la "
            "rentrée.\nCordialement,\n{prenom} {nom}",
        ),
        Template(
            "autre",
            "Compte pour un grand-parent",
            "Bonjour, je suis {grand_parent} {de_enfant} et je m'occupe de ses devoirs le soir. Je "
            "n'arrive pas à créer de compte pour voir son livret. Merci de me dire comment faire.",
            tag="non_legal",
        ),
        parent(
            "pas de compte",
            "pas de compte pour moi ?? je suis le papa {de_enfant} mais on me dit aucun compte "
            "trouvé. la maman elle a un compte",
        ),
        parent(
            "Nouveaux arrivants",
            "Bonjour,\n\nNous venons d'emménager à {commune} et {enfant} est inscrit{e_enfant} "
            "{a_ecole} depuis {jour}. Je n'ai aucun compte EduConnect : comment faire ?\n\n"
            "Bien cordialement,\n{civ} {prenom} {nom}",
            tag="nouveau",
        ),
        director(
            "Parent non reconnu comme responsable légal",
            "Bonjour,\nun père ne trouve pas de compte à son nom. Dans {base} il est bien saisi "
            "mais pas en responsable légal (lien « autre »). Il a l'autorité parentale d'après "
            "le jugement qu'il m'a montré. Que dois-je modifier ?\n{directeur}",
            tag="non_legal",
        ),
        phone(
            "parent",
            "Appel : personne non reconnue",
            "Appel de {civ} {nom} : « personne non reconnue » à l'inscription par SMS. Aucune "
            "fiche responsable à ce nom pour {ecole}. À voir avec {l_ecole}.",
        ),
        phone(
            "autre",
            "Appel : grand-parent sans compte",
            "Appel d'un grand-parent {de_enfant} ({classe}) : pas de lien légal. Expliqué que "
            "seuls les responsables légaux ont un compte.",
            tag="non_legal",
        ),
    ),
    answers=(
        Answer(
            "Un compte EduConnect est créé pour chaque représentant légal enregistré par "
            "{l_ecole} dans {base}. Nous ne trouvons pas de fiche de responsable à votre nom pour "
            "{enfant} : merci de vous adresser {au_secretariat} pour qu'elle soit créée ou "
            "complétée (nom, numéro de portable, adresse électronique). Vous pourrez vous "
            "inscrire une fois la mise à jour reprise dans EduConnect, {delai_synchro}.",
            "parent",
        ),
        Answer(
            "Seuls les représentants légaux d'un élève disposent d'un compte EduConnect. Si vous "
            "n'avez pas ce statut, vous ne pouvez pas avoir de compte pour {enfant}. Si vous "
            "l'avez, présentez le justificatif {a_l_ecole} pour que votre fiche soit mise à jour "
            "dans {base}.",
            "parent",
            "non_legal",
        ),
        Answer(
            "Les comptes {de_enfant} et de ses responsables n'existent qu'une fois {enfant} "
            "admis{e_enfant} définitivement, avec un identifiant national élève (INE) et "
            "affecté{e_enfant} dans une classe. Dès que {l_ecole} aura complété son dossier, "
            "votre compte apparaîtra {delai_synchro} et vous pourrez vous inscrire.",
            "parent",
            "nouveau",
        ),
        Answer(
            "Seuls les responsables légaux ont un compte EduConnect. Modifiez le lien du parent "
            "dans {base} pour indiquer qu'il est responsable légal de l'élève. La modification "
            "sera reprise dans EduConnect {delai_synchro} ; le parent pourra alors s'inscrire par "
            "SMS si son portable est renseigné, ou vous pourrez notifier son compte.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Aucun responsable à ce nom dans l'extraction. Un homonyme dans une autre école "
            "(autre prénom, aucun enfant commun) : ce n'est pas la même personne."
        ),
        Note("Lien « autre », responsable_legal = 0 : pas de compte possible.", "non_legal"),
        Note("Élève en admission provisoire, sans INE ni classe.", "nouveau"),
    ),
    followups=(
        "Merci, je passe au secrétariat demain.",
        "L'école a fait le nécessaire, j'ai pu créer mon compte. Merci.",
        "Je comprends, merci de votre réponse.",
    ),
    school_fixes=(
        Note(
            "Bonjour, la fiche de responsable est créée dans {base}, avec le portable et "
            "l'adresse électronique.",
            None,
        ),
        Note(
            "Bonjour, l'admission définitive {de_enfant} est enregistrée et sa classe affectée.",
            "nouveau",
        ),
    ),
    after_fix=(
        Note(
            "{L_ecole} a mis à jour sa base. Votre compte sera disponible {delai_synchro} : "
            "vous pourrez alors vous inscrire avec votre numéro de portable (code par SMS "
            "valable 30 minutes)."
        ),
    ),
)

# --- franceconnect --------------------------------------------------------------------------

MOTIF_TEXTS["franceconnect"] = MotifTexts(
    templates=(
        parent(
            "FranceConnect : pas d'enfant",
            "Bonjour,\nJe me connecte avec FranceConnect (mon compte impots.gouv) mais EduConnect "
            "ne trouve pas mes enfants. Que faut-il faire ?\nMerci\n{prenom} {nom}",
            tag="nom",
        ),
        parent(
            "Nom de naissance / nom d'usage",
            "Bonjour,\n\nAvec FranceConnect j'arrive sur un compte vide. Mon nom de naissance "
            "est {nom_naissance} mais {a_l_ecole} c'est mon nom d'usage, {nom}, qui est "
            "enregistré. Est-ce que le problème vient de là ?\n\nCordialement",
            tag="nom",
        ),
        parent(
            "france connect sms",
            "j'ai voulu passer par france connect mais apres il me demande un code par sms que je "
            "recois pas. je suis bloqué{pe}",
            tag="sms",
        ),
        parent(
            "Mot de passe FranceConnect",
            "Bonjour, j'ai fait « mot de passe oublié » sur EduConnect mais on me dit que je me "
            "connecte par FranceConnect ?? Je ne comprends rien. Comment je récupère mon mot de "
            "passe ?",
            tag="mdp",
        ),
        director(
            "Parent FranceConnect sans enfant",
            "Bonjour,\nUn parent utilise FranceConnect et ne voit pas ses enfants. Il est "
            "enregistré dans {base} sous son nom d'usage. Faut-il modifier la fiche ?\n"
            "{directeur}",
            tag="nom",
        ),
        phone(
            "parent",
            "Appel : FranceConnect, compte vide",
            "Appel de {civ} {nom} : connexion FranceConnect, compte sans enfant. Nom de naissance "
            "({nom_naissance}) différent du nom d'usage enregistré par {l_ecole}.",
            tag="nom",
        ),
        phone(
            "parent",
            "Appel : FranceConnect bloqué au code SMS",
            "{civ} {nom} : première connexion FranceConnect bloquée à l'étape du code SMS. "
            "Portable en base à vérifier.",
            tag="sms",
        ),
    ),
    answers=(
        Answer(
            "Lors de votre première connexion avec FranceConnect, EduConnect vous demande votre "
            "numéro de portable (un code vous est envoyé par SMS) puis la date de naissance de "
            "vos enfants. Ces informations doivent être identiques à celles enregistrées par "
            "{l_ecole} dans {base}. Si le code SMS ne vous parvient pas, demandez "
            "{au_secretariat} de vérifier votre numéro de portable.",
            "parent",
        ),
        Answer(
            "FranceConnect transmet votre nom de naissance ({nom_naissance}), alors que {l_ecole} "
            "vous a enregistré{pe} sous votre nom d'usage ({nom}) : EduConnect ne fait donc pas "
            "le lien avec vos enfants. Connectez-vous plutôt sans FranceConnect, avec votre "
            "identifiant EduConnect ou l'inscription par SMS, ou demandez {au_secretariat} de "
            "compléter votre fiche avec votre nom de naissance.",
            "parent",
            "nom",
        ),
        Answer(
            "Quand vous vous connectez par FranceConnect, vous n'avez pas de mot de passe "
            "EduConnect : c'est le mot de passe du service choisi sur FranceConnect (impots.gouv, "
            "ameli, L'Identité Numérique La Poste…) qui s'applique. En cas d'oubli, "
            "réinitialisez-le sur ce service.",
            "parent",
            "mdp",
        ),
        Answer(
            "FranceConnect transmet le nom de naissance du parent. Si {base} ne contient que son "
            "nom d'usage, EduConnect peut ne pas retrouver le responsable : vérifiez que les deux "
            "noms sont renseignés dans sa fiche. En attendant, le parent peut se connecter sans "
            "FranceConnect, avec l'identifiant notifié ou l'inscription par SMS.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Compte d'origine franceconnect sans enfant ; un compte « établissement » déjà actif "
            "au nom d'usage : la personne a deux comptes.",
            "nom",
        ),
        Note("Portable en base correct : code SMS probablement saisi trop tard (30 min).", "sms"),
        Note("Compte d'origine franceconnect : pas de mot de passe EduConnect.", "mdp"),
    ),
    followups=(
        "Je suis passé{pe} par mon identifiant habituel, ça marche. Merci",
        "D'accord, merci pour l'explication.",
        Note("merci j'ai réinitialisé sur impots.gouv et c'est bon", "mdp"),
    ),
)

# --- modification_coordonnees -------------------------------------------------------------

MOTIF_TEXTS["modification_coordonnees"] = MotifTexts(
    templates=(
        parent(
            "Changement de numéro",
            "Bonjour,\nJ'ai changé de numéro de téléphone. Comment le modifier sur EduConnect ? "
            "Nouveau numéro : {telephone}.\nMerci\n{prenom} {nom}",
            tag="telephone",
        ),
        parent(
            "changer adresse mail",
            "bonjour je voudrais changer mon adresse mail sur mon compte, l'ancienne "
            "({email_faux}) je ne l'utilise plus. la nouvelle c'est {email}",
            tag="email",
        ),
        parent(
            "Mise à jour de nos coordonnées",
            "Madame, Monsieur,\n\nSuite à notre déménagement, nos coordonnées ont changé. "
            "Pourriez-vous mettre à jour mon adresse électronique ({email}) et mon portable "
            "({telephone}) sur mon compte ?\n\nRespectueusement,\n{civ} {prenom} {nom}",
        ),
        parent(
            "Mauvais numéro sur mon compte",
            "Bonjour, est-ce que vous pouvez changer le numéro de portable de mon compte ? C'est "
            "celui de mon ex-conjoint qui est dessus et c'est lui qui reçoit les codes. Merci",
            tag="telephone",
        ),
        director(
            "Adresse électronique non mise à jour",
            "Bonjour,\nUn parent m'a demandé de modifier son adresse électronique. Je l'ai "
            "changée dans {base} la semaine dernière mais son compte EduConnect affiche toujours "
            "l'ancienne. Est-ce normal ?\n{directeur}",
            tag="email",
        ),
        phone(
            "parent",
            "Appel : changement de numéro",
            "{civ} {nom} veut modifier son numéro de portable. Expliqué : le numéro vient de la "
            "base de l'établissement, à faire modifier {au_secretariat}.",
            tag="telephone",
        ),
        phone(
            "parent",
            "Appel : changement d'adresse électronique",
            "Appel de {civ} {nom} : changement d'adresse électronique. Expliqué la modification "
            "depuis le compte, avec confirmation par le lien reçu.",
            tag="email",
        ),
    ),
    answers=(
        Answer(
            "Votre numéro de portable provient de la base de l'établissement : pour le changer, "
            "adressez-vous {au_secretariat}, qui le modifiera dans {base}. Le nouveau numéro sera "
            "pris en compte dans EduConnect {delai_synchro}.\n\nVotre adresse électronique, en "
            "revanche, se modifie directement dans votre compte EduConnect : une fois connecté"
            "{pe}, changez-la dans les informations de votre compte, puis cliquez sur le lien de "
            "confirmation que vous recevrez.",
            "parent",
        ),
        Answer(
            "Pour modifier votre adresse électronique, connectez-vous à EduConnect, ouvrez les "
            "informations de votre compte et saisissez la nouvelle adresse. Un courriel de "
            "confirmation vous sera envoyé : l'adresse n'est changée qu'après le clic sur le "
            "lien qu'il contient.",
            "parent",
            "email",
        ),
        Answer(
            "Le centre de services ne modifie pas lui-même les coordonnées des comptes. Le numéro "
            "de portable est celui que {l_ecole} a enregistré : demandez {au_secretariat} de le "
            "remplacer par le vôtre ; la mise à jour apparaîtra {delai_synchro}.",
            "parent",
            "telephone",
        ),
        Answer(
            "L'adresse électronique d'un compte déjà activé est gérée par le parent lui-même : "
            "une modification dans {base} ne la remplace pas. Le parent doit la changer depuis "
            "son compte EduConnect et confirmer avec le lien reçu. Le numéro de portable, lui, "
            "est repris de {base} {delai_synchro}.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Même portable enregistré pour les deux responsables. Correction à demander "
            "{au_secretariat}.",
            "telephone",
        ),
        Note("Adresse modifiable en libre-service, aucune action de notre côté.", "email"),
    ),
    followups=(
        Note("Merci, j'ai pu changer mon adresse.", "email"),
        Note("OK je passe {a_l_ecole} lundi.", "telephone"),
        "C'est noté, merci.",
    ),
    school_fixes=(
        Note("Bonjour, le portable est mis à jour dans {base}. {directeur}", "telephone"),
        Note("Bonjour, c'est fait : le nouveau portable est saisi dans la fiche.", None),
    ),
    after_fix=(
        Note(
            "{L_ecole} a enregistré votre nouveau numéro de portable. Il sera pris en compte dans "
            "EduConnect {delai_synchro}. Votre adresse électronique, elle, se modifie depuis votre "
            "compte, avec confirmation par le lien reçu."
        ),
    ),
)

# --- compte_eleve ---------------------------------------------------------------------------

MOTIF_TEXTS["compte_eleve"] = MotifTexts(
    templates=(
        pupil(
            "mot de passe oublié élève",
            "bonjour jai oublié mon mot de passe educonnect et j'ai un devoir a rendre sur l'ent. "
            "je suis en {classe} {a_ecole}. {enfant} {nom}",
        ),
        pupil(
            "Identifiant élève",
            "Bonjour, je n'arrive pas à me connecter, je ne connais pas mon identifiant élève. Le "
            "professeur principal nous a donné une feuille mais je l'ai perdue. Merci.\n{enfant}",
        ),
        pupil(
            "activation",
            "slt c {enfant} en {classe}, quand j'active mon compte ça dit que ma date de "
            "naissance est fausse alors que c'est la bonne ({date_naissance})",
            tag="date",
        ),
        parent(
            "Compte élève {de_enfant}",
            "Bonjour,\n{mon_fils} {enfant} ({classe}, {ecole}) n'arrive pas à activer son "
            "compte élève : {il} ne connaît pas son identifiant. Pouvez-vous nous aider ?\n"
            "Cordialement,\n{prenom} {nom}",
            degree=2,
        ),
        director(
            "Élève absent du module Dépannage élève",
            "Bonjour,\nUn élève de {classe} ({enfant} {nom}) n'a pas de compte : il n'apparaît "
            "pas dans le module Dépannage élève. Il est arrivé il y a deux jours.\nMerci.\n"
            "Le secrétariat, {ecole}",
            tag="nouveau",
            degree=2,
        ),
        phone(
            "directeur",
            "Appel du secrétariat : élève sans compte",
            "Appel du secrétariat {de_ecole} : élève {enfant} {nom} ({classe}) sans compte, "
            "saisi dans SIECLE il y a moins de 48 h. Rappelé le délai de création.",
            tag="nouveau",
            degree=2,
        ),
        phone(
            "parent",
            "Appel : mot de passe élève oublié",
            "Appel de {civ} {nom} : {enfant} ({classe}) a oublié son mot de passe élève. Orienté "
            "vers l'établissement (nouvelle notification ou Dépannage élève).",
            degree=2,
        ),
    ),
    answers=(
        Answer(
            "Les comptes élèves sont gérés par ton établissement. Demande au secrétariat ou à ton "
            "professeur principal une nouvelle notification de ton compte : tu recevras ton "
            "identifiant et un mot de passe provisoire. À la première connexion, tu choisiras un "
            "nouveau mot de passe (8 à 14 caractères, lettres sans accent et chiffres, au moins "
            "une lettre et un chiffre) et tu indiqueras ta date de naissance. Si tu renseignes "
            "une adresse électronique, par exemple celle d'un de tes parents, tu pourras ensuite "
            "retrouver ton mot de passe seul.",
            "eleve",
        ),
        Answer(
            "La date de naissance demandée doit être celle qu'a enregistrée ton établissement. "
            "Si elle est différente, demande au secrétariat de la vérifier dans SIECLE : la "
            "correction sera prise en compte après 48 heures au moins.",
            "eleve",
            "date",
        ),
        Answer(
            "Le compte élève {de_enfant} est distinct de votre compte de responsable : il est "
            "fourni par l'établissement. Demandez au secrétariat une nouvelle notification "
            "(identifiant et mot de passe provisoire). À la première connexion, {enfant} "
            "choisira un mot de passe et saisira sa date de naissance. Pour qu'{il} puisse se "
            "dépanner seul{e_enfant} ensuite, vous pouvez indiquer votre adresse électronique "
            "dans son compte.",
            "parent",
        ),
        Answer(
            "Un compte élève est créé après la saisie de l'élève dans SIECLE, avec un délai d'au "
            "moins 48 heures. Passé ce délai, vérifiez de nouveau dans le module Dépannage élève ; "
            "si l'élève n'y figure toujours pas, répondez-nous avec son INE et nous le "
            "rechercherons. Le module Dépannage élève nécessite une délégation du chef "
            "d'établissement.",
            "directeur",
        ),
    ),
    notes=(
        Note("Compte élève notifié il y a plus de 3 mois, jamais activé : mot de passe expiré."),
        Note("Fiche élève créée dans SIECLE avant-hier : attendre 48 h.", "nouveau"),
        Note("Date de naissance de l'élève différente en base : correction SIECLE.", "date"),
    ),
    followups=(
        "merci c bon",
        "La nouvelle feuille fonctionne, merci.",
    ),
    director_followups=(
        "Le compte est apparu ce matin, merci.",
        "Merci, je regarde de nouveau dans le module Dépannage élève lundi.",
    ),
)

# --- notification_directeur -----------------------------------------------------------------

MOTIF_TEXTS["notification_directeur"] = MotifTexts(
    templates=(
        director(
            "Notifier les nouveaux élèves",
            "Bonjour,\nComment notifier les parents des nouveaux élèves de CP arrivés cette "
            "semaine sans renvoyer un courrier à toutes les familles ?\nMerci.\n{directeur}, "
            "{ecole}",
            tag="notifier",
            degree=1,
        ),
        director(
            "Accès à l'administration des comptes",
            "Bonjour,\n\nJe n'arrive pas à accéder à l'outil d'administration des comptes "
            "EduConnect depuis ARENA : la rubrique n'apparaît pas. J'assure l'intérim de "
            "direction depuis {jour}.\n\nCordialement,\n{directeur}, {directeur_titre} par "
            "intérim, {ecole}",
            tag="acces",
            degree=1,
        ),
        director(
            "Statistiques d'activation",
            "Bonjour, où trouver les statistiques d'activation des comptes de l'école ? L'IEN nous "
            "demande le nombre de comptes activés par classe. Merci. {directeur}",
            tag="stats",
            degree=1,
        ),
        director(
            "notification par mail",
            "bonjour, j'ai notifié toute l'école par mail mais certains parents n'ont rien reçu. "
            "les adresses sont bien dans onde ? comment réimprimer les fiches pour ceux-là ? "
            "merci, {directeur}",
            tag="mail",
            degree=1,
        ),
        director(
            "Réinitialiser le mot de passe d'un parent",
            "Bonjour,\nUn parent me demande de réinitialiser son mot de passe. Je ne vois pas de "
            "bouton « réinitialiser ». Faut-il refaire une notification ?\nBien cordialement,\n"
            "{directeur}",
            tag="reinit",
        ),
        director(
            "Délégation de l'administration des comptes",
            "Bonjour,\nPeut-on déléguer la gestion des comptes EduConnect des représentants "
            "légaux à notre adjointe administrative ? Si oui, par quelle application ?\n"
            "Merci, {directeur}, {ecole}",
            tag="delegation",
            degree=2,
        ),
        phone(
            "directeur",
            "Appel : impression des notifications",
            "Appel de {directeur}, {directeur_titre} {de_ecole} : ne sait pas imprimer les "
            "feuilles individuelles de notification. Guidé pas à pas (onglet Responsables, choix "
            "de la classe, « Notifier les comptes »).",
            tag="notifier",
            degree=1,
        ),
        phone(
            "directeur",
            "Appel : délégation",
            "Appel du secrétariat {de_ecole} : comment déléguer l'administration des comptes. "
            "Expliqué la délégation par le chef d'établissement (DELEG-CE).",
            tag="delegation",
            degree=2,
        ),
    ),
    answers=(
        Answer(
            "Dans ARENA, domaine « Scolarité du 1er degré », ouvrez l'administration des comptes "
            "EduConnect. Dans l'onglet Responsables, sélectionnez la classe et lancez la "
            "recherche, cochez uniquement les responsables des nouveaux élèves puis cliquez sur "
            "« Notifier les comptes ». Vous pouvez télécharger une feuille individuelle par "
            "responsable, à remettre par le cahier de liaison, ou envoyer la notification par "
            "courrier électronique si l'adresse est saisie dans ONDE.\n\nÉvitez de notifier de "
            "nouveau toute l'école : les familles qui ont déjà activé leur compte n'en ont pas "
            "besoin.",
            tag="notifier",
        ),
        Answer(
            "L'outil d'administration s'ouvre depuis ARENA, domaine « Scolarité du 1er degré », "
            "rubrique EduConnect. Si la rubrique n'apparaît pas, vos droits sur l'école ne sont "
            "pas encore ouverts : nous transmettons votre demande au service qui gère les "
            "habilitations. Hors du réseau administratif, la connexion demande votre clé OTP.",
            tag="acces",
        ),
        Answer(
            "L'outil d'administration des comptes affiche des statistiques par état de compte "
            "(non notifié, notifié non activé, en cours d'activation, activé) pour l'école ; "
            "vous pouvez restreindre la recherche à une classe pour obtenir les chiffres classe "
            "par classe.",
            tag="stats",
        ),
        Answer(
            "Les notifications par courrier électronique partent vers l'adresse saisie dans "
            "ONDE : vérifiez-la dans la fiche du responsable. Pour les familles qui n'ont rien "
            "reçu, sélectionnez leurs comptes dans l'onglet Responsables et notifiez-les de "
            "nouveau en choisissant la feuille individuelle à imprimer. Le mot de passe "
            "provisoire reste valable 3 mois.",
            tag="mail",
        ),
        Answer(
            "Le mot de passe d'un parent ne se réinitialise pas directement : notifiez de nouveau "
            "son compte (feuille individuelle ou courrier électronique) en cochant l'option de "
            "réinitialisation du mot de passe. Le parent recevra un mot de passe provisoire, "
            "valable 3 mois, qu'il remplacera à la première connexion. Il peut aussi utiliser "
            "« Mot de passe oublié » si son portable ou son adresse électronique sont à jour.",
            tag="reinit",
        ),
        Answer(
            "Le chef d'établissement peut déléguer l'administration des comptes EduConnect à un "
            "personnel (secrétariat, adjoint, référent numérique) par l'application de "
            "délégation DELEG-CE. Nous recommandons de laisser ces droits au secrétariat, qui a "
            "accès aux données dans SIECLE. Le module Dépannage élève demande lui aussi une "
            "délégation.",
            tag="delegation",
        ),
    ),
    notes=(
        Note("Intérim de direction, droits ARENA absents : habilitation demandée.", "acces"),
        Note("Question fréquente à la rentrée : article de la base de connaissances envoyé."),
        Note("Rappelé de ne pas notifier tous les responsables (mots de passe réinitialisés)."),
    ),
    followups=(),
    director_followups=(
        "Merci, c'est très clair. J'ai pu imprimer les feuilles.",
        "Parfait, merci pour votre réactivité.",
        "Merci, je refais la manipulation pour les autres classes.",
    ),
)

# --- lsu_bilan_invisible ------------------------------------------------------------------

MOTIF_TEXTS["lsu_bilan_invisible"] = MotifTexts(
    templates=(
        parent(
            "Livret scolaire introuvable",
            "Bonjour,\nJe n'arrive pas à voir le livret scolaire {de_enfant} pour le premier "
            "trimestre. La maîtresse dit qu'il est en ligne. Je suis bien connecté{pe} à "
            "EduConnect.\nMerci\n{prenom} {nom}",
            tag="verrou",
            degree=1,
        ),
        parent(
            "bulletin",
            "on voit pas le bulletin de {mon_fils} sur le site, juste marqué aucun document. "
            "{il} est en {classe}",
            tag="verrou",
        ),
        parent(
            "Attestation à télécharger",
            "Bonjour,\n\nJe voudrais télécharger l'attestation de première éducation à la route "
            "{de_enfant} ({classe}) mais je ne la trouve pas dans le livret. Où est-elle ?\n\n"
            "Cordialement,\n{civ} {nom}",
            tag="verrou",
            degree=1,
        ),
        parent(
            "Anciens bilans disparus",
            "Bonjour, les bilans des années précédentes ont disparu. L'an dernier je voyais ceux "
            "de CP et de CE1, maintenant plus rien. Est-ce normal ? Merci",
            tag="anciens",
            degree=1,
        ),
        director(
            "Bilans non visibles par les parents",
            "Bonjour,\nPlusieurs parents de {classe} ne voient pas le bilan périodique du premier "
            "trimestre. Les bilans sont saisis dans le LSU. Faut-il faire une manipulation ?\n"
            "{directeur}",
            tag="verrou",
            degree=1,
        ),
        phone(
            "parent",
            "Appel : livret non visible",
            "Appel de {civ} {nom} : livret {de_enfant} ({classe}) non visible. Compte actif, "
            "enfant bien rattaché. À voir avec {l_ecole} : bilan verrouillé ?",
            tag="verrou",
        ),
        phone(
            "parent",
            "Appel : anciens bilans",
            "{civ} {nom} ne voit plus les bilans de l'an dernier. Expliqué ce que le livret "
            "affiche (cycle en cours et dernière année du cycle précédent).",
            tag="anciens",
            degree=1,
        ),
    ),
    answers=(
        Answer(
            "Le livret {de_enfant} n'est visible qu'une fois le bilan verrouillé par l'enseignant "
            "dans l'application LSU, et aucune notification ne prévient les familles de sa "
            "disponibilité. Si l'on vous a dit qu'il est en ligne, nous vous conseillons de "
            "demander {au_secretariat} de vérifier que le bilan a bien été verrouillé.",
            "parent",
        ),
        Answer(
            "Avec le livret scolaire unique, vous avez accès aux attestations, aux bilans de fin "
            "de cycle et aux bilans périodiques du cycle en cours ainsi que de la dernière année "
            "du cycle précédent. Les bilans plus anciens ne sont plus affichés : c'est normal. "
            "Pensez à télécharger les documents quand ils sont disponibles.",
            "parent",
            "anciens",
        ),
        Answer(
            "Les bilans ne deviennent visibles pour les familles qu'une fois verrouillés dans le "
            "LSU, ou importés dans le LSU si l'école utilise le logiciel d'un éditeur privé. "
            "Vérifiez l'état des bilans de la classe : ceux qui sont saisis mais non verrouillés "
            "restent invisibles. Aucune notification n'est envoyée aux parents quand un bilan "
            "devient disponible.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Compte parent actif, enfant bien rattaché : le problème est côté LSU (bilan non "
            "verrouillé ?). Vu avec {l_ecole}.",
            "verrou",
        ),
        Note("Bilans de l'ancien cycle hors de la période de visibilité.", "anciens"),
    ),
    followups=(
        Note("L'enseignant a verrouillé le bilan, je le vois maintenant. Merci !", "verrou"),
        "Merci pour l'explication.",
        "ok je vais demander {a_l_ecole}",
    ),
)

# --- rgpd_droits ----------------------------------------------------------------------------

MOTIF_TEXTS["rgpd_droits"] = MotifTexts(
    templates=(
        parent(
            "Demande d'accès aux données (RGPD)",
            "Madame, Monsieur,\n\nConformément au règlement général sur la protection des "
            "données, je souhaite connaître les données personnelles me concernant et concernant "
            "{mon_fils} {enfant} ({classe}, {ecole}) traitées dans EduConnect. Je vous remercie "
            "de me les communiquer.\n\n{prenom} {nom}",
            tag="acces",
        ),
        parent(
            "SUPPRESSION DE MES DONNEES",
            "Je veux que vous supprimiez mon compte et toutes mes données, je n'ai jamais "
            "demandé à avoir un compte. Merci de me confirmer la suppression.",
            tag="effacement",
        ),
        parent(
            "Rectification de mes informations",
            "Bonjour,\nMon nom est mal orthographié sur le compte de {mon_fils}. Je demande la "
            "rectification : le bon nom est {nom}.\nCordialement",
            tag="rectification",
        ),
        parent(
            "Qui voit les données de mon enfant ?",
            "Bonjour, qui a accès aux informations de mon enfant sur EduConnect ? Est-ce que les "
            "données sont transmises à des entreprises ? Merci de votre réponse.",
            tag="information",
        ),
        director(
            "Demande de suppression de données",
            "Bonjour,\nUn parent exige la suppression des données de son enfant dans {base} et "
            "EduConnect au titre du RGPD. Que dois-je lui répondre ?\n{directeur}",
            tag="effacement",
        ),
        phone(
            "parent",
            "Appel : droit d'accès",
            "Appel de {civ} {nom} : souhaite exercer son droit d'accès aux données. Invité{pe} à "
            "envoyer une demande écrite ; transmis au DPD.",
            tag="acces",
        ),
        phone(
            "parent",
            "Appel : demande d'effacement",
            "Appel de {civ} {nom}, mécontent{pe} de recevoir des courriels {de_l_ecole} : demande "
            "l'effacement de son adresse. Expliqué le rôle du DPD.",
            tag="effacement",
        ),
    ),
    answers=(
        Answer(
            "Nous avons bien reçu votre demande d'accès à vos données et à celles {de_enfant}. "
            "Elle est transmise au délégué à la protection des données (DPD) de l'académie, qui "
            "vous répondra dans un délai d'un mois (prolongeable de deux mois pour une demande "
            "complexe). Un justificatif d'identité pourra vous être demandé.",
            "parent",
            "acces",
        ),
        Answer(
            "Les données de votre compte proviennent de la base de l'établissement ({base}), "
            "tenue pour la mission de service public d'éducation : une partie ne peut pas être "
            "effacée tant qu'elle est nécessaire à la scolarité de votre enfant. Nous transmettons "
            "votre demande au délégué à la protection des données de l'académie, qui vous "
            "répondra dans un délai d'un mois.",
            "parent",
            "effacement",
        ),
        Answer(
            "La rectification des informations vous concernant se fait à la source : {l_ecole} "
            "corrige la fiche dans {base}, et la correction est reprise dans EduConnect "
            "{delai_synchro}. Nous avons transmis votre demande {au_secretariat}. Vous pouvez "
            "aussi vous adresser au délégué à la protection des données de l'académie.",
            "parent",
            "rectification",
        ),
        Answer(
            "Les données de votre compte servent uniquement à vous donner accès aux services en "
            "ligne de la scolarité ; elles ne sont pas cédées à des entreprises. Le détail du "
            "traitement (finalité, destinataires, durées de conservation, contact du délégué à "
            "la protection des données) figure dans le registre publié par l'académie. Nous "
            "transmettons également votre question au délégué.",
            "parent",
        ),
        Answer(
            "Le droit à l'effacement est limité pour les données nécessaires à une obligation "
            "légale ou à une mission d'intérêt public, ce qui est le cas de la base élèves. Ne "
            "supprimez rien dans {base} : invitez le parent à écrire au délégué à la protection "
            "des données de l'académie, qui instruira sa demande. Nous lui transmettons ce "
            "signalement.",
            "directeur",
        ),
    ),
    notes=(
        Note("Demande RGPD transmise au DPD académique le {date}. Identité à confirmer."),
        Note("Ne pas envoyer de données personnelles par retour de courriel : réponse du DPD."),
    ),
    followups=(
        "Merci pour votre retour, j'attends la réponse du délégué.",
        "Très bien, merci.",
    ),
)

# --- teleservices ---------------------------------------------------------------------------

MOTIF_TEXTS["teleservices"] = MotifTexts(
    templates=(
        parent(
            "Demande de bourse impossible",
            "Bonjour,\nJe dois faire la demande de bourse pour {enfant} mais quand je clique sur "
            "Scolarité services il ne se passe rien. La date limite approche.\nMerci de votre "
            "aide,\n{prenom} {nom}",
            degree=2,
        ),
        parent(
            "fiche de renseignements",
            "la fiche de renseignements en ligne me dit que je n'ai pas accès. {L_ecole} demande "
            "de la remplir avant vendredi !! je fais comment",
            tag="campagne",
            degree=2,
        ),
        parent(
            "Vœux d'orientation",
            "Bonjour,\n\nJe n'arrive pas à accéder à la saisie des vœux d'orientation {de_enfant} "
            "({classe}) : le service est grisé. Pouvez-vous regarder ?\n\nCordialement,\n{civ} "
            "{nom}",
            tag="campagne",
            degree=2,
        ),
        parent(
            "Bourse et compte non activé",
            "Bonjour, la campagne de bourses se termine bientôt et mon compte EduConnect n'est "
            "toujours pas activé (je n'ai jamais reçu le mail). Est-ce que je peux faire la "
            "demande sur papier ?",
            tag="activation",
            degree=2,
        ),
        director(
            "Téléservice Bourse non visible",
            "Bonjour,\nDes familles nous signalent qu'elles ne voient pas le téléservice Bourse "
            "alors que la campagne est ouverte. Y a-t-il un souci en ce moment ?\nLe "
            "secrétariat, {ecole}",
            tag="campagne",
            degree=2,
        ),
        phone(
            "parent",
            "Appel : téléservice inaccessible",
            "Appel de {civ} {nom} : n'accède pas à {teleservice}. Compte EduConnect non activé. "
            "Activation par SMS expliquée.",
            tag="activation",
            degree=2,
        ),
        phone(
            "parent",
            "Appel : service grisé",
            "{civ} {nom} : pas d'accès à {teleservice} pour {enfant} ({classe}), service "
            "grisé. Ouverture de la campagne par l'établissement à vérifier.",
            tag="campagne",
            degree=2,
        ),
    ),
    answers=(
        Answer(
            "Les services en ligne (bourse, fiche de renseignements, orientation…) ne sont "
            "accessibles qu'avec un compte EduConnect activé. Votre compte ne l'est pas encore : "
            "terminez l'activation en cliquant sur le lien reçu par courriel, ou créez votre "
            "compte avec votre numéro de portable. Si vous ne pouvez pas le faire avant la date "
            "limite, la demande de bourse peut aussi être déposée sur formulaire papier, à "
            "retirer {au_secretariat}.",
            "parent",
            "activation",
        ),
        Answer(
            "Votre compte EduConnect est bien activé. Un téléservice n'est proposé que pendant la "
            "période ouverte par l'établissement et pour les classes concernées : s'il reste "
            "grisé, renseignez-vous {au_secretariat} sur les dates de la campagne.",
            "parent",
            "campagne",
        ),
        Answer(
            "Nous vérifions votre compte. Pour accéder à ce service, votre compte EduConnect doit "
            "être activé et {enfant} doit y être rattaché{e_enfant}. Pouvez-vous nous indiquer le "
            "message qui s'affiche quand vous cliquez sur le service ?",
            "parent",
        ),
        Answer(
            "Vérifiez que la campagne du téléservice est bien ouverte pour votre établissement et "
            "pour les classes concernées. Les familles doivent aussi avoir un compte EduConnect "
            "activé. Si tout est correct de votre côté, envoyez-nous le nom d'une famille "
            "concernée : nous vérifierons son compte.",
            "directeur",
        ),
    ),
    notes=(
        Note(
            "Compte notifié non activé depuis plus de 3 mois. Urgent : fin de campagne "
            "dans quelques jours.",
            "activation",
        ),
        Note(
            "Compte actif, enfant rattaché : problème côté téléservice, transmis au pôle "
            "téléservices.",
            "campagne",
        ),
    ),
    followups=(
        Note("J'ai activé mon compte et fait la demande de bourse, merci.", "activation"),
        Note("Merci, {l_ecole} m'a donné le formulaire papier.", "activation"),
        Note("C'était bien fermé, {l_ecole} l'ouvre lundi. Merci", "campagne"),
        "Merci, ça fonctionne maintenant.",
    ),
)

# --- autre ----------------------------------------------------------------------------------

MOTIF_TEXTS["autre"] = MotifTexts(
    templates=(
        parent(
            "Pronote ne marche pas",
            "Bonjour, EduConnect fonctionne mais je n'arrive pas à aller sur Pronote, ça me dit "
            "que je n'ai pas de profil. Merci",
            tag="ent",
            degree=2,
        ),
        parent(
            "Changement d'école",
            "Bonjour,\n{enfant} change d'école à la rentrée ({il} va {a_autre_ecole}). Est-ce "
            "que je dois créer un nouveau compte ?\nCordialement,\n{prenom} {nom}",
            tag="demenagement",
        ),
        parent(
            "certificat de scolarité",
            "bonjour je voudrais un certificat de scolarité pour {enfant} c'est urgent pour la "
            "CAF. merci",
            tag="certificat",
        ),
        parent(
            "Rien pour la maternelle ?",
            "Bonjour, je ne vois rien pour ma fille qui est en grande section, pas de livret, pas "
            "de services. C'est normal ?",
            tag="maternelle",
            degree=1,
        ),
        parent(
            "Cantine",
            "Bonjour, à qui dois-je m'adresser pour inscrire {enfant} à la cantine et au "
            "périscolaire ? J'ai trouvé cette adresse sur internet.",
            tag="hors_perimetre",
            degree=1,
        ),
        director(
            "ENT et comptes EduConnect",
            "Bonjour,\nL'ENT ne reconnaît pas les comptes EduConnect des parents depuis ce "
            "matin. Est-ce lié à EduConnect ?\n{directeur}",
            tag="ent",
        ),
        phone(
            "parent",
            "Appel : changement d'école",
            "Appel de {civ} {nom} : question sur le changement d'école {de_enfant}. Le compte "
            "reste valable, pas de nouvelle inscription.",
            tag="demenagement",
        ),
        phone(
            "parent",
            "Appel hors périmètre",
            "Appel hors périmètre (inscription à la cantine) : réorienté vers la mairie de "
            "{commune}.",
            tag="hors_perimetre",
        ),
    ),
    answers=(
        Answer(
            "Votre compte EduConnect fonctionne : la difficulté vient de l'espace numérique de "
            "travail (ENT) ou de Pronote, gérés par l'établissement. Vérifiez que vous choisissez "
            "bien le profil « responsable d'élève » à la connexion ; sinon, contactez le "
            "référent numérique de l'établissement.",
            "parent",
            "ent",
        ),
        Answer(
            "Votre compte EduConnect reste valable quand votre enfant change d'école, même dans "
            "une autre académie : vous n'avez pas à en créer un nouveau. {enfant} apparaîtra avec "
            "sa nouvelle école une fois son inscription enregistrée par celle-ci.",
            "parent",
            "demenagement",
        ),
        Answer(
            "Le centre de services ne délivre pas de certificat de scolarité : il faut le "
            "demander {au_secretariat}.",
            "parent",
            "certificat",
        ),
        Answer(
            "Les enfants scolarisés en maternelle apparaissent sur votre compte, mais aucun "
            "service en ligne ne leur est encore proposé. Le livret scolaire est consultable en "
            "ligne à partir de l'école élémentaire.",
            "parent",
            "maternelle",
        ),
        Answer(
            "Votre demande ne relève pas du centre de services EduConnect : la restauration "
            "scolaire et les activités périscolaires des écoles sont gérées par la mairie. Nous "
            "vous invitons à la contacter directement.",
            "parent",
            "hors_perimetre",
        ),
        Answer(
            "Nous avons bien reçu votre message. Pourriez-vous nous préciser votre demande et, "
            "s'il s'agit d'un compte EduConnect, le nom de l'élève et son école ?",
            "parent",
        ),
        Answer(
            "Si la connexion à EduConnect réussit, les difficultés d'accès à l'ENT relèvent du "
            "support de l'ENT. Vérifiez que les parents choisissent bien le profil « responsable "
            "d'élève » à la connexion ; si le problème touche tous les parents, signalez-le au "
            "support de l'ENT. Nous restons disponibles pour tout problème de compte EduConnect.",
            "directeur",
        ),
    ),
    notes=(
        Note("Hors périmètre EduConnect : réponse type."),
        Note("Compte actif, problème côté ENT.", "ent"),
    ),
    followups=(
        "Merci, je vais contacter l'établissement.",
        "D'accord merci pour l'info",
    ),
)
