from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from helpdesk.tickets.forms import choices
from helpdesk.tickets.intake import IntakeDetails
from helpdesk.tickets.taxonomy import NATURES, TYPES


class DirectorRequestForm(FlaskForm):
    type_demande = SelectField(
        "Type de demande",
        choices=choices(TYPES, "Choisir"),
        validators=[DataRequired("Choisissez le type de demande.")],
        description="Demande logicielle : quelque chose ne fonctionne pas. "
        "Demande de conseil : une question, une procédure.",
    )
    nature = SelectField(
        "Nature",
        choices=choices(NATURES, "Choisir"),
        validators=[DataRequired("Choisissez la nature de la demande.")],
    )
    school = SelectField(
        "École concernée", choices=[], validators=[DataRequired("Choisissez l'école concernée.")]
    )
    subject = StringField(
        "Objet",
        validators=[
            DataRequired("Indiquez l'objet de la demande."),
            Length(max=200, message="L'objet ne doit pas dépasser 200 caractères."),
        ],
    )
    description = TextAreaField(
        "Description",
        validators=[
            DataRequired("Décrivez votre demande."),
            Length(max=20000, message="La description est trop longue."),
        ],
        description="Décrivez le problème, les messages d'erreur et ce que vous avez essayé.",
    )
    concerned = StringField(
        "Personne concernée : élève ou responsable (facultatif)",
        validators=[Optional(), Length(max=200, message="200 caractères au plus.")],
        description="Nom et prénom, tels qu'ils figurent dans ONDE ou SIECLE.",
    )
    login = StringField(
        "Identifiant EduConnect de la personne concernée (facultatif)",
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
        description="Tel qu'il apparaît dans l'administration des comptes, par exemple p.nom12.",
    )
    second_login = StringField(
        "Identifiant de l'autre compte, en cas de doublon (facultatif)",
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
        description="Quand la même personne a deux comptes : donnez les deux identifiants.",
    )
    files = MultipleFileField(
        "Pièces jointes (facultatif)",
        description="Capture d'écran, PDF ou document, 10 Mo au plus par fichier.",
    )

    def validate_second_login(self, field) -> None:
        first = (self.login.data or "").strip().casefold()
        if field.data and first and field.data.strip().casefold() == first:
            raise ValidationError(
                "Les deux identifiants sont identiques : indiquez l'autre compte."
            )

    def intake_details(self) -> IntakeDetails:
        return IntakeDetails(login=self.login.data, second_login=self.second_login.data)


class DirectorReplyForm(FlaskForm):
    body = TextAreaField(
        "Votre message",
        validators=[
            DataRequired("Écrivez un message."),
            Length(max=20000, message="Le message est trop long."),
        ],
    )
    files = MultipleFileField("Pièces jointes (facultatif)")


class CloseForm(FlaskForm):
    """A director's closure; the reason is required when the request is someone else's."""

    reason = TextAreaField(
        "Raison de la clôture",
        validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")],
        description="Transmise au demandeur par courriel et visible sur sa page de suivi.",
    )


class ReopenForm(FlaskForm):
    comment = TextAreaField(
        "Ce qui n'est pas réglé (facultatif)",
        validators=[Optional(), Length(max=20000, message="Le message est trop long.")],
    )
