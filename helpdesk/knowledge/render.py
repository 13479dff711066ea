"""Article Markdown to safe HTML (markdown-it-py, then nh3) and to plain text for indexing."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
        "ul", "ol", "li", "strong", "em", "del", "s", "code", "pre", "kbd", "mark",
        "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"colspan"}, "td": {"colspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer nofollow"

_BLANK_LINES = re.compile(r"\n{3,}")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Raw HTML is let through to nh3, which keeps the allowed tags and drops the rest
    # (with the content of <script> and <style>).
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def sanitize_html(html: str) -> str:
    """Keep the tags and attributes articles need; drop scripts, handlers, unsafe URLs."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )


def render_markdown(markdown: str) -> str:
    """Sanitised HTML of an article body."""
    return sanitize_html(_parser().render(markdown or ""))


def markdown_to_text(markdown: str) -> str:
    """Readable plain text of an article body: one line per block, no markup."""
    blocks: list[str] = []
    for token in _parser().parse(markdown or ""):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            line = "".join(parts).strip()
            if line:
                blocks.append(line)
        elif token.type in ("code_block", "fence"):
            blocks.append(token.content.strip())
        elif token.type == "html_block":
            text = html.unescape(nh3.clean(token.content, tags=set())).strip()
            if text:
                blocks.append(text)
    return _BLANK_LINES.sub("\n\n", "\n".join(blocks))
