"""Every file of the shared real-mail corpus goes through the parser without harm."""

from __future__ import annotations

import pytest

from helpdesk.mail.inbound.parsing import ParsedMail, parse_message
from helpdesk.mail.inbound.quotes import split_reply
from tests.plugins.database import SHARED

# CI lays the repository out with shared/ beside it.
CORPUS = SHARED / "corpus" / "emails" / "real"

CORPUS_FILES = sorted(CORPUS.glob("*.eml")) if CORPUS.is_dir() else []
# Body-only fragments (tag BODY in the corpus' SOURCES.md): no header at all.
BODY_PREFIXES = ("crisp-erp__", "discourse-ert__", "willdurand-erp__")
NOT_MAIL = {"spamscope-mailparser__mail_outlook_1.eml"}  # an Outlook .msg file


def _is_body_fragment(name: str) -> bool:
    return name.startswith(BODY_PREFIXES)


def test_corpus_is_present():
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    assert len(CORPUS_FILES) >= 70
    assert sum(_is_body_fragment(path.name) for path in CORPUS_FILES) == 10


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_corpus_file_parses_safely(path):
    raw = path.read_bytes()
    mail = parse_message(raw)

    assert isinstance(mail, ParsedMail)
    assert mail.raw == raw
    if _is_body_fragment(path.name) or path.name in NOT_MAIL:
        assert mail.is_unparseable
        assert mail.error
        return
    assert not mail.is_unparseable, mail.error
    assert "\x00" not in mail.text
    assert mail.date is None or mail.date.tzinfo is not None
    assert "<script" not in mail.html_sanitised.lower()
    for attachment in mail.attachments:
        assert attachment.filename
        assert "/" not in attachment.filename and "\\" not in attachment.filename
        assert ".." not in attachment.filename
        assert all(ch.isprintable() for ch in attachment.filename)
    for message_id in [mail.message_id, mail.in_reply_to, *mail.references]:
        assert message_id is None or (message_id.startswith("<") and message_id.endswith(">"))


@pytest.mark.parametrize(
    "path", [p for p in CORPUS_FILES if _is_body_fragment(p.name)], ids=lambda path: path.name
)
def test_corpus_body_fragment_splits(path):
    new_text, quoted, _ = split_reply(path.read_bytes().decode("utf-8"))

    assert new_text.strip()
    assert quoted.strip()
    assert not any(line.lstrip().startswith(">") for line in new_text.splitlines())
