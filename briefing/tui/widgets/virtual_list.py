"""A cursor list drawn line by line (Line API): no widget per row, so 50,000 rows cost
what the visible 40 cost. Subclasses say how one row looks; rows are Rich `Text`,
never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.tui.bidi import BidiBalanced


class VirtualList(BidiBalanced, ScrollView, can_focus=True):
    """Rows 0..count-1 with a cursor; `render_row` builds the Text of one row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", id="cursor-down", show=False,
                tooltip="Move down one row"),
        Binding("k,up", "cursor_up", "Up", id="cursor-up", show=False, tooltip="Move up one row"),
        Binding("g,home", "cursor_first", "First", id="cursor-first", show=False,
                tooltip="Go to the first row"),
        Binding("G,end", "cursor_last", "Last", id="cursor-last", show=False,
                tooltip="Go to the last row"),
        Binding("pagedown,ctrl+d", "page_down", "Page down", id="page-down", show=False,
                tooltip="Move down one page"),
        Binding("pageup,ctrl+u", "page_up", "Page up", id="page-up", show=False,
                tooltip="Move up one page"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "virtual-list--cursor-blurred",
    }

    DEFAULT_CSS = """
    VirtualList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    VirtualList > .virtual-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    VirtualList > .virtual-list--cursor-blurred {
        background: $block-cursor-blurred-background;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.count = 0

    # -- subclass hooks --------------------------------------------------------------

    def render_row(self, index: int, width: int) -> Text:
        raise NotImplementedError

    def row_selectable(self, index: int) -> bool:
        return True

    def cursor_moved(self, index: int) -> None:
        """Called after the cursor lands on a row (also after the rows change)."""

    def row_chosen(self, index: int) -> None:
        """Called on enter or a click on a row."""

    # -- rows ------------------------------------------------------------------------

    def set_count(self, count: int, cursor: int | None = None) -> None:
        self.count = count
        size = Size(max(1, self.size.width), count)
        height = self.scrollable_content_region.height
        if (size != self.virtual_size and self.show_vertical_scrollbar and height
                and min(count, self.virtual_size.height) > height):
            # The scrollbar stays, only its thumb moves: no new layout of the screen (a
            # layout pass redraws every pane: most of a filter toggle's frame).
            self.set_reactive(VirtualList.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = count
            self.vertical_scrollbar.refresh()
        else:
            self.virtual_size = size
        target = self.cursor if cursor is None else cursor
        self._move_to(self._nearest_selectable(min(max(0, target), max(0, count - 1)), 1))
        self.refresh()

    def _nearest_selectable(self, index: int, step: int) -> int:
        if self.count == 0:
            return 0
        probe = index
        while 0 <= probe < self.count:
            if self.row_selectable(probe):
                return probe
            probe += step
        probe = index
        while 0 <= probe < self.count:
            if self.row_selectable(probe):
                return probe
            probe -= step
        return index

    def _move_to(self, index: int) -> None:
        self.cursor = index

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_y)
        self.scroll_cursor_visible()
        if int(self.scroll_y) == top:
            self.refresh_row(old)  # only the two rows change: a frame of two lines, not a pane
            self.refresh_row(new)
        else:
            self.refresh()
        if self.count:
            self.cursor_moved(new)

    def refresh_row(self, index: int) -> None:
        """Redraw one row (if it is on screen)."""
        y = index - int(self.scroll_y)
        height = self.scrollable_content_region.height or self.size.height
        if 0 <= y < height:
            self.refresh(Region(0, y, max(1, self.size.width), 1))

    def scroll_cursor_visible(self) -> None:
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(max(1, event.size.width), self.count)
        self.scroll_cursor_visible()

    # -- drawing ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= self.count or width <= 0:
            return Strip([Segment(" " * max(0, width), base)], max(0, width))
        text = self.render_row(index, width)
        text.no_wrap = True
        text.end = ""
        text.truncate(width, overflow="ellipsis", pad=True)
        if index == self.cursor and self.row_selectable(index):
            name = "virtual-list--cursor" if self.has_focus else "virtual-list--cursor-blurred"
            text.stylize(self.get_component_rich_style(name, partial=True))
        segments = [
            Segment(seg.text, base + seg.style if seg.style else base, seg.control)
            for seg in text.render(self.app.console)
            if seg.text != "\n"
        ]
        return Strip(segments).crop_extend(0, width, base)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- actions ---------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        if self.cursor + 1 < self.count:
            self._move_to(self._nearest_selectable(self.cursor + 1, 1))

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self._move_to(self._nearest_selectable(self.cursor - 1, -1))

    def action_cursor_first(self) -> None:
        self._move_to(self._nearest_selectable(0, 1))

    def action_cursor_last(self) -> None:
        self._move_to(self._nearest_selectable(max(0, self.count - 1), -1))

    def action_page_down(self) -> None:
        step = max(1, self.size.height - 1)
        self._move_to(self._nearest_selectable(min(self.count - 1, self.cursor + step), 1))

    def action_page_up(self) -> None:
        step = max(1, self.size.height - 1)
        self._move_to(self._nearest_selectable(max(0, self.cursor - step), -1))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < self.count and self.row_selectable(index):
            self._move_to(index)
            if event.chain >= 2:
                self.row_chosen(index)
