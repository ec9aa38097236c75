"""Direct quotes and who said them.

Handles curly and straight quotes, `"...," X said`, `X said: "..."`, `said X`, `X told Y`,
`according to X`, quotes that run on into the next paragraph, pronouns (the person or
organisation just named) and organisations that speak. Short scare quotes are not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from briefing.core.facts.entities import Mention
from briefing.core.facts.lexicon import speech_verbs
from briefing.core.models.facts import Entity, Quote, Sentence

_MIN_WORDS = 4
_PARA = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class _Verbs:
    """The patterns built on the verbs of saying (speech_verbs.txt, view "quote"), compiled
    on the first quote looked for rather than when the engine is imported."""

    after_pronoun: re.Pattern[str]
    near: re.Pattern[str]
    said_after: re.Pattern[str]
    subject_of_verb: re.Pattern[str]
    """What follows a name that is the subject of the reporting verb: the verb, maybe after
    an apposition between commas."""
    after_name: re.Pattern[str]
    pronoun_said: re.Pattern[str]


@cache
def _verbs() -> _Verbs:
    verbs = "|".join(sorted(speech_verbs("quote") - {"according"}, key=len, reverse=True))
    return _Verbs(
        after_pronoun=re.compile(
            rf"^[\s,.;:—–-]*(?:(?P<p1>he|she|it|they)\s+(?:also\s+)?(?:{verbs})\b|(?:{verbs})\s+"
            rf"(?P<p2>he|she|it|they)\b)",
            re.I,
        ),
        near=re.compile(rf"\b(?:{verbs}|according\s+to|quoted)\b", re.I),
        said_after=re.compile(
            rf",?\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}\s+|(?:[Hh]e|[Ss]he|it|they)\s+)?"
            rf"(?:also\s+)?(?:{verbs})\b"
        ),
        subject_of_verb=re.compile(rf"\s*(?:,[^,“”\"]{{1,120}},\s*)?(?:also\s+)?(?:{verbs})\b", re.I),
        after_name=re.compile(rf"^\s*(?:,[^,]*,\s*|,\s*)?(?:also\s+)?(?:{verbs}|quoted)\b", re.I),
        pronoun_said=re.compile(r"\b(he|she|it|they)\s+(?:\w+\s+)?(?:" + verbs + r")\b", re.I),
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


_TITLE_AFTER = re.compile(
    r"^\s*(?:(?:chief|executive|officer|chairman|chairwoman|chair|president|ceo|cfo|coo|founder|"
    r"director|head|spokesman|spokeswoman|spokesperson|minister|secretary|governor|analyst|"
    r"economist|deputy|vice|general|managing|senior|and|&|of|the|co-founder)\b[\s,]*)+[A-Z]",
    re.I,
)
"""Titles between a company and its officer's name: "Veolia CEO and Chairman Antoine Frerot"."""
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
    located = [
        (s_idx, sentences[s_idx].start + m.start, sentences[s_idx].start + m.end, m)
        for m in mentions
        if (s_idx := m.sentence) > 0 and s_idx < len(sentences)
    ]
    located.sort(key=lambda t: t[1])
    out: list[Quote] = []
    prev_speaker: str | None = None
    prev_span: _Span | None = None
    for span in _quote_spans(body):
        text = " ".join(body[span.start : span.end].split()).strip(" ,")
        short = len(text.split()) < _MIN_WORDS
        if short and not _sentence_like(text):
            continue  # a scare quote: a "stealth" jet
        sent = _sentence_at(sentences, span.start)
        speaker = _speaker(body, span, sentences, sent, located, entities)
        if short and not (_introduced(body, span, sentences, sent) or _attributed(body, span)):
            continue
        runs_on = prev_span is not None and (
            prev_span.para == span.para
            or (prev_span.para == span.para - 1 and _para_start(body, span.start))
        )
        if speaker is None and runs_on:
            speaker = prev_speaker
        out.append(Quote(text, speaker, sent))
        prev_speaker, prev_span = speaker, span
    return out


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
    return _verbs().said_after.match(body, span.end + 1, span.end + 80) is not None


def _para_start(body: str, pos: int) -> bool:
    k = pos - 2
    while k >= 0 and body[k] in " \t":
        k -= 1
    return k < 0 or body[k] == "\n"


def _sentence_at(sentences: list[Sentence], pos: int) -> int:
    for i in range(1, len(sentences)):
        if sentences[i].start <= pos < sentences[i].end + 1:
            return i
    return max(0, len(sentences) - 1)


def _name(m: Mention, entities: list[Entity]) -> str:
    return entities[m.group].name if 0 <= m.group < len(entities) else m.text


def _speaker(
    body: str,
    span: _Span,
    sentences: list[Sentence],
    sent: int,
    located: list[tuple[int, int, int, Mention]],
    entities: list[Entity],
) -> str | None:
    end_sent = _sentence_at(sentences, max(span.start, span.end - 1))
    limit = sentences[end_sent].end if 0 < end_sent < len(sentences) else len(body)
    para_end = body.find("\n\n", span.end)
    if para_end < 0:
        para_end = len(body)
    limit = min(max(limit, span.end + 1), para_end)
    tail = body[span.end + 1 : limit]
    # After the quote: `," Trump said` / `," said Kalın` / `," he said`.
    verbs = _verbs()
    pron = verbs.after_pronoun.match(tail)
    if pron:
        pronoun = (pron.group("p1") or pron.group("p2")).lower()
        return _resolve_pronoun(pronoun, span, located, entities)
    for _, a, b, m in located:
        if a <= span.end or a > span.end + 1 + 80 or b > limit:
            continue
        if m.group < 0 or entities[m.group].type not in {"person", "organization"}:
            continue
        gap_before = body[span.end + 1 : a]
        gap_after = body[b : min(limit, b + 40)]
        if verbs.near.search(gap_before) or verbs.after_name.match(gap_after):
            return _name(m, entities)
        if entities[m.group].type == "organization" and _TITLE_AFTER.match(gap_after):
            continue  # `," Veolia CEO and Chairman Antoine Frerot said`: the company's officer speaks
        break
    # Before the quote: `Kalın said: "...` / `according to X, "...`.
    s_start = sentences[sent].start if sent > 0 else 0
    head = body[s_start : span.start - 1]
    if verbs.near.search(head):
        best: Mention | None = None
        subject: Mention | None = None
        for _, a, b, m in located:
            if a < s_start or b > span.start:
                continue
            if m.group < 0 or entities[m.group].type not in {"person", "organization"}:
                continue
            if verbs.near.search(body[b : span.start]) or verbs.near.search(body[s_start:a]):
                best = m
            if verbs.subject_of_verb.match(body, b, span.start):
                subject = m
        # "Ann Lee, a specialist at Yale University, said: ..." is Ann Lee's quote: the
        # name the verb follows (past an apposition) beats a later name inside it; but in
        # "The Chief of Staff of the Army, General X, told reporters:" the person speaks.
        if subject is not None and (
            entities[subject.group].type == "person"
            or best is None
            or entities[best.group].type != "person"
        ):
            return _name(subject, entities)
        if best is not None:
            return _name(best, entities)
        pm = verbs.pronoun_said.search(head)
        if pm:
            return _resolve_pronoun(pm.group(1).lower(), span, located, entities)
    return None


def _resolve_pronoun(
    pronoun: str,
    span: _Span,
    located: list[tuple[int, int, int, Mention]],
    entities: list[Entity],
) -> str | None:
    want = {"person"} if pronoun in {"he", "she"} else {"organization"}
    best: Mention | None = None
    for _, a, _b, m in located:
        if a >= span.start:
            break
        if 0 <= m.group < len(entities) and entities[m.group].type in want:
            best = m
    return _name(best, entities) if best is not None else None
