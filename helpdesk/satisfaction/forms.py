from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.satisfaction.models import RATINGS


class SatisfactionForm(FlaskForm):
    rating = RadioField(
        "Êtes-vous satisfait de la réponse apportée ?",
        choices=[SelectChoice(str(value), label) for value, label in RATINGS.items()],
        validators=[DataRequired("Choisissez une réponse.")],
    )
    comment = TextAreaField(
        "Commentaire (facultatif)",
        validators=[Optional(), Length(max=2000, message="2 000 caractères au plus.")],
    )
