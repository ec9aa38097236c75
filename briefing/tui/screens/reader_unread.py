"""newsboat's habits in the reader: `n`/`N` to the next or previous unread article, `A`
to mark every visible article read, and `ctrl+z` to undo that.

The decisions (which row is next, what is marked, what undo restores) are `ReaderState`'s;
this routes them to the list, the sidebar, the status line and the store.
"""

from __future__ import annotations

from textual import on

from briefing.tui.messages import ReadFlagsWritten
from briefing.tui.screens.reader_base import ReaderBase


class UnreadActions(ReaderBase):
    """Moving through and clearing what is unread."""

    def action_next_unread(self, step: int = 1) -> None:
        """Open the next (1) or previous (-1) unread article of the list, across stories."""
        step = 1 if step >= 0 else -1
        cursor = self.article_list.cursor
        if self.article_list.has_focus:
            cursor -= step  # from the list, the row under the cursor is the first candidate
        found = self.state.next_unread(cursor, step)
        if found is None:
            self.app.notify("Nothing unread in the list.", timeout=3)
            return
        row, meta = found
        if self.state.rows[row].id != meta.id:  # the story's unread version, not the one shown
            old = self.state.show_version(row, meta)
            self.article_list.replace_row(row, meta, old)
        self.article_list.cursor = row
        self.open_article(meta)

    def action_mark_all_read(self) -> None:
        """Every article the list shows (each version of each story) becomes read."""
        marked = self.state.mark_all_read()
        if not marked.ids:
            self.app.notify("Nothing unread in the list.", timeout=3)
            return
        self._flags_changed()
        self.writing_flags += 1
        # Written after the frame that shows them read: a long write must not delay it.
        self.call_after_refresh(self.gateway.write_read, marked.ids, True)
        undo = self.briefing_app.key_of("undo-mark-all-read") or "ctrl+z"
        count = len(marked.ids)
        self.app.notify(f"Marked {count} article{'s' if count != 1 else ''} read · {undo} undoes",
                        title="Mark all read", timeout=8)

    def action_undo_mark_all_read(self) -> None:
        marked = self.state.undo_mark_all_read()
        if marked is None:
            self.app.notify("Nothing to undo.", timeout=3)
            return
        self._flags_changed()
        self.writing_flags += 1
        self.gateway.write_read(marked.ids, False)
        count = len(marked.ids)
        self.app.notify(f"{count} article{'s' if count != 1 else ''} unread again", title="Undone",
                        timeout=4)

    def _flags_changed(self) -> None:
        self.article_list.refresh()
        self.sidebar.update_topics(watches=self.state.watch_counts(), unread=self.state.topic_unread)
        self.update_status()

    @on(ReadFlagsWritten)
    def _read_flags_written(self, message: ReadFlagsWritten) -> None:
        self.writing_flags = max(0, self.writing_flags - 1)
        if message.error:
            self.app.notify(f"could not save the read marks: {message.error}", severity="error",
                            markup=False, timeout=8)
