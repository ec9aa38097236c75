"""Merging: the passes that find one real thing behind several spellings.

Each pass handles one way news shortens a name (a surname, an acronym, a first word)
and only joins groups, so the passes can be read and tested one at a time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Doc, Mention
from briefing.core.facts.entities.groups import Group, best_type, typed_otherwise
from briefing.core.facts.entities.shapes import is_acronym
from briefing.core.models import EntityType

_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)")


def after_locative(doc: Doc, m: Mention) -> bool:
    """The mention follows a preposition of place ("in Lucena", "near Lucena")."""
    before = doc.sentences[m.sentence][: m.start].split()
    return bool(before) and before[-1].casefold() in vocab.TOWN_LOCATIVES


def surname_votes(groups: list[Group], doc: Doc, root: Callable[[int], int]) -> None:
    """A name of two to four words with no organisation word whose last word also stands
    alone ("Wassim Mansouri" ... "Mansouri") is a person: organisations are shortened to their
    first word ("Northrop" for "Northrop Grumman"), people to their last."""
    singles: dict[str, int] = {}
    for gi, g in enumerate(groups):
        if groups[gi].parent < 0 and g.mentions and " " not in g.key and not g.key.startswith("place:"):
            singles[g.key] = gi
    if not singles:
        return
    for gi, g in enumerate(groups):
        parts = g.key.split()
        if groups[gi].parent >= 0 or not g.mentions or not 2 <= len(parts) <= 4:
            continue
        if g.key.startswith("place:") or typed_otherwise(g.votes, 2.0):
            continue
        if any(p in doc.keywords or p in doc.suffixes or p in doc.place_words for p in parts):
            continue
        si = singles.get(parts[-1])
        if si is None or si == gi or typed_otherwise(groups[si].votes, 3.0):
            continue
        if parts[-1] in doc.common or is_acronym(groups[si].mentions[0].text):
            continue
        short = groups[si].votes
        g.votes["person"] = g.votes.get("person", 0.0) + 2.0 + sum(short.values())


def coordinated_votes(
    doc: Doc, groups: list[Group], root: Callable[[int], int], kinds: list[EntityType]
) -> None:
    """Names in one list are of one kind: in "Google, Meta and TikTok" the camel-cased
    "TikTok" (a product, by its letters alone) is a company like the two beside it.

    Only a weak "other" (letters alone, under 3 votes, no digits) gives way, and only to
    a kind at least two other members of the list hold. `kinds` (each group's
    `best_type`) is kept up to date with the votes given.
    """
    by_sentence: dict[int, list[tuple[Mention, int]]] = {}
    for gi, g in enumerate(groups):
        if g.parent < 0:
            for m in g.mentions:
                by_sentence.setdefault(m.sentence, []).append((m, gi))
    for si, ms in by_sentence.items():
        if len(ms) < 3:
            continue
        ms.sort(key=lambda mg: mg[0].start)
        text = doc.sentences[si]
        chains: list[list[int]] = [[ms[0][1]]]
        for (a, _), (b, gb) in zip(ms, ms[1:], strict=False):
            if _LIST_GAP.fullmatch(text, a.end, b.start):
                chains[-1].append(gb)
            else:
                chains.append([gb])
        for chain in chains:
            if len(chain) < 3:
                continue
            chain_kinds = [kinds[root(gi)] for gi in chain]
            others = Counter(k for k in chain_kinds if k != "other")
            if not others:
                continue
            major, count = others.most_common(1)[0]
            if count < 2:
                continue
            for gi, kind in zip(chain, chain_kinds, strict=True):
                r = root(gi)
                g = groups[r]
                votes = g.votes
                if kind != "other" or votes.get("other", 0.0) >= 3.0:
                    continue
                if any(c.isdigit() for m in g.mentions for c in m.text):
                    continue  # "RAV4", "A350": models keep their kind
                votes[major] = votes.get(major, 0.0) + votes.get("other", 0.0) + 0.5
                kinds[r] = best_type(votes)
