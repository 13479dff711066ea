"""The demo's canned replies rest on passages of the service's documents."""

from __future__ import annotations

import re

import pytest

from helpdesk.demo.canned_replies import CANNED_REPLIES, REPLIES
from helpdesk.knowledge.articles import source_problems
from helpdesk.knowledge.sources import missing_passages
from helpdesk.tickets.canned import PLACEHOLDERS


@pytest.mark.parametrize("reply", REPLIES, ids=lambda r: r.title)
def test_reply_records_its_sources_and_each_is_found(reply):
    assert reply.sources, f"{reply.title} : aucune source"
    assert source_problems(reply.sources) == []
    assert missing_passages(reply.sources) == []


@pytest.mark.parametrize("reply", REPLIES, ids=lambda r: r.title)
def test_reply_uses_only_known_placeholders_and_no_literal_contact(reply):
    assert set(re.findall(r"\{([a-z_]+)\}", reply.body)) <= set(PLACEHOLDERS)
    assert not re.search(r"\b0\d([ .]?\d\d){4}\b", reply.body)
    assert "@" not in reply.body


@pytest.mark.parametrize("reply", REPLIES, ids=lambda r: r.title)
def test_reply_promises_no_delay_the_documents_contradict(reply):
    assert not re.search(r"(sous|en|dans les) 48 ?h", reply.body, re.I)
    assert "fusionn" not in reply.body.lower()


def test_builder_shape_follows_the_replies():
    assert CANNED_REPLIES == tuple((r.motif, r.title, r.body) for r in REPLIES)
