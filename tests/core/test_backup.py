"""`helpdesk db backup` and `helpdesk db restore`: everything comes back in an empty database
(tickets, messages, attachments byte for byte, articles); what would mix histories is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.core.context import ServiceContext
from helpdesk.core.db import make_engine, make_sessionmaker, session_scope
from helpdesk.core.migrate import upgrade
from tests.plugins.cli import run
from tests.plugins.database import fresh_database_url
from tests.plugins.knowledge import make_doc

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 3000


def _fill(url: str) -> dict:
    from helpdesk.knowledge.services import create_article
    from helpdesk.tickets.attachments import Upload
    from helpdesk.tickets.services import TicketInput, open_ticket

    engine = make_engine(url)
    ctx = ServiceContext(secret_key="backup-secret")
    with session_scope(make_sessionmaker(engine)) as session:
        for n, (name, data, kind) in enumerate(
            (("attestation.pdf", PDF, "application/pdf"), ("capture.png", PNG, "image/png"))
        ):
            open_ticket(
                session,
                ctx,
                None,
                TicketInput(
                    subject=f"Code SMS jamais reçu {n}",
                    body=f"Bonjour, message numéro {n} de la sauvegarde.",
                    channel="formulaire_contact",
                    requester_name="Claire Martin",
                    requester_email=f"claire.martin{n}@example.org",
                    motif="activation_sms",
                    uploads=[Upload(name, kind, data)],
                ),
            )
        create_article(session, make_doc("sauvegarde-okapi", title="Okapi de la sauvegarde"))
    engine.dispose()
    return _contents(url)


def _contents(url: str) -> dict:
    from helpdesk.knowledge.models import Article
    from helpdesk.tickets.attachments import content
    from helpdesk.tickets.models import Attachment, Message, Ticket

    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return {
                "tickets": sorted(session.scalars(select(Ticket.reference))),
                "messages": sorted(session.scalars(select(Message.body))),
                "attachments": sorted(
                    (a.filename, content(session, a.sha256))
                    for a in session.scalars(select(Attachment))
                ),
                "articles": sorted(session.scalars(select(Article.slug))),
            }
    finally:
        engine.dispose()


@pytest.fixture
def filled(cli_env):
    upgrade(cli_env)
    return cli_env, _fill(cli_env)


def test_a_backup_restored_into_an_empty_database_holds_everything(filled, tmp_path, monkeypatch):
    source_url, before = filled
    assert len(before["tickets"]) == 2 and before["articles"] == ["sauvegarde-okapi"]
    assert (("attestation.pdf", PDF) in before["attachments"]) and (
        ("capture.png", PNG) in before["attachments"]
    )
    target = tmp_path / "sauvegardes" / "helpdesk.dump"
    done = run("db", "backup", str(target))
    assert done.exit_code == 0, done.output
    assert "Sauvegarde écrite" in done.output and target.stat().st_size > len(PDF)

    empty_url = fresh_database_url(tmp_path, "restored")
    monkeypatch.setenv("HELPDESK_DATABASE_URL", empty_url)
    done = run("db", "restore", str(target))
    assert done.exit_code == 0, done.output
    assert _contents(empty_url) == before

    # The restored database is at the migrations' head and serves the attachment.
    from helpdesk.core.health import database_checks

    engine = make_engine(empty_url)
    assert all(check.ok for check in database_checks(engine))
    engine.dispose()


def test_a_restore_into_a_database_that_holds_data_is_refused(filled, tmp_path):
    source_url, before = filled
    target = tmp_path / "helpdesk.dump"
    assert run("db", "backup", str(target)).exit_code == 0
    refused = run("db", "restore", str(target))
    assert refused.exit_code != 0
    assert "n'est pas vide" in refused.output
    assert _contents(source_url) == before


def test_a_file_that_is_not_a_backup_is_refused(cli_env, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("pas une sauvegarde")
    refused = run("db", "restore", str(bogus))
    assert refused.exit_code != 0
    assert "n'est pas une sauvegarde" in refused.output
    missing = run("db", "restore", str(tmp_path / "absent.dump"))
    assert missing.exit_code != 0 and "introuvable" in missing.output


def test_the_recipe_script_writes_a_restorable_backup_and_prunes_old_ones(
    filled, tmp_path, monkeypatch
):
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.plugins.database import ROOT

    source_url, before = filled
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    stale = folder / "helpdesk-20200101T000000Z.dump"
    stale.write_bytes(b"ancienne")
    old = time.time() - 30 * 86400
    os.utime(stale, (old, old))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["sh", str(ROOT / "deploy" / "backup.sh"), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    [written] = list(folder.glob("helpdesk-*.dump"))
    assert written != stale
    empty_url = fresh_database_url(tmp_path, "restored_script")
    monkeypatch.setenv("HELPDESK_DATABASE_URL", empty_url)
    assert run("db", "restore", str(written)).exit_code == 0
    assert _contents(empty_url) == before
