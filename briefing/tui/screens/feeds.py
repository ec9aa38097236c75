"""The feeds screen: every configured feed with its last fetch, article count and last
error. Names, URLs and errors may carry feed text, so every cell is `Text`.
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
from briefing.tui.reading import display, relative_date


class FeedsTable(BidiBalanced, DataTable[Text]):
    """Feed names, URLs and errors may carry feed text."""


class FeedsScreen(Screen[None]):
    """A table of feeds; escape goes back to the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="close-feeds"),
        Binding("j", "cursor_down", "Down", show=False, id="feeds-down"),
        Binding("k", "cursor_up", "Up", show=False, id="feeds-up"),
    ]

    def __init__(self, rows: Sequence[FeedStatus], now: datetime, source: str) -> None:
        super().__init__(id="feeds-screen")
        self.rows = rows
        self.now = now
        self.source = source

    def compose(self) -> ComposeResult:
        title = Text("Feeds", "bold")
        title.append(f"  {len(self.rows)} configured in ", "dim")
        title.append(display(self.source, 200), "dim")
        yield FeedText(title, id="feeds-title")
        yield FeedsTable(id="feeds-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Feed", "Last fetch", "Articles", "Last error", "URL")
        for row in self.rows:
            state = row.state
            fetched = state.last_fetch if state else None
            when = relative_date(fetched.timestamp(), self.now) if fetched else "never"
            error = display(state.last_error, 160) if state and state.last_error else ""
            if state and state.gone:
                error = ("gone (410); " + error).strip("; ")
            table.add_row(
                Text(display(row.feed.name, 60)),
                Text(when),
                Text(str(row.articles), justify="right"),
                Text(error or "—", "red" if error else "dim"),
                Text(display(row.feed.url, 200), "dim"),
            )
        if not self.rows:
            blank = Text("")
            table.add_row(Text("(no feeds configured)", "dim"), blank, blank, blank, blank)
        table.focus()

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
