"""The reader screen: topics sidebar, article list over the article text, key-facts pane.

It holds the keys (BINDINGS: the help screen and the palette are made from them) and
routes: keys become actions, actions ask `ReaderState` what changes and `Gateway` for
store work, and messages coming back redraw the panes. The actions live by kind in the
mixins it is built from (reader_unread, reader_view, reader_export, reader_refresh,
reader_full_text; shared parts in reader_base). Nothing heavy (facts engine, HTTP, feed
parsing) is imported here at module level: the first frame must stay fast.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical

from briefing.tui.messages import (
    ArticleChosen,
    ArticleHighlighted,
    ArticleLoaded,
    ArticlesLoaded,
    ArticleUnreadable,
    RelatedFound,
    RelatedStoryChosen,
    SentenceSelected,
    StoreWriteFailed,
    TitlesFolded,
    TopicFilterToggled,
    TopicHighlighted,
    WatchToggled,
)
from briefing.tui.reading import display, outlets
from briefing.tui.screens.reader_base import store_label
from briefing.tui.screens.reader_export import ExportActions
from briefing.tui.screens.reader_full_text import FullTextActions
from briefing.tui.screens.reader_refresh import RefreshActions
from briefing.tui.screens.reader_unread import UnreadActions
from briefing.tui.screens.reader_view import ViewActions
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.article_view import ArticleView
from briefing.tui.widgets.facts_pane import FactsPane
from briefing.tui.widgets.key_bar import KeyBar
from briefing.tui.widgets.status_bar import StatusBar
from briefing.tui.widgets.topics_sidebar import TopicsSidebar

if TYPE_CHECKING:
    from briefing.core.library import Library
    from briefing.core.models.article import Article
    from briefing.core.models.meta import ArticleMeta
    from briefing.tui.screens.search import SearchResult

FIRST_SCREEN = 200
"""Articles shown on the first frame, before the full list is built in the background."""
LOADING = "loading…"
SEARCH_PRELOAD_AFTER = 8.0
"""Seconds after the first frame before the full-text index is read in the background."""
BODY_RESULTS = 30
POLL_SECONDS = 1.0
"""How often the reader looks whether another process wrote the store (one stat)."""
SIDE_PANELS_AFTER = 0.2
"""Seconds an article stays open before its related stories (and the sidebar topic's
panel) are worked out: pressing n or j through a list does not pay for each."""


class ReaderScreen(UnreadActions, ViewActions, ExportActions, RefreshActions, FullTextActions):
    """The reader's one screen; the app pushes help, search and feeds over it."""

    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str] = "#status, #keys"
    """A zoomed pane keeps the status line and the key line."""

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
        Binding("n", "next_unread(1)", "Next unread", id="next-unread",
                tooltip="Open the next unread article (across stories)"),
        Binding("N", "next_unread(-1)", "Prev unread", id="previous-unread", show=False,
                tooltip="Open the previous unread article"),
        Binding("A", "mark_all_read", "Mark all read", id="mark-all-read",
                tooltip="Mark every article in the list read (ctrl+z undoes)"),
        Binding("ctrl+z", "undo_mark_all_read", "Undo mark all read", id="undo-mark-all-read",
                show=False, tooltip="Make the articles of the last mark-all-read unread again"),
        Binding("a", "toggle_filter_mode", "AND/OR", id="toggle-filter-mode",
                tooltip="Switch topic filters between all-of (AND) and any-of (OR)"),
        Binding("c", "clear_filters", "Clear", id="clear-filters",
                tooltip="Clear every topic filter, the feed and watchlist filters and unread-only"),
        Binding("u", "toggle_unread_only", "Unread", id="unread-only",
                tooltip="Show only unread articles (or all again)"),
        Binding("s", "toggle_star", "Star", id="toggle-star", tooltip="Star or unstar the article"),
        Binding("m", "toggle_read", "Read", id="toggle-read",
                tooltip="Mark the article read or unread"),
        Binding("S", "cycle_sort", "Sort", id="cycle-sort",
                tooltip="Sort the list: newest first, most covered first (most outlets), unread first"),
        Binding("z", "zoom", "Zoom", id="zoom",
                tooltip="Give the focused pane the whole screen (z, q or escape: back)"),
        Binding("q,escape", "unzoom", "Back", id="unzoom",
                tooltip="Leave the whole-screen pane (only while one is zoomed; else q quits)"),
        Binding("r", "refresh", "Refresh", id="refresh",
                tooltip="Fetch every feed in the background"),
        Binding("f", "feeds", "Feeds", id="feeds",
                tooltip="Each feed: unread/total, last success, last error; enter shows its articles"),
        Binding("v", "next_version", "Version", id="next-version",
                tooltip="Show the story's next version, from another outlet (also in: ...)"),
        Binding("e", "export('html')", "Export", id="export-html",
                tooltip="Write the visible list as an HTML briefing (one section per story)"),
        Binding("E", "export('md')", "Export MD", id="export-markdown", show=False,
                tooltip="Write the visible list as a Markdown briefing"),
        Binding("O", "open_export", "Open export", id="open-export", show=False,
                tooltip="Open the last briefing written in $PAGER (Markdown) or $BROWSER (HTML)"),
        Binding("F", "full_text", "Full text", id="full-text", show=False,
                tooltip="Fetch the article's page and keep its full text for offline reading"),
        Binding("left_square_bracket", "toggle_sidebar", "Sidebar", id="toggle-sidebar",
                show=False, tooltip="Show or hide the topics sidebar"),
        Binding("right_square_bracket", "toggle_facts", "Facts pane", id="toggle-facts",
                show=False, tooltip="Show or hide the key-facts pane"),
    ]

    def __init__(self, library: Library, *, refresh_on_timer: bool = True) -> None:
        super().__init__(library, refresh_on_timer=refresh_on_timer)
        self.search_preload_after = SEARCH_PRELOAD_AFTER

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

    def on_mount(self) -> None:
        self.sidebar.border_title = "Topics"
        self.facts_pane.border_title = "Key facts"
        self.article_list.story_starred = self.state.story_starred
        self.state.restore(self.library.ui_state())
        self.apply_layout()
        with self.library.lock:
            first = self.library.store.recent(FIRST_SCREEN)  # reads only the newest segments
        self.state.set_articles(first)
        self.status.set_parts(store=f"store: {store_label(self.library.home)}")
        self.show_list()
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
            self.schedule_auto_refresh()
        if self.search_preload_after is not None:
            self.set_timer(self.search_preload_after, self.gateway.preload_search)
        self.set_interval(POLL_SECONDS, self.gateway.poll_store)

    def on_screen_suspend(self) -> None:
        """Help, search or feeds is on top: the key line shows only what works there."""
        self.query_one(KeyBar).refresh_keys()

    def on_screen_resume(self) -> None:
        self.query_one(KeyBar).refresh_keys()

    # -- the list ----------------------------------------------------------------------------

    @on(ArticlesLoaded)
    def _articles_loaded(self, message: ArticlesLoaded) -> None:
        keep = self.article_list.current.id if self.article_list.current else None
        self._loaded_at = time.time()
        self.state.loaded(message.articles, message.index, message.ranked, message.stories,
                          message.watches, message.new_matches, message.topic_unread)
        self.briefing_app.set_aside_loaded()
        topics = message.index.by_article.get(self.article.id, ()) if self.article else ()
        self.sidebar.update_topics(index=message.index, ranked=message.ranked, article_topics=topics)
        self.show_list(keep)
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

    @on(TitlesFolded)
    def _titles_folded(self, message: TitlesFolded) -> None:
        from briefing.tui.screens.search import SearchScreen

        if message.articles is not self.state.articles:
            return  # a later load replaced the list those titles were in
        self.state.titles = message.titles
        if isinstance(self.app.screen, SearchScreen):
            self.app.screen.use_titles(self.state.articles, message.titles)

    # -- the open article --------------------------------------------------------------------

    @on(ArticleHighlighted)
    def _article_highlighted(self, message: ArticleHighlighted) -> None:
        if message.article_id is None:
            self.article = None
            self.article_view.show(None)
            self.facts_pane.show_facts(None, opened=False)
            self.sidebar.update_topics(article_topics=(), related=())
            return
        # Not before the first frame: the engine's import would hold the GIL while the
        # first screen is drawn. That article is read again once it is painted.
        painted = self.first_frame_at is not None
        if not painted:
            self._redo_after_first_frame = message.article_id
            self.gateway.load_article(message.article_id, redo_stale=False)
            return
        # After the frame that shows the moved cursor and the new counts: reading and
        # drawing the article (and its topics' panel) must not hold that frame back.
        self.call_after_refresh(self._load_if_current, message.article_id)

    def _load_if_current(self, article_id: str) -> None:
        current = self.article_list.current
        if current is not None and current.id == article_id:
            self.gateway.load_article(article_id, redo_stale=True)

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
            self.state.articles.topics_changed()
            self.state.ranked = [t for t in self.state.ranked if t.key in index.topics]
            self.sidebar.update_topics(ranked=self.state.ranked)
        self._show_article(message.article, current)
        self.facts_pane.show_facts(message.article.facts, pending=current.pending)
        topics = index.by_article.get(message.article.id, ()) if index else ()
        self.sidebar.update_topics(article_topics=topics, related=())
        if self._related_timer is not None:
            self._related_timer.stop()
        article_id = message.article.id
        self._related_timer = self.set_timer(SIDE_PANELS_AFTER, lambda: self._find_related(article_id))

    def _find_related(self, article_id: str) -> None:
        self._related_timer = None
        if self.article is not None and self.article.id == article_id:
            self.gateway.find_related(article_id)

    def _show_article(self, article: Article, meta: ArticleMeta, sentence: int | None = None) -> None:
        self.article_view.switch_key = self.briefing_app.key_of("next-version")
        self.article_view.full_text_key = self.briefing_app.key_of("full-text")
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
        meta = self.state.meta(message.article_id)
        if meta is not None:
            self.open_article(meta)
        else:
            self.article_view.focus()

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

    # -- topics and filters --------------------------------------------------------------------

    @on(TopicHighlighted)
    def _topic_highlighted(self, message: TopicHighlighted) -> None:
        if self._topic_timer is not None:
            self._topic_timer.stop()
            self._topic_timer = None
        if self.sidebar.topic_list.has_focus:
            self._show_topic(message.key)
        else:  # moved by reading (n, j): one panel for the article the analyst stops on
            self._topic_timer = self.set_timer(SIDE_PANELS_AFTER, lambda: self._show_topic(message.key))

    def _show_topic(self, key: str | None) -> None:
        self._topic_timer = None
        counts, last = self.state.timeline(key) if key else ([], None)
        self.sidebar.show_related(key, counts, last)

    @on(WatchToggled)
    def _watch_toggled(self, message: WatchToggled) -> None:
        watch = None if self.state.filter.watch == message.name else message.name
        self.set_filter(replace(self.state.filter, watch=watch))

    @on(TopicFilterToggled)
    def _topic_filter_toggled(self, message: TopicFilterToggled) -> None:
        self.toggle_topic(message.key)

    def toggle_topic(self, key: str) -> None:
        if not self.state.knows_topic(key):
            self.app.notify("That name is not a topic of any stored article.", severity="warning",
                            timeout=4)
            return
        self.set_filter(self.state.filter.toggled(key))

    def action_toggle_filter_mode(self) -> None:
        chosen = self.state.filter
        self.set_filter(replace(chosen, mode="or" if chosen.mode == "and" else "and"))
        mode = self.state.filter.mode
        self.app.notify(f"Topic filters now match {'all' if mode == 'and' else 'any'} of the topics "
                        f"({mode.upper()})", timeout=3)

    def action_clear_filters(self) -> None:
        self.set_filter(self.state.filter.cleared())

    def action_toggle_unread_only(self) -> None:
        self.set_filter(replace(self.state.filter, unread_only=not self.state.filter.unread_only))

    # -- read, starred, versions ---------------------------------------------------------------

    def action_toggle_star(self) -> None:
        meta = self.article_list.current
        if meta is not None:
            self.set_flags(meta, starred=not meta.starred)

    def action_toggle_read(self) -> None:
        meta = self.article_list.current
        if meta is not None:
            self.set_flags(meta, read=not meta.read)

    def action_next_version(self) -> None:
        meta = self.article_list.current
        if meta is None:
            return
        following = self.state.next_version(meta)
        if following is None:
            self.app.notify("No other outlet has this story.", timeout=3)
            return
        row = self.article_list.cursor
        old = self.state.show_version(row, following)
        self.article_list.replace_row(row, following, old, announce=True)

    @on(StoreWriteFailed)
    def _write_failed(self, message: StoreWriteFailed) -> None:
        self.app.notify(message.error, severity="error", markup=False, timeout=8)

    # -- screens over the reader -----------------------------------------------------------------

    def action_search(self) -> None:
        from briefing.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.state.index, self.state.articles, self.state.titles,
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
