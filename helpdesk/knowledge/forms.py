from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from helpdesk.knowledge.articles import AUDIENCES, STATUSES, ArticleDoc, Source
from helpdesk.tickets.forms import choices
from helpdesk.tickets.taxonomy import MOTIFS
from helpdesk.util.text import search_key


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def slugify(text: str) -> str:
    return "-".join(search_key(text).split())[:120].strip("-")


def split_tags(text: str | None) -> tuple[str, ...]:
    tags = (tag.strip().lower() for tag in re.split(r"[,;\n]", text or ""))
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def split_sources(text: str | None) -> tuple[Source, ...]:
    """Sources typed one per line as `file | passage` (a line without a bar is kept whole, so
    that validation names it)."""
    sources = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        seed, _bar, passage = line.partition("|")
        sources.append(Source(seed.strip(), passage.strip()))
    return tuple(sources)


class ArticleForm(FlaskForm):
    title = StringField("Titre", validators=[DataRequired("Indiquez un titre."), Length(max=200)])
    slug = StringField(
        "Identifiant dans l'adresse",
        validators=[Optional(), Length(max=120)],
        description="Lettres minuscules sans accent, chiffres et tirets. "
        "Laissez vide pour le déduire du titre. Il ne change plus ensuite.",
    )
    summary = StringField(
        "Résumé",
        validators=[DataRequired("Écrivez un résumé d'une phrase."), Length(max=500)],
        description="Une phrase, montrée dans les résultats de recherche.",
    )
    audiences = CheckboxesField(
        "Publics", choices=choices(AUDIENCES), validators=[DataRequired("Choisissez un public.")]
    )
    motifs = CheckboxesField(
        "Motifs", choices=choices(MOTIFS), validators=[DataRequired("Choisissez un motif.")]
    )
    tags = StringField(
        "Mots-clés",
        validators=[Optional(), Length(max=500)],
        description="Séparés par des virgules, par exemple : sms, activation, portable.",
    )
    body = TextAreaField(
        "Texte de l'article (Markdown)",
        validators=[DataRequired("Écrivez le texte de l'article."), Length(max=100_000)],
        description="## pour un intertitre, **gras**, listes avec - ou 1. ; "
        "lien vers un autre article : [texte](autre-article.md).",
    )
    sources = TextAreaField(
        "Sources",
        validators=[Optional(), Length(max=50_000)],
        description="Les passages des documents de référence sur lesquels repose l'article, "
        "un par ligne : nom du fichier, une barre verticale, puis le passage recopié mot pour "
        "mot. Exemple : 000_56091cbdd3bbe7de.txt | Les synchronisations ont lieu toutes les nuits.",
    )
    status = RadioField("État", choices=choices(STATUSES), default="draft")
    reviewed = DateField(
        "Relu le",
        validators=[DataRequired("Indiquez la date de relecture (JJ/MM/AAAA).")],
        description="Date à laquelle le contenu a été vérifié.",
    )
    note = StringField(
        "Note de version",
        validators=[Optional(), Length(max=200)],
        description="Ce qui change, en quelques mots (visible dans l'historique).",
    )
    revision = HiddenField()

    def fill_from(self, doc: ArticleDoc) -> None:
        self.title.data = doc.title
        self.slug.data = doc.slug
        self.summary.data = doc.summary
        self.audiences.data = list(doc.audiences)
        self.motifs.data = list(doc.motifs)
        self.tags.data = ", ".join(doc.tags)
        self.body.data = doc.body
        self.sources.data = "\n".join(f"{s.seed} | {s.passage}" for s in doc.sources)
        self.status.data = doc.status
        self.reviewed.data = doc.reviewed

    def to_doc(self, slug: str) -> ArticleDoc:
        return ArticleDoc(
            slug=slug,
            title=self.title.data or "",
            audiences=tuple(self.audiences.data or ()),
            motifs=tuple(self.motifs.data or ()),
            tags=split_tags(self.tags.data),
            status=self.status.data or "draft",
            reviewed=self.reviewed.data,
            summary=self.summary.data or "",
            body=self.body.data or "",
            sources=split_sources(self.sources.data),
        )

    def expected_revision(self) -> int | None:
        value = (self.revision.data or "").strip()
        return int(value) if value.isdigit() else None
