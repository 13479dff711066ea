"""What the agents' *Diagnostic* panel shows: the people found and the findings, as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from helpdesk.accounts.activation import ETAT_LABELS, ORIGINE_LABELS
from helpdesk.diagnostics.advice import DIRECTEUR, ELEVE, RESPONSABLE
from helpdesk.diagnostics.codes import CODE_LABELS, SEVERITY_LABELS, Severity
from helpdesk.diagnostics.guidance import audience_for, compose_reply
from helpdesk.diagnostics.masking import Masker, format_date
from helpdesk.diagnostics.rules.pupils import LIEN_LABELS
from helpdesk.diagnostics.tickets import TicketRun, step_key

SEVERITY_BADGES = {"blocking": "error", "warning": "warning", "info": "info"}

EVIDENCE_LABELS = {
    "responsable_id": "Fiche responsable",
    "responsable_ids": "Fiches responsables",
    "autres_responsable_ids": "Autres responsables",
    "telephone_donne": "Mobile donné par le demandeur",
    "telephone_base": "Mobile dans la base élèves",
    "telephone_portable": "Colonne « portable »",
    "telephone_fixe": "Téléphone fixe",
    "telephone": "Téléphone",
    "telephones": "Numéros partagés",
    "mobile_en_colonne_fixe": "Mobile saisi comme fixe",
    "mobile_valide": "Mobile valide",
    "ecart": "Écart",
    "nature": "Nature",
    "fiches": "Fiches",
    "comptes": "Comptes",
    "compte_id": "Compte",
    "compte_ids": "Comptes",
    "points_communs": "Points communs",
    "email": "Adresse",
    "email_verifie": "Adresse confirmée",
    "date_creation": "Créé le",
    "date_notification": "Notifié le",
    "date_dernier_acces": "Dernier accès",
    "date_synchro": "Synchronisé le",
    "date_modification": "Modifié le",
    "expire_le": "Expiré le",
    "date_reference": "Date de référence",
    "date_donnee": "Date donnée",
    "date_base": "Date dans la base",
    "modifications": "Modifications",
    "eleve_id": "Élève",
    "enfant": "Enfant",
    "enfants": "Enfants",
    "liens": "Liens",
    "lien": "Lien",
    "responsable_legal": "Représentant légal",
    "raisons": "Raisons",
    "raison": "Raison",
    "etat": "État",
    "origine": "Origine",
    "profil": "Profil",
    "identifiant": "Identifiant",
    "nom": "Nom",
    "source": "Source",
    "criteres_fournis": "Critères fournis",
    "homonymes_ecartes": "Homonymes écartés",
    "personnes_possibles": "Personnes possibles",
    "type": "Type",
    "id": "Identifiant",
    "faute_de_frappe": "Faute de frappe",
    "noms_identiques": "Noms identiques",
    "meme_ecole": "Même école",
    "meme_mobile": "Même mobile",
    "meme_email": "Même adresse électronique",
    "ecoles": "Écoles",
    "date_activation": "Activé le",
    "candidats": "Personnes possibles",
    "question": "Question à poser",
    "mobile": "Mobile",
    "ine": "INE",
    "niveau": "Niveau",
    "adresses": "Adresses",
    "domaine_probable": "Domaine probable",
    "date_naissance": "Né(e) le",
    "ecole": "École",
}
#: Why a record was found, in words (never the internal names of the matching).
REASON_LABELS = {
    "nom": "nom",
    "prenom": "prénom",
    "telephone": "mobile",
    "telephone_proche": "mobile à une faute de frappe près",
    "email": "adresse électronique",
    "enfant": "enfant",
    "uai": "école",
    "identifiant": "identifiant EduConnect",
}
#: What records share, and what a requester gave, in words.
FIELD_VALUES = {
    "telephone": "mobile",
    "email": "adresse électronique",
    "enfant": "enfant",
    "enfants": "enfants",
    "nom": "nom",
    "prenom": "prénom",
    "uai": "école",
}
AUDIENCE_LABELS = {RESPONSABLE: "un parent", ELEVE: "un élève", DIRECTEUR: "une école"}
#: Codes shown in evidence, by the key they stand under.
VALUE_LABELS = {
    "etat": ETAT_LABELS,
    "origine": ORIGINE_LABELS,
    "lien": LIEN_LABELS,
    "profil": {"responsable": "responsable", "eleve": "élève"},
    "points_communs": FIELD_VALUES,
    "criteres_fournis": FIELD_VALUES,
}


@dataclass(frozen=True)
class EvidenceLine:
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    key: str
    index: int
    text: str
    done: bool


@dataclass(frozen=True)
class FindingView:
    code: str
    label: str
    severity: str
    severity_label: str
    badge: str
    evidence: tuple[EvidenceLine, ...]
    fix: str
    steps: tuple[Step, ...]
    is_primary: bool = False


@dataclass(frozen=True)
class AccountView:
    compte_id: str
    profile: str
    login: str
    state: str
    origin: str
    email: str
    email_confirmed: bool | None
    notified: str
    activated: str
    last_access: str


@dataclass(frozen=True)
class ChildView:
    eleve_id: str
    name: str
    birth_date: str
    school: str
    classe: str
    admission: str
    has_ine: bool
    link: str
    legal: bool | None


@dataclass
class PersonView:
    responsable_id: str
    score: float
    reasons: tuple[str, ...]
    name: str
    mobile: str
    mobile_is_valid: bool
    landline: str
    email: str
    children: list[ChildView] = field(default_factory=list)
    accounts: list[AccountView] = field(default_factory=list)


@dataclass
class PanelView:
    people: list[PersonView]
    pupil: ChildView | None
    pupil_accounts: list[AccountView]
    findings: list[FindingView]
    uais: list[str]
    #: The reply to send, built from the primary finding for the requester's audience.
    reply: str = ""
    audience: str = ""

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.BLOCKING)


def _text(value: Any, key: str = "") -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if value is None or value == "":
        return "—"
    return VALUE_LABELS.get(key, {}).get(str(value), str(value))


def _flat(value: Any, key: str = "") -> str:
    if isinstance(value, dict):
        return " ; ".join(f"{EVIDENCE_LABELS.get(k, k)} : {_flat(v, k)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v, key) for v in value) or "—"
    return _text(value, key)


def evidence_lines(evidence: dict[str, Any]) -> tuple[EvidenceLine, ...]:
    """The evidence of a finding as labelled lines (a list of records gives one value each)."""
    lines = []
    for key, value in evidence.items():
        label = EVIDENCE_LABELS.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            values = tuple(_flat(v) for v in value)
        else:
            values = (_flat(value, key),)
        lines.append(EvidenceLine(label, values))
    return tuple(lines)


def _account(account, masker: Masker) -> AccountView:
    return AccountView(
        compte_id=account.compte_id,
        profile="Élève" if account.profil == "eleve" else "Responsable",
        login=masker.login(account.identifiant),
        state=ETAT_LABELS.get(account.etat or "", account.etat or "—"),
        origin=ORIGINE_LABELS.get(account.origine or "", account.origine or "—"),
        email=masker.email(account.email),
        email_confirmed=account.email_verifie,
        notified=format_date(account.date_notification),
        activated=format_date(account.date_activation),
        last_access=format_date(account.date_dernier_acces),
    )


def _child(pupil, masker: Masker, schools: dict, link=None) -> ChildView:
    school = schools.get(pupil.uai)
    return ChildView(
        eleve_id=pupil.eleve_id,
        name=masker.name(pupil.prenom, pupil.nom),
        birth_date=masker.birth_date(pupil.date_naissance),
        school=f"{school.nom} ({pupil.uai})" if school else (pupil.uai or ""),
        classe=pupil.classe or pupil.niveau or "",
        admission=pupil.admission or "",
        has_ine=bool((pupil.ine or "").strip()),
        link=LIEN_LABELS.get(link.lien or "", link.lien or "") if link is not None else "",
        legal=link.responsable_legal if link is not None else None,
    )


def panel_view(
    run: TicketRun,
    masker: Masker,
    checked: set[str],
    fill: Callable[[str], str] = lambda text: text,
) -> PanelView:
    """The panel's content for a diagnosis; personal data written by ``masker``.

    ``fill`` completes the reply's académie placeholders (the canned-reply mechanism's).
    """
    match, ctx = run.match, run.context
    scores = {s.id: s for s in match.responsables}
    accounts_of: dict[str, list] = {}
    for account in match.account_rows:
        accounts_of.setdefault(account.personne_id, []).append(account)
    people = []
    for record in match.records:
        scored = scores.get(record.responsable_id)
        person = PersonView(
            responsable_id=record.responsable_id,
            score=scored.score if scored else 0.0,
            reasons=tuple(REASON_LABELS.get(r, r) for r in scored.reasons) if scored else (),
            name=masker.name(record.prenom, record.nom),
            mobile=masker.phone(record.telephone_portable_e164 or record.telephone_portable),
            mobile_is_valid=bool(record.telephone_portable_is_mobile),
            landline=masker.phone(record.telephone_fixe_e164 or record.telephone_fixe),
            email=masker.email(record.email),
        )
        for link in match.links:
            if link.responsable_id == record.responsable_id and link.eleve_id in match.children:
                person.children.append(
                    _child(match.children[link.eleve_id], masker, ctx.schools, link)
                )
        person.accounts = [_account(a, masker) for a in accounts_of.get(record.responsable_id, [])]
        people.append(person)
    pupil = _child(match.pupil, masker, ctx.schools) if match.pupil is not None else None
    primary = run.diagnosis.primary
    audience = audience_for(run.request.role, pupil_request=match.pupil is not None)
    findings = [
        FindingView(
            code=f.code,
            label=CODE_LABELS.get(f.code, f.code),
            severity=f.severity,
            severity_label=SEVERITY_LABELS[Severity(f.severity)],
            badge=SEVERITY_BADGES.get(f.severity, "info"),
            evidence=evidence_lines(f.evidence),
            fix=f.fix,
            steps=tuple(
                Step(step_key(f.code, i), i, text, step_key(f.code, i) in checked)
                for i, text in enumerate(f.steps)
            ),
            is_primary=f is primary,
        )
        for f in run.findings
    ]
    uais = sorted({c.uai for c in ctx.children.values() if c.uai} | set(ctx.schools))
    return PanelView(
        people=people,
        pupil=pupil,
        pupil_accounts=[_account(a, masker) for a in match.account_rows] if pupil else [],
        findings=findings,
        uais=uais,
        reply=fill(compose_reply(primary, audience)),
        audience=AUDIENCE_LABELS[audience],
    )
