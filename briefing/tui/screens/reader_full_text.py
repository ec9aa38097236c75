"""`F`: fetch the open article's page and keep its full text for offline reading.

The fetch runs on a daemon thread (gateway); nothing of it is imported before it is used.
"""

from __future__ import annotations

from textual import on

from briefing.tui.messages import FullTextFetched
from briefing.tui.reading import display
from briefing.tui.screens.reader_base import ReaderBase


class FullTextActions(ReaderBase):
    """The full text of summary-only articles."""

    def action_full_text(self) -> None:
        article = self.article
        if article is None:
            return
        from briefing.core.text.clean import safe_link

        if safe_link(article.link) is None:
            self.app.notify("This article has no http(s) link to fetch.", severity="warning", timeout=4)
            return
        if self.library.readonly:
            self.app.notify("The store is open read-only; the full text cannot be kept.",
                            severity="warning")
            return
        if article.id in self._fetching:
            return
        self._fetching.add(article.id)
        self.status.set_parts(progress="fetching the full text…")
        self.gateway.fetch_full_text(article.id)

    @on(FullTextFetched)
    def _full_text_fetched(self, message: FullTextFetched) -> None:
        self._fetching.discard(message.article_id)
        self.status.set_parts(progress="")
        if not message.ok:
            self.app.notify(f"Full text not fetched: {display(message.reason or 'unknown reason', 300)}; "
                            "the summary stays.", title="Full text", severity="warning", markup=False,
                            timeout=8)
        else:
            self.app.notify("Full text stored for offline reading.", title="Full text", timeout=4)
            stored = self.state.meta(message.article_id)
            if stored is not None:
                self.article_list.replace_article(self.state.updated(stored, full_text=True))
        # reloaded either way: its top line says the page's text is there, or why it is not
        current = self.article_list.current
        if current is not None and current.id == message.article_id:
            self.gateway.load_article(message.article_id, redo_stale=True)
