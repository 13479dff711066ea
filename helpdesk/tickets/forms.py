from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from helpdesk.tickets.models import PRIORITIES, STATUSES
from helpdesk.tickets.taxonomy import MOTIFS, NATURES, TYPES
from helpdesk.util.params import ID_MAX


def choices(mapping: dict[str, str], empty: str | None = None) -> list[SelectChoice]:
    items = [SelectChoice(code, label) for code, label in mapping.items()]
    return [SelectChoice("", empty), *items] if empty is not None else items


class ReplyForm(FlaskForm):
    body = TextAreaField(
        "Message",
        validators=[
            DataRequired("Écrivez un message."),
            Length(max=20000, message="Le message est trop long (20 000 caractères au plus)."),
        ],
    )
    internal = BooleanField("Note interne (invisible du demandeur)")
    status = SelectField(
        "Statut après l'envoi", choices=choices(STATUSES, "Automatique"), validators=[Optional()]
    )
    files = MultipleFileField(
        "Pièces jointes", description="PDF, image ou document, 10 Mo au plus."
    )
    #: The newest message the page showed; a newer one from someone else stops the send.
    seen = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(0, ID_MAX)])
    force = BooleanField("Envoyer malgré les nouveaux messages")


class AssignForm(FlaskForm):
    assignee = SelectField("Attribuer à", choices=[], validators=[Optional()])


class StatusForm(FlaskForm):
    status = SelectField("Statut", choices=choices(STATUSES))


class LabelsForm(FlaskForm):
    type_demande = SelectField("Type de demande", choices=choices(TYPES))
    nature = SelectField("Nature", choices=choices(NATURES))
    motif = SelectField("Motif", choices=choices(MOTIFS))


class PriorityForm(FlaskForm):
    priority = SelectField("Priorité", choices=choices(PRIORITIES))


class MergeForm(FlaskForm):
    target = StringField(
        "Fusionner dans la demande",
        validators=[DataRequired("Indiquez la référence de la demande à conserver.")],
        description="Référence de la demande conservée, par exemple 2026-000123.",
    )
    #: Set by the side-by-side comparison page: the agent has seen both tickets.
    confirm = HiddenField()


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
