"""`/` search's titles: every title of the list, folded, in one string searched in C.

A dict of half a million folded titles cost more than the store's own metadata, and a
Python loop over them per keystroke a second; one string holding a line per title, in
the list's order, is searched with `str.find` for the query's longest word, and only
the lines that hold it are read for the other words. No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefing.core.text.fold import fold_chars, fold_key


class TitleIndex:
    """Titles by position in the list they were built from (see `search`)."""

    __slots__ = ("_text", "count")

    def __init__(self, titles: Iterable[str]) -> None:
        folded = [_folded(title) for title in titles]
        self.count = len(folded)
        # One sentinel line break either side: line k lies after the (k+1)th one. Folded as
        # `fold_key` folds (ASCII titles, most of them, in one pass over the whole string).
        text = "\n" + "\n".join(folded) + "\n"
        self._text = text.lower().replace("`", "'").replace("-", " ").replace("_", " ")

    def search(self, query: str, *, limit: int = 50) -> list[int]:
        """Positions of the titles holding every word of the query (diacritics and case
        ignored, anywhere in a word: "erdo" finds Erdoğan), first positions first."""
        words = sorted(set(fold_key(query).split()), key=len, reverse=True)
        if not words:
            return []
        first, rest = words[0], words[1:]
        text, found = self._text, list[int]()
        line, counted_to = 0, 0
        at = text.find(first, 1)
        while at != -1 and len(found) < limit:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            line += text.count("\n", counted_to, start)
            counted_to = start
            if not rest or all(word in text[start:end] for word in rest):
                found.append(line - 1)
            at = text.find(first, end)
        return found


def _folded(title: str) -> str:
    if "\n" in title or "\r" in title:
        title = " ".join(title.split())
    return title if title.isascii() else fold_chars(title)
