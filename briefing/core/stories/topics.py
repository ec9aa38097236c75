"""Linked topics: canonical entities and key phrases shared across the store.

Built once in memory from the store's index rows and updated as articles arrive, so
the sidebar's counts and filters never scan the store per keypress. Kept compact, as it
covers every article of a store of a year: articles are numbers, each topic's articles a
sorted array of them; ids, sets and per-article tuples are made only for what is asked.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TypeVar, overload

from briefing.core.stories.article_numbers import ArticleNumbers, NumberLists, discard, insert
from briefing.core.stories.topic_names import (
    capitals,
    junk_topic,
    place_names,
    spelling_key,
    without_company_suffix,
)
from briefing.core.text.fold import fold_key

_T = TypeVar("_T")
TopicRow = tuple[str, Sequence[tuple[str, str]], float, Sequence[Sequence[str]]]
"""An article as the index takes it: id, (name, kind) topics, time, (alias, name) links."""
_KIND_ORDER = {"person": 0, "place": 1, "organization": 2, "other": 3, "phrase": 4, "tag": 5}

@dataclass(slots=True)
class Topic:
    """One topic of the store with the articles that carry it."""

    key: str
    name: str
    kind: str
    numbers: array[int] = field(default_factory=lambda: array("i"), repr=False)
    """Its articles' numbers, sorted (see `ArticleNumbers`)."""
    latest: float = 0.0
    """Epoch seconds of its newest article, for recency ordering."""
    aliases: tuple[str, ...] = ()
    """Its other spellings and short forms in the store ("Erdogan", "Tayyip Erdoğan")."""
    ids: ArticleNumbers = field(default_factory=ArticleNumbers, repr=False, compare=False)

    @property
    def articles(self) -> set[str]:
        """Its articles' ids, made when asked: a set per topic for a whole store's
        topics was most of the index's memory."""
        number_id = self.ids.id
        return {number_id(n) for n in self.numbers}

    @property
    def count(self) -> int:
        return len(self.numbers)


@dataclass(slots=True)
class _Raw:
    """One folded name as the articles wrote it, before names are joined into topics."""

    articles: array[int] = field(default_factory=lambda: array("i"))
    """The numbers of the articles that wrote it, sorted."""
    spellings: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    latest: float = 0.0

    def kind(self) -> str:
        """The kind most articles gave it; a tie goes to the more specific kind."""
        return min(self.kinds.items(), key=lambda kv: (-kv[1], kind_order(kv[0])))[0]

    def name(self) -> str:
        return _most_written(self.spellings)


class TopicIndex:
    """Topic -> articles, kept in memory; filters are set operations.

    Each article's (name, kind) pairs are kept as written; the topics are worked out from
    all of them together, the same whatever order the articles came in: one topic per
    folded spelling and transliteration, and a lone surname with the one person of the
    store whose name ends with it. Reads work the topics out again only after a change.
    """

    def __init__(self) -> None:
        self._raw: dict[str, _Raw] = {}
        self._ids = ArticleNumbers()
        self._alive = bytearray()
        """Article number -> whether the index holds the article."""
        self._rows = NumberLists()
        """Article number -> its raw keys, numbered in `_key_names`."""
        self._key_names: list[str] = []
        self._key_numbers: dict[str, int] = {}
        self._topics: dict[str, Topic] = {}
        self._aliases: dict[str, str] = {}
        self._canonical: dict[str, str] = {}
        """Raw key -> the key of its topic."""
        self._by_spelling: dict[str, str] = {}
        self._people_by_last: dict[str, set[str]] = {}
        """Last word (transliterated alike) -> the people's topics whose name ends with it."""
        self._links = NumberLists()
        """Article number -> the (alias key, topic key) links its facts made (see `links_of`),
        numbered in `_pairs`."""
        self._pairs: list[tuple[str, str]] = []
        self._pair_numbers: dict[tuple[str, str], int] = {}
        self._evidence: dict[str, Counter[str]] = {}
        """Alias key -> the topic keys articles linked it to, and how many articles did."""
        self._alias_names: dict[str, str] = {}
        self._dirty = False

    # -- the topics, worked out on demand -------------------------------------------------

    @property
    def topics(self) -> dict[str, Topic]:
        if self._dirty:
            self._resolve()
        return self._topics

    @property
    def by_article(self) -> Mapping[str, tuple[str, ...]]:
        """Article id -> its topics' keys, worked out when asked (a tuple per article of
        the store, kept, cost more than the rest of the index)."""
        return _ByArticle(self)

    @property
    def aliases(self) -> dict[str, str]:
        """Other keys linked to a topic: "erdogan" -> "recep tayyip erdogan"."""
        if self._dirty:
            self._resolve()
        return self._aliases

    def _topics_of(self, number: int) -> tuple[str, ...]:
        """The keys of the topics an article carries, in the order it gave them."""
        if self._dirty:
            self._resolve()
        keys = map(self._key_names.__getitem__, self._rows.get(number))
        if not self._aliases:
            return tuple(keys)
        canonical = self._canonical
        return tuple(dict.fromkeys(canonical.get(k, k) for k in keys))

    def add(
        self,
        article_id: str,
        topics: Iterable[tuple[str, str]],
        ts: float,
        *,
        links: Iterable[Sequence[str]] = (),
    ) -> None:
        """Index an article's (name, kind) pairs, and the (alias, name) links its own facts
        show ("NATO" is its "North Atlantic Treaty Organization")."""
        number = self._ids.number(article_id)
        if number < len(self._alive) and self._alive[number]:
            self.remove(article_id)
        keys: list[str] = []
        linked = self._add_links(number, links)
        changed = self._dirty or linked
        for name, kind in topics:
            if junk_topic(name, kind):
                continue
            key = fold_key(name)
            if not key or key in keys:
                continue
            raw = self._raw.get(key)
            if raw is None:
                raw = self._raw[key] = _Raw()
                changed = True
            elif not changed and (
                kind not in raw.kinds or name not in raw.spellings
                or len(raw.kinds) > 1 or len(raw.spellings) > 1
            ):
                # Another kind or spelling may change the kind or name the topic goes by.
                before = (raw.kind(), raw.name())
                raw.spellings[name] += 1
                raw.kinds[kind] += 1
                changed = (raw.kind(), raw.name()) != before
                raw.spellings[name] -= 1
                raw.kinds[kind] -= 1
            if raw.articles and raw.articles[-1] >= number:
                insert(raw.articles, number)
            else:  # most articles: newer than the rest
                raw.articles.append(number)
            raw.spellings[name] += 1
            raw.kinds[kind] += 1
            if ts > raw.latest:
                raw.latest = ts
            keys.append(key)
        self._set_row(number, keys)
        if changed:
            self._dirty = True
            return
        # Only names already known, of their known kind and spelling: each joins the topic
        # it joined before, so the topics are patched instead of worked out again.
        for key in keys:
            topic = self._topics[self._canonical[key]]
            if topic.numbers is not self._raw[key].articles:  # a topic of several names
                insert(topic.numbers, number)
            if ts > topic.latest:
                topic.latest = ts

    def add_all(self, rows: Iterable[TopicRow], numbers: array[int]) -> None:
        """`add` for each (id, topics, time, links) row, as a whole store is read;
        `numbers` are the rows' ids as numbers, in their order. Into an empty index, each
        distinct (name, kind) is judged and folded once, not once per article carrying
        it, and the ids are numbered at once (500,000 articles took 14 s one `add` at a
        time); the topics are worked out when next asked, as after `add`."""
        if not self._ids.number_all(numbers):  # not empty, or an id given twice
            for aid, topics, ts, links in rows:
                self.add(aid, topics, ts, links=links)
            return
        keyed: dict[tuple[str, str], str] = {}
        raws = self._raw
        for number, (_, topics, ts, links) in enumerate(rows):
            if links:
                self._add_links(number, links)
            keys: list[str] = []
            for pair in topics:
                key = keyed.get(pair)
                if key is None:
                    name, kind = pair
                    key = keyed[pair] = "" if junk_topic(name, kind) else fold_key(name)
                if not key or key in keys:
                    continue
                raw = raws.get(key)
                if raw is None:
                    raw = raws[key] = _Raw()
                raw.articles.append(number)  # numbered in order: each array stays sorted
                raw.spellings[pair[0]] += 1
                raw.kinds[pair[1]] += 1
                if ts > raw.latest:
                    raw.latest = ts
                keys.append(key)
            self._set_row(number, keys)
        self._dirty = True

    def _set_row(self, number: int, keys: list[str]) -> None:
        """Record an article's raw keys, numbered."""
        if number >= len(self._alive):
            self._alive.extend(bytes(number + 1 - len(self._alive)))
        numbered = self._key_numbers
        row: list[int] = []
        for key in keys:
            k = numbered.get(key)
            if k is None:
                k = numbered[key] = len(self._key_names)
                self._key_names.append(sys.intern(key))
            row.append(k)
        self._alive[number] = 1
        self._rows.set(number, row)

    def _add_links(self, number: int, links: Iterable[Sequence[str]]) -> bool:
        """Record an article's links; whether one bears on a name already indexed."""
        pairs: list[tuple[str, str]] = []
        for link in links:
            if len(link) != 2:
                continue
            alias, name = link[0], link[1]
            a, t = fold_key(alias), fold_key(name)
            if a and t and a != t and (a, t) not in pairs:
                pairs.append((a, t))
                self._alias_names.setdefault(a, alias)
        if not pairs:
            return False
        numbered = self._pair_numbers
        for pair in pairs:
            if pair not in numbered:
                numbered[pair] = len(self._pairs)
                self._pairs.append(pair)
        self._links.set(number, [numbered[p] for p in pairs])
        evidence = self._evidence
        for a, t in pairs:
            votes = evidence.get(a)
            if votes is None:
                votes = evidence[a] = Counter()
            votes[t] += 1
        return any(a in self._raw for a, _ in pairs)

    def remove(self, article_id: str) -> None:
        number = self._ids.find(article_id)
        if number is None or number >= len(self._alive) or not self._alive[number]:
            self._dirty = True
            return
        for a, t in (self._pairs[p] for p in self._links.get(number)):
            votes = self._evidence.get(a)
            if votes is not None:
                votes[t] -= 1
                if votes[t] <= 0:
                    del votes[t]
                if not votes:
                    del self._evidence[a]
                    self._alias_names.pop(a, None)
        self._links.clear(number)
        for k in self._rows.get(number):
            key = self._key_names[k]
            raw = self._raw.get(key)
            if raw is None:
                continue
            discard(raw.articles, number)
            if not raw.articles:
                del self._raw[key]
        self._alive[number] = 0
        self._rows.clear(number)
        self._dirty = True

    def copy(self) -> TopicIndex:
        """A private copy (the UI thread reads one while a refresh adds to the store's own)."""
        if self._dirty:
            self._resolve()
        out = TopicIndex()
        out._raw = {
            k: _Raw(r.articles[:], Counter(r.spellings), Counter(r.kinds), r.latest)
            for k, r in self._raw.items()
        }
        out._ids = self._ids.copy()
        out._alive = bytearray(self._alive)
        out._rows = self._rows.copy()
        out._key_names, out._key_numbers = list(self._key_names), dict(self._key_numbers)
        out._topics = {}
        for k, t in self._topics.items():
            own = self._raw.get(k)
            shared = own is not None and own.articles is t.numbers  # a one-name topic's array
            numbers = out._raw[k].articles if shared else t.numbers[:]
            out._topics[k] = Topic(t.key, t.name, t.kind, numbers, t.latest, t.aliases, out._ids)
        out._aliases = dict(self._aliases)
        out._canonical = dict(self._canonical)
        out._by_spelling = dict(self._by_spelling)
        out._people_by_last = {k: set(v) for k, v in self._people_by_last.items()}
        out._links = self._links.copy()
        out._pairs, out._pair_numbers = list(self._pairs), dict(self._pair_numbers)
        out._evidence = {k: Counter(v) for k, v in self._evidence.items()}
        out._alias_names = dict(self._alias_names)
        return out

    def _resolve(self) -> None:
        """Join the raw names into topics: first the spellings of one name, then the short
        forms of people into the one person each can only be, then the aliases the
        articles' own facts link to one topic."""
        raw = self._raw
        kinds = {k: r.kind() for k, r in raw.items()}
        head = _spelling_heads(raw, kinds)  # 1. spellings of one name, of one kind
        # 2. People: a short form of a person's name joins the one person it can be.
        people_by_last: dict[str, set[str]] = {}
        for key, kind in kinds.items():
            if kind == "person" and head[key] == key and " " in key:
                people_by_last.setdefault(spelling_key(key).rsplit(" ", 1)[-1], set()).add(key)
        target: dict[str, str] = {}
        for key in sorted(head, key=lambda k: -k.count(" ")):
            h = head[key]
            if h != key:
                continue
            found = self._person_of(key, people_by_last, target) if kinds[key] == "person" else None
            target[key] = found if found is not None else key
        # 3. Links the articles' own facts show: an alias ("NATO", an acronym in brackets
        # or a short form the article merged) joins the one topic of its kind they link it to.
        edges = [
            (key, linked)
            for key in head
            if head[key] == key and target[key] == key
            and (linked := self._linked(key, kinds, head, target)) is not None
        ]
        if edges:
            _join_linked(edges, target, raw)
        canonical = {k: _follow(target, head[k]) for k in raw}
        topics, aliases = self._build(canonical, head, kinds)  # 4. the topics
        self._topics = topics
        self._aliases = aliases
        self._canonical = canonical
        self._by_spelling = {spelling_key(k): c for k, c in canonical.items()}
        self._people_by_last = {}
        for c, topic in topics.items():
            if topic.kind == "person" and " " in c:
                self._people_by_last.setdefault(spelling_key(c).rsplit(" ", 1)[-1], set()).add(c)
        self._dirty = False

    def _build(
        self, canonical: dict[str, str], head: dict[str, str], kinds: dict[str, str]
    ) -> tuple[dict[str, Topic], dict[str, str]]:
        """The topics, each named by its own most written spelling, and the other keys
        that lead to one."""
        raw = self._raw
        linked_to: dict[str, list[str]] = {}  # aliases no article wrote alone, by topic
        for a, votes in self._evidence.items():
            if a not in raw:
                t = votes.most_common(1)[0][0]
                if t in canonical:
                    linked_to.setdefault(canonical[t], []).append(a)
        members: dict[str, list[str]] = {}
        for k, c in canonical.items():
            members.setdefault(c, []).append(k)
        topics: dict[str, Topic] = {}
        aliases: dict[str, str] = {}
        for c, keys in members.items():
            if len(keys) == 1 and head[c] == c:  # most topics: one name, as the articles wrote it
                r = raw[c]
                name = r.name()
                others = [self._alias_names[a] for a in linked_to.get(c, ())]
                others += [s for s in r.spellings if s != name]
                alias_names = tuple(dict.fromkeys(n for n in others if n != name))
                topics[c] = Topic(c, name, kinds[c], r.articles, r.latest, alias_names, self._ids)
                continue
            names: Counter[str] = Counter()
            if len(keys) == 1:
                articles, latest = raw[c].articles, raw[c].latest
            else:
                articles = array("i", sorted(set(chain.from_iterable(raw[k].articles for k in keys))))
                latest = max(raw[k].latest for k in keys)
                aliases.update((k, c) for k in keys if k != c)
            for k in keys:
                if head[k] == c:  # its own spellings, not its short forms
                    names.update(raw[k].spellings)
            name = _most_written(names)
            others = [raw[k].name() for k in sorted(keys, key=lambda k: (-len(raw[k].articles), k))]
            others += [self._alias_names[a] for a in linked_to.get(c, ())]
            others += [s for s in names if s != name]
            alias_names = tuple(dict.fromkeys(n for n in others if n != name))
            topics[c] = Topic(c, name, kinds[c], articles, latest, alias_names, self._ids)
        return topics, aliases

    def _linked(
        self, key: str, kinds: dict[str, str], head: dict[str, str], target: dict[str, str]
    ) -> str | None:
        """The topic the articles' links join `key` to: one of its kind that at least four
        in five of the links name; never for an alias of fewer than three letters, nor
        for a lone word of a body that is no acronym ("Commission")."""
        votes = self._evidence.get(key)
        if not votes or sum(c.isalnum() for c in key) < 3:
            return None
        kind = kinds[key]
        name = self._raw[key].name()
        if kind != "person" and " " not in key and not (name.isupper() or capitals(name) >= 2):
            return None  # "Commission" may be any commission: only acronyms and fuller names
        tally: Counter[str] = Counter()
        for t, n in votes.items():
            if t in head and kinds[t] == kind:
                c = _follow(target, head[t])
                if c != key:
                    tally[c] += n
        if not tally:
            return None
        best, n = tally.most_common(1)[0]
        if n < 2 and len(self._raw[key].articles) > n:
            return None  # one article's link never joins two names each written elsewhere
        return best if n * 5 >= sum(tally.values()) * 4 else None

    @staticmethod
    def _person_of(key: str, people_by_last: dict[str, set[str]], target: dict[str, str]) -> str | None:
        """The one person (already joined) whose longer name ends with `key`, if only one.

        Never from a short form of one or two letters ("Xi", "R"), never across kinds (a
        company "Ford" is not "Gerald Ford"; a place never joins a person)."""
        if any(len(w) < 3 for w in key.split()):
            return None
        short = spelling_key(key)
        found = {
            target.get(p, p)
            for p in people_by_last.get(short.rsplit(" ", 1)[-1], ())
            if p != key and spelling_key(p).endswith(" " + short)
        }
        return found.pop() if len(found) == 1 else None

    def get(self, name: str) -> Topic | None:
        key = fold_key(name)
        topics = self.topics
        hit = topics.get(self._aliases.get(key, key))
        if hit is None:
            spelled = self._by_spelling.get(spelling_key(key))
            hit = topics.get(spelled) if spelled is not None else None
        if hit is None and key in self._evidence:
            # "NATO" never written alone: the topic the articles link it to
            linked = self._evidence[key].most_common(1)[0][0]
            hit = topics.get(self._aliases.get(linked, linked))
        if hit is None and key:
            # "Erdogan", written by no article alone: the one person whose name ends so.
            found = self._person_of(key, self._people_by_last, {})
            hit = topics.get(found) if found is not None else None
        if hit is None and key:
            # "Kiev": a place's other name, as the facts engine's gazetteer knows it.
            from briefing.core.facts.gazetteer import lookup

            place = lookup(name)
            if place is not None and (k := fold_key(place.name)) != key:
                hit = topics.get(self._aliases.get(k, k))
        return hit

    def ranked(self, now: float, *, limit: int | None = None) -> list[Topic]:
        """Topics by salience and recency: many articles, recently."""

        def score(t: Topic) -> float:
            age_days = max(0.0, (now - t.latest) / 86400.0)
            return t.count / (1.0 + age_days / 30.0)

        ordered = sorted(self.topics.values(), key=lambda t: (-score(t), t.name))
        return ordered[:limit] if limit else ordered

    def by_count(self, *, limit: int | None = None) -> list[Topic]:
        """Topics by their number of articles (then newest, then name)."""
        ordered = sorted(self.topics.values(), key=lambda t: (-t.count, -t.latest, t.name))
        return ordered[:limit] if limit else ordered

    def matching(self, keys: Iterable[str], *, mode: str = "and") -> set[str] | None:
        """Article ids carrying all (or any) of the topics; None means no filter."""
        topics = self.topics
        keys = [self._aliases.get(k, k) for k in keys]
        arrays = [topics[k].numbers if k in topics else array("i") for k in keys]
        if not arrays:
            return None
        if mode == "or":
            found: set[int] = set().union(*arrays)
        else:
            arrays.sort(key=len)
            found = set(arrays[0])
            for numbers in arrays[1:]:
                found.intersection_update(numbers)
        number_id = self._ids.id
        return {number_id(n) for n in found}

    def count_by_topic(self, article_ids: Iterable[str]) -> dict[str, int]:
        """Topic key -> how many of these articles carry it (the sidebar's unread counts):
        the same as counting `by_article` of each, the ids looked up in one sorted walk."""
        if self._dirty:
            self._resolve()
        alive, rows = self._alive, self._rows
        merged = bool(self._aliases)
        counts: Counter[str] = Counter()
        flat = array("I")  # every article's raw keys, counted at once
        for number in self._ids.find_many(article_ids):
            if number < len(alive) and alive[number]:
                if merged:  # two names of one topic in one article count once
                    counts.update(self._topics_of(number))
                else:
                    flat.extend(rows.get(number))
        names = self._key_names
        for k, n in Counter(flat).items():
            counts[names[k]] += n
        return dict(counts)

    def cooccurring(self, key: str, *, limit: int = 8) -> list[tuple[Topic, int]]:
        """The topics most often seen in the same articles as `key`."""
        topics = self.topics
        topic = topics.get(key)
        if topic is None:
            return []
        counts: Counter[str] = Counter()
        for number in topic.numbers:
            counts.update(k for k in self._topics_of(number) if k != key)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], topics[kv[0]].name))
        return [(topics[k], n) for k, n in ranked[:limit]]

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


class _ByArticle(Mapping[str, tuple[str, ...]]):
    """`TopicIndex.by_article`: each article's topics, worked out from its raw keys when
    looked up."""

    __slots__ = ("_index",)

    def __init__(self, index: TopicIndex) -> None:
        self._index = index

    def __getitem__(self, article_id: str) -> tuple[str, ...]:
        found = self.get(article_id)
        if found is None:
            raise KeyError(article_id)
        return found

    @overload
    def get(self, article_id: str, /) -> tuple[str, ...] | None: ...

    @overload
    def get(self, article_id: str, /, default: tuple[str, ...] | _T) -> tuple[str, ...] | _T: ...

    def get(self, article_id: str, /, default: object = None) -> object:
        """Without the KeyError of Mapping's: the reader asks this of every article."""
        index = self._index
        number = index._ids.find(article_id)
        if number is None or number >= len(index._alive) or not index._alive[number]:
            return default
        return index._topics_of(number)

    def __len__(self) -> int:
        return self._index._alive.count(1)

    def __iter__(self) -> Iterator[str]:
        index = self._index
        alive, number_id = index._alive, index._ids.id
        return (number_id(n) for n in range(len(alive)) if alive[n])


def _spelling_heads(raw: dict[str, _Raw], kinds: dict[str, str]) -> dict[str, str]:
    """Each raw key -> the key of its spelling group: the same name folded or transliterated
    alike, of one kind ("Kiev" = "Kyiv", "Apple Inc." = "Apple", "Zelenskiy" = "Zelensky")."""
    by_spelling: dict[tuple[str, str], list[str]] = {}
    for key in raw:
        kind = kinds[key]
        if kind == "place":
            spelled = place_names().get(key, key)
        elif kind == "organization":
            spelled = spelling_key(without_company_suffix(key))
        else:
            spelled = spelling_key(key)
        by_spelling.setdefault((spelled, kind), []).append(key)
    head: dict[str, str] = {}
    for (spelled, _), keys in by_spelling.items():
        best = keys[0]
        if len(keys) > 1:  # the gazetteer's name (the bare company), else the most written
            best = max(keys, key=lambda k: (k == spelled, len(raw[k].articles), -len(k), k))
        for k in keys:
            head[k] = best
    return head


def _join_linked(edges: list[tuple[str, str]], target: dict[str, str], raw: dict[str, _Raw]) -> None:
    """Join each group of linked names under the one most articles name ("White House",
    not the "White House Russia" one article ran together), whatever the order."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for node in {n for edge in edges for n in edge}:
        groups.setdefault(find(node), []).append(node)
    for members in groups.values():
        best = max(members, key=lambda m: (len(raw[m].articles) if m in raw else 0, m.count(" "), m))
        for m in members:
            target[m] = best




def _follow(target: dict[str, str], key: str) -> str:
    """Where a chain of joins ends ("nato" -> "north atlantic treaty organization")."""
    seen = {key}
    while (nxt := target.get(key, key)) != key and nxt not in seen:
        seen.add(nxt)
        key = nxt
    return key


def _most_written(spellings: Counter[str]) -> str:
    """The spelling most articles wrote; a name as written beats a feed's lower-case tag, and
    a tie goes to the spelling with accents ("Erdoğan", not "Erdogan")."""
    return max(spellings.items(), key=_spelling_rank)[0]


def _spelling_rank(kv: tuple[str, int]) -> tuple[bool, bool, int, bool, str]:
    name = kv[0]
    shouted = " " in name and name.isupper()  # "BUBONIC PLAGUE" from a headline in capitals
    return (not shouted, name != name.lower(), kv[1], not name.isascii(), name)


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
