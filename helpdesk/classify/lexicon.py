"""Key terms of other languages, and names of other applications, read as French features.

Families write in English, Portuguese, Spanish, Dutch or Haitian Creole as often as in French,
and the training examples are mostly French. Rather than a multilingual model (hundreds of
megabytes, too heavy for a web worker), the few terms that decide a motif are recognised in
each language and added to the document as the French words the model already knows. The
names of applications that are not EduConnect (Pronote, an ENT, École Directe...) become one
marker, so that "EduConnect works but Pronote does not" weighs towards `autre`.

Patterns run on text already normalised by `model.normalize` (lowercase, no accents).
"""

from __future__ import annotations

import re

_TERMS: tuple[tuple[str, str], ...] = (
    # password, login, account
    (
        r"pass ?words?|senhas?|contrasenas?|wachtwoord|modpas|пароль|паролю|passwort|kennwort|"
        r"haslo|heslo|jelszo",
        "mot de passe",
    ),
    (
        r"user ?names?|log ?in ids?|usuarios?|nome de usuario|gebruikersnaam|логін|"
        r"benutzername|nome utente|nazwa uzytkownika",
        "identifiant",
    ),
    (
        r"forg[eo]t(?:ten)?|esqueci|olvide|no recuerdo|lost my|vergeten|bliye|забув|забула|"
        r"vergessen|dimenticat\w*|non ricordo|zapomnial\w*",
        "oublie",
    ),
    (r"accounts?|contas?|cuentas?|kont|konto|обліков\w*", "compte"),
    (r"locked|bloquead[ao]|geblokkeerd", "compte bloque"),
    (r"reset|redefinir|restablecer|recuperar", "reinitialiser"),
    (r"not accepted|wrong|incorrect[ao]?|invalid[ao]?|nao aceita|no acepta", "refuse incorrect"),
    # activation by SMS / e-mail
    (r"text messages?|sms|texto|mensaje de texto|kod sms", "sms"),
    (r"codes?|codigos?|kod|codice|one time password|otp", "code"),
    (
        r"(?:phone|mobile|cell) ?(?:numbers?)?|telefone|telefono|celular|telefon|numero",
        "numero portable",
    ),
    (r"e-?mails?|correos?(?: electronicos?)?|imel", "mail"),
    (r"confirm\w*|verif\w*|validat\w*|valida[rc]\w*", "confirmation"),
    (r"links?|enlaces?", "lien"),
    (r"expired|expirou|caducad[ao]|verlopen", "expire"),
    (r"spam|junk", "spam"),
    # children, birth date, pupils
    (
        r"children|child|kids?|sons?|daughters?|filh[oa]s?|hij[oa]s?|pitit|kinderen|дитин\w*",
        "enfant",
    ),
    (
        r"missing|does not show|doesn t show|only one|nao aparece|so aparece|no aparece|"
        r"solo aparece|falta|ontbreekt",
        "enfant manquant",
    ),
    (
        r"(?:date of )?birth ?dates?|date of birth|data de nascimento|fecha de nacimiento|"
        r"geboortedatum|dat nesans",
        "date de naissance",
    ),
    (
        r"students?|pupils?|alun[oa]s?|alumn[oa]s?|leerling|учень|учня|учениц\w*",
        "eleve compte eleve",
    ),
    # not found / no account
    (
        r"no account|don t have an account|do not have an account|nao tenho conta|no tengo cuenta|"
        r"not registered|not recogni[sz]ed|does not know me|nao me reconhece|no existe|unknown",
        "pas de compte inconnu",
    ),
    (r"change|update|mudar|alterar|cambiar|actualizar|wijzigen", "changer modifier"),
    # livret, téléservices, data protection
    (
        r"school reports?|report cards?|boletim|boletin|libreta|rapport|pagelle?|zeugnis",
        "livret bilan",
    ),
    (
        r"scholarships?|grants?|bolsas?|becas?|studiebeurs|stipendium|borsa di studio",
        "bourse",
    ),
    (r"grades|marks|scores|notas|calificaciones|voti|noten|timetable|homework", "notes"),
    (
        r"gdpr|rgpd|avg|personal (?:data|information)|dados pessoais|datos personales|"
        r"persoonsgegevens|my data|meus dados|mis datos|os meus dados",
        "donnees personnelles rgpd",
    ),
    (
        r"delete|erase|apagar|borrar|eliminar|verwijderen|fermer ce compte|fermer mon compte|"
        r"supprim\w+ (?:mes|ses|nos|toutes|les) (?:donnees|informations)",
        "suppression donnees personnelles",
    ),
    (
        r"dossier medical|fiche sanitaire|securite sociale|situation maritale|casher|halal|"
        r"s y opposer|s opposer|qui (?:a acces|lira|les consulte)|carte d identite",
        "donnees personnelles rgpd",
    ),
)

# Chinese has no spaces between words: these terms are matched anywhere in the text.
_CJK_TERMS: tuple[tuple[str, str], ...] = (
    (r"密码|口令", "mot de passe"),
    (r"用户名|账号名", "identifiant"),
    (r"忘记|忘了", "oublie"),
    (r"账号|账户|帐号", "compte"),
    (r"短信", "sms"),
    (r"验证码", "code"),
    (r"邮件|邮箱", "mail"),
    (r"注册", "inscription compte"),
    (r"学生", "eleve compte eleve"),
    (r"孩子|小朋友|子女", "enfant"),
    (r"奖学金|助学金", "bourse"),
    (r"成绩", "notes"),
)

_OTHER_APPLICATIONS = (
    r"pronote|ecole ?directe|skolengo|kosmos|papillon|lycee connecte|mon bureau numerique|"
    r"toutatice|e-?lyco|neo pocket|one pocket|\bent\b|\bent one\b|mon ent|l ent|oze|"
    r"educartable|klassroom|beneylu|\bapps?\b|\bappli\b|aplicativo|aplicacion|\bl app\b"
)
_EDUCONNECT_WORKS = (
    r"educonnect (?:fonctionne|marche|works|funciona|is fine|est actif|va bien)|"
    r"(?:sur|on|no) (?:le site )?educonnect (?:ca|tout|it|entro|mon identifiant)|"
    r"directement sur le site educonnect|the website works|sur le site tout fonctionne"
)

_COMPILED = tuple(
    (re.compile(rf"\b(?:{pattern})\b"), french) for pattern, french in _TERMS
) + tuple((re.compile(pattern), french) for pattern, french in _CJK_TERMS)
_OTHER_APP = re.compile(rf"(?:{_OTHER_APPLICATIONS})")
_WORKS = re.compile(_EDUCONNECT_WORKS)


def key_terms(normalized: str) -> str:
    """French words (and markers) for the key terms found in a normalised text."""
    found = [french for pattern, french in _COMPILED if pattern.search(normalized)]
    if _OTHER_APP.search(normalized):
        found.append("xautreappli")
    if _WORKS.search(normalized):
        found.append("xeduconnectok")
    return " ".join(found)
