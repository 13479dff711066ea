from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TelField, URLField
from wtforms.validators import URL, DataRequired, Email, Length, ValidationError

from helpdesk.util.phones import parse_french_phone

_MAX = Length(max=300, message="300 caractères au plus.")
_EMAIL = Email(
    "Adresse électronique invalide (exemple : nom@ac-demo.fr).", check_deliverability=False
)


def _required(what: str) -> DataRequired:
    return DataRequired(f"Indiquez {what}.")


class AcademieForm(FlaskForm):
    nom = StringField(
        "Nom de l'académie",
        validators=[_required("le nom de l'académie"), _MAX],
        description="Tel qu'il apparaît dans les pages, les réponses et les articles. "
        "Exemple : Académie de Dijon",
    )
    adresse_postale = StringField(
        "Adresse postale", validators=[_required("l'adresse postale"), _MAX]
    )
    courriel_assistance = EmailField(
        "Adresse électronique de l'assistance",
        validators=[_required("l'adresse électronique de l'assistance"), _EMAIL, _MAX],
        description="Celle à laquelle écrivent les directeurs d'école.",
    )
    site_web = URLField(
        "Site de l'académie",
        validators=[
            _required("l'adresse du site"),
            URL(message="Adresse de site invalide (exemple : https://www.ac-demo.fr)."),
            _MAX,
        ],
    )
    telephone_assistance = TelField(
        "Téléphone de l'assistance",
        validators=[_required("le numéro de téléphone de l'assistance"), Length(max=40)],
        description="Exemple : 03 80 44 84 20",
    )
    horaires_assistance = StringField(
        "Horaires de l'assistance téléphonique",
        validators=[_required("les horaires"), _MAX],
        description="Écrits pour suivre « L'assistance téléphonique est ouverte… ». "
        "Exemple : du lundi au vendredi, de 8 h à 12 h 30 et de 13 h 30 à 17 h 30",
    )
    dpd_nom = StringField(
        "Délégué à la protection des données (DPD)",
        validators=[_required("qui est le DPD"), _MAX],
        description="Nom ou intitulé du service.",
    )
    dpd_courriel = EmailField(
        "Adresse électronique du DPD", validators=[_required("l'adresse du DPD"), _EMAIL, _MAX]
    )
    dpd_adresse = StringField(
        "Adresse postale du DPD", validators=[_required("l'adresse postale du DPD"), _MAX]
    )

    def validate_telephone_assistance(self, field) -> None:
        if field.data and parse_french_phone(field.data) is None:
            raise ValidationError("Numéro de téléphone invalide. Exemple : 03 80 44 84 20.")
