from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from helpdesk.privacy.models import IDENTITY_STATES, RIGHTS
from helpdesk.tickets.forms import choices


class PersonForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        "Adresse électronique ou numéro de téléphone",
        validators=[DataRequired("Indiquez une adresse électronique ou un numéro de téléphone.")],
    )


class EraseForm(FlaskForm):
    q = StringField("Personne", validators=[DataRequired("Indiquez la personne.")])
    confirm = BooleanField(
        "Je confirme l’effacement définitif de ces données",
        validators=[InputRequired("Cochez la case pour confirmer l’effacement.")],
    )


class OpenRequestForm(FlaskForm):
    right = SelectField("Droit exercé", choices=choices(RIGHTS, empty="Choisir…"))
    received_on = DateField(
        "Date de réception",
        validators=[Optional()],
        description="Par défaut, le jour où la demande est arrivée.",
    )


class IdentityForm(FlaskForm):
    identity_state = SelectField("Vérification de l’identité", choices=choices(IDENTITY_STATES))


class ExtendForm(FlaskForm):
    notice = TextAreaField(
        "Message envoyé à la personne",
        validators=[DataRequired("Rédigez le message à la personne."), Length(max=4000)],
        description="La prolongation de deux mois doit être motivée auprès de la personne.",
    )


class HandoffForm(FlaskForm):
    dpd = SelectField("Délégué à la protection des données", choices=[])
    summary = TextAreaField(
        "Ce qui est transmis",
        validators=[DataRequired("Indiquez ce qui est transmis au DPD."), Length(max=4000)],
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        "Réponse envoyée à la personne",
        validators=[DataRequired("Indiquez la réponse envoyée."), Length(max=8000)],
    )
