"""What a word's letters alone say: an acronym, camel case, a year, a plural.

These checks need no document, so they are memoised per word for every document
and shared by every stage (runs, spans, typing, merging).
"""

from __future__ import annotations

import re

from briefing.core.facts.entities import vocab
from briefing.core.facts.gazetteer import BIG_CITY_POPULATION, Place
from briefing.core.facts.tokens import Token, tokenize, without_article

_NAME_PREFIXES = ("mc", "mac", "o'", "o’", "d'", "d’", "fitz", "de", "di", "du", "la", "le")

DIGIT = re.compile(r"\d")

_CAMEL = re.compile(r"[a-zß-ÿ][A-ZÀ-Þ]")

_YEARLIKE = range(1900, 2100)

_ACRONYMS: dict[str, bool] = {}


def is_acronym(word: str) -> bool:
    hit = _ACRONYMS.get(word)
    if hit is None:
        letters = word.replace(".", "").replace("&", "")
        hit = 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()
        if len(_ACRONYMS) < 100_000:
            _ACRONYMS[word] = hit
    return hit


def is_year(word: str) -> bool:
    return word.isdigit() and len(word) == 4 and int(word) in _YEARLIKE


def looks_title_cased(title: str, tokens: list[Token] | None = None) -> bool:
    """Most longer words capitalised ("Chinese Probe Lands on Far Side"), or, in a short
    headline, a capitalised connector after its first word ("Why the Fires in Australia
    Are So Bad") with most words capitalised."""
    if tokens is None:
        tokens = tokenize(title)
    words = [w for w in tokens if w.is_word and len(w.text) > 3]
    if len(words) >= 3:
        caps = sum(1 for w in words if w.text[0].isupper())
        return caps / len(words) >= 0.7
    all_words = [w.text for w in tokens if w.is_word]
    if len(all_words) < 4 or not any(w in vocab.TITLE_CONNECTORS for w in all_words[1:]):
        return False
    return sum(1 for w in all_words if w[0].isupper()) / len(all_words) >= 0.7


def is_known_place(place: Place | None) -> bool:
    return place is not None and (place.kind != "city" or place.population >= BIG_CITY_POPULATION)


def of_head(folded: list[str]) -> tuple[str, str]:
    """The word before the first "of"/"for"/"de" of a name ("university" of "University of X"),
    and that connector."""
    for k in range(1, len(folded) - 1):
        if folded[k] in vocab.OF_WORDS:
            return folded[k - 1], folded[k]
    return "", ""


def singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def is_camel(word: str) -> bool:
    """"TurkStream", "MacBook": an inner capital after a lower-case letter, not "McCain"
    nor "al-Qaeda", nor a short acronym written in mixed case ("BoE", "DoD": a body)."""
    if _CAMEL.search(word) is None:
        return False
    if len(word) <= 4 and is_mixed_case_acronym(word):
        return False
    bare = without_article(word)
    if bare is not None:
        return is_camel(bare)
    low = word.casefold()
    for prefix in _NAME_PREFIXES:
        if low.startswith(prefix) and word[len(prefix) : len(prefix) + 1].isupper():
            return _CAMEL.search(word[len(prefix) :]) is not None  # "McCain", "DeSantis"
    return True


def initials(words: list[str]) -> str:
    return "".join(
        w[0] for w in words if w and w.casefold() not in {"of", "and", "&", "the", "for", "de"}
    ).upper()


def is_mixed_case_acronym(word: str) -> bool:
    """"BoE", "DoD", "PiS": a short word with two or more capitals, written like an acronym."""
    return (
        2 <= len(word) <= 5
        and word[0].isupper()
        and word.isalpha()
        and sum(c.isupper() for c in word) >= 2
    )


def is_bracket_acronym(word: str, name: str) -> bool:
    """An acronym in brackets after `name`: "RAF", "Ministry of Defence (MoD)", or the
    acronym of the name in its own language ("Law and Justice (PiS)")."""
    return is_acronym(word) or is_mixed_case_acronym(word)
