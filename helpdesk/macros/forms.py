from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.tickets.forms import choices
from helpdesk.tickets.models import PRIORITIES, STATUSES
from helpdesk.tickets.taxonomy import MOTIFS


class MacroForm(FlaskForm):
    name = StringField(
        "Nom", validators=[DataRequired("Donnez un nom à la macro."), Length(max=120)]
    )
    body = TextAreaField(
        "Réponse",
        validators=[Optional(), Length(max=20000)],
        description="Laissez vide pour ne rien écrire. Variables : {demandeur}, {reference}, "
        "{ecole}, {date}, {identifiant}.",
    )
    is_internal = BooleanField("Écrire une note interne plutôt qu'une réponse")
    status = SelectField("Statut", choices=choices(STATUSES, "Inchangé"), validators=[Optional()])
    motif = SelectField("Motif", choices=choices(MOTIFS, "Inchangé"), validators=[Optional()])
    priority = SelectField(
        "Priorité", choices=choices(PRIORITIES, "Inchangée"), validators=[Optional()]
    )
    is_active = BooleanField("Proposée aux agents", default=True)
