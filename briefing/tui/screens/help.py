"""The help screen, generated from the bindings themselves (with the user's remaps), so
it can never drift from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.tui.keymap import keys_for

HelpSection = tuple[str, Sequence[Binding]]


def _pretty_keys(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "space": "space", "left_square_bracket": "[",
             "right_square_bracket": "]", "ampersand": "&", "full_stop": "."}
    return ", ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


MARKS = (
    ("●", "list: unread · sidebar: a topic of the open article"),
    ("◆", "new for a watchlist since the last refresh"),
    ("★", "starred (a story row: one of its versions is)"),
    ("…", "summary only: F fetches the page"),
    ("≡N", "one story told by N articles (v: the next version)"),
    ("✓", "an active topic or watchlist filter"),
    ("3/12", "sidebar: a topic's unread / all articles"),
)
NARROW = 100
"""Below this many columns the binding ids go under each action instead of a column."""


def help_table(sections: Sequence[HelpSection], keymap: dict[str, str], width: int = 120) -> Table:
    """Keys, what they do and their binding ids; on a narrow terminal the id goes on the
    action's own line, so the action keeps the width."""
    narrow = width < NARROW
    table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
    table.add_column(Text("Keys"), no_wrap=True, style="bold")
    table.add_column(Text("Action" + (" (binding id: remap in config.toml [keys])" if narrow else "")),
                     ratio=1)
    if not narrow:
        table.add_column(Text("Binding id (remap in config.toml [keys])"), style="dim", no_wrap=True)

    def row(*cells: Text) -> None:
        table.add_row(*(cells if not narrow else cells[:2]))

    row(Text("Marks", "underline"), Text(""), Text(""))
    for mark, meaning in MARKS:
        row(Text(mark), Text(meaning), Text(""))
    row(Text(""), Text(""), Text(""))
    for title, bindings in sections:
        row(Text(title, "underline"), Text(""), Text(""))
        for binding in bindings:
            action = Text(binding.tooltip or binding.description)
            if narrow and binding.id:
                action.append(f"\n{binding.id}", "dim")
            row(Text(_pretty_keys(keys_for(binding, keymap))), action, Text(binding.id or ""))
        row(Text(""), Text(""), Text(""))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, what it does and the id to remap it by."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close-help"),
        Binding("j,down", "scroll_down", "Down", show=False, id="help-down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="help-up"),
    ]

    def __init__(self, sections: Sequence[HelpSection], keymap: dict[str, str]) -> None:
        super().__init__(id="help-screen")
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys — escape closes"
            yield Static(help_table(self.sections, self.keymap, self.app.size.width), id="help-table")

    def on_resize(self) -> None:
        self.query_one("#help-table", Static).update(help_table(self.sections, self.keymap,
                                                                self.app.size.width))

    def action_scroll_down(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_up(animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
