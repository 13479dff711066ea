from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length


class SaveViewForm(FlaskForm):
    name = StringField(
        "Nom de la vue",
        validators=[DataRequired("Donnez un nom à la vue."), Length(max=80)],
    )
    query = HiddenField()
    shared = BooleanField("Partager avec tous les agents")
