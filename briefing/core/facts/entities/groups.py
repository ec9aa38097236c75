"""Groups of mentions that name one thing, and what a group's votes make of it.

Mentions are first grouped by a key from their words alone; the merge passes then
join whole groups, so these helpers only ever read a group, never change one.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Mention
from briefing.core.facts.lexicon import fold
from briefing.core.models import EntityType

_KEY_CACHE: dict[tuple[str, frozenset[str]], str] = {}


@dataclass(slots=True)
class Group:
    key: str
    mentions: list[Mention]
    votes: dict[str, float]
    parent: int = -1


def mention_key(m: Mention, suffixes: frozenset[str]) -> str:
    if m.place is not None and m.votes.get("place", 0) >= 2.0:
        return "place:" + fold(m.place.name)
    cache_key = (m.text, suffixes)
    key = _KEY_CACHE.get(cache_key)
    if key is None:
        key = text_key(m.text, suffixes)
        if len(_KEY_CACHE) > 100_000:
            _KEY_CACHE.clear()
        _KEY_CACHE[cache_key] = key
    return key


def text_key(text: str, suffixes: frozenset[str]) -> str:
    """The grouping key of a name from its words alone."""
    parts = fold(text).replace("’", "'").split()
    while len(parts) > 1 and (parts[-1] in suffixes or parts[-1] in vocab.KEY_DROP):
        parts.pop()
    if parts and parts[0] == "the" and len(parts) > 1:
        parts = parts[1:]
    if 2 <= len(parts) <= 3 and parts[-1] in vocab.OFFICE_HEADS and "of" not in parts:
        parts = [parts[-1], "of", *parts[:-1]]  # "Justice Department" = "Department of Justice"
    key = " ".join(parts)
    if len(key) > 2 and key.endswith("s") and key[-2].isdigit():
        key = key[:-1]
    return key


def best_type(votes: dict[str, float]) -> EntityType:
    # Nothing known about a name: an organisation, the commonest kind of unknown name in news.
    get = votes.get
    best: EntityType = "organization"
    score = 0.0
    v = get("person", 0.0)
    if v > score:
        best, score = "person", v
    v = get("place", 0.0)
    if v > score:
        best, score = "place", v
    v = get("organization", 0.0)
    if v > score:
        best, score = "organization", v
    if get("other", 0.0) > score:
        best = "other"
    return best


def position(m: Mention) -> tuple[int, int]:
    return (m.sentence, m.start)


def first_at(g: Group) -> tuple[int, int]:
    return min(((m.sentence, m.start) for m in g.mentions), default=(1 << 30, 0))


def city_only(g: Group) -> bool:
    return all(m.place is None or m.place.kind == "city" for m in g.mentions) and any(
        m.place is not None for m in g.mentions
    )


def company_name(g: Group, suffixes: frozenset[str]) -> bool:
    """A name with a company word after its first: "Toyota Motor Corp", "Acme Holdings Ltd"."""
    return best_type(g.votes) == "organization" and any(
        fold(w) in suffixes for m in g.mentions for w in m.text.split()[1:]
    )


def typed_otherwise(votes: dict[str, float], bar: float) -> bool:
    return (
        votes.get("organization", 0.0) >= bar
        or votes.get("place", 0.0) >= bar
        or votes.get("other", 0.0) >= 2.2
    )
