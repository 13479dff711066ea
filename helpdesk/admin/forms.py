from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from helpdesk.auth.models import ROLES
from helpdesk.tickets.forms import choices
from helpdesk.tickets.taxonomy import MOTIFS


class UserForm(FlaskForm):
    email = EmailField(
        "Adresse électronique",
        validators=[
            DataRequired("Indiquez l'adresse électronique."),
            Email("Adresse électronique invalide.", check_deliverability=False),
        ],
    )
    display_name = StringField(
        "Nom affiché",
        validators=[DataRequired("Indiquez le nom affiché."), Length(max=120)],
    )
    role = SelectField("Rôle", choices=choices(ROLES))
    schools = SelectMultipleField(
        "Écoles (directeurs)", choices=[], description="Maintenez Ctrl pour en choisir plusieurs."
    )
    password = PasswordField(
        "Mot de passe initial",
        validators=[Optional(), Length(min=10, message="Au moins 10 caractères.")],
        description="Laissez vide pour ne pas le changer.",
    )
    is_active = BooleanField("Compte actif", default=True)


class CannedReplyForm(FlaskForm):
    title = StringField("Titre", validators=[DataRequired("Indiquez un titre."), Length(max=200)])
    motif = SelectField("Motif", choices=choices(MOTIFS, "Tous les motifs"))
    body = TextAreaField(
        "Texte",
        validators=[DataRequired("Écrivez le texte de la réponse.")],
        description="Variables : {demandeur}, {reference}, {ecole}, {date}.",
    )
    is_active = BooleanField("Active", default=True)


class LabelForm(FlaskForm):
    label = StringField(
        "Libellé", validators=[DataRequired("Indiquez un libellé."), Length(max=200)]
    )
    is_active = BooleanField("Proposé dans les formulaires", default=True)


class SlaPauseForm(FlaskForm):
    """Only the CSRF token: the choice is a pair of radio buttons read by the route."""


class SlaForm(FlaskForm):
    first_response_minutes = IntegerField(
        "Première réponse (minutes ouvrées)",
        validators=[DataRequired("Indiquez un délai."), NumberRange(min=1, max=100000)],
    )
    resolution_minutes = IntegerField(
        "Résolution (minutes ouvrées)",
        validators=[DataRequired("Indiquez un délai."), NumberRange(min=1, max=1000000)],
    )
