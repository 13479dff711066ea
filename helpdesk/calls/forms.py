"""The call form: who calls (looked up first in the account data), then what about."""

from __future__ import annotations

from datetime import date

from wtforms import RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.accounts.names import parse_loose_date
from helpdesk.accounts.normalize import normalize_uai
from helpdesk.diagnostics.forms import RequesterForm
from helpdesk.diagnostics.people import CallerDetails
from helpdesk.tickets.forms import choices
from helpdesk.tickets.models import PRIORITIES
from helpdesk.tickets.taxonomy import MOTIF_NATURE, MOTIFS, NATURES

#: The channels an agent opens a ticket for, with how the page names them.
CALL_CHANNELS = {"telephone": "Appel téléphonique", "guichet": "Visite à l'accueil"}
CALLER_KINDS = {"parent": "Parent ou responsable", "eleve": "Élève", "autre": "Autre"}


def motif_choices() -> list[SelectChoice]:
    """Motifs grouped under their nature (the nature follows from the motif)."""
    grouped = [
        SelectChoice(code, MOTIFS[code], optgroup=label)
        for nature, label in NATURES.items()
        for code, n in MOTIF_NATURE.items()
        if n == nature
    ]
    return [SelectChoice("", "Choisir un motif"), *grouped]


class CallForm(RequesterForm):
    canal = RadioField(
        "Canal",
        choices=choices(CALL_CHANNELS),
        default="telephone",
        validators=[DataRequired("Choisissez le canal.")],
    )
    role = RadioField(
        "La personne est",
        choices=choices(CALLER_KINDS),
        default="parent",
        validators=[DataRequired("Dites qui est la personne.")],
    )
    # Name, contact, child and school are the diagnosis form's fields, read the same way.
    telephone = TelField(
        "Téléphone de la personne",
        validators=[Optional(), Length(max=40)],
        description="Le numéro qu'elle donne (pour la rappeler et la retrouver).",
    )
    identifiant = StringField(
        "Identifiant EduConnect",
        validators=[Optional(), Length(max=100)],
        description="Par exemple : c.martin12",
    )
    enfant_nom = StringField("Nom de l'enfant", validators=[Optional(), Length(max=100)])

    #: Whether the caller's part of the form is valid (set by the validations below).
    caller_ok = False

    def _check_somebody(self) -> bool:
        if self.details().describes_somebody():
            return True
        self.form_errors.append(
            "Indiquez au moins un nom, un téléphone, une adresse, un identifiant ou l'enfant "
            "concerné."
        )
        return False

    def validate_caller(self) -> bool:
        """Validate only who calls: the request's own fields come after the look-up."""
        valid = True
        for name in CALLER_FIELDS:
            field = self[name]
            inline = getattr(type(self), f"validate_{name}", None)
            valid = field.validate(self, [inline] if inline else []) and valid
        if "csrf_token" in self:
            valid = self["csrf_token"].validate(self) and valid
        self.caller_ok = valid and self._check_somebody()
        return self.caller_ok

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.caller_ok = all(not self[name].errors for name in CALLER_FIELDS)
        if self.caller_ok and not self._check_somebody():
            self.caller_ok = False
            return False
        return valid

    def details(self) -> CallerDetails:
        def value(field) -> str | None:
            return " ".join((field.data or "").split()) or None

        return CallerDetails(
            role=self.role.data or "parent",
            nom=value(self.nom),
            prenom=value(self.prenom),
            telephone=value(self.telephone),
            email=(value(self.email) or "").lower() or None,
            login=value(self.identifiant),
            enfant_nom=value(self.enfant_nom),
            enfant_prenom=value(self.enfant_prenom),
            enfant_naissance=value(self.enfant_naissance),
            uai=normalize_uai(self.uai.data) if self.uai.data else None,
        )

    def birth_date(self) -> date | None:
        return parse_loose_date(self.enfant_naissance.data) if self.enfant_naissance.data else None


CALLER_FIELDS = (
    "canal",
    "role",
    "nom",
    "prenom",
    "telephone",
    "email",
    "identifiant",
    "enfant_nom",
    "enfant_prenom",
    "enfant_naissance",
    "uai",
)


class CallTicketForm(CallForm):
    """The caller's details, then the request itself; sent once the person was looked up."""

    motif = SelectField(
        "Motif (la nature en découle)",
        choices=motif_choices(),
        validators=[DataRequired("Choisissez le motif de la demande.")],
    )
    priorite = SelectField("Priorité", choices=choices(PRIORITIES), default="normale")
    objet = StringField(
        "Objet",
        validators=[DataRequired("Indiquez l'objet de la demande."), Length(max=200)],
    )
    message = TextAreaField(
        "Ce que la personne demande",
        validators=[
            DataRequired("Notez ce que la personne demande."),
            Length(max=20000, message="Le texte est trop long (20 000 caractères au plus)."),
        ],
    )
