"""The reader's articles as positions in the store's list, newest first, with the little
its filters, counts and "next unread" read of every article packed in arrays.

Half a million articles must not become half a million Python objects: an ArticleMeta is
built when a row is drawn or an article is asked for, from the store's own lazy list; a
read flag is a byte here, a story a number. No Textual here.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, overload

from briefing.core.models.meta import ArticleMeta

if TYPE_CHECKING:
    from briefing.core.stories.topics import TopicIndex
    from briefing.tui.reading import Stories

_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")


def with_flags(meta: ArticleMeta, read: bool, starred: bool) -> ArticleMeta:
    """`replace(meta, read=read, starred=starred)`, three times faster: marking 50,000
    articles read must repaint within 300 ms (tests check it agrees with `replace`)."""
    return ArticleMeta(meta.id, meta.title, meta.source, meta.feed, meta.link, meta.ts, meta.topics,
                       meta.sample, meta.cluster, read, starred, meta.fetched, meta.pending,
                       meta.text_kind)


class Articles(Sequence[ArticleMeta]):
    """Every article of the list by position (0: the newest), the flags this session
    changed laid over the store's.

    The read and starred flags here are the truth for the reader (a mark shows before
    its write lands); anything else that changed (a page's text fetched) is kept per
    article in a small overlay.
    """

    __slots__ = ("_base", "ids", "_positions", "read", "starred", "ts", "story", "members",
                 "story_keys", "unread", "_changed", "_by_topic", "_feeds")

    def __init__(self, base: Sequence[ArticleMeta], ids: list[str], read: bytearray, starred: bytearray,
                 ts: array[float], feeds: tuple[array[int], dict[str | None, int]] | None = None) -> None:
        self._base = base
        self._feeds = feeds
        """Feed number by position, and the numbers of the feeds' names (see `feed_positions`)."""
        self.ids = ids
        """Article id by position."""
        self._positions = dict(zip(ids, range(len(ids)), strict=True))
        self.read = read
        self.starred = starred
        self.ts = ts
        """Published time by position (NaN: undated)."""
        self.story: array[int] = array("i")
        """Story number by position (-1: a story of this article alone), see `set_stories`."""
        self.members: list[array[int]] = []
        """Story number -> its articles' positions, newest first."""
        self.story_keys: list[str] = []
        self.unread = read.count(0)
        self._changed: dict[int, ArticleMeta] = {}
        self._by_topic: dict[str, array[int]] = {}
        """Topic key -> the positions of its articles (see `with_topics`)."""

    @classmethod
    def scan(cls, base: Sequence[ArticleMeta], each: Callable[[int, ArticleMeta], None] | None = None
             ) -> Articles:
        """One pass over `base` (each item built once, then let go); `each` sees every
        article with its position (the loader counts and indexes on the same pass)."""
        ids: list[str] = []
        read, starred, ts, feeds = bytearray(), bytearray(), array("d"), array("i")
        add_id, add_read, add_starred, add_ts = ids.append, read.append, starred.append, ts.append
        add_feed, numbers = feeds.append, dict[str | None, int]()
        nan = math.nan
        for pos, meta in enumerate(base):
            add_id(meta.id)
            add_read(meta.read)
            add_starred(meta.starred)
            add_ts(nan if meta.ts is None else meta.ts)
            add_feed(numbers.setdefault(meta.feed, len(numbers)))
            if each is not None:
                each(pos, meta)
        return cls(base, ids, read, starred, ts, (feeds, numbers))

    @classmethod
    def of(cls, metas: Iterable[ArticleMeta]) -> Articles:
        """From a plain list (the first screen's newest articles, tests)."""
        return cls.scan(list(metas))

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, pos: int) -> ArticleMeta: ...

    @overload
    def __getitem__(self, pos: slice) -> list[ArticleMeta]: ...

    def __getitem__(self, pos: int | slice) -> ArticleMeta | list[ArticleMeta]:
        if isinstance(pos, slice):
            return [self[i] for i in range(*pos.indices(len(self)))]
        if pos < 0:
            pos += len(self.ids)
        meta = self._changed.get(pos)
        if meta is None:
            try:
                meta = self._base[pos]
            except (IndexError, KeyError):
                # A failed write made the store drop what it held in memory and read its
                # files again: until the next load, the row stands in with what is here.
                meta = ArticleMeta(self.ids[pos], "", None, None, None, self.when(pos), (), False, None)
        read, starred = self.read[pos] == 1, self.starred[pos] == 1
        if meta.read != read or meta.starred != starred:
            meta = with_flags(meta, read, starred)
        return meta

    def __iter__(self) -> Iterator[ArticleMeta]:
        for pos in range(len(self.ids)):
            yield self[pos]

    def position(self, article_id: str) -> int | None:
        return self._positions.get(article_id)

    def positions_of(self, ids: Iterable[str]) -> list[int]:
        """The positions of those of `ids` in the list, in list order (newest first)."""
        return sorted(pos for pos in map(self._positions.get, ids) if pos is not None)

    def with_topics(self, index: TopicIndex, keys: Sequence[str], mode: str) -> Sequence[int]:
        """The positions of the articles carrying all (`mode` "and") or any of the topics,
        ascending: each topic's positions are looked up once, then kept (a filter toggled
        on a topic of 40,000 articles is then a copy, not 40,000 lookups)."""
        found = [self.topic_positions(index, key) for key in keys]
        if len(found) == 1:
            return found[0]
        if mode == "or":
            return sorted(set().union(*found))
        found.sort(key=len)
        common = set(found[0])
        for more in found[1:]:
            common.intersection_update(more)
        return sorted(common)

    def topic_positions(self, index: TopicIndex, key: str) -> array[int]:
        key = index.aliases.get(key, key)
        cached = self._by_topic.get(key)
        if cached is None:
            topic = index.topics.get(key)
            cached = array("I", self.positions_of(topic.articles) if topic is not None else ())
            self._by_topic[key] = cached
        return cached

    def feed_positions(self, feed: str) -> Sequence[int]:
        """The positions of the feed's articles, ascending (kept, like a topic's)."""
        key = "\0feed:" + feed
        cached = self._by_topic.get(key)
        if cached is None:
            if self._feeds is None:
                cached = array("I", (p for p in range(len(self)) if self[p].feed == feed))
            else:
                column, numbers = self._feeds
                number = numbers.get(feed)
                cached = array("I", (p for p, n in enumerate(column) if n == number) if number is not None
                               else ())
            self._by_topic[key] = cached
        return cached

    def topics_changed(self) -> None:
        """The index changed (an article's topics redone): positions are looked up again,
        for every topic, since a new name can join two topics or part them."""
        self._by_topic.clear()

    def when(self, pos: int) -> float | None:
        value = self.ts[pos]
        return None if math.isnan(value) else value

    def unread_ids(self) -> Iterator[str]:
        """The ids of the unread articles, newest first (a pass in C, not per article)."""
        from itertools import compress

        return compress(self.ids, self.read.translate(_FLIP))

    # -- changing --------------------------------------------------------------------------

    def set_read(self, positions: Iterable[int], read: bool) -> list[int]:
        """Set the flag; returns the positions whose flag changed."""
        flags, value = self.read, int(read)
        changed = [pos for pos in positions if flags[pos] != value]
        for pos in changed:
            flags[pos] = value
        self.unread += -len(changed) if read else len(changed)
        return changed

    def set_starred(self, pos: int, starred: bool) -> None:
        self.starred[pos] = starred

    def replace_meta(self, pos: int, meta: ArticleMeta) -> None:
        """What else changed of an article (its text kind); its flags stay the arrays'."""
        self._changed[pos] = meta

    def set_stories(self, stories: Stories) -> None:
        """Number the stories told by several articles, by position, for the list's rows."""
        story = array("i", [-1]) * len(self.ids)
        members: list[array[int]] = []
        keys: list[str] = []
        for key, metas in stories.members.items():
            found = sorted(pos for m in metas if (pos := self.position(m.id)) is not None)
            if len(found) < 2:
                continue
            number = len(members)
            for pos in found:
                story[pos] = number
            members.append(array("I", found))
            keys.append(key)
        self.story, self.members, self.story_keys = story, members, keys


class Listed(Sequence[ArticleMeta]):
    """The articles at some positions (the list's rows, what the filter lets through),
    each built when read."""

    __slots__ = ("_articles", "positions")

    def __init__(self, articles: Articles, positions: Sequence[int]) -> None:
        self._articles = articles
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    @overload
    def __getitem__(self, index: int) -> ArticleMeta: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleMeta]: ...

    def __getitem__(self, index: int | slice) -> ArticleMeta | list[ArticleMeta]:
        if isinstance(index, slice):
            articles = self._articles
            return [articles[pos] for pos in self.positions[index]]
        return self._articles[self.positions[index]]


def updated_meta(meta: ArticleMeta, *, read: bool | None, starred: bool | None, full_text: bool
                 ) -> ArticleMeta:
    return replace(meta, read=meta.read if read is None else read,
                   starred=meta.starred if starred is None else starred,
                   text_kind="full" if full_text else meta.text_kind)
