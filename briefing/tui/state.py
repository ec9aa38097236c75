"""What the reader shows, as a plain class: the articles, the filter, the visible rows.

Every decision about the list (which articles pass the filter, one row per story, which
version of a story, what jumping to an article clears, what read/starred changes) is
made here, without Textual, so it is tested and measured on its own; the reader screen
only routes keys and messages to it and draws what it says.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import filterfalse
from typing import TYPE_CHECKING, Any, Literal

from briefing.core.models.meta import ArticleMeta
from briefing.core.select import ArticleFilter, select_positions
from briefing.core.stories.topics import Topic, TopicIndex
from briefing.tui.articles import Articles, Listed, updated_meta, with_flags
from briefing.tui.reading import NO_STORIES, Stories, articles_per_day

if TYPE_CHECKING:
    from briefing.tui.titles import TitleIndex

TIMELINE_DAYS = 30

Sort = Literal["newest", "covered", "unread"]
SORTS: tuple[Sort, ...] = ("newest", "covered", "unread")
SORT_TITLES: dict[Sort, str] = {"newest": "newest first", "covered": "most covered first",
                                "unread": "unread first"}


def count_unread_by_topic(articles: Articles | Iterable[ArticleMeta], index: TopicIndex) -> dict[str, int]:
    """Topic key -> its unread articles (topics with none are left out)."""
    unread = (articles.unread_ids() if isinstance(articles, Articles)
              else (m.id for m in articles if not m.read))
    return index.count_by_topic(unread)


def with_read(meta: ArticleMeta, read: bool) -> ArticleMeta:
    """`replace(meta, read=read)`, three times faster (see `with_flags`)."""
    return with_flags(meta, read, meta.starred)


@dataclass(frozen=True, slots=True)
class MarkedRead:
    """What `mark_all_read` changed, so that it can be undone."""

    ids: tuple[str, ...]
    """The articles that were unread and are now read."""


@dataclass(frozen=True, slots=True)
class WatchCount:
    """One watchlist as the sidebar shows it."""

    name: str
    unread: int
    new: int = 0


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """One related story of the open article."""

    article_id: str
    title: str
    source: str


class ReaderState:
    """The reader's articles and filter; the screen asks it what to draw.

    What the filter lets through (`shown`) and the list's rows (`rows`) are positions in
    `articles`, so a read mark changes one byte and every list sees it; both are read as
    sequences of ArticleMeta, built per item.
    """

    def __init__(self) -> None:
        self.filter = ArticleFilter()
        self.articles = Articles.of(())
        """Every article, newest first (on the first frame: only the newest few)."""
        self.index: TopicIndex | None = None
        """The reader's own copy of the topic index (None until the full list is loaded)."""
        self.ranked: list[Topic] = []
        self.stories: Stories = NO_STORIES
        self.chosen: dict[str, str] = {}
        """Story key -> the version the analyst switched to (next-version, a jump)."""
        self.watches: dict[str, frozenset[str]] = {}
        """Each saved watchlist with the ids it matches."""
        self.new_matches: frozenset[str] = frozenset()
        self.titles: TitleIndex | None = None
        """Every title, folded, for the search screen (None until the full list is loaded)."""
        self.fully_loaded = False
        self.sort: Sort = "newest"
        self._shown: Sequence[int] = range(0)
        self._rows: array[int] = array("I")
        self._row_at: dict[int, int] | None = None
        self._shown_mask: bytearray | None = None
        self._unread_shown: int | None = None
        self._everything: tuple[object, array[int], dict[int, int] | None, bool] | None = None
        """The rows of the unfiltered, newest-first list, what they were made from, their
        row-by-position lookup once made and whether they ascend: clearing a filter on
        half a million articles must not work them out again."""
        self._rows_ascending = True
        self._ascending = True
        """The rows are positions in ascending order (found by bisection)."""
        self._starred_changes = 0
        self.topic_unread: dict[str, int] = {}
        """Topic key -> unread articles carrying it (for the sidebar)."""
        self.outlet_counts: dict[str, int] = {}
        """Story key -> its distinct outlets (stories of one article: absent)."""
        self.last_marked: MarkedRead | None = None
        """The last mark-all-read, until it is undone or another one replaces it."""
        self.show_sidebar: bool | None = None
        self.show_facts: bool | None = None
        """None: the layout decides by terminal width."""

    # -- the articles ----------------------------------------------------------------------

    def set_articles(self, articles: Sequence[ArticleMeta]) -> None:
        self.articles = articles if isinstance(articles, Articles) else Articles.of(articles)
        self._everything = None

    def loaded(
        self, articles: Sequence[ArticleMeta], index: TopicIndex, ranked: list[Topic], stories: Stories,
        watches: dict[str, frozenset[str]], new_matches: frozenset[str],
        topic_unread: dict[str, int] | None = None, titles: TitleIndex | None = None,
    ) -> None:
        """The full list, its topics, stories and watchlists arrived."""
        self.set_articles(articles)
        if len(self.articles.story) != len(self.articles):
            self.articles.set_stories(stories)
        self.index = index
        self.ranked = ranked
        self.stories = stories
        self.outlet_counts = {key: len({m.source or m.feed or "" for m in members})
                              for key, members in stories.members.items()}
        self.topic_unread = (topic_unread if topic_unread is not None
                             else count_unread_by_topic(self.articles, index))
        self.titles = titles
        self.watches = watches
        self.new_matches = self.new_matches | new_matches
        self.fully_loaded = True

    def meta(self, article_id: str) -> ArticleMeta | None:
        pos = self.articles.position(article_id)
        return self.articles[pos] if pos is not None else None

    @property
    def shown(self) -> Listed:
        """The articles the filter lets through (the list shows one row per story of these)."""
        return Listed(self.articles, self._shown)

    @property
    def rows(self) -> Listed:
        """One row per story of `shown`, in the chosen sort: what the list draws."""
        return Listed(self.articles, self._rows)

    def visible(self) -> Listed:
        """Apply the filter and the sort; returns one row per story of what passes."""
        watch = self.watches.get(self.filter.watch) if self.filter.watch else None
        # Before the index is built (the first frame), topics are matched on each article.
        self._shown = select_positions(self.articles, self.filter, index=self.index if self.fully_loaded
                                       else None, watch_ids=watch)
        self._shown_mask = None
        self._rows = self._story_rows()
        self._ascending = self.sort == "newest" and self._rows_ascending
        if self.sort == "covered":
            story, outlets, ts = self.articles.story, self._outlets_by_number(), self.articles.ts
            self._rows = array("I", sorted(self._rows, key=lambda p: (-outlets.get(story[p], 1),
                                                                       -(ts[p] if ts[p] == ts[p] else 0.0))))
        elif self.sort == "unread":
            self._rows = array("I", sorted(self._rows, key=self.articles.read.__getitem__))
        self._row_at = None
        self._unread_shown = None
        return self.rows

    def _story_rows(self) -> array[int]:
        """Each story once, at its newest shown article: shown by the version the analyst
        switched to (`chosen`) when that one is shown, else by its newest starred one,
        else by its newest. Work in proportion to the stories, then one pass in C."""
        shown, articles = self._shown, self.articles
        everything = isinstance(shown, range) and len(shown) == len(articles)
        key = (articles, self.stories, tuple(self.chosen.items()), self._starred_changes)
        if everything and self._everything is not None and self._everything[0] == key:
            self._rows_ascending = self._everything[3]
            return self._everything[1]
        swap: dict[int, int] = {}
        if not articles.members:
            rows = array("I", shown)
        else:
            drop, swap = self._versions_not_shown(None if everything else self._mask())
            rows = array("I", (swap.get(p, p) for p in shown if p not in drop) if swap else
                         filterfalse(drop.__contains__, shown))
        self._rows_ascending = not swap
        if everything:
            self._everything = (key, rows, None, not swap)
        return rows

    def _versions_not_shown(self, mask: bytearray | None) -> tuple[set[int], dict[int, int]]:
        """The positions of story versions that get no row of their own, and the row's
        position -> the version shown there instead."""
        articles, chosen = self.articles, self.chosen
        starred, position = articles.starred, articles.position
        drop: set[int] = set()
        swap: dict[int, int] = {}
        for number, members in enumerate(articles.members):
            found = members if mask is None else [p for p in members if mask[p]]
            if len(found) < 1:
                continue
            first = found[0]
            drop.update(found[1:])
            wanted = chosen.get(articles.story_keys[number])
            pick = position(wanted) if wanted is not None else None
            if pick is None or pick not in found:
                pick = first if starred[first] else next((p for p in found if starred[p]), first)
            if pick != first:
                swap[first] = pick
        return drop, swap

    def _mask(self) -> bytearray:
        """1 at each shown position."""
        if self._shown_mask is None:
            mask = bytearray(len(self.articles))
            for pos in self._shown:
                mask[pos] = 1
            self._shown_mask = mask
        return self._shown_mask

    def _outlets_by_number(self) -> dict[int, int]:
        counts, keys = self.outlet_counts, self.articles.story_keys
        return {number: counts.get(key, 1) for number, key in enumerate(keys)}

    def cycle_sort(self) -> Sort:
        """The next sort order (newest, most covered, unread first, newest...)."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        return self.sort

    @property
    def sort_title(self) -> str:
        return SORT_TITLES[self.sort]

    def row_of(self, article_id: str) -> int | None:
        pos = self.articles.position(article_id)
        if pos is None:
            return None
        rows = self._rows
        if self._ascending:  # newest first, every row its story's first version: a bisection
            at = bisect_left(rows, pos)
            return at if at < len(rows) and rows[at] == pos else None
        if self._row_at is None:
            everything = self._everything
            if everything is not None and everything[1] is rows and everything[2] is not None:
                self._row_at = everything[2]
            else:
                self._row_at = dict(zip(rows, range(len(rows)), strict=True))
                if everything is not None and everything[1] is rows:
                    self._everything = (everything[0], rows, self._row_at, everything[3])
        return self._row_at.get(pos)

    def _is_shown_at(self, pos: int) -> bool:
        shown = self._shown
        if isinstance(shown, range):
            return pos in shown
        return self._mask()[pos] == 1

    def updated(self, meta: ArticleMeta, *, read: bool | None = None, starred: bool | None = None,
                full_text: bool = False) -> ArticleMeta:
        """The article with new flags (or, `full_text`, its page's text now stored), replaced
        in the list (and its topics' unread counts)."""
        articles = self.articles
        pos = articles.position(meta.id)
        if pos is None:
            return updated_meta(meta, read=read, starred=starred, full_text=full_text)
        current = articles[pos]
        updated = updated_meta(current, read=read, starred=starred, full_text=full_text)
        if full_text:
            articles.replace_meta(pos, updated)
        if starred is not None and starred != current.starred:
            articles.set_starred(pos, starred)
            self._starred_changes += 1
        if read is not None and articles.set_read((pos,), read):
            if self._unread_shown is not None and self._is_shown_at(pos):
                self._unread_shown += -1 if read else 1
            self._count_topics((meta.id,), -1 if read else 1)
        return updated

    def _count_topics(self, ids: Iterable[str], delta: int) -> None:
        if self.index is None:
            return
        counts, by_article = self.topic_unread, self.index.by_article
        for aid in ids:
            for key in by_article.get(aid, ()):
                left = counts.get(key, 0) + delta
                if left > 0:
                    counts[key] = left
                else:
                    counts.pop(key, None)

    def unread_shown(self) -> int:
        """Unread articles among `shown` (counted once per filter, then kept up to date)."""
        if self._unread_shown is None:
            shown, articles = self._shown, self.articles
            if isinstance(shown, range) and len(shown) == len(articles):
                self._unread_shown = articles.unread
            else:
                self._unread_shown = len(shown) - sum(map(articles.read.__getitem__, shown))
        return self._unread_shown

    def story_starred(self, meta: ArticleMeta) -> bool:
        """Whether any version of `meta`'s story is starred (flags as they are now)."""
        articles = self.articles
        for member in self.stories.members.get(self.stories.story_of(meta), ()):
            pos = articles.position(member.id)
            if pos is not None and articles.starred[pos]:
                return True
        return False

    # -- newsboat's habits -----------------------------------------------------------------

    def is_shown(self, article_id: str) -> bool:
        pos = self.articles.position(article_id)
        return pos is not None and self._is_shown_at(pos)

    def unread_version(self, row: ArticleMeta) -> ArticleMeta | None:
        """The row's article if unread, else the newest unread shown version of its story."""
        if not row.read:
            return row
        articles = self.articles
        for member in self.stories.members.get(self.stories.story_of(row), ()):
            pos = articles.position(member.id)
            if pos is not None and not articles.read[pos] and self._is_shown_at(pos):
                return articles[pos]
        return None

    def next_unread(self, cursor: int, step: int = 1) -> tuple[int, ArticleMeta] | None:
        """The next (`step` 1) or previous (-1) row after `cursor` with an unread article,
        and that article (another version of the row's story when the row's own is read).
        Searches to the end of the list, then wraps around; None when nothing is unread."""
        rows, count, articles = self._rows, len(self._rows), self.articles
        read, story = articles.read, articles.story
        for offset in range(1, count + 1):
            at = (cursor + offset * step) % count
            pos = rows[at]
            if not read[pos]:
                return at, articles[pos]
            if story[pos] >= 0 and (found := self.unread_version(articles[pos])) is not None:
                return at, found
        return None

    def show_version(self, row: int, meta: ArticleMeta) -> str:
        """Show `meta` (a version of the story at `row`) in that row from now on; returns
        the id of the version it replaces."""
        key = self.stories.story_of(meta)
        if key in self.stories.members:
            self.chosen[key] = meta.id
        articles = self.articles
        before = self._rows[row]
        old = articles.ids[before]
        pos = articles.position(meta.id)
        if pos is not None:
            self._rows[row] = pos
            self._ascending = False
            if self._row_at is not None:
                self._row_at.pop(before, None)
                self._row_at[pos] = row
            if self._everything is not None and self._everything[1] is self._rows:
                self._everything = ((articles, self.stories, tuple(self.chosen.items()),
                                     self._starred_changes), self._rows, self._row_at, False)
        return old

    def mark_all_read(self) -> MarkedRead:
        """Every shown unread article becomes read; returns what changed (for `undo`)."""
        articles = self.articles
        changed = articles.set_read(self._shown, True)
        ids = articles.ids
        marked = [ids[pos] for pos in changed]
        if changed:
            self._unread_shown = 0
            self._recount_topics(marked, read=True)
        self.last_marked = MarkedRead(tuple(marked))
        return self.last_marked

    def undo_mark_all_read(self) -> MarkedRead | None:
        """The last mark-all-read undone: its articles are unread again (None: nothing to undo)."""
        marked, self.last_marked = self.last_marked, None
        if marked is not None:
            self._set_read(marked.ids, False)
        return marked

    def _set_read(self, ids: Iterable[str], read: bool) -> None:
        articles = self.articles
        position = articles.position
        changed = articles.set_read((pos for aid in ids if (pos := position(aid)) is not None), read)
        if changed:
            self._unread_shown = None
            self._recount_topics([articles.ids[pos] for pos in changed], read=read)

    def _recount_topics(self, changed: list[str], *, read: bool) -> None:
        """Topic unread counts after `changed` became read (or unread): counted afresh when
        fewer articles are left unread than changed, else adjusted."""
        if self.index is not None and self.articles.unread < len(changed):
            self.topic_unread = count_unread_by_topic(self.articles, self.index)
        else:
            self._count_topics(changed, -1 if read else 1)

    def in_watchlist(self, article_id: str) -> bool:
        return any(article_id in ids for ids in self.watches.values())

    def watch_counts(self) -> list[WatchCount]:
        counts: list[WatchCount] = []
        position, read = self.articles.position, self.articles.read
        for name, ids in self.watches.items():
            unread = 0
            for aid in ids:
                pos = position(aid)
                if pos is not None and not read[pos]:
                    unread += 1
            counts.append(WatchCount(name, unread, len(ids & self.new_matches)))
        return counts

    def counts(self, rows: int | None = None) -> str:
        """"12 unread of 49 articles · 39 stories", or with a filter "3 unread of 8
        articles (49 in all) · 6 stories": what the status line says of the list."""
        shown, total = len(self._shown), len(self.articles)
        rows = len(self._rows) if rows is None else rows
        counts = f"{self.unread_shown()} unread of {shown} articles"
        if shown != total:
            counts += f" ({total} in all)"
        if rows != shown:
            counts += f" · {rows} stor{'y' if rows == 1 else 'ies'}"
        return counts

    # -- the filter ------------------------------------------------------------------------

    def topic_name(self, key: str) -> str:
        topic = self.index.topics.get(key) if self.index else None
        return topic.name if topic else key

    def knows_topic(self, key: str) -> bool:
        return key in self.filter.topics or (self.index is not None and key in self.index.topics)

    def scope_title(self) -> str:
        """The title of an exported briefing of what the list shows."""
        parts: list[str] = []
        if self.filter.watch:
            parts.append(self.filter.watch)
        if self.filter.topics:
            joiner = " AND " if self.filter.mode == "and" else " OR "
            parts.append(joiner.join(self.topic_name(k) for k in self.filter.topics))
        if self.filter.unread_only:
            parts.append("unread")
        return "Briefing: " + " · ".join(parts) if parts else "Briefing"

    # -- stories ---------------------------------------------------------------------------

    def next_version(self, meta: ArticleMeta) -> ArticleMeta | None:
        """The story's next version after `meta` (now chosen), or None if it has one only."""
        key = self.stories.story_of(meta)
        members = self.stories.members.get(key, [])
        if len(members) < 2:
            return None
        at = next((i for i, m in enumerate(members) if m.id == meta.id), -1)
        following = members[(at + 1) % len(members)]
        following = self.meta(following.id) or following  # its current read/starred flags
        self.chosen[key] = following.id
        return following

    def choose(self, article_id: str) -> bool:
        """Show `article_id`'s version of its story, clearing the filter if it hides the
        article; False if the article is not in the store."""
        meta = self.meta(article_id)
        if meta is None:
            return False
        key = self.stories.story_of(meta)
        if key in self.stories.members:
            self.chosen[key] = article_id
        if not self.is_shown(article_id):
            self.filter = self.filter.cleared()
        return True

    def timeline(self, key: str) -> tuple[list[int], float | None]:
        """Articles per day of a topic, for the sidebar's sparkline."""
        index = self.index
        if index is None or key not in index.topics:
            return [], None
        # The topic's positions, kept for its filter too: a look-up per article once, then
        # a pass over an array (NaN: undated, left out).
        ts = self.articles.ts
        stamps = [when for p in self.articles.topic_positions(index, key) if (when := ts[p]) == when]
        return articles_per_day(stamps, TIMELINE_DAYS)

    # -- persistence -----------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {"filters": self.filter.to_state(), "sort": self.sort,
                "panes": {"sidebar": self.show_sidebar, "facts": self.show_facts}}

    def restore(self, state: dict[str, Any]) -> None:
        """From the store's saved UI state, whatever an older or damaged one holds."""
        filters = state.get("filters")
        self.filter = ArticleFilter.from_state(filters if isinstance(filters, dict) else {})
        sort = state.get("sort")
        self.sort = next((s for s in SORTS if s == sort), "newest")
        panes = state.get("panes")
        if isinstance(panes, dict):
            sidebar, facts = panes.get("sidebar"), panes.get("facts")
            self.show_sidebar = sidebar if isinstance(sidebar, bool) else None
            self.show_facts = facts if isinstance(facts, bool) else None
