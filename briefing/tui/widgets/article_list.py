"""The centre list of articles: one line per story, drawn only for the rows on screen.

A story told by several outlets shows once, with "also in: ..." after its title. Titles
and sources come from feeds, so they are cleaned and drawn as `Text`; the cursor is
kept on the same article when the list is filtered or refreshed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from briefing.core.models.meta import ArticleMeta
from briefing.tui.messages import ArticleChosen, ArticleHighlighted
from briefing.tui.reading import NO_STORIES, Stories, display, outlets, relative_date
from briefing.tui.widgets.virtual_list import VirtualList


class ArticleList(VirtualList):
    """Title, source, age and marks: ● unread (◆ new for a watchlist), ★ starred, ≡N the
    same story from N articles."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="open-article",
                tooltip="Read the article (marks it read, moves to its text)"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--unread",
        "article-list--read",
        "article-list--meta",
        "article-list--star",
        "article-list--new",
    }

    DEFAULT_CSS = """
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--read { color: $text-muted; }
    ArticleList > .article-list--meta { color: $text-muted; }
    ArticleList > .article-list--star { color: $warning; }
    ArticleList > .article-list--new { color: $text-success; }
    """

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.articles: list[ArticleMeta] = []
        self._now = now
        self.stories: Stories = NO_STORIES
        self.new: frozenset[str] = frozenset()
        """Articles flagged as new matches of a watchlist after a refresh."""
        self._positions: dict[str, int] = {}
        self._announced: str | None = "\0"

    @property
    def current(self) -> ArticleMeta | None:
        if 0 <= self.cursor < len(self.articles):
            return self.articles[self.cursor]
        return None

    def set_articles(
        self,
        articles: list[ArticleMeta],
        keep: str | None = None,
        *,
        stories: Stories | None = None,
        new: frozenset[str] | None = None,
    ) -> None:
        """Show a new list; the cursor stays on `keep` (or the current article, or another
        version of its story) if present."""
        current = self.current
        keep = keep or (current.id if current else None)
        self.articles = articles
        self._positions = {}
        if stories is not None:
            self.stories = stories
        if new is not None:
            self.new = new
        cursor = self.index_of(keep) if keep else None
        if cursor is None and current is not None:
            for other in self.stories.others(current):
                cursor = self.index_of(other.id)
                if cursor is not None:
                    break
        self.set_count(len(articles), cursor if cursor is not None else 0)
        if not articles:
            self._announce(None)

    def index_of(self, article_id: str) -> int | None:
        if not self._positions and self.articles:
            self._positions = {a.id: i for i, a in enumerate(self.articles)}
        return self._positions.get(article_id)

    def replace_article(self, meta: ArticleMeta) -> None:
        index = self.index_of(meta.id)
        if index is not None:
            self.articles[index] = meta
            self.refresh()

    def swap_version(self, meta: ArticleMeta) -> None:
        """Show another article of the current row's story in its place (and open it)."""
        index = self.cursor
        if not 0 <= index < len(self.articles):
            return
        self._positions.pop(self.articles[index].id, None)
        self.articles[index] = meta
        if self._positions:
            self._positions[meta.id] = index
        self.refresh()
        self._announce(meta.id)

    def select(self, article_id: str) -> bool:
        index = self.index_of(article_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def cursor_moved(self, index: int) -> None:
        self._announce(self.current.id if self.current else None)

    def _announce(self, article_id: str | None) -> None:
        if article_id != self._announced:
            self._announced = article_id
            self.post_message(ArticleHighlighted(article_id))

    def row_chosen(self, index: int) -> None:
        if 0 <= index < len(self.articles):
            self.post_message(ArticleChosen(self.articles[index].id))

    def action_open(self) -> None:
        self.row_chosen(self.cursor)

    def render_row(self, index: int, width: int) -> Text:
        article = self.articles[index]
        meta_style = self.get_component_rich_style("article-list--meta", partial=True)
        title_style = self.get_component_rich_style(
            "article-list--read" if article.read else "article-list--unread", partial=True
        )
        star_style = self.get_component_rich_style("article-list--star", partial=True)
        age = relative_date(article.ts, self._now())
        others = self.stories.others(article)
        cluster = f"≡{len(others) + 1}" if others else ""
        source = display(article.source or article.feed or "", 40)
        source_width = 0 if width < 60 else min(22, max(10, width // 5))
        tail = Text(no_wrap=True, end="")
        if source_width:
            short = source if len(source) <= source_width else source[: source_width - 1] + "…"
            tail.append(f" {short:<{source_width}}", meta_style)
        tail.append(f" {cluster:>3}", meta_style)
        tail.append(f" {age:>8}", meta_style)
        row = Text(no_wrap=True, end="")
        if article.id in self.new and not article.read:
            row.append("◆", self.get_component_rich_style("article-list--new", partial=True))
        else:
            row.append("●" if not article.read else " ", title_style)
        row.append("★" if article.starred else " ", star_style)
        row.append(" ")
        room = max(4, width - 3 - tail.cell_len)
        title = Text(display(article.title) or "(untitled)", title_style, no_wrap=True, end="")
        if others:
            # "also in" keeps at least a third of the room, the title the rest
            also = Text(" · also in " + ", ".join(outlets(others, 4)), meta_style, no_wrap=True,
                        end="")
            also.truncate(max(room // 3, room - title.cell_len), overflow="ellipsis")
            title.truncate(max(1, room - also.cell_len), overflow="ellipsis")
            title.append_text(also)
        title.truncate(room, overflow="ellipsis", pad=True)
        row.append_text(title)
        row.append_text(tail)
        return row
