"""Split a reply into what the person wrote, the quoted history and the signature."""

from __future__ import annotations

import re

# Header lines longer than this are prose, never a client's quote header.
_MAX_HEADER_LINE = 400
_LOOKAHEAD = 6

_WROTE_END_RE = re.compile(
    r"(wrote|has\s+written|a\s+[ée]crit|[ée]crit|schrieb|escribi[óo]|ha\s+scritto|escreveu|schreef|skrev|"
    r"kirjoitti|napisa[łl]a?|написала?|yazd[ıi])\s*:\s*$",
    re.IGNORECASE,
)
_WROTE_START_RE = re.compile(r"^[-–—*\s]*(le|on|am|el|il|em|op|den|w\s+dniu|\d)\b", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[^\s<>\"']+@[^\s<>\"']+\.[a-z]{2,}", re.IGNORECASE)
_HEADER_LINE_RE = re.compile(
    r"^[\s*]*(?P<key>from|de|sent|envoy[ée](?:\s+le)?|date|to|[àa]|pour|cc|cci|bcc|objet|"
    r"subject|sujet|reply-to|r[ée]pondre\s+[àa]|copie\s+[àa])[\s*]*:",
    re.IGNORECASE,
)
_FROM_KEYS = {"from", "de"}
_ORIGINAL_SEPARATOR_RE = re.compile(
    r"^[\s>]*-{2,}\s*(original\s+message|message\s+d['’]origine|mail\s+original|"
    r"mail\s+d['’]origine|message\s+original|original\s+e-?mail|"
    r"urspr[üu]ngliche\s+nachricht|mensaje\s+original)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_FORWARD_MARKER_RE = re.compile(
    r"^[\s>]*(-{2,}\s*(forwarded\s+message|message\s+transf[ée]r[ée]|mail\s+transf[ée]r[ée]|"
    r"message\s+transmis|weitergeleitete\s+nachricht)\s*-{2,}|begin\s+forwarded\s+message\s*:|"
    r"d[ée]but\s+du\s+message\s+(r[ée]exp[ée]di[ée]|transf[ée]r[ée])\s*:)\s*$",
    re.IGNORECASE,
)
_UNDERSCORE_SEPARATOR_RE = re.compile(r"^\s*_{10,}\s*$")
_ORANGE_HEADER_RE = re.compile(r"^\s*message\s+du\s+\d{1,2}/\d{1,2}/\d{2,4}", re.IGNORECASE)
_MOBILE_SIGNATURE_RE = re.compile(
    r"^(envoy[ée]\s+(de|depuis|à\s+partir\s+de|avec)\s+(mon|ma|un|une|l['’]|outlook|yahoo|"
    r"proton|courrier|gmail|samsung|orange|free)\b.*|"
    r"sent\s+(from|with|via|using)\s+(my|a|an|outlook|yahoo|proton|mail|samsung|gmail|the)\b.*|"
    r"(get|obtenir|t[ée]l[ée]charger)\s+outlook\s+(for|pour)\s+(ios|android).*)$",
    re.IGNORECASE,
)
_MAX_SIGNATURE_LINES = 20
_MAX_MOBILE_TRAILER_LINES = 5


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _header_key(line: str) -> str | None:
    if len(line) > _MAX_HEADER_LINE:
        return None
    match = _HEADER_LINE_RE.match(line)
    if not match:
        return None
    key = re.sub(r"\s+", " ", match.group("key").lower())
    return {"à": "a", "envoye": "envoyé", "envoye le": "envoyé le"}.get(key, key)


def _wrote_header_end(lines: list[str], index: int) -> int | None:
    """Return the last line of an "On … wrote:" header starting at index (1 to 3 lines)."""
    first = lines[index]
    if not first.strip() or len(first) > _MAX_HEADER_LINE or _is_quoted(first):
        return None
    if not _WROTE_START_RE.match(first) and not _EMAIL_RE.search(first):
        return None
    joined = ""
    for end in range(index, min(index + 3, len(lines))):
        line = lines[end]
        if not line.strip() or len(line) > _MAX_HEADER_LINE or _is_quoted(line):
            return None
        joined = f"{joined} {line.strip()}"
        if _WROTE_END_RE.search(joined):
            has_date_or_address = any(ch.isdigit() for ch in joined) or _EMAIL_RE.search(joined)
            return end if has_date_or_address else None
    return None


def _next_content_line(lines: list[str], index: int, limit: int = 3) -> int | None:
    for candidate in range(index, min(index + limit, len(lines))):
        if lines[candidate].strip():
            return candidate
    return None


def _is_header_block(lines: list[str], index: int) -> bool:
    """A "From:/De :" line followed closely by at least two other header lines."""
    if _header_key(lines[index]) not in _FROM_KEYS:
        return False
    others = set()
    for line in lines[index + 1 : index + 1 + _LOOKAHEAD]:
        key = _header_key(line)
        if key and key not in _FROM_KEYS:
            others.add(key)
    return len(others) >= 2


def _follows_forward_marker(lines: list[str], index: int) -> bool:
    for previous in range(index - 1, max(index - 3, -1), -1):
        if _FORWARD_MARKER_RE.match(lines[previous]):
            return True
        if lines[previous].strip():
            return False
    return False


def _history_start(lines: list[str]) -> int | None:
    """Index of the first line of unquoted history (everything from there is old mail)."""
    for index, line in enumerate(lines):
        if not line.strip() or _is_quoted(line):
            continue
        if _ORIGINAL_SEPARATOR_RE.match(line):
            return index
        if _UNDERSCORE_SEPARATOR_RE.match(line) or _ORANGE_HEADER_RE.match(line):
            following = _next_content_line(lines, index + 1)
            if following is not None and _header_key(lines[following]) is not None:
                return index
            continue
        if _is_header_block(lines, index) and not _follows_forward_marker(lines, index):
            return index
        end = _wrote_header_end(lines, index)
        if end is not None:
            following = _next_content_line(lines, end + 1, limit=4)
            if following is None or not _is_quoted(lines[following]):
                return index
    return None


def _drop_quote_blocks(lines: list[str]) -> tuple[list[str], list[str]]:
    """Remove ">" lines and the "On … wrote:" headers that introduce them."""
    kept: list[str] = []
    removed: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_quoted(line):
            removed.append(line)
            index += 1
            continue
        end = _wrote_header_end(lines, index)
        if end is not None:
            removed.extend(lines[index : end + 1])
            index = end + 1
            continue
        kept.append(line)
        index += 1
    return kept, removed


def _signature_start(lines: list[str]) -> int | None:
    content_after = [0] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        content_after[index] = content_after[index + 1] + (1 if lines[index].strip() else 0)
    for index, line in enumerate(lines):
        stripped = line.strip()
        remaining = content_after[index + 1]
        if line.rstrip() == "--" and remaining <= _MAX_SIGNATURE_LINES:
            return index
        if (
            stripped
            and len(stripped) <= 120
            and _MOBILE_SIGNATURE_RE.match(stripped)
            and remaining <= _MAX_MOBILE_TRAILER_LINES
        ):
            return index
    return None


def _join(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def split_reply(text: str) -> tuple[str, str, str]:
    """Return ``(new_text, quoted_text, signature)`` for a reply in French or English.

    Everything above the quoted history is kept; ``>`` blocks written between the person's
    own lines are moved to the quoted text. Forwarded messages are not treated as history.
    """
    if not text:
        return "", "", ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _history_start(lines)
    head = lines if start is None else lines[:start]
    history = [] if start is None else lines[start:]
    kept, removed = _drop_quote_blocks(head)
    signature: list[str] = []
    signature_index = _signature_start(kept)
    if signature_index is not None:
        kept, signature = kept[:signature_index], kept[signature_index:]
        if signature and signature[0].rstrip() == "--":
            signature = signature[1:]
    return _join(kept), _join(removed + history), _join(signature)
