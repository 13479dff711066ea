from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TelField
from wtforms.validators import Email, Length, Optional, ValidationError

from helpdesk.accounts.matching import ChildQuery
from helpdesk.accounts.names import parse_loose_date
from helpdesk.accounts.normalize import is_uai_shaped, normalize_uai
from helpdesk.diagnostics.services import DiagnoseRequest
from helpdesk.util.phones import parse_phone


class RequesterForm(FlaskForm):
    """The requester's details as the agent corrects them before running the diagnosis again."""

    nom = StringField("Nom", validators=[Optional(), Length(max=200)])
    prenom = StringField("Prénom", validators=[Optional(), Length(max=200)])
    email = EmailField(
        "Adresse électronique",
        validators=[
            Optional(),
            Email("Adresse électronique invalide.", check_deliverability=False),
        ],
    )
    telephone = TelField("Téléphone mobile", validators=[Optional(), Length(max=40)])
    enfant_prenom = StringField("Prénom de l'enfant", validators=[Optional(), Length(max=200)])
    enfant_naissance = StringField(
        "Date de naissance de l'enfant",
        validators=[Optional(), Length(max=40)],
        description="Par exemple : 02/03/2015",
    )
    uai = StringField(
        "UAI de l'école",
        validators=[Optional(), Length(max=8)],
        description="Sept chiffres et une lettre, par exemple 0211234C",
    )

    def validate_telephone(self, field) -> None:
        phone = parse_phone(field.data) if field.data else None
        if field.data and (phone is None or phone.e164 is None):
            raise ValidationError("Ce numéro de téléphone n'est pas valide.")

    def validate_enfant_naissance(self, field) -> None:
        if field.data and parse_loose_date(field.data) is None:
            raise ValidationError("Date illisible : écrivez-la jj/mm/aaaa.")

    def validate_uai(self, field) -> None:
        if field.data and not is_uai_shaped(field.data):
            raise ValidationError("Un UAI compte sept chiffres suivis d'une lettre.")

    def fill(self, request: DiagnoseRequest | None) -> None:
        if request is None:
            return
        child = request.enfants[0] if request.enfants else ChildQuery()
        self.nom.data = request.nom
        self.prenom.data = request.prenom
        self.email.data = request.email
        self.telephone.data = request.telephone
        self.enfant_prenom.data = child.prenom
        self.enfant_naissance.data = child.date_naissance
        self.uai.data = request.uai

    def to_request(self, previous: DiagnoseRequest | None) -> DiagnoseRequest:
        """The corrected request; other children and the motif are kept from ``previous``."""

        def value(field) -> str | None:
            return (field.data or "").strip() or None

        base = previous or DiagnoseRequest()
        others = base.enfants[1:]
        child = ()
        if value(self.enfant_prenom) or value(self.enfant_naissance):
            first = base.enfants[0] if base.enfants else ChildQuery()
            child = (
                ChildQuery(
                    nom=first.nom,
                    prenom=value(self.enfant_prenom),
                    date_naissance=value(self.enfant_naissance),
                ),
            )
        return DiagnoseRequest(
            id=base.id,
            nom=value(self.nom),
            prenom=value(self.prenom),
            email=value(self.email),
            telephone=value(self.telephone),
            role=base.role,
            enfants=(*child, *others),
            uai=normalize_uai(self.uai.data) or None,
            motif=base.motif,
            identifiant=base.identifiant,
        )
