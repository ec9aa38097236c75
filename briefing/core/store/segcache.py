"""A binary copy of each index segment's columns, so a process reads a large store fast.

Reading an index segment's JSON and building its 400 rows into the columns one by one
took 12 ms a segment: 15 s for the 1,250 segments of half a million articles, before the
reader could filter. The columns of a segment just read are written to `cache/` as
arrays (their strings numbered in the segment's own tables), named for the index file's
signature (inode, size, mtime): a later process whose index file still has that
signature extends its columns with the arrays at once. The cache is derived and
disposable: written atomically without fsync and without the store's lock, never
trusted once the index file changed, and any file it cannot read is ignored.
"""

from __future__ import annotations

import contextlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from briefing.core.errors import StoreError
from briefing.core.store.files import Signature, atomic_write

if TYPE_CHECKING:
    from briefing.core.store.columns import Columns, Texts

_MAGIC = b"briefing-columns 1\n"
_NO_TEXT = 0xFFFFFFFF
# The arrays of a segment, in file order, with their typecodes.
_ARRAYS = (("doc", "q"), ("ts", "d"), ("fetched", "d"), ("seg", "i"), ("source", "i"), ("feed", "i"),
           ("cluster", "i"), ("version", "i"), ("sample", "B"), ("kind", "B"), ("failures", "B"),
           ("title_sizes", "I"), ("link_sizes", "I"), ("topic_count", "H"), ("topic_ids", "I"),
           ("link_count", "H"), ("link_ids", "I"))


@dataclass(slots=True)
class SegmentColumns:
    """One segment's columns: numbers as they are, strings and topic pairs numbered in
    the segment's own tables (`names`, `pairs`), titles and links as UTF-8 runs."""

    arrays: dict[str, array[Any]]
    names: list[Any]
    pairs: list[tuple[str, str]]
    titles: bytes
    links: bytes

    def __len__(self) -> int:
        return len(self.arrays["doc"])


def cache_path(root: Path, number: int) -> Path:
    return root / "cache" / f"{number:06d}.cols"


def read(path: Path, wanted: Signature) -> SegmentColumns | None:
    """The cached columns if they were taken from the index file as it is (`wanted`)."""
    if wanted is None:
        return None
    try:
        raw = path.read_bytes()
        if not raw.startswith(_MAGIC):
            return None
        size = int.from_bytes(raw[len(_MAGIC):len(_MAGIC) + 8], "little")
        at = len(_MAGIC) + 8
        head = orjson.loads(raw[at:at + size])
        if tuple(head["signature"]) != tuple(wanted):
            return None
        at += size
        arrays: dict[str, array[Any]] = {}
        for (name, code), length in zip(_ARRAYS, head["lengths"], strict=True):
            column = array(code)
            column.frombytes(raw[at:at + length])
            arrays[name] = column
            at += length
        titles = raw[at:at + head["titles"]]
        links = raw[at + head["titles"]:at + head["titles"] + head["links"]]
        pairs = [(str(a), str(b)) for a, b in head["pairs"]]
        found = SegmentColumns(arrays, list(head["names"]), pairs, titles, links)
        return found if _whole(found, len(raw) - at) else None
    except (OSError, ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        return None


def _whole(part: SegmentColumns, rest: int) -> bool:
    """Whether every column has a value per row, every run the bytes it should and every
    number its table entry: a file cut short or damaged is not used."""
    arrays = part.arrays
    rows = len(arrays["doc"])
    if any(len(arrays[name]) != rows for name, _ in _ARRAYS if not name.endswith("_ids")):
        return False
    texts = [sum(s for s in arrays[k] if s != _NO_TEXT) for k in ("title_sizes", "link_sizes")]
    names = max(max(arrays[k], default=-1) for k in ("source", "feed", "cluster", "version"))
    pairs = max(max(arrays["topic_ids"], default=-1), max(arrays["link_ids"], default=-1))
    return (texts == [len(part.titles), len(part.links)] and rest == sum(texts)
            and sum(arrays["topic_count"]) == len(arrays["topic_ids"])
            and sum(arrays["link_count"]) == len(arrays["link_ids"])
            and names < len(part.names) and pairs < len(part.pairs))


def write(path: Path, columns: Columns, slots: range, taken_from: Signature) -> None:
    """Save the columns of `slots` (one segment's rows, just read from the index file
    whose signature is `taken_from`). Failing to is no error: the cache is a shortcut."""
    if taken_from is None or not slots:
        return
    part = _slice(columns, slots)
    body = [part.arrays[name].tobytes() for name, _ in _ARRAYS]
    head = orjson.dumps({"signature": list(taken_from), "lengths": [len(b) for b in body],
                         "names": part.names, "pairs": part.pairs,
                         "titles": len(part.titles), "links": len(part.links)})
    payload = b"".join([_MAGIC, len(head).to_bytes(8, "little"), head, *body, part.titles, part.links])
    with contextlib.suppress(OSError, StoreError):
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, payload, keep_backup=False, durable=False)


class _Renumbered:
    """Numbers of one of the process's tables (names, topic pairs) renumbered into a
    segment's own, first seen first: another process numbers its tables otherwise."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self.local: dict[int, int] = {}
        self.table: list[Any] = []

    def __call__(self, number: int) -> int:
        mine = self.local.get(number)
        if mine is None:
            mine = self.local[number] = len(self.table)
            self.table.append(self.values[number])
        return mine


def _slice(cols: Columns, slots: range) -> SegmentColumns:
    lo, hi = slots.start, slots.stop
    names, pairs = _Renumbered(cols.names.values), _Renumbered(cols.pairs.values)

    def renumber(column: array[int]) -> array[int]:
        return array("i", (-1 if number < 0 else names(number) for number in column[lo:hi]))

    def flatten(starts: array[int], counts: array[int]) -> array[int]:
        ids = cols.topic_ids
        return array("I", (pairs(n) for slot in slots for n in ids[starts[slot]:starts[slot] + counts[slot]]))

    arrays: dict[str, array[Any]] = {
        "doc": cols.doc[lo:hi], "ts": cols.ts[lo:hi], "fetched": cols.fetched[lo:hi], "seg": cols.seg[lo:hi],
        "source": renumber(cols.source), "feed": renumber(cols.feed), "cluster": renumber(cols.cluster),
        "version": renumber(cols.version), "sample": array("B", cols.sample[lo:hi]),
        "kind": array("B", cols.kind[lo:hi]), "failures": array("B", cols.failures[lo:hi]),
        "title_sizes": cols.titles.size[lo:hi], "link_sizes": cols.links.size[lo:hi],
        "topic_count": cols.topic_count[lo:hi], "topic_ids": flatten(cols.topic_start, cols.topic_count),
        "link_count": cols.link_count[lo:hi], "link_ids": flatten(cols.link_start, cols.link_count),
    }
    return SegmentColumns(arrays, names.table, pairs.table, _texts(cols.titles, slots),
                          _texts(cols.links, slots))


def _texts(texts: Texts, slots: range) -> bytes:
    return b"".join(bytes(texts.data[texts.start[s]:texts.start[s] + texts.size[s]])
                    for s in slots if texts.size[s] != _NO_TEXT)


def offsets(sizes: Sequence[int], base: int, code: str = "Q") -> array[int]:
    """Where each text (or list) starts once appended at `base` (a missing text takes no
    bytes), as an array of typecode `code`."""
    lengths = [0 if size == _NO_TEXT else size for size in sizes]
    return array(code, accumulate(lengths, initial=base))[:-1]
