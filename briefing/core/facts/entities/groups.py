"""Groups of mentions that name one thing, kept as an explicit union-find forest.

Only `Groups.merge` joins groups, so each root's votes, mentions and type are current
whenever the next merge pass reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.facts.entities import vocab
from briefing.core.facts.entities.document import Mention
from briefing.core.facts.lexicon import fold
from briefing.core.models.facts import EntityType

_KEY_CACHE: dict[tuple[str, frozenset[str]], str] = {}


@dataclass(slots=True)
class Group:
    key: str
    mentions: list[Mention]
    """Every mention of the tree when this is a root; emptied when merged into another."""
    votes: dict[str, float]
    """Summed over the tree's mentions, so a root's votes speak for all its spellings."""
    parent: int = -1


class Groups:
    """One group per mention key, then joined by the merge passes (see `merging`).

    `kinds[i]` is `best_type(items[i].votes)`, the type every merge rule reads: `merge`
    keeps it up to date for the root it changes, and `retype` after votes change otherwise.
    """

    __slots__ = ("items", "by_key", "kinds", "key_parts")

    def __init__(self, mentions: list[Mention], suffixes: frozenset[str]) -> None:
        self.items: list[Group] = []
        self.by_key: dict[str, int] = {}
        items, by_key = self.items, self.by_key
        for m in mentions:
            m.key = mention_key(m, suffixes)
            gi = by_key.get(m.key)
            if gi is None:
                gi = len(items)
                by_key[m.key] = gi
                items.append(Group(m.key, [], {}))
            g = items[gi]
            g.mentions.append(m)
            for k, v in m.votes.items():
                g.votes[k] = g.votes.get(k, 0.0) + v
        self.kinds: list[EntityType] = ["organization"] * len(items)
        self.key_parts = [g.key.split() for g in items]
        """Each group's key split into words (keys never change)."""

    def __len__(self) -> int:
        return len(self.items)

    def of(self, m: Mention) -> int:
        """The group a mention was put in by its key (not its root: see `root`)."""
        return self.by_key[m.key]

    def root(self, i: int) -> int:
        items = self.items
        while items[i].parent >= 0:
            i = items[i].parent
        return i

    def live(self, i: int) -> bool:
        """Whether group i is a root that still holds mentions (not merged away)."""
        g = self.items[i]
        return g.parent < 0 and bool(g.mentions)

    def merge(self, child: int, parent: int) -> None:
        """Join child's tree into parent's: its votes are added and its mentions moved."""
        items = self.items
        c, p = self.root(child), self.root(parent)
        if c == p:
            return
        items[c].parent = p
        pv = items[p].votes
        for k, v in items[c].votes.items():
            pv[k] = pv.get(k, 0.0) + v
        self.kinds[p] = best_type(pv)
        items[p].mentions.extend(items[c].mentions)
        items[c].mentions = []

    def retype(self) -> None:
        """Work out every group's kind again, after votes changed outside `merge`."""
        self.kinds[:] = [best_type(g.votes) for g in self.items]


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
