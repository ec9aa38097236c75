"""What every part of the reader screen shares: its panes, the list and status line it
redraws, the filter it sets, the flags it writes and the saving of its state.

`ReaderScreen` (reader.py) is built on this with one mixin per kind of action
(reader_unread.py, reader_view.py, reader_export.py, reader_refresh.py, reader_full_text.py).
Nothing here reads the store on the UI thread except the first screen's newest articles.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen

from briefing.core.models.meta import ArticleMeta
from briefing.tui.gateway import Gateway
from briefing.tui.reading import display
from briefing.tui.state import ReaderState
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.article_view import ArticleView
from briefing.tui.widgets.facts_pane import FactsList, FactsPane
from briefing.tui.widgets.status_bar import StatusBar
from briefing.tui.widgets.topics_sidebar import TopicsSidebar

if TYPE_CHECKING:
    from textual.timer import Timer

    from briefing.core.library import Library
    from briefing.core.models.article import Article
    from briefing.core.select import ArticleFilter
    from briefing.tui.app import BriefingApp

SMALL_WIDTH = 100
SMALL_HEIGHT = 30
"""Below either, opening an article gives it the whole screen (q or escape: back)."""


def store_label(home: Path, cwd: Path | None = None) -> str:
    """Where the store is, as the analyst gave it: "./.home" under the working directory,
    "~/…" under the home directory, else the absolute path."""
    where = home.expanduser().absolute()
    for base, prefix in ((cwd or Path.cwd(), "."), (Path.home(), "~")):
        try:
            relative = where.relative_to(base.absolute())
        except ValueError:
            continue
        return prefix if str(relative) == "." else f"{prefix}/{relative}"
    return str(where)


class ReaderBase(Screen[None]):
    """The reader's panes and shared routines; see `ReaderScreen` for keys and messages."""

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
        self.last_export: Path | None = None
        """The absolute path of the last briefing written in this session."""
        self.search_preload_after: float | None = None
        self.refresh_timer: Timer | None = None
        """The timer of feeds.toml's refresh_minutes, once the first frame is painted."""
        self.refresh_every = 0.0
        """Its period in seconds (0: no automatic refresh)."""
        self.first_frame_at: float | None = None
        """perf_counter() when the first frame was painted (for bench/tui.py)."""
        self.writing_flags = 0
        """Background writes of many read flags still running (mark all read, undo)."""
        self._fetching: set[str] = set()
        """Articles whose full text is being fetched."""
        self._save_timer: Timer | None = None
        self._reload_timer: Timer | None = None
        self._refresh_started: float | None = None
        self._redo_after_first_frame: str | None = None
        self._failures_shown = 0
        self._related_timer: Timer | None = None
        self._topic_timer: Timer | None = None
        """The side panels of the open article and of the sidebar's topic, when pending."""
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

    # -- the panes ---------------------------------------------------------------------------

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

    @property
    def small(self) -> bool:
        """A terminal too small to read an article beside the list (80x24)."""
        size = self.size if self.size.width else self.app.size
        return size.width < SMALL_WIDTH or size.height < SMALL_HEIGHT

    def action_focus_pane(self, pane_id: str) -> None:
        if self.maximized is not None and pane_id != self.maximized.id:
            self.minimize()
        if pane_id == "topic-list" and not self.sidebar.display:
            self.state.show_sidebar = True
            self.apply_layout()
        if pane_id == "facts-list" and not self.facts_pane.display:
            self.state.show_facts = True
            self.apply_layout()
        self.query_one(f"#{pane_id}").focus()

    def apply_layout(self) -> None:
        """Pane sizes for the terminal's size (the screen says how)."""

    # -- the list and the status line -----------------------------------------------------------

    def show_list(self, keep: str | None = None) -> None:
        state = self.state
        rows = state.visible()
        self.article_list.border_title = f"Articles · {state.sort_title}"
        self.article_list.set_articles(rows, keep, stories=state.stories, new=state.new_matches,
                                       row_of=state.row_of)
        self.sidebar.update_topics(filters=state.filter.topics, mode=state.filter.mode,
                                   watch=state.filter.watch, watches=state.watch_counts(),
                                   unread=state.topic_unread)
        self.update_status()

    def update_status(self) -> None:
        chosen, state = self.state.filter, self.state
        parts = Text()

        def part(label: str, value: str) -> None:
            if parts.plain:
                parts.append(" · ")
            parts.append(label, "dim")
            parts.append(display(value, 60), "bold")

        if chosen.watch:
            part("watchlist: ", chosen.watch)
        if chosen.feed:
            part("feed: ", chosen.feed)
        if chosen.topics:
            joiner = " AND " if chosen.mode == "and" else " OR "
            part("filter: ", joiner.join(state.topic_name(key) for key in chosen.topics))
        if chosen.unread_only:
            if parts.plain:
                parts.append(" · ")
            parts.append("unread only", "bold")
        self.status.set_parts(counts=state.counts(len(self.article_list.articles)), filters=parts)

    def set_filter(self, chosen: ArticleFilter) -> None:
        self.state.filter = chosen
        self.show_list()
        self.schedule_save()

    def jump_to(self, article_id: str) -> bool:
        """Put the cursor on an article, showing its version of the story, clearing the
        filters if they hide it."""
        before = self.state.filter
        if not self.state.choose(article_id):
            self.app.notify("That article is no longer in the store.", severity="warning", timeout=4)
            return False
        if self.state.filter != before:
            self.schedule_save()
        self.show_list(keep=article_id)
        return self.article_list.select(article_id)

    # -- read and starred ---------------------------------------------------------------------

    def set_flags(self, meta: ArticleMeta, *, read: bool | None = None, starred: bool | None = None) -> None:
        updated = self.state.updated(meta, read=read, starred=starred)
        self.article_list.replace_article(updated)
        self.gateway.write_flags(meta.id, read, starred)
        if read is not None:
            if self.state.in_watchlist(meta.id):
                self.sidebar.update_topics(watches=self.state.watch_counts(), unread=self.state.topic_unread)
            else:
                self.sidebar.update_unread(self.state.topic_unread)
            self.update_status()

    def open_article(self, meta: ArticleMeta) -> None:
        """Read `meta` (under the cursor): its text gets the focus, whole-screen on a small
        terminal, and it is marked read."""
        self.article_view.focus()
        zoomed = self.maximized
        if (zoomed is not None and zoomed is not self.article_view) or (zoomed is None and self.small):
            self.maximize(self.article_view, container=False)  # a zoomed list opens a zoomed text
        current = self.state.meta(meta.id) or meta
        if not current.read:
            self.set_flags(current, read=True)

    # -- persistence -------------------------------------------------------------------------

    def schedule_save(self) -> None:
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
