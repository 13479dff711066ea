from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from helpdesk.mail.settings import IMAP_SECURITY_MODES, SECURITY_MODES
from helpdesk.tickets.forms import choices


class OutboundForm(FlaskForm):
    smtp_host = StringField(
        "Serveur SMTP", validators=[DataRequired("Indiquez le serveur."), Length(max=255)]
    )
    smtp_port = IntegerField(
        "Port",
        validators=[DataRequired("Indiquez le port."), NumberRange(1, 65535, "Port invalide.")],
    )
    smtp_security = SelectField("Chiffrement", choices=choices(SECURITY_MODES))
    smtp_user = StringField(
        "Identifiant", validators=[Optional(), Length(max=255)], description="Vide : sans."
    )
    smtp_password = PasswordField(
        "Mot de passe",
        validators=[Optional(), Length(max=255)],
        description="Laissez vide pour conserver le mot de passe enregistré.",
    )
    forget_password = BooleanField("Effacer le mot de passe enregistré")
    mail_from = StringField(
        "Expéditeur (From)",
        validators=[DataRequired("Indiquez l'expéditeur."), Length(max=255)],
        description="Par exemple : Assistance EduConnect <assistance@ac-exemple.fr>",
    )
    mail_reply_to = EmailField(
        "Adresse de réponse (Reply-To)",
        validators=[
            DataRequired("Indiquez l'adresse de réponse."),
            Email("Adresse électronique invalide.", check_deliverability=False),
        ],
    )
    plus_addressing = BooleanField(
        "Ajouter la référence à l'adresse de réponse (assistance+2026-000123@…)",
        description="Le serveur de messagerie doit accepter ces adresses.",
    )
    reminder_days = IntegerField(
        "Relance du demandeur après (jours)",
        validators=[NumberRange(0, 365, "Entre 0 et 365 jours.")],
        description="0 : pas de relance.",
    )
    autoclose_days = IntegerField(
        "Clôture sans réponse après (jours)",
        validators=[NumberRange(0, 365, "Entre 0 et 365 jours.")],
        description="Comptés depuis la mise en attente ; 0 : jamais.",
    )
    resolved_close_days = IntegerField(
        "Clôture des demandes résolues après (jours)",
        validators=[NumberRange(0, 365, "Entre 0 et 365 jours.")],
        description="Comptés depuis la résolution ; 0 : jamais.",
    )
    reopen_days = IntegerField(
        "Réouverture par le demandeur possible pendant (jours)",
        validators=[NumberRange(0, 365, "Entre 0 et 365 jours.")],
        description="Comptés depuis la résolution : le parent par son lien de suivi, le "
        "directeur depuis ses demandes ; 0 : jamais.",
    )
    sandbox = BooleanField(
        "Mode démonstration : les courriels ne partent pas",
        description="Ils se lisent dans l'application, sous /courriels (administrateurs).",
    )


class ProbeMessageForm(FlaskForm):
    to_address = EmailField(
        "Destinataire du message d'essai",
        validators=[
            DataRequired("Indiquez un destinataire."),
            Email("Adresse électronique invalide.", check_deliverability=False),
        ],
    )


class TemplateForm(FlaskForm):
    subject = StringField("Objet", validators=[DataRequired("Indiquez l'objet."), Length(max=300)])
    body_text = TextAreaField("Texte brut", validators=[DataRequired("Écrivez la version texte.")])
    body_html = TextAreaField("HTML", validators=[DataRequired("Écrivez la version HTML.")])


class MailboxForm(FlaskForm):
    name = StringField("Nom", validators=[DataRequired("Indiquez un nom."), Length(max=120)])
    host = StringField(
        "Serveur IMAP", validators=[DataRequired("Indiquez le serveur."), Length(max=255)]
    )
    port = IntegerField(
        "Port",
        validators=[DataRequired("Indiquez le port."), NumberRange(1, 65535, "Port invalide.")],
    )
    security = SelectField("Chiffrement", choices=choices(IMAP_SECURITY_MODES))
    username = StringField(
        "Identifiant", validators=[DataRequired("Indiquez l'identifiant."), Length(max=255)]
    )
    password = PasswordField(
        "Mot de passe",
        validators=[Optional(), Length(max=255)],
        description="Laissez vide pour conserver le mot de passe enregistré.",
    )
    folder = StringField(
        "Dossier relevé", default="INBOX", validators=[DataRequired(), Length(max=255)]
    )
    processed_folder = StringField(
        "Dossier des messages traités",
        default="Traités",
        validators=[DataRequired(), Length(max=255)],
        description="Créé au besoin ; chaque message y est déplacé une fois enregistré.",
    )
    is_active = BooleanField("Relever cette boîte", default=True)
