"""Article Markdown to safe HTML (markdown-it-py, then nh3) and to plain text for indexing."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "br",
        "hr",
        "blockquote",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "del",
        "s",
        "code",
        "pre",
        "kbd",
        "mark",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"colspan"}, "td": {"colspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer nofollow"

_BLANK_LINES = re.compile(r"\n{3,}")
# A link to another article is written with its file name: [texte](autre-article.md#partie).
ARTICLE_LINK = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md(?P<anchor>#[\w-]*)?$")


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


def _links(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type == "inline":
            yield from (child for child in token.children or [] if child.type == "link_open")


def article_links(markdown: str) -> list[str]:
    """Slugs of the other articles a body links to, in order of appearance."""
    slugs = []
    for link in _links(_parser().parse(markdown or "")):
        match = ARTICLE_LINK.match(str(link.attrs.get("href", "")))
        if match and match["slug"] not in slugs:
            slugs.append(match["slug"])
    return slugs


def render_markdown(markdown: str, link_for: Callable[[str], str] | None = None) -> str:
    """Sanitised HTML of an article body; `link_for(slug)` gives the URL of a linked article."""
    parser = _parser()
    tokens = parser.parse(markdown or "")
    if link_for is not None:
        for link in _links(tokens):
            match = ARTICLE_LINK.match(str(link.attrs.get("href", "")))
            if match:
                link.attrs["href"] = link_for(match["slug"]) + (match["anchor"] or "")
    return sanitize_html(parser.renderer.render(tokens, parser.options, {}))


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
