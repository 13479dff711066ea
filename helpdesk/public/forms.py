from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from helpdesk.util.phones import parse_french_phone


class ContactForm(FlaskForm):
    requester_kind = RadioField(
        "Vous êtes",
        choices=[
            SelectChoice("parent", "Parent ou responsable légal"),
            SelectChoice("eleve", "Élève"),
            SelectChoice("autre", "Autre"),
        ],
        default="parent",
        validators=[DataRequired("Indiquez qui vous êtes.")],
    )
    last_name = StringField(
        "Nom",
        validators=[
            DataRequired("Indiquez votre nom."),
            Length(max=100, message="100 caractères au plus."),
        ],
    )
    first_name = StringField(
        "Prénom",
        validators=[
            DataRequired("Indiquez votre prénom."),
            Length(max=100, message="100 caractères au plus."),
        ],
    )
    email = EmailField(
        "Adresse électronique",
        validators=[
            DataRequired("Indiquez votre adresse électronique : la réponse vous y sera envoyée."),
            Email(
                "Cette adresse électronique n'est pas valide (exemple : nom@domaine.fr).",
                check_deliverability=False,
            ),
        ],
        description="La réponse et le lien de suivi vous seront envoyés à cette adresse.",
    )
    phone = TelField(
        "Téléphone portable (facultatif)",
        validators=[Optional()],
        description="Celui que vous avez donné à l'école. Exemple : 06 12 34 56 78",
    )
    child_first_name = StringField(
        "Prénom de l'enfant concerné",
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
    )
    school_query = StringField(
        "École ou établissement",
        validators=[Optional(), Length(max=200, message="200 caractères au plus.")],
        description="Tapez le nom de l'école ou de la commune, puis choisissez dans la liste.",
    )
    school_id = HiddenField()
    subject = StringField(
        "Objet",
        validators=[
            DataRequired("Indiquez l'objet de votre demande."),
            Length(max=200, message="L'objet ne doit pas dépasser 200 caractères."),
        ],
        description="Par exemple : « Je ne reçois pas le code SMS ».",
    )
    message = TextAreaField(
        "Votre message",
        validators=[
            DataRequired("Décrivez votre demande."),
            Length(min=10, max=10000, message="Entre 10 et 10 000 caractères."),
        ],
        description="Ne communiquez jamais votre mot de passe.",
    )
    files = MultipleFileField(
        "Capture d'écran (facultatif)", description="Image ou PDF, 10 Mo au plus."
    )
    #: Left empty by people; robots fill it in.
    website = StringField("Site web")

    def validate_phone(self, field) -> None:
        if field.data and parse_french_phone(field.data) is None:
            raise ValidationError(
                "Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78."
            )


class TrackingReplyForm(FlaskForm):
    body = TextAreaField(
        "Votre réponse",
        validators=[
            DataRequired("Écrivez votre message."),
            Length(max=10000, message="Le message est trop long."),
        ],
    )
    files = MultipleFileField("Pièce jointe (facultatif)")
