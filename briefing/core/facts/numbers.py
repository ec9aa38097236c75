"""Numbers written in words, as broadcast and wire copy write them.

"twenty-five thousand" -> 25000, "one and a half million" -> 1.5e6, "half a billion" -> 5e8,
"a quarter of a" (percent) -> 0.25, "two-thirds" (of voters) -> a share, "tens of thousands"
-> a magnitude with no value. Finds numbers only; what they count is for `quantities` to
say. Knows English number grammar and the words of data/number_words.txt, no article;
never raises, whatever the text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, NamedTuple

from briefing.core.facts.lexicon import number_words

NumberKind = Literal["cardinal", "vague", "fraction", "share"]


class WordNumber(NamedTuple):
    """A number in words at text[start:end]."""

    start: int
    end: int
    value: float | None
    """None for a vague magnitude: "hundreds of millions", "several thousand"."""
    scale: float = 1.0
    """The largest multiplier in it ("two million" -> 1e6; "twelve" -> 1)."""
    kind: NumberKind = "cardinal"
    """"cardinal"; "vague"; "fraction", a fraction of the unit that must follow ("a quarter
    of a" percent, value 0.25); or "share", a fraction of a whole ("two-thirds" of voters)."""


class _Words(NamedTuple):
    """The words of data/number_words.txt, by what they do in a number."""

    unit: dict[str, float]
    ten: dict[str, float]
    scale: dict[str, float]
    fraction: dict[str, float]
    vague: dict[str, float]
    vague_lead: frozenset[str]
    starts: frozenset[str]
    """Words a number can start with."""
    every: frozenset[str]
    """Every word a number in words needs: a sentence with none holds none."""
    multipliers: frozenset[str]
    """Scale words, which make a number only after another or after an opener."""
    openers: frozenset[str]
    """What a scale word may follow alone: "a million", "several hundred", "a few thousand"."""


@cache
def _words() -> _Words:
    lists = number_words()
    unit, ten, scale = lists.get("unit", {}), lists.get("ten", {}), lists.get("scale", {})
    fraction, vague = lists.get("fraction", {}), lists.get("vague", {})
    scale = {**scale, **lists.get("dozen", {})}
    lead = frozenset(lists.get("vague_lead", {}))
    starts = frozenset({*unit, *ten, *fraction, *vague, *lead, "a", "an", "dozen"})
    every = frozenset({*unit, *ten, *scale, *fraction, *vague})  # "several" needs "hundred"
    multipliers = frozenset(scale) - {"dozen"}
    openers = frozenset({"a", "an", "of", *lead})  # "of": "a couple of million"
    return _Words(unit, ten, scale, fraction, vague, lead, starts, every, multipliers, openers)


_TOKEN = re.compile(r"[A-Za-z]+")
_LOW_TOKEN = re.compile(r"[a-z]+")
_JOINERS = frozenset({"-", "\u2010", "\u2011"})
_PERCENT_WORDS = frozenset({"percent", "per", "percentage", "pc"})
_SHARE_BEFORE = frozenset({"the", "first", "second", "last", "other", "latter", "former", "top", "bottom"})


class _Tokens:
    """The words of one sentence, lower-cased, with where each starts and ends."""

    __slots__ = ("text", "spans", "low", "n")

    def __init__(self, text: str, low: str, words: list[str]) -> None:
        self.text = text
        if len(low) == len(text):  # each character lower-cased to one: the offsets agree
            self.spans = [m.span() for m in _LOW_TOKEN.finditer(low)]
            self.low = words  # _LOW_TOKEN.findall(low)
        else:  # "İ" lower-cases to two characters
            spans = [m.span() for m in _TOKEN.finditer(text)]
            self.spans = spans
            self.low = [text[a:b].lower() for a, b in spans]
        self.n = len(self.spans)

    def word(self, i: int) -> str:
        """The word at i, "" past either end."""
        return self.low[i] if 0 <= i < self.n else ""

    def joined(self, i: int) -> bool:
        """Whether word i follows word i - 1 as part of one phrase: a space or a hyphen."""
        if not 0 < i < self.n:
            return False
        gap = self.text[self.spans[i - 1][1] : self.spans[i][0]]
        return gap in _JOINERS or (0 < len(gap) <= 3 and gap.isspace())

    def next_word(self, i: int) -> str:
        """Word i if it joins the one before it, else ""."""
        return self.low[i] if self.joined(i) else ""


def find_word_numbers(text: str, low: str | None = None) -> list[WordNumber]:
    """The numbers written in words in one sentence, left to right, never overlapping;
    `low` is `text.lower()` when the caller has it."""
    words = _words()
    if low is None:
        low = text.lower()
    lowered = _LOW_TOKEN.findall(low)
    hits = words.every.intersection(lowered)
    if not hits:
        return []
    if hits <= words.multipliers and not any(
        w in hits and lowered[k - 1] in words.openers for k, w in enumerate(lowered) if k
    ):
        return []  # "$15 billion": a scale word after digits, none after "a" or "several"
    tokens = _Tokens(text, low, lowered)
    starts = words.starts
    out: list[WordNumber] = []
    i = 0
    while i < tokens.n:
        found = _number_at(tokens, i, words) if tokens.low[i] in starts else None
        if found is None:
            i += 1
            continue
        number, after = found
        out.append(number)
        i = max(after, i + 1)  # every number holds a word: never stand still
    return out


def _number_at(tokens: _Tokens, i: int, words: _Words) -> tuple[WordNumber, int] | None:
    """The number starting at word i and the index of the word after it, or None."""
    w, nxt = tokens.word(i), tokens.next_word(i + 1)
    if w in words.vague or w in words.vague_lead or (w == "a" and nxt in words.vague_lead):
        return _vague(tokens, i, words)
    if w == "half" or nxt in words.fraction:
        return _fraction(tokens, i, words)
    return _cardinal(tokens, i, words)


def _make(
    tokens: _Tokens, i: int, j: int, value: float | None, scale: float, kind: NumberKind
) -> tuple[WordNumber, int]:
    j = max(j, i + 1)  # a number is one word at least
    return WordNumber(tokens.spans[i][0], tokens.spans[j - 1][1], value, scale, kind), j


def _vague(tokens: _Tokens, i: int, words: _Words) -> tuple[WordNumber, int] | None:
    """ "hundreds", "tens of thousands", "hundreds of millions", "several hundred",
    "a few thousand", "many thousands", "a couple of million"."""
    j = i + 1 if tokens.word(i) == "a" else i
    w = tokens.word(j)
    if w in words.vague_lead:
        j += 1
        if w == "couple" and tokens.next_word(j) == "of":
            j += 1
        size = tokens.next_word(j)
        if size not in words.scale and size not in words.vague:
            return None
        if (w == "few" or w == "couple") and tokens.word(i) != "a":
            return None
        scale = words.scale.get(size) or words.vague.get(size, 1.0)
        return _make(tokens, i, j + 1, None, scale, "vague")
    scale = words.vague[w]
    j += 1
    while tokens.next_word(j) == "of" and words.vague.get(tokens.next_word(j + 1), 0.0) > scale:
        scale = words.vague[tokens.word(j + 1)]
        j += 2
    if w == "tens" and j == i + 1:
        return None  # "tens" alone is no number; "tens of thousands" is
    return _make(tokens, i, j, None, scale, "vague")


def _fraction(tokens: _Tokens, i: int, words: _Words) -> tuple[WordNumber, int] | None:
    """ "half a million", "a quarter of a" (percent), "three quarters of a million",
    "two-thirds" (of voters), "a quarter-point"."""
    w = tokens.word(i)
    if w == "half":
        value, j = 0.5, i + 1
    else:
        numerator = 1.0 if w in {"a", "an"} else words.unit.get(w, words.ten.get(w, 0.0))
        denominator = words.fraction.get(tokens.word(i + 1), 0.0)
        if not numerator or not denominator or not tokens.joined(i + 1):
            return None
        plural = tokens.word(i + 1).endswith("s")
        if plural != (numerator > 1):
            return None  # "a thirds", "two third"
        value, j = numerator / denominator, i + 2
    k = j + 1 if tokens.next_word(j) == "of" else j
    if tokens.next_word(k) in {"a", "an", "one"} and (k > j or w == "half"):
        after = tokens.next_word(k + 1)
        if after in words.scale and after != "dozen":
            scale = words.scale[after]
            return _make(tokens, i, k + 2, value * scale, scale, "cardinal")
        if after in _PERCENT_WORDS:
            return _make(tokens, i, k + 1, value, 1.0, "fraction")
    unit = tokens.next_word(j)
    if unit in _PERCENT_WORDS or (unit == "point" and tokens.text[tokens.spans[j - 1][1]] == "-"):
        return _make(tokens, i, j, value, 1.0, "fraction")  # "a half percentage point", "a quarter-point cut"
    if w == "half" and tokens.word(i - 1) in _SHARE_BEFORE:
        return None  # "the second half of the year"
    return _make(tokens, i, j, value, 1.0, "share")


def _small(tokens: _Tokens, j: int, words: _Words) -> tuple[float, int] | None:
    """A number below 100 at word j: "seven", "fifteen", "forty", "forty-two", "forty two"."""
    w = tokens.word(j)
    if w in words.unit:
        return words.unit[w], j + 1
    if w in words.ten:
        unit = tokens.next_word(j + 1)
        if unit in words.unit and 0 < words.unit[unit] < 10:
            return words.ten[w] + words.unit[unit], j + 2
        return words.ten[w], j + 1
    return None


def _cardinal(tokens: _Tokens, i: int, words: _Words) -> tuple[WordNumber, int] | None:
    """ "twelve", "a hundred", "two hundred and fifty thousand", "one and a half million",
    "two point five million", "a dozen", "twenty-five thousand"."""
    if tokens.word(i) in {"a", "an"}:
        if tokens.next_word(i + 1) not in words.scale:
            return None
        group, j = 1.0, i + 1
    elif tokens.word(i) == "dozen":
        return _make(tokens, i, i + 1, 12.0, 12.0, "cardinal")  # "the first dozen offerings"
    else:
        small = _small(tokens, i, words)
        if small is None:
            return None
        group, j = small
    total, largest, last = 0.0, 1.0, float("inf")
    halved = False
    while True:
        w = tokens.next_word(j)
        if w == "hundred" and group < 100 and last > 100:
            group, j, largest = group * 100, j + 1, max(largest, 100.0)
            rest = _after_and(tokens, j, words, total, group)
            if rest is not None:
                group, j = group + rest[0], rest[1]
            continue
        if w in words.scale and w != "hundred" and words.scale[w] < last:
            scale = words.scale[w]
            total, largest, last = total + group * scale, max(largest, scale), scale
            group, j = 0.0, j + 1
            if w == "dozen":
                break
            if tokens.next_word(j) == "and" and _half_at(tokens, j + 1):
                continue  # "a million and a half"
            more = _after_scale(tokens, j, words, scale)
            if more is None:
                break
            group, j = more  # "two million three hundred thousand", "a thousand and one"
            continue
        if w == "and" and _half_at(tokens, j + 1) and not halved:
            if group:
                group += 0.5  # "one and a half million"
            else:
                total += last / 2  # "a million and a half"
            halved, j = True, j + 3
            continue
        if w == "point" and not total and not halved:  # "two point five", "zero point three"
            decimals = _decimals(tokens, j + 1, words)
            if decimals is not None:
                group, j = group + decimals[0], decimals[1]
            else:
                break
            continue
        break
    value = total + group
    return _make(tokens, i, j, value, largest, "cardinal")


def _half_at(tokens: _Tokens, j: int) -> bool:
    return tokens.next_word(j) in {"a", "an"} and tokens.next_word(j + 1) == "half"


def _after_and(
    tokens: _Tokens, j: int, words: _Words, total: float, group: float
) -> tuple[float, int] | None:
    """ "and fifty" (or "fifty") after "two hundred": its value and end. Not when what follows
    makes it the second number of a range: "between two hundred and five hundred"."""
    k = j + 1 if tokens.next_word(j) == "and" else j
    if not tokens.joined(k) or _half_at(tokens, k):
        return None
    small = _small(tokens, k, words)
    if small is None:
        return None
    after = tokens.next_word(small[1])
    if after == "hundred" or (after in words.scale and (total or _between_before(tokens, j))):
        return None
    return small


def _after_scale(tokens: _Tokens, j: int, words: _Words, scale: float) -> tuple[float, int] | None:
    """The number below `scale` that goes on after it: "ninety-nine" in "one thousand
    ninety-nine", "five" in "two thousand and five". Not what starts a number of its own:
    "two thousand and three thousand" is a range; "and" after "between" joins a range too."""
    k = j + 1 if tokens.next_word(j) == "and" else j
    if not tokens.joined(k) or (k > j and _between_before(tokens, j)):
        return None
    small = _small(tokens, k, words)
    if small is None:
        return None
    after = tokens.next_word(small[1])
    if after in words.scale and after != "hundred" and words.scale[after] >= scale:
        return None
    return small


def _between_before(tokens: _Tokens, j: int) -> bool:
    """Whether "between" comes a few words before word j (the number is a range's first)."""
    return "between" in tokens.low[max(0, j - 6) : j]


def _decimals(tokens: _Tokens, j: int, words: _Words) -> tuple[float, int] | None:
    """ "five" or "two five" after "point": the decimals and the end."""
    digits = ""
    while (w := tokens.next_word(j)) in words.unit and words.unit[w] < 10:
        digits += str(int(words.unit[w]))
        j += 1
    return (float("0." + digits), j) if digits else None
