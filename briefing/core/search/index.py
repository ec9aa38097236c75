"""Full-text search over titles and bodies: an SQLite FTS5 index kept beside the store.

    store/search.sqlite    docs (FTS row -> article), fts (the terms), meta (versions)

The index is derived data: the TinyDB store stays the one source of truth, and a
missing, damaged or stale index is rebuilt or caught up from it, never an error for
the user. SQLite keeps the index consistent across processes (WAL: readers never wait
for the writer), so a reader sees what a scheduled fetch indexed. Nothing is opened
until the first query or ingest: the reader's first frame must not pay for search.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from briefing.core.errors import StoreError
from briefing.core.search.terms import TOKENIZER, Query, index_text, parse_query
from briefing.core.store.store import Store

FORMAT_VERSION = 3
"""Bump when `terms.index_terms` changes: an index of other terms is rebuilt."""
TITLE_WEIGHT = 3.0
"""A title word counts as this many body words: the headline says what a story is about."""
GARBAGE_SHARE = 0.25
"""Rows of replaced texts beyond this share of the live ones make the next write rebuild."""
CHUNK = 2000
"""Articles indexed per transaction when building from the store."""

IndexTexts = Mapping[str, tuple[str, str]]
"""Article id -> its title and body as `terms.index_text` gives them (a worker may have
computed them already; see `ingest.prepare`)."""

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs(row INTEGER PRIMARY KEY, aid INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS docs_aid ON docs(aid);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, body, content='', tokenize='{TOKENIZER}');
"""

_QUERY_SQL = ("SELECT docs.aid, bm25(fts, ?, 1.0) AS rank FROM fts JOIN docs ON docs.row = fts.rowid "
              "WHERE fts MATCH ? ORDER BY rank LIMIT ?")
"""bm25 is lower for better matches; rows of replaced texts have no docs row and drop out."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    score: float


def _doc_id(aid: str) -> int:
    return int(aid, 16)


def _aid(doc_id: int) -> str:
    return f"{doc_id:012x}"


class SearchIndex:
    """The full-text index of one store. Get it with `search_index(store)`; thread-safe."""

    def __init__(self, store: Store) -> None:
        self._store = weakref.ref(store)
        self.path: Path = store.root / "search.sqlite"
        self.readonly = store.readonly
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None

    @property
    def store(self) -> Store:
        store = self._store()
        if store is None:
            raise StoreError("the store of this search index was closed")
        return store

    @property
    def loaded(self) -> bool:
        return self._db is not None

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn().execute("SELECT count(*) FROM docs").fetchone()[0])

    # -- opening ---------------------------------------------------------------------------

    def _conn(self, adding: Iterable[str] = ()) -> sqlite3.Connection:
        if self._db is None:
            db = self._open()
            self._sync(db, adding)
            self._db = db
        return self._db

    def _open(self) -> sqlite3.Connection:
        """The index, created, or rebuilt if it cannot be read (read-only: in memory)."""
        if self.readonly and not self.path.exists():
            return self._in_memory()  # a read-only store: build it in memory, write nothing
        try:
            db = self._connect(f"file:{self.path}?mode=ro" if self.readonly else str(self.path), uri=True)
            if not self.readonly:
                self._create(db)
            if self._version(db) != FORMAT_VERSION:
                if self.readonly:
                    db.close()
                    return self._in_memory()
                self._rebuild(db)
            return db
        except sqlite3.DatabaseError:
            if self.readonly:
                return self._in_memory()
            self._set_aside()
            db = self._connect(str(self.path))
            self._create(db)
            self._rebuild(db)
            return db

    def _sync(self, db: sqlite3.Connection, adding: Iterable[str] = ()) -> None:
        """Catch up with the store if it holds articles the index lacks (a fetch killed
        before indexing, a store older than search); `adding` are about to be indexed.
        Counting first makes the usual case cheap: no metadata is read."""
        if self.readonly:
            return
        have = int(db.execute("SELECT count(*) FROM docs").fetchone()[0])
        coming = {_doc_id(a) for a in adding}
        have += len(coming)
        ordered = sorted(coming)
        for start in range(0, len(ordered), 500):  # SQLite caps the parameters of one query
            part = ordered[start:start + 500]
            marks = ",".join("?" * len(part))
            have -= int(db.execute(f"SELECT count(*) FROM docs WHERE aid IN ({marks})", part).fetchone()[0])
        if have != self.store.count():
            self._catch_up(db, skip=coming)

    def _in_memory(self) -> sqlite3.Connection:
        db = self._connect(":memory:")
        self._create(db)
        self._catch_up(db)
        return db

    @staticmethod
    def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
        db = sqlite3.connect(target, uri=uri, check_same_thread=False, isolation_level=None, timeout=30)
        if target != ":memory:" and "mode=ro" not in target:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        return db

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        db.executescript(_SCHEMA)
        if db.execute("SELECT value FROM meta WHERE key='version'").fetchone() is None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(FORMAT_VERSION),))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('garbage', '0')")

    @staticmethod
    def _version(db: sqlite3.Connection) -> int | None:
        row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        return int(row[0]) if row else None

    def _set_aside(self) -> None:
        """A damaged index is kept for a look, never deleted, and rebuilt."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            path = self.path.with_name(self.path.name + suffix)
            with contextlib.suppress(OSError):
                path.rename(path.with_name(f"{path.name}.corrupt-{stamp}"))

    def load(self) -> None:
        """Open the index now (the reader does this in the background after start-up)."""
        with self._lock:
            self._conn()

    # -- writing ---------------------------------------------------------------------------

    def _catch_up(self, db: sqlite3.Connection, skip: set[int] | None = None) -> None:
        """Index what the store holds and the index lacks; forget what the store lost."""
        store = self.store
        stored = {_doc_id(m.id) for m in store.articles()}
        indexed = {row[0] for row in db.execute("SELECT aid FROM docs")} | (skip or set())
        gone = indexed - stored
        if gone:
            with _transaction(db):
                db.executemany("DELETE FROM docs WHERE aid=?", [(a,) for a in gone])
                _add_garbage(db, len(gone))
        missing = [_aid(d) for d in stored - indexed]
        texts = self.store.texts_of(missing)
        while chunk := list(islice(texts, CHUNK)):
            found = {aid: (index_text(title), index_text(text)) for aid, title, text in chunk}
            self._insert(db, found, replacing=False)

    @staticmethod
    def _insert(db: sqlite3.Connection, texts: IndexTexts, *, replacing: bool = True) -> None:
        """Index `texts`; `replacing`: some may be indexed already (their old rows become garbage)."""
        if not texts:
            return
        with _transaction(db):
            docs = [_doc_id(aid) for aid in texts]
            if replacing:
                replaced = sum(db.execute("DELETE FROM docs WHERE aid=?", (d,)).rowcount for d in docs)
                _add_garbage(db, replaced)
            first = int(db.execute("SELECT coalesce(max(rowid), 0) FROM fts").fetchone()[0]) + 1
            rows = range(first, first + len(docs))
            columns = [(row, title, body) for row, (title, body) in zip(rows, texts.values(), strict=True)]
            db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)", columns)
            db.executemany("INSERT INTO docs(row, aid) VALUES (?, ?)", list(zip(rows, docs, strict=True)))

    def add(self, texts: IndexTexts, *, coming: Iterable[str] = ()) -> None:
        """Index these articles (again: an article indexed before is found by its new text only).

        `coming` are articles the caller indexes next (the later batches of an
        enrichment): an index opened now does not catch up with them, which would make
        each later batch replace rows and the garbage rebuild the index."""
        with self._lock:
            db = self._conn([*texts, *coming])
            self._insert(db, texts)
            if not self.readonly and self._garbage(db) > max(1000, GARBAGE_SHARE * len(self)):
                self._rebuild(db)

    def remove(self, ids: Iterable[str]) -> None:
        """Forget articles the store no longer holds."""
        with self._lock:
            db = self._conn()
            with _transaction(db):
                gone = sum(db.execute("DELETE FROM docs WHERE aid=?", (_doc_id(a),)).rowcount for a in ids)
                _add_garbage(db, gone)

    @staticmethod
    def _garbage(db: sqlite3.Connection) -> int:
        row = db.execute("SELECT value FROM meta WHERE key='garbage'").fetchone()
        return int(row[0]) if row else 0

    def rebuild(self) -> None:
        """Index the whole store afresh."""
        with self._lock:
            if self._db is None:
                self._db = self._open()  # not caught up first: all of it is indexed now
            self._rebuild(self._db)

    def _rebuild(self, db: sqlite3.Connection) -> None:
        with _transaction(db):
            db.execute("DELETE FROM docs")
            db.execute("INSERT INTO fts(fts) VALUES ('delete-all')")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(FORMAT_VERSION),))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('garbage', '0')")
        # Building all at once, merging segments as they pile up is wasted work: one
        # optimize at the end merges them once (a quarter of the build's time saved).
        db.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 0)")
        try:
            self._catch_up(db)
        finally:
            db.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 4)")
        db.execute("INSERT INTO fts(fts) VALUES ('optimize')")

    # -- searching -------------------------------------------------------------------------

    def search(self, query: str | Query, *, limit: int = 20) -> list[SearchHit]:
        """Ranked articles for a query (see `terms.parse_query` for the syntax)."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.empty:
            return []
        with self._lock:
            try:
                rows = self._conn().execute(_QUERY_SQL, (TITLE_WEIGHT, parsed.match(), limit)).fetchall()
            except sqlite3.OperationalError:
                return []  # an expression FTS5 refuses finds nothing
        return [SearchHit(_aid(aid), -rank) for aid, rank in rows]

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _add_garbage(db: sqlite3.Connection, count: int) -> None:
    if count:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key='garbage'", (count,))


_INDEXES: weakref.WeakKeyDictionary[Store, SearchIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def search_index(store: Store) -> SearchIndex:
    """The store's search index (one per open store); opens nothing until first used."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(store)
        if index is None:
            index = _INDEXES[store] = SearchIndex(store)
        return index


def search(store: Store, query: str, *, limit: int = 20) -> list[SearchHit]:
    """Ranked article ids for a query: see `terms.parse_query` for the syntax."""
    return search_index(store).search(query, limit=limit)


def index_new_articles(
    store: Store, ids: Sequence[str], texts: Mapping[str, str] | None = None,
    prepared: IndexTexts | None = None, *, coming: Iterable[str] = (),
) -> None:
    """Called by ingest after the store commits: index what was just added (cost ~ the batch).

    Also the call after an article's text changes (full-text fetch): the new text
    replaces the old. A failure here never fails the ingest: the store is the truth, and
    the next opening of the index catches up with what it missed. `texts` are bodies the
    caller has in hand (an ingest just stored them), so they are not read back;
    `prepared` their index texts where a worker has computed them; `coming` what the
    caller indexes next (see `SearchIndex.add`).
    """
    if store.readonly or not ids:
        return
    given, done = texts or {}, prepared or {}
    batch: dict[str, tuple[str, str]] = {}
    for aid in ids:
        if aid in done:
            batch[aid] = done[aid]
            continue
        meta = store.meta(aid)
        text = given.get(aid)
        if text is None:
            text = store.text_of(aid)
        if meta is not None and text is not None:
            batch[aid] = (index_text(meta.title), index_text(text))
    with contextlib.suppress(StoreError, OSError, sqlite3.Error):
        search_index(store).add(batch, coming=coming)
