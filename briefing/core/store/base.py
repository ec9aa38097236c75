"""The store's files and their life cycle: opening, the write lock, batches, segments.

Shared by the parts of the store (`store.py` reads and adds articles, `keys.py` knows
which articles are already stored, `state.py` keeps flags, feed state and UI state):
they all write through the batches here, whose commit order keeps a kill harmless.

Several processes share a store: any number read, one writes at a time. A batch takes
the write lock, first forgets every cached file another process has replaced since
(so it builds on what is on disk), writes, and then replaces `store/commit`, which
readers stat once a second (`poll_changes`) to learn that something changed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Document

from briefing.core.errors import StoreError, StoreVersionError
from briefing.core.store import segcache
from briefing.core.store.columns import Columns
from briefing.core.store.files import (
    AtomicJSONStorage,
    Notice,
    Signature,
    atomic_write,
    dump_bytes,
    signature,
)
from briefing.core.store.lock import WriteLock

if TYPE_CHECKING:
    from briefing.core.store.keys import KnownKeys
    from briefing.core.stories.topics import TopicIndex

SCHEMA_VERSION = 1
SEGMENT_SIZE = 400
STATE_SHARDS = 16
LOCK_WAIT = 60.0
"""Seconds a writer waits for another writer's batch before giving up (exit code 3)."""


F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Serialise calls: the reader calls the store from its UI thread and its workers."""

    @functools.wraps(method)
    def wrapper(self: StoreBase, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            if self.closed:
                raise StoreError(f"{self.root}: the store was closed; nothing more is read or written")
            return method(self, *args, **kwargs)

    return cast(F, wrapper)


class StoreBase:
    """The files of one store and their batches; `Store` adds what is stored in them."""

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
        self.closed = False
        self.notices: list[str] = []
        self._notice_cb = notice
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = WriteLock(root / "lock")
        self.lock_wait = LOCK_WAIT
        if not readonly:
            try:
                for sub in ("index", "bodies", "state"):
                    (root / sub).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{root}: cannot create the store ({exc.strerror})") from exc
        self._batch_depth = 0
        self._lock_generation = -1
        """The write lock's generation after our last batch took it (-1: none yet)."""
        self._commit_seen: Signature = signature(root / "commit")
        self._main_storage = self._storage_for(root / "store.json")
        self._main = TinyDB(storage=lambda: self._main_storage)
        self._index_dbs: dict[int, TinyDB] = {}
        self._body_dbs: OrderedDict[int, TinyDB] = OrderedDict()
        self._state_dbs: dict[int, TinyDB] = {}
        self._cols = Columns()
        """Every loaded article's metadata, compact (see columns.py)."""
        self._members: dict[int, array[int]] = {}
        """Index segment -> the slots of its loaded rows (a changed segment is swapped): an
        array, as sets of ids cost 55 MB at half a million articles."""
        self._summary_storage = self._storage_for(root / "segments.json")
        self._summary = TinyDB(storage=lambda: self._summary_storage)
        self._find_segments()
        self._dedupe: dict[str, str] | None = None
        self._known: KnownKeys | None = None
        self._keys_seen: Signature = None
        self._pending_keys: list[tuple[int, int, int, int]] = []
        self._order: array[int] | None = None
        """Slots newest first, for `articles()`; None until asked for, and after a change."""
        self._topics: TopicIndex | None = None
        self._check_schema()

    def _storage_for(self, path: Path) -> AtomicJSONStorage:
        storage = AtomicJSONStorage(path, self._notice, self.readonly, guard=self._must_hold_lock)
        storage.deferred = self._batch_depth > 0
        return storage

    def _must_hold_lock(self, path: Path) -> None:
        if not self._lock.held:
            raise StoreError(f"{path}: written outside a batch (without the write lock); a bug")

    @property
    def mutex(self) -> threading.RLock:
        """Held by every call: the reader calls the store from its UI thread and its workers."""
        return self._mutex

    # -- opening and closing -------------------------------------------------------

    @classmethod
    def open(cls, home: Path, *, readonly: bool = False, notice: Notice | None = None) -> Self:
        from briefing.core.paths import store_dir

        return cls(store_dir(home), readonly=readonly, notice=notice)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Later calls fail: a refresh thread that outlives the reader must write nothing."""
        with self._mutex:
            self.closed = True

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        if self._notice_cb:
            self._notice_cb(message)

    def _check_schema(self) -> None:
        data = self._main_storage.read()
        if data is None:
            if self.readonly:
                return
            with self.batch():  # a new store, unless another process just made it
                if self._main_storage.read() is None:
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

    def _find_new_segments(self) -> bool:
        """Segments another process started since: unread, like the rest. True if any.

        Segments are numbered on from the last one (`_add_articles`), so the numbers after
        ours are looked for, not the folder listed: a batch asks after any other process's,
        and listing a year's 1,250 segments took 4 ms of CPU (12 of wall), as much again
        as marking one article read."""
        found = False
        number = self._last_segment + 1
        while (self.root / "index" / f"{number:06d}.json").exists():
            if number not in self._members and number not in self._index_dbs:
                self._unloaded.add(number)
                found = True
            self._last_segment = number
            number += 1
        return found

    def _load_segment(self, number: int) -> None:
        """Read a segment's rows into the columns (and, once the topic index exists, add
        their topics); the parsed file is not kept: the columns hold what is needed."""
        storage = _storage(self._index_db(number))
        topics, cols = self._topics, self._cols
        # A segment none of whose rows are held yet, unparsed, can come from its cache.
        fresh_only = topics is None and number not in self._members and not storage.cached
        path = segcache.cache_path(self.root, number)
        now = signature(storage.path) if fresh_only else None  # no stat for a segment read anyway
        part = segcache.read(path, now)
        if part is not None:
            storage.assume_read(now)  # another process's writes to it are noticed as if read
            self._members[number] = array("I", cols.extend(part))
            self._unloaded.discard(number)
            self._order = None
            return
        data = storage.read() or {}
        members = self._members.setdefault(number, array("I"))
        base = len(cols.doc)
        for key, row in (data.get("articles") or {}).items():
            if isinstance(row, dict) and "id" in row:
                fresh = len(cols.doc)
                if cols.put(int(key), row) >= fresh:  # not a row added by this process
                    members.append(fresh)
                if topics is not None:
                    topics.add(row["id"], ((n, k) for n, k in row.get("topics", ())), row.get("ts") or 0.0,
                               links=row.get("topic_links", ()))
        if fresh_only and not self.readonly and not storage.dirty and len(members) == len(cols.doc) - base:
            segcache.write(path, cols, range(base, len(cols.doc)), storage.signature)
        self._unloaded.discard(number)
        self._order = None
        self._uncache(storage)

    def _uncache(self, storage: AtomicJSONStorage) -> None:
        """Forget a parsed index segment unless a batch is changing it (it is read again
        when needed; holding every segment parsed cost gigabytes at 500k articles)."""
        if not storage.dirty and self._batch_depth == 0:
            storage.close()

    def _unload_segment(self, number: int) -> list[str]:
        """Forget a segment's rows (another process rewrote it); returns their ids."""
        members = self._members.pop(number, array("I"))
        cols = self._cols
        gone = [cols.aid(slot) for slot in members if cols.alive[slot] and cols.drop(cols.doc[slot])]
        self._unloaded.add(number)
        self._order = None
        return gone

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
        storage = self._storage_for(path)
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
            if self.closed:
                raise StoreError(f"{self.root}: the store was closed; nothing more is written")
            yield from self._batch()

    def _batch(self) -> Iterator[None]:
        if self._batch_depth == 0 and not self.readonly:
            previous = self._lock.acquire(self.lock_wait)
            try:
                if previous != self._lock_generation:  # another process wrote since our last batch
                    self._revalidate()
            except BaseException:
                self._lock.release()
                raise
            self._lock_generation = previous + 1
        self._batch_depth += 1
        for storage in self._all_storages():
            storage.deferred = True
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._reload_after_failure()
                self._lock.release()
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0:
            try:
                if self._flush_all():
                    self._announce()
            except BaseException:
                self._reload_after_failure()
                raise
            finally:
                self._lock.release()

    def _announce(self) -> None:
        """Tell readers something changed: a new `store/commit` (they stat it)."""
        if self.readonly:
            return
        path = self.root / "commit"
        atomic_write(path, f"{time.time_ns()} {os.getpid()}\n".encode(), keep_backup=False, durable=False)
        self._commit_seen = signature(path)

    @contextlib.contextmanager
    def refreshing(self) -> Iterator[None]:
        """Held for a whole refresh: two refreshes of one store (a cron job's and the
        reader's `r`, or two overlapping cron runs) take turns, so the second starts with
        the first's caching info and gets 304s instead of fetching everything again.
        Waits up to `lock_wait`, like a batch."""
        lock = WriteLock(self.root / "refresh.lock", "refreshing")
        lock.acquire(self.lock_wait)
        try:
            yield
        finally:
            lock.release()

    # -- other processes' writes -----------------------------------------------------

    def poll_changes(self) -> bool:
        """Whether another process committed since we last looked; if so, what it changed
        is read again (the files it replaced, not the whole store). One stat when not."""
        seen = signature(self.root / "commit")
        if seen == self._commit_seen:
            return False
        with self._mutex:
            if self.closed:
                return False
            self._commit_seen = seen
            return self._revalidate()

    def _revalidate(self) -> bool:
        """Forget every cached file another process has replaced; True if any was."""
        changed_segments = [n for n, db in self._index_dbs.items() if _storage(db).forget_if_stale()]
        flags = [db for db in self._state_dbs.values() if _storage(db).forget_if_stale()]
        for db in self._body_dbs.values():
            _storage(db).forget_if_stale()
        main = self._main_storage.forget_if_stale()
        summary = self._summary_storage.forget_if_stale()
        new_segments = self._find_new_segments()
        if signature(self.root / "keys.bin") != self._keys_seen:
            self._known = None
        for number in changed_segments:
            self._segment_changed(number)
        if new_segments and self._topics is not None:  # the index covers every article
            self._ensure_all()
        if changed_segments or new_segments:
            self._dedupe = None
            self._order = None
        return bool(changed_segments or new_segments or flags or main or summary)

    def _segment_changed(self, number: int) -> None:
        """Another process rewrote an index segment: swap its rows (and their topics)."""
        loaded = number in self._members
        gone = self._unload_segment(number)
        if self._topics is not None:
            for aid in gone:
                self._topics.remove(aid)
        if loaded or self._topics is not None:
            self._load_segment(number)

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

    def _flush_all(self) -> bool:
        """Write every changed file; True if there was any."""
        wrote = False
        for storage in self._all_storages():
            storage.deferred = self._batch_depth > 0
            wrote = wrote or storage.dirty
            storage.flush()
        if self._pending_keys and self._batch_depth == 0:
            pending, self._pending_keys = self._pending_keys, []
            self._append_keys(pending)
        return wrote

    def _append_keys(self, records: list[tuple[int, int, int, int]]) -> None:
        """Record the keys of articles now on disk (keys.py keeps the file)."""

    def _reload_after_failure(self) -> None:
        """A failed write leaves memory ahead of disk; drop it and re-read what is on disk."""
        for storage in self._all_storages():
            storage.discard()
            storage.deferred = False
        self._body_dbs.clear()
        self._cols = Columns()
        self._members = {}
        self._find_segments()
        self._dedupe = None
        self._known = None
        self._pending_keys = []
        self._order = None
        self._topics = None


    def _slot(self, aid: str) -> int | None:
        """The article's slot in the columns, reading every segment if need be."""
        try:
            doc_id = _doc_id(aid)
        except ValueError:
            return None
        slot = self._cols.slot(doc_id)
        if slot is None and self._unloaded:
            self._ensure_all()
            slot = self._cols.slot(doc_id)
        return slot

    @_locked
    def in_storage_order(self, ids: Iterable[str]) -> list[str]:
        """`ids` grouped by the segment that holds them, the newest segment first (their
        order kept within one; unknown ids left out). Work done in batches in this order
        parses each segment once: taken by date, each batch of a refresh's 10,000
        articles touched every one of its 25 segments, and phase 2 parsed 155 of them."""
        cols = self._cols
        slots = [slot for aid in ids if (slot := self._slot(aid)) is not None]
        slots.sort(key=lambda slot: -cols.seg[slot])  # stable: the given order within a segment
        return [cols.aid(slot) for slot in slots]

    def _raw_rows(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Whole index rows as stored (guid, content hash and all), a segment read once."""
        cols = self._cols
        slots = sorted((slot for aid in dict.fromkeys(ids) if (slot := self._slot(aid)) is not None),
                       key=lambda slot: cols.seg[slot])
        rows: list[dict[str, Any]] = []
        for segment, group in groupby(slots, key=lambda slot: cols.seg[slot]):
            storage = _storage(self._index_db(segment))
            stored = (storage.read() or {}).get("articles") or {}
            rows += [row for slot in group if isinstance(row := stored.get(str(cols.doc[slot])), dict)]
            self._uncache(storage)
        return rows

    def _flags(self, aid: str) -> dict[str, Any]:
        data = self._state_db(_shard_of(aid)).storage.read() or {}
        doc = (data.get("flags") or {}).get(str(_doc_id(aid)))
        return doc if isinstance(doc, dict) else {}


def _patch(db: TinyDB, table: str, changes: Mapping[int, Mapping[str, Any]]) -> None:
    """Change fields of many documents of one table in one write.

    TinyDB's `update` converts every key of the table to a document id and back on each
    call: patching a batch of articles one by one cost a tenth of a refresh."""
    storage = _storage(db)
    data = storage.read() or {}
    docs = data.get(table) or {}
    for doc_id, fields in changes.items():
        doc = docs.get(str(doc_id))
        if doc is not None:
            doc.update(fields)
    storage.write(data)


def _drop(db: TinyDB, table: str, doc_ids: Iterable[int]) -> int:
    """Remove documents from one table in one write; returns the bytes they took."""
    storage = _storage(db)
    data = storage.read() or {}
    docs = data.get(table) or {}
    size = 0
    for doc_id in doc_ids:
        doc = docs.pop(str(doc_id), None)
        if doc is not None:
            size += len(dump_bytes(doc))
    if size:
        storage.write(data)
    return size


def _storage(db: TinyDB) -> AtomicJSONStorage:
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage


def _doc_id(aid: str) -> int:
    """Article ids are 48-bit hex hashes: the same number keys every file that holds them."""
    return int(aid, 16)


def _shard_of(aid: str) -> int:
    return int(aid[:4], 16) % STATE_SHARDS
