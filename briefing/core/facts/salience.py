"""What an article is about: its salient entities, topics and the three sentences to keep.

Salience is counted, not learned: mentions, presence in the title and the lead, and the
facts a sentence carries. Never reorders or rewrites the sentences themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from briefing.core.facts.entities import Mention
from briefing.core.facts.lexicon import common_words, fold
from briefing.core.models.facts import DateRef, Entity, Quantity, Sentence

_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z-]+\b")
_MAX_ENTITY_TOPICS = 12
_MAX_PHRASES = 3
_PHRASE_STOP = frozenset(
    """said says year years time people percent company companies week month day told also
    would could according new first last one two three""".split()
)


_CREDIT_LINE = re.compile(
    r"^\W*(?:(?:additional\s+)?reporting|editing|writing|written|compiled|produced|photos?|"
    r"photograph(?:s|y)?|images?|video|graphics?|illustrations?)\s+by\b|^\W*(?:copyright|©|source:)",
    re.I,
)
"""A line that credits who made the article ("Reporting by ...; Editing by ...")."""
_BYLINE = re.compile(r"^\W*by\s+$", re.I)
_TOLD = re.compile(r"(?:\btold|\bquoted\s+by|\breported\s+by)\s+(?:the\s+)?$", re.I)
_REPORTED = re.compile(r"\s*(?:reported|reports|news\s+agency\s+reported|contributed)\b", re.I)
_DATELINE_CREDIT = re.compile(r"\)\s*[-\u2013\u2014:]")


def credit_mention(text: str, m: Mention, kind: str) -> bool:
    """A mention that says where the article comes from, not what it is about: a credit
    line ("Reporting by Ayla Demir"), a byline ("By Ayla Demir"), a wire in a dateline
    ("ANKARA (Reuters) -"), or a body only cited as a medium ("told Reuters", "AFP reported";
    not "according to the WHO", whose figures may be what the article is about)."""
    before = text[max(0, m.start - 24) : m.start]  # the cues are short: never the whole sentence
    if (m.start <= 4 and _BYLINE.match(before)) or _credit_line(text):
        return True
    if m.start <= 60 and before.endswith("(") and _DATELINE_CREDIT.match(text, m.end):
        return True  # "ANKARA (Reuters) -": the wire of a dateline
    if (
        m.start <= 60
        and kind != "place"
        and _DATELINE_CREDIT.search(text, m.end, m.end + 24)
        and not any(c.islower() for c in text[: m.start])
        and any(c.isalpha() for c in text[: m.start])
    ):
        return True  # "MOSCOU, 24 SET (ANSA) -": in a dateline, only its first name is a topic
    if kind != "organization":
        return False
    return ("told" in before or "by" in before) and _TOLD.search(before) is not None or (
        _REPORTED.match(text, m.end) is not None
    )


def _has_credit_cue(text: str) -> bool:
    """Whether any mention of a sentence may be a credit: the cheap look, once a sentence."""
    return (
        "(" in text[:90]
        or "told" in text
        or "d by" in text
        or "report" in text
        or "contribut" in text
        or text[:3].casefold() == "by "
        or _credit_line(text)
    )


_CREDIT_LINES: dict[str, bool] = {}


def _credit_line(text: str) -> bool:
    hit = _CREDIT_LINES.get(text)
    if hit is None:
        if len(_CREDIT_LINES) > 4096:
            _CREDIT_LINES.clear()
        hit = _CREDIT_LINES[text] = _CREDIT_LINE.match(text, 0, 40) is not None
    return hit


def entity_scores(
    entities: list[Entity], mentions: list[Mention], n_sent: int, sentences: list[Sentence] | None = None
) -> list[float]:
    """Each entity's weight: its mentions, more in the title and the lead; none for a
    mention that only credits or cites it (see `credit_mention`)."""
    scores = [0.0] * len(entities)
    cued = [_has_credit_cue(s.text) for s in sentences] if sentences is not None else []
    for m in mentions:
        if not 0 <= m.group < len(entities):
            continue
        if 0 <= m.sentence < len(cued) and cued[m.sentence] and credit_mention(
            sentences[m.sentence].text if sentences else "", m, entities[m.group].type
        ):
            continue
        w = 1.0
        if m.sentence == 0:
            w += 2.0
        elif m.sentence <= 2:
            w += 1.0
        scores[m.group] += w
    return scores


def topics(
    entities: list[Entity],
    scores: list[float],
    countries: list[str],
    sentences: list[Sentence],
) -> list[str]:
    ranked = sorted(range(len(entities)), key=lambda i: (-scores[i], entities[i].sentence))
    out: list[str] = []
    seen: set[str] = set()
    for i in ranked:
        if len(out) >= _MAX_ENTITY_TOPICS:
            break
        if scores[i] <= 0.0 or (scores[i] < 2.0 and len(out) >= 3):
            continue
        key = fold(entities[i].name)
        if key not in seen:
            seen.add(key)
            out.append(entities[i].name)
    for c in countries[:3]:
        if fold(c) not in seen:
            seen.add(fold(c))
            out.append(c)
    for phrase in _key_phrases(sentences):
        if fold(phrase) not in seen:
            seen.add(fold(phrase))
            out.append(phrase)
    return out


@cache
def _phrase_stop() -> frozenset[str]:
    return common_words() | _PHRASE_STOP


def _key_phrases(sentences: list[Sentence]) -> list[str]:
    """Lower-case two-word phrases said more than once ("air defense", "trade deal")."""
    stop = _phrase_stop()
    counts: Counter[str] = Counter()
    for s in sentences[1:]:
        # Each word is tested once, not once as either half of both pairs it is in.
        prev, prev_ok = "", False
        for word in _WORD.findall(s.text):
            ok = len(word) >= 4 and word not in stop
            if ok and prev_ok:
                counts[f"{prev} {word}"] += 1
            prev, prev_ok = word, ok
    return [p for p, c in counts.most_common(_MAX_PHRASES) if c >= 2]


def key_sentences(
    sentences: list[Sentence],
    mentions: list[Mention],
    scores: list[float],
    dates: list[DateRef],
    quantities: list[Quantity],
) -> list[int]:
    n = len(sentences)
    if n <= 1:
        return [0] if n else []
    value = [0.0] * n
    for m in mentions:
        if 0 < m.sentence < n and 0 <= m.group < len(scores):
            value[m.sentence] += min(scores[m.group], 6.0) / 3.0
    for d in dates:
        if 0 < d.sentence < n:
            value[d.sentence] += 0.7
    for q in quantities:
        if 0 < q.sentence < n:
            value[q.sentence] += 0.5
    title_words = {w for w in _WORD.findall(sentences[0].text.lower()) if len(w) > 3}
    for i in range(1, n):
        text = sentences[i].text
        words = len(text.split())
        value[i] += max(0.0, 3.0 - 0.6 * (i - 1))
        low = text.lower()
        if any(map(low.__contains__, title_words)):  # no title word inside: no word shared
            value[i] += 0.5 * len(title_words & set(_WORD.findall(low)))
        if words < 6:
            value[i] -= 3.0
        elif words > 60:
            value[i] -= 1.5
        if text[:1] in "\"“‘'":
            value[i] -= 1.5
    chosen: list[int] = []
    chosen_words: list[set[str]] = []  # the words of each chosen sentence, split once
    for i in sorted(range(1, n), key=lambda k: (-value[k], k)):
        words_i = set(sentences[i].text.lower().split())
        if any(_overlap(words_i, words_j) > 0.6 for words_j in chosen_words):
            continue
        chosen.append(i)
        chosen_words.append(words_i)
        if len(chosen) == 3:
            break
    return chosen


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
