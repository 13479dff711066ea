"""The imported school base (ONDE/SIECLE) and EduConnect account directory.

Raw values are kept as the extraction wrote them; the ``*_key``, ``*_e164`` and ``*_phonetic``
columns are normalised copies (see :mod:`helpdesk.accounts.normalize`) for indexed look-ups.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpdesk.core.db import Base, UTCDateTime

NIVEAUX = (
    "PS",
    "MS",
    "GS",
    "CP",
    "CE1",
    "CE2",
    "CM1",
    "CM2",
    "6E",
    "5E",
    "4E",
    "3E",
    "2NDE",
    "1ERE",
    "TLE",
)
NIVEAUX_MATERNELLE = frozenset({"PS", "MS", "GS"})
ADMISSIONS = ("definitive", "provisoire", "radiee")
LIENS = (
    "mere",
    "pere",
    "tuteur",
    "autre_membre_famille",
    "aide_sociale_enfance",
    "personne_en_charge",
    "autre",
)
PROFILS = ("responsable", "eleve")
ETATS = ("non_notifie", "notifie_non_active", "en_cours_activation", "active")
ORIGINES = ("etablissement", "responsable", "franceconnect", "ent", "aten", "non_renseigne")
SOURCES = ("onde", "siecle", "educonnect")

_ID = 64


class Pupil(Base):
    """A pupil (élève) of ``eleves.csv``."""

    __tablename__ = "pupil"

    eleve_id: Mapped[str] = mapped_column(String(_ID), primary_key=True)
    ine: Mapped[str | None] = mapped_column(String(20), index=True)
    nom: Mapped[str] = mapped_column(String(200))
    prenom: Mapped[str | None] = mapped_column(String(200))
    #: Accent-free, lower-case words separated by one space ("le goff", "jean pierre");
    #: indexed together with ``prenom_key`` (``ix_pupil_nom_prenom``).
    nom_key: Mapped[str] = mapped_column(String(200))
    prenom_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    #: Rough French phonetic key of the surname, for spelling variants ("dupond" ~ "dupont").
    nom_phonetic: Mapped[str] = mapped_column(String(200), default="", index=True)
    date_naissance: Mapped[date | None] = mapped_column(Date)
    uai: Mapped[str] = mapped_column(
        String(8), ForeignKey("school.uai", ondelete="CASCADE"), index=True
    )
    classe: Mapped[str | None] = mapped_column(String(120))
    niveau: Mapped[str | None] = mapped_column(String(10))
    admission: Mapped[str | None] = mapped_column(String(20))
    date_modification: Mapped[datetime | None] = mapped_column(UTCDateTime)

    links: Mapped[list[PupilLink]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_maternelle(self) -> bool:
        return self.niveau in NIVEAUX_MATERNELLE


class Responsable(Base):
    """A responsable (parent, guardian or other contact) of ``responsables.csv``."""

    __tablename__ = "responsable"

    responsable_id: Mapped[str] = mapped_column(String(_ID), primary_key=True)
    civilite: Mapped[str | None] = mapped_column(String(20))
    nom: Mapped[str] = mapped_column(String(200))
    prenom: Mapped[str | None] = mapped_column(String(200))
    nom_key: Mapped[str] = mapped_column(String(200))
    prenom_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    nom_phonetic: Mapped[str] = mapped_column(String(200), default="", index=True)
    #: As written in the extraction.
    telephone_portable: Mapped[str | None] = mapped_column(String(40))
    #: E.164 when phonenumbers could read it (French numbers first, DOM included).
    telephone_portable_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    #: True when the mobile column holds a valid mobile number.
    telephone_portable_is_mobile: Mapped[bool] = mapped_column(Boolean, default=False)
    telephone_fixe: Mapped[str | None] = mapped_column(String(40))
    telephone_fixe_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    #: Stripped, lower-cased address.
    email_key: Mapped[str | None] = mapped_column(String(254), index=True)
    date_modification: Mapped[datetime | None] = mapped_column(UTCDateTime)

    links: Mapped[list[PupilLink]] = relationship(
        back_populates="responsable", cascade="all, delete-orphan", passive_deletes=True
    )


class PupilLink(Base):
    """A link between a pupil and a responsable (``liens.csv``)."""

    __tablename__ = "pupil_link"

    eleve_id: Mapped[str] = mapped_column(
        String(_ID), ForeignKey("pupil.eleve_id", ondelete="CASCADE"), primary_key=True
    )
    responsable_id: Mapped[str] = mapped_column(
        String(_ID),
        ForeignKey("responsable.responsable_id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    lien: Mapped[str | None] = mapped_column(String(30))
    #: ``None`` when the extraction left the cell empty.
    responsable_legal: Mapped[bool | None] = mapped_column(Boolean)

    pupil: Mapped[Pupil] = relationship(back_populates="links")
    responsable: Mapped[Responsable] = relationship(back_populates="links")


class Account(Base):
    """An EduConnect account (``comptes.csv``).

    ``personne_id`` is a ``responsable_id`` when ``profil`` is ``responsable`` and an
    ``eleve_id`` when it is ``eleve``; it carries no foreign key because it points to either.
    The children the account shows are in ``children`` (one :class:`AccountChild` each).
    """

    __tablename__ = "account"

    compte_id: Mapped[str] = mapped_column(String(_ID), primary_key=True)
    identifiant: Mapped[str | None] = mapped_column(String(120))
    #: Lower-cased login, for look-ups of what people type.
    identifiant_key: Mapped[str | None] = mapped_column(String(120), index=True)
    profil: Mapped[str] = mapped_column(String(20))
    personne_id: Mapped[str] = mapped_column(String(_ID), index=True)
    etat: Mapped[str | None] = mapped_column(String(30))
    origine: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    email_key: Mapped[str | None] = mapped_column(String(254), index=True)
    email_verifie: Mapped[bool | None] = mapped_column(Boolean)
    telephone: Mapped[str | None] = mapped_column(String(40))
    telephone_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    date_creation: Mapped[datetime | None] = mapped_column(UTCDateTime)
    date_notification: Mapped[datetime | None] = mapped_column(UTCDateTime)
    date_activation: Mapped[datetime | None] = mapped_column(UTCDateTime)
    date_dernier_acces: Mapped[datetime | None] = mapped_column(UTCDateTime)
    date_synchro: Mapped[datetime | None] = mapped_column(UTCDateTime)

    children: Mapped[list[AccountChild]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AccountChild.position",
    )

    @property
    def enfant_ids(self) -> list[str]:
        """The eleve_ids the account shows, in the extraction's order."""
        return [child.eleve_id for child in self.children]


class AccountChild(Base):
    """One pupil shown on an account (an item of the ``enfants`` list)."""

    __tablename__ = "account_child"

    compte_id: Mapped[str] = mapped_column(
        String(_ID), ForeignKey("account.compte_id", ondelete="CASCADE"), primary_key=True
    )
    eleve_id: Mapped[str] = mapped_column(
        String(_ID), ForeignKey("pupil.eleve_id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    account: Mapped[Account] = relationship(back_populates="children")


class Extraction(Base):
    """When each source was extracted (``extraction.csv``): "now" for time-based checks."""

    __tablename__ = "extraction"

    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    date_extraction: Mapped[datetime | None] = mapped_column(UTCDateTime)


Index("ix_pupil_nom_prenom", Pupil.nom_key, Pupil.prenom_key)
Index("ix_responsable_nom_prenom", Responsable.nom_key, Responsable.prenom_key)
#: Children described in a request are looked up by birth date (a few dozen pupils a day).
Index("ix_pupil_date_naissance", Pupil.date_naissance)
#: Requesters with a slip in both names: a surname that sounds the same, the first name's initial.
Index("ix_responsable_phonetic_prenom", Responsable.nom_phonetic, Responsable.prenom_key)
#: A school's accounts by state and origin (Comptes à surveiller, activation statistics):
#: filtered and counted from the index alone.
Index(
    "ix_account_personne_profil_etat",
    Account.personne_id,
    Account.profil,
    Account.etat,
    Account.origine,
)
