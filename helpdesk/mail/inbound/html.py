"""HTML mail bodies: a readable plain-text rendering and a sanitised HTML copy."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})
_VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "col", "area"})
_PARAGRAPH_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "pre", "hr", "address"}
)
_LINE_TAGS = frozenset(
    {
        "div",
        "tr",
        "li",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "center",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "caption",
        "tbody",
        "thead",
        "tfoot",
        "main",
        "nav",
        "aside",
        "details",
        "summary",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
_LINK_SCHEMES = ("http://", "https://", "ftp://", "mailto:", "tel:")
_SPACES_RE = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")

SANITISED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "u",
        "ul",
    }
)
SANITISED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign", "scope"},
    "ol": {"start", "type"},
    "blockquote": {"cite"},
    "*": {"dir", "lang"},
}
_INLINE_IMAGE_RE = re.compile(r"^data:image/(png|jpe?g|gif|webp);base64,[a-z0-9+/=\s]*$", re.I)


def _bare_url(url: str) -> str:
    url = url.strip().lower()
    for prefix in ("https://", "http://", "mailto:", "www."):
        url = url.removeprefix(prefix)
    return url.rstrip("/")


class _TextRenderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skip: list[str] = []
        self._quote_depth = 0
        self._pre_depth = 0
        self._lists: list[list[int]] = []  # [is_ordered, counter]
        self._links: list[tuple[str, int, int]] = []
        self._want_blank = False
        self._indent = ""

    # -- output helpers -------------------------------------------------------------
    def _prefix(self) -> str:
        return "> " * self._quote_depth

    def _end_line(self) -> None:
        text = "".join(self._current)
        indent, self._indent = self._indent, ""
        self._current = []
        if not self._pre_depth:
            text = text.strip()
        if not text:
            return
        if self._want_blank and self.lines and self.lines[-1].strip(" >"):
            previous = self.lines[-1]
            depth = min(self._quote_depth, (len(previous) - len(previous.lstrip("> "))) // 2)
            self.lines.append(("> " * depth).rstrip())
        self._want_blank = False
        self.lines.append(self._prefix() + indent + text)

    def _paragraph(self) -> None:
        self._end_line()
        self._want_blank = True

    def _write(self, text: str) -> None:
        if self._pre_depth:
            parts = text.split("\n")
            for index, part in enumerate(parts):
                if index:
                    self._end_line()
                self._current.append(part)
            return
        text = _SPACES_RE.sub(" ", text)
        if not self._current or "".join(self._current).endswith(" "):
            text = text.lstrip(" ")
        if text:
            self._current.append(text)

    # -- parser callbacks -----------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._skip = [t for t in self._skip if t != "head"]
            return
        if self._skip:
            if tag in _SKIPPED_TAGS and tag not in _VOID_TAGS:
                self._skip.append(tag)
            return
        if tag in _SKIPPED_TAGS:
            self._skip.append(tag)
            return
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            if self._current:
                self._end_line()
            else:
                self.lines.append(self._prefix().rstrip())
        elif tag == "blockquote":
            self._paragraph()
            self._quote_depth += 1
        elif tag == "pre":
            self._paragraph()
            self._pre_depth += 1
        elif tag in {"ul", "ol"}:
            self._end_line()
            if not self._lists:
                self._want_blank = True
            start = attributes.get("start", "1")
            self._lists.append([tag == "ol", int(start) if start.isdigit() else 1])
        elif tag == "li":
            self._end_line()
            self._indent = "  " * max(len(self._lists) - 1, 0)
            if self._lists and self._lists[-1][0]:
                self._indent += f"{self._lists[-1][1]}. "
                self._lists[-1][1] += 1
            else:
                self._indent += "- "
        elif tag in _PARAGRAPH_TAGS:
            self._paragraph()
            if tag == "hr":
                self._current.append("---")
                self._paragraph()
        elif tag in _LINE_TAGS:
            self._end_line()
        elif tag in _CELL_TAGS:
            if self._current and not "".join(self._current).endswith(" "):
                self._current.append(" ")
        elif tag == "a":
            href = attributes.get("href", "").strip()
            self._links.append((href, len(self._current), len(self.lines)))
        elif tag == "img":
            alt = _SPACES_RE.sub(" ", attributes.get("alt", "")).strip()
            if alt:
                self._write(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1] or (tag in _SKIPPED_TAGS and tag in self._skip):
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag == "blockquote":
            self._paragraph()
            self._quote_depth = max(self._quote_depth - 1, 0)
        elif tag == "pre":
            self._end_line()
            self._pre_depth = max(self._pre_depth - 1, 0)
            self._want_blank = True
        elif tag in {"ul", "ol"}:
            self._end_line()
            if self._lists:
                self._lists.pop()
            if not self._lists:
                self._want_blank = True
        elif tag in _PARAGRAPH_TAGS:
            self._paragraph()
        elif tag in _LINE_TAGS:
            self._end_line()
        elif tag == "a" and self._links:
            self._close_link(*self._links.pop())

    def _close_link(self, href: str, start: int, line_count: int) -> None:
        if not href.lower().startswith(_LINK_SCHEMES):
            return
        target = href
        if href.lower().startswith("mailto:"):
            target = href[7:].split("?", 1)[0]
        same_line = line_count == len(self.lines) and start <= len(self._current)
        label = "".join(self._current[start:]).strip() if same_line else "…"
        if not label:
            self._write(target)
        elif _bare_url(label) != _bare_url(target):
            self._write(f" ({target})")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._write(data)

    def finish(self) -> str:
        self.close()
        self._end_line()
        text = "\n".join(line.rstrip() for line in self.lines)
        return _BLANK_LINES_RE.sub("\n\n", text).strip("\n")


def html_to_text(html: str) -> str:
    """Render HTML as readable text: paragraphs, lists as "- ", links as "text (url)".

    Quoted blocks (``<blockquote>``) come out prefixed with "> " so that reply history can be
    recognised in the text. Scripts, styles and the document head are dropped.
    """
    unclosed_comment = html.rfind("<!--")
    if unclosed_comment >= 0 and html.find("-->", unclosed_comment) < 0:
        html = html[:unclosed_comment]  # as in a browser, it hides the rest
    renderer = _TextRenderer()
    try:
        renderer.feed(html)
        return renderer.finish()
    except (AssertionError, ValueError, RecursionError):
        # html.parser gives up on some inputs; keep whatever text it could read.
        stripped = re.sub(r"<[^>]{0,2000}>", " ", html)
        return _BLANK_LINES_RE.sub("\n\n", _SPACES_RE.sub(" ", stripped)).strip()


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        lowered = value.strip().lower()
        if lowered.startswith("cid:") or _INLINE_IMAGE_RE.match(value.strip()):
            return value.strip()
        return None  # remote images leak the reader's address and reading time
    if attribute == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


def sanitise_html(html: str) -> str:
    """Return HTML safe to show: no scripts, styles, event handlers or remote images.

    Images keep only ``cid:`` sources (inline attachments) and small inline data images;
    links keep http(s), mailto and tel targets and open with ``rel="noopener noreferrer"``.
    """
    return nh3.clean(
        html,
        tags=set(SANITISED_TAGS),
        clean_content_tags={"script", "style", "title", "noscript", "template", "head"},
        attributes={tag: set(names) for tag, names in SANITISED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto", "tel", "cid", "data"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
