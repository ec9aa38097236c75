"""The store's files and their life cycle: opening, the write lock, batches, segments.

Shared by the parts of the store (`store.py` reads and adds articles, `keys.py` knows
which articles are already stored, `state.py` keeps flags, feed state and UI state):
they all write through the batches here, whose commit order keeps a kill harmless.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Document

from briefing.core.errors import StoreError, StoreVersionError
from briefing.core.store.files import AtomicJSONStorage, Notice
from briefing.core.store.lock import WriteLock

if TYPE_CHECKING:
    from briefing.core.models.meta import ArticleMeta
    from briefing.core.stories.topics import TopicIndex

SCHEMA_VERSION = 1
SEGMENT_SIZE = 400
STATE_SHARDS = 16


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
        """Flush and release the write lock; later calls fail (a refresh thread that
        outlives the reader must never write without the lock)."""
        with self._mutex:
            if self.closed:
                return
            self.closed = True
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
            if self.closed:
                raise StoreError(f"{self.root}: the store was closed; nothing more is written")
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

    def _append_keys(self, records: list[tuple[int, int, int, int]]) -> None:
        """Record the keys of articles now on disk (keys.py keeps the file)."""

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


    def _flags(self, aid: str) -> dict[str, Any]:
        data = self._state_db(_shard_of(aid)).storage.read() or {}
        doc = (data.get("flags") or {}).get(str(_doc_id(aid)))
        return doc if isinstance(doc, dict) else {}


def _storage(db: TinyDB) -> AtomicJSONStorage:
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage


def _doc_id(aid: str) -> int:
    """Article ids are 48-bit hex hashes: the same number keys every file that holds them."""
    return int(aid, 16)


def _shard_of(aid: str) -> int:
    return int(aid[:4], 16) % STATE_SHARDS
