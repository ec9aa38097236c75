"""The centre list of articles: one line per story, drawn only for the rows on screen.

A story told by several outlets shows once, with "also in: ..." after its title. Titles
and sources come from feeds, so they are cleaned and drawn as `Text`; the cursor is
kept on the same article when the list is filtered or refreshed.
"""

from __future__ import annotations

from collections.abc import Callable, MutableSequence, Sequence
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType

from briefing.core.models.meta import ArticleMeta
from briefing.tui.messages import ArticleChosen, ArticleHighlighted
from briefing.tui.reading import NO_STORIES, Stories, display, list_date, outlets
from briefing.tui.widgets.virtual_list import VirtualList

SOURCE_MAX = 24
"""The source column is never wider than this."""
MIN_SOURCE = 8
"""A long title shortens the source column of its row down to this, then is cut itself."""
NO_SOURCE_BELOW = 60
"""A list narrower than this shows no source column."""
MIN_ALSO_IN = 12
"""Room left after the title below which "also in ..." is left out (≡N still says it)."""


class ArticleList(VirtualList):
    """Title, source, age and marks: ● unread (◆ new for a watchlist), ★ starred, … only a
    feed's summary stored (F fetches the page), ≡N the same story from N articles."""

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
        self.articles: Sequence[ArticleMeta] = []
        """The rows (the state's, built per row when drawn: the list may be half a million)."""
        self._now = now
        self.stories: Stories = NO_STORIES
        self.new: frozenset[str] = frozenset()
        """Articles flagged as new matches of a watchlist after a refresh."""
        self._positions: dict[str, int] = {}
        self._row_of: Callable[[str], int | None] | None = None
        self._announced: str | None = "\0"
        self.story_starred: Callable[[ArticleMeta], bool] = lambda meta: False
        """Whether any version of the row's story is starred (the screen sets it)."""
        self._generation = 0
        self._column_key: tuple[int, ...] = ()
        self._column = (0, 0, 0, 0)

    @property
    def current(self) -> ArticleMeta | None:
        if 0 <= self.cursor < len(self.articles):
            return self.articles[self.cursor]
        return None

    def set_articles(
        self,
        articles: Sequence[ArticleMeta],
        keep: str | None = None,
        *,
        stories: Stories | None = None,
        new: frozenset[str] | None = None,
        row_of: Callable[[str], int | None] | None = None,
    ) -> None:
        """Show a new list; the cursor stays on `keep` (or the current article, or another
        version of its story) if present. `row_of` finds an article's row without a pass
        over the rows (else they are indexed here on first need)."""
        current = self.current
        keep = keep or (current.id if current else None)
        self.articles = articles
        self._positions = {}
        self._row_of = row_of
        self._generation += 1
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
        if self._row_of is not None:
            return self._row_of(article_id)
        if not self._positions and self.articles:
            self._positions = {a.id: i for i, a in enumerate(self.articles)}
        return self._positions.get(article_id)

    def replace_article(self, meta: ArticleMeta) -> None:
        """`meta` changed (its flags): redrawn (a plain list given is updated too)."""
        index = self.index_of(meta.id)
        if index is not None:
            if isinstance(self.articles, MutableSequence):
                self.articles[index] = meta
            self.refresh_row(index)

    def replace_row(self, index: int, meta: ArticleMeta, old_id: str, *, announce: bool = False) -> None:
        """Row `index` now shows `meta`, another version of its story than `old_id` (the
        rows are the state's list: it may already hold `meta` there)."""
        if not 0 <= index < len(self.articles):
            return
        if isinstance(self.articles, MutableSequence):
            self.articles[index] = meta
        if self._positions:
            self._positions.pop(old_id, None)
            self._positions[meta.id] = index
        self._generation += 1
        self.refresh()
        if announce and index == self.cursor:
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

    def _columns(self, width: int) -> tuple[int, int, int, int]:
        """Widths of the source, story-count, date and summary-mark columns: each as wide as
        its widest cell among the rows on screen (the source at most SOURCE_MAX, none on a
        narrow list), so the title keeps what they do not need."""
        top, height = int(self.scroll_y), max(1, self.size.height)
        key = (top, height, width, id(self.articles), len(self.articles), self._generation)
        if self._column_key != key:
            shown = self.articles[top : top + height]
            now = self._now()
            source = 0
            if width >= NO_SOURCE_BELOW:
                widest = max((cell_len(display(a.source or a.feed or "", 40)) for a in shown), default=0)
                source = min(SOURCE_MAX, widest)
            most = max((len(self.stories.others(a)) for a in shown), default=0)
            cluster = len(f"≡{most + 1}") if most else 0
            date = max((len(list_date(a.ts, now)) for a in shown), default=0)
            summaries = int(any(a.text_kind == "summary" for a in shown))
            self._column_key, self._column = key, (source, cluster, date, summaries)
        return self._column

    def render_row(self, index: int, width: int) -> Text:
        article = self.articles[index]
        meta_style = self.get_component_rich_style("article-list--meta", partial=True)
        title_style = self.get_component_rich_style(
            "article-list--read" if article.read else "article-list--unread", partial=True
        )
        star_style = self.get_component_rich_style("article-list--star", partial=True)
        others = self.stories.others(article)
        cluster = f"≡{len(others) + 1}" if others else ""
        row = Text(no_wrap=True, end="")
        if article.id in self.new and not article.read:
            row.append("◆", self.get_component_rich_style("article-list--new", partial=True))
        else:
            row.append("●" if not article.read else " ", title_style)
        starred = article.starred or (bool(others) and self.story_starred(article))
        row.append("★" if starred else " ", star_style)
        column, cluster_width, date_width, summaries = self._columns(width)
        if summaries:
            row.append("…" if article.text_kind == "summary" else " ", meta_style)
        row.append(" ")
        # The title gets the width that is left: the source column is shortened first
        # (down to MIN_SOURCE), "also in" takes only what the title leaves.
        tail = (cluster_width + 1 if cluster_width else 0) + (date_width + 1 if date_width else 0)
        room = max(4, width - 3 - summaries - tail)
        heading = display(article.title) or "(untitled)"
        needed = cell_len(heading)
        source_width = min(column, max(MIN_SOURCE, room - 1 - needed)) if column else 0
        title_room = max(1, room - (source_width + 1 if source_width else 0))
        title = Text(heading, title_style, no_wrap=True, end="")
        if others and title_room - needed >= MIN_ALSO_IN:
            also = Text(" · also in " + ", ".join(outlets(others, 4)), meta_style, no_wrap=True, end="")
            also.truncate(title_room - needed, overflow="ellipsis")
            title.append_text(also)
        title.truncate(title_room, overflow="ellipsis", pad=True)
        row.append_text(title)
        if source_width:
            source = Text(" " + display(article.source or article.feed or "", 40), meta_style,
                          no_wrap=True, end="")
            source.truncate(source_width + 1, overflow="ellipsis", pad=True)
            row.append_text(source)
        if cluster_width:
            row.append(f" {cluster:>{cluster_width}}", meta_style)
        if date_width:
            row.append(f" {list_date(article.ts, self._now()):>{date_width}}", meta_style)
        return row
