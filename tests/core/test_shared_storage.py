"""What several nodes share through the database: attachments (moved in from the instance
folder by a migration), the article index's generation, the retrained categoriser."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.core import shared
from helpdesk.core.db import make_engine, make_sessionmaker, session_scope
from helpdesk.core.migrate import upgrade
from tests.plugins.database import fresh_database_url
from tests.plugins.knowledge import make_doc


def test_attachment_files_move_into_the_database_on_upgrade(tmp_path):
    from helpdesk.tickets.models import Attachment, Ticket

    url = fresh_database_url(tmp_path, "move_files")
    upgrade(url, "0021_diagnosis_due")
    folder = tmp_path / "attachments"
    kept = b"%PDF-1.4 attestation"
    corrupted = b"texte d'origine"
    digests = {
        "kept": hashlib.sha256(kept).hexdigest(),
        "missing": hashlib.sha256(b"jamais ecrit").hexdigest(),
        "corrupted": hashlib.sha256(corrupted).hexdigest(),
    }
    for name, data in (("kept", kept), ("corrupted", b"autre contenu")):
        path = folder / digests[name][:2] / digests[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        ticket = Ticket(
            reference="2026-000001",
            subject="Attestation",
            type_demande="demande_logicielle",
            nature="EDUCONNECT",
            motif="activation_sms",
            channel="email",
            requester_name="Claire Martin",
            requester_email="claire.martin@example.org",
        )
        session.add(ticket)
        session.flush()
        for name, digest in digests.items():
            session.add(
                Attachment(
                    ticket_id=ticket.id,
                    filename=f"{name}.pdf",
                    content_type="application/pdf",
                    size=10,
                    sha256=digest,
                )
            )
    engine.dispose()

    upgrade(url, attachment_dir=str(folder))

    engine = make_engine(url)
    with Session(engine) as session:
        assert shared.read(session, digests["kept"]) == kept
        # A file that is gone, or no longer what its digest says, is not made up.
        assert shared.read(session, digests["missing"]) is None
        assert shared.read(session, digests["corrupted"]) is None
    engine.dispose()


@pytest.fixture
def two_apps(tmp_path):
    """Two apps on one database, each with an instance folder (index, model) of its own."""
    from helpdesk import create_app

    url = fresh_database_url(tmp_path, "two_apps")
    upgrade(url)
    apps = []
    for name in ("a", "b"):
        folder = tmp_path / name
        apps.append(
            create_app(
                {
                    "INSTANCE_PATH": str(folder),
                    "DATABASE_URL": url,
                    "SECRET_KEY": "two-apps-secret",
                    "TESTING": True,
                    "WTF_CSRF_ENABLED": False,
                    "RATELIMIT_ENABLED": False,
                    "KB_INDEX_DIR": str(folder / "kb-index"),
                    "KB_SYNC_SECONDS": 0,
                    "CLASSIFY_ENABLED": False,
                }
            )
        )
    yield apps
    for app in apps:
        app.extensions["helpdesk_db"].engine.dispose()


def _faq_hits(app, words: str) -> list[str]:
    html = app.test_client().get(f"/faq?q={words}").get_data(as_text=True)
    return re.findall(r'<h2 class="fr-h6 fr-mb-1v"><a href="/faq/([a-z0-9-]+)"', html)


def test_an_article_changed_through_one_app_is_found_through_the_other(two_apps):
    from helpdesk.knowledge import services
    from helpdesk.knowledge.access import article_index, indexed_generation
    from helpdesk.knowledge.models import Article

    first, second = two_apps
    # Both indexes exist before the change: the second has to notice it.
    assert _faq_hits(first, "ornithorynque") == [] == _faq_hits(second, "ornithorynque")
    factory = first.extensions["helpdesk_db"].session_factory
    with first.app_context(), session_scope(factory) as session:
        doc = make_doc("ornithorynque", title="Ornithorynque et code SMS")
        services.create_article(session, doc)
    assert _faq_hits(first, "ornithorynque") == ["ornithorynque"]
    assert _faq_hits(second, "ornithorynque") == ["ornithorynque"]

    factory = second.extensions["helpdesk_db"].session_factory
    with second.app_context(), session_scope(factory) as session:
        article = session.scalar(select(Article).where(Article.slug == "ornithorynque"))
        edited = make_doc("ornithorynque", title="Tamanoir et code SMS")
        services.update_article(session, article, edited, expected_revision=article.revision)
    assert _faq_hits(first, "tamanoir") == ["ornithorynque"]
    assert _faq_hits(first, "ornithorynque") == []

    with second.app_context(), session_scope(factory) as session:
        article = session.scalar(select(Article).where(Article.slug == "ornithorynque"))
        services.delete_article(session, article)
    assert _faq_hits(first, "tamanoir") == []
    with first.app_context():
        path = article_index(first).path
    # The folder records the generation it reflects: three changes, three generations.
    assert indexed_generation(path) == 3


def test_a_change_rolled_back_leaves_every_index_as_it_was(two_apps):
    from helpdesk.knowledge import services
    from helpdesk.knowledge.access import database_generation

    first, second = two_apps
    factory = first.extensions["helpdesk_db"].session_factory
    with first.app_context(), factory() as session:
        services.create_article(session, make_doc("pangolin", title="Pangolin"))
        session.rollback()
    assert database_generation(second) == 0
    assert _faq_hits(second, "pangolin") == [] == _faq_hits(first, "pangolin")


CORRECTION = (
    "Cantine",
    "le paiement de la cantine en ligne ne marche pas",
    "demande_logicielle",
    "TELESERVICES",
    "teleservices",
)


def test_a_categoriser_retrained_on_one_node_is_used_by_the_other(tmp_path):
    from helpdesk.classify.services import cached_corrections, classifier_for, retrain_shared

    url = fresh_database_url(tmp_path, "shared_model")
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    node_a, node_b = tmp_path / "a", tmp_path / "b"
    predict_b = classifier_for(
        {"CLASSIFY_CACHE_DIR": str(node_b), "CLASSIFY_SYNC_SECONDS": 0}, factory
    )
    alone = classifier_for(
        {"CLASSIFY_CACHE_DIR": str(tmp_path / "alone"), "CLASSIFY_SYNC_SECONDS": 0}
    )
    predict_b("Cantine", CORRECTION[1])
    assert cached_corrections(node_b) == []

    outcome = retrain_shared(factory, node_a, [CORRECTION])
    assert outcome.replaced

    predict_b("Cantine", CORRECTION[1])  # the next call looks for a newer model
    assert cached_corrections(node_b) == [CORRECTION]
    assert predict_b.cache_dir == node_b
    assert predict_b._model.digest == outcome.classifier.digest
    # A process that does not follow the database keeps its own model.
    alone("Cantine", CORRECTION[1])
    assert cached_corrections(tmp_path / "alone") == []
    engine.dispose()
