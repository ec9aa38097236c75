"""How the reader is laid out: pane sizes per terminal size, moving between panes,
hiding the sidebar or the facts, giving one pane the whole screen (zoom), and the
list's sort order.
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget

from briefing.tui.screens.reader_base import ReaderBase

PANES = ("topic-list", "article-list", "article-view", "facts-list")
NARROW = 100
WIDE = 140
SHORT = 30
"""Below this many rows the list takes most of the height: the article opens whole-screen."""


class ViewActions(ReaderBase):
    """Panes, zoom and sort."""

    def apply_layout(self) -> None:
        width = self.size.width or self.app.size.width
        height = self.size.height or self.app.size.height
        sidebar, facts, state = self.sidebar, self.facts_pane, self.state
        sidebar.display = state.show_sidebar if state.show_sidebar is not None else True
        facts.display = state.show_facts if state.show_facts is not None else width >= NARROW
        # Inline sizes, not screen classes: a class on the screen restyles every widget.
        narrow, wide = width < NARROW, width >= WIDE
        _set_size(sidebar.styles, "width", 24 if narrow else 32 if wide else 27)
        _set_size(facts.styles, "width", 30 if narrow else 44 if wide else 34)
        # A small terminal is for scanning: the list gets most rows, an article opens whole-screen.
        list_height = "62%" if (narrow or height < SHORT) else "45%" if wide else "40%"
        _set_size(self.article_list.styles, "height", list_height)

    def on_resize(self) -> None:
        self.apply_layout()

    # -- panes -------------------------------------------------------------------------------

    def _visible_panes(self) -> list[Widget]:
        panes: list[Widget] = []
        for pane_id in PANES:
            widget = self.query_one(f"#{pane_id}")
            if widget.display and all(a.display for a in widget.ancestors if isinstance(a, Widget)):
                panes.append(widget)
        return panes

    def _cycle(self, step: int) -> None:
        if self.maximized is not None:
            self.minimize()
        panes = self._visible_panes()
        if not panes:
            return
        focused = self.focused
        at = -1 if step > 0 else 0
        for i, pane in enumerate(panes):
            if focused is not None and (focused is pane or pane in focused.ancestors):
                at = i
        panes[(at + step) % len(panes)].focus()

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    def action_toggle_sidebar(self) -> None:
        self.state.show_sidebar = not self.sidebar.display
        self.apply_layout()
        self.schedule_save()

    def action_toggle_facts(self) -> None:
        self.state.show_facts = not self.facts_pane.display
        self.apply_layout()
        self.schedule_save()

    # -- zoom --------------------------------------------------------------------------------

    def _focused_pane(self) -> Widget | None:
        focused = self.focused
        for pane_id in PANES:
            pane = self.query_one(f"#{pane_id}")
            if focused is not None and (focused is pane or pane in focused.ancestors):
                return pane
        return None

    def action_zoom(self) -> None:
        """The focused pane gets the whole screen; again (or q, escape) gives it back."""
        if self.maximized is not None:
            self.minimize()
            return
        pane = self._focused_pane()
        if pane is not None:
            self.maximize(pane, container=False)

    def action_unzoom(self) -> None:
        """Back from a zoomed pane; from an article opened whole-screen on a small terminal,
        back to the list it was opened from."""
        zoomed = self.maximized
        self.minimize()
        if zoomed is self.article_view and self.small:
            self.article_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unzoom":
            return self.maximized is not None  # else q quits and escape does what it did
        return True

    def watch_maximized(self, maximized: Widget | None) -> None:
        self.refresh_bindings()  # q means "back" while a pane is zoomed
        if maximized is not None:
            # the zoomed pane fills the screen, whatever height the layout gave it inline
            _set_size(maximized.styles, "height", "1fr")
            _set_size(maximized.styles, "width", "1fr")
        else:
            self.apply_layout()

    # -- sort --------------------------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        """Newest first → most covered first → unread first → newest first."""
        self.state.cycle_sort()
        current = self.article_list.current
        self.show_list(keep=current.id if current else None)
        self.schedule_save()
        self.app.notify(f"Sorted {self.state.sort_title}", timeout=2)


def _set_size(styles: Any, rule: str, value: int | str) -> None:
    """Set a width or height only when it changes (each set asks for a new layout)."""
    from textual.css.scalar import Scalar

    scalar = Scalar.parse(str(value))
    if getattr(styles, rule) != scalar:
        setattr(styles, rule, scalar)
