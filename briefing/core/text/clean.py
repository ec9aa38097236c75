"""Cleaning of untrusted text: feed titles, bodies, authors and links.

Everything that came from a feed or an imported file passes through here before it is
stored or shown. Nothing returned may carry a terminal control sequence, a C0/C1 control,
a lone surrogate or a bidi override that leaks past its line; real RTL text stays intact.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["LINE_MAX", "LINK_MAX", "clean_line", "clean_text", "safe_link"]

LINE_MAX = 500
"""Longest title, author or name kept by `clean_line` (characters, before the ellipsis)."""
LINK_MAX = 2048
"""Longest link `safe_link` accepts."""

# Terminal escape sequences, removed together with their parameters. 7-bit forms start with
# ESC, 8-bit forms with the C1 character. String commands (OSC, DCS, SOS, PM, APC) run to
# BEL or ST; an unterminated one is cut at the end of its line (a terminal would swallow
# everything after it, so nothing of it is worth keeping).
_ESCAPES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x9c|\x1b\\)?"  # strings
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI with parameters
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"  # other ESC sequences (charset, keypad, RIS, ...)
)

# Line breaks other than \n: CRLF and bare CR, NEL, VT, FF, LINE/PARAGRAPH SEPARATOR.
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")

# Characters dropped outright: C0 (except \t and \n, handled apart), DEL, C1, lone
# surrogates, invisible format characters (zero-width space, word joiner, BOM, invisible
# operators, deprecated format controls, interlinear annotation) and the unassigned
# noncharacters U+FFFE/U+FFFF. ZWJ/ZWNJ and the bidi controls are handled separately.
_DROP = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b\u2060-\u2065\u206a-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\u00ad\u180e]"
)

# ZWNJ/ZWJ are letters' glue in Persian, Indic scripts and emoji sequences: kept only
# between two non-ASCII, non-space characters; anywhere else they are invisible noise.
_JOINER_NEIGHBOUR = r"[^\x00-\x7f\s\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
_STRAY_JOINER = re.compile(rf"(?<!{_JOINER_NEIGHBOUR})[\u200c\u200d]|[\u200c\u200d](?!{_JOINER_NEIGHBOUR})")

# Whitespace left after _strip besides space and \n (tabs are spaces by then; other
# line breaks are \n or gone). Plain runs of spaces are the common case: a cheap pattern.
_ODD_SPACE = re.compile("[\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = re.compile("  +")
_BLANK_LINES = re.compile(r"\n{3,}")
# Any character one of the _strip steps acts on; most text has none and skips them all.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\uffff]"
)

# Explicit bidi formatting: embeddings/overrides (closed by PDF) and isolates (closed by PDI).
_LRE, _RLE, _PDF, _LRO, _RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
_LRI, _RLI, _FSI, _PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_EMBEDDINGS = frozenset((_LRE, _RLE, _LRO, _RLO))
_ISOLATES = frozenset((_LRI, _RLI, _FSI))
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_MAX_DEPTH = 16

# Anything that must never appear inside a link: controls, spaces of every kind,
# invisible format characters, bidi controls, surrogates.
_LINK_BAD = re.compile(
    "[\x00-\x20\x7f-\x9f\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f"
    "\u3000\ud800-\udfff\ufeff\ufff9-\ufffb]"
)


def _strip(text: str, *, entities: bool) -> str:
    """Everything but bidi balancing: entities, newlines, escapes, controls, joiners."""
    if entities and "&" in text:
        import html  # entity decoding is asked for rarely; keep it off the reader's start-up

        text = html.unescape(text)
    if _SUSPECT.search(text):
        text = _NEWLINES.sub("\n", text)
        text = _ESCAPES.sub("", text)
        text = _DROP.sub("", text)
        if "\u200c" in text or "\u200d" in text:
            text = _STRAY_JOINER.sub("", text)
    return text.replace("\t", " ")


def _collapse_spaces(text: str) -> str:
    """Every run of horizontal whitespace becomes one plain space."""
    if not text.isascii() and _ODD_SPACE.search(text):
        text = _ODD_SPACE.sub(" ", text)
    return _SPACE_RUN.sub(" ", text) if "  " in text else text


def _balance_line(line: str) -> str:
    """Drop unmatched bidi closers and close every opener before the line ends."""
    out: list[str] = []
    stack: list[str] = []
    for char in line:
        if char in _EMBEDDINGS or char in _ISOLATES:
            if len(stack) >= _BIDI_MAX_DEPTH:
                continue  # its closer will be unmatched and dropped too
            stack.append(char)
        elif char == _PDF:
            if not stack or stack[-1] not in _EMBEDDINGS:
                continue  # a PDF cannot close an isolate, nor nothing
            stack.pop()
        elif char == _PDI:
            if not any(c in _ISOLATES for c in stack):
                continue
            # A PDI closes its isolate and every embedding opened inside it (UAX #9).
            while stack and stack[-1] not in _ISOLATES:
                stack.pop()
                out.append(_PDF)
            stack.pop()
        out.append(char)
    for opener in reversed(stack):
        out.append(_PDI if opener in _ISOLATES else _PDF)
    return "".join(out)


def _balance_bidi(text: str) -> str:
    if not _BIDI.search(text):
        return text
    return "\n".join(_balance_line(line) for line in text.split("\n"))


def clean_text(text: str, *, entities: bool = False) -> str:
    """Clean an untrusted body: paragraphs kept, controls and escape sequences gone.

    Line endings become \\n, runs of spaces and tabs become one space, lines are
    trimmed, more than one blank line becomes one. Bidi controls are balanced per line.
    `entities=True` decodes HTML entities first (feedparser and the HTML parser already do).
    """
    text = _strip(text, entities=entities)
    text = _collapse_spaces(text)
    if "\n" in text:
        text = text.replace(" \n", "\n").replace("\n ", "\n")
        if "\n\n\n" in text:
            text = _BLANK_LINES.sub("\n\n", text)
    return _balance_bidi(text.strip())


def clean_line(text: str, *, limit: int = LINE_MAX, entities: bool = False) -> str:
    """Clean an untrusted title, author or name: one line, whitespace collapsed, capped.

    A text longer than `limit` is cut at a word boundary near it and ends with "…".
    """
    if len(text) > 8 * limit:
        text = text[: 8 * limit]  # bound the work; the rest would be cut anyway
    text = _collapse_spaces(_strip(text, entities=entities).replace("\n", " ")).strip()
    if len(text) > limit:
        cut = text[:limit]
        space = cut.rfind(" ", limit - 40 if limit > 80 else 0)
        text = (cut[:space] if space > 0 else cut).rstrip() + "…"
    return _balance_line(text) if _BIDI.search(text) else text


def safe_link(url: str | None) -> str | None:
    """The link if it is safe to show and open: http(s), a host, nothing hidden; else None.

    Surrounding whitespace is trimmed (feeds often wrap links in newlines); whitespace,
    controls or invisible characters inside, credentials (`user@host`), a bad port or more
    than LINK_MAX characters make the link unsafe. The scheme is lower-cased.
    """
    if not url:
        return None
    url = url.strip()
    if not url or len(url) > LINK_MAX or _LINK_BAD.search(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    if "\\" in parts.netloc:
        return None  # browsers read a backslash as a slash: the host would not be what we show
    return scheme + url[len(parts.scheme) :]
