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


def help_table(sections: Sequence[HelpSection], keymap: dict[str, str]) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
    table.add_column(Text("Keys"), no_wrap=True, style="bold")
    table.add_column(Text("Action"))
    table.add_column(Text("Binding id (remap in config.toml [keys])"), style="dim", no_wrap=True)
    for title, bindings in sections:
        table.add_row(Text(title, "underline"), Text(""), Text(""))
        for binding in bindings:
            table.add_row(
                Text(_pretty_keys(keys_for(binding, keymap))),
                Text(binding.tooltip or binding.description),
                Text(binding.id or ""),
            )
        table.add_row(Text(""), Text(""), Text(""))
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
            yield Static(help_table(self.sections, self.keymap), id="help-table")

    def action_scroll_down(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_up(animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
