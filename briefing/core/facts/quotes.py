"""Direct quotes and who said them.

Finds quotes in curly, straight and (British) single marks, drops scare quotes and quoted
titles, and asks `speakers.py` who says each one: the clause after the closing mark, the
clause before the opening one, a colon-ended sentence or a transcript label before it.
A quote no clause attributes takes the speaker of the quote it continues (its other
paragraphs, its paragraph, the paragraph before or, for a paragraph that is only a quote,
the next one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from briefing.core.facts.entities import Mention
from briefing.core.facts.lexicon import speech_verbs
from briefing.core.models.facts import Entity, Quote, Sentence

if TYPE_CHECKING:  # the speaker rules load with the first quote, not with the engine
    from briefing.core.facts.speaker_words import Attribution
    from briefing.core.facts.speakers import SpeakerFinder

_MIN_WORDS = 4
_PARA = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class _Verbs:
    """The patterns built on the verbs of saying (speech_verbs.txt, view "quote"), compiled
    on the first quote looked for rather than when the engine is imported."""

    near: re.Pattern[str]
    said_after: re.Pattern[str]


@cache
def _verbs() -> _Verbs:
    verbs = "|".join(sorted(speech_verbs("quote") - {"according"}, key=len, reverse=True))
    return _Verbs(
        near=re.compile(rf"\b(?:{verbs}|according\s+to|quoted)\b", re.I),
        said_after=re.compile(
            rf",?\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}\s+|(?:[Hh]e|[Ss]he|it|they)\s+)?"
            rf"(?:also\s+)?(?:{verbs})\b"
        ),
    )


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    """Offsets of the quoted text (inside the marks) in the body."""
    para: int
    open_end: bool
    """The paragraph ended before the quote closed: it runs on."""


_MARK = re.compile(r'[“”"]')


def _quote_spans(body: str) -> list[_Span]:
    spans: list[_Span] = []
    paras: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA.finditer(body):
        paras.append((pos, m.start()))
        pos = m.end()
    paras.append((pos, len(body)))
    for pi, (a, b) in enumerate(paras):
        open_at = -1
        for m in _MARK.finditer(body, a, b):
            i = m.start()
            c = m.group()
            if open_at < 0:
                if c == "“" or (c == '"' and (i == a or not body[i - 1].isalnum())):
                    open_at = i
            elif c in "”\"":
                spans.append(_Span(open_at + 1, i, pi, False))
                open_at = -1
        if open_at >= 0:
            spans.append(_Span(open_at + 1, b, pi, True))
        elif open_at < 0 and not _DOUBLE.search(body, a, b):
            spans += _single_quote_spans(body, a, b, pi)
    return spans


_DOUBLE = re.compile(r'[“”"]')
_SINGLE = re.compile(r"[‘’']")


def _single_quote_spans(body: str, a: int, b: int, pi: int) -> list[_Span]:
    """Quotes in single marks, as British outlets write them: 'This is an exciting deal,'
    the chairman said. Only in a paragraph with no double marks (where single ones would
    be a quote within a quote), and a mark between two letters or digits is an
    apostrophe ("don't", "Turkey’s"), never an end."""
    spans: list[_Span] = []
    open_at = -1
    for m in _SINGLE.finditer(body, a, b):
        i, c = m.start(), m.group()
        before = body[i - 1] if i > a else " "
        after = body[i + 1] if i + 1 < b else " "
        if open_at < 0:
            if c != "’" and not before.isalnum() and after.isalpha():
                open_at = i
        elif c != "‘" and not before.isspace() and not after.isalnum():
            spans.append(_Span(open_at + 1, i, pi, False))
            open_at = -1
    return spans


def extract_quotes(
    body: str, sentences: list[Sentence], mentions: list[Mention], entities: list[Entity]
) -> list[Quote]:
    """Quotes in reading order; `sentences` includes the title at index 0."""
    spans = _quote_spans(body)
    texts = [" ".join(body[span.start : span.end].split()).strip(" ,") for span in spans]
    # a scare quote (a "stealth" jet) is no quote; with nothing else, no speaker is looked for
    kept = [
        (span, text, len(text.split()) < _MIN_WORDS)
        for span, text in zip(spans, texts, strict=True)
        if len(text.split()) >= _MIN_WORDS or _sentence_like(text)
    ]
    if not kept:
        return []
    from briefing.core.facts.speakers import SpeakerFinder

    finder = SpeakerFinder(body, sentences, mentions, entities, [(s.start, s.end) for s in spans])
    found: list[tuple[_Span, str, int, Attribution]] = []
    for span, text, short in kept:
        sent = _sentence_at(sentences, span.start)
        who = _attribution(body, span, sentences, sent, finder)
        spoken = who.after and body[span.end - 1 : span.end] in {",", ".", "!", "?"}  # `"We won," a man said`
        if short and not (_introduced(body, span, sentences, sent) or _attributed(body, span) or spoken):
            continue
        if who.entity >= 0:
            finder.spoken.append((sent, who.entity))
        found.append((span, text, sent, who))
    whos = _carry(body, [(span, who) for span, _, _, who in found], finder)
    return [
        Quote(text, who.speaker, sent, who.description)
        for (_, text, sent, _), who in zip(found, whos, strict=True)
    ]


def _attribution(
    body: str, span: _Span, sentences: list[Sentence], sent: int, finder: SpeakerFinder
) -> Attribution:
    """The clause that attributes one quote: after its closing mark, else before its
    opening mark in its sentence, else a sentence ending in a colon just before it."""
    if not span.open_end:
        end_sent = _sentence_at(sentences, max(span.start, span.end - 1))
        limit = sentences[end_sent].end if 0 < end_sent < len(sentences) else len(body)
        para_end = body.find("\n\n", span.end)
        limit = min(max(limit, span.end + 1), para_end if para_end >= 0 else len(body))
        if body[span.end - 1 : span.end] in {".", "!", "?"} and end_sent + 1 < len(sentences):
            # `"We won." Lee said.`: a sentence of its own that only attributes the quote
            nxt = sentences[end_sent + 1]
            gap = body[span.end + 1 : nxt.start]
            asked = body[span.end - 1 : span.end] in {"?", "!"}  # `"Why now?" Lee asked.`: one sentence
            same_para = nxt.start > span.end and not gap.strip() and "\n" not in gap
            if same_para and (asked or _attribution_only(nxt.text)):
                limit = nxt.end
        who = finder.after(span.end, limit)
        if who.found:
            return who
    s_start = sentences[sent].start if sent > 0 else 0
    who = finder.before(span.start - 1, s_start)
    if who.found:
        return who
    who = finder.label(s_start, span.start - 1)  # `ANN LEE: "...`
    if who.found:
        return who
    if sent > 1 and not body[s_start : span.start - 1].strip():
        prev = sentences[sent - 1]
        if prev.text.rstrip().endswith(":"):
            return finder.before(prev.end - 1, prev.start)
    from briefing.core.facts.speaker_words import NOBODY

    return NOBODY


def _attribution_only(sentence: str) -> bool:
    """"Lee said." / "said the minister on Monday.": a short sentence with no quote of its
    own whose verb of saying comes within its first words and little after it."""
    if _DOUBLE.search(sentence) or len(sentence.split()) > 10:
        return False
    words = [w.strip(".,").casefold() for w in sentence.split()]
    said = speech_verbs("quote")
    at = next((i for i, w in enumerate(words) if w in said), -1)
    return 0 <= at <= 6 and len(words) - at <= 5


def _carry(body: str, quotes: list[tuple[_Span, Attribution]], finder: SpeakerFinder) -> list[Attribution]:
    """Quotes no clause attributes take their speaker from the quote they continue: the
    paragraphs of one quote left open at each paragraph's end (whichever of them names the
    speaker, first or last), another quote of the same paragraph, the quote closing the
    paragraph before when this one opens its paragraph, or, for a paragraph that is only a
    quote, the quote opening the next paragraph when its speaker is named after it."""
    whos = [who for _, who in quotes]
    # One quote across paragraphs: each paragraph opens with a mark and the one before
    # ended with no closing mark.
    chain_start = 0
    for i in range(1, len(quotes) + 1):
        joined = (
            i < len(quotes)
            and quotes[i - 1][0].open_end
            and quotes[i][0].para == quotes[i - 1][0].para + 1
            and _para_start(body, quotes[i][0].start)
        )
        if joined:
            continue
        chain = range(chain_start, i)
        said = next((whos[k] for k in chain if whos[k].found), None)
        if said is not None:
            for k in chain:
                if not whos[k].found:
                    whos[k] = said
        chain_start = i
    for i, (span, _) in enumerate(quotes):
        if whos[i].found:
            continue
        prev = quotes[i - 1][0] if i else None
        if prev is not None and whos[i - 1].found and (
            prev.para == span.para or (prev.para == span.para - 1 and _para_start(body, span.start))
        ):
            whos[i] = whos[i - 1]
            continue
        nxt = quotes[i + 1][0] if i + 1 < len(quotes) else None
        if (
            nxt is not None
            and nxt.para == span.para
            and whos[i + 1].found
            and not finder.names_between(span.end, nxt.start)
        ):
            whos[i] = whos[i + 1]  # `"First." "Second," Lee said.`
            continue
        if (
            nxt is not None
            and nxt.para == span.para + 1
            and whos[i + 1].found
            and _para_start(body, span.start)
            and _para_start(body, nxt.start)
            and _ends_paragraph(body, span)
        ):
            whos[i] = whos[i + 1]  # a paragraph that is only a quote, then `"...," Lee said.`
    return whos


def _ends_paragraph(body: str, span: _Span) -> bool:
    """Nothing but closing punctuation between the quote's end and its paragraph's end."""
    end = body.find("\n", span.end)
    rest = body[span.end : end if end >= 0 else len(body)]
    return not rest.strip(" \t\"”’'.,!?")


def _sentence_like(text: str) -> bool:
    """"We are ready." or "No," but not "stealth" or "a disgrace"."""
    return text[:1].isupper() and (text[-1:] in ".!?," or len(text.split()) > 1)


def _introduced(body: str, span: _Span, sentences: list[Sentence], sent: int) -> bool:
    """`X told reporters: "..."`: a reporting verb and a colon right before the quote."""
    before = body[max(0, span.start - 3) : span.start - 1].rstrip()
    if not before.endswith(":"):
        return False
    s_start = sentences[sent].start if sent > 0 else 0
    return _verbs().near.search(body, s_start, span.start) is not None


def _attributed(body: str, span: _Span) -> bool:
    """`"...," X said` / `"...," said X`: a speech verb right after the closing mark; a quote
    closed by a full stop ends its sentence, so what follows is not its attribution."""
    if body[span.end - 1 : span.end] == ".":
        return False
    end = min(span.end + 80, len(body))
    para = body.find("\n\n", span.end, end)
    return _verbs().said_after.match(body, span.end + 1, para if para >= 0 else end) is not None


def _para_start(body: str, pos: int) -> bool:
    k = pos - 2
    while k >= 0 and body[k] in " \t":
        k -= 1
    return k < 0 or body[k] == "\n"


def _sentence_at(sentences: list[Sentence], pos: int) -> int:
    """The body sentence holding offset `pos` (sentences are in order and never overlap);
    the last one when none does."""
    lo, hi = 1, len(sentences) - 1
    while lo < hi:  # the last sentence starting at or before pos
        mid = (lo + hi + 1) // 2
        if sentences[mid].start <= pos:
            lo = mid
        else:
            hi = mid - 1
    if lo < len(sentences) and sentences[lo].start <= pos < sentences[lo].end + 1:
        return lo
    return max(0, len(sentences) - 1)
