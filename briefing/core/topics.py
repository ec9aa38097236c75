"""Linked topics: canonical entities and key phrases shared across the store.

Built once in memory from the store's index rows and updated as articles arrive, so
the sidebar's counts and filters never scan the store per keypress.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

_KIND_ORDER = {"person": 0, "place": 1, "organization": 2, "other": 3, "phrase": 4, "tag": 5}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Diacritic- and case-insensitive form: "Erdoğan" and "erdogan" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = stripped.replace("ı", "i").replace("’", "'").casefold()
    # "united-states" (a feed tag) and "United States" (an entity) are one topic.
    return " ".join(folded.replace("-", " ").replace("_", " ").split())


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

    def add(self, article_id: str, topics: Iterable[tuple[str, str]], ts: float) -> None:
        keys: list[str] = []
        for name, kind in topics:
            key = fold(name)
            if not key or key in keys:
                continue
            topic = self.topics.get(key)
            if topic is None:
                topic = self.topics[key] = Topic(key, name, kind)
            topic.articles.add(article_id)
            if ts > topic.latest:
                topic.latest = ts
            keys.append(key)
        self.by_article[article_id] = tuple(keys)

    def remove(self, article_id: str) -> None:
        for key in self.by_article.pop(article_id, ()):
            topic = self.topics.get(key)
            if topic is not None:
                topic.articles.discard(article_id)
                if not topic.articles:
                    del self.topics[key]

    def get(self, name: str) -> Topic | None:
        return self.topics.get(fold(name))

    def ranked(self, now: float, *, limit: int | None = None) -> list[Topic]:
        """Topics by salience and recency: many articles, recently."""

        def score(t: Topic) -> float:
            age_days = max(0.0, (now - t.latest) / 86400.0)
            return t.count / (1.0 + age_days / 30.0)

        ordered = sorted(self.topics.values(), key=lambda t: (-score(t), t.name))
        return ordered[:limit] if limit else ordered

    def matching(self, keys: Iterable[str], *, mode: str = "and") -> set[str] | None:
        """Article ids carrying all (or any) of the topics; None means no filter."""
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

    def related_articles(self, article_id: str, *, limit: int = 8) -> list[tuple[str, float]]:
        """Other articles sharing topics with this one, weighted by topic rarity."""
        import math

        total = max(1, len(self.by_article))
        scores: dict[str, float] = {}
        for key in self.by_article.get(article_id, ()):
            topic = self.topics[key]
            if topic.count <= 1 or topic.count > total * 0.5:
                continue
            weight = math.log(total / topic.count)
            for other in topic.articles:
                if other != article_id:
                    scores[other] = scores.get(other, 0.0) + weight
        best = sorted(scores.items(), key=lambda item: -item[1])[:limit]
        return [(aid, round(s, 3)) for aid, s in best]

    def search(self, query: str, *, limit: int = 50) -> list[Topic]:
        """Fuzzy, diacritic-insensitive topic search: prefix, word-prefix, then subsequence."""
        q = fold(query)
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
