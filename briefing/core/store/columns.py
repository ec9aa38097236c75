"""Every stored article's metadata in memory, compactly: what lists and filters need.

A store of half a million articles held one dict per index row and one ArticleMeta per
article: 3.6 KB each, 1.8 GB in all. Here each field is a column (arrays of numbers,
titles and links packed as UTF-8, names and topics numbered once), about 200 bytes an
article; `ArticleMeta` objects are built only for the rows someone asks for.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.core.store.segcache import SegmentColumns

NONE = -1
KIND_FULL, KIND_SUMMARY = 1, 2
"""Text kinds in the `kind` column (0: stored before text kinds were recorded)."""
_KINDS = {"f": KIND_FULL, "s": KIND_SUMMARY}
_MERGE_AT = 20_000
"""Slots added since the last sort of the id lookup, past which it is sorted again (or
past a quarter of those sorted: reading half a million articles sorts a few times, not 25)."""


class Interned:
    """Strings numbered once: a source name used by 50,000 articles is stored once."""

    __slots__ = ("values", "numbers")

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.numbers: dict[Any, int] = {}

    def number(self, value: Any) -> int:
        if value is None:
            return NONE
        found = self.numbers.get(value)
        if found is None:
            found = self.numbers[value] = len(self.values)
            self.values.append(value)
        return found

    def value(self, number: int) -> Any:
        return None if number < 0 else self.values[number]


class Texts:
    """Strings packed as UTF-8 in one buffer: a title costs its bytes, not a Python object."""

    __slots__ = ("data", "start", "size")

    def __init__(self) -> None:
        self.data = bytearray()
        self.start = array("Q")
        self.size = array("I")

    def append(self, text: str | None) -> None:
        if text is None:
            self.start.append(0)
            self.size.append(0xFFFFFFFF)
            return
        raw = text.encode("utf-8", "replace")
        self.start.append(len(self.data))
        self.size.append(len(raw))
        self.data += raw

    def get(self, slot: int) -> str | None:
        size = self.size[slot]
        if size == 0xFFFFFFFF:
            return None
        start = self.start[slot]
        return self.data[start:start + size].decode("utf-8")


class Columns:
    """The metadata of the articles of the loaded index segments, one slot per article.

    Slots are never reused: a removed or replaced article leaves a dead slot behind
    (a store is read afresh at the next start, which compacts them away).
    """

    def __init__(self) -> None:
        self.doc = array("q")
        self.ts = array("d")
        self.fetched = array("d")
        self.seg = array("i")
        self.source = array("i")
        self.feed = array("i")
        self.cluster = array("i")
        self.version = array("i")
        self.alive = bytearray()
        self.sample = bytearray()
        self.kind = bytearray()
        """KIND_FULL or KIND_SUMMARY (index row `tk`), 0 when not recorded."""
        self.failures = bytearray()
        """Failed tries at the article's page (index row `fx`), at most 255."""
        self.titles = Texts()
        self.links = Texts()
        self.topic_start = array("I")
        self.topic_count = array("H")
        self.topic_ids = array("I")
        self.link_start = array("I")
        self.link_count = array("H")
        """(alias, topic name) links of the article's own facts (index row `topic_links`),
        numbered in `pairs` like the topics, most articles have none or a few."""
        self.names = Interned()
        """Sources, feeds, clusters and facts versions."""
        self.pairs = Interned()
        """(name, kind) topic pairs."""
        self._sorted_doc = array("q")
        self._sorted_slot = array("I")
        self._recent: dict[int, int] = {}
        self.live = 0

    def __len__(self) -> int:
        return self.live

    # -- finding -----------------------------------------------------------------------

    def slot(self, doc_id: int) -> int | None:
        """The live slot of an article, by its numeric id."""
        found = self._recent.get(doc_id)
        if found is None:
            at = bisect_left(self._sorted_doc, doc_id)
            if at < len(self._sorted_doc) and self._sorted_doc[at] == doc_id:
                found = self._sorted_slot[at]
        if found is None or not self.alive[found]:
            return None
        return found

    def _reindex(self) -> None:
        """Sort the id lookup again (ids are random: a sorted array and bisect beat a dict
        of half a million entries by 60 MB)."""
        docs, alive = self.doc, self.alive
        live = [slot for slot in range(len(docs)) if alive[slot]]
        live.sort(key=docs.__getitem__)  # slots, not (id, slot) pairs: a third of the peak
        self._sorted_slot = array("I", live)
        self._sorted_doc = array("q", map(docs.__getitem__, live))
        self._recent = {}

    def slots(self) -> Iterator[int]:
        """Every live slot, in the order the articles were read."""
        alive = self.alive
        return (slot for slot in range(len(alive)) if alive[slot])

    # -- writing -----------------------------------------------------------------------

    def put(self, doc_id: int, row: Mapping[str, Any]) -> int:
        """Add an article from its index row, or update its slot in place; returns the slot."""
        old = self.slot(doc_id)
        if old is not None:
            self._update(old, row)
            return old
        slot = len(self.doc)
        self.doc.append(doc_id)
        self.ts.append(math.nan)
        self.fetched.append(math.nan)
        for column in (self.seg, self.source, self.feed, self.cluster, self.version):
            column.append(NONE)
        self.alive.append(1)
        self.sample.append(0)
        self.kind.append(0)
        self.failures.append(0)
        self.titles.append(str(row.get("title") or ""))
        self.links.append(row.get("link"))
        self.topic_start.append(0)
        self.topic_count.append(0)
        self.link_start.append(0)
        self.link_count.append(0)
        self._update(slot, row)
        self._recent[doc_id] = slot
        self.live += 1
        if len(self._recent) > max(_MERGE_AT, len(self._sorted_doc) // 4):
            self._reindex()
        return slot

    def extend(self, part: SegmentColumns) -> range:
        """Append a cached segment's rows (none of them held yet) in one step per column,
        its own string tables renumbered into these; returns their slots."""
        from briefing.core.store.segcache import offsets

        base, size, arrays = len(self.doc), len(part), part.arrays
        names = [self.names.number(v) for v in part.names] + [NONE]  # [-1]: no name
        for column, key in ((self.source, "source"), (self.feed, "feed"), (self.cluster, "cluster"),
                            (self.version, "version")):
            column.extend(map(names.__getitem__, arrays[key]))
        self.doc.extend(arrays["doc"])
        self.ts.extend(arrays["ts"])
        self.fetched.extend(arrays["fetched"])
        self.seg.extend(arrays["seg"])
        self.alive.extend(b"\x01" * size)
        self.sample.extend(arrays["sample"])
        self.kind.extend(arrays["kind"])
        self.failures.extend(arrays["failures"])
        for texts, data, sizes in ((self.titles, part.titles, arrays["title_sizes"]),
                                   (self.links, part.links, arrays["link_sizes"])):
            texts.start.extend(offsets(sizes, len(texts.data)))
            texts.size.extend(sizes)
            texts.data += data
        pairs = [self.pairs.number(p) for p in part.pairs]
        for starts, counts, key in ((self.topic_start, self.topic_count, "topic"),
                                    (self.link_start, self.link_count, "link")):
            starts.extend(offsets(arrays[f"{key}_count"], len(self.topic_ids), "I"))
            counts.extend(arrays[f"{key}_count"])
            self.topic_ids.extend(map(pairs.__getitem__, arrays[f"{key}_ids"]))
        slots = range(base, base + size)
        self._recent.update(zip(arrays["doc"], slots, strict=True))
        self.live += size
        if len(self._recent) > max(_MERGE_AT, len(self._sorted_doc) // 4):
            self._reindex()
        return slots

    def _update(self, slot: int, row: Mapping[str, Any]) -> None:
        """Every field but the title and link (which never change) from an index row."""
        self.ts[slot] = _number(row.get("ts"))
        self.fetched[slot] = _number(row.get("fetched"))
        self.seg[slot] = int(row.get("seg") or 0)
        names = self.names
        self.source[slot] = names.number(row.get("source"))
        self.feed[slot] = names.number(row.get("feed"))
        self.cluster[slot] = names.number(row.get("cluster"))
        self.version[slot] = names.number(row.get("fv") or None)
        self.sample[slot] = 1 if row.get("sample") else 0
        self.kind[slot] = _KINDS.get(str(row.get("tk")), 0)
        failures = row.get("fx")
        self.failures[slot] = min(255, max(0, failures)) if isinstance(failures, int) else 0
        self._set_pairs(slot, row.get("topics") or (), self.topic_start, self.topic_count)
        self._set_pairs(slot, row.get("topic_links") or (), self.link_start, self.link_count)

    def _set_pairs(
        self, slot: int, pairs: Iterable[Sequence[str]], starts: array[int], counts: array[int]
    ) -> None:
        """A slot's pairs (topics or links), numbered and appended to `topic_ids` only when
        they changed: an unchanged row read again costs nothing."""
        known = self.pairs.numbers
        numbered: list[int] = []
        for a, b in pairs:
            number = known.get((a, b))  # most pairs are known: no str() calls, no method call
            numbered.append(self.pairs.number((str(a), str(b))) if number is None else number)
        start, count = starts[slot], counts[slot]
        if (count or numbered) and numbered != self.topic_ids[start:start + count].tolist():
            starts[slot] = len(self.topic_ids) if numbered else 0
            counts[slot] = len(numbered)
            self.topic_ids.extend(numbered)

    def drop(self, doc_id: int) -> bool:
        slot = self.slot(doc_id)
        if slot is None:
            return False
        self.alive[slot] = 0
        self.live -= 1
        return True

    def set_cluster(self, slot: int, cluster: str | None) -> None:
        self.cluster[slot] = self.names.number(cluster)

    def set_topics(self, slot: int, topics: Sequence[Sequence[str]], version: str | None,
                   links: Sequence[Sequence[str]] = ()) -> None:
        self._set_pairs(slot, topics, self.topic_start, self.topic_count)
        self._set_pairs(slot, links, self.link_start, self.link_count)
        self.version[slot] = self.names.number(version)

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    # -- reading -----------------------------------------------------------------------

    def aid(self, slot: int) -> str:
        return f"{self.doc[slot]:012x}"

    def title(self, slot: int) -> str:
        return self.titles.get(slot) or ""

    def link(self, slot: int) -> str | None:
        return self.links.get(slot)

    def when(self, slot: int) -> float | None:
        value = self.ts[slot]
        return None if math.isnan(value) else value

    def stored(self, slot: int) -> float | None:
        value = self.fetched[slot]
        return None if math.isnan(value) else value

    def name(self, column: array[int], slot: int) -> Any:
        return self.names.value(column[slot])

    def topics(self, slot: int) -> tuple[tuple[str, str], ...]:
        start = self.topic_start[slot]
        values = self.pairs.values
        return tuple(values[i] for i in self.topic_ids[start:start + self.topic_count[slot]])

    def topic_links(self, slot: int) -> tuple[tuple[str, str], ...]:
        start = self.link_start[slot]
        values = self.pairs.values
        return tuple(values[i] for i in self.topic_ids[start:start + self.link_count[slot]])

    def tags(self, slot: int) -> list[str]:
        return [name for name, kind in self.topics(slot) if kind == "tag"]

    def row(self, slot: int) -> dict[str, Any]:
        """The fields held here in the shape of an index row (guid, hash and canonical link
        stay in the segment files: only dedupe rebuilds need them)."""
        return {
            "id": self.aid(slot), "title": self.title(slot), "source": self.name(self.source, slot),
            "feed": self.name(self.feed, slot), "link": self.link(slot), "ts": self.when(slot),
            "fetched": self.stored(slot), "topics": [list(p) for p in self.topics(slot)],
            "topic_links": [list(p) for p in self.topic_links(slot)],
            "tags": self.tags(slot), "seg": self.seg[slot], "sample": bool(self.sample[slot]),
            "cluster": self.name(self.cluster, slot), "fv": self.name(self.version, slot),
            **({"tk": {KIND_FULL: "f", KIND_SUMMARY: "s"}[self.kind[slot]]} if self.kind[slot] else {}),
            "fx": self.failures[slot],
        }


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
