"""Sentence boundaries of an article body, with offsets, for every fact to point back at.

Paragraph breaks always end a sentence; a full stop after a title or month abbreviation
("Mr.", "Nov.") never does, and one after "Inc." or "U.S." only when a sentence-like word
follows. Never drops text: every non-blank character of the body is in some sentence.
"""

from __future__ import annotations

import re

from briefing.core.facts.lexicon import common_words, fold
from briefing.core.models.facts import Sentence

_PARA = re.compile(r"\n[ \t]*\n+")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9ÀÁÂÄÇÉÈÎÏÓÖØÜİŞ])")
_LAST_WORD = re.compile(r"([\w.&'’-]+)[.!?…]*[\"”’')\]]*\s*$")
_NEXT_WORD = re.compile(r"[\"“‘'(\[]?([\w'’-]+)")

_NEVER_END = frozenset(
    """mr mrs ms dr prof sen rep gov gen lt col capt sgt adm cmdr maj rev hon pres st mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vs etc approx dept fig e.g i.e
    al ca cf""".split()
)
_MAYBE_END = frozenset("inc corp co ltd jr sr bros plc llc ag nv sa".split())


_DOTTED = re.compile(r"(?:[a-z]\.){2,}")


def _is_break(body: str, end_of_stop: int, next_start: int) -> bool:
    lo = max(0, end_of_stop - 40)
    if end_of_stop > 0 and not body[end_of_stop - 1].isspace():
        # A match of _LAST_WORD (word, stops, quotes, then only trailing space) never
        # spans a space with more text after it: start after the last one rather than
        # retry the word pattern at every offset of the 40 characters.
        lo = max(lo, body.rfind(" ", lo, end_of_stop) + 1)
    m = _LAST_WORD.search(body, lo, end_of_stop)
    word = m.group(1) if m else ""
    stop = body[end_of_stop - 1] if end_of_stop > 0 else ""
    if stop != "." and not word.endswith("."):
        return True
    bare = word.rstrip(".").lower()
    if bare in _NEVER_END:
        return False
    single_initial = len(bare) == 1 and bare.isalpha()
    dotted = _DOTTED.fullmatch(word.lower()) is not None
    if bare in _MAYBE_END or single_initial or dotted:
        n = _NEXT_WORD.match(body, next_start)
        nxt = fold(n.group(1)) if n else ""
        return nxt in common_words()
    return True


def split_sentences(body: str) -> list[Sentence]:
    """Body sentences (start/end are offsets into `body`); the title is added by the caller."""
    out: list[Sentence] = []
    pos = 0
    for para in _PARA.finditer(body + "\n\n"):
        _split_paragraph(body, pos, min(para.start(), len(body)), out)
        pos = para.end()
    return out


def _split_paragraph(body: str, start: int, end: int, out: list[Sentence]) -> None:
    seg_start = start
    for m in _BOUNDARY.finditer(body, start, end):
        stop_end = m.start() + len(m.group().rstrip())
        if not _is_break(body, _stop_pos(body, m.start(), stop_end), m.end()):
            continue
        _emit(body, seg_start, stop_end, out)
        seg_start = m.end()
    _emit(body, seg_start, end, out)


def _stop_pos(body: str, start: int, stop_end: int) -> int:
    """End of the run of sentence-final punctuation (before closing quotes)."""
    i = start
    while i < stop_end and body[i] in ".!?…":
        i += 1
    return i


def _emit(body: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(body[start:end], start, end))
