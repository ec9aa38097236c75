"""Refreshing feeds from the reader (all of them, on a timer or with `r`; one of them from
the feeds screen) and the feeds screen itself: opening it, and showing a feed's articles.

Fetching runs on a daemon thread in the gateway; this shows its progress and reloads
the list (coalesced) when articles arrive.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from textual import on

from briefing.core.models.meta import ArticleMeta
from briefing.tui.messages import (
    FeedChosen,
    FeedRefreshed,
    FeedsListed,
    RefreshFinished,
    RefreshOneFeed,
    StoreChanged,
)
from briefing.tui.reading import display
from briefing.tui.screens.reader_base import ReaderBase

FAILURE_NOTICES = 3
"""Feed failures shown one by one in a refresh; more are summed up in one notice."""


class RefreshActions(ReaderBase):
    """`r` refreshes every feed; `f` opens the feeds screen."""

    def schedule_auto_refresh(self) -> None:
        from briefing.core.errors import BriefingError

        try:
            settings, _ = self.library.config()
        except BriefingError:
            return
        if settings.refresh_minutes > 0:
            self.refresh_every = settings.refresh_minutes * 60.0
            self.refresh_timer = self.set_interval(self.refresh_every, self.action_refresh)

    def action_refresh(self) -> None:
        self._start_refresh(None)

    def _start_refresh(self, feed_name: str | None) -> None:
        if self.refreshing:
            self.app.notify("A refresh is already running.", timeout=3)
            return
        if self.library.readonly:
            self.app.notify("The store is open read-only; refresh is off.", severity="warning")
            return
        self.refreshing = True
        self._failures_shown = 0
        self._refresh_started = time.time()
        self.status.set_parts(progress=f"refreshing {display(feed_name, 60)}…" if feed_name
                              else "refreshing feeds…")
        self.gateway.refresh(feed_name)

    @property
    def busy(self) -> bool:
        """A refresh, a full-text fetch or a write of many read marks runs, or a reload of
        the list or a side panel is pending (tests wait for this)."""
        return (self.refreshing or self._reload_timer is not None or bool(self._fetching)
                or self.writing_flags > 0 or self._related_timer is not None
                or self._topic_timer is not None)

    @on(FeedRefreshed)
    def _feed_refreshed(self, message: FeedRefreshed) -> None:
        if message.total > 1:
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
        from briefing.tui.screens.feeds import FeedsScreen

        self.refreshing = False
        if isinstance(self.app.screen, FeedsScreen):
            self.gateway.list_feeds()  # its rows show the new state
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

    # -- the feeds screen ----------------------------------------------------------------------

    def action_feeds(self) -> None:
        self.gateway.list_feeds()

    @on(FeedsListed)
    def _feeds_listed(self, message: FeedsListed) -> None:
        from briefing.tui.screens.feeds import FeedsScreen

        screen = self.app.screen
        if isinstance(screen, FeedsScreen):
            screen.show_rows(message.rows, self.library.now())
        else:
            self.app.push_screen(FeedsScreen(message.rows, self.library.now(), message.source))

    @on(FeedChosen)
    def _feed_chosen(self, message: FeedChosen) -> None:
        """A feed's articles in the list: a feed filter beside the topic filters (c clears it)."""
        self.set_filter(replace(self.state.filter, feed=message.name))
        self.action_focus_pane("article-list")

    @on(RefreshOneFeed)
    def _refresh_one_feed(self, message: RefreshOneFeed) -> None:
        self._start_refresh(message.name)

    # -- another process's writes -------------------------------------------------------------

    @on(StoreChanged)
    def _store_changed(self, message: StoreChanged) -> None:
        """A scheduled fetch or another reader wrote: show what it did, no restart needed."""
        if not self.refreshing:  # our own refresh reloads when it stores
            self._external_count = len(self.state.articles)
            self._refresh_started = self._loaded_at  # what arrived since counts as new
            self._reload_soon()

    def _after_external_change(self, articles: Sequence[ArticleMeta]) -> None:
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
