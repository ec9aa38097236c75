"""What the reader shows, as a plain class: the articles, the filter, the visible rows.

Every decision about the list (which articles pass the filter, one row per story, which
version of a story, what jumping to an article clears, what read/starred changes) is
made here, without Textual, so it is tested and measured on its own; the reader screen
only routes keys and messages to it and draws what it says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from briefing.core.models.meta import ArticleMeta
from briefing.core.select import ArticleFilter, select_articles
from briefing.core.stories.topics import Topic, TopicIndex
from briefing.tui.reading import NO_STORIES, Stories, articles_per_day, one_row_per_story

TIMELINE_DAYS = 30


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
    """The reader's articles and filter; the screen asks it what to draw."""

    def __init__(self) -> None:
        self.filter = ArticleFilter()
        self.articles: list[ArticleMeta] = []
        """Every article, newest first (on the first frame: only the newest few)."""
        self.positions: dict[str, int] = {}
        self.index: TopicIndex | None = None
        """The reader's own copy of the topic index (None until the full list is loaded)."""
        self.ranked: list[Topic] = []
        self.stories: Stories = NO_STORIES
        self.chosen: dict[str, str] = {}
        """Story key -> the version the analyst switched to (next-version, a jump)."""
        self.watches: dict[str, frozenset[str]] = {}
        """Each saved watchlist with the ids it matches."""
        self.new_matches: frozenset[str] = frozenset()
        self.shown: list[ArticleMeta] = []
        """The articles the filter lets through (the list shows one row per story of these)."""
        self.folded: dict[str, str] = {}
        """Folded titles by id, for the search screen."""
        self.fully_loaded = False
        self.show_sidebar: bool | None = None
        self.show_facts: bool | None = None
        """None: the layout decides by terminal width."""

    # -- the articles ----------------------------------------------------------------------

    def set_articles(self, articles: list[ArticleMeta]) -> None:
        self.articles = articles
        self.positions = {a.id: i for i, a in enumerate(articles)}

    def loaded(
        self, articles: list[ArticleMeta], index: TopicIndex, ranked: list[Topic], stories: Stories,
        watches: dict[str, frozenset[str]], new_matches: frozenset[str],
    ) -> None:
        """The full list, its topics, stories and watchlists arrived."""
        self.set_articles(articles)
        self.index = index
        self.ranked = ranked
        self.stories = stories
        self.watches = watches
        self.new_matches = self.new_matches | new_matches
        self.fully_loaded = True

    def meta(self, article_id: str) -> ArticleMeta | None:
        pos = self.positions.get(article_id)
        return self.articles[pos] if pos is not None else None

    def visible(self) -> list[ArticleMeta]:
        """Apply the filter; returns one row per story of what passes (and keeps `shown`)."""
        watch = self.watches.get(self.filter.watch) if self.filter.watch else None
        # Before the index is built (the first frame), topics are matched on each article.
        self.shown = select_articles(self.articles, self.filter, index=self.index if self.fully_loaded
                                     else None, watch_ids=watch)
        return one_row_per_story(self.shown, self.stories, self.chosen)

    def updated(self, meta: ArticleMeta, *, read: bool | None = None,
                starred: bool | None = None) -> ArticleMeta:
        """The article with new flags, replaced in the list."""
        updated = replace(meta, read=meta.read if read is None else read,
                          starred=meta.starred if starred is None else starred)
        pos = self.positions.get(meta.id)
        if pos is not None:
            self.articles[pos] = updated
        return updated

    def in_watchlist(self, article_id: str) -> bool:
        return any(article_id in ids for ids in self.watches.values())

    def watch_counts(self) -> list[WatchCount]:
        counts: list[WatchCount] = []
        for name, ids in self.watches.items():
            unread = 0
            for aid in ids:
                pos = self.positions.get(aid)
                if pos is not None and not self.articles[pos].read:
                    unread += 1
            counts.append(WatchCount(name, unread, len(ids & self.new_matches)))
        return counts

    def counts(self, rows: int) -> str:
        """"12 of 49 articles · 10 stories": what the status line says of the list."""
        shown, total = len(self.shown), len(self.articles)
        counts = f"{shown} of {total} articles" if shown != total else f"{total} articles"
        if rows != shown:
            counts += f" · {rows} stories"
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
        if not any(a.id == article_id for a in self.shown):
            self.filter = self.filter.cleared()
        return True

    def timeline(self, key: str) -> tuple[list[int], float | None]:
        """Articles per day of a topic, for the sidebar's sparkline."""
        topic = self.index.topics.get(key) if self.index else None
        if topic is None:
            return [], None
        stamps = [self.articles[p].ts for aid in topic.articles if (p := self.positions.get(aid)) is not None]
        return articles_per_day(stamps, TIMELINE_DAYS)

    # -- persistence -----------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {"filters": self.filter.to_state(),
                "panes": {"sidebar": self.show_sidebar, "facts": self.show_facts}}

    def restore(self, state: dict[str, Any]) -> None:
        """From the store's saved UI state, whatever an older or damaged one holds."""
        filters = state.get("filters")
        self.filter = ArticleFilter.from_state(filters if isinstance(filters, dict) else {})
        panes = state.get("panes")
        if isinstance(panes, dict):
            sidebar, facts = panes.get("sidebar"), panes.get("facts")
            self.show_sidebar = sidebar if isinstance(sidebar, bool) else None
            self.show_facts = facts if isinstance(facts, bool) else None
