"""Which articles to show: one filter and one reading of "since" for every front end.

`briefing list`, `briefing export`, watchlists and the reader all choose articles through
`ArticleFilter` and `select_articles`, and read "24h", "7d" or "2020-01-01" through
`parse_since`; when each had its own copy, they disagreed on what the same words meant.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import compress
from typing import TYPE_CHECKING, Any, Literal, Protocol

from briefing.core.errors import BriefingError
from briefing.core.text.fold import fold_key

if TYPE_CHECKING:
    from briefing.core.models.meta import ArticleMeta
    from briefing.core.stories.topics import TopicIndex

Mode = Literal["and", "or"]
_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")

_DURATION = re.compile(r"\s*(\d+)\s*([mhdw])\s*")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class SinceError(BriefingError):
    """A "since" that is neither a duration nor a date; the message shows both forms."""


def parse_since(value: str | None, now: datetime) -> float | None:
    """The cutoff (epoch seconds) that "since VALUE" means at `now`; None for no limit.

    Durations: 90m, 24h, 7d, 2w. Dates: 2020-01-01 (its midnight, UTC) or an ISO time
    (2020-01-01T08:00, UTC unless it says otherwise). "all" or nothing: no limit.
    """
    if value is None or value.strip().lower() in ("", "all"):
        return None
    match = _DURATION.fullmatch(value.lower())
    if match:
        return (now - int(match.group(1)) * _UNITS[match.group(2)]).timestamp()
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
        when = datetime.fromisoformat(text)
    except ValueError:
        raise SinceError(f"'{value}' is neither a duration (90m, 24h, 7d, 2w) nor a date "
                         "(2020-01-01); 'all' means no limit") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """What to show: topics (all or any of them), a watchlist, a feed, unread only, a time.

    The reader keeps one of these as its active filters and persists it; the CLI builds
    one from its options. Topics are folded topic keys (`fold_key`), in the order added.
    """

    topics: tuple[str, ...] = ()
    mode: Mode = "and"
    """"and": articles carrying every topic; "or": any of them."""
    unread_only: bool = False
    watch: str | None = None
    """The name of a saved watchlist the articles must match."""
    feed: str | None = None
    """The name of the feed the articles came from."""
    since: float | None = None
    """Epoch seconds: only articles published at or after it (undated ones are left out)."""
    stored_since: float | None = None
    """Epoch seconds: only articles stored (fetched or imported) at or after it."""

    @property
    def active(self) -> bool:
        return bool(self.topics) or self.unread_only or self.watch is not None or self.feed is not None

    def toggled(self, key: str) -> ArticleFilter:
        """With topic `key` added, or removed if it was there."""
        if key in self.topics:
            return replace(self, topics=tuple(k for k in self.topics if k != key))
        return replace(self, topics=(*self.topics, key))

    def cleared(self) -> ArticleFilter:
        """No filters, the AND/OR choice kept."""
        return ArticleFilter(mode=self.mode)

    def to_state(self) -> dict[str, Any]:
        return {"topics": list(self.topics), "mode": self.mode, "unread_only": self.unread_only,
                "watch": self.watch, "feed": self.feed}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ArticleFilter:
        """From a saved state, whatever an older or damaged file holds."""
        topics = state.get("topics", [])
        mode = state.get("mode", "and")
        watch, feed = state.get("watch"), state.get("feed")
        return cls(
            topics=tuple(str(t) for t in topics) if isinstance(topics, list) else (),
            mode="or" if mode == "or" else "and",
            unread_only=bool(state.get("unread_only", False)),
            watch=watch if isinstance(watch, str) and watch else None,
            feed=feed if isinstance(feed, str) and feed else None,
        )


class Positioned(Protocol):
    """A list of articles by position (0: the newest) too long to walk per keypress: what
    the reader holds (`tui.articles.Articles`)."""

    read: bytearray
    """1 where the article at that position is read."""

    def __len__(self) -> int: ...

    def __getitem__(self, pos: int) -> ArticleMeta: ...

    def position(self, article_id: str) -> int | None: ...

    def positions_of(self, ids: Iterable[str]) -> list[int]:
        """The positions of those of `ids` in the list, ascending."""

    def with_topics(self, index: TopicIndex, keys: Sequence[str], mode: str) -> Sequence[int]:
        """The positions of the articles carrying all ("and") or any of the topics, ascending."""

    def feed_positions(self, feed: str) -> Sequence[int]:
        """The positions of the feed's articles, ascending."""


def _allowed(chosen: ArticleFilter, index: TopicIndex | None,
             watch_ids: AbstractSet[str] | None) -> AbstractSet[str] | None:
    """The ids the topics (from the index) and the watchlist allow; None: no such limit."""
    allowed: AbstractSet[str] | None = None
    if chosen.topics and index is not None:
        allowed = index.matching(chosen.topics, mode=chosen.mode)
    if chosen.watch is not None and watch_ids is not None:
        allowed = watch_ids if allowed is None else set(allowed) & set(watch_ids)
    return allowed


def _per_article(chosen: ArticleFilter, *, by_topics: bool) -> Callable[[ArticleMeta], bool] | None:
    """The checks each article's own fields answer (feed, dates, and topics when there is
    no index); None when there are none."""
    feed, cutoff, stored = chosen.feed, chosen.since, chosen.stored_since
    if not (by_topics or feed is not None or cutoff is not None or stored is not None):
        return None
    wanted, every = set(chosen.topics), chosen.mode == "and"

    def passes(meta: ArticleMeta) -> bool:
        if feed is not None and meta.feed != feed:
            return False
        if cutoff is not None and (meta.ts is None or meta.ts < cutoff):
            return False
        if stored is not None and (meta.fetched or 0.0) < stored:
            return False
        if by_topics:
            keys = {fold_key(name) for name in meta.topic_names}
            return wanted <= keys if every else bool(wanted & keys)
        return True

    return passes


def select_articles(
    articles: Sequence[ArticleMeta],
    chosen: ArticleFilter,
    *,
    index: TopicIndex | None = None,
    watch_ids: AbstractSet[str] | None = None,
) -> list[ArticleMeta]:
    """The articles `chosen` lets through, in the order of `articles` (newest first).

    Topics are looked up in `index`; without one (the reader's first frame, before the
    index is built) each article's own topics are folded instead. `watch_ids` are the
    ids of `chosen.watch`, which the caller evaluates (ignored when no watchlist is set).
    """
    allowed = _allowed(chosen, index, watch_ids)
    passes = _per_article(chosen, by_topics=bool(chosen.topics) and index is None)
    unread = chosen.unread_only
    if allowed is None and passes is None and not unread:
        return list(articles)
    return [meta for meta in articles
            if (allowed is None or meta.id in allowed) and not (unread and meta.read)
            and (passes is None or passes(meta))]


def select_positions(
    articles: Positioned,
    chosen: ArticleFilter,
    *,
    index: TopicIndex | None = None,
    watch_ids: AbstractSet[str] | None = None,
) -> Sequence[int]:
    """`select_articles` as positions, at the cost of what passes rather than of the list:
    topics and a feed come as positions from `articles` (which keeps them), read flags are
    bytes, and an article is built only for a check of its own fields (a date)."""
    found: Sequence[int] | None = None
    if chosen.topics and index is not None:
        found = articles.with_topics(index, chosen.topics, chosen.mode)
    if chosen.watch is not None and watch_ids is not None:
        watched = articles.positions_of(watch_ids)
        found = watched if found is None else sorted(set(found).intersection(watched))
    if chosen.feed is not None:
        of_feed = articles.feed_positions(chosen.feed)
        found = of_feed if found is None else sorted(set(found).intersection(of_feed))
    passes = _per_article(replace(chosen, feed=None), by_topics=bool(chosen.topics) and index is None)
    if found is None:
        if passes is None and not chosen.unread_only:
            return range(len(articles))
        found = range(len(articles))
    if chosen.unread_only:
        unread = articles.read.translate(_FLIP)
        found = (list(compress(found, unread)) if isinstance(found, range)
                 else [pos for pos in found if unread[pos]])
    if passes is not None:
        found = [pos for pos in found if passes(articles[pos])]
    return found if isinstance(found, array) else array("I", found)
