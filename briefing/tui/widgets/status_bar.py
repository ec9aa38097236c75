"""One line above the key line: unread and article counts, the active filters, refresh
progress, the last export, and at the right where the store is.

Topic and feed names come from feeds, so the line is built as `Text`, never markup.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from briefing.tui.bidi import BidiBalanced

STORE_MIN = 14
"""The store's place is never cut shorter than this ("…/.home" stays readable)."""


class StatusBar(BidiBalanced, Static):
    """Set `counts`, `filters`, `progress`, `export` and `store`; the line is rebuilt from
    them. The store stays at the right; what does not fit is cut at the end of the rest."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(""), id=id)
        self.counts = ""
        self.filters: Text = Text("")
        self.progress = ""
        self.export = ""
        self.store = ""

    def set_parts(
        self,
        *,
        counts: str | None = None,
        filters: Text | None = None,
        progress: str | None = None,
        export: str | None = None,
        store: str | None = None,
    ) -> None:
        if counts is not None:
            self.counts = counts
        if filters is not None:
            self.filters = filters
        if progress is not None:
            self.progress = progress
        if export is not None:
            self.export = export
        if store is not None:
            self.store = store
        # One line of fixed height: redrawing it never needs a new layout of the screen
        # (a layout costs tens of ms at 160x48, on every read mark).
        self.update(self._line(self.size.width), layout=False)

    def on_resize(self) -> None:
        self.update(self._line(self.size.width), layout=False)

    def _line(self, width: int) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(self.counts, "bold")
        if self.filters.plain:
            line.append("  ")
            line.append_text(self.filters)
        if self.progress:
            line.append("  ")
            line.append(self.progress, "italic")
        if self.export:
            line.append("  ")
            line.append(self.export, "dim")
        if not self.store or width <= 0:
            return line
        # The store yields first: its path is cut at the left ("…/briefing") down to
        # STORE_MIN cells, then the rest is cut at its end.
        room_for_store = max(STORE_MIN, width - line.cell_len - 2)
        label = self.store
        if cell_len(label) > room_for_store:
            label = "…" + label[-(room_for_store - 1):]
        store = Text(label, "dim", no_wrap=True, end="")
        room = width - store.cell_len - 2
        if room < 20:  # too narrow for both: the counts matter more
            return line
        line.truncate(room, overflow="ellipsis", pad=True)
        line.append("  ")
        line.append_text(store)
        return line

    @property
    def plain(self) -> str:
        return " ".join(part for part in (self.counts, self.filters.plain, self.progress, self.export,
                                          self.store) if part)
