"""The article store: TinyDB files laid out so cost grows with the work, not the store.

    store/index.json          articles' metadata (title, source, dates, topics), feeds, ui
    store/state/NN.json       read/starred flags in 16 shards (marking read rewrites one)
    store/bodies/seg-N.json   text and facts, appended in segments of SEGMENT_SIZE
    store/lock                write lock holding the owner's PID

A batch writes bodies first and the index last: the index write is the commit point,
so a kill at any moment leaves every article the index already named intact.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document, Table

from briefing.core.errors import StoreError, StoreLockedError, StoreVersionError
from briefing.core.identity import article_id, canonical_link, content_hash
from briefing.core.models import Article, Facts, FeedState
from briefing.core.storage import AtomicJSONStorage, Notice
from briefing.core.topics import TopicIndex

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


def _topics_of(article: Article) -> list[list[str]]:
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
        self.notices: list[str] = []
        self._notice_cb = notice
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = _Lock(root / "lock")
        if not readonly:
            try:
                (root / "state").mkdir(parents=True, exist_ok=True)
                (root / "bodies").mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{root}: cannot create the store ({exc.strerror})") from exc
            self._lock.acquire()
        try:
            self._index_storage = AtomicJSONStorage(root / "index.json", self._notice, readonly)
            self._index = TinyDB(storage=lambda: self._index_storage)
            self._check_schema()
            self._state_storages: dict[int, AtomicJSONStorage] = {}
            self._state_dbs: dict[int, TinyDB] = {}
            self._segments: OrderedDict[int, TinyDB] = OrderedDict()
            self._rows: dict[str, dict[str, Any]] = self._raw_table("articles")
            self._by_id: dict[str, int] | None = None
            self._dedupe: dict[str, str] | None = None
            self._state: dict[str, dict[str, Any]] | None = None
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
        data = self._index_storage.read()
        if data is None:
            if self.readonly:
                return
            self._index.table("meta").insert(Document({"schema": SCHEMA_VERSION}, doc_id=1))
            return
        meta = data.get("meta", {}).get("1", {})
        version = meta.get("schema") if isinstance(meta, dict) else None
        if not isinstance(version, int):
            raise StoreError(f"{self._index_storage.path}: not a briefing store (no schema version)")
        if version > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self._index_storage.path}: written by a newer briefing (schema {version}, "
                f"this one reads up to {SCHEMA_VERSION}); upgrade briefing to open it"
            )

    def _raw_table(self, name: str) -> dict[str, dict[str, Any]]:
        data = self._index_storage.read() or {}
        table = data.get(name)
        return table if isinstance(table, dict) else {}

    # -- batches -------------------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group writes: every file touched is written once, bodies first, index last."""
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
        segs = [db.storage for db in self._segments.values()]
        return [*segs, *self._state_storages.values(), self._index_storage]

    def _flush_all(self) -> None:
        for storage in self._all_storages():
            storage.deferred = self._batch_depth > 0
            storage.flush()

    def _defer(self, storage: AtomicJSONStorage) -> AtomicJSONStorage:
        storage.deferred = self._batch_depth > 0
        return storage

    # -- reading -------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def _meta_of(self, row: dict[str, Any]) -> ArticleMeta:
        flags = self._state_of(row["id"])
        return ArticleMeta(
            id=row["id"],
            title=row.get("title", ""),
            source=row.get("source"),
            feed=row.get("feed"),
            link=row.get("link"),
            ts=row.get("ts"),
            topics=tuple((str(n), str(k)) for n, k in row.get("topics", ())),
            sample=bool(row.get("sample")),
            cluster=row.get("cluster"),
            read=bool(flags.get("r")),
            starred=bool(flags.get("s")),
        )

    def articles(self) -> list[ArticleMeta]:
        """Every article, newest first (undated last). Cached until the next write."""
        if self._sorted is None:
            rows = sorted(self._rows.values(), key=lambda r: r.get("ts") or 0.0, reverse=True)
            self._sorted = [self._meta_of(r) for r in rows]
            self._pos = {meta.id: i for i, meta in enumerate(self._sorted)}
        return self._sorted

    def recent(self, n: int) -> list[ArticleMeta]:
        """The newest n articles without building the whole list (fast first screen)."""
        import heapq

        rows = heapq.nlargest(n, self._rows.values(), key=lambda r: r.get("ts") or 0.0)
        return [self._meta_of(r) for r in rows]

    def _doc_id(self, aid: str) -> int | None:
        if self._by_id is None:
            self._by_id = {row["id"]: int(doc_id) for doc_id, row in self._rows.items()}
        return self._by_id.get(aid)

    def meta(self, aid: str) -> ArticleMeta | None:
        doc_id = self._doc_id(aid)
        return self._meta_of(self._rows[str(doc_id)]) if doc_id is not None else None

    def get(self, aid: str) -> Article | None:
        """The full article: text and facts loaded from its segment."""
        doc_id = self._doc_id(aid)
        if doc_id is None:
            return None
        row = self._rows[str(doc_id)]
        body = self._segment(int(row["seg"])).storage.read() or {}
        stored = body.get("bodies", {}).get(str(doc_id), {})
        flags = self._state_of(aid)
        facts = stored.get("facts")
        published = row.get("ts")
        fetched = row.get("fetched")
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

    def topic_index(self) -> TopicIndex:
        """Topic -> articles for the whole store; built on first use, then kept current."""
        if self._topics is None:
            index = TopicIndex()
            for row in self._rows.values():
                index.add(row["id"], ((n, k) for n, k in row.get("topics", ())), row.get("ts") or 0.0)
            self._topics = index
        return self._topics

    # -- adding --------------------------------------------------------------------

    def _dedupe_keys(self) -> dict[str, str]:
        if self._dedupe is None:
            keys: dict[str, str] = {}
            for row in self._rows.values():
                for key in self._keys_of(row.get("guid"), row.get("link"), row.get("hash")):
                    keys.setdefault(key, row["id"])
            self._dedupe = keys
        return self._dedupe

    @staticmethod
    def _keys_of(guid: str | None, link: str | None, chash: str | None) -> list[str]:
        keys = []
        if guid:
            keys.append("g:" + guid)
        if (canon := canonical_link(link)) is not None:
            keys.append("l:" + canon)
        if chash:
            keys.append("h:" + chash)
        return keys

    def find_duplicate(self, article: Article) -> str | None:
        """The id of a stored article that is the same story, by guid, link or content."""
        chash = content_hash(article.title, article.text)
        keys = self._dedupe_keys()
        for key in self._keys_of(article.guid, article.link, chash):
            if key in keys:
                return keys[key]
        return None

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Store new articles in one batch; duplicates (guid, link or content) are skipped."""
        added: list[str] = []
        duplicates = 0
        rows: list[Document] = []
        bodies: dict[int, list[Document]] = {}
        table = self._index.table("articles")
        next_id = max((int(k) for k in self._rows), default=0) + 1
        seg_no, seg_count = self._current_segment()
        keys = self._dedupe_keys()
        now = self._clock().timestamp()
        for article in articles:
            chash = content_hash(article.title, article.text)
            article_keys = self._keys_of(article.guid, article.link, chash)
            if any(k in keys for k in article_keys):
                duplicates += 1
                continue
            aid = article.id or article_id(link=article.link, guid=article.guid, chash=chash)
            if self._doc_id(aid) is not None or aid in added:
                duplicates += 1
                continue
            if seg_count >= SEGMENT_SIZE:
                seg_no, seg_count = seg_no + 1, 0
            doc_id = next_id
            next_id += 1
            seg_count += 1
            row: dict[str, Any] = {
                "id": aid,
                "title": article.title,
                "source": article.source,
                "feed": article.feed,
                "link": article.link,
                "guid": article.guid,
                "hash": chash,
                "ts": article.published.timestamp() if article.published else None,
                "fetched": (article.fetched.timestamp() if article.fetched else now),
                "tags": list(article.tags),
                "topics": _topics_of(article),
                "seg": seg_no,
                "sample": article.sample,
                "cluster": article.extra.get("cluster"),
            }
            body = {
                "text": article.text,
                "author": article.author,
                "facts": article.facts.to_dict() if article.facts else None,
                "extra": article.extra,
            }
            rows.append(Document(row, doc_id=doc_id))
            bodies.setdefault(seg_no, []).append(Document(body, doc_id=doc_id))
            for key in article_keys:
                keys.setdefault(key, aid)
            added.append(aid)
        if not rows:
            return AddResult((), duplicates)
        with self.batch():
            for seg, docs in bodies.items():
                self._segment(seg).table("bodies").insert_multiple(docs)
            table.insert_multiple(rows)
        self._rows = self._raw_table("articles")
        assert self._by_id is not None
        for doc in rows:
            self._by_id[doc["id"]] = doc.doc_id
            if self._topics is not None:
                self._topics.add(doc["id"], ((n, k) for n, k in doc["topics"]), doc["ts"] or 0.0)
        self._sorted = None
        return AddResult(tuple(added), duplicates)

    def update_article(self, aid: str, *, text: str | None = None, facts: Facts | None = None,
                       cluster: str | None = None) -> None:
        """Replace the text/facts of a stored article (full-text fetch, re-extraction)."""
        doc_id = self._doc_id(aid)
        if doc_id is None:
            raise StoreError(f"no article with id {aid}")
        row = self._rows[str(doc_id)]
        fields: dict[str, Any] = {}
        if text is not None:
            fields["text"] = text
        if facts is not None:
            fields["facts"] = facts.to_dict()
        index_fields: dict[str, Any] = {}
        if facts is not None:
            tags = tuple(row.get("tags", ()))
            index_fields["topics"] = _topics_of(Article(id=aid, title="", text="", tags=tags, facts=facts))
        if cluster is not None:
            index_fields["cluster"] = cluster
        with self.batch():
            if fields:
                self._segment(int(row["seg"])).table("bodies").update(fields, doc_ids=[doc_id])
            if index_fields:
                self._index.table("articles").update(index_fields, doc_ids=[doc_id])
        self._rows = self._raw_table("articles")
        if "topics" in index_fields:
            self._topics = None
        self._sorted = None

    def _reload_after_failure(self) -> None:
        """A failed write leaves memory ahead of disk; drop it and re-read what is on disk."""
        for storage in self._all_storages():
            storage.discard()
        self._segments.clear()
        self._rows = self._raw_table("articles")
        self._by_id = self._dedupe = None
        self._sorted = None
        self._topics = None
        self._state = None

    def _current_segment(self) -> tuple[int, int]:
        segs = sorted(int(p.stem.split("-")[1]) for p in (self.root / "bodies").glob("seg-*.json"))
        if not segs:
            return 1, 0
        last = segs[-1]
        data = self._segment(last).storage.read() or {}
        return last, len(data.get("bodies", {}))

    def _segment(self, number: int) -> TinyDB:
        db = self._segments.get(number)
        if db is not None:
            self._segments.move_to_end(number)
            return db
        storage = self._defer(
            AtomicJSONStorage(self.root / "bodies" / f"seg-{number:06d}.json", self._notice, self.readonly)
        )
        db = TinyDB(storage=lambda: storage)
        self._segments[number] = db
        while len(self._segments) > 6:
            old_no, old = next(iter(self._segments.items()))
            if old.storage.dirty:
                break
            del self._segments[old_no]
        return db

    # -- read and starred state --------------------------------------------------

    def _shard_of(self, aid: str) -> int:
        return int(aid[:4], 16) % STATE_SHARDS if len(aid) >= 4 else 0

    def _state_db(self, shard: int) -> TinyDB:
        db = self._state_dbs.get(shard)
        if db is None:
            storage = self._defer(
                AtomicJSONStorage(self.root / "state" / f"{shard:02d}.json", self._notice, self.readonly)
            )
            self._state_storages[shard] = storage
            db = self._state_dbs[shard] = TinyDB(storage=lambda: storage)
        return db

    def _load_state(self) -> dict[str, dict[str, Any]]:
        if self._state is None:
            state: dict[str, dict[str, Any]] = {}
            folder = self.root / "state"
            if folder.is_dir():
                for path in folder.glob("[0-9][0-9].json"):
                    data = self._state_db(int(path.stem)).storage.read() or {}
                    for doc in data.get("flags", {}).values():
                        if isinstance(doc, dict) and "id" in doc:
                            state[doc["id"]] = doc
            self._state = state
        return self._state

    def _state_of(self, aid: str) -> dict[str, Any]:
        return self._load_state().get(aid, {})

    def _set_flag(self, ids: Iterable[str], flag: str, value: bool) -> None:
        state = self._load_state()
        changed: dict[int, list[str]] = {}
        for aid in ids:
            if self._doc_id(aid) is None:
                continue
            if bool(state.get(aid, {}).get(flag)) != value:
                changed.setdefault(self._shard_of(aid), []).append(aid)
        if not changed:
            return
        updated: dict[str, dict[str, Any]] = {}
        with self.batch():
            for shard, aids in changed.items():
                table = self._state_db(shard).table("flags")
                for aid in aids:
                    doc_id = self._doc_id(aid)
                    assert doc_id is not None
                    current = dict(state.get(aid, {"id": aid}))
                    current[flag] = 1 if value else 0
                    table.upsert(Document(current, doc_id=doc_id))
                    updated[aid] = current
        state.update(updated)
        if self._sorted is not None:
            for aid, flags in updated.items():
                pos = self._pos.get(aid)
                if pos is not None:
                    self._sorted[pos] = replace(
                        self._sorted[pos], read=bool(flags.get("r")), starred=bool(flags.get("s"))
                    )

    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        self._set_flag(ids, "r", read)

    def set_starred(self, ids: Iterable[str], starred: bool = True) -> None:
        self._set_flag(ids, "s", starred)

    # -- feeds and UI state ---------------------------------------------------------

    def feed_states(self) -> dict[str, FeedState]:
        return {
            row["url"]: FeedState.from_dict(row) for row in self._raw_table("feeds").values() if "url" in row
        }

    def feed_state(self, url: str) -> FeedState | None:
        return self.feed_states().get(url)

    def save_feed_states(self, states: Iterable[FeedState]) -> None:
        table = self._index.table("feeds")
        existing = {row.get("url"): int(k) for k, row in self._raw_table("feeds").items()}
        next_id = max(existing.values(), default=0) + 1
        with self.batch():
            for state in states:
                doc_id = existing.get(state.url)
                if doc_id is None:
                    doc_id = existing[state.url] = next_id
                    next_id += 1
                table.upsert(Document(state.to_dict(), doc_id=doc_id))

    def count_by_feed(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self._rows.values():
            feed = row.get("feed") or ""
            counts[feed] = counts.get(feed, 0) + 1
        return counts

    def info(self) -> dict[str, Any]:
        """The store's own record: schema version, whether samples were loaded, ..."""
        doc = self._raw_table("meta").get("1")
        return dict(doc) if isinstance(doc, dict) else {}

    def set_info(self, **values: Any) -> None:
        self._index.table("meta").update(values, doc_ids=[1])

    def ui_state(self) -> dict[str, Any]:
        doc = self._raw_table("ui").get("1")
        return dict(doc) if isinstance(doc, dict) else {}

    def save_ui_state(self, state: dict[str, Any]) -> None:
        if state == self.ui_state():
            return
        self._index.table("ui").upsert(Document(state, doc_id=1))


def with_fetched(article: Article, when: datetime) -> Article:
    return article if article.fetched else replace(article, fetched=when)


def now_ts() -> float:
    return time.time()


__all__ = ["AddResult", "ArticleMeta", "Store", "Table"]
