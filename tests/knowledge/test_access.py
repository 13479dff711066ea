"""The article index hooks: registered by the app factory, once however often it runs."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from helpdesk.knowledge import access


def _registered() -> bool:
    return event.contains(Session, "after_commit", access._apply_committed_changes) and (
        event.contains(Session, "after_transaction_end", access._forget_changes)
    )


def test_the_app_factory_registers_the_hooks(app):
    assert _registered()


def test_registering_again_leaves_a_single_pair_of_hooks(app):
    access.keep_index_in_step()
    access.keep_index_in_step()

    event.remove(Session, "after_commit", access._apply_committed_changes)
    event.remove(Session, "after_transaction_end", access._forget_changes)
    try:
        assert not _registered()
    finally:
        access.keep_index_in_step()
    assert _registered()
