"""Articles as numbers, for indexes that cover a whole store: its ids numbered once, and
sorted arrays of numbers kept sorted as articles come and go. Holds no topic logic."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence


class ArticleNumbers:
    """Article ids numbered in the order first seen, each keeping its number for good.

    The store's ids are 48-bit hex digests: held as numbers in a sorted array, found by
    bisection (a dict of half a million ids cost 50 MB); the few added since the last
    sort in a dict. Any other id (tests, imports) is kept as it is.
    """

    __slots__ = ("ids", "_sorted", "_at", "_recent", "_odd", "_odd_ids")

    def __init__(self) -> None:
        self.ids = array("q")
        """Number -> the id as a number, or -1 - its place in `_odd_ids`."""
        self._sorted = array("q")
        self._at = array("I")
        self._recent: dict[int, int] = {}
        self._odd: dict[str, int] = {}
        self._odd_ids: list[str] = []

    def __len__(self) -> int:
        return len(self.ids)

    def find(self, article_id: str) -> int | None:
        value = _hex_id(article_id)
        return self._odd.get(article_id) if value is None else self._find(value)

    def _find(self, value: int) -> int | None:
        found = self._recent.get(value)
        if found is None:
            at = bisect_left(self._sorted, value)
            if at < len(self._sorted) and self._sorted[at] == value:
                found = self._at[at]
        return found

    def number(self, article_id: str) -> int:
        value = _hex_id(article_id)
        found = self._odd.get(article_id) if value is None else self._find(value)
        if found is not None:
            return found
        number = len(self.ids)
        if value is None:
            self._odd[article_id] = number
            self.ids.append(-1 - len(self._odd_ids))
            self._odd_ids.append(article_id)
            return number
        self.ids.append(value)
        self._recent[value] = number
        if len(self._recent) > max(20_000, len(self._sorted) // 4):
            ids = self.ids
            numbers = [n for n in range(len(ids)) if ids[n] >= 0]
            numbers.sort(key=ids.__getitem__)
            self._at = array("I", numbers)
            self._sorted = array("q", map(ids.__getitem__, numbers))
            self._recent = {}
        return number

    def number_all(self, values: array[int]) -> bool:
        """Number store ids given as numbers (`int(id, 16)`), 0, 1, 2... in their order, at
        once: sorted once, not again every 20,000 (a whole store's). Only into an empty
        instance and for distinct ids; False (nothing numbered) otherwise."""
        if len(self.ids) or any(v < 0 for v in values):
            return False
        numbers = sorted(range(len(values)), key=values.__getitem__)
        ordered = array("q", map(values.__getitem__, numbers))
        if any(ordered[i] == ordered[i + 1] for i in range(len(ordered) - 1)):
            return False
        self.ids, self._at, self._sorted = array("q", values), array("I", numbers), ordered
        return True

    def find_many(self, article_ids: Iterable[str]) -> list[int]:
        """The numbers of those of the ids numbered here, in one sorted walk instead of a
        bisection each: what counting a whole store's unread articles by topic asks."""
        found: list[int] = []
        wanted: list[int] = []
        for article_id in article_ids:
            value = _hex_id(article_id)
            number = self._odd.get(article_id) if value is None else self._recent.get(value)
            if number is not None:
                found.append(number)
            elif value is not None:
                wanted.append(value)
        wanted.sort()
        ordered, at = self._sorted, self._at
        i, size = 0, len(ordered)
        for value in wanted:
            while i < size and ordered[i] < value:
                i += 1
            if i < size and ordered[i] == value:
                found.append(at[i])
        return found

    def id(self, number: int) -> str:
        value = self.ids[number]
        return f"{value:012x}" if value >= 0 else self._odd_ids[-1 - value]

    def copy(self) -> ArticleNumbers:
        out = ArticleNumbers()
        out.ids, out._sorted, out._at = self.ids[:], self._sorted[:], self._at[:]
        out._recent, out._odd, out._odd_ids = dict(self._recent), dict(self._odd), list(self._odd_ids)
        return out


def _hex_id(article_id: str) -> int | None:
    """The id as a number if it is one of the store's (12 lower-case hex digits)."""
    if len(article_id) != 12:
        return None
    try:
        value = int(article_id, 16)
    except ValueError:
        return None
    return value if f"{value:012x}" == article_id else None


def insert(numbers: array[int], number: int) -> None:
    """Add to a sorted array (at its end, for an article newer than the rest: most are)."""
    if not numbers or numbers[-1] < number:
        numbers.append(number)
        return
    at = bisect_left(numbers, number)
    if numbers[at] != number:
        numbers.insert(at, number)


def discard(numbers: array[int], number: int) -> None:
    at = bisect_left(numbers, number)
    if at < len(numbers) and numbers[at] == number:
        del numbers[at]


class NumberLists:
    """A short list of numbers per article (its topics' keys, its links), numbered as
    `ArticleNumbers` numbers it, all in one flat array: a tuple per article of a store of
    a year cost more than everything else an index keeps."""

    __slots__ = ("start", "count", "values", "stale")

    def __init__(self) -> None:
        self.start = array("I")
        self.count = array("H")
        self.values = array("I")
        self.stale = 0
        """Entries of `values` no article points at any more (compacted past a half)."""

    def get(self, number: int) -> array[int]:
        if number >= len(self.start):
            return array("I")
        start = self.start[number]
        return self.values[start:start + self.count[number]]

    def set(self, number: int, values: Sequence[int]) -> None:
        if number == len(self.start):  # the next article: most are
            self.start.append(len(self.values) if values else 0)
            self.count.append(len(values))
            self.values.extend(values)
            return
        if number > len(self.start):
            more = number + 1 - len(self.start)
            self.start.extend([0] * more)
            self.count.extend([0] * more)
        elif self.count[number]:
            self.clear(number)
        if values:
            self.start[number] = len(self.values)
            self.count[number] = len(values)
            self.values.extend(values)

    def clear(self, number: int) -> None:
        if number < len(self.count) and self.count[number]:
            self.stale += self.count[number]
            self.count[number] = 0
            if self.stale > max(1 << 16, len(self.values) // 2):
                self._compact()

    def _compact(self) -> None:
        values, starts, counts = self.values, self.start, self.count
        kept = array("I")
        for number in range(len(starts)):
            start = starts[number]
            starts[number] = len(kept)
            kept.extend(values[start:start + counts[number]])
        self.values = kept
        self.stale = 0

    def copy(self) -> NumberLists:
        out = NumberLists()
        out.start, out.count, out.values, out.stale = self.start[:], self.count[:], self.values[:], self.stale
        return out
