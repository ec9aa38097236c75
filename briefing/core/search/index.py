"""Full-text search over titles and bodies: a BM25 inverted index kept beside the store.

    store/search/manifest.json     the live segments, oldest first (the commit point)
    store/search/seg-NNNNNN.json   one immutable index segment: ids, lengths, terms, postings

Each ingest writes one new small segment and the manifest, so an update costs what the
batch holds; runs of MERGE_FACTOR like-sized segments are merged up to MAX_SEGMENT_DOCS,
so the segment count stays small. The index is derived data: a missing, damaged or
stale index is rebuilt from the store, never an error for the user. Nothing is read
until the first query (the reader's first frame must not pay for search).
"""

from __future__ import annotations

import binascii
import bisect
import contextlib
import gc
import heapq
import itertools
import math
import re
import sys
import threading
import weakref
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.core.errors import StoreError
from briefing.core.models.article import Article
from briefing.core.store.files import atomic_write, dump_bytes, load_json_file
from briefing.core.store.store import Store
from briefing.core.text.fold import STOPWORDS, fold_word

Analysed = tuple[Mapping[str, int], Sequence[int]]
"""An article's index terms with their counts, and its sorted pair hashes (`document_terms`)."""
_AnalysedDoc = tuple[str, Mapping[str, int], Sequence[int]]

FORMAT_VERSION = 1
TITLE_WEIGHT = 3
"""A title word counts as this many body words: the headline says what a story is about."""
MERGE_FACTOR = 4
"""This many segments of one size class are merged into one (amortised O(log n) rewrites)."""
MAX_SEGMENT_DOCS = 8192
"""Segments stop growing here, so no single ingest ever rewrites more than this many documents."""
MAX_PREFIX_TERMS = 200
"""A prefix query (`erdo*`) expands to at most this many indexed words per segment."""
PHRASE_TEXT_CHECKS = 200
"""Where a segment's pair hashes are lost, phrases are checked on the text of this many candidates."""
K1, B = 1.2, 0.75

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_QUERY = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_fold_cache: dict[str, str] = {}


def _fold_word(word: str) -> str:
    folded = _fold_cache.get(word)
    if folded is None:
        folded = fold_word(word)
        if len(_fold_cache) < 500_000:
            _fold_cache[word] = folded
    return folded


def tokens(text: str) -> list[str]:
    """Folded words in order; a hyphenated word gives its parts and the joined form (s-400: s, 400, s400)."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        word = _fold_word(match.group())
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            out.extend(parts)
            out.append("".join(parts))
        else:
            out.append(word)
    return out


def _index_terms(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS and len(t) <= 64]


def _phrase_tokens(text: str) -> list[str]:
    """Words as they follow each other (no joined forms), for phrase checks."""
    return [p for m in _WORD.finditer(text) for p in _fold_word(m.group()).split("-") if p]


_hash_cache: dict[str, int] = {}


def _word_hash(word: str) -> int:
    h = _hash_cache.get(word)
    if h is None:
        h = zlib.crc32(word.encode())
        if len(_hash_cache) < 500_000:
            _hash_cache[word] = h
    return h


def _pair_hash(first: str, second: str) -> int:
    return ((_word_hash(first) * 0x9E3779B1) ^ _word_hash(second)) >> 7 & 0xFFFF


def _analyse(text: str, pairs: set[int]) -> Counter[str]:
    """The index terms of `text` with their counts; its adjacent word pairs go into `pairs`.

    Pairs are 16-bit hashes: a phrase is in a document when all its pairs are, which is
    wrong for about one pair in 200 random ones and costs 2 bytes per distinct pair.
    """
    cache = _fold_cache
    words = [cache.get(w) or _fold_word(w) for w in _WORD.findall(text)]
    terms: list[str] = words
    if "-" in text:
        sequence: list[str] = []
        terms = []
        for word in words:
            parts = [p for p in word.split("-") if p]
            sequence.extend(parts)
            terms.extend(parts)
            if len(parts) > 1:
                terms.append("".join(parts))
        words = sequence
    found = Counter(terms)
    for term in STOPWORDS.intersection(found):
        del found[term]
    if found and max(map(len, found)) > 64:
        for term in [t for t in found if len(t) > 64]:
            del found[term]
    hashes = [_hash_cache.get(w) or _word_hash(w) for w in words]
    pairs.update([((a * 0x9E3779B1) ^ b) >> 7 & 0xFFFF for a, b in zip(hashes, hashes[1:])])  # noqa: B905
    return found


def document_terms(title: str, text: str) -> tuple[Counter[str], list[int]]:
    """A document's index terms with their counts (title words weighted) and its sorted
    pair hashes: the per-article half of indexing, which a facts worker can do (see
    `ingest.prepare`) so the process that stores a large refresh does not."""
    doc_pairs: set[int] = set()
    counts = _analyse(text, doc_pairs)
    for term, n in _analyse(title, doc_pairs).items():
        counts[term] += n * TITLE_WEIGHT
    return counts, sorted(doc_pairs)


# -- segments ------------------------------------------------------------------------------


def _pack(values: array[int]) -> str:
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return binascii.b2a_base64(values.tobytes(), newline=False).decode("ascii")


def _unpack(typecode: str, text: object) -> array[int]:
    if not isinstance(text, str):
        raise ValueError("not a packed array")
    values = array(typecode)
    values.frombytes(binascii.a2b_base64(text))
    if sys.byteorder == "big":
        values.byteswap()
    return values


@dataclass(slots=True)
class _Segment:
    """An immutable slice of the index; documents are numbered locally from 0."""

    name: str
    ids: list[str]
    lens: array[int]
    """Weighted length of each document (title words count TITLE_WEIGHT times)."""
    terms: list[str]
    """Sorted, so exact and prefix lookups are a bisect."""
    offs: array[int]
    docs: array[int]
    tfs: array[int]
    pair_offs: array[int] | None = None
    """Per document, where its sorted pair hashes start in `pairs` (None: not loaded yet)."""
    pairs: array[int] | None = None
    dead: set[int] = field(default_factory=set)
    """Local numbers shadowed by a newer segment holding the same article."""
    norms: list[float] = field(default_factory=list)

    @classmethod
    def build(cls, name: str, documents: Iterable[tuple[str, str, str]]) -> _Segment:
        """Index documents (id, title, text)."""
        return cls.build_analysed(name, ((aid, *document_terms(title, text)) 
                                         for aid, title, text in documents))

    @classmethod
    def build_analysed(cls, name: str, documents: Iterable[_AnalysedDoc]) -> _Segment:
        """Index documents already analysed: (id, terms with counts, sorted pair hashes).

        The collector is paused: building allocates many acyclic objects, and in a process
        holding a large store each collection would scan it all."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(name, documents)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def _build(cls, name: str, documents: Iterable[_AnalysedDoc]) -> _Segment:
        ids: list[str] = []
        lens = array("H")
        postings: dict[str, tuple[list[int], list[int]]] = {}
        pair_offs, pairs = array("I", [0]), array("H")
        for local, (aid, counts, doc_pairs) in enumerate(documents):
            pairs.extend(doc_pairs)
            pair_offs.append(len(pairs))
            ids.append(aid)
            lens.append(min(sum(counts.values()), 65535))
            for term, n in counts.items():
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = ([], [])
                entry[0].append(local)
                entry[1].append(min(n, 255))
        terms = sorted(postings)
        offs, docs, tfs = array("I", [0]), array("H"), array("B")
        for term in terms:
            d, t = postings[term]
            docs.extend(d)
            tfs.extend(t)
            offs.append(len(docs))
        return cls(name, ids, lens, terms, offs, docs, tfs, pair_offs, pairs)

    @classmethod
    def merged(cls, name: str, parts: Sequence[_Segment]) -> _Segment:
        """One segment from several (oldest first); only the newest copy of an article is kept."""
        newest: dict[str, tuple[int, int]] = {}
        for p, part in enumerate(parts):
            for local, aid in enumerate(part.ids):
                if local not in part.dead:
                    newest[aid] = (p, local)
        ids: list[str] = []
        lens = array("H")
        remap: list[dict[int, int]] = [{} for _ in parts]
        with_pairs = all(part.pairs is not None and part.pair_offs is not None for part in parts)
        pair_offs, pairs = array("I", [0]), array("H")
        for p, part in enumerate(parts):
            for local, aid in enumerate(part.ids):
                if newest.get(aid) == (p, local):
                    remap[p][local] = len(ids)
                    ids.append(aid)
                    lens.append(part.lens[local])
                    if with_pairs:
                        assert part.pairs is not None and part.pair_offs is not None
                        pairs.extend(part.pairs[part.pair_offs[local] : part.pair_offs[local + 1]])
                        pair_offs.append(len(pairs))
        live_terms: list[str] = []
        offs, docs, tfs = array("I", [0]), array("H"), array("B")
        for term in sorted(set().union(*(part.terms for part in parts))):
            for p, part in enumerate(parts):
                span = part.span(term)
                if span is None:
                    continue
                mapping = remap[p]
                for d, t in zip(part.docs[span[0] : span[1]], part.tfs[span[0] : span[1]], strict=True):
                    new = mapping.get(d)
                    if new is not None:
                        docs.append(new)
                        tfs.append(t)
            if len(docs) > offs[-1]:  # a term whose every posting was shadowed is dropped
                live_terms.append(term)
                offs.append(len(docs))
        if not with_pairs:
            return cls(name, ids, lens, live_terms, offs, docs, tfs)
        return cls(name, ids, lens, live_terms, offs, docs, tfs, pair_offs, pairs)

    def span(self, term: str) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.terms, term)
        if i < len(self.terms) and self.terms[i] == term:
            return self.offs[i], self.offs[i + 1]
        return None

    def expand(self, prefix: str) -> list[str]:
        i = bisect.bisect_left(self.terms, prefix)
        out: list[str] = []
        while i < len(self.terms) and self.terms[i].startswith(prefix) and len(out) < MAX_PREFIX_TERMS:
            out.append(self.terms[i])
            i += 1
        return out

    def has_pairs(self, local: int, hashes: Sequence[int]) -> bool:
        assert self.pairs is not None and self.pair_offs is not None
        a, b = self.pair_offs[local], self.pair_offs[local + 1]
        for h in hashes:
            i = bisect.bisect_left(self.pairs, h, a, b)
            if i >= b or self.pairs[i] != h:
                return False
        return True

    def pairs_json(self) -> dict[str, Any]:
        assert self.pairs is not None and self.pair_offs is not None
        return {"v": FORMAT_VERSION, "docs": len(self.ids), "offs": _pack(self.pair_offs),
                "pairs": _pack(self.pairs)}

    def read_pairs(self, data: dict[str, Any]) -> None:
        """Attach stored pair hashes; ValueError if they do not fit this segment."""
        offs, pairs = _unpack("I", data.get("offs")), _unpack("H", data.get("pairs"))
        if (
            data.get("v") != FORMAT_VERSION
            or data.get("docs") != len(self.ids)
            or len(offs) != len(self.ids) + 1
            or offs[0] != 0
            or offs[-1] != len(pairs)
        ):
            raise ValueError("pairs do not fit the segment")
        self.pair_offs, self.pairs = offs, pairs

    def to_json(self) -> dict[str, Any]:
        return {
            "v": FORMAT_VERSION,
            "ids": self.ids,
            "lens": _pack(self.lens),
            "terms": "\n".join(self.terms),
            "offs": _pack(self.offs),
            "docs": _pack(self.docs),
            "tfs": _pack(self.tfs),
        }

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> _Segment:
        """Parse and check a stored segment; ValueError if anything is inconsistent."""
        if data.get("v") != FORMAT_VERSION:
            raise ValueError("unknown segment format")
        ids = data.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("bad ids")
        terms_text = data.get("terms")
        if not isinstance(terms_text, str):
            raise ValueError("bad terms")
        terms = terms_text.split("\n") if terms_text else []
        segment = cls(
            name,
            ids,
            _unpack("H", data.get("lens")),
            terms,
            _unpack("I", data.get("offs")),
            _unpack("H", data.get("docs")),
            _unpack("B", data.get("tfs")),
        )
        offs = segment.offs
        if (
            len(segment.lens) != len(ids)
            or len(offs) != len(terms) + 1
            or offs[0] != 0
            or offs[-1] != len(segment.docs)
            or len(segment.docs) != len(segment.tfs)
            or (len(segment.docs) and max(segment.docs) >= len(ids))
            or any(offs[i] > offs[i + 1] for i in range(len(terms)))
            or terms != sorted(terms)
        ):
            raise ValueError("inconsistent segment")
        return segment


# -- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """One part of a query: a document must contain one of `terms` (or none, if negated)."""

    terms: tuple[str, ...]
    prefix: str | None = None
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    clauses: tuple[Clause, ...]
    phrases: tuple[tuple[str, ...], ...] = ()
    """Word sequences that must appear in this order (checked on the text)."""

    @property
    def empty(self) -> bool:
        return not any(not c.negated for c in self.clauses)


def parse_query(text: str) -> Query:
    """Words are ANDed; "quoted words" must be a phrase; `word*` is a prefix; `-word` excludes.

    Case and diacritics never matter ("erdogan" finds "Erdoğan"); very common words are ignored.
    """
    clauses: list[Clause] = []
    phrases: list[tuple[str, ...]] = []
    for match in _QUERY.finditer(text):
        if match.group(2) is not None:
            negated, raw, quoted = match.group(1) == "-", match.group(2), True
        else:
            negated, raw, quoted = match.group(3) == "-", match.group(4), False
        prefix = not quoted and raw.endswith("*")
        words = _index_terms(raw.rstrip("*"))
        if quoted and not negated:
            sequence = tuple(_phrase_tokens(raw))
            if len(sequence) > 1:
                phrases.append(sequence)
        if not words:
            continue
        hyphenated = [w for w in _WORD.findall(raw) if "-" in w]
        if prefix and len(words) == 1:
            clauses.append(Clause((), prefix=words[0], negated=negated))
        elif hyphenated and not quoted:
            # "S-400" means the compound: the joined form is indexed for exactly this.
            joined = [_fold_word(w).replace("-", "") for w in hyphenated]
            plain = [w for w in words if not any(w in _fold_word(h).split("-") for h in hyphenated)]
            clauses.extend(Clause((w,), negated=negated) for w in dict.fromkeys([*joined, *plain]))
        elif negated:
            clauses.append(Clause(tuple(dict.fromkeys(words)), negated=True))
        else:
            clauses.extend(Clause((w,)) for w in dict.fromkeys(words))
    return Query(tuple(clauses), tuple(phrases))


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    score: float


# -- the index ----------------------------------------------------------------------------


class SearchIndex:
    """The full-text index of one store. Get it with `search_index(store)`; thread-safe."""

    def __init__(self, store: Store) -> None:
        self._store = weakref.ref(store)
        self.root: Path = store.root / "search"
        self.readonly = store.readonly
        self._lock = threading.RLock()
        self._manifest: list[dict[str, Any]] | None = None
        self._next = 1
        self._segments: dict[str, _Segment] | None = None
        self._avglen = 1.0
        self._live = 0
        self._no_pairs: set[str] = set()

    @property
    def store(self) -> Store:
        store = self._store()
        if store is None:
            raise StoreError("the store of this search index was closed")
        return store

    @property
    def loaded(self) -> bool:
        return self._segments is not None

    def __len__(self) -> int:
        self.load()
        return self._live

    # -- disk -------------------------------------------------------------------------------

    def _path(self, name: str) -> Path:
        return self.root / f"seg-{name}.json"

    def _pairs_path(self, name: str) -> Path:
        return self.root / f"pairs-{name}.json"

    def _ensure_pairs(self, segment: _Segment) -> bool:
        """Load a segment's pair hashes on the first phrase query; False if they are lost."""
        if segment.pairs is None and segment.name not in self._no_pairs:
            try:
                data = load_json_file(self._pairs_path(segment.name), notice=self.store._notice)
                if not isinstance(data, dict):
                    raise ValueError("missing")
                segment.read_pairs(data)
            except (StoreError, ValueError, binascii.Error):
                self._no_pairs.add(segment.name)
        return segment.pairs is not None

    def _read_manifest(self) -> list[dict[str, Any]]:
        if self._manifest is not None:
            return self._manifest
        data: Any = None
        with contextlib.suppress(StoreError):  # damaged beyond its backup: start over
            data = load_json_file(self.root / "manifest.json", notice=self.store._notice)
        segments: list[dict[str, Any]] = []
        self._next = 1
        if isinstance(data, dict) and data.get("v") == FORMAT_VERSION:
            for entry in data.get("segments") or []:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(
                    entry.get("docs"), int
                ):
                    segments.append({"name": entry["name"], "docs": entry["docs"]})
            with contextlib.suppress(TypeError, ValueError):
                self._next = int(data.get("next") or 1)
        for entry in segments:
            with contextlib.suppress(ValueError):
                self._next = max(self._next, int(entry["name"]) + 1)
        self._manifest = segments
        return segments

    def _write_manifest(self) -> None:
        assert self._manifest is not None
        data = {"v": FORMAT_VERSION, "next": self._next, "segments": self._manifest}
        atomic_write(self.root / "manifest.json", dump_bytes(data))

    def _load_segment(self, name: str) -> _Segment | None:
        if self._segments is not None and name in self._segments:
            return self._segments[name]
        try:
            data = load_json_file(self._path(name), notice=self.store._notice)
            if not isinstance(data, dict):
                return None
            return _Segment.from_json(name, data)
        except (StoreError, ValueError, binascii.Error):
            return None

    def _new_name(self) -> str:
        self._read_manifest()  # numbering continues after the newest stored segment
        name = f"{self._next:06d}"
        self._next += 1
        return name

    def _save_segment(self, segment: _Segment) -> None:
        if not self.readonly:
            self.root.mkdir(parents=True, exist_ok=True)
            if segment.pairs is not None:
                pairs = dump_bytes(segment.pairs_json())
                atomic_write(self._pairs_path(segment.name), pairs, keep_backup=False)
            atomic_write(self._path(segment.name), dump_bytes(segment.to_json()), keep_backup=False)

    def _collect_garbage(self) -> None:
        """Delete segment files the manifest no longer names (merged away or never committed)."""
        if self.readonly or self._manifest is None:
            return
        live = {f"{kind}-{e['name']}.json" for e in self._manifest for kind in ("seg", "pairs")}
        for path in self.root.glob("*-*.json*"):
            if path.name not in live and re.fullmatch(r"(seg|pairs)-\d+\.json(\.bak)?", path.name):
                with contextlib.suppress(OSError):
                    path.unlink()

    # -- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Read every segment, drop damaged ones and index what the store has but the index lacks."""
        with self._lock:
            if self._segments is not None:
                return
            manifest = self._read_manifest()
            segments: dict[str, _Segment] = {}
            kept: list[dict[str, Any]] = []
            for entry in manifest:
                segment = self._load_segment(entry["name"])
                if segment is not None:
                    segments[entry["name"]] = segment
                    kept.append({"name": entry["name"], "docs": len(segment.ids)})
            changed = kept != manifest
            self._manifest = kept
            self._segments = segments
            self._refresh()
            store = self.store
            indexed = {aid for s in segments.values() for aid in s.ids}
            # Oldest first: that is the order articles were added, so store bodies are read in turn.
            missing = [m.id for m in reversed(store.articles()) if m.id not in indexed]
            if missing:
                self._add_ids(missing)
            elif changed and not self.readonly:
                self._write_manifest()
            self._collect_garbage()

    def _refresh(self) -> None:
        """Recompute which copies are live and the BM25 length norms (in memory, no I/O)."""
        assert self._segments is not None and self._manifest is not None
        ordered = [self._segments[e["name"]] for e in self._manifest]
        seen: set[str] = set()
        total = live = 0
        for segment in reversed(ordered):
            segment.dead = set()
            for local, aid in enumerate(segment.ids):
                if aid in seen:
                    segment.dead.add(local)
                else:
                    seen.add(aid)
                    total += segment.lens[local]
                    live += 1
        self._live = live
        self._avglen = total / live if live else 1.0
        scale = K1 * B / self._avglen
        base = K1 * (1 - B)
        for segment in ordered:
            segment.norms = [base + scale * n for n in segment.lens]

    # -- updating -------------------------------------------------------------------------

    def add(self, articles: Sequence[Article], analysed: Mapping[str, Analysed] | None = None) -> None:
        """Index new (or changed) articles: one new segment, then merges of like-sized ones.

        `analysed` holds `document_terms` of articles already analysed elsewhere (by id)."""
        if not articles:
            return
        done = analysed or {}

        def documents(chunk: Sequence[Article]) -> Iterable[_AnalysedDoc]:
            for a in chunk:
                terms = done.get(a.id)
                yield (a.id, *terms) if terms is not None else (a.id, *document_terms(a.title, a.text))

        with self._lock:
            for start in range(0, len(articles), MAX_SEGMENT_DOCS):
                chunk = articles[start : start + MAX_SEGMENT_DOCS]
                self._append(_Segment.build_analysed(self._new_name(), documents(chunk)))

    def _add_ids(self, ids: Sequence[str]) -> None:
        store = self.store
        for start in range(0, len(ids), MAX_SEGMENT_DOCS):
            chunk = ids[start : start + MAX_SEGMENT_DOCS]

            def documents(chunk: Sequence[str] = chunk) -> Iterable[tuple[str, str, str]]:
                for aid in chunk:
                    meta, text = store.meta(aid), store.text_of(aid)  # no facts parsed
                    if meta is not None and text is not None:
                        yield aid, meta.title, text

            self._append(_Segment.build(self._new_name(), documents()))

    def _append(self, segment: _Segment) -> None:
        manifest = self._read_manifest()
        if not segment.ids:
            return
        self._save_segment(segment)
        manifest.append({"name": segment.name, "docs": len(segment.ids)})
        if self._segments is not None:
            self._segments[segment.name] = segment
        self._merge_small()
        if not self.readonly:
            self._write_manifest()
            self._collect_garbage()
        if self._segments is not None:
            self._refresh()

    def _merge_small(self) -> None:
        """While the newest MERGE_FACTOR segments share a size class, merge them into one."""
        manifest = self._read_manifest()

        def size_class(docs: int) -> int:
            return int(math.log(max(docs, 1), MERGE_FACTOR))

        while len(manifest) >= MERGE_FACTOR:
            run = manifest[-MERGE_FACTOR:]
            classes = {size_class(e["docs"]) for e in run}
            total = sum(e["docs"] for e in run)
            if len(classes) != 1 or total > MAX_SEGMENT_DOCS:
                return
            parts = [self._load_segment(e["name"]) for e in run]
            if any(p is None for p in parts):
                return  # a part went missing; load() will re-index its articles
            loaded = [p for p in parts if p is not None]
            for p in loaded:
                self._ensure_pairs(p)
            if self._segments is None:
                # Cold index: copies shadowed by newer segments outside the run stay until a later merge.
                for p in loaded:
                    p.dead = set()
            merged = _Segment.merged(self._new_name(), loaded)
            self._save_segment(merged)
            del manifest[-MERGE_FACTOR:]
            manifest.append({"name": merged.name, "docs": len(merged.ids)})
            if self._segments is not None:
                for e in run:
                    self._segments.pop(e["name"], None)
                self._segments[merged.name] = merged

    def rebuild(self) -> None:
        """Forget the index and build it again from the store."""
        with self._lock:
            self._manifest = []
            self._segments = {}
            self._refresh()
            self._add_ids([m.id for m in reversed(self.store.articles())])
            if not self.readonly:
                self._write_manifest()
                self._collect_garbage()

    # -- searching --------------------------------------------------------------------------

    def search(self, query: str | Query, *, limit: int = 20) -> list[SearchHit]:
        """The best `limit` articles for the query, best first (ties: the newer indexed first)."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.empty or limit <= 0:
            return []
        with self._lock:
            self.load()
            assert self._segments is not None and self._manifest is not None
            segments = [self._segments[e["name"]] for e in self._manifest]
            dfs: dict[str, int] = {}
            scored: list[tuple[float, int, int]] = []
            for rank, segment in enumerate(segments):
                for local, score in self._score_segment(segment, parsed, dfs).items():
                    scored.append((score, rank, local))
            store = self.store
            phrase_pairs = [[_pair_hash(a, b) for a, b in itertools.pairwise(p)] for p in parsed.phrases]
            hits: list[SearchHit] = []
            text_checks = 0
            seen = 0
            while len(hits) < limit and seen < len(scored):
                # Take the best few; only when phrases reject many do we look further down.
                take = min(len(scored), max(limit * 4, seen * 8))
                for score, rank, local in heapq.nlargest(take, scored)[seen:]:
                    segment = segments[rank]
                    aid = segment.ids[local]
                    if store.meta(aid) is None:
                        continue  # the store no longer has it (a failed batch was rolled back)
                    if phrase_pairs:
                        if self._ensure_pairs(segment):
                            if not all(segment.has_pairs(local, pairs) for pairs in phrase_pairs):
                                continue
                        elif text_checks >= PHRASE_TEXT_CHECKS:
                            continue
                        else:
                            text_checks += 1
                            if not self._has_phrases(aid, parsed.phrases):
                                continue
                    hits.append(SearchHit(aid, round(score, 4)))
                    if len(hits) >= limit:
                        break
                seen = take
            return hits

    def _clause_terms(self, segment: _Segment, clause: Clause) -> list[tuple[str, int, int]]:
        terms = segment.expand(clause.prefix) if clause.prefix is not None else clause.terms
        out = []
        for term in terms:
            span = segment.span(term)
            if span is not None:
                out.append((term, *span))
        return out

    def _df(self, term: str, cache: dict[str, int]) -> int:
        """Documents holding the term, over all segments (shadowed copies too: a close estimate)."""
        if term in cache:
            return cache[term]
        assert self._segments is not None
        total = 0
        for segment in self._segments.values():
            span = segment.span(term)
            if span is not None:
                total += span[1] - span[0]
        cache[term] = total
        return total

    def _score_segment(self, segment: _Segment, query: Query, dfs: dict[str, int]) -> dict[int, float]:
        positive = [c for c in query.clauses if not c.negated]
        resolved = [self._clause_terms(segment, c) for c in positive]
        if any(not r for r in resolved):
            return {}
        resolved.sort(key=lambda r: sum(b - a for _, a, b in r))
        n = max(self._live, 1)
        docs, tfs, norms = segment.docs, segment.tfs, segment.norms
        acc: dict[int, float] | None = None
        for clause_terms in resolved:
            hit: dict[int, float] = {}
            for term, a, b in clause_terms:
                df = self._df(term, dfs)
                weight = math.log(1 + (n - df + 0.5) / (df + 0.5)) * (K1 + 1)
                if acc is not None and len(acc) * 12 < b - a:
                    # Few candidates left: look each one up instead of walking a long list.
                    for d in acc:
                        i = bisect.bisect_left(docs, d, a, b)
                        if i < b and docs[i] == d:
                            t = tfs[i]
                            hit[d] = hit.get(d, 0.0) + weight * t / (t + norms[d])
                    continue
                for d, t in zip(docs[a:b], tfs[a:b], strict=True):
                    if acc is None or d in acc:
                        hit[d] = hit.get(d, 0.0) + weight * t / (t + norms[d])
            if acc is not None:
                hit = {d: s + acc[d] for d, s in hit.items()}
            acc = hit
            if not acc:
                return {}
        assert acc is not None
        for clause in query.clauses:
            if clause.negated:
                for _, a, b in self._clause_terms(segment, clause):
                    for d in docs[a:b]:
                        acc.pop(d, None)
        for d in segment.dead:
            acc.pop(d, None)
        return acc

    def _has_phrases(self, aid: str, phrases: Sequence[tuple[str, ...]]) -> bool:
        meta, text = self.store.meta(aid), self.store.text_of(aid)
        if meta is None or text is None:
            return False
        words = _phrase_tokens(meta.title) + ["\n"] + _phrase_tokens(text)
        return all(_contains(words, phrase) for phrase in phrases)


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    first, n = phrase[0], len(phrase)
    start = 0
    while True:
        try:
            i = words.index(first, start)
        except ValueError:
            return False
        if tuple(words[i : i + n]) == phrase:
            return True
        start = i + 1


_INDEXES: weakref.WeakKeyDictionary[Store, SearchIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def search_index(store: Store) -> SearchIndex:
    """The store's search index (one per open store); reads nothing until first used."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(store)
        if index is None:
            index = _INDEXES[store] = SearchIndex(store)
        return index


def search(store: Store, query: str, *, limit: int = 20) -> list[SearchHit]:
    """Ranked article ids for a query: see `parse_query` for the syntax."""
    return search_index(store).search(query, limit=limit)


def index_new_articles(
    store: Store, ids: Sequence[str], texts: Mapping[str, str] | None = None,
    analysed: Mapping[str, Analysed] | None = None,
) -> None:
    """Called by ingest after the store commits: index what was just added (cost ~ the batch).

    Also the call after an article's text changes (full-text fetch): the newest indexed
    copy of an article is the one searched, older copies are dropped at the next merge.

    A failure here never fails the ingest: the store is the truth, and the next load of
    the index notices the missing articles and indexes them. `texts` are bodies the
    caller has in hand (an ingest just stored them), so they are not read back; `analysed`
    their `document_terms` where a worker has computed them.
    """
    if store.readonly or not ids:
        return
    given = texts or {}
    articles = [
        Article(id=aid, title=meta.title, text=text)  # only what is indexed: no facts parsed
        for aid in ids
        if (meta := store.meta(aid)) is not None
        and (text := given.get(aid) or store.text_of(aid)) is not None
    ]
    with contextlib.suppress(StoreError, OSError):
        search_index(store).add(articles, analysed)
