"""One story, many outlets: group articles about the same event into story clusters.

Runs incrementally at ingest: each new article is scored only against stored articles
published within `WINDOW_DAYS` that share a title word or topic with it (found through an
in-memory inverted index), never against the whole store. It must never merge two
existing clusters or renumber one: cluster ids are the id of the story's first article,
so ids already shown in the list stay valid.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter, mul

from briefing.core.models.meta import ArticleMeta
from briefing.core.store.store import Store
from briefing.core.text.fold import STORY_STOPWORDS, fold_key, fold_text

WINDOW_DAYS = 3.0
"""Articles further apart than this are never one story: a meeting a week later is a new event."""
THRESHOLD = 0.28
"""Lowest story score (0..1) at which a new article joins a cluster; tuned with bench/clusters.py."""
SAME_SOURCE_FACTOR = 0.6
"""One outlet rarely writes the same event twice; its second piece is usually a follow-up."""
BODY_WORDS = 250
"""Only the lead of the text counts: feed summaries and full articles then compare fairly."""
FEATURE_CACHE = 4096
"""Features of this many stored articles are kept; older ones are recomputed on demand.
The articles being clustered are kept whatever their number (see ClusterIndex.batch)."""
IDF_DAYS = 30.0
"""Word and entity rarity is counted over the articles this close to the new ones: wide
enough that "Turkey" in a Turkey-heavy week still counts as common, narrow enough that
a refresh reads a month of metadata, not the whole store."""
COMMON_KEY_MIN = 200
COMMON_KEY_SHARE = 0.05
"""A key shared by more articles of the window than both of these is not used to find
candidates (the story score still weighs it, at its low rarity)."""
MAX_MEMBERS = 6
"""A story's members scored against a new article at most (the nearest in time)."""
MIN_IDF_ARTICLES = 2000
"""Fewer stored articles than this around the new ones, and the rarity window widens."""
MAX_CANDIDATES = 12
"""At most this many stored articles are scored per new one: those sharing the most and the
rarest title words and topics. Bounds the work on a busy news week whatever the store's size."""
CANDIDATE_WALK = 600
"""Posting entries read to find one article's candidates, at most: its rarest keys' first
(they carry the most weight), so a title of common words costs a bounded walk."""
RARITY_GROWTH = 1.5
"""Rarities are recounted when the index has grown by this factor: a word's rarity moves
with the ratio of its articles to all, which growth alone hardly changes, and each
recount reweighed every article compared after it."""

_DAY = 86400.0
_Span = tuple[float, float]
_WORD = re.compile(r"[^\W_][\w'\-]*")


def tokens(text: str) -> list[str]:
    """Content words, folded and lightly stemmed, so "Libya's talks" and "libya talk" agree."""
    return [word for word in map(_content_word, _WORD.findall(fold_text(text))) if word]


@lru_cache(maxsize=1 << 16)
def _content_word(raw: str) -> str:
    """A folded word as `tokens` keeps it, "" if it is none: cached, as most words of a
    refresh were seen a moment before (a third of tokenising an article's lead)."""
    word = raw.strip("'-")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 3 or word in STORY_STOPWORDS or word.isdigit():
        return ""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What one article contributes to story matching: its words, entities, time and outlet."""

    id: str
    ts: float
    source: str
    words: dict[str, int]
    """Term counts of the title (counted twice) and the lead of the text."""
    entities: frozenset[str]
    """Folded topic keys of its entities and key phrases (feed tags excluded)."""


@dataclass(frozen=True, slots=True)
class _Weighted:
    """An article's features weighted by the index's current rarities: computed once per
    article and rarity refresh, not once per comparison."""

    vector: dict[str, float]
    """Unit-length TF-IDF vector of its words."""
    terms: frozenset[str]
    """The vector's words: two articles' common words are then a set intersection of
    stored hashes, where intersecting two dicts' keys built a set each time."""
    entities: dict[str, float]
    """Its entities' weights."""
    entity_total: float
    """Sum of its entities' weights."""


@dataclass(slots=True)
class ClusterStats:
    """Running counts, exposed so tests and benches can check the cost stays small."""

    comparisons: int = 0
    """Pairs of articles scored since the process started."""
    assigned: int = 0
    joined: int = 0
    """Articles that joined an existing story (the rest started their own)."""


STATS = ClusterStats()


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one new article went: its cluster, and the best match that put it there."""

    id: str
    cluster: str
    match: str | None
    score: float


@dataclass(slots=True)
class _Entry:
    ts: float
    keys: tuple[str, ...]
    source: str
    cluster: str | None


@dataclass(slots=True)
class ClusterIndex:
    """Inverted index of the store's articles by title word and topic, with posting lists
    sorted by time so a date window is two bisections; plus document frequencies for
    weighting. Built from metadata only (no bodies), then kept current: one index can
    serve every batch of a refresh (see `cluster_index`).
    """

    entries: dict[str, _Entry] = field(default_factory=dict)
    postings: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    df: Counter[str] = field(default_factory=Counter)
    features: OrderedDict[str, StoryFeatures] = field(default_factory=OrderedDict)
    """Features of stored articles read back for comparison, the FEATURE_CACHE latest."""
    batch: dict[str, StoryFeatures] = field(default_factory=dict)
    """Features of the articles being clustered, computed from the text in hand and never
    evicted: a batch larger than the cache otherwise re-read and re-tokenised each body
    once per comparison."""
    members: dict[str, list[str]] = field(default_factory=dict)
    """Story cluster -> its articles in the index, for average-link scoring."""
    story_sizes: dict[str, int] = field(default_factory=dict)
    """Story cluster -> its articles in the whole store."""
    covered: list[_Span] = field(default_factory=list)
    """Sorted disjoint time spans whose stored articles are all in the index."""
    reach: float | None = None
    """Days read around each new article, settled by the first batch (None before it)."""
    _idf_cache: dict[str, float] = field(default_factory=dict)
    _idf_at: int = 0
    _weighted: dict[str, _Weighted] = field(default_factory=dict)
    """Weighted features by article id, for the current rarities only."""

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, meta: ArticleMeta, ts: float, title_words: Sequence[str] | None = None) -> None:
        """Index an article; one indexed before its facts were (phase 1) is indexed again
        by its new topics, and what was computed from it is forgotten."""
        keys = _index_keys(meta, title_words)
        entry = self.entries.get(meta.id)
        if entry is not None:
            if entry.keys != keys:
                self._rekey(meta.id, entry, keys)
            return
        self.entries[meta.id] = _Entry(ts, keys, fold_key(meta.source or meta.feed or ""), meta.cluster)
        for key in keys:
            insort(self.postings.setdefault(key, []), (ts, meta.id))
        self.df.update(keys)
        if meta.cluster:
            self.members.setdefault(meta.cluster, []).append(meta.id)

    def add_window(self, articles: Iterable[tuple[ArticleMeta, float]]) -> None:
        """`add` for the stored articles of a date window, read at once: their postings are
        sorted once at the end instead of kept sorted article by article (an insort per
        key of each of a month's 6,000 articles was a tenth of an ingest's story index)."""
        touched: set[str] = set()
        entries, postings, members = self.entries, self.postings, self.members
        for meta, ts in articles:
            if meta.id in entries:
                self.add(meta, ts)
                continue
            keys = _index_keys(meta)
            entries[meta.id] = _Entry(ts, keys, fold_key(meta.source or meta.feed or ""), meta.cluster)
            for key in keys:
                postings.setdefault(key, []).append((ts, meta.id))
            touched.update(keys)
            self.df.update(keys)
            if meta.cluster:
                members.setdefault(meta.cluster, []).append(meta.id)
        for key in touched:
            postings[key].sort()

    def _rekey(self, aid: str, entry: _Entry, keys: tuple[str, ...]) -> None:
        for key in entry.keys:
            posting = self.postings.get(key, [])
            at = bisect_left(posting, (entry.ts, aid))
            if at < len(posting) and posting[at] == (entry.ts, aid):
                del posting[at]
            self.df[key] -= 1
        entry.keys = keys
        for key in keys:
            insort(self.postings.setdefault(key, []), (entry.ts, aid))
        self.df.update(keys)
        self.forget_texts([aid])

    def set_cluster(self, aid: str, cluster: str) -> None:
        self.entries[aid].cluster = cluster
        self.members.setdefault(cluster, []).append(aid)

    def _refresh_rarities(self) -> None:
        # Rarities are kept until the index has grown (RARITY_GROWTH): they move slowly,
        # and a log per word per comparison dominated a busy refresh.
        n = len(self.entries)
        if n > self._idf_at * RARITY_GROWTH + 10:
            self._idf_cache.clear()
            self._weighted.clear()
            self._idf_at = n

    def idf(self, key: str) -> float:
        self._refresh_rarities()
        value = self._idf_cache.get(key)
        if value is None:
            value = self._idf_cache[key] = self._rarity(key)
        return value

    def _rarity(self, key: str) -> float:
        return math.log((len(self.entries) + 1) / (self.df.get(key, 0) + 1)) + 1.0

    def entity_weight(self, entity: str) -> float:
        return self.idf("@" + entity)

    def weighted(self, features: StoryFeatures) -> _Weighted:
        """An article's TF-IDF vector and entity weight, kept until the rarities are refreshed."""
        self._refresh_rarities()
        cached = self._weighted.get(features.id)
        if cached is not None:
            return cached
        # `idf` inlined: a call per word was a third of the cost when each refresh of the
        # rarities reweighs every article compared after it.
        cache, rarity = self._idf_cache, self._rarity
        raw: dict[str, float] = {}
        for word, count in features.words.items():
            idf = cache.get(word)
            if idf is None:
                idf = cache[word] = rarity(word)
            raw[word] = count * idf
        length = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        vector = {w: v / length for w, v in raw.items()}
        entities = {e: self.entity_weight(e) for e in features.entities}
        weighted = _Weighted(vector, frozenset(vector), entities, sum(entities.values()))
        self._weighted[features.id] = weighted
        if len(self._weighted) > FEATURE_CACHE + len(self.batch):
            self._weighted.pop(next(iter(self._weighted)))
        return weighted

    def candidates(
        self, aid: str, *, window: float = WINDOW_DAYS * _DAY, limit: int = MAX_CANDIDATES
    ) -> list[str]:
        """Stored articles within the window sharing keys with `aid`, most shared weight first."""
        entry = self.entries[aid]
        weight: dict[str, float] = {}
        get = weight.get
        lo_key, hi_key = (entry.ts - window,), (entry.ts + window, "\uffff")
        common = max(COMMON_KEY_MIN, int(len(self.entries) * COMMON_KEY_SHARE))
        spans: list[tuple[int, str, list[tuple[float, str]], int, int]] = []
        for key in entry.keys:
            posting = self.postings.get(key, [])
            lo, hi = bisect_left(posting, lo_key), bisect_right(posting, hi_key)
            if 1 < hi - lo <= common:  # a word in every article of the week finds nothing and costs much
                spans.append((hi - lo, key, posting, lo, hi))
        budget = CANDIDATE_WALK
        for size, key, posting, lo, hi in sorted(spans, key=itemgetter(0, 1)):
            if budget <= 0:
                break
            budget -= size
            idf = self.idf(key)
            for _, other in posting[lo:hi]:
                weight[other] = get(other, 0.0) + idf
        weight.pop(aid, None)
        if len(weight) > limit:
            # Sorting hundreds of ids by a Python key to keep a dozen cost more than the
            # walk: cut at the limit-th weight (floats sort in C) and sort what remains.
            least = sorted(weight.values())[-limit]
            weight = {other: w for other, w in weight.items() if w >= least}
        return sorted(weight, key=lambda other: (-weight[other], other))[:limit]

    def forget_texts(self, ids: Iterable[str]) -> None:
        """Drop what was computed from these articles' texts (replaced, e.g. by the full
        article): the next comparison reads the new text."""
        for aid in ids:
            self.batch.pop(aid, None)
            self.features.pop(aid, None)
            self._weighted.pop(aid, None)

    def remember(self, features: StoryFeatures) -> None:
        self.features[features.id] = features
        self.features.move_to_end(features.id)
        while len(self.features) > FEATURE_CACHE:
            self.features.popitem(last=False)


def _index_keys(meta: ArticleMeta, title_words: Sequence[str] | None = None) -> tuple[str, ...]:
    keys = dict.fromkeys(tokens(meta.title) if title_words is None else title_words)
    for name, kind in meta.topics:
        if kind != "tag":
            keys["@" + fold_key(name)] = None
    return tuple(keys)


def _effective_ts(meta: ArticleMeta) -> float:
    """Published time; for undated articles the time it was stored, the best guess of when it was news."""
    if meta.ts is not None:
        return meta.ts
    return meta.fetched or 0.0


def _spans(stamps: Iterable[float], reach: float) -> list[_Span]:
    """The union of [t - reach, t + reach] around each stamp, as sorted disjoint spans."""
    spans: list[_Span] = []
    for t in sorted(stamps):
        lo, hi = t - reach, t + reach
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def _uncovered(spans: list[_Span], covered: list[_Span]) -> list[_Span]:
    """The parts of `spans` outside `covered` (both sorted and disjoint), sorted and
    disjoint; a part may share an end point with `covered` (read twice, added once)."""
    out: list[_Span] = []
    for lo, hi in spans:
        for c_lo, c_hi in covered:
            if c_hi < lo or c_lo > hi:
                continue
            if c_lo > lo:
                out.append((lo, c_lo))
            lo = max(lo, c_hi)
            if lo >= hi:
                break
        if lo < hi:
            out.append((lo, hi))
    return out


def _union(a: list[_Span], b: list[_Span]) -> list[_Span]:
    """The union of two lists of sorted disjoint spans, sorted and disjoint."""
    merged: list[_Span] = []
    for lo, hi in sorted(a + b):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def cluster_index(
    store: Store, new_ids: Iterable[str] = (), index: ClusterIndex | None = None
) -> ClusterIndex:
    """An index of the stored articles near the new ones in time.

    Only articles within a window of a new one can share a story with it; rarity is
    counted over IDF_DAYS around them. So a day's refresh into years of news reads a
    month of metadata, whatever the store's size.

    Given an `index` from an earlier batch, extends it with the stored articles around
    the new ones that it lacks, reading only dates it does not cover yet: a refresh that
    stores its articles in many batches builds its index once, not once per batch (and
    once given every article it will cluster, reads the store once: see `ingest.enrich`).
    Story sizes are counted from the store only when dates were read; in between,
    `assign_clusters` keeps them, so a batch costs what it holds, not the store's size.
    """
    pending = set(new_ids)
    new_metas = [m for m in (store.meta(aid) for aid in pending) if m is not None]
    index = ClusterIndex() if index is None else index
    stamps = [_effective_ts(m) for m in new_metas]
    reach = index.reach or IDF_DAYS
    spans = _spans(stamps, reach * _DAY)
    missing = _uncovered(spans, index.covered)
    nearby = store.articles_between(missing) if missing else []
    if index.reach is None:
        # A thin month (a new or small store) gives noisy rarities: widen until there is enough.
        while len(nearby) < MIN_IDF_ARTICLES and reach < 20 * 365:
            reach *= 4
            spans = _spans(stamps, reach * _DAY)
            nearby = store.articles_between(spans)
        index.reach = reach if stamps else None
    index.covered = _union(index.covered, spans)
    stored = (m for m in nearby if m.id not in pending and not m.pending)  # the rest join when enriched
    index.add_window((meta, _effective_ts(meta)) for meta in stored)
    if missing or not index.covered:
        index.story_sizes = store.cluster_sizes(loaded_only=True)
    return index


StoryWords = tuple[list[str], dict[str, int]]
"""An article's title words, and the term counts it is compared by (`story_words`)."""


def story_words(title: str, text: str) -> StoryWords:
    """The title's words, and the counts of the title's (twice) and the lead's words.

    The per-article half of clustering, which a facts worker can do (see
    `ingest.prepare`) so the process that stores a large refresh does not.
    """
    title_words = tokens(title)
    words = Counter(title_words * 2)
    words.update(tokens(text[: BODY_WORDS * 16])[:BODY_WORDS])  # ~16 characters per content word, generously
    return title_words, dict(words)


def features_of(
    text: str, meta: ArticleMeta, ts: float, words: dict[str, int] | None = None
) -> StoryFeatures:
    """Title twice plus the lead of the text; entities from the article's topics.

    `words` are the article's `story_words` counts, where already computed."""
    if words is None:
        words = story_words(meta.title, text)[1]
    entities = frozenset(fold_key(name) for name, kind in meta.topics if kind != "tag")
    source = fold_key(meta.source or meta.feed or "")
    return StoryFeatures(meta.id, ts, source, words, entities)


def _features(store: Store, index: ClusterIndex, aid: str) -> StoryFeatures | None:
    cached = index.batch.get(aid) or index.features.get(aid)
    if cached is not None:
        return cached
    text, meta = store.text_of(aid), store.meta(aid)  # the body alone: no facts parsed
    if text is None or meta is None:
        return None
    features = features_of(text, meta, index.entries[aid].ts)
    index.remember(features)
    return features


def _read_features(store: Store, index: ClusterIndex, ids: list[str]) -> None:
    """The features of candidates not yet in hand, their bodies read a segment at a time:
    one by one, candidates spread over a year's segments parsed a segment each."""
    missing = [aid for aid in ids if aid not in index.batch and aid not in index.features]
    if len(missing) < 2:
        return
    for aid, _, text in store.texts_of(missing):
        meta = store.meta(aid)
        if meta is not None:
            index.remember(features_of(text, meta, index.entries[aid].ts))


def story_score(a: StoryFeatures, b: StoryFeatures, index: ClusterIndex) -> float:
    """How likely two articles report the same event, 0..1.

    Half TF-IDF cosine of title and lead words, half rarity-weighted overlap of their
    entities, then discounted with the distance in time and for a shared outlet.
    """
    if abs(a.ts - b.ts) > WINDOW_DAYS * _DAY:
        return 0.0
    return _score(a, index.weighted(a), b, index.weighted(b))


def _score(a: StoryFeatures, wa: _Weighted, b: StoryFeatures, wb: _Weighted) -> float:
    """`story_score` of two articles within the window, given their weights."""
    days = abs(a.ts - b.ts) / _DAY
    text = _cosine(wa, wb)
    common = a.entities & b.entities
    if common:
        mutual = sum(map(wa.entities.__getitem__, common))
        both = wa.entity_total + wb.entity_total - mutual  # the weight of the union
        shared = mutual / both if both > 0.0 else 0.0
    else:
        shared = 0.0
    score = 0.5 * text + 0.5 * shared
    score *= 1.0 - 0.1 * days
    if a.source and a.source == b.source:
        score *= SAME_SOURCE_FACTOR
    return score


def _cosine(a: _Weighted, b: _Weighted) -> float:
    """Cosine of two unit vectors: the dot product over their common words only (found
    by a set intersection, which runs in C; most pairs share few words)."""
    common = a.terms & b.terms  # iterated twice in the same order: the same sum as a loop
    products: Iterable[float] = map(mul, map(a.vector.__getitem__, common), map(b.vector.__getitem__, common))
    return sum(products)


def assign_clusters(
    store: Store, new_ids: Sequence[str], texts: Mapping[str, str] | None = None,
    *, index: ClusterIndex | None = None, words: Mapping[str, StoryWords] | None = None,
) -> list[Assignment]:
    """Give each new article a cluster id: the story it matches best, or its own id.

    New articles are taken oldest first and join the index as they go, so a batch that
    carries three outlets' reports of one event forms one cluster. All ids are written in
    one store update per segment. `texts` (article id -> body) spares reading back the
    bodies the caller has just stored; articles missing from it are read from the store.
    `index`, kept by the caller across the batches of one refresh, is extended rather
    than rebuilt for each. `words` holds the `story_words` of articles whose words a worker
    has already counted.
    """
    if not new_ids:
        return []
    index = cluster_index(store, new_ids, index)
    metas = [m for m in (store.meta(aid) for aid in dict.fromkeys(new_ids)) if m is not None]
    texts, counted = texts or {}, words or {}
    for meta in metas:
        ts, known = _effective_ts(meta), counted.get(meta.id)
        if known is not None:
            index.add(meta, ts, known[0])
            index.batch[meta.id] = features_of("", meta, index.entries[meta.id].ts, known[1])
            continue
        index.add(meta, ts)
        text = texts.get(meta.id)
        if text is None:
            text = store.text_of(meta.id) or ""
        index.batch[meta.id] = features_of(text, meta, index.entries[meta.id].ts)
    metas.sort(key=lambda m: (index.entries[m.id].ts, m.id))
    assignments: list[Assignment] = []
    fresh = {m.id for m in metas}
    for meta in metas:
        match, score = _best_story(store, index, meta.id, fresh)
        if match is None:
            cluster = meta.id
        else:
            cluster = index.entries[match].cluster or match
            STATS.joined += 1
            if index.entries[match].cluster is None:  # stored before clustering: name its story
                index.set_cluster(match, cluster)
                assignments.append(Assignment(match, cluster, None, 0.0))
        index.set_cluster(meta.id, cluster)
        fresh.discard(meta.id)
        STATS.assigned += 1
        assignments.append(Assignment(meta.id, cluster, match, round(score, 3)))
    store.set_clusters({done.id: done.cluster for done in assignments})
    sizes = index.story_sizes
    for done in assignments:
        sizes[done.cluster] = sizes.get(done.cluster, 0) + 1
    return assignments


def _best_story(store: Store, index: ClusterIndex, aid: str, fresh: set[str]) -> tuple[str | None, float]:
    """The stored article whose story this one joins, by average link over the story's members.

    Averaging (rather than taking the best single match) stops chains: a follow-up that
    resembles Monday's meeting and Wednesday's expulsion does not glue the two together.
    Members outside the date window count as zero.
    """
    mine = _features(store, index, aid)
    if mine is None:
        return None, 0.0
    scores: dict[str, float] = {}
    weighted = index.weighted
    my_weights = weighted(mine)  # rarities refreshed here: nothing is added to the index below
    known = index._weighted
    window = WINDOW_DAYS * _DAY

    def score(other: str) -> float:
        found = scores.get(other)
        if found is not None:
            return found
        theirs = _features(store, index, other)
        STATS.comparisons += 1
        if theirs is None or abs(mine.ts - theirs.ts) > window:
            found = 0.0
        else:
            found = _score(mine, my_weights, theirs, known.get(other) or weighted(theirs))
        scores[other] = found
        return found

    best: tuple[float, str] | None = None
    seen: set[str] = set()
    entries = index.entries
    candidates = index.candidates(aid)
    _read_features(store, index, [c for c in candidates if c not in fresh])
    for other in candidates:
        if other in fresh:
            continue  # not yet placed: it is compared when its own turn comes
        story = index.entries[other].cluster or other
        if story in seen:
            continue
        seen.add(story)
        members = index.members.get(story) or [other]
        if score(other) < THRESHOLD / 2:
            continue
        # Members too far away to be in the index still count, as zeros; a long story is
        # judged by its MAX_MEMBERS members nearest in time, so a flood of near-identical
        # items costs linear work, not quadratic.
        size = max(len(members), index.story_sizes.get(story, 0))
        if len(members) > MAX_MEMBERS:
            members = sorted(members, key=lambda m: abs(entries[m].ts - mine.ts))[:MAX_MEMBERS]
            size = MAX_MEMBERS
        average = sum(score(m) for m in members) / size
        if average >= THRESHOLD and (best is None or average > best[0]):
            representative = max(members, key=score)
            best = (average, representative)
    return (best[1], best[0]) if best else (None, 0.0)


def cluster_of(meta: ArticleMeta) -> str:
    """The story an article belongs to; an article stored before clustering is its own."""
    return meta.cluster or meta.id


def group_by_story(metas: Iterable[ArticleMeta]) -> dict[str, list[ArticleMeta]]:
    """Articles by story cluster, each story oldest first: one pass for the list's
    "also in: ..." line, instead of a scan of the store per row.
    """
    groups: dict[str, list[ArticleMeta]] = {}
    for meta in metas:
        groups.setdefault(cluster_of(meta), []).append(meta)
    for members in groups.values():
        members.sort(key=lambda m: (m.ts or 0.0, m.id))
    return groups
