"""The line of keys at the bottom: what works in the focused pane, drawn as one Text.

Textual's Footer builds a widget per key and recomposes them on every focus change; at
start-up that was ~27 widgets to style before the first frame. This draws the same
information as one line, so it costs one render.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

FIRST = frozenset({"unzoom"})
"""Actions shown before all others while they apply ("q Back" in a zoomed pane)."""


class KeyBar(Widget, can_focus=False):
    """The shown bindings of the focused chain, with the command palette key at the right."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[tuple[str, str, bool, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def refresh_keys(self) -> None:
        """Redraw for the screen's keys now (another screen was pushed over it, or popped)."""
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        keys: list[tuple[str, str, bool, str]] = []
        actions: set[str] = set()
        # The focused pane's own keys, then the app's (quit, help: wanted everywhere), then
        # the screen's: the line is cut at the right on a narrow terminal.
        found = list(screen.active_bindings.values())
        if not screen.is_active:  # another screen is on top: the reader's own keys rest
            found = [active for active in found if active.node is not screen]
        rank = {id(screen): 2, id(self.app): 1}
        found.sort(key=lambda active: -1 if active.binding.action in FIRST
                   else rank.get(id(active.node), 0))
        for _, binding, enabled, _ in found:
            if not binding.show or binding.action in actions or binding.action == "command_palette":
                continue
            actions.add(binding.action)
            keys.append((self.app.get_key_display(binding), binding.description, enabled, binding.action))
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    def render(self) -> Text:
        """Every key with the palette's at the right when they fit; else the keys that fit
        whole, then "? more" (the help screen lists them all)."""
        width = self.size.width
        palette = Text.assemble(("▏", "dim"), (" ^p ", "bold"), ("Commands ", ""))
        pieces: list[Text] = []
        for key, description, enabled, _ in self._keys:
            style = "" if enabled else "dim"
            piece = Text(no_wrap=True, end="")
            piece.append(f" {key} ", style=f"bold {style}".strip())
            piece.append(f"{description} ", style=style)
            pieces.append(piece)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        if sum(p.cell_len for p in pieces) + palette.cell_len <= width:
            for piece in pieces:
                line.append_text(piece)
            line.pad_right(width - line.cell_len - palette.cell_len)
            line.append_text(palette)
            return line
        help_key = self.app.get_key_display(Binding("question_mark", "help"))
        more = Text.assemble((f" {help_key} ", "bold"), ("more ", ""))
        room = width - more.cell_len
        for (_, _, _, action), piece in zip(self._keys, pieces, strict=True):
            if action == "help":
                continue  # "? more" says it
            if line.cell_len + piece.cell_len > room:
                break
            line.append_text(piece)
        line.pad_right(max(0, room - line.cell_len))
        line.append_text(more)
        return line
