"""One line above the footer: how many articles show, the active filters, refresh progress.

Topic names come from feeds, so the line is built as `Text`, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from briefing.tui.bidi import BidiBalanced


class StatusBar(BidiBalanced, Static):
    """Set `articles`, `filters` and `progress` pieces; the line is rebuilt from them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(""), id=id)
        self.counts = ""
        self.filters: Text = Text("")
        self.progress = ""

    def set_parts(
        self, *, counts: str | None = None, filters: Text | None = None, progress: str | None = None
    ) -> None:
        if counts is not None:
            self.counts = counts
        if filters is not None:
            self.filters = filters
        if progress is not None:
            self.progress = progress
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(self.counts, "bold")
        if self.filters.plain:
            line.append("  ")
            line.append_text(self.filters)
        if self.progress:
            line.append("  ")
            line.append(self.progress, "italic")
        self.update(line)

    @property
    def plain(self) -> str:
        text = Text(self.counts)
        text.append(" " + self.filters.plain + " " + self.progress)
        return text.plain
