"""`/` search's titles: every title of the list, folded, in one string searched in C.

A dict of half a million folded titles cost more than the store's own metadata, and a
Python loop over them per keystroke a second; one string holding a line per title, in
the list's order, is searched with `str.find` for the query's rarest word, and only
the lines that hold it are read for the other words. No Textual here.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable

from briefing.core.text.fold import fold_chars, fold_key

SAMPLE = 1 << 20
"""Characters of titles (the newest) a query's words are counted in to pick the rarest."""


class TitleIndex:
    """Titles by position in the list they were built from (see `search`)."""

    __slots__ = ("_text", "_breaks", "count")

    def __init__(self, titles: Iterable[str]) -> None:
        folded = [_folded(title) for title in titles]
        self.count = len(folded)
        # A line break either side of every title: title k lies between the k-th and the
        # (k+1)th. Folded as `fold_key` folds (ASCII titles, most of them, in one pass).
        text = "\n" + "\n".join(folded) + "\n"
        self._text = text = text.lower().replace("`", "'").replace("-", " ").replace("_", " ")
        breaks, at, find = array("L"), 0, text.find
        while at != -1:
            breaks.append(at)
            at = find("\n", at + 1)
        self._breaks = breaks
        """The offset of every line break: a match's title by bisection, not by counting."""

    def search(self, query: str, *, limit: int = 50) -> list[int]:
        """Positions of the titles holding every word of the query (diacritics and case
        ignored, anywhere in a word: "erdo" finds Erdoğan), first positions first."""
        text, breaks, found = self._text, self._breaks, list[int]()
        # The word looked for is the rarest in a sample of titles: every line holding it
        # is read for the others, and "minister" would be most lines.
        words = sorted(set(fold_key(query).split()), key=lambda w: (text.count(w, 0, SAMPLE), -len(w)))
        if not words:
            return []
        first, rest = words[0], words[1:]
        at = text.find(first, 1)
        while at != -1 and len(found) < limit:
            line = bisect_right(breaks, at) - 1
            end = breaks[line + 1]
            if not rest or all(word in text[breaks[line] + 1:end] for word in rest):
                found.append(line)
            at = text.find(first, end)
        return found


def _folded(title: str) -> str:
    if "\n" in title or "\r" in title:
        title = " ".join(title.split())
    return title if title.isascii() else fold_chars(title)
