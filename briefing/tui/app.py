"""BriefingApp, the reader: topics sidebar, article list and text, key-facts pane.

Start-up must stay fast, so nothing heavy (facts engine, HTTP, feed parsing, refresh) is
imported here at module level; the store is only touched from worker threads under one
lock, so the UI thread never waits on a disk write or a large rebuild.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from briefing.core.errors import BriefingError
from briefing.core.models.meta import ArticleMeta
from briefing.core.store.store import Store
from briefing.core.stories.topics import Topic, TopicIndex
from briefing.tui.bidi import strip_bidi
from briefing.tui.keymap import load_keymap
from briefing.tui.messages import (
    ArticleChosen,
    ArticleHighlighted,
    ArticleLoaded,
    ArticlesLoaded,
    ArticleUnreadable,
    BriefingExported,
    FeedRefreshed,
    FeedsListed,
    FullTextFetched,
    RefreshFinished,
    RelatedFound,
    RelatedStoryChosen,
    SentenceSelected,
    StoreWriteFailed,
    TitlesFolded,
    TopicFilterToggled,
    TopicHighlighted,
    WatchToggled,
)
from briefing.tui.reading import (
    NO_STORIES,
    Filters,
    Stories,
    articles_per_day,
    build_stories,
    copy_index,
    display,
    fold_titles,
    one_row_per_story,
    outlets,
    visible_articles,
    visible_without_index,
)
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.article_view import ArticleView
from briefing.tui.widgets.facts_pane import FactsList, FactsPane
from briefing.tui.widgets.key_bar import KeyBar
from briefing.tui.widgets.status_bar import StatusBar
from briefing.tui.widgets.topics_sidebar import RelatedRow, TopicList, TopicsSidebar, WatchCount

if TYPE_CHECKING:
    from textual.timer import Timer

    from briefing.core.models.article import Article
    from briefing.tui.screens.help import HelpSection
    from briefing.tui.screens.search import SearchResult

FIRST_SCREEN = 200
"""Articles shown on the first frame, before the full list is built in the background."""

LOADING = "loading…"
PANES = ("topic-list", "article-list", "article-view", "facts-list")
NARROW = 100
WIDE = 140
EXPORT_LIMIT = 500
"""At most this many of the visible articles (the newest) go into one exported briefing."""
RELATED_STORIES = 6
TIMELINE_DAYS = 30
SEARCH_PRELOAD_AFTER = 8.0
FAILURE_NOTICES = 3
"""Feed failures shown one by one in a refresh; more are summed up in one notice."""
"""Seconds after the first frame before the full-text index is read in the background."""


@cache
def own_bindings(cls: type) -> list[Binding]:
    """The bindings a class of ours declares (its bases' too), without Textual's own."""
    found: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("briefing.") or "BINDINGS" not in klass.__dict__:
            continue
        for binding in klass.__dict__["BINDINGS"]:
            if isinstance(binding, Binding):
                found[binding.id or binding.action] = binding
    return list(found.values())


@cache
def _reader_actions(cls: type) -> frozenset[str]:
    return frozenset(b.action.split("(")[0] for b in own_bindings(cls))


class LockedStore:
    """The store as the refresh worker sees it: every call (and a whole batch) holds the
    reader's store lock, so refresh writes never interleave with the reader's own."""

    def __init__(self, store: Store, lock: threading.RLock) -> None:
        self._store = store
        self._lock = lock
        self.closed = False
        """Set (under the lock) when the reader closes the store: later calls fail cleanly."""

    # Equal to (and hashed as) the store it wraps: core keeps per-store state (the search
    # index, the story index) in weak-keyed maps, and must find the same one through us.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, LockedStore):
            return other._store is self._store
        return other is self._store

    def __hash__(self) -> int:
        return hash(self._store)

    def _check(self) -> None:
        if self.closed:
            raise BriefingError("the reader closed the store; refresh abandoned")

    def __len__(self) -> int:
        with self._lock:
            self._check()
            return len(self._store)

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._lock:
            self._check()
            with self._store.batch():
                yield

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self._check()
                return attr(*args, **kwargs)

        return locked


class BriefingApp(App[None]):
    """The reader. Give it an open store; it never closes it (the caller owns it)."""

    CSS_PATH = "app.tcss"
    TITLE = "briefing"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Save filters and quit"),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
        Binding("slash", "search", "Search", id="search",
                tooltip="Search topics and titles (diacritic-insensitive)"),
        Binding("tab", "next_pane", "Next pane", id="next-pane", show=False, priority=True,
                tooltip="Move to the next pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", id="previous-pane", show=False,
                priority=True, tooltip="Move to the previous pane"),
        Binding("1", "focus_pane('topic-list')", "Topics", id="focus-topics", show=False,
                tooltip="Jump to the topics sidebar"),
        Binding("2", "focus_pane('article-list')", "List", id="focus-list", show=False,
                tooltip="Jump to the article list"),
        Binding("3", "focus_pane('article-view')", "Article", id="focus-article", show=False,
                tooltip="Jump to the article text"),
        Binding("4", "focus_pane('facts-list')", "Facts", id="focus-facts", show=False,
                tooltip="Jump to the key facts"),
        Binding("a", "toggle_filter_mode", "AND/OR", id="toggle-filter-mode",
                tooltip="Switch topic filters between all-of (AND) and any-of (OR)"),
        Binding("c", "clear_filters", "Clear", id="clear-filters",
                tooltip="Clear every topic filter and unread-only"),
        Binding("u", "toggle_unread_only", "Unread", id="unread-only",
                tooltip="Show only unread articles (or all again)"),
        Binding("s", "toggle_star", "Star", id="toggle-star", tooltip="Star or unstar the article"),
        Binding("m", "toggle_read", "Read", id="toggle-read",
                tooltip="Mark the article read or unread"),
        Binding("r", "refresh", "Refresh", id="refresh",
                tooltip="Fetch every feed in the background"),
        Binding("f", "feeds", "Feeds", id="feeds",
                tooltip="Each feed with its last fetch, article count and last error"),
        Binding("v", "next_version", "Version", id="next-version",
                tooltip="Show the story's next version, from another outlet (also in: ...)"),
        Binding("e", "export('html')", "Export", id="export-html",
                tooltip="Write the visible list as an HTML briefing (one section per story)"),
        Binding("E", "export('md')", "Export MD", id="export-markdown", show=False,
                tooltip="Write the visible list as a Markdown briefing"),
        Binding("F", "full_text", "Full text", id="full-text", show=False,
                tooltip="Fetch the article's page and keep its full text for offline reading"),
        Binding("left_square_bracket", "toggle_sidebar", "Sidebar", id="toggle-sidebar",
                show=False, tooltip="Show or hide the topics sidebar"),
        Binding("right_square_bracket", "toggle_facts", "Facts pane", id="toggle-facts",
                show=False, tooltip="Show or hide the key-facts pane"),
        Binding("ctrl+p", "command_palette", "Commands", id="command-palette", show=False,
                priority=True, tooltip="Every action by name"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        feeds: str | Path | None = None,
        clock: Callable[[], datetime] | None = None,
        config_path: Path | None = None,
        refresh_on_timer: bool = True,
        handle_signals: bool = False,
        watch_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.store_lock = threading.RLock()
        self.feeds_path = feeds
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.config_path = config_path
        self.refresh_on_timer = refresh_on_timer
        self.all_articles: list[ArticleMeta] = []
        self._positions: dict[str, int] = {}
        self.index: TopicIndex | None = None
        self.ranked: list[Topic] = []
        self.folded: dict[str, str] = {}
        self.filters = Filters()
        self.fully_loaded = False
        self.article: Article | None = None
        self.unreadable: str | None = None
        """The article under the cursor when reading it failed (tests wait on this)."""
        self.refreshing = False
        self.show_sidebar: bool | None = None
        self.show_facts: bool | None = None
        self.keymap: dict[str, str] = {}
        self._save_timer: Any = None
        self._reload_timer: Any = None
        self.watch_path = watch_path
        self.shown: list[ArticleMeta] = []
        """The articles the filters let through (the list shows one row per story of these)."""
        self.stories: Stories = NO_STORIES
        self.chosen: dict[str, str] = {}
        """Story key -> the version the analyst switched to with next-version."""
        self.watches: dict[str, frozenset[str]] = {}
        self.new_matches: frozenset[str] = frozenset()
        self._watch_problem: str | None = None
        self._refresh_started: float | None = None
        self.last_export: str | None = None
        self._fetching: set[str] = set()
        """Articles whose full text is being fetched."""
        self.search_preload_after: float | None = SEARCH_PRELOAD_AFTER
        self.locked_store = LockedStore(store, self.store_lock)
        self._refresh_thread: threading.Thread | None = None
        self._redo_after_first_frame: str | None = None
        self.refresh_timer: Timer | None = None
        """The timer of feeds.toml's refresh_minutes, once the first frame is painted."""
        self.refresh_every = 0.0
        """Its period in seconds (0: no automatic refresh)."""
        self.handle_signals = handle_signals
        self.first_frame_at: float | None = None
        self._failures_shown = 0
        """perf_counter() when the first frame was painted (for bench/tui.py)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Toasts wrap where no widget of ours draws them: no explicit bidi controls there."""
        super().notify(strip_bidi(message), title=strip_bidi(title), severity=severity,
                       timeout=timeout, markup=markup)

    _ANY_SCREEN: ClassVar[frozenset[str]] = frozenset(
        {"quit", "help", "command_palette", "next_pane", "previous_pane"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The reader's own keys act only on the reader, not under the help or feeds screen."""
        if action in self._ANY_SCREEN or action not in _reader_actions(type(self)):
            return True
        return len(self.screen_stack) == 1

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield TopicsSidebar(id="sidebar")
            with Vertical(id="centre"):
                yield ArticleList(self.clock, id="article-list")
                yield ArticleView(id="article-view")
            yield FactsPane(id="facts")
        yield StatusBar(id="status")
        yield KeyBar(id="keys")

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#article-list", ArticleList)

    @property
    def sidebar(self) -> TopicsSidebar:
        return self.query_one("#sidebar", TopicsSidebar)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one("#article-view", ArticleView)

    @property
    def facts_list(self) -> FactsList:
        return self.query_one("#facts-list", FactsList)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        self.sidebar.border_title = "Topics"
        self.query_one("#facts", FactsPane).border_title = "Key facts"
        self.article_list.border_title = "Articles"
        # Every remap applies from the first frame; the ids are checked after it, once the
        # screens declaring the rest of them are imported.
        keymap, problems = load_keymap(self.config_path, None)
        self.keymap = keymap
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, severity="warning", markup=False, timeout=8)
        state = self.store.ui_state()
        filters = state.get("filters")
        self.filters = Filters.from_state(filters if isinstance(filters, dict) else {})
        panes = state.get("panes")
        if isinstance(panes, dict):
            sidebar, facts = panes.get("sidebar"), panes.get("facts")
            self.show_sidebar = sidebar if isinstance(sidebar, bool) else None
            self.show_facts = facts if isinstance(facts, bool) else None
        self._apply_layout()
        with self.store_lock:
            first = self.store.recent(FIRST_SCREEN)  # reads only the newest segments
        self._set_all(first)
        self._show_list()
        self.status.set_parts(progress=LOADING)
        self.article_list.focus()
        # Build the full list only once the first frame is on screen: the loader holds
        # the GIL for a while on a large store and would delay that first paint.
        self.call_after_refresh(self._first_frame_painted)
        if self.handle_signals:
            self._install_signal_handlers()

    def _first_frame_painted(self) -> None:
        self.first_frame_at = time.perf_counter()
        _resume_collector()
        self.load_articles()
        current = self.article_list.current
        if self._redo_after_first_frame and current and current.id == self._redo_after_first_frame:
            self.load_article(current.id)  # its facts may be an older engine's
        if self.refresh_on_timer:
            # Reading feeds.toml (tomllib, the models) is a refresh's business, not the first frame's.
            self._schedule_auto_refresh()
        if self.keymap:
            from briefing.tui.keymap import unknown_ids

            sections = self.binding_sections(screens=True)
            known = [b.id for _, bindings in sections for b in bindings if b.id]
            for problem in unknown_ids(self.config_path, self.keymap, known):
                self.notify(problem, severity="warning", markup=False, timeout=8)
        if self.search_preload_after is not None:
            self.set_timer(self.search_preload_after, self.preload_search)

    @work(thread=True, exclusive=True, group="search-index", description="Reading the search index")
    def preload_search(self) -> None:
        """Read the full-text index now, so the analyst's first `/` query is fast."""
        from briefing.core.search.index import search_index

        try:
            search_index(self.store).load()
        except (BriefingError, OSError):
            pass  # the search screen says so when it is used

    def on_resize(self) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        width = self.size.width
        sidebar = self.sidebar
        facts = self.query_one("#facts", FactsPane)
        sidebar.display = self.show_sidebar if self.show_sidebar is not None else True
        facts.display = self.show_facts if self.show_facts is not None else width >= NARROW
        # Inline sizes, not screen classes: a class on the screen restyles every widget.
        narrow, wide = width < NARROW, width >= WIDE
        _set_size(sidebar.styles, "width", 24 if narrow else 32 if wide else 27)
        _set_size(facts.styles, "width", 30 if narrow else 44 if wide else 34)
        _set_size(self.article_list.styles, "height", "45%" if wide else "40%")

    # -- the list ------------------------------------------------------------------------

    def _set_all(self, articles: list[ArticleMeta]) -> None:
        self.all_articles = articles
        self._positions = {a.id: i for i, a in enumerate(articles)}

    def _show_list(self, keep: str | None = None) -> None:
        if self.fully_loaded:
            watch_ids = self.watches.get(self.filters.watch) if self.filters.watch else None
            visible = visible_articles(self.all_articles, self.index, self.filters, watch_ids)
        else:  # the first frame: the newest articles, filtered by their own topics
            visible = visible_without_index(self.all_articles, self.filters)
        self.shown = visible
        rows = one_row_per_story(visible, self.stories, self.chosen)
        self.article_list.set_articles(rows, keep, stories=self.stories, new=self.new_matches)
        self.sidebar.update_topics(filters=self.filters.topics, mode=self.filters.mode,
                                   watch=self.filters.watch, watches=self._watch_counts())
        self._update_status()

    def _watch_counts(self) -> list[WatchCount]:
        counts: list[WatchCount] = []
        positions, articles = self._positions, self.all_articles
        for name, ids in self.watches.items():
            unread = 0
            for aid in ids:
                pos = positions.get(aid)
                if pos is not None and not articles[pos].read:
                    unread += 1
            counts.append(WatchCount(name, unread, len(ids & self.new_matches)))
        return counts

    def _update_status(self) -> None:
        shown = len(self.shown)
        total = len(self.all_articles)
        counts = f"{shown} of {total} articles" if shown != total else f"{total} articles"
        stories = len(self.article_list.articles)
        if stories != shown:
            counts += f" · {stories} stories"
        parts = Text()
        if self.filters.watch:
            parts.append("watchlist: ", "dim")
            parts.append(display(self.filters.watch, 60), "bold")
        if self.filters.topics:
            if parts.plain:
                parts.append(" · ")
            parts.append("filter: ", "dim")
            joiner = " AND " if self.filters.mode == "and" else " OR "
            for i, key in enumerate(self.filters.topics):
                if i:
                    parts.append(joiner, "bold")
                topic = self.index.topics.get(key) if self.index else None
                parts.append(display(topic.name if topic else key, 60), "bold")
        if self.filters.unread_only:
            if parts.plain:
                parts.append(" · ")
            parts.append("unread only", "bold")
        self.status.set_parts(counts=counts, filters=parts)

    @on(ArticlesLoaded)
    def _articles_loaded(self, message: ArticlesLoaded) -> None:
        keep = self.article_list.current.id if self.article_list.current else None
        self._set_all(message.articles)
        self.index = message.index
        self.ranked = message.ranked
        self.stories = message.stories
        self.watches = message.watches
        self.new_matches = self.new_matches | message.new_matches
        self.fully_loaded = True
        topics = self.index.by_article.get(self.article.id, ()) if self.article else ()
        self.sidebar.index = message.index
        self.sidebar.ranked = message.ranked
        self.sidebar.article_topics = topics
        self._show_list(keep)
        current = self.article_list.current
        if self.article is not None and current is not None and current.id == self.article.id:
            self._show_article(self.article, current, self.article_view.sentence)  # "also in"
        if self.status.progress == LOADING:
            self.status.set_parts(progress="")
        for notice in message.notices:
            self.notify(notice, severity="warning", markup=False, timeout=8)
        if message.new_matches:
            names = [name for name, ids in self.watches.items() if ids & message.new_matches]
            self.notify(f"{len(message.new_matches)} new for "
                        + ", ".join(display(n, 40) for n in names[:4]),
                        title="Watchlists", markup=False, timeout=6)

    def _load_watchlists(self) -> dict[str, Any]:
        """The saved watchlists (none, with a one-time notice, if watch.toml is broken)."""
        from briefing.core.watch import load_watchlists

        try:
            watches: dict[str, Any] = load_watchlists(self.watch_path)
        except BriefingError as exc:
            problem = str(exc)
            if problem != self._watch_problem:
                self._watch_problem = problem
                self.post_message(StoreWriteFailed(f"watchlists not shown: {problem}"))
            return {}
        self._watch_problem = None
        return watches

    @work(thread=True, exclusive=True, group="load", description="Loading articles")
    def load_articles(self, new_since: float | None = None) -> None:
        """The full list, topic index, stories and watchlists; `new_since` (a refresh's
        start) also flags the watchlists' new matches."""
        from briefing.core.stories.clusters import group_by_story

        notices: list[str] = []
        watchlists = self._load_watchlists()
        now = self.clock()
        watches: dict[str, frozenset[str]] = {}
        new: set[str] = set()
        with self.store_lock:
            if len(self.store) == 0 and not self.store.readonly:
                try:
                    from briefing.core.ingest.samples import ensure_samples

                    ensure_samples(self.store)
                except Exception as exc:  # noqa: BLE001 - samples are a courtesy, never fatal
                    notices.append(f"could not load the sample articles: {exc}")
            articles = list(self.store.articles())
            index = copy_index(self.store.topic_index())
            for name, watch in watchlists.items():
                try:
                    watches[name] = frozenset(watch.ids(self.store, now=now))
                    if new_since is not None:
                        new.update(m.id for m in _new_matches(self.store, watch, new_since, now))
                except (BriefingError, OSError) as exc:
                    notices.append(f"watchlist {name}: {exc}")
            notices += self.store.notices
            self.store.notices.clear()
        ranked = index.ranked(now.timestamp())
        stories = build_stories(group_by_story(articles))
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        self.post_message(ArticlesLoaded(articles, index, notices, ranked, stories, watches,
                                         frozenset(new)))
        folded = fold_titles(articles)
        if not worker.is_cancelled:
            self.post_message(TitlesFolded(folded))

    @on(TitlesFolded)
    def _titles_folded(self, message: TitlesFolded) -> None:
        from briefing.tui.screens.search import SearchScreen

        self.folded = message.folded
        if isinstance(self.screen, SearchScreen):
            self.screen.folded = message.folded

    # -- the open article -----------------------------------------------------------------

    @on(ArticleHighlighted)
    def _article_highlighted(self, message: ArticleHighlighted) -> None:
        if message.article_id is None:
            self.article = None
            self.article_view.show(None)
            self.query_one(FactsPane).show_facts(None)
            self.sidebar.update_topics(article_topics=(), related=())
            return
        self.load_article(message.article_id)

    @work(thread=True, exclusive=True, group="article", description="Reading an article")
    def load_article(self, article_id: str) -> None:
        redone: tuple[tuple[str, str], ...] | None = None
        try:
            with self.store_lock:
                article = self.store.get(article_id)
                made_by = self.store.facts_version_of(article_id)
            # Not before the first frame: the engine's import would hold the GIL while
            # the first screen is drawn. That article is read again once it is painted.
            if self.first_frame_at is None:
                self._redo_after_first_frame = article_id
            elif article is not None and article.text and not get_current_worker().is_cancelled:
                article, redone = self._current_facts(article, made_by)
        except (BriefingError, OSError) as exc:
            self.post_message(ArticleUnreadable(article_id, str(exc)))
            return
        if article is not None and not get_current_worker().is_cancelled:
            self.post_message(ArticleLoaded(article, redone))

    def _current_facts(
        self, article: Article, made_by: str | None
    ) -> tuple[Article, tuple[tuple[str, str], ...] | None]:
        """The article with facts from this version of the engine.

        After an upgrade, stored facts come from the old engine until `briefing reindex`;
        an article opened before then is redone on the spot (a few ms) and stored, so
        what the analyst reads is never the old engine's.
        """
        from briefing.core.ingest.pipeline import facts_for, facts_version

        current = facts_version()
        if made_by == current:
            return article, None
        facts = facts_for(article)
        with self.store_lock:
            if not self.store.readonly:
                self.store.update_article(article.id, facts=facts, facts_version=current)
            meta = self.store.meta(article.id)
        return replace(article, facts=facts), (meta.topics if meta is not None else None)

    @on(ArticleLoaded)
    def _article_loaded(self, message: ArticleLoaded) -> None:
        current = self.article_list.current
        if current is None or current.id != message.article.id:
            return
        self.unreadable = None
        self.article = message.article
        if message.redone is not None and self.index is not None:
            # The sidebar's index is the reader's own copy: patch it like the store's. The
            # ranking drops topics that are gone; new ones rank at the next load (a full
            # re-rank on every such open would cost tens of ms on a big store).
            self.index.remove(current.id)
            self.index.add(current.id, message.redone, current.ts or 0.0)
            self.ranked = [t for t in self.ranked if t.key in self.index.topics]
            self.sidebar.ranked = self.ranked
        self._show_article(message.article, current)
        self.query_one(FactsPane).show_facts(message.article.facts)
        topics = self.index.by_article.get(message.article.id, ()) if self.index else ()
        self.sidebar.update_topics(article_topics=topics, related=())
        self.find_related(message.article.id)

    def _show_article(self, article: Article, meta: ArticleMeta, sentence: int | None = None) -> None:
        self.article_view.switch_key = self._keys_of("next-version")
        self.article_view.show(article, sentence, also_in=outlets(self.stories.others(meta)))

    def _keys_of(self, binding_id: str) -> str:
        from briefing.tui.keymap import keys_for

        for binding in own_bindings(type(self)):
            if binding.id == binding_id:
                return keys_for(binding, self.keymap).split(",")[0]
        return ""

    @work(thread=True, exclusive=True, group="related", description="Finding related stories")
    def find_related(self, article_id: str) -> None:
        from briefing.core.stories.related import related_stories

        rows: list[RelatedRow] = []
        try:
            with self.store_lock:
                for story in related_stories(self.store, article_id, limit=RELATED_STORIES):
                    meta = self.store.meta(story.id)
                    if meta is not None:
                        rows.append(RelatedRow(meta.id, meta.title, meta.source or meta.feed or ""))
        except (BriefingError, OSError):
            return  # related stories are a help, never an error of their own
        if not get_current_worker().is_cancelled:
            self.post_message(RelatedFound(article_id, rows))

    @on(RelatedFound)
    def _related_found(self, message: RelatedFound) -> None:
        if self.article is not None and self.article.id == message.article_id:
            self.sidebar.update_topics(related=message.rows)

    @on(RelatedStoryChosen)
    def _related_story_chosen(self, message: RelatedStoryChosen) -> None:
        self.jump_to(message.article_id)
        self.action_focus_pane("article-list")

    def jump_to(self, article_id: str) -> bool:
        """Put the cursor on an article, showing its version of the story, clearing the
        filters if they hide it."""
        meta = self._meta(article_id)
        if meta is None:
            self.notify("That article is no longer in the store.", severity="warning", timeout=4)
            return False
        key = self.stories.story_of(meta)
        if key in self.stories.members:
            self.chosen[key] = article_id
        if not any(a.id == article_id for a in self.shown):
            self.filters = Filters(mode=self.filters.mode)
            self._schedule_save()
        self._show_list(keep=article_id)
        return self.article_list.select(article_id)

    # -- full text for offline reading ------------------------------------------------------

    def action_full_text(self) -> None:
        article = self.article
        if article is None:
            return
        from briefing.core.text.clean import safe_link

        if safe_link(article.link) is None:
            self.notify("This article has no http(s) link to fetch.", severity="warning", timeout=4)
            return
        if self.store.readonly:
            self.notify("The store is open read-only; the full text cannot be kept.",
                        severity="warning")
            return
        if article.id in self._fetching:
            return
        self._fetching.add(article.id)
        self.status.set_parts(progress="fetching the full text…")
        # A daemon thread, like the refresh: a slow page must never hold the reader's exit.
        threading.Thread(target=self._fetch_full_text, args=(article.id,), daemon=True,
                         name="briefing-full-text").start()

    def _fetch_full_text(self, article_id: str) -> None:
        from briefing.core.config import find_feeds_file, load_config
        from briefing.core.feeds.fulltext import feed_hosts
        from briefing.core.models.feeds import Settings

        try:
            settings, feeds = load_config(find_feeds_file(self.feeds_path))
        except BriefingError:
            settings, feeds = Settings(), []
        try:
            from briefing.core.feeds.fulltext import fetch_full_text
            from briefing.core.search.index import search_index

            search_index(self.store)  # the reader's own index is the one updated

            result = fetch_full_text(cast(Store, self.locked_store), article_id, settings,
                                     trusted_hosts=feed_hosts(feeds))
        except Exception as exc:  # noqa: BLE001 - shown in one line, never a traceback
            self.post_message(FullTextFetched(article_id, False, str(exc) or type(exc).__name__))
            return
        self.post_message(FullTextFetched(article_id, result.ok, result.reason))

    @on(FullTextFetched)
    def _full_text_fetched(self, message: FullTextFetched) -> None:
        self._fetching.discard(message.article_id)
        self.status.set_parts(progress="")
        if not message.ok:
            self.notify(f"Full text not fetched: {display(message.reason or 'unknown reason', 300)}; "
                        "the summary stays.", title="Full text", severity="warning", markup=False,
                        timeout=8)
            return
        self.notify("Full text stored for offline reading.", title="Full text", timeout=4)
        current = self.article_list.current
        if current is not None and current.id == message.article_id:
            self.load_article(message.article_id)

    # -- one story, many outlets -----------------------------------------------------------

    def action_next_version(self) -> None:
        meta = self.article_list.current
        if meta is None:
            return
        key = self.stories.story_of(meta)
        members = self.stories.members.get(key, [])
        if len(members) < 2:
            self.notify("No other outlet has this story.", timeout=3)
            return
        at = next((i for i, m in enumerate(members) if m.id == meta.id), -1)
        following = members[(at + 1) % len(members)]
        following = self._meta(following.id) or following  # its current read/starred flags
        self.chosen[key] = following.id
        self.article_list.swap_version(following)

    @on(ArticleUnreadable)
    def _article_unreadable(self, message: ArticleUnreadable) -> None:
        current = self.article_list.current
        if current is not None and current.id == message.article_id:
            self.article = None
            self.unreadable = message.article_id
            self.article_view.show(None, notice=f"Could not read this article: {message.error}")
            self.query_one(FactsPane).show_facts(None)
        self.notify(display(message.error, 400), title="Store", severity="error", markup=False,
                    timeout=8)

    @on(ArticleChosen)
    def _article_chosen(self, message: ArticleChosen) -> None:
        self.article_view.focus()
        meta = self._meta(message.article_id)
        if meta is not None and not meta.read:
            self._set_flags(meta, read=True)

    @on(SentenceSelected)
    def _sentence_selected(self, message: SentenceSelected) -> None:
        self.article_view.highlight(message.sentence)

    # -- topics ----------------------------------------------------------------------------

    @on(TopicHighlighted)
    def _topic_highlighted(self, message: TopicHighlighted) -> None:
        key = message.key
        counts: list[int] = []
        last: float | None = None
        topic = self.index.topics.get(key) if key and self.index else None
        if topic is not None:
            positions, articles = self._positions, self.all_articles
            stamps = [articles[p].ts for aid in topic.articles
                      if (p := positions.get(aid)) is not None]
            counts, last = articles_per_day(stamps, TIMELINE_DAYS)
        self.sidebar.show_related(key, counts, last)

    @on(WatchToggled)
    def _watch_toggled(self, message: WatchToggled) -> None:
        watch = None if self.filters.watch == message.name else message.name
        self._set_filters(replace(self.filters, watch=watch))

    @on(TopicFilterToggled)
    def _topic_filter_toggled(self, message: TopicFilterToggled) -> None:
        self.toggle_topic(message.key)

    def toggle_topic(self, key: str) -> None:
        if key not in self.filters.topics and (self.index is None or key not in self.index.topics):
            self.notify("That name is not a topic of any stored article.", severity="warning",
                        timeout=4)
            return
        self._set_filters(self.filters.toggled(key))

    def _set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self._show_list()
        self._schedule_save()

    def action_toggle_filter_mode(self) -> None:
        self._set_filters(replace(self.filters, mode="or" if self.filters.mode == "and" else "and"))
        self.notify(f"Topic filters now match {'all' if self.filters.mode == 'and' else 'any'} "
                    f"of the topics ({self.filters.mode.upper()})", timeout=3)

    def action_clear_filters(self) -> None:
        self._set_filters(Filters(mode=self.filters.mode))

    # -- briefing export --------------------------------------------------------------------

    def _scope_title(self) -> str:
        parts: list[str] = []
        if self.filters.watch:
            parts.append(self.filters.watch)
        if self.filters.topics:
            joiner = " AND " if self.filters.mode == "and" else " OR "
            names = [self.index.topics[k].name if self.index and k in self.index.topics else k
                     for k in self.filters.topics]
            parts.append(joiner.join(names))
        if self.filters.unread_only:
            parts.append("unread")
        return "Briefing: " + " · ".join(parts) if parts else "Briefing"

    def action_export(self, fmt: str) -> None:
        if fmt not in ("html", "md"):
            return
        chosen = self.shown[:EXPORT_LIMIT]
        if not chosen:
            self.notify("Nothing to export: the list is empty.", severity="warning", timeout=4)
            return
        if len(self.shown) > EXPORT_LIMIT:
            self.notify(f"Exporting the newest {EXPORT_LIMIT} of {len(self.shown)} articles; "
                        "filter the list to choose others.", timeout=5)
        stories = len(one_row_per_story(chosen, self.stories))
        self.status.set_parts(progress="writing the briefing…")
        self.export_briefing(fmt, [a.id for a in chosen], self._scope_title(), stories)

    @work(thread=True, exclusive=True, group="export", description="Writing a briefing")
    def export_briefing(self, fmt: str, ids: list[str], title: str, stories: int) -> None:
        from briefing.core.export import default_path, write_briefing

        now = self.clock()
        try:
            with self.store_lock:
                path, _ = write_briefing(self.store, ids=ids, fmt="html" if fmt == "html" else "md",
                                         now=now, path=default_path(self.store, "html" if fmt == "html"
                                                                    else "md", now), title=title)
        except (BriefingError, OSError) as exc:
            self.post_message(BriefingExported(None, 0, str(exc)))
            return
        self.post_message(BriefingExported(str(path) if path else None, stories))

    @on(BriefingExported)
    def _briefing_exported(self, message: BriefingExported) -> None:
        self.status.set_parts(progress="")
        if message.error or message.path is None:
            self.notify(f"could not write the briefing: {message.error}", title="Export",
                        severity="error", markup=False, timeout=8)
            return
        self.last_export = message.path
        self.notify(f"{message.stories} stor{'y' if message.stories == 1 else 'ies'} written to "
                    f"{message.path}", title="Briefing", markup=False, timeout=10)

    def action_toggle_unread_only(self) -> None:
        self._set_filters(replace(self.filters, unread_only=not self.filters.unread_only))

    # -- read and starred -----------------------------------------------------------------

    def _meta(self, article_id: str) -> ArticleMeta | None:
        pos = self._positions.get(article_id)
        return self.all_articles[pos] if pos is not None else None

    def _set_flags(self, meta: ArticleMeta, *, read: bool | None = None,
                   starred: bool | None = None) -> None:
        updated = replace(
            meta,
            read=meta.read if read is None else read,
            starred=meta.starred if starred is None else starred,
        )
        pos = self._positions.get(meta.id)
        if pos is not None:
            self.all_articles[pos] = updated
        self.article_list.replace_article(updated)
        self.write_flags(meta.id, read, starred)
        if read is not None and any(meta.id in ids for ids in self.watches.values()):
            self.sidebar.update_topics(watches=self._watch_counts())

    @work(thread=True, group="write", description="Saving read/starred")
    def write_flags(self, article_id: str, read: bool | None, starred: bool | None) -> None:
        try:
            with self.store_lock:
                if read is not None:
                    self.store.set_read([article_id], read)
                if starred is not None:
                    self.store.set_starred([article_id], starred)
        except (BriefingError, OSError) as exc:
            self.post_message(StoreWriteFailed(f"could not save: {exc}"))

    @on(StoreWriteFailed)
    def _write_failed(self, message: StoreWriteFailed) -> None:
        self.notify(message.error, severity="error", markup=False, timeout=8)

    def action_toggle_star(self) -> None:
        meta = self.article_list.current
        if meta is not None:
            self._set_flags(meta, starred=not meta.starred)

    def action_toggle_read(self) -> None:
        meta = self.article_list.current
        if meta is not None:
            self._set_flags(meta, read=not meta.read)

    # -- persistence ---------------------------------------------------------------------

    def ui_state(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_state(),
            "panes": {"sidebar": self.show_sidebar, "facts": self.show_facts},
        }

    def _schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self._save_soon)

    def _save_soon(self) -> None:
        self._save_timer = None
        self.save_ui_state_worker(self.ui_state())

    @work(thread=True, exclusive=True, group="save-ui", description="Saving filters")
    def save_ui_state_worker(self, state: dict[str, Any]) -> None:
        try:
            with self.store_lock:
                self.store.save_ui_state(state)
        except (BriefingError, OSError) as exc:
            self.post_message(StoreWriteFailed(f"could not save the filters: {exc}"))

    def save_ui_state(self) -> None:
        """Save filters and panes now (on quit; the store is closed by the caller)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.store.readonly:
            return
        try:
            with self.store_lock:
                self.store.save_ui_state(self.ui_state())
        except (BriefingError, OSError) as exc:
            self.notify(f"could not save the filters: {exc}", severity="error", markup=False)

    def _install_signal_handlers(self) -> None:
        """SIGTERM, SIGHUP and SIGINT quit like `q`: filters saved, terminal restored."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self._signalled, int(signum))
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                return

    def _signalled(self, signum: int) -> None:
        self.save_ui_state()
        self.exit(return_code=128 + signum)

    async def action_quit(self) -> None:
        self.save_ui_state()
        self.exit()

    # -- panes ------------------------------------------------------------------------------

    def _visible_panes(self) -> list[Widget]:
        panes: list[Widget] = []
        for pane_id in PANES:
            widget = self.query_one(f"#{pane_id}")
            if widget.display and all(a.display for a in widget.ancestors if isinstance(a, Widget)):
                panes.append(widget)
        return panes

    def _cycle(self, step: int) -> None:
        if self.screen is not self.screen_stack[0]:
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        panes = self._visible_panes()
        if not panes:
            return
        focused = self.focused
        at = -1 if step > 0 else 0
        for i, pane in enumerate(panes):
            if focused is not None and (focused is pane or pane in focused.ancestors):
                at = i
        panes[(at + step) % len(panes)].focus()

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def action_focus_pane(self, pane_id: str) -> None:
        if pane_id == "topic-list" and not self.sidebar.display:
            self.show_sidebar = True
            self._apply_layout()
        if pane_id == "facts-list" and not self.query_one("#facts").display:
            self.show_facts = True
            self._apply_layout()
        self.query_one(f"#{pane_id}").focus()

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self.sidebar.display
        self._apply_layout()
        self._schedule_save()

    def action_toggle_facts(self) -> None:
        self.show_facts = not self.query_one("#facts").display
        self._apply_layout()
        self._schedule_save()

    # -- screens ----------------------------------------------------------------------------

    def binding_sections(self, *, screens: bool = False) -> list[HelpSection]:
        from briefing.tui.screens.feeds import FeedsScreen
        from briefing.tui.screens.help import HelpScreen
        from briefing.tui.screens.search import SearchScreen

        sections: list[HelpSection] = [
            ("Reader", own_bindings(type(self))),
            ("Article list", own_bindings(ArticleList)),
            ("Topics sidebar", own_bindings(TopicList)),
            ("Article text", own_bindings(ArticleView)),
            ("Key facts", own_bindings(FactsList)),
        ]
        if screens:
            sections += [
                ("Help screen", own_bindings(HelpScreen)),
                ("Search", own_bindings(SearchScreen)),
                ("Feeds screen", own_bindings(FeedsScreen)),
            ]
        return sections

    def action_help(self) -> None:
        from briefing.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_sections(screens=True), self.keymap))

    def action_search(self) -> None:
        from briefing.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen(self.index, self.all_articles, self.folded, self.search_text),
                         self._searched)

    def search_text(self, query: str) -> list[ArticleMeta]:
        """Articles whose title or text match, best first (called from a worker thread)."""
        from briefing.core.search.index import search_index
        from briefing.tui.screens.search import BODY_RESULTS

        try:
            hits = search_index(self.store).search(query, limit=BODY_RESULTS)
        except (BriefingError, OSError, ValueError):
            return []
        return [meta for hit in hits if (meta := self._meta(hit.id)) is not None]

    def _searched(self, result: SearchResult | None) -> None:
        if result is None:
            return
        kind, value = result
        if kind == "topic":
            if value not in self.filters.topics:
                self.toggle_topic(value)
            self.action_focus_pane("article-list")
        elif kind == "article":
            self.jump_to(value)
            self.action_focus_pane("article-list")

    def action_feeds(self) -> None:
        self.list_feeds()

    @work(thread=True, exclusive=True, group="feeds-screen", description="Listing feeds")
    def list_feeds(self) -> None:
        from briefing.core.config import find_feeds_file, load_config

        try:
            path = find_feeds_file(self.feeds_path)
            _, feeds = load_config(path)
        except BriefingError as exc:
            self.post_message(StoreWriteFailed(str(exc)))
            return
        with self.store_lock:
            states = self.store.feed_states()
            counts = self.store.count_by_feed()
        from briefing.tui.screens.feeds import FeedRow

        rows = []
        for feed in feeds:
            state = states.get(feed.url)
            rows.append(FeedRow(
                name=feed.name,
                url=feed.url,
                last_fetch=state.last_fetch if state else None,
                articles=counts.get(feed.name, state.article_count if state else 0),
                last_error=state.last_error if state else None,
                gone=state.gone if state else False,
            ))
        self.post_message(FeedsListed(rows, str(path)))

    @on(FeedsListed)
    def _feeds_listed(self, message: FeedsListed) -> None:
        from briefing.tui.screens.feeds import FeedsScreen

        if not isinstance(self.screen, FeedsScreen):
            self.push_screen(FeedsScreen(message.rows, self.clock(), message.source))

    # -- refresh ----------------------------------------------------------------------------

    def _schedule_auto_refresh(self) -> None:
        from briefing.core.config import find_feeds_file, load_config

        try:
            settings, _ = load_config(find_feeds_file(self.feeds_path))
        except BriefingError:
            return
        if settings.refresh_minutes > 0:
            self.refresh_every = settings.refresh_minutes * 60.0
            self.refresh_timer = self.set_interval(self.refresh_every, self.action_refresh)

    def action_refresh(self) -> None:
        if self.refreshing:
            self.notify("A refresh is already running.", timeout=3)
            return
        if self.store.readonly:
            self.notify("The store is open read-only; refresh is off.", severity="warning")
            return
        self.refreshing = True
        self._failures_shown = 0
        self._refresh_started = time.time()
        self.status.set_parts(progress="refreshing feeds…")
        # A plain daemon thread, not a Textual worker: those run in the event loop's default
        # executor, which is joined at exit, so a quit (or SIGTERM) would wait on a slow feed.
        self._refresh_thread = threading.Thread(target=self._refresh_feeds, name="briefing-refresh",
                                                daemon=True)
        self._refresh_thread.start()

    @property
    def refresh_running(self) -> bool:
        """The refresh thread is still alive (it may outlive the app, see `run_reader`)."""
        return self._refresh_thread is not None and self._refresh_thread.is_alive()

    def _refresh_feeds(self) -> None:
        from briefing.core.config import find_feeds_file, load_config

        try:
            settings, feeds = load_config(find_feeds_file(self.feeds_path))
            from briefing.core.feeds.refresh import refresh_feeds
            from briefing.core.search.index import search_index

            search_index(self.store)  # the reader's own index is the one updated
        except BriefingError as exc:
            self.post_message(RefreshFinished(0, 0, str(exc)))
            return
        except ImportError as exc:
            self.post_message(RefreshFinished(0, 0, f"refresh is not available ({exc})"))
            return
        total = len(feeds)
        done = 0
        added = failed = 0

        def on_outcome(outcome: Any) -> None:
            nonlocal done, added, failed
            done += 1
            count = _count(getattr(outcome, "added", 0))
            error = getattr(outcome, "error", None)
            added += count
            failed += 1 if error else 0
            feed = getattr(outcome, "feed", None)
            name = getattr(feed, "name", None) or str(feed)
            self.post_message(FeedRefreshed(name, str(getattr(outcome, "status", "")), count,
                                            str(error) if error else None, done, total))

        try:
            refresh_feeds(cast(Store, self.locked_store), feeds, settings, on_outcome=on_outcome)
        except Exception as exc:  # noqa: BLE001 - a refresh failure is shown, never a traceback
            self.post_message(RefreshFinished(added, failed, f"refresh stopped: {exc}"))
            return
        self.post_message(RefreshFinished(added, failed))

    @on(FeedRefreshed)
    def _feed_refreshed(self, message: FeedRefreshed) -> None:
        self.status.set_parts(progress=f"refreshing {message.done}/{message.total} feeds…")
        if message.error:
            # A few failures each get a notice; offline, seventeen would bury the screen,
            # so the rest are summed up when the refresh ends (details: the feeds screen).
            self._failures_shown += 1
            if self._failures_shown <= FAILURE_NOTICES:
                self.notify(f"{display(message.name, 80)}: {display(message.error, 300)}",
                            title="Feed failed", severity="error", markup=False, timeout=8)
        if message.added:
            self._reload_soon()

    @property
    def busy(self) -> bool:
        """A refresh or a full-text fetch runs, or a reload of the list is pending (tests
        wait for this)."""
        return self.refreshing or self._reload_timer is not None or bool(self._fetching)

    def _reload_soon(self) -> None:
        """Coalesce reloads: several feeds storing at once cost one rebuild of the list."""
        if self._reload_timer is not None:
            self._reload_timer.stop()
        self._reload_timer = self.set_timer(0.3, self._reload_now)

    def _reload_now(self) -> None:
        self._reload_timer = None
        self.load_articles(self._refresh_started)

    @on(RefreshFinished)
    def _refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshing = False
        if message.error:
            self.status.set_parts(progress="")
            self.notify(message.error, title="Refresh", severity="error", markup=False, timeout=8)
            return
        summary = f"refreshed: {message.added} new"
        if message.failed:
            summary += f", {message.failed} feed{'s' if message.failed != 1 else ''} failed (f)"
        self.status.set_parts(progress=summary)
        if message.failed > FAILURE_NOTICES:
            self.notify(f"{message.failed} feeds failed; press f for each feed's reason",
                        title="Refresh", severity="error", markup=False, timeout=10)
        self._failures_shown = 0
        if message.added:
            self._reload_soon()

    # -- command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        targets: dict[str, Callable[[], Any]] = {
            "Reader": lambda: self,
            "Article list": lambda: self.article_list,
            "Topics sidebar": lambda: self.sidebar.topic_list,
            "Article text": lambda: self.article_view,
            "Key facts": lambda: self.facts_list,
        }
        for section, bindings in self.binding_sections():
            for binding in bindings:
                if binding.action == "command_palette":
                    continue
                title = binding.description
                if section != "Reader":
                    title = f"{section}: {title}"
                yield SystemCommand(
                    title,
                    binding.tooltip or f"{binding.description} ({binding.id})",
                    partial(self._run_command, targets[section], binding.action),
                )

    async def _run_command(self, target: Callable[[], Any], action: str) -> None:
        await self.run_action(action, target())


def _set_size(styles: Any, rule: str, value: int | str) -> None:
    """Set a width or height only when it changes (each set asks for a new layout)."""
    from textual.css.scalar import Scalar

    scalar = Scalar.parse(str(value))
    if getattr(styles, rule) != scalar:
        setattr(styles, rule, scalar)


def _new_matches(store: Store, watch: Any, since: float, now: datetime) -> list[ArticleMeta]:
    from briefing.core.watch import new_matches

    return new_matches(store, watch, since, now=now)


def _count(added: object) -> int:
    if isinstance(added, int):
        return added
    if isinstance(added, Sequence | set | frozenset):
        return len(added)
    return 0


def _resume_collector() -> None:
    """Turn the cyclic collector back on if the launcher paused it for start-up.

    What start-up built lives as long as the reader, so it is frozen first: later
    collections then skip it instead of walking it again on every full pass.
    """
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run_reader(home: str | None, feeds: str | None) -> int:
    """Open the store of `home` (or the default data home) and run the reader on it."""
    import os
    import sys

    from briefing.core.paths import data_home

    try:
        store = Store.open(data_home(home))
    except BriefingError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return 1
    app = BriefingApp(store, feeds=feeds, handle_signals=True)
    try:
        app.run()
    finally:
        app.save_ui_state()
        with app.store_lock:
            app.locked_store.closed = True
            store.close()
    code = app.return_code or 0
    if app.refresh_running:
        # A refresh still waits on the network: its thread can write nothing now (the store
        # is closed), and the fetch's own pools would hold the interpreter's exit.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
