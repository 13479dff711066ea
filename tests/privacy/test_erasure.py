"""One parent across every channel: exported in full, then erased from everywhere.

The test runs on its own instance folder and database (SQLite file, or a PostgreSQL database
made for it), through HTTP and the real commands, with real commits: what it searches after
the erasure is what a disk image or a database dump would show.
"""

from __future__ import annotations

import base64
import json
import unicodedata
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from helpdesk.audit.models import AuditEntry
from helpdesk.auth.models import User
from helpdesk.classify.services import cache_dir_for, cached_corrections
from helpdesk.cli import main
from helpdesk.core.context import ServiceContext
from helpdesk.core.shared import Blob
from helpdesk.diagnostics.models import TicketDiagnosis
from helpdesk.schools.models import School
from helpdesk.tickets.models import Ticket
from helpdesk.util.text import search_key
from tests.conftest import _PASSWORD_HASH
from tests.plugins.database import fresh_database_url, is_postgres
from tests.plugins.factories import AccountData

EMAIL = "berenice.zarkolebrun@example.org"
PHONE = "06 71 82 93 04"
FIRST, LAST = "Bérénice", "Zarkolebrun"
FULL_NAME = f"{FIRST} {LAST}"
ATTACHMENT_TEXT = f"Attestation de {FULL_NAME}, {EMAIL}".encode()
#: What must be found nowhere after the erasure, in every writing the stores may use.
IDENTIFIERS = [
    EMAIL,
    "zarkolebrun",
    "berenice",
    "bérénice",
    "0671829304",
    "06 71 82 93 04",
    "06.71.82.93.04",
    "+33671829304",
    "71 82 93 04",
]


def _forms(text_value: str) -> list[bytes]:
    """The bytes under which a string may be stored: UTF-8 (NFC, NFD), Latin-1, UTF-16."""
    forms = {text_value, unicodedata.normalize("NFD", text_value)}
    out: list[bytes] = []
    for form in forms:
        out.append(form.encode("utf-8"))
        out.append(form.encode("utf-16-le"))
        try:
            out.append(form.encode("latin-1"))
        except UnicodeEncodeError:
            pass
    return out


def _needles() -> list[bytes]:
    needles: list[bytes] = []
    for identifier in IDENTIFIERS:
        for variant in {identifier, identifier.upper(), identifier.title()}:
            needles.extend(_forms(variant))
    return needles


@pytest.fixture
def instance(tmp_path_factory):
    """A whole helpdesk: instance folder, database, app; nothing shared with the suite."""
    from helpdesk import create_app
    from helpdesk.core.migrate import upgrade

    folder = tmp_path_factory.mktemp("erasure-instance")
    url = (
        fresh_database_url(folder, "erasure")
        if is_postgres()
        else f"sqlite:///{folder / 'helpdesk.core.db'}"
    )
    upgrade(url)
    app = create_app(
        {
            "INSTANCE_PATH": str(folder),
            "DATABASE_URL": url,
            "SECRET_KEY": "erasure-secret-key",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "ATTACHMENT_DIR": str(folder / "attachments"),
            "KB_INDEX_DIR": str(folder / "kb-index"),
            "PUBLIC_URL": "http://helpdesk.test",
        }
    )
    yield app, folder
    app.extensions["helpdesk_db"].engine.dispose()


def _seed(app) -> dict:
    factory = app.extensions["helpdesk_db"].session_factory
    with factory() as session:
        school = School(
            uai="0219999X",
            name="École du Lac",
            type="elementaire",
            commune="Dijon",
            search_key=search_key("École du Lac", "Dijon", "0219999X"),
        )
        session.add(school)
        session.flush()
        # An account base (somebody else): requests about accounts are diagnosed.
        base = AccountData(session)
        pupil = base.pupil(prenom="Noé", nom="Autrefamille", uai=school.uai)
        other = base.responsable(nom="Autrefamille", prenom="Paul", telephone_portable="0611111111")
        base.link(pupil, other)
        base.account(other, [pupil])
        users = {
            role: User(
                email=f"{role}@ac-test.fr",
                display_name=f"{role.title()} Test",
                role=role,
                password_hash=_PASSWORD_HASH,
                schools=[school] if role == "directeur" else [],
            )
            for role in ("admin", "agent", "directeur")
        }
        session.add_all(users.values())
        session.commit()
        return {"school_id": school.id, **{r: u.get_id() for r, u in users.items()}}


def _login(client, user_key: str) -> None:
    """Sign in as the user: a server-side session, and the cookie that names it."""
    from helpdesk.auth.sessions import open_login_session

    with client.application.extensions["helpdesk_db"].session_factory() as session:
        token = open_login_session(session, session.get(User, int(user_key.split(":")[0])))
        session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user_key
        sess["_fresh"] = True
        sess["sid"] = token


def _ticket(app, **where) -> Ticket:
    with app.extensions["helpdesk_db"].session_factory() as session:
        return session.scalars(select(Ticket).filter_by(**where).order_by(Ticket.id)).first()


def _raw_mail() -> bytes:
    message = EmailMessage()
    message["From"] = f"{FULL_NAME} <{EMAIL}>"
    message["To"] = "assistance@ac-demo.fr"
    message["Subject"] = "Toujours pas de code pour activer le compte"
    message["Message-ID"] = "<zarko-1@example.org>"
    message.set_content(
        f"Bonjour,\nJe suis {FULL_NAME}, mon numéro est le {PHONE}.\n"
        "Je ne reçois pas le code d'activation. Ci-joint l'attestation.\n"
    )
    message.add_attachment(
        ATTACHMENT_TEXT, maintype="text", subtype="plain", filename="attestation-zarkolebrun.txt"
    )
    return message.as_bytes()


def _build_the_parent(app) -> dict:
    ids = _seed(app)
    runner = app.test_cli_runner()
    assert runner.invoke(main, args=["kb", "import"]).exit_code == 0
    public = app.test_client()

    # Contact form, with the articles proposed while typing.
    suggest = public.post(
        "/contact/articles",
        data={
            "subject": f"code sms {FULL_NAME}",
            "message": "je ne reçois pas le code",
            "deflection_key": "zarkoKey1234AB",
        },
    )
    assert suggest.status_code == 200
    sent = public.post(
        "/contact",
        data={
            "requester_kind": "parent",
            "last_name": LAST,
            "first_name": FIRST,
            "email": EMAIL,
            "phone": PHONE,
            "child_first_name": "Timéo",
            "subject": f"Code SMS jamais reçu – {FULL_NAME}",
            "message": f"Bonjour, je suis {FULL_NAME} et je ne reçois pas le code SMS "
            f"d'activation sur le {PHONE}. Merci.",
        },
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:500]
    contact = _ticket(app, requester_email=EMAIL, channel="formulaire_contact")

    # E-mail with an attachment, through the MTA's entry point.
    ingest = runner.invoke(main, args=["mail", "ingest"], input=_raw_mail())
    assert ingest.exit_code == 0, ingest.output
    worked = runner.invoke(main, args=["worker", "--once", "--no-fetch"])
    assert worked.exit_code == 0, worked.output

    # The director's request naming the parent.
    director = app.test_client()
    _login(director, ids["directeur"])
    filed = director.post(
        "/demandes/nouvelle",
        data={
            "type_demande": "demande_conseil",
            "nature": "EDUCONNECT",
            "school": str(ids["school_id"]),
            "subject": "Compte d'une maman bloqué",
            "description": f"Mme {FULL_NAME} ({EMAIL}, {PHONE}) n'arrive pas à activer son "
            "compte EduConnect, pouvez-vous regarder ?",
            "concerned": FULL_NAME,
        },
    )
    assert filed.status_code == 302, filed.get_data(as_text=True)[:500]
    directors = _ticket(app, channel="portail_directeur")

    # Agent: views (audit), diagnosis, labels confirmed (training text), a reply (outbox).
    agent = app.test_client()
    _login(agent, ids["agent"])
    for ticket in (contact, directors):
        assert agent.get(f"/tickets/{ticket.reference}").status_code == 200
        diagnosed = agent.post(
            f"/tickets/{ticket.reference}/diagnostic",
            data={"diag-nom": LAST, "diag-prenom": FIRST, "diag-email": EMAIL},
        )
        assert diagnosed.status_code == 302, diagnosed.get_data(as_text=True)[:300]
        assert agent.get(f"/tickets/{ticket.reference}/diagnostic").status_code == 200
    assert (
        agent.post(
            f"/tickets/{contact.reference}/qualifier",
            data={
                "labels-type_demande": "demande_conseil",
                "labels-nature": "EDUCONNECT",
                "labels-motif": "activation_sms",
            },
        ).status_code
        == 302
    )
    reply = agent.post(
        f"/tickets/{contact.reference}/repondre",
        data={"reply-body": f"Bonjour {FULL_NAME}, nous regardons votre numéro {PHONE}."},
    )
    assert reply.status_code == 302

    # The parent answers on the tracking page.
    ctx = ServiceContext.from_config(app.config)
    tracking = ctx.tracking_url(contact.id, contact.reference).removeprefix(ctx.public_url)
    answered = public.post(tracking, data={"body": f"Merci, c'est bien le {PHONE}, {FULL_NAME}."})
    assert answered.status_code in (302, 303), answered.get_data(as_text=True)[:500]

    # The categoriser learns from the confirmed labels.
    assert runner.invoke(main, args=["classify", "--retrain"], input="").exit_code == 0
    return ids | {"contact": contact.reference, "directors": directors.reference}


def _rows_holding(app, needles: list[str]) -> list[str]:
    """Every table, every row, as text: which ones hold one of the needles."""
    engine = app.extensions["helpdesk_db"].engine
    found = []
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            tables = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            ).scalars()
        else:
            tables = inspect(conn).get_table_names()
        for table in list(tables):
            if engine.dialect.name == "sqlite":
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                values = [repr(tuple(row)).lower() for row in rows]
            else:
                values = [
                    str(v).lower()
                    for v in conn.execute(text(f'SELECT t::text FROM "{table}" t')).scalars()
                ]
            for value in values:
                hit = next((n for n in needles if n.lower() in value), None)
                if hit:
                    found.append(f"{table}: {hit}: {value[:300]}")
    return found


def _files_holding(folder: Path) -> list[str]:
    needles = _needles()
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        content = path.read_bytes()
        lowered = content.lower()
        for needle in needles:
            if needle in content or needle.lower() in lowered:
                found.append(f"{path.relative_to(folder)}: {needle!r}")
                break
    return found


def test_a_parent_is_exported_in_full_then_erased_from_everywhere(instance, tmp_path):
    app, folder = instance
    built = _build_the_parent(app)
    runner = app.test_cli_runner()
    factory = app.extensions["helpdesk_db"].session_factory
    with factory() as session:
        assert session.scalar(select(TicketDiagnosis.id)) is not None
        assert session.scalar(select(AuditEntry.id).where(AuditEntry.ticket_id.is_not(None)))
    # The stores do hold the parent before: the searches below can fail.
    assert _rows_holding(app, [EMAIL, LAST.lower()])
    assert any(LAST in c[0] + c[1] for c in cached_corrections(cache_dir_for(app.config)))
    with factory() as session:
        assert ATTACHMENT_TEXT in session.scalars(select(Blob.data)).all()

    # Export: one JSON object with every piece.
    output = tmp_path / "export.json"
    exported = runner.invoke(main, args=["person", "export", EMAIL, "--output", str(output)])
    assert exported.exit_code == 0, exported.output
    data = json.loads(output.read_text())
    roles = {d["reference"]: d["role"] for d in data["demandes"]}
    assert roles[built["contact"]] == "demandeur"
    assert roles[built["directors"]] == "mentionné"
    assert sum(1 for r in roles.values() if r == "demandeur") == 2  # form + e-mail
    bodies = "\n".join(m["body"] for m in data["messages"])
    assert "je ne reçois pas le code SMS" in bodies  # the form
    assert "Ci-joint l'attestation" in bodies  # the e-mail
    assert f"Merci, c'est bien le {PHONE}" in bodies  # the tracking reply
    assert "nous regardons votre numéro" in bodies  # the agent's reply
    assert "n'arrive pas à activer son" in bodies  # the director's mention
    [attachment] = data["pieces_jointes"]
    assert base64.b64decode(attachment["content_base64"]) == ATTACHMENT_TEXT
    assert any("zarko-1@example.org" in m["raw"] for m in data["courriels_recus"])
    assert any(m["to_address"] == EMAIL for m in data["courriels_envoyes"])
    assert {e["ticket"] for e in data["journal_des_acces"]} >= {
        built["contact"],
        built["directors"],
    }
    assert {d["ticket"] for d in data["diagnostics"]} >= {built["contact"]}
    by_phone = runner.invoke(main, args=["person", "export", "+33 6 71 82 93 04"])
    assert by_phone.exit_code == 0
    assert {d["reference"] for d in json.loads(by_phone.output)["demandes"]} == set(roles)

    # Erasure.
    erased = runner.invoke(main, args=["person", "erase", EMAIL, "--yes"])
    assert erased.exit_code == 0, erased.output
    app.extensions["helpdesk_db"].engine.dispose()

    leftovers = _rows_holding(app, IDENTIFIERS)
    assert leftovers == [], leftovers
    assert _files_holding(folder) == []
    with factory() as session:
        assert ATTACHMENT_TEXT not in session.scalars(select(Blob.data)).all()
    assert all(
        LAST.lower() not in (c[0] + c[1]).lower()
        for c in cached_corrections(cache_dir_for(app.config))
    )
    agent = app.test_client()
    _login(agent, built["agent"])
    for query in (LAST, EMAIL, "0671829304"):
        page = agent.get("/tickets", query_string={"q": query}).get_data(as_text=True)
        assert built["contact"] not in page and built["directors"] not in page
    # The article index and the categoriser's cache were among the files searched.
    assert [p for p in (folder / "kb-index").rglob("*") if p.is_file()]
    assert [p for p in cache_dir_for(app.config).rglob("*") if p.is_file()]
    with factory() as session:
        journal = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
    assert "adresse électronique" in journal.detail
    # The requests stay counted, the director's request stays readable.
    assert _ticket(app, reference=built["contact"]).anonymised_at is not None
    kept = _ticket(app, reference=built["directors"])
    assert kept.anonymised_at is None and kept.subject == "Compte d'une maman bloqué"
    assert "[donnée effacée]" in kept.concerned_person
    assert runner.invoke(main, args=["person", "erase", EMAIL, "--yes"]).exit_code == 1
    assert runner.invoke(main, args=["person", "export", EMAIL]).exit_code == 1
