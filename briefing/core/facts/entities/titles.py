"""Titles and nationality adjectives inside a run: where a name starts after them.

"U.S. Secretary of State Mike Pompeo" holds a place, a title and a person; these
rules find the cut points so that each becomes its own span with the right evidence.
"""

from __future__ import annotations

from briefing.core.facts import roles
from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Doc
from briefing.core.facts.entities.shapes import is_acronym, is_known_place
from briefing.core.facts.gazetteer import lookup
from briefing.core.facts.lexicon import fold
from briefing.core.facts.tokens import Token

Cut = tuple[list[int], bool, bool, str | None]
"""A span a run is cut into: its word indices, whether it opens the sentence, whether a
title before it makes it a person, and that title ("role")."""


def title_of(doc: Doc, toks: list[Token], run: list[int]) -> list[Cut] | None:
    """A title with "of" before a name: "U.S. Secretary of State Mike Pompeo", "Governor
    of the Bank of England Andrew Bailey". The name is a person with the whole title as
    role; a place or body before the title or inside its object is a name of its own;
    a title with no name after it ("the Chief of Staff") is no entity.

    Returns the spans to add, in order (none for a bare title), or None for no such title."""
    if len(run) < 4 or not any(toks[k].text in vocab.OF_FOR for k in run):
        return None
    words = [k for k in run if toks[k].text != "."]
    while words and fold(toks[words[0]].text) in vocab.DETERMINERS:
        words = words[1:]
    n = len(words)
    h = -1
    for k in range(min(n - 2, 5)):
        w = toks[words[k]].text
        if w[0].isupper() and roles.is_head(w) and toks[words[k + 1]].text.casefold() in {
            "of",
            "for",
        }:
            h = k
            break
        if not (roles.is_role_word(w) or is_acronym(w) or lookup(w) is not None):
            return None
    if h < 0:
        return None
    obj = h + 2
    name = next(
        (k for k in range(obj + 1, n - 1) if fold(toks[words[k]].text) in doc.given), -1
    )
    if name < 0:
        name = obj
        after_and = True  # the object's first word is never the name
        while name < n:
            t = toks[words[name]].text
            f = fold(t)
            place_end = _place_end(doc, toks, words, name)
            if place_end > name:
                name = place_end  # "King of Saudi Arabia"
                after_and = False
                continue
            if not (
                after_and
                or f in vocab.CONNECT
                or roles.is_role_word(t)
                or f in doc.keywords
                or f in doc.suffixes
                or f in doc.place_words
                or f in doc.demonyms
                or is_known_place(lookup(t))
            ):
                break
            after_and = f in {"and", "&", "of", "for", "the"}  # never end on a connector
            name += 1
    rest = words[name:]
    if len(rest) > 4:
        return None
    cuts: list[Cut] = []
    # The title's own names: "U.S." before it, "the Bank of England" after "of".
    pre = words[:h]
    while pre and roles.is_role_word(toks[pre[-1]].text):
        pre = pre[:-1]
    if pre:
        dem = demonym_len(doc, toks, pre, 0)
        if dem == len(pre):
            place = doc.demonyms.get(fold(" ".join(toks[k].text for k in pre)))
            if place:
                doc.countries.append(place)
        else:
            cuts.append((pre, False, False, None))
    inner = words[obj:name]
    while inner and toks[inner[0]].text.casefold() in vocab.CONNECT:
        inner = inner[1:]
    while inner and toks[inner[-1]].text.casefold() in vocab.CONNECT:
        inner = inner[:-1]
    if any(
        toks[k].is_cap and not roles.is_role_word(toks[k].text) for k in inner
    ):
        cuts.append((inner, False, False, None))
    if rest:
        last = name - 1
        while last > h and toks[words[last]].text.casefold() in vocab.CONNECT:
            last -= 1
        role = doc.current_text[toks[words[0]].start : toks[words[last]].end]
        cuts.append((rest, False, True, role))
    return cuts


def _place_end(doc: Doc, toks: list[Token], words: list[int], j: int) -> int:
    """End of the longest gazetteer place of two or more words at words[j], or j."""
    start = toks[words[j]].start
    for e in range(min(len(words), j + 4), j + 1, -1):
        if is_known_place(lookup(doc.current_text[start : toks[words[e - 1]].end])):
            return e
    return j


def place_starts(
    doc: Doc, toks: list[Token], words: list[int], j: int, big_cities: bool = False
) -> bool:
    """Whether words[j:] starts with a country or region of the gazetteer (or a big city)."""
    start = toks[words[j]].start
    for e in range(len(words), j + 1, -1):
        place = lookup(doc.current_text[start : toks[words[e - 1]].end])
        if place is not None and (place.kind != "city" or (big_cities and is_known_place(place))):
            return True
    return False


def demonym_len(doc: Doc, toks: list[Token], words: list[int], j: int) -> int:
    if j + 1 < len(words):
        two = fold(toks[words[j]].text + " " + toks[words[j + 1]].text)
        if two in doc.demonyms:
            return 2
        if fold(toks[words[j]].text) in vocab.COMPASS and fold(toks[words[j + 1]].text) in doc.demonyms:
            return 2  # "South American", "West African"
    if fold(toks[words[j]].text) in doc.demonyms:
        return 1
    return 0


def ends_in_org_word(doc: Doc, toks: list[Token], words: list[int]) -> bool:
    heads = [k for k in words if not toks[k].text[0].isdigit()]
    last = fold(toks[(heads or words)[-1]].text)
    return last in doc.keywords or last in doc.suffixes or last in doc.place_words


def role_prefix(doc: Doc, toks: list[Token], words: list[int], j: int) -> int:
    """End of a leading title ("Prime Minister", "Secretary of State"), or j if none."""
    k = j
    last_head = -1
    while k < len(words):
        w = toks[words[k]].text
        if roles.is_head(w):
            last_head = k
        elif not (roles.is_role_word(w) or w.casefold() in {"of", "for", "and", "&"}):
            break
        k += 1
    while k > last_head + 1 and toks[words[k - 1]].text.casefold() in {"and", "&"}:
        k -= 1
    if last_head < 0:
        return j
    end = k if k > last_head + 1 and toks[words[last_head + 1]].text.casefold() not in {
        "of",
        "for",
    } else last_head + 1
    if k > last_head + 1 and toks[words[last_head + 1]].text.casefold() in {"of", "for"}:
        # "Secretary of State Mike Pompeo": the title runs up to the given name.
        m = last_head + 2
        while m < len(words) and fold(toks[words[m]].text) not in doc.given:
            m += 1
        end = m if m < len(words) else last_head + 1
    rest = words[end:]
    if not rest:
        return j
    if len(rest) == 1 and fold(toks[rest[-1]].text) in doc.keywords | doc.suffixes:
        return j
    head = toks[words[last_head]].text.casefold()
    if head in vocab.AMBIGUOUS_TITLES and len(rest) < 2:
        return j
    return end


def inner_role(
    doc: Doc, toks: list[Token], words: list[int]
) -> tuple[list[int], list[int]] | None:
    for h in range(1, len(words) - 1):
        w = toks[words[h]].text
        if not (w[0].isupper() and roles.is_head(w)):
            continue
        if fold(w) in doc.keywords:
            continue
        if toks[words[h - 1]].text.casefold() in {"of", "the", "for"}:
            continue
        r = h + 1
        while r < len(words) and roles.is_role_word(toks[words[r]].text):
            r += 1
        right = words[r:]
        if not right or toks[right[0]].text.casefold() in vocab.CONNECT:
            continue
        if ends_in_org_word(doc, toks, right):
            continue
        b = h
        while b - 1 >= 0 and roles.is_role_word(toks[words[b - 1]].text):
            b -= 1
        left = words[:b]
        while left and toks[left[-1]].text.casefold() in vocab.CONNECT:
            left.pop()
        if left and demonym_len(doc, toks, left, 0) == len(left):
            place = doc.demonyms.get(fold(" ".join(toks[k].text for k in left)))
            if place:
                doc.countries.append(place)
            left = []
        return left, right
    return None
