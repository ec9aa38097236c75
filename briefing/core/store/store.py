"""The article store: TinyDB files laid out so cost grows with the work, not the store.

    store/store.json          schema version, feed state, UI state
    store/index/NNNNNN.json   articles' metadata (title, source, dates, topics), per segment
    store/bodies/NNNNNN.json  their text and facts, the same segments of SEGMENT_SIZE
    store/state/NN.json       read/starred flags in 16 shards (marking read rewrites one)
    store/lock                write lock holding the owner's PID

New articles go to the newest segment, so an ingest rewrites one or two small files
whatever the store's size. A batch writes bodies first and index rows last: the index
write is the commit point, so a kill at any moment leaves every article the index
already named intact.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import math
import os
import struct
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Document

from briefing.core.errors import StoreError, StoreLockedError, StoreVersionError
from briefing.core.store.files import AtomicJSONStorage, Notice, atomic_write
from briefing.core.store.identity import article_id, canonical_link, content_hash
from briefing.core.stories.topics import TopicIndex

if TYPE_CHECKING:
    # Imported where articles are built: the reader's first screen needs only metadata,
    # and creating the model classes is a measurable part of its start-up.
    from briefing.core.models import Article, Facts, FeedState, PreparedData

SCHEMA_VERSION = 1
SEGMENT_SIZE = 400
STATE_SHARDS = 16


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """The part of an article kept in memory for lists and filters."""

    id: str
    title: str
    source: str | None
    feed: str | None
    link: str | None
    ts: float | None
    """Published time as epoch seconds (None when unknown)."""
    topics: tuple[tuple[str, str], ...]
    """(name, kind) pairs: canonical entity names and key phrases, then feed tags."""
    sample: bool
    cluster: str | None
    read: bool = False
    starred: bool = False
    fetched: float | None = None
    """When it was stored (epoch seconds): the best guess of when an undated story was news."""

    @property
    def published(self) -> datetime | None:
        return datetime.fromtimestamp(self.ts, UTC) if self.ts is not None else None

    @property
    def topic_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.topics)

    def to_dict(self) -> dict[str, Any]:
        published = self.published
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "feed": self.feed,
            "link": self.link,
            "published": published.isoformat() if published else None,
            "topics": list(self.topic_names),
            "read": self.read,
            "starred": self.starred,
            "sample": self.sample,
            "cluster": self.cluster,
        }


@dataclass(frozen=True, slots=True)
class AddResult:
    added: tuple[str, ...]
    duplicates: int


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


class _Lock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            finally:
                os.close(fd)
            raise StoreLockedError(
                f"the store at {self.path.parent} is in use by another briefing (PID {holder}); "
                "close it first, or refresh from inside the reader with r"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)
            self.fd = None


F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Serialise calls: the reader calls the store from its UI thread and its workers."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            return method(self, *args, **kwargs)

    return cast(F, wrapper)


class Store:
    """The store of one data home. Open with `Store.open(home)`; use as a context manager."""

    def __init__(
        self,
        root: Path,
        *,
        readonly: bool = False,
        notice: Notice | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.root = root
        self.readonly = readonly
        self._mutex = threading.RLock()
        self.notices: list[str] = []
        self._notice_cb = notice
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = _Lock(root / "lock")
        if not readonly:
            try:
                for sub in ("index", "bodies", "state"):
                    (root / sub).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{root}: cannot create the store ({exc.strerror})") from exc
            self._lock.acquire()
        try:
            self._main_storage = AtomicJSONStorage(root / "store.json", self._notice, readonly)
            self._main = TinyDB(storage=lambda: self._main_storage)
            self._check_schema()
            self._index_dbs: dict[int, TinyDB] = {}
            self._body_dbs: OrderedDict[int, TinyDB] = OrderedDict()
            self._state_dbs: dict[int, TinyDB] = {}
            self._rows: dict[int, dict[str, Any]] = {}
            self._summary_storage = AtomicJSONStorage(root / "segments.json", self._notice, readonly)
            self._summary = TinyDB(storage=lambda: self._summary_storage)
            self._find_segments()
            self._dedupe: dict[str, str] | None = None
            self._known: set[int] | None = None
            self._pending_keys: list[tuple[int, int, int, int]] = []
            self._sorted: list[ArticleMeta] | None = None
            self._pos: dict[str, int] = {}
            self._topics: TopicIndex | None = None
            self._batch_depth = 0
        except BaseException:
            self._lock.release()
            raise

    # -- opening and closing -------------------------------------------------------

    @classmethod
    def open(cls, home: Path, *, readonly: bool = False, notice: Notice | None = None) -> Store:
        from briefing.core.paths import store_dir

        return cls(store_dir(home), readonly=readonly, notice=notice)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_locked
    def close(self) -> None:
        try:
            if not self.readonly:
                self._flush_all()
        finally:
            self._lock.release()

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        if self._notice_cb:
            self._notice_cb(message)

    def _check_schema(self) -> None:
        data = self._main_storage.read()
        if data is None:
            if self.readonly:
                return
            self._main.table("meta").insert(Document({"schema": SCHEMA_VERSION}, doc_id=1))
            return
        meta = data.get("meta", {}).get("1", {})
        version = meta.get("schema") if isinstance(meta, dict) else None
        if not isinstance(version, int):
            raise StoreError(f"{self._main_storage.path}: not a briefing store (no schema version)")
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self._main_storage.path}: written by a newer briefing (schema {version}, "
                f"this one reads up to {SCHEMA_VERSION}); upgrade briefing to open it"
            )

    def _raw_table(self, name: str) -> dict[str, dict[str, Any]]:
        data = self._main_storage.read() or {}
        table = data.get(name)
        return table if isinstance(table, dict) else {}

    def _segment_numbers(self, folder: str) -> list[int]:
        numbers = []
        for path in (self.root / folder).glob("[0-9]*.json"):
            with contextlib.suppress(ValueError):
                numbers.append(int(path.stem))
        return sorted(numbers)

    def _find_segments(self) -> None:
        """Note the index segments on disk; their rows are read only when needed."""
        self._unloaded = set(self._segment_numbers("index"))
        self._last_segment = max(self._unloaded, default=0)

    def _load_segment(self, number: int) -> None:
        data = _storage(self._index_db(number)).read() or {}
        for key, row in (data.get("articles") or {}).items():
            if isinstance(row, dict) and "id" in row:
                self._rows[int(key)] = row
        self._unloaded.discard(number)

    def _ensure_all(self) -> None:
        for number in sorted(self._unloaded):
            self._load_segment(number)

    def _segment_summary(self) -> dict[int, dict[str, Any]]:
        """Per segment: newest publication time and article count (an upper bound of each)."""
        table = (self._summary_storage.read() or {}).get("segments") or {}
        return {int(k): v for k, v in table.items() if isinstance(v, dict)}

    def _write_summary(self, segments: Iterable[int]) -> None:
        table = self._summary.table("segments")
        for number in segments:
            data = _storage(self._index_db(number)).read() or {}
            rows = (data.get("articles") or {}).values()
            stamps = [r.get("ts") or 0.0 for r in rows]
            when = [r.get("ts") or r.get("fetched") or 0.0 for r in rows]
            doc = {"max_ts": max(stamps, default=0.0), "count": len(stamps),
                   "lo": min(when, default=0.0), "hi": max(when, default=0.0)}
            table.upsert(Document(doc, doc_id=number))

    # -- the TinyDB files ------------------------------------------------------------

    def _tinydb(self, path: Path) -> TinyDB:
        storage = AtomicJSONStorage(path, self._notice, self.readonly)
        storage.deferred = self._batch_depth > 0 if hasattr(self, "_batch_depth") else False
        return TinyDB(storage=lambda: storage)

    def _index_db(self, number: int) -> TinyDB:
        db = self._index_dbs.get(number)
        if db is None:
            db = self._index_dbs[number] = self._tinydb(self.root / "index" / f"{number:06d}.json")
        return db

    def _body_db(self, number: int) -> TinyDB:
        db = self._body_dbs.get(number)
        if db is not None:
            self._body_dbs.move_to_end(number)
            return db
        db = self._body_dbs[number] = self._tinydb(self.root / "bodies" / f"{number:06d}.json")
        while len(self._body_dbs) > 4:  # bodies are large: keep a few segments parsed
            oldest, old = next(iter(self._body_dbs.items()))
            if _storage(old).dirty:
                break
            del self._body_dbs[oldest]
        return db

    def _state_db(self, shard: int) -> TinyDB:
        db = self._state_dbs.get(shard)
        if db is None:
            db = self._state_dbs[shard] = self._tinydb(self.root / "state" / f"{shard:02d}.json")
        return db

    # -- batches -------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes: every file touched is written once, bodies first, index last."""
        with self._mutex:
            yield from self._batch()

    def _batch(self) -> Iterator[None]:
        self._batch_depth += 1
        for storage in self._all_storages():
            storage.deferred = True
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._reload_after_failure()
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0:
            try:
                self._flush_all()
            except BaseException:
                self._reload_after_failure()
                raise

    def _all_storages(self) -> list[AtomicJSONStorage]:
        """In commit order: the segment summary (an upper bound, safe to write early), bodies,
        flags, the index rows that name them, and last the feed state (an ETag saved before
        its articles would make the next fetch skip them)."""
        dbs = [
            *self._body_dbs.values(),
            *self._state_dbs.values(),
            *(db for _, db in sorted(self._index_dbs.items())),
        ]
        return [self._summary_storage, *(_storage(db) for db in dbs), self._main_storage]

    def _flush_all(self) -> None:
        for storage in self._all_storages():
            storage.deferred = self._batch_depth > 0
            storage.flush()
        if self._pending_keys and self._batch_depth == 0:
            pending, self._pending_keys = self._pending_keys, []
            self._append_keys(pending)

    def _reload_after_failure(self) -> None:
        """A failed write leaves memory ahead of disk; drop it and re-read what is on disk."""
        for storage in self._all_storages():
            storage.discard()
            storage.deferred = False
        self._body_dbs.clear()
        self._rows = {}
        self._find_segments()
        self._dedupe = None
        self._known = None
        self._pending_keys = []
        self._sorted = None
        self._topics = None

    # -- reading -------------------------------------------------------------------

    @_locked
    def __len__(self) -> int:
        self._ensure_all()
        return len(self._rows)

    def _meta_of(self, row: dict[str, Any]) -> ArticleMeta:
        flags = self._flags(row["id"])
        return ArticleMeta(
            id=row["id"],
            title=row.get("title", ""),
            source=row.get("source"),
            feed=row.get("feed"),
            link=row.get("link"),
            ts=row.get("ts"),
            topics=tuple(map(tuple, row.get("topics", ()))),
            sample=bool(row.get("sample")),
            cluster=row.get("cluster"),
            read=bool(flags.get("r")),
            starred=bool(flags.get("s")),
            fetched=row.get("fetched"),
        )

    @_locked
    def articles(self) -> list[ArticleMeta]:
        """Every article, newest first (undated last). Cached until the next write."""
        if self._sorted is None:
            self._ensure_all()
            rows = sorted(self._rows.values(), key=lambda r: r.get("ts") or 0.0, reverse=True)
            self._sorted = [self._meta_of(r) for r in rows]
            self._pos = {meta.id: i for i, meta in enumerate(self._sorted)}
        return self._sorted

    @_locked
    def articles_between(self, spans: Sequence[tuple[float, float]]) -> list[ArticleMeta]:
        """Articles whose time (published, else stored) falls in one of the sorted, disjoint spans.

        One pass over the in-memory rows, metadata built only for the matches: the cost of a
        date window, not of the store.
        """
        from bisect import bisect_right

        summary = self._segment_summary()
        for number in sorted(self._unloaded):
            info = summary.get(number, {})
            lo, hi = info.get("lo"), info.get("hi")
            if lo is None or hi is None or any(a <= hi and lo <= b for a, b in spans):
                self._load_segment(number)
        starts = [lo for lo, _ in spans]
        found = []
        for row in self._rows.values():
            when = row.get("ts") or row.get("fetched") or 0.0
            i = bisect_right(starts, when) - 1
            if i >= 0 and when <= spans[i][1]:
                found.append(self._meta_of(row))
        return found

    @_locked
    def cluster_sizes(self, *, loaded_only: bool = False) -> dict[str, int]:
        """Articles per story cluster, from the in-memory rows (no metadata built).

        `loaded_only` counts only the segments already read (e.g. by articles_between):
        enough for stories near those dates, without reading the whole store.
        """
        if not loaded_only:
            self._ensure_all()
        sizes: dict[str, int] = {}
        for row in self._rows.values():
            if cluster := row.get("cluster"):
                sizes[cluster] = sizes.get(cluster, 0) + 1
        return sizes

    @_locked
    def recent(self, n: int) -> list[ArticleMeta]:
        """The newest n articles without building the whole list (a fast first screen)."""
        import heapq

        # Read segments newest-first by their summary until no unread one can hold a
        # newer article than the n-th found: the first screen reads a few files, not all.
        summary = self._segment_summary()
        pending = sorted(self._unloaded, key=lambda k: -float(summary.get(k, {}).get("max_ts", math.inf)))
        for number in pending:
            if len(self._rows) >= n:
                nth = heapq.nlargest(n, (r.get("ts") or 0.0 for r in self._rows.values()))[-1]
                if float(summary.get(number, {}).get("max_ts", math.inf)) < nth:
                    break
            self._load_segment(number)
        rows = heapq.nlargest(n, self._rows.values(), key=lambda r: r.get("ts") or 0.0)
        return [self._meta_of(r) for r in rows]

    def _row(self, aid: str) -> dict[str, Any] | None:
        try:
            doc_id = _doc_id(aid)
        except ValueError:
            return None
        row = self._rows.get(doc_id)
        if row is None and self._unloaded:
            self._ensure_all()
            row = self._rows.get(doc_id)
        return row

    @_locked
    def meta(self, aid: str) -> ArticleMeta | None:
        row = self._row(aid)
        return self._meta_of(row) if row is not None else None

    @_locked
    def facts_version_of(self, aid: str) -> str | None:
        """The fingerprint of the engine that made an article's stored facts (None: unknown)."""
        row = self._row(aid)
        return row.get("fv") if row is not None else None

    @_locked
    def get(self, aid: str) -> Article | None:
        """The full article: text and facts loaded from its body segment."""
        from briefing.core.models import Article, Facts

        row = self._row(aid)
        if row is None:
            return None
        body = self._body_db(int(row["seg"])).storage.read() or {}
        stored = body.get("bodies", {}).get(str(_doc_id(aid)), {})
        flags = self._flags(aid)
        facts = stored.get("facts")
        published, fetched = row.get("ts"), row.get("fetched")
        return Article(
            id=aid,
            title=row.get("title", ""),
            text=stored.get("text", ""),
            source=row.get("source"),
            feed=row.get("feed"),
            link=row.get("link"),
            guid=row.get("guid"),
            author=stored.get("author"),
            published=datetime.fromtimestamp(published, UTC) if published is not None else None,
            fetched=datetime.fromtimestamp(fetched, UTC) if fetched is not None else None,
            tags=tuple(row.get("tags", ())),
            facts=Facts.from_dict(facts) if isinstance(facts, dict) else None,
            read=bool(flags.get("r")),
            starred=bool(flags.get("s")),
            sample=bool(row.get("sample")),
            extra=dict(stored.get("extra") or {}),
        )

    @_locked
    def text_of(self, aid: str) -> str | None:
        """Just the body text: for work that needs no facts (story matching, indexing)."""
        row = self._row(aid)
        if row is None:
            return None
        body = _storage(self._body_db(int(row["seg"]))).read() or {}
        stored = body.get("bodies", {}).get(str(_doc_id(aid)), {})
        return str(stored.get("text", ""))

    @_locked
    def topic_index(self) -> TopicIndex:
        """Topic -> articles for the whole store; built on first use, then kept current."""
        if self._topics is None:
            self._ensure_all()
            index = TopicIndex()
            for row in self._rows.values():
                index.add(row["id"], ((n, k) for n, k in row.get("topics", ())), row.get("ts") or 0.0)
            self._topics = index
        return self._topics

    # -- adding --------------------------------------------------------------------

    def _dedupe_keys(self) -> dict[str, str]:
        if self._dedupe is None:
            self._ensure_all()
            keys: dict[str, str] = {}
            for row in self._rows.values():
                aid = row["id"]
                if guid := row.get("guid"):
                    keys.setdefault("g:" + guid, aid)
                if canon := row.get("canon", row.get("link")):
                    keys.setdefault("l:" + canon, aid)
                if chash := row.get("hash"):
                    keys.setdefault("h:" + chash, aid)
            self._dedupe = keys
        return self._dedupe

    @_locked
    def is_known(self, article: Article) -> bool:
        """Whether the store already holds this story (same id, guid, link or content).

        Answered from keys.bin, a compact file of key digests, so a fresh process can
        dedupe a refresh without reading every index segment.
        """
        chash = content_hash(article.title, article.text)
        aid = article.id or article_id(link=article.link, guid=article.guid, chash=chash)
        known = self._known_keys()
        return any(d in known for d in _record(aid, article.guid, canonical_link(article.link), chash) if d)

    def _keys_path(self) -> Path:
        return self.root / "keys.bin"

    def _known_keys(self) -> set[int]:
        if self._known is None:
            self._known = self._load_keys()
        return self._known

    def _load_keys(self) -> set[int]:
        """keys.bin if it matches the segment summary, else rebuilt from the index rows.

        keys.bin is appended only after a batch is on disk and the summary is written
        before it, so after a crash in between their counts differ and the file is rebuilt.
        """
        try:
            data = self._keys_path().read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError:
            data = b"\x00"  # unreadable: rebuild
        summary = self._segment_summary()
        numbers = set(self._segment_numbers("index")) if self.root.is_dir() else set()
        total = sum(int(summary[n].get("count", 0)) for n in numbers) if numbers <= set(summary) else -1
        count, rest = divmod(len(data), _RECORD.size)
        if rest == 0 and count == total:
            digests = array("Q")
            digests.frombytes(data)
            known = set(digests)
            known.discard(0)
            return known
        return self._rebuild_keys()

    def _rebuild_keys(self) -> set[int]:
        self._ensure_all()
        records = [
            _record(r["id"], r.get("guid"), r.get("canon", r.get("link")), r.get("hash"))
            for r in self._rows.values()
        ]
        if not self.readonly and self._batch_depth == 0:  # mid-batch rows may not reach the disk
            with self.batch():
                self._write_summary(self._segment_numbers("index"))
            atomic_write(self._keys_path(), b"".join(_RECORD.pack(*r) for r in records), keep_backup=False)
        return {d for r in records for d in r if d}

    def _append_keys(self, records: list[tuple[int, int, int, int]]) -> None:
        try:
            with open(self._keys_path(), "ab") as handle:
                handle.write(b"".join(_RECORD.pack(*r) for r in records))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            # The articles are stored; a key file out of step is rebuilt at the next open.
            with contextlib.suppress(OSError):
                self._keys_path().unlink()

    @_locked
    def find_duplicate(self, article: Article) -> str | None:
        """The id of a stored article that is the same story, by guid, link or content."""
        keys = self._dedupe_keys()
        for key in _keys_of(article.guid, article.link, content_hash(article.title, article.text)):
            if key in keys:
                return keys[key]
        return None

    @_locked
    def add_articles(
        self, articles: Iterable[Article], prepared: Mapping[str, PreparedData] | None = None
    ) -> AddResult:
        """Store new articles in one batch; duplicates (guid, link or content) are skipped.

        `prepared` is the decoded `Article.prepared` of articles carrying it, by id, where
        the caller has decoded it already."""
        decoded = prepared or {}
        added: list[str] = []
        duplicates = 0
        rows: dict[int, list[Document]] = {}
        bodies: dict[int, list[Document]] = {}
        segment = max(self._last_segment, 1)
        in_segment = self._segment_size(segment)
        known = self._known_keys()
        now = self._clock().timestamp()
        records: list[tuple[int, int, int, int]] = []
        for article in articles:
            chash = content_hash(article.title, article.text)
            aid = article.id or article_id(link=article.link, guid=article.guid, chash=chash)
            canon = canonical_link(article.link)
            record = _record(aid, article.guid, canon, chash)
            if any(d in known for d in record if d):
                duplicates += 1
                continue
            if in_segment >= SEGMENT_SIZE:
                segment, in_segment = segment + 1, 0
            in_segment += 1
            doc_id = _doc_id(aid)
            data = decoded.get(aid) or article.prepared_data()
            row: dict[str, Any] = {
                "id": aid,
                "title": article.title,
                "source": article.source,
                "feed": article.feed,
                "link": article.link,
                "guid": article.guid,
                "hash": chash,
                "ts": article.published.timestamp() if article.published else None,
                "fetched": article.fetched.timestamp() if article.fetched else now,
                "tags": list(article.tags),
                "topics": data["topics"] if data else topics_of(article),
                "seg": segment,
                "sample": article.sample,
                "cluster": article.extra.get("cluster"),
                "fv": article.extra.get("facts_version"),
            }
            if canon != article.link:  # stored only when it differs: most links are canonical
                row["canon"] = canon
            body = {
                "text": article.text,
                "author": article.author,
                "facts": data["facts"] if data else article.facts.to_dict() if article.facts else None,
                "extra": article.extra,
            }
            rows.setdefault(segment, []).append(Document(row, doc_id=doc_id))
            bodies.setdefault(segment, []).append(Document(body, doc_id=doc_id))
            known.update(d for d in record if d)
            records.append(record)
            if self._dedupe is not None:
                for key in _keys_of(article.guid, article.link, chash):
                    self._dedupe.setdefault(key, aid)
            self._rows[doc_id] = row  # provisional: undone by _reload_after_failure
            added.append(aid)
        if not added:
            return AddResult((), duplicates)
        with self.batch():
            for number, docs in bodies.items():
                self._body_db(number).table("bodies").insert_multiple(docs)
            for number, docs in rows.items():
                self._index_db(number).table("articles").insert_multiple(docs)
            self._write_summary(rows)
            self._pending_keys += records  # appended to keys.bin once the batch is on disk
        self._last_segment = max(self._last_segment, segment)
        for docs in rows.values():
            for doc in docs:
                if self._topics is not None:
                    self._topics.add(doc["id"], ((n, k) for n, k in doc["topics"]), doc["ts"] or 0.0)
        self._sorted = None
        return AddResult(tuple(added), duplicates)

    def _segment_size(self, number: int) -> int:
        data = self._index_db(number).storage.read() or {}
        return len(data.get("articles") or {})

    @_locked
    def update_article(
        self, aid: str, *, text: str | None = None, facts: Facts | None = None,
        cluster: str | None = None, facts_version: str | None = None,
    ) -> None:
        """Replace the text/facts/cluster of a stored article (full text, re-extraction)."""
        row = self._row(aid)
        if row is None:
            raise StoreError(f"no article with id {aid}")
        doc_id = _doc_id(aid)
        body_fields: dict[str, Any] = {}
        if text is not None:
            body_fields["text"] = text
        if facts is not None:
            body_fields["facts"] = facts.to_dict()
        index_fields: dict[str, Any] = {}
        if facts is not None:
            tags = tuple(row.get("tags", ()))
            from briefing.core.models import Article

            index_fields["topics"] = topics_of(Article(id=aid, title="", text="", tags=tags, facts=facts))
        if facts_version is not None:
            index_fields["fv"] = facts_version
        if cluster is not None:
            index_fields["cluster"] = cluster
        segment = int(row["seg"])
        with self.batch():
            if body_fields:
                self._body_db(segment).table("bodies").update(body_fields, doc_ids=[doc_id])
            if index_fields:
                self._index_db(segment).table("articles").update(index_fields, doc_ids=[doc_id])
        data = self._index_db(segment).storage.read() or {}
        row = self._rows[doc_id] = data["articles"][str(doc_id)]
        # Patch the in-memory views instead of rebuilding them: cost per article, not per store.
        if "topics" in index_fields and self._topics is not None:
            self._topics.remove(aid)
            self._topics.add(aid, ((n, k) for n, k in row["topics"]), row.get("ts") or 0.0)
        if self._sorted is not None and (pos := self._pos.get(aid)) is not None:
            self._sorted[pos] = self._meta_of(row)

    @_locked
    def set_clusters(self, clusters: Mapping[str, str]) -> None:
        """Story cluster ids of many articles: one table update per index segment.

        A refresh of 10,000 articles names 10,000 clusters; through `update_article`
        that was 10,000 table updates, a tenth of the refresh's clustering time.
        """
        by_segment: dict[int, dict[str, str]] = {}
        for aid, cluster in clusters.items():
            row = self._row(aid)
            if row is None:
                raise StoreError(f"no article with id {aid}")
            by_segment.setdefault(int(row["seg"]), {})[aid] = cluster
        with self.batch():
            for segment, named in by_segment.items():
                def name(doc: MutableMapping[str, Any], named: dict[str, str] = named) -> None:
                    doc["cluster"] = named[doc["id"]]

                self._index_db(segment).table("articles").update(
                    name, doc_ids=[_doc_id(aid) for aid in named])
        for segment, named in by_segment.items():
            stored = (self._index_db(segment).storage.read() or {}).get("articles") or {}
            for aid in named:
                doc_id = _doc_id(aid)
                row = self._rows[doc_id] = stored[str(doc_id)]
                if self._sorted is not None and (pos := self._pos.get(aid)) is not None:
                    self._sorted[pos] = self._meta_of(row)

    @_locked
    def stale_facts(self, version: str) -> list[str]:
        """Ids of articles whose facts came from another engine version (newest first)."""
        self._ensure_all()
        rows = [r for r in self._rows.values() if r.get("fv") != version]
        rows.sort(key=lambda r: r.get("ts") or 0.0, reverse=True)
        return [r["id"] for r in rows]

    # -- read and starred state --------------------------------------------------

    def _flags(self, aid: str) -> dict[str, Any]:
        data = self._state_db(_shard_of(aid)).storage.read() or {}
        doc = (data.get("flags") or {}).get(str(_doc_id(aid)))
        return doc if isinstance(doc, dict) else {}

    def _set_flag(self, ids: Iterable[str], flag: str, value: bool) -> None:
        updated: dict[str, dict[str, Any]] = {}
        with self.batch():
            for aid in ids:
                if self._row(aid) is None or bool(self._flags(aid).get(flag)) == value:
                    continue
                current = {**self._flags(aid), "id": aid, flag: 1 if value else 0}
                self._state_db(_shard_of(aid)).table("flags").upsert(Document(current, doc_id=_doc_id(aid)))
                updated[aid] = current
        if self._sorted is not None:
            for aid, flags in updated.items():
                pos = self._pos.get(aid)
                if pos is not None:
                    self._sorted[pos] = replace(
                        self._sorted[pos], read=bool(flags.get("r")), starred=bool(flags.get("s"))
                    )

    @_locked
    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        self._set_flag(ids, "r", read)

    @_locked
    def set_starred(self, ids: Iterable[str], starred: bool = True) -> None:
        self._set_flag(ids, "s", starred)

    # -- feeds, store info and UI state ------------------------------------------------

    @_locked
    def feed_states(self) -> dict[str, FeedState]:
        """Caching info and last errors, keyed by feed URL."""
        from briefing.core.models import FeedState

        return {
            row["url"]: FeedState.from_dict(row) for row in self._raw_table("feeds").values() if "url" in row
        }

    @_locked
    def save_feed_states(self, states: Iterable[FeedState]) -> None:
        table = self._main.table("feeds")
        existing = {row.get("url"): int(k) for k, row in self._raw_table("feeds").items()}
        next_id = max(existing.values(), default=0) + 1
        with self.batch():
            for state in states:
                doc_id = existing.get(state.url)
                if doc_id is None:
                    doc_id = existing[state.url] = next_id
                    next_id += 1
                table.upsert(Document(state.to_dict(), doc_id=doc_id))

    @_locked
    def count_by_feed(self) -> dict[str, int]:
        self._ensure_all()
        counts: dict[str, int] = {}
        for row in self._rows.values():
            feed = row.get("feed") or ""
            counts[feed] = counts.get(feed, 0) + 1
        return counts

    @_locked
    def info(self) -> dict[str, Any]:
        """The store's own record: schema version, whether samples were loaded, ..."""
        doc = self._raw_table("meta").get("1")
        return dict(doc) if isinstance(doc, dict) else {}

    @_locked
    def set_info(self, **values: Any) -> None:
        self._main.table("meta").update(values, doc_ids=[1])

    @_locked
    def ui_state(self) -> dict[str, Any]:
        doc = self._raw_table("ui").get("1")
        return dict(doc) if isinstance(doc, dict) else {}

    @_locked
    def save_ui_state(self, state: dict[str, Any]) -> None:
        """Replace (not merge) the reader's saved state: filters, panes, ..."""
        if state == self.ui_state():
            return
        table = self._main.table("ui")
        with self.batch():
            table.truncate()
            table.insert(Document(state, doc_id=1))


def _storage(db: TinyDB) -> AtomicJSONStorage:
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage


def _doc_id(aid: str) -> int:
    """Article ids are 48-bit hex hashes: the same number keys every file that holds them."""
    return int(aid, 16)


def _shard_of(aid: str) -> int:
    return int(aid[:4], 16) % STATE_SHARDS


_RECORD = struct.Struct("<4Q")
"""keys.bin: per article the digests of its id, guid, canonical link and content hash (0: none)."""


def _digest(key: str) -> int:
    import hashlib  # dedupe runs at ingest; the reader's first screen never needs it

    value = int.from_bytes(hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).digest(), "little")
    return value or 1


def _record(aid: str, guid: str | None, canon: str | None, chash: str | None) -> tuple[int, int, int, int]:
    return (
        _digest("i:" + aid),
        _digest("g:" + guid) if guid else 0,
        _digest("l:" + canon) if canon else 0,
        _digest("h:" + chash) if chash else 0,
    )


def _keys_of(guid: str | None, link: str | None, chash: str | None) -> list[str]:
    keys = []
    if guid:
        keys.append("g:" + guid)
    if (canon := canonical_link(link)) is not None:
        keys.append("l:" + canon)
    if chash:
        keys.append("h:" + chash)
    return keys
