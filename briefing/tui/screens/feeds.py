"""The feeds screen: every configured feed with its unread and total articles, how many
hold their full text, its last success and its last error (with when it happened),
separately. `enter` shows a feed's articles in the list; `r` refreshes just that feed.
Names, URLs and errors may carry feed text, so every cell is `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from briefing.core.library import FeedStatus
from briefing.tui.bidi import BidiBalanced, FeedText
from briefing.tui.messages import FeedChosen, RefreshOneFeed
from briefing.tui.reading import ago, display


class FeedsTable(BidiBalanced, DataTable[Text]):
    """Feed names, URLs and errors may carry feed text."""


def feed_cells(row: FeedStatus, now: datetime) -> list[Text]:
    """Feed, unread/total, full text/total, last success, last error ("3h ago: HTTP 503
    ..."), URL."""
    state = row.state
    success = state.last_success if state else None
    error = display(state.last_error, 160) if state and state.last_error else ""
    if state and state.gone:
        error = ("gone (410); " + error).strip("; ")
    failed = Text("—", "dim")
    if error:
        failed = Text("", "red")
        if state and state.last_fetch:
            failed.append(f"{ago(state.last_fetch, now)}: ", "bold red")
        failed.append(error)
    counts = Text(justify="right")
    counts.append(str(row.unread), "bold" if row.unread else "dim")
    counts.append(f"/{row.articles}", "dim")
    full = Text(f"{row.full_text}/{row.articles}", justify="right",
                style="dim" if row.full_text == row.articles else "yellow")
    return [
        Text(display(row.feed.name, 60)),
        counts,
        full,
        Text(ago(success, now), "" if success else "dim"),
        failed,
        Text(display(row.feed.url, 200), "dim"),
    ]


class FeedsScreen(Screen[None]):
    """A table of feeds; escape goes back to the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="close-feeds", tooltip="Back to the reader"),
        Binding("enter", "show_feed", "Show articles", id="show-feed", priority=True,
                tooltip="Show this feed's articles in the list (c clears the feed filter)"),
        Binding("r", "refresh_feed", "Refresh feed", id="refresh-feed",
                tooltip="Fetch just this feed now"),
        Binding("j", "cursor_down", "Down", show=False, id="feeds-down", tooltip="Next feed"),
        Binding("k", "cursor_up", "Up", show=False, id="feeds-up", tooltip="Previous feed"),
    ]

    def __init__(self, rows: Sequence[FeedStatus], now: datetime, source: str) -> None:
        super().__init__(id="feeds-screen")
        self.rows = list(rows)
        self.now = now
        self.source = source

    def compose(self) -> ComposeResult:
        title = Text("Feeds", "bold")
        title.append(f"  {len(self.rows)} configured in ", "dim")
        title.append(display(self.source, 200), "dim")
        yield FeedText(title, id="feeds-title")
        yield FeedsTable(id="feeds-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def table(self) -> FeedsTable:
        return self.query_one(FeedsTable)

    def on_mount(self) -> None:
        self.table.add_columns("Feed", "Unread/all", "Full text", "Last success", "Last error", "URL")
        self._fill()
        self.table.focus()

    def _fill(self) -> None:
        table = self.table
        for row in self.rows:
            table.add_row(*feed_cells(row, self.now))
        if not self.rows:
            blank = Text("")
            table.add_row(Text("(no feeds configured)", "dim"), blank, blank, blank, blank, blank)

    def show_rows(self, rows: Sequence[FeedStatus], now: datetime) -> None:
        """New state after a refresh; the cursor stays on its row."""
        at = self.table.cursor_row
        self.rows, self.now = list(rows), now
        self.table.clear()
        self._fill()
        self.table.move_cursor(row=min(at, max(0, len(self.rows) - 1)))

    @property
    def current(self) -> FeedStatus | None:
        at = self.table.cursor_row
        return self.rows[at] if 0 <= at < len(self.rows) else None

    def action_show_feed(self) -> None:
        row = self.current
        if row is None:
            return
        self.app.pop_screen()
        self.app.screen_stack[0].post_message(FeedChosen(row.feed.name))

    def action_refresh_feed(self) -> None:
        row = self.current
        if row is not None:
            self.app.screen_stack[0].post_message(RefreshOneFeed(row.feed.name))
            self.notify(f"Refreshing {display(row.feed.name, 60)}…", markup=False, timeout=3)

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """DataTable takes enter itself (select_cursor): the row's articles, as the key says."""
        event.stop()
        self.action_show_feed()
