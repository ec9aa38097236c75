"""Text in capitals: where a capital says nothing, words get the case they have elsewhere.

A headline, a subheading or a whole wire story in capitals ("MORE THAN A THIRD OF WEWORK
STAFF") would be one long name to rules that read capitals as names. Each word of such a
stretch (three or more words in capitals in a row) takes the case the same word has in the
article's ordinary text ("WeWork", "staff"); a word never written otherwise is taken as a
common word, unless the word lists know it as a place, a nationality or a given name (then
with its surname). Lengths never change, so every offset into the sentence stays valid.
"""

from __future__ import annotations

import re

from briefing.core.facts.entities.shapes import is_known_place
from briefing.core.facts.gazetteer import lookup
from briefing.core.facts.lexicon import common_words, demonyms, fold, given_names, world_given_names

_LETTERS = re.compile(r"[^\W\d_]+")
_CAPS3 = re.compile(r"[A-Z]{2,}[^a-z0-9]+[A-Z]{2,}[^a-z0-9]+[A-Z]{2,}")
"""A cheap first look: three words in capitals in a row (Latin letters)."""
_EVIDENCE_WORDS = 20
"""Words of ordinary text enough to say how the article writes its words."""


def _loud_spans(sentence: str) -> list[list[re.Match[str]]]:
    """The stretches of three or more words in capitals, nothing lower-case between them."""
    if _CAPS3.search(sentence) is None:
        return []
    spans: list[list[re.Match[str]]] = []
    cur: list[re.Match[str]] = []
    for m in _LETTERS.finditer(sentence):
        w = m.group()
        joined = not cur or not any(c.islower() for c in sentence[cur[-1].end() : m.start()])
        if w.isupper() and (len(w) >= 2 or cur) and joined:
            cur.append(m)
            continue
        if len(cur) >= 3:
            spans.append(cur)
        cur = [m] if w.isupper() and len(w) >= 2 else []
    if len(cur) >= 3:
        spans.append(cur)
    return spans


def recase(sentences: list[str]) -> list[str]:
    """`sentences` with every stretch in capitals given ordinary case (the rest as given)."""
    loud = [_loud_spans(s) for s in sentences]
    if not any(loud):
        return sentences
    lower: set[str] = set()
    forms: dict[str, str] = {}
    seen = 0
    for s, spans in zip(sentences, loud, strict=True):
        inside = {m.start() for span in spans for m in span}
        first = True
        for m in _LETTERS.finditer(s):
            if m.start() in inside:
                first = False
                continue
            w = m.group()
            seen += 1
            if w.islower():
                lower.add(fold(w))
            elif not first and w[0].isupper() and not w.isupper():
                forms.setdefault(fold(w), w)
            elif not first and w.isupper() and len(w) > 1:
                forms.setdefault(fold(w), w)  # an acronym written so in ordinary text
            first = False
    evidence = seen >= _EVIDENCE_WORDS
    out = []
    for s, spans in zip(sentences, loud, strict=True):
        if spans:
            chars = list(s)
            for span in spans:
                _recase_span(s, chars, span, lower, forms, evidence)
            s = "".join(chars)
        out.append(s)
    return out


def _title(word: str) -> str:
    return word[0] + word[1:].lower()


def _recase_span(
    sentence: str,
    chars: list[str],
    span: list[re.Match[str]],
    lower: set[str],
    forms: dict[str, str],
    evidence: bool,
) -> None:
    common = common_words()
    named = _named_by_lists(sentence, span, common, people=not evidence)
    for i, m in enumerate(span):
        w = m.group()
        f = fold(w)
        form = forms.get(f)
        if form is not None:
            new = form
        elif i in named:
            new = _title(w)
        elif f in lower or f in common or evidence:
            new = w.lower()
        else:
            new = _title(w) if is_known_place(lookup(w)) else w.lower()
        if len(new) == len(w):
            chars[m.start() : m.end()] = new


def _named_by_lists(
    sentence: str, matches: list[re.Match[str]], common: frozenset[str], *, people: bool
) -> set[int]:
    """Words in capitals the word lists name: places of several words ("SOUTH AFRICA",
    "SIOUX FALLS" of a dateline), and where no ordinary text tells more (`people`),
    nationalities and a given name with the surname after it."""
    named: set[int] = set()
    given, world, adjectives = given_names(), world_given_names(), demonyms()
    n = len(matches)
    i = 0
    while i < n:
        for size in (3, 2):
            j = i + size - 1
            if j < n and lookup(sentence[matches[i].start() : matches[j].end()]) is not None:
                named.update(range(i, j + 1))
                i = j + 1
                break
        else:
            f = fold(matches[i].group())
            if not people:
                pass
            elif f in adjectives:
                named.add(i)
            elif (f in given or f in world) and i + 1 < n:
                nxt = fold(matches[i + 1].group())
                if nxt not in common and len(nxt) > 2:
                    named.update((i, i + 1))
                    i += 1
            i += 1
    return named
