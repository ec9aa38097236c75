"""The reader screen: topics sidebar, article list over the article text, key-facts pane.

It routes: keys become actions, actions ask `ReaderState` what changes and `Gateway`
for store work, and messages coming back redraw the panes. Nothing heavy (facts engine,
HTTP, feed parsing) is imported here at module level: the first frame must stay fast.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget

from briefing.core.models.meta import ArticleMeta
from briefing.tui.gateway import Gateway
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
    StoreChanged,
    StoreWriteFailed,
    TitlesFolded,
    TopicFilterToggled,
    TopicHighlighted,
    WatchToggled,
)
from briefing.tui.reading import display, outlets
from briefing.tui.state import ReaderState
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.article_view import ArticleView
from briefing.tui.widgets.facts_pane import FactsList, FactsPane
from briefing.tui.widgets.key_bar import KeyBar
from briefing.tui.widgets.status_bar import StatusBar
from briefing.tui.widgets.topics_sidebar import TopicsSidebar

if TYPE_CHECKING:
    from textual.timer import Timer

    from briefing.core.library import Library
    from briefing.core.models.article import Article
    from briefing.core.select import ArticleFilter
    from briefing.tui.app import BriefingApp
    from briefing.tui.screens.search import SearchResult

FIRST_SCREEN = 200
"""Articles shown on the first frame, before the full list is built in the background."""
LOADING = "loading…"
PANES = ("topic-list", "article-list", "article-view", "facts-list")
NARROW = 100
WIDE = 140
EXPORT_LIMIT = 500
"""At most this many of the visible articles (the newest) go into one exported briefing."""
SEARCH_PRELOAD_AFTER = 8.0
"""Seconds after the first frame before the full-text index is read in the background."""
POLL_SECONDS = 1.0
"""How often the reader looks whether another process wrote the store (one stat)."""
FAILURE_NOTICES = 3
"""Feed failures shown one by one in a refresh; more are summed up in one notice."""
BODY_RESULTS = 30


class ReaderScreen(Screen[None]):
    """The reader's one screen; the app pushes help, search and feeds over it."""

    BINDINGS: ClassVar[list[BindingType]] = [
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
    ]

    def __init__(self, library: Library, *, refresh_on_timer: bool = True) -> None:
        super().__init__(id="reader")
        self.library = library
        self.state = ReaderState()
        self.gateway = Gateway(library, self)
        self.refresh_on_timer = refresh_on_timer
        self.article: Article | None = None
        self.unreadable: str | None = None
        """The article under the cursor when reading it failed (tests wait on this)."""
        self.refreshing = False
        self.last_export: str | None = None
        self.search_preload_after: float | None = SEARCH_PRELOAD_AFTER
        self.refresh_timer: Timer | None = None
        """The timer of feeds.toml's refresh_minutes, once the first frame is painted."""
        self.refresh_every = 0.0
        """Its period in seconds (0: no automatic refresh)."""
        self.first_frame_at: float | None = None
        """perf_counter() when the first frame was painted (for bench/tui.py)."""
        self._fetching: set[str] = set()
        """Articles whose full text is being fetched."""
        self._save_timer: Timer | None = None
        self._reload_timer: Timer | None = None
        self._refresh_started: float | None = None
        self._redo_after_first_frame: str | None = None
        self._failures_shown = 0
        self._loaded_at: float | None = None
        """time.time() of the last full load of the list."""
        self._external_count: int | None = None
        """Articles before another process's write, to count what it added (None: no write)."""

    @property
    def briefing_app(self) -> BriefingApp:
        from briefing.tui.app import BriefingApp

        app = self.app
        assert isinstance(app, BriefingApp)
        return app

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield TopicsSidebar(id="sidebar")
            with Vertical(id="centre"):
                yield ArticleList(self.library.now, id="article-list")
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
    def facts_pane(self) -> FactsPane:
        return self.query_one("#facts", FactsPane)

    @property
    def facts_list(self) -> FactsList:
        return self.query_one("#facts-list", FactsList)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        self.sidebar.border_title = "Topics"
        self.facts_pane.border_title = "Key facts"
        self.article_list.border_title = "Articles"
        self.state.restore(self.library.ui_state())
        self._apply_layout()
        with self.library.lock:
            first = self.library.store.recent(FIRST_SCREEN)  # reads only the newest segments
        self.state.set_articles(first)
        self._show_list()
        self.status.set_parts(progress=LOADING)
        self.article_list.focus()
        # Build the full list only once the first frame is on screen: the loader holds
        # the GIL for a while on a large store and would delay that first paint.
        self.call_after_refresh(self._first_frame_painted)

    def _first_frame_painted(self) -> None:
        self.first_frame_at = time.perf_counter()
        self.briefing_app.first_frame_painted()
        self.gateway.load_articles()
        current = self.article_list.current
        if self._redo_after_first_frame and current and current.id == self._redo_after_first_frame:
            self.gateway.load_article(current.id, redo_stale=True)  # its facts may be an older engine's
        if self.refresh_on_timer:
            # Reading feeds.toml (tomllib, the models) is a refresh's business, not the first frame's.
            self._schedule_auto_refresh()
        if self.search_preload_after is not None:
            self.set_timer(self.search_preload_after, self.gateway.preload_search)
        self.set_interval(POLL_SECONDS, self.gateway.poll_store)

    def on_resize(self) -> None:
        self._apply_layout()

    def on_screen_suspend(self) -> None:
        """Help, search or feeds is on top: the key line shows only what works there."""
        self.query_one(KeyBar).refresh_keys()

    def on_screen_resume(self) -> None:
        self.query_one(KeyBar).refresh_keys()

    def _apply_layout(self) -> None:
        width = self.size.width or self.app.size.width
        sidebar, facts, state = self.sidebar, self.facts_pane, self.state
        sidebar.display = state.show_sidebar if state.show_sidebar is not None else True
        facts.display = state.show_facts if state.show_facts is not None else width >= NARROW
        # Inline sizes, not screen classes: a class on the screen restyles every widget.
        narrow, wide = width < NARROW, width >= WIDE
        _set_size(sidebar.styles, "width", 24 if narrow else 32 if wide else 27)
        _set_size(facts.styles, "width", 30 if narrow else 44 if wide else 34)
        _set_size(self.article_list.styles, "height", "45%" if wide else "40%")

    # -- the list ----------------------------------------------------------------------------

    def _show_list(self, keep: str | None = None) -> None:
        state = self.state
        rows = state.visible()
        self.article_list.set_articles(rows, keep, stories=state.stories, new=state.new_matches)
        self.sidebar.update_topics(filters=state.filter.topics, mode=state.filter.mode,
                                   watch=state.filter.watch, watches=state.watch_counts())
        self._update_status()

    def _update_status(self) -> None:
        chosen, state = self.state.filter, self.state
        parts = Text()
        if chosen.watch:
            parts.append("watchlist: ", "dim")
            parts.append(display(chosen.watch, 60), "bold")
        if chosen.topics:
            if parts.plain:
                parts.append(" · ")
            parts.append("filter: ", "dim")
            joiner = " AND " if chosen.mode == "and" else " OR "
            for i, key in enumerate(chosen.topics):
                if i:
                    parts.append(joiner, "bold")
                parts.append(display(state.topic_name(key), 60), "bold")
        if chosen.unread_only:
            if parts.plain:
                parts.append(" · ")
            parts.append("unread only", "bold")
        self.status.set_parts(counts=state.counts(len(self.article_list.articles)), filters=parts)

    @on(ArticlesLoaded)
    def _articles_loaded(self, message: ArticlesLoaded) -> None:
        keep = self.article_list.current.id if self.article_list.current else None
        self._loaded_at = time.time()
        self.state.loaded(message.articles, message.index, message.ranked, message.stories,
                          message.watches, message.new_matches)
        topics = message.index.by_article.get(self.article.id, ()) if self.article else ()
        self.sidebar.update_topics(index=message.index, ranked=message.ranked, article_topics=topics)
        self._show_list(keep)
        current = self.article_list.current
        if self.article is not None and current is not None and current.id == self.article.id:
            self._show_article(self.article, current, self.article_view.sentence)  # "also in"
        if self.status.progress == LOADING:
            self.status.set_parts(progress="")
        self._after_external_change(message.articles)
        for notice in message.notices:
            self.app.notify(notice, severity="warning", markup=False, timeout=8)
        if message.new_matches:
            names = [name for name, ids in self.state.watches.items() if ids & message.new_matches]
            self.app.notify(f"{len(message.new_matches)} new for "
                            + ", ".join(display(n, 40) for n in names[:4]),
                            title="Watchlists", markup=False, timeout=6)

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        """A scheduled fetch or another reader wrote: show what it did, no restart needed."""
        if not self.refreshing:  # our own refresh reloads when it stores
            self._external_count = len(self.state.articles)
            self._refresh_started = self._loaded_at  # what arrived since counts as new
            self._reload_soon()

    def _after_external_change(self, articles: list[ArticleMeta]) -> None:
        """After another process's write: say how many arrived, and show an open article's
        facts if they were pending and have landed."""
        if self._external_count is None:
            return
        new = len(articles) - self._external_count
        self._external_count = None
        if new > 0:
            self.app.notify(f"{new} new article{'s' if new != 1 else ''} (stored by another briefing)",
                            title="New", timeout=5)
        current = self.article_list.current
        if (self.article is not None and self.article.facts is None and current is not None
                and current.id == self.article.id and not current.pending):
            self.gateway.load_article(current.id, redo_stale=True)

    @on(TitlesFolded)
    def _titles_folded(self, message: TitlesFolded) -> None:
        from briefing.tui.screens.search import SearchScreen

        self.state.folded = message.folded
        if isinstance(self.app.screen, SearchScreen):
            self.app.screen.folded = message.folded

    # -- the open article --------------------------------------------------------------------

    @on(ArticleHighlighted)
    def _article_highlighted(self, message: ArticleHighlighted) -> None:
        if message.article_id is None:
            self.article = None
            self.article_view.show(None)
            self.facts_pane.show_facts(None)
            self.sidebar.update_topics(article_topics=(), related=())
            return
        # Not before the first frame: the engine's import would hold the GIL while the
        # first screen is drawn. That article is read again once it is painted.
        painted = self.first_frame_at is not None
        if not painted:
            self._redo_after_first_frame = message.article_id
        self.gateway.load_article(message.article_id, redo_stale=painted)

    @on(ArticleLoaded)
    def _article_loaded(self, message: ArticleLoaded) -> None:
        current = self.article_list.current
        if current is None or current.id != message.article.id:
            return
        self.unreadable = None
        self.article = message.article
        index = self.state.index
        if message.redone is not None and index is not None:
            # The sidebar's index is the reader's own copy: patch it like the store's. The
            # ranking drops topics that are gone; new ones rank at the next load (a full
            # re-rank on every such open would cost tens of ms on a big store).
            index.remove(current.id)
            index.add(current.id, message.redone, current.ts or 0.0)
            self.state.ranked = [t for t in self.state.ranked if t.key in index.topics]
            self.sidebar.update_topics(ranked=self.state.ranked)
        self._show_article(message.article, current)
        self.facts_pane.show_facts(message.article.facts)
        topics = index.by_article.get(message.article.id, ()) if index else ()
        self.sidebar.update_topics(article_topics=topics, related=())
        self.gateway.find_related(message.article.id)

    def _show_article(self, article: Article, meta: ArticleMeta, sentence: int | None = None) -> None:
        self.article_view.switch_key = self.briefing_app.key_of("next-version")
        self.article_view.show(article, sentence, also_in=outlets(self.state.stories.others(meta)))

    @on(ArticleUnreadable)
    def _article_unreadable(self, message: ArticleUnreadable) -> None:
        current = self.article_list.current
        if current is not None and current.id == message.article_id:
            self.article = None
            self.unreadable = message.article_id
            self.article_view.show(None, notice=f"Could not read this article: {message.error}")
            self.facts_pane.show_facts(None)
        self.app.notify(display(message.error, 400), title="Store", severity="error", markup=False,
                        timeout=8)

    @on(ArticleChosen)
    def _article_chosen(self, message: ArticleChosen) -> None:
        self.article_view.focus()
        meta = self.state.meta(message.article_id)
        if meta is not None and not meta.read:
            self._set_flags(meta, read=True)

    @on(SentenceSelected)
    def _sentence_selected(self, message: SentenceSelected) -> None:
        self.article_view.highlight(message.sentence)

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
        before = self.state.filter
        if not self.state.choose(article_id):
            self.app.notify("That article is no longer in the store.", severity="warning", timeout=4)
            return False
        if self.state.filter != before:
            self._schedule_save()
        self._show_list(keep=article_id)
        return self.article_list.select(article_id)

    # -- topics and filters --------------------------------------------------------------------

    @on(TopicHighlighted)
    def _topic_highlighted(self, message: TopicHighlighted) -> None:
        counts, last = self.state.timeline(message.key) if message.key else ([], None)
        self.sidebar.show_related(message.key, counts, last)

    @on(WatchToggled)
    def _watch_toggled(self, message: WatchToggled) -> None:
        watch = None if self.state.filter.watch == message.name else message.name
        self._set_filter(replace(self.state.filter, watch=watch))

    @on(TopicFilterToggled)
    def _topic_filter_toggled(self, message: TopicFilterToggled) -> None:
        self.toggle_topic(message.key)

    def toggle_topic(self, key: str) -> None:
        if not self.state.knows_topic(key):
            self.app.notify("That name is not a topic of any stored article.", severity="warning",
                            timeout=4)
            return
        self._set_filter(self.state.filter.toggled(key))

    def _set_filter(self, chosen: ArticleFilter) -> None:
        self.state.filter = chosen
        self._show_list()
        self._schedule_save()

    def action_toggle_filter_mode(self) -> None:
        chosen = self.state.filter
        self._set_filter(replace(chosen, mode="or" if chosen.mode == "and" else "and"))
        mode = self.state.filter.mode
        self.app.notify(f"Topic filters now match {'all' if mode == 'and' else 'any'} of the topics "
                        f"({mode.upper()})", timeout=3)

    def action_clear_filters(self) -> None:
        self._set_filter(self.state.filter.cleared())

    def action_toggle_unread_only(self) -> None:
        self._set_filter(replace(self.state.filter, unread_only=not self.state.filter.unread_only))

    # -- read, starred, versions ---------------------------------------------------------------

    def _set_flags(self, meta: ArticleMeta, *, read: bool | None = None, starred: bool | None = None) -> None:
        updated = self.state.updated(meta, read=read, starred=starred)
        self.article_list.replace_article(updated)
        self.gateway.write_flags(meta.id, read, starred)
        if read is not None and self.state.in_watchlist(meta.id):
            self.sidebar.update_topics(watches=self.state.watch_counts())

    def action_toggle_star(self) -> None:
        meta = self.article_list.current
        if meta is not None:
            self._set_flags(meta, starred=not meta.starred)

    def action_toggle_read(self) -> None:
        meta = self.article_list.current
        if meta is not None:
            self._set_flags(meta, read=not meta.read)

    def action_next_version(self) -> None:
        meta = self.article_list.current
        if meta is None:
            return
        following = self.state.next_version(meta)
        if following is None:
            self.app.notify("No other outlet has this story.", timeout=3)
            return
        self.article_list.swap_version(following)

    @on(StoreWriteFailed)
    def _write_failed(self, message: StoreWriteFailed) -> None:
        self.app.notify(message.error, severity="error", markup=False, timeout=8)

    # -- persistence -------------------------------------------------------------------------

    def _schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self._save_soon)

    def _save_soon(self) -> None:
        self._save_timer = None
        self.gateway.save_ui_state(self.state.to_state())

    def save_ui_state(self) -> None:
        """Save filters and panes now (on quit; the store is closed by the caller)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self.gateway.save_ui_state(self.state.to_state(), now=True)

    # -- panes -------------------------------------------------------------------------------

    def _visible_panes(self) -> list[Widget]:
        panes: list[Widget] = []
        for pane_id in PANES:
            widget = self.query_one(f"#{pane_id}")
            if widget.display and all(a.display for a in widget.ancestors if isinstance(a, Widget)):
                panes.append(widget)
        return panes

    def _cycle(self, step: int) -> None:
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
            self.state.show_sidebar = True
            self._apply_layout()
        if pane_id == "facts-list" and not self.facts_pane.display:
            self.state.show_facts = True
            self._apply_layout()
        self.query_one(f"#{pane_id}").focus()

    def action_toggle_sidebar(self) -> None:
        self.state.show_sidebar = not self.sidebar.display
        self._apply_layout()
        self._schedule_save()

    def action_toggle_facts(self) -> None:
        self.state.show_facts = not self.facts_pane.display
        self._apply_layout()
        self._schedule_save()

    # -- screens over the reader -----------------------------------------------------------------

    def action_search(self) -> None:
        from briefing.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.state.index, self.state.articles, self.state.folded,
                                          lambda query: self.gateway.search_text(query, BODY_RESULTS)),
                             self._searched)

    def _searched(self, result: SearchResult | None) -> None:
        if result is None:
            return
        kind, value = result
        if kind == "topic":
            if value not in self.state.filter.topics:
                self.toggle_topic(value)
            self.action_focus_pane("article-list")
        elif kind == "article":
            self.jump_to(value)
            self.action_focus_pane("article-list")

    def action_feeds(self) -> None:
        self.gateway.list_feeds()

    @on(FeedsListed)
    def _feeds_listed(self, message: FeedsListed) -> None:
        from briefing.tui.screens.feeds import FeedsScreen

        if not isinstance(self.app.screen, FeedsScreen):
            self.app.push_screen(FeedsScreen(message.rows, self.library.now(), message.source))

    # -- export ------------------------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        if fmt not in ("html", "md"):
            return
        shown = self.state.shown
        chosen = shown[:EXPORT_LIMIT]
        if not chosen:
            self.app.notify("Nothing to export: the list is empty.", severity="warning", timeout=4)
            return
        if len(shown) > EXPORT_LIMIT:
            self.app.notify(f"Exporting the newest {EXPORT_LIMIT} of {len(shown)} articles; "
                            "filter the list to choose others.", timeout=5)
        self.status.set_parts(progress="writing the briefing…")
        kind: Literal["md", "html"] = "html" if fmt == "html" else "md"
        self.gateway.export(kind, [a.id for a in chosen], self.state.scope_title())

    @on(BriefingExported)
    def _briefing_exported(self, message: BriefingExported) -> None:
        self.status.set_parts(progress="")
        if message.error or message.path is None:
            self.app.notify(f"could not write the briefing: {message.error}", title="Export",
                            severity="error", markup=False, timeout=8)
            return
        self.last_export = message.path
        self.app.notify(f"{message.stories} stor{'y' if message.stories == 1 else 'ies'} written to "
                        f"{message.path}", title="Briefing", markup=False, timeout=10)

    # -- full text ---------------------------------------------------------------------------

    def action_full_text(self) -> None:
        article = self.article
        if article is None:
            return
        from briefing.core.text.clean import safe_link

        if safe_link(article.link) is None:
            self.app.notify("This article has no http(s) link to fetch.", severity="warning", timeout=4)
            return
        if self.library.readonly:
            self.app.notify("The store is open read-only; the full text cannot be kept.",
                            severity="warning")
            return
        if article.id in self._fetching:
            return
        self._fetching.add(article.id)
        self.status.set_parts(progress="fetching the full text…")
        self.gateway.fetch_full_text(article.id)

    @on(FullTextFetched)
    def _full_text_fetched(self, message: FullTextFetched) -> None:
        self._fetching.discard(message.article_id)
        self.status.set_parts(progress="")
        if not message.ok:
            self.app.notify(f"Full text not fetched: {display(message.reason or 'unknown reason', 300)}; "
                            "the summary stays.", title="Full text", severity="warning", markup=False,
                            timeout=8)
            return
        self.app.notify("Full text stored for offline reading.", title="Full text", timeout=4)
        current = self.article_list.current
        if current is not None and current.id == message.article_id:
            self.gateway.load_article(message.article_id, redo_stale=True)

    # -- refresh -----------------------------------------------------------------------------

    def _schedule_auto_refresh(self) -> None:
        from briefing.core.errors import BriefingError

        try:
            settings, _ = self.library.config()
        except BriefingError:
            return
        if settings.refresh_minutes > 0:
            self.refresh_every = settings.refresh_minutes * 60.0
            self.refresh_timer = self.set_interval(self.refresh_every, self.action_refresh)

    def action_refresh(self) -> None:
        if self.refreshing:
            self.app.notify("A refresh is already running.", timeout=3)
            return
        if self.library.readonly:
            self.app.notify("The store is open read-only; refresh is off.", severity="warning")
            return
        self.refreshing = True
        self._failures_shown = 0
        self._refresh_started = time.time()
        self.status.set_parts(progress="refreshing feeds…")
        self.gateway.refresh()

    @property
    def busy(self) -> bool:
        """A refresh or a full-text fetch runs, or a reload of the list is pending (tests
        wait for this)."""
        return self.refreshing or self._reload_timer is not None or bool(self._fetching)

    @on(FeedRefreshed)
    def _feed_refreshed(self, message: FeedRefreshed) -> None:
        self.status.set_parts(progress=f"refreshing {message.done}/{message.total} feeds…")
        if message.error:
            # A few failures each get a notice; offline, seventeen would bury the screen,
            # so the rest are summed up when the refresh ends (details: the feeds screen).
            self._failures_shown += 1
            if self._failures_shown <= FAILURE_NOTICES:
                self.app.notify(f"{display(message.name, 80)}: {display(message.error, 300)}",
                                title="Feed failed", severity="error", markup=False, timeout=8)
        if message.added:
            self._reload_soon()

    def _reload_soon(self) -> None:
        """Coalesce reloads: several feeds storing at once cost one rebuild of the list."""
        if self._reload_timer is not None:
            self._reload_timer.stop()
        self._reload_timer = self.set_timer(0.3, self._reload_now)

    def _reload_now(self) -> None:
        self._reload_timer = None
        self.gateway.load_articles(self._refresh_started)

    @on(RefreshFinished)
    def _refresh_finished(self, message: RefreshFinished) -> None:
        self.refreshing = False
        if message.error:
            self.status.set_parts(progress="")
            self.app.notify(message.error, title="Refresh", severity="error", markup=False, timeout=8)
            return
        summary = f"refreshed: {message.added} new"
        if message.failed:
            summary += f", {message.failed} feed{'s' if message.failed != 1 else ''} failed (f)"
        self.status.set_parts(progress=summary)
        if message.failed > FAILURE_NOTICES:
            self.app.notify(f"{message.failed} feeds failed; press f for each feed's reason",
                            title="Refresh", severity="error", markup=False, timeout=10)
        self._failures_shown = 0
        if message.added:
            self._reload_soon()


def _set_size(styles: Any, rule: str, value: int | str) -> None:
    """Set a width or height only when it changes (each set asks for a new layout)."""
    from textual.css.scalar import Scalar

    scalar = Scalar.parse(str(value))
    if getattr(styles, rule) != scalar:
        setattr(styles, rule, scalar)
