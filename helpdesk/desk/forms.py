from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.tickets.forms import choices
from helpdesk.tickets.models import PRIORITIES, STATUSES
from helpdesk.tickets.taxonomy import MOTIFS, NATURES, TYPES


def staff_choices(users, empty: str) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + [SelectChoice(str(u.id), u.display_name) for u in users]


class UpdateForm(FlaskForm):
    """Status, assignee, priority and labels of a ticket, sent together."""

    status = SelectField("Statut", choices=choices(STATUSES))
    assignee = SelectField("Attribuée à", choices=[], validators=[Optional()])
    priority = SelectField("Priorité", choices=choices(PRIORITIES))
    type_demande = SelectField("Type de demande", choices=choices(TYPES))
    nature = SelectField("Nature", choices=choices(NATURES))
    motif = SelectField("Motif", choices=choices(MOTIFS))
    confirm_labels = BooleanField("Confirmer les catégories proposées")


class BulkForm(FlaskForm):
    """Changes applied to every ticket ticked in the queue; empty choices change nothing."""

    assignee = SelectField("Attribuer à", choices=[], validators=[Optional()])
    status = SelectField("Statut", choices=choices(STATUSES, "Inchangé"), validators=[Optional()])
    motif = SelectField("Motif", choices=choices(MOTIFS, "Inchangé"), validators=[Optional()])
    priority = SelectField(
        "Priorité", choices=choices(PRIORITIES, "Inchangée"), validators=[Optional()]
    )
    retour = HiddenField()


class SaveViewForm(FlaskForm):
    name = StringField(
        "Nom de la vue",
        validators=[DataRequired("Donnez un nom à la vue."), Length(max=80)],
    )
    query = HiddenField()
    shared = BooleanField("Partager avec tous les agents")


def update_form_for(ticket, staff, formdata=None) -> UpdateForm:
    """The ticket page's update form, filled with the ticket's current values."""
    form = UpdateForm(
        formdata=formdata,
        prefix="maj",
        status=ticket.status,
        assignee=str(ticket.assignee_id or ""),
        priority=ticket.priority,
        type_demande=ticket.type_demande,
        nature=ticket.nature,
        motif=ticket.motif,
    )
    form.assignee.choices = staff_choices(staff, "Personne")
    return form


def bulk_form_for(staff) -> BulkForm:
    form = BulkForm(prefix="lot")
    form.assignee.choices = [
        SelectChoice("", "Inchangée"),
        SelectChoice("moi", "Moi"),
        SelectChoice("aucun", "Personne"),
    ] + [SelectChoice(str(u.id), u.display_name) for u in staff]
    return form
