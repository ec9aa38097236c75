"""The feeds screen: every configured feed with its last fetch, article count and last
error. Names, URLs and errors may carry feed text, so every cell is `Text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from briefing.tui.bidi import BidiBalanced, FeedText
from briefing.tui.reading import display, relative_date


class FeedsTable(BidiBalanced, DataTable[Text]):
    """Feed names, URLs and errors may carry feed text."""


@dataclass(frozen=True, slots=True)
class FeedRow:
    name: str
    url: str
    last_fetch: datetime | None
    articles: int
    last_error: str | None
    gone: bool = False


class FeedsScreen(Screen[None]):
    """A table of feeds; escape goes back to the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="close-feeds"),
        Binding("j", "cursor_down", "Down", show=False, id="feeds-down"),
        Binding("k", "cursor_up", "Up", show=False, id="feeds-up"),
    ]

    def __init__(self, rows: Sequence[FeedRow], now: datetime, source: str) -> None:
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
            fetched = row.last_fetch
            when = relative_date(fetched.timestamp(), self.now) if fetched else "never"
            error = display(row.last_error, 160) if row.last_error else ""
            if row.gone:
                error = ("gone (410); " + error).strip("; ")
            table.add_row(
                Text(display(row.name, 60)),
                Text(when),
                Text(str(row.articles), justify="right"),
                Text(error or "—", "red" if error else "dim"),
                Text(display(row.url, 200), "dim"),
            )
        if not self.rows:
            blank = Text("")
            table.add_row(Text("(no feeds configured)", "dim"), blank, blank, blank, blank)
        table.focus()

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
