"""Linked topics: canonical entities and key phrases shared across the store.

Built once in memory from the store's index rows and updated as articles arrive, so
the sidebar's counts and filters never scan the store per keypress.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefing.core.text.fold import fold_key

if TYPE_CHECKING:
    from briefing.core.models.article import Article

_KIND_ORDER = {"person": 0, "place": 1, "organization": 2, "other": 3, "phrase": 4, "tag": 5}


@dataclass(slots=True)
class Topic:
    """One topic of the store with the articles that carry it."""

    key: str
    name: str
    kind: str
    articles: set[str] = field(default_factory=set)
    latest: float = 0.0
    """Epoch seconds of its newest article, for recency ordering."""

    @property
    def count(self) -> int:
        return len(self.articles)


class TopicIndex:
    """Topic -> articles, kept in memory; filters are set operations."""

    def __init__(self) -> None:
        self.topics: dict[str, Topic] = {}
        self.by_article: dict[str, tuple[str, ...]] = {}
        self.aliases: dict[str, str] = {}
        """Short forms linked across articles to one person: "erdogan" -> "recep tayyip erdogan"."""
        self._people_by_last: dict[str, set[str]] = {}

    def add(self, article_id: str, topics: Iterable[tuple[str, str]], ts: float) -> None:
        keys: list[str] = []
        for name, kind in topics:
            key = fold_key(name)
            key = self.aliases.get(key, key)
            if not key or key in keys:
                continue
            topic = self.topics.get(key)
            if topic is None:
                topic = self.topics[key] = Topic(key, name, kind)
                key = self._link(topic)
                topic = self.topics[key]
            topic.articles.add(article_id)
            if ts > topic.latest:
                topic.latest = ts
            if key not in keys:
                keys.append(key)
        # A later name of this article may have absorbed an earlier one ("Baghdadi", then
        # "Abu Bakr al-Baghdadi"): its key lives on only as an alias.
        self.by_article[article_id] = tuple(dict.fromkeys(self.aliases.get(k, k) for k in keys))

    def _link(self, topic: Topic) -> str:
        """Link a new topic with a person named in full elsewhere in the store.

        An article that says only "Erdoğan" (the facts engine sees one article at a time,
        and may even type a lone surname as an organisation) is about the same man as the
        store's "Recep Tayyip Erdoğan". A short form joins the one person whose name ends
        with it; with two such people ("Trump") it stays apart. Places never join a person
        ("Washington"). Returns the key the topic now lives under.
        """
        words = topic.key.split()
        if topic.kind == "person" and len(words) >= 2:
            longer = self._unique_person(topic.key)  # "tayyip erdogan" after the full name
            if longer is not None:
                self._merge(topic.key, longer)
                return longer
            self._people_by_last.setdefault(words[-1], set()).add(topic.key)
            # short forms seen before the full name
            for short in (" ".join(words[i:]) for i in range(1, len(words))):
                other = self.topics.get(short)
                if other is not None and self._joinable(other) and self._unique_person(short) == topic.key:
                    self._merge(short, topic.key)
            return topic.key
        if self._joinable(topic):
            target = self._unique_person(topic.key)
            if target is not None and target != topic.key:
                self._merge(topic.key, target)
                return target
        return topic.key

    @staticmethod
    def _joinable(topic: Topic) -> bool:
        return topic.kind in ("person", "organization", "other") and len(topic.key.split()) <= 3

    def _unique_person(self, short: str) -> str | None:
        last = short.rsplit(" ", 1)[-1]
        matches = [k for k in self._people_by_last.get(last, ())
                   if k != short and k.endswith(" " + short) and k in self.topics]
        return matches[0] if len(matches) == 1 else None

    def _merge(self, short: str, target: str) -> None:
        gone = self.topics.pop(short)
        into = self.topics[target]
        into.articles |= gone.articles
        into.latest = max(into.latest, gone.latest)
        for aid in gone.articles:
            keys = self.by_article.get(aid, ())
            self.by_article[aid] = tuple(dict.fromkeys(target if k == short else k for k in keys))
        self.aliases[short] = target
        for alias, canonical in list(self.aliases.items()):
            if canonical == short:
                self.aliases[alias] = target

    def remove(self, article_id: str) -> None:
        for key in self.by_article.pop(article_id, ()):
            topic = self.topics.get(key)
            if topic is not None:
                topic.articles.discard(article_id)
                if not topic.articles:
                    del self.topics[key]
                    self._people_by_last.get(key.rsplit(" ", 1)[-1], set()).discard(key)

    def get(self, name: str) -> Topic | None:
        key = fold_key(name)
        return self.topics.get(self.aliases.get(key, key))

    def ranked(self, now: float, *, limit: int | None = None) -> list[Topic]:
        """Topics by salience and recency: many articles, recently."""

        def score(t: Topic) -> float:
            age_days = max(0.0, (now - t.latest) / 86400.0)
            return t.count / (1.0 + age_days / 30.0)

        ordered = sorted(self.topics.values(), key=lambda t: (-score(t), t.name))
        return ordered[:limit] if limit else ordered

    def matching(self, keys: Iterable[str], *, mode: str = "and") -> set[str] | None:
        """Article ids carrying all (or any) of the topics; None means no filter."""
        keys = [self.aliases.get(k, k) for k in keys]
        sets = [self.topics[k].articles if k in self.topics else set() for k in keys]
        if not sets:
            return None
        if mode == "or":
            return set().union(*sets)
        sets.sort(key=len)
        result = set(sets[0])
        for s in sets[1:]:
            result &= s
        return result

    def cooccurring(self, key: str, *, limit: int = 8) -> list[tuple[Topic, int]]:
        """The topics most often seen in the same articles as `key`."""
        topic = self.topics.get(key)
        if topic is None:
            return []
        counts: Counter[str] = Counter()
        for aid in topic.articles:
            counts.update(k for k in self.by_article.get(aid, ()) if k != key)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], self.topics[kv[0]].name))
        return [(self.topics[k], n) for k, n in ranked[:limit]]

    def search(self, query: str, *, limit: int = 50) -> list[Topic]:
        """Fuzzy, diacritic-insensitive topic search: prefix, word-prefix, then subsequence."""
        q = fold_key(query)
        if not q:
            return []
        scored: list[tuple[int, float, str, Topic]] = []
        for key, topic in self.topics.items():
            rank = _fuzzy_rank(q, key)
            if rank is not None:
                scored.append((rank, -topic.count, topic.name, topic))
        scored.sort(key=lambda r: r[:3])
        return [r[3] for r in scored[:limit]]


def _fuzzy_rank(q: str, key: str) -> int | None:
    if key.startswith(q):
        return 0
    if any(word.startswith(q) for word in key.split()):
        return 1
    if q in key:
        return 2
    pos = 0
    for ch in q:
        pos = key.find(ch, pos)
        if pos < 0:
            return None
        pos += 1
    return 3


def kind_order(kind: str) -> int:
    return _KIND_ORDER.get(kind, 9)


def topics_of(article: Article) -> list[list[str]]:
    """The (name, kind) pairs of an article's index row: its facts' topics, then its tags."""
    kinds: dict[str, str] = {}
    if article.facts:
        for entity in article.facts.entities:
            kinds[entity.name] = entity.type
    pairs = [[name, kinds.get(name, "phrase")] for name in (article.facts.topics if article.facts else ())]
    seen = {name for name, _ in pairs}
    pairs += [[tag, "tag"] for tag in article.tags if tag not in seen]
    return pairs
