"""The reports' figures on a small académie whose answers are known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from helpdesk.deflection.models import DeflectionEvent
from helpdesk.reports.services import InvalidPeriod, Period, build_report, format_seconds
from helpdesk.satisfaction.models import SatisfactionRating
from helpdesk.tickets import sla
from helpdesk.tickets.labels import label_for
from helpdesk.tickets.models import Ticket

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
PERIOD = Period(date(2026, 3, 2), date(2026, 3, 6))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Known:
    schools: list
    agents: list
    tickets: dict[str, Ticket]


@pytest.fixture
def known(db_session, make_school, make_user, make_ticket) -> Known:
    """Seven tickets, two schools, two agents, three ratings and four forms."""
    ecole, autre = make_school(), make_school()
    anne, bruno = make_user("agent"), make_user("agent")

    def ticket(created, school=ecole, **values):
        channel = values.pop("channel", "formulaire_contact")
        t = make_ticket(created_at=utc(created), school_id=school.id, channel=channel)
        for name, value in values.items():
            setattr(t, name, value)
        return t

    tickets = {
        # Monday 2 March, 9:00 in Paris: answered after 1 h and resolved after 2 h.
        "t1": ticket(
            "2026-03-02T08:00",
            first_response_at=utc("2026-03-02T09:00"),
            resolved_at=utc("2026-03-02T10:00"),
            status="resolu",
            assignee_id=anne.id,
        ),
        # Answered after 3 h, resolved 18 days later: past the five working days.
        "t2": ticket(
            "2026-03-02T08:00",
            motif="enfant_manquant",
            first_response_at=utc("2026-03-02T11:00"),
            resolved_at=utc("2026-03-20T08:00"),
            status="resolu",
            assignee_id=anne.id,
        ),
        # Answered two days later (past the working day), still open and overdue.
        "t3": ticket(
            "2026-03-03T09:00",
            first_response_at=utc("2026-03-05T09:00"),
            status="en_cours",
            assignee_id=bruno.id,
        ),
        # Never answered, past both targets.
        "t4": ticket("2026-03-04T09:00"),
        # Thursday 5 March at 0:30 in Paris, still the 4th in UTC; waiting for the requester.
        "t6": ticket(
            "2026-03-04T23:30", school=autre, channel="email", status="en_attente_demandeur"
        ),
        # Outside the period.
        "t5": ticket("2026-02-10T09:00"),
        "t7": ticket("2026-03-19T14:00"),
    }
    db_session.add_all(
        [
            SatisfactionRating(
                ticket_id=tickets["t1"].id,
                rating=5,
                comment="Merci, réglé en une heure",
                created_at=utc("2026-03-03T10:00"),
            ),
            SatisfactionRating(
                ticket_id=tickets["t2"].id, rating=2, comment="", created_at=utc("2026-03-04T10:00")
            ),
            SatisfactionRating(
                ticket_id=tickets["t3"].id, rating=4, created_at=utc("2026-03-10T10:00")
            ),
        ]
    )
    for key, audience, outcome, when in (
        ("k1" * 8, "parent", "shown", "2026-03-03T10:00"),
        ("k1" * 8, "parent", "answered", "2026-03-03T10:01"),
        ("k2" * 8, "parent", "shown", "2026-03-04T10:00"),
        ("k3" * 8, "directeur", "shown", "2026-03-05T10:00"),
        ("k4" * 8, "parent", "shown", "2026-02-01T10:00"),
    ):
        db_session.add(
            DeflectionEvent(
                created_at=utc(when),
                audience=audience,
                form_key=key,
                query="code sms",
                article_slug="code-sms-non-recu",
                outcome=outcome,
            )
        )
    db_session.flush()
    return Known([ecole, autre], [anne, bruno], tickets)


def report(db_session, slug, school=None):
    return build_report(db_session, slug, PERIOD, school.id if school else None, label_for, now=NOW)


def table(result, key):
    return next(t for t in result.tables if t.key == key)


def rows(result, key):
    return {row[0]: row[1:] for row in table(result, key).rows}


def test_volume_counts_the_period_by_local_day_motif_channel_and_school(db_session, known):
    result = report(db_session, "volume")
    days = {bar.code: bar.count for bar in table(result, "periode").bars}
    assert days == {
        "2026-03-02": 2,
        "2026-03-03": 1,
        "2026-03-04": 1,
        "2026-03-05": 1,
        "2026-03-06": 0,
    }
    assert rows(result, "motif") == {
        label_for("motif", "activation_sms"): ["4", "80,0 %"],
        label_for("motif", "enfant_manquant"): ["1", "20,0 %"],
    }
    assert rows(result, "channel") == {
        "Formulaire de contact": ["4", "80,0 %"],
        "Courriel": ["1", "20,0 %"],
    }
    ecole, autre = known.schools
    assert rows(result, "ecole") == {
        f"{ecole.name} ({ecole.uai})": ["4", "80,0 %"],
        f"{autre.name} ({autre.uai})": ["1", "20,0 %"],
    }
    assert table(result, "motif").total == 5

    one_school = report(db_session, "volume", ecole)
    assert table(one_school, "channel").total == 4
    assert "ecole" not in {t.key for t in one_school.tables}


def test_delays_count_targets_met_and_read_medians(db_session, known):
    result = report(db_session, "delais")
    summary = rows(result, "objectifs")
    # Received, done, met, missed, rate, overdue and not done, median.
    assert summary["Première réponse"] == ["5", "3", "2", "1", "66,7 %", "1", "3 h"]
    assert summary["Résolution"] == ["5", "2", "1", "1", "50,0 %", "2", "9 j 1 h"]
    assert rows(result, "motif")[label_for("motif", "enfant_manquant")] == [
        "1",
        "100,0 %",
        "0,0 %",
        "0",
    ]
    assert rows(result, "priorite")["Normale"][:4] == ["5", "66,7 %", "50,0 %", "3"]


def test_delays_agree_with_the_sla_functions(db_session, known):
    """Met and missed targets are those ``sla.SlaState.compute`` calls ok and breached."""
    in_period = [known.tickets[k] for k in ("t1", "t2", "t3", "t4", "t6")]
    expected = {}
    for name, done, due in (
        ("Première réponse", "first_response_at", "first_response_due_at"),
        ("Résolution", "resolved_at", "resolution_due_at"),
    ):
        states = [
            sla.SlaState.compute(getattr(t, due), NOW, done_at=getattr(t, done))
            for t in in_period
            if getattr(t, done) is not None
        ]
        expected[name] = [
            str(len(states)),
            str(sum(s.status == "ok" for s in states)),
            str(sum(s.status == "breached" for s in states)),
        ]
    summary = rows(report(db_session, "delais"), "objectifs")
    assert {name: values[1:4] for name, values in summary.items()} == expected


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(db_session, known, make_ticket):
    extra = make_ticket(created_at=utc("2026-03-06T08:00"), school_id=known.schools[0].id)
    extra.first_response_at = utc("2026-03-06T13:00")
    db_session.flush()
    summary = rows(report(db_session, "delais"), "objectifs")
    assert summary["Première réponse"][1] == "4"
    assert summary["Première réponse"][-1] == "4 h"  # (3 h + 5 h) / 2


def test_backlog_counts_open_tickets_by_age_whatever_the_period(db_session, known):
    result = report(db_session, "stock")
    detail = rows(result, "statut")
    ages = table(result, "statut").columns[1:-1]
    assert ages[0] == "Moins d'un jour" and ages[-1] == "Plus de 30 jours"
    assert detail["Nouveau"] == ["1", "0", "0", "0", "1", "1", "3"]
    assert detail["En cours"] == ["0", "0", "0", "0", "1", "0", "1"]
    assert detail["En attente du demandeur"] == ["0", "0", "0", "0", "1", "0", "1"]
    assert detail["Total"] == ["1", "0", "0", "0", "3", "1", "5"]
    # t3, t4 and t5 are past their resolution date; t6 waits for its requester, t7 is new.
    assert result.notes[1].startswith("3 demande(s) ouverte(s) ont dépassé")


def test_satisfaction_counts_the_ratings_given_in_the_period(db_session, known):
    result = report(db_session, "satisfaction")
    assert {bar.code: bar.count for bar in table(result, "notes").bars} == {
        "5": 1,
        "4": 0,
        "3": 0,
        "2": 1,
        "1": 0,
    }
    assert result.notes == [
        "2 note(s) ; moyenne 3,50 sur 5 ; 50,0 % de personnes satisfaites ou très satisfaites."
    ]
    comments = table(result, "commentaires").rows
    assert comments == [
        [
            "3 mars 2026",
            known.tickets["t1"].reference,
            label_for("motif", "activation_sms"),
            "5",
            "Merci, réglé en une heure",
        ]
    ]
    other = report(db_session, "satisfaction", known.schools[1])
    assert other.notes == ["Aucune note sur la période."]


def test_deflection_counts_forms_of_the_period(db_session, known):
    result = report(db_session, "deflexion")
    forms = rows(result, "formulaires")
    assert forms["Formulaire de contact (parents, élèves)"] == [
        "2",
        "1",
        "50,0 %",
        "4",
        "20,0 %",
    ]
    assert forms["Portail des directeurs"] == ["1", "0", "0,0 %", "0", "—"]
    assert rows(result, "articles") == {"code-sms-non-recu": ["1"]}


def test_agents_report_counts_each_agents_tickets(db_session, known):
    anne, bruno = known.agents
    result = report(db_session, "agents")
    by_agent = rows(result, "agents")
    assert by_agent[anne.display_name] == ["2", "2", "100,0 %", "2", "50,0 %", "2 h", "0"]
    assert by_agent[bruno.display_name] == ["1", "1", "0,0 %", "0", "—", "2 j", "1"]
    assert result.notes[0].endswith("Demandes ouvertes sans agent : 4.")


def test_periods_are_checked():
    today = date(2026, 3, 20)
    assert Period.checked(None, None, today) == Period(date(2026, 2, 19), today)
    with pytest.raises(InvalidPeriod, match="précéder"):
        Period.checked(date(2026, 3, 2), date(2026, 3, 1), today)
    with pytest.raises(InvalidPeriod, match="trois ans"):
        Period.checked(date(2020, 1, 1), today, today)
    # Local days: the period starts at midnight in Paris (23:00 UTC the day before in winter).
    assert PERIOD.start == datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    assert PERIOD.end - PERIOD.start == timedelta(days=5)


def test_durations_are_written_in_few_words():
    assert format_seconds(None) == "—"
    assert format_seconds(44 * 60) == "44 min"
    assert format_seconds(3 * 3600) == "3 h"
    assert format_seconds(3 * 3600 + 20 * 60) == "3 h 20"
    assert format_seconds(2 * 86400 + 3600) == "2 j 1 h"
