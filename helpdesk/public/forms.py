from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
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

from helpdesk.tickets.intake import PATHS, IntakeDetails
from helpdesk.util.phones import parse_french_phone

#: Labels that change with who writes: (parent's wording, pupil's wording).
WORDINGS = {
    "child_section": ("L'enfant et son école", "Votre scolarité"),
    "child_first_name": ("Prénom de l'enfant concerné (facultatif)", None),
    "child_last_name": (
        "Nom de famille de l'enfant (facultatif)",
        "Nom de famille inscrit à l'école, s'il diffère du vôtre ci-dessus (facultatif)",
    ),
    "child_birth_date": (
        "Date de naissance de l'enfant (facultatif)",
        "Votre date de naissance (facultatif)",
    ),
    "login": (
        "Votre identifiant EduConnect, si vous le connaissez (facultatif)",
        "Ton identifiant EduConnect, si tu le connais (facultatif)",
    ),
    "path_tried": (
        "Comment avez-vous essayé de vous connecter ? (facultatif)",
        "Comment as-tu essayé de te connecter ? (facultatif)",
    ),
    "message_shown": (
        "Message affiché à l'écran (facultatif)",
        "Message affiché à l'écran (facultatif)",
    ),
}


class FrenchDateField(DateField):
    """A date typed as 14/03/2016 or given by a date picker, with a French error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(
                "Cette date n'est pas valide : écrivez-la au format jour/mois/année, "
                "par exemple 14/03/2016."
            ) from None


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
        WORDINGS["child_first_name"][0],
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
    )
    child_last_name = StringField(
        WORDINGS["child_last_name"][0],
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
    )
    child_birth_date = FrenchDateField(
        WORDINGS["child_birth_date"][0],
        validators=[Optional()],
        format=["%Y-%m-%d", "%d/%m/%Y"],
        description="Au format jour/mois/année, par exemple 14/03/2016.",
    )
    login = StringField(
        WORDINGS["login"][0],
        validators=[Optional(), Length(max=100, message="100 caractères au plus.")],
        description="Il figure sur le courrier remis par l'école, par exemple p.nom12. "
        "Ne donnez jamais votre mot de passe.",
    )
    path_tried = RadioField(
        WORDINGS["path_tried"][0],
        choices=[SelectChoice(code, label) for code, label in PATHS.items()],
        validators=[Optional()],
        validate_choice=False,
    )
    message_shown = TextAreaField(
        WORDINGS["message_shown"][0],
        validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")],
        description="Recopiez-le mot pour mot, par exemple « Le numéro de téléphone "
        "saisi ne correspond pas ».",
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

    def validate_child_birth_date(self, field) -> None:
        if field.data and not (date(1900, 1, 1) <= field.data <= date.today()):
            raise ValidationError("Cette date de naissance n'est pas possible : vérifiez l'année.")

    def validate_path_tried(self, field) -> None:
        if field.data and field.data not in PATHS:
            raise ValidationError("Choisissez l'une des façons de se connecter proposées.")

    def intake_details(self) -> IntakeDetails:
        return IntakeDetails(
            child_last_name=self.child_last_name.data,
            child_birth_date=self.child_birth_date.data,
            login=self.login.data,
            path_tried=self.path_tried.data or None,
            message_shown=self.message_shown.data,
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


def apply_wording(form: ContactForm, kind: str | None) -> str:
    """Word the intake questions for a pupil or for a parent; return the wording used."""
    wording = "eleve" if kind == "eleve" else "parent"
    for name, (parent_text, pupil_text) in WORDINGS.items():
        field = getattr(form, name, None)
        if field is not None:
            text = pupil_text if wording == "eleve" and pupil_text else parent_text
            field.label.text = text
    return wording


class TrackingLinkRequestForm(FlaskForm):
    email = EmailField(
        "Adresse électronique",
        validators=[
            DataRequired("Indiquez l'adresse électronique de votre demande."),
            Email(
                "Cette adresse électronique n'est pas valide (exemple : nom@domaine.fr).",
                check_deliverability=False,
            ),
            Length(max=254, message="254 caractères au plus."),
        ],
        description="Celle que vous avez indiquée en écrivant au centre de services.",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


class NotSolvedForm(FlaskForm):
    """ "Pas réglé" on the tracking page of a resolved request: it is reopened."""

    comment = TextAreaField(
        "Qu'est-ce qui ne fonctionne toujours pas ? (facultatif)",
        validators=[Optional(), Length(max=20000, message="Le message est trop long.")],
    )
