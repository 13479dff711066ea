"""The reports of the service centre: each one a few tables, drawn as charts and exported.

A report is built from the grouped figures of ``queries`` into tables of French text, the
same text for the page and for the CSV file. Codes are turned into labels by the ``label``
function the caller gives (labels renamed by an admin live with the web layer).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from helpdesk.accounts.activation import Bar
from helpdesk.deflection.services import deflection_stats
from helpdesk.reports import queries
from helpdesk.reports.queries import Scope
from helpdesk.satisfaction.models import RATINGS
from helpdesk.tickets import sla
from helpdesk.tickets.models import OPEN_STATUSES, PRIORITIES, STATUSES, Ticket
from helpdesk.util.frenchdates import PARIS, SHORT_MONTHS, short_date

Label = Callable[[str, str | None], str]

#: The longest period a report covers: beyond, the figures of a year are compared instead.
MAX_PERIOD_DAYS = 3 * 366
DEFAULT_PERIOD_DAYS = 30
#: Schools shown by name in the volume report; the others are counted together.
TOP_SCHOOLS = 15
COMMENTS_SHOWN = 30


class InvalidPeriod(ValueError):
    """A period that cannot be reported on; the message is for the user, in French."""


@dataclass(frozen=True)
class Period:
    """Local days from ``first`` to ``last`` included, in the service centre's time zone."""

    first: date
    last: date

    @classmethod
    def checked(cls, first: date | None, last: date | None, today: date) -> Period:
        last = last or today
        first = first or last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if first > last:
            raise InvalidPeriod("La date de début doit précéder la date de fin.")
        if (last - first).days + 1 > MAX_PERIOD_DAYS:
            raise InvalidPeriod("La période ne peut pas dépasser trois ans.")
        return cls(first, last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=PARIS).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=PARIS).astimezone(UTC)

    def scope(self, school_id: int | None) -> Scope:
        return Scope(self.start, self.end, school_id)

    @property
    def label(self) -> str:
        return f"du {short_date(self.first)} au {short_date(self.last)}"


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    """A table of the report, and the bars of its chart when it has one."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    #: What the bars count, for the chart's own table ("Demandes", "Dans les délais"...).
    unit: str = "Demandes"
    #: The bars' total, shown under them; None when the bars are rates, not parts.
    total: int | None = None
    note: str = ""


@dataclass
class Report:
    slug: str
    title: str
    period: Period
    tables: list[Table]
    notes: list[str] = field(default_factory=list)


def percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{part / whole * 100:.1f} %".replace(".", ",")


def format_seconds(seconds: float | None) -> str:
    """A calendar duration in few words: '45 min', '3 h 20', '2 j 4 h'."""
    if seconds is None:
        return "—"
    minutes = max(0, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h" if hours else f"{days} j"
    return f"{hours} h {mins:02d}" if mins else f"{hours} h"


def _bars(counted: list[tuple[str, str, int]], total: int) -> list[Bar]:
    return [
        Bar(code, label, count, count / total if total else 0.0) for code, label, count in counted
    ]


def _count_table(key: str, title: str, heading: str, counted: list[tuple[str, str, int]]) -> Table:
    total = sum(count for _, _, count in counted)
    table = Table(key, title, [heading, "Demandes", "Part"], total=total)
    table.bars = _bars(counted, total)
    table.rows = [[label, str(count), percent(count, total)] for _, label, count in counted]
    return table


# --------------------------------------------------------------------------- volume


def _time_buckets(period: Period) -> tuple[str, Callable[[date], date], Callable[[date], str]]:
    """Days for a short period, weeks (from Monday) up to a year, months beyond."""
    if period.days <= 62:
        return "jour", (lambda d: d), short_date
    if period.days <= 366:
        return (
            "semaine",
            lambda d: d - timedelta(days=d.weekday()),
            lambda d: f"semaine du {short_date(d)}",
        )
    return "mois", (lambda d: d.replace(day=1)), lambda d: f"{SHORT_MONTHS[d.month - 1]} {d.year}"


def _over_time(session: Session, period: Period, scope: Scope) -> Table:
    unit, bucket_of, label_of = _time_buckets(period)
    counts: dict[date, int] = {}
    day = period.first
    while day <= period.last:
        counts.setdefault(bucket_of(day), 0)
        day += timedelta(days=1)
    for day, hour, count in queries.counts_by_utc_day(session, scope):
        moment = datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)
        key = bucket_of(moment.astimezone(PARIS).date())
        if key in counts:
            counts[key] += count
    counted = [(key.isoformat(), label_of(key), counts[key]) for key in sorted(counts)]
    table = _count_table("periode", f"Demandes reçues par {unit}", unit.capitalize(), counted)
    return table


def volume_report(
    session: Session, period: Period, school_id: int | None, now: datetime, label: Label
) -> Report:
    scope = period.scope(school_id)
    tables = [_over_time(session, period, scope)]
    # Nature follows from the motif (the taxonomy), so one grouping gives the three tables.
    groups = queries.counts_by(session, scope, Ticket.motif, Ticket.nature, Ticket.channel)
    for index, (key, title, heading) in enumerate(
        (
            ("motif", "Demandes par motif", "Motif"),
            ("nature", "Demandes par nature", "Nature"),
            ("channel", "Demandes par canal", "Canal"),
        )
    ):
        summed: dict[str, int] = {}
        for row in groups:
            summed[row[index]] = summed.get(row[index], 0) + row[-1]
        ordered = sorted(summed.items(), key=lambda item: (-item[1], item[0]))
        counted = [(str(code), label(key, code), count) for code, count in ordered]
        tables.append(_count_table(key, title, heading, counted))
    if school_id is None:
        schools, total = queries.counts_by_school(session, scope, TOP_SCHOOLS)
        counted = [
            (uai or "aucune", f"{name} ({uai})" if uai else "Sans école", count)
            for name, uai, count in schools
        ]
        shown = sum(count for _, _, count in counted)
        if total > shown:
            counted.append(("autres", "Autres écoles", total - shown))
        tables.append(
            _count_table(
                "ecole", f"Les {TOP_SCHOOLS} écoles qui écrivent le plus", "École", counted
            )
        )
    return Report("volume", "Volume des demandes", period, tables)


# --------------------------------------------------------------------------- delays


def _target_row(name: str, target: queries.TargetCounts, median: float | None) -> list[str]:
    return [
        name,
        str(target.tickets),
        str(target.done),
        str(target.met),
        str(target.missed),
        percent(target.met, target.done),
        str(target.overdue_open),
        format_seconds(median),
    ]


def _compliance_rows(
    grouped: dict, label_of: Callable[[object], str], order: list
) -> list[list[str]]:
    rows = []
    for key in order:
        if key not in grouped:
            continue
        first, resolution = grouped[key]
        rows.append(
            [
                label_of(key),
                str(first.tickets),
                percent(first.met, first.done),
                percent(resolution.met, resolution.done),
                str(first.overdue_open + resolution.overdue_open),
            ]
        )
    return rows


def sla_report(
    session: Session, period: Period, school_id: int | None, now: datetime, label: Label
) -> Report:
    scope = period.scope(school_id)
    # One grouping by priority and motif; the two tables and the totals are its sums.
    groups = queries.sla_counts(session, scope, now, Ticket.priority, Ticket.motif)
    by_priority = _sum_by(groups, 0)
    by_motif = _sum_by(groups, 1)
    first = _sum_targets([pair[0] for pair in by_priority.values()])
    resolution = _sum_targets([pair[1] for pair in by_priority.values()])
    first_median = queries.median_seconds(
        session, scope, Ticket.created_at, Ticket.first_response_at, first.done
    )
    resolution_median = queries.median_seconds(
        session, scope, Ticket.created_at, Ticket.resolved_at, resolution.done
    )
    summary = Table(
        "objectifs",
        "Respect des délais",
        [
            "Objectif",
            "Demandes reçues",
            "Traitées",
            "Dans les délais",
            "Hors délais",
            "Taux de respect",
            "En retard, non traitées",
            "Délai médian (calendaire)",
        ],
        unit="Dans les délais",
        note="Le taux se calcule sur les demandes traitées ; les délais comptent en heures "
        "ouvrées, selon les objectifs de chaque priorité ; les demandes en attente du "
        "demandeur ne sont pas comptées en retard.",
    )
    summary.rows = [
        _target_row("Première réponse", first, first_median),
        _target_row("Résolution", resolution, resolution_median),
    ]
    summary.bars = [
        Bar("premiere_reponse", "Première réponse", first.met, _rate(first.met, first.done)),
        Bar("resolution", "Résolution", resolution.met, _rate(resolution.met, resolution.done)),
    ]
    columns = ["", "Demandes", "Réponse dans les délais", "Résolution dans les délais", "En retard"]
    priorities = Table("priorite", "Par priorité", ["Priorité", *columns[1:]])
    priorities.rows = _compliance_rows(
        by_priority, lambda code: label("priority", str(code)), list(PRIORITIES)
    )
    _add_targets(priorities)
    motifs = Table("motif", "Par motif", ["Motif", *columns[1:]])
    order = sorted(by_motif, key=lambda code: -by_motif[code][0].tickets)
    motifs.rows = _compliance_rows(by_motif, lambda code: label("motif", str(code)), order)
    return Report(
        "delais", "Délais et respect des objectifs", period, [summary, priorities, motifs]
    )


def _add_targets(table: Table) -> None:
    """The targets of each priority beside its figures, in business time."""
    table.columns.append("Objectifs (réponse / résolution)")
    by_label = {PRIORITIES[code]: code for code in PRIORITIES}
    for row in table.rows:
        code = by_label.get(row[0])
        if code in sla.DEFAULT_TARGETS:
            first, resolution = sla.DEFAULT_TARGETS[code]
            row.append(
                f"{sla.format_business_duration(first)} / "
                f"{sla.format_business_duration(resolution)}"
            )
        else:
            row.append("—")


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _sum_targets(targets: list[queries.TargetCounts]) -> queries.TargetCounts:
    return sum(targets[1:], targets[0]) if targets else queries.TargetCounts(0, 0, 0, 0, 0)


def _sum_by(groups: dict[tuple, tuple], position: int) -> dict:
    """The groups' counts added up by one of the columns of their key."""
    summed: dict = {}
    for key, (first, resolution) in groups.items():
        if key[position] in summed:
            before = summed[key[position]]
            summed[key[position]] = (before[0] + first, before[1] + resolution)
        else:
            summed[key[position]] = (first, resolution)
    return summed


# --------------------------------------------------------------------------- backlog


def _age_labels() -> list[str]:
    bounds = list(queries.AGE_BOUNDS)
    labels = [f"Moins d'{'un jour' if bounds[0] == 1 else f'{bounds[0]} jours'}"]
    for low, high in zip(bounds, bounds[1:], strict=False):
        labels.append(f"{low} à {high} jours")
    labels.append(f"Plus de {bounds[-1]} jours")
    return labels


def backlog_report(
    session: Session, period: Period, school_id: int | None, now: datetime, label: Label
) -> Report:
    by_status = queries.backlog_by_age(session, now, school_id)
    overdue = queries.overdue_open(session, now, school_id)
    ages = _age_labels()
    totals = [sum(counts[i] for counts in by_status.values()) for i in range(len(ages))]
    total = sum(totals)
    chart = Table("age", "Demandes ouvertes par ancienneté", ["Ancienneté", "Demandes", "Part"])
    chart.rows = [[age, str(n), percent(n, total)] for age, n in zip(ages, totals, strict=True)]
    chart.bars = _bars(
        [(f"age{i}", age, n) for i, (age, n) in enumerate(zip(ages, totals, strict=True))], total
    )
    chart.total = total
    detail = Table("statut", "Par statut et ancienneté", ["Statut", *ages, "Total"])
    for status in OPEN_STATUSES:
        counts = by_status.get(status, [0] * len(ages))
        detail.rows.append([label("status", status), *map(str, counts), str(sum(counts))])
    detail.rows.append(["Total", *map(str, totals), str(total)])
    report = Report("stock", "Demandes en cours", period, [chart, detail])
    report.notes = [
        "État à l'instant : la période choisie ne s'applique pas à ce rapport.",
        f"{overdue} demande(s) ouverte(s) ont dépassé leur échéance de résolution "
        f"(hors attente du demandeur) ; {STATUSES['en_attente_demandeur'].lower()} : "
        f"{sum(by_status.get('en_attente_demandeur', []))}.",
    ]
    return report


# --------------------------------------------------------------------------- satisfaction


def satisfaction_report(
    session: Session, period: Period, school_id: int | None, now: datetime, label: Label
) -> Report:
    scope = period.scope(school_id)
    counts = queries.ratings_by_value(session, scope)
    total = sum(counts.values())
    ratings = _count_table(
        "notes",
        "Notes données",
        "Note",
        [(str(value), f"{value} – {RATINGS[value]}", counts.get(value, 0)) for value in RATINGS],
    )
    ratings.unit = "Notes"
    ratings.columns[1] = "Notes"
    comments = Table(
        "commentaires", "Derniers commentaires", ["Date", "Demande", "Motif", "Note", "Commentaire"]
    )
    for item in queries.rating_comments(session, scope, COMMENTS_SHOWN):
        comments.rows.append(
            [
                short_date(item.given_at),
                item.reference,
                label("motif", item.motif),
                str(item.rating),
                item.comment,
            ]
        )
    report = Report("satisfaction", "Satisfaction", period, [ratings, comments])
    if total:
        mean = sum(value * n for value, n in counts.items()) / total
        satisfied = counts.get(5, 0) + counts.get(4, 0)
        report.notes = [
            f"{total} note(s) ; moyenne {mean:.2f} sur 5".replace(".", ",")
            + f" ; {percent(satisfied, total)} de personnes satisfaites ou très satisfaites."
        ]
    else:
        report.notes = ["Aucune note sur la période."]
    return report


# --------------------------------------------------------------------------- deflection


def deflection_report(
    session: Session, period: Period, school_id: int | None, now: datetime, label: Label
) -> Report:
    stats = deflection_stats(session, period.start, top=10, until=period.end)
    forms = Table(
        "formulaires",
        "Articles proposés avant l'envoi, par formulaire",
        [
            "Formulaire",
            "Formulaires avec articles proposés",
            "« Répond à ma question »",
            "Taux de déflexion",
            "Demandes envoyées",
            "Part réglée par un article",
        ],
        unit="« Répond à ma question »",
    )
    for row in [*stats.channels, stats.total]:
        forms.rows.append(
            [
                "Total" if row.channel == "total" else row.label,
                str(row.forms_shown),
                str(row.forms_answered),
                percent(row.forms_answered, row.forms_shown),
                str(row.tickets_sent),
                percent(row.forms_answered, row.forms_answered + row.tickets_sent),
            ]
        )
    forms.bars = [
        Bar(row.channel, row.label, row.forms_answered, row.avoided_share or 0.0)
        for row in stats.channels
    ]
    articles = Table(
        "articles", "Articles qui ont le plus souvent répondu", ["Article", "Réponses"]
    )
    articles.rows = [[slug, str(count)] for slug, count in stats.top_articles]
    report = Report("deflexion", "Questions réglées avant l'envoi", period, [forms, articles])
    report.notes = [
        "Taux de déflexion : formulaires où une personne a indiqué qu'un article répond à sa "
        "question, parmi ceux qui ont proposé des articles. Part réglée par un article : "
        "ces réponses parmi les réponses et les demandes envoyées."
    ]
    if school_id is not None:
        report.notes.append(
            "Les formulaires ne sont pas rattachés à une école : ce rapport porte sur toute "
            "l'académie."
        )
    return report


# --------------------------------------------------------------------------- agents


def agents_report(
    session: Session, period: Period, school_id: int | None, now: datetime, label: Label
) -> Report:
    scope = period.scope(school_id)
    rows = queries.agent_rows(session, scope)
    open_now = queries.open_by_agent(session, school_id)
    table = Table(
        "agents",
        "Par agent",
        [
            "Agent",
            "Demandes attribuées",
            "Répondues",
            "Réponse dans les délais",
            "Résolues",
            "Résolution dans les délais",
            "Délai moyen de première réponse",
            "Ouvertes aujourd'hui",
        ],
        unit="Résolues",
    )
    total = sum(row.resolved for row in rows)
    table.total = total
    for row in rows:
        table.rows.append(
            [
                row.name,
                str(row.assigned),
                str(row.answered),
                percent(row.first_met, row.answered),
                str(row.resolved),
                percent(row.resolution_met, row.resolved),
                format_seconds(row.mean_first_response),
                str(open_now.get(row.user_id, 0)),
            ]
        )
    table.bars = _bars([(str(row.user_id), row.name, row.resolved) for row in rows], total)
    report = Report("agents", "Activité par agent", period, [table])
    report.notes = [
        "Demandes reçues sur la période, selon l'agent à qui elles sont attribuées "
        f"aujourd'hui. Demandes ouvertes sans agent : {open_now.get(None, 0)}."
    ]
    return report


# --------------------------------------------------------------------------- catalogue

Builder = Callable[[Session, Period, "int | None", datetime, Label], Report]

REPORTS: dict[str, tuple[str, Builder]] = {
    "volume": ("Volume des demandes", volume_report),
    "delais": ("Délais", sla_report),
    "stock": ("Demandes en cours", backlog_report),
    "satisfaction": ("Satisfaction", satisfaction_report),
    "deflexion": ("Questions réglées avant l'envoi", deflection_report),
    "agents": ("Par agent", agents_report),
}


def build_report(
    session: Session,
    slug: str,
    period: Period,
    school_id: int | None,
    label: Label,
    now: datetime | None = None,
) -> Report:
    _, builder = REPORTS[slug]
    return builder(session, period, school_id, now or datetime.now(UTC), label)


# --------------------------------------------------------------------------- export

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting like a formula.
    return "'" + text if text.startswith(_FORMULA_START) else text


def report_csv(report: Report, scope_label: str) -> str:
    """Every table of the report one after the other, for Excel: UTF-8 with a BOM, ``;``."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(report.title), _cell(report.period.label), _cell(scope_label)])
    for note in report.notes:
        writer.writerow([_cell(note)])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([_cell(table.title)])
        writer.writerow([_cell(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_cell(c) for c in row])
    return buffer.getvalue()
