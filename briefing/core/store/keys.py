"""Which articles the store holds already: the dedupe keys of every stored article.

`keys.bin` holds, per article, digests of its id, guid, canonical link and content hash,
so a fresh process dedupes a refresh without reading every index segment.
"""

from __future__ import annotations

import contextlib
import os
import struct
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.errors import StoreError
from briefing.core.store.base import StoreBase, _locked
from briefing.core.store.files import atomic_write, signature
from briefing.core.store.identity import article_id, canonical_link, content_hash

if TYPE_CHECKING:
    from briefing.core.models.article import Article


class KeysMixin(StoreBase):
    """Dedupe keys: `is_known`, `find_duplicate`, and keys.bin kept in step with the index."""

    def _dedupe_keys(self) -> dict[str, str]:
        if self._dedupe is None:
            self._ensure_all()
            keys: dict[str, str] = {}
            cols = self._cols
            for row in self._raw_rows(cols.aid(slot) for slot in cols.slots()):
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

    def _known_keys(self) -> KnownKeys:
        """Digests of every stored article's keys, and of every removed one's: an article
        pruned by retention is not brought back by a feed that still lists it."""
        if self._known is None:
            known = self._load_keys()
            known.update(self._tombstones())
            self._known = known
        return self._known

    def _tombstones_path(self) -> Path:
        return self.root / "removed.bin"

    def _tombstones(self) -> set[int]:
        try:
            data = self._tombstones_path().read_bytes()
        except OSError:
            return set()
        digests = array("Q")
        digests.frombytes(data[: len(data) - len(data) % _RECORD.size])
        found = set(digests)
        found.discard(0)
        return found

    def _bury(self, records: list[tuple[int, int, int, int]]) -> None:
        """Remember removed articles' keys, before they are removed (under the write lock)."""
        with open(self._tombstones_path(), "ab") as handle:
            handle.write(b"".join(_RECORD.pack(*r) for r in records))
            handle.flush()
            os.fsync(handle.fileno())
        if self._known is not None:
            self._known.update(d for r in records for d in r if d)

    def _load_keys(self) -> KnownKeys:
        """keys.bin if it matches the segment summary, else rebuilt from the index rows.

        keys.bin is appended only after a batch is on disk and the summary is written
        before it, so after a crash in between their counts differ and the file is rebuilt.
        """
        self._keys_seen = signature(self._keys_path())
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
            return self._sorted_keys(data, count)
        return KnownKeys(array("Q"), self._rebuild_keys())

    def _sorted_path(self) -> Path:
        return self.root / "keys.sorted"

    def _sorted_keys(self, data: bytes, count: int) -> KnownKeys:
        """keys.bin's digests as a sorted array, from keys.sorted where it covers most of
        them (the ones appended since in a set): a set of two million digests cost 150 MB
        and a second to build at half a million articles."""
        inode = self._keys_seen[0] if self._keys_seen else 0
        try:
            raw = self._sorted_path().read_bytes()
        except OSError:
            raw = b""
        if len(raw) >= _HEADER.size:
            seen_inode, covered = _HEADER.unpack_from(raw)
            if seen_inode == inode and covered <= count and count - covered <= RESORT_AFTER:
                digests = array("Q")
                digests.frombytes(raw[_HEADER.size:len(raw) - (len(raw) - _HEADER.size) % 8])
                tail = array("Q")
                tail.frombytes(data[covered * _RECORD.size:])
                extra = set(tail)
                extra.discard(0)
                return KnownKeys(digests, extra)
        digests = self._write_sorted(data, inode, count)
        return KnownKeys(digests, set())

    def _write_sorted(self, data: bytes, inode: int, count: int) -> array[int]:
        """keys.bin's digests sorted, and written to keys.sorted for the next process."""
        everything = array("Q")
        everything.frombytes(data)
        digests = array("Q", sorted(set(everything) - {0}))
        if not self.readonly:
            with contextlib.suppress(OSError, StoreError):  # a cache: without it, sorted again
                atomic_write(self._sorted_path(), _HEADER.pack(inode, count) + digests.tobytes(),
                             keep_backup=False, durable=False)
        return digests

    def _rebuild_keys(self) -> set[int]:
        self._ensure_all()
        cols = self._cols
        records = [
            _record(r["id"], r.get("guid"), r.get("canon", r.get("link")), r.get("hash"))
            for r in self._raw_rows(cols.aid(slot) for slot in cols.slots())
        ]
        if not self.readonly and self._batch_depth == 0:  # mid-batch rows may not reach the disk
            with self.batch():
                self._write_summary(self._segment_numbers("index"))
                payload = b"".join(_RECORD.pack(*r) for r in records)
                atomic_write(self._keys_path(), payload, keep_backup=False)
            self._keys_seen = signature(self._keys_path())
        return {d for r in records for d in r if d}

    def _forget_keys(self, records: list[tuple[int, int, int, int]]) -> None:
        """Take removed articles' records out of keys.bin (after their rows are gone, under
        the write lock), and sort what is left into keys.sorted. Rebuilding keys.bin from
        every index row read a store of half a million articles whole at each prune, and
        the next process to dedupe sorted two million digests again (4 s)."""
        try:
            data = self._keys_path().read_bytes()
        except OSError:
            data = b"\x00"
        summary = self._segment_summary()
        numbers = set(self._segment_numbers("index"))
        total = sum(int(summary[n].get("count", 0)) for n in numbers) if numbers <= set(summary) else -1
        gone = set(records)
        whole = len(data) % _RECORD.size == 0
        kept = [r for r in _RECORD.iter_unpack(data) if r not in gone] if whole else []
        if len(kept) != total or self._batch_depth:
            self._rebuild_keys()  # out of step already (a crash): from the index rows
            return
        payload = b"".join(_RECORD.pack(*r) for r in kept)
        atomic_write(self._keys_path(), payload, keep_backup=False)
        self._keys_seen = signature(self._keys_path())
        inode = self._keys_seen[0] if self._keys_seen else 0
        self._write_sorted(payload, inode, len(kept))

    def _append_keys(self, records: list[tuple[int, int, int, int]]) -> None:
        """Called at the end of a batch, still under the write lock."""
        try:
            fresh = self._keys_seen == signature(self._keys_path())
            with open(self._keys_path(), "ab") as handle:
                handle.write(b"".join(_RECORD.pack(*r) for r in records))
                handle.flush()
                os.fsync(handle.fileno())
            if fresh:  # nobody else appended since we read it: what we hold is still all of it
                self._keys_seen = signature(self._keys_path())
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


class KnownKeys:
    """Membership of key digests: most in one sorted array (found by bisection), the few
    added since in a set."""

    __slots__ = ("sorted", "extra")

    def __init__(self, digests: array[int], extra: set[int]) -> None:
        self.sorted = digests
        self.extra = extra

    def __contains__(self, digest: int) -> bool:
        if digest in self.extra:
            return True
        at = bisect_left(self.sorted, digest)
        return at < len(self.sorted) and self.sorted[at] == digest

    def update(self, digests: Iterable[int]) -> None:
        self.extra.update(d for d in digests if d)


RESORT_AFTER = 100_000
"""Digests appended since keys.sorted was written, past which it is written again."""
_HEADER = struct.Struct("<2Q")
"""keys.sorted starts with the inode of the keys.bin it sorted and how many records it covers."""
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
