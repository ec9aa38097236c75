"""The linked-topics sidebar: active filters, the open article's topics, then every topic.

Counts come from the in-memory topic index the app hands over; nothing here reads the
store. Topic names come from feeds, so they are drawn as `Text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from briefing.core.topics import Topic, TopicIndex
from briefing.tui.bidi import FeedText
from briefing.tui.messages import TopicFilterToggled, TopicHighlighted
from briefing.tui.reading import display
from briefing.tui.widgets.virtual_list import VirtualList


@dataclass(frozen=True, slots=True)
class TopicRow:
    section: str
    """"filters", "article" or "all"; headers have key None."""
    key: str | None
    label: str
    count: int = 0


class TopicList(VirtualList):
    """Sections of topics; space toggles the highlighted topic as a filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_filter", "Filter", id="toggle-topic-filter",
                tooltip="Add or remove the topic as a filter (several combine)"),
        Binding("enter", "toggle_filter", "Filter", id="choose-topic", show=False,
                tooltip="Same as space: toggle the topic filter"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "topic-list--header",
        "topic-list--count",
        "topic-list--active",
        "topic-list--mark",
    }

    DEFAULT_CSS = """
    TopicList > .topic-list--header { color: $text-accent; text-style: bold; }
    TopicList > .topic-list--count { color: $text-muted; }
    TopicList > .topic-list--active { color: $text-success; text-style: bold; }
    TopicList > .topic-list--mark { color: $text-warning; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[TopicRow] = []
        self.active: tuple[str, ...] = ()
        self.marked: frozenset[str] = frozenset()
        self._announced: str | None = "\0"

    @property
    def current(self) -> TopicRow | None:
        if 0 <= self.cursor < len(self.rows):
            row = self.rows[self.cursor]
            return row if row.key is not None else None
        return None

    def set_rows(
        self, rows: list[TopicRow], active: tuple[str, ...], marked: frozenset[str]
    ) -> None:
        here = self.current
        self.rows = rows
        self.active = active
        self.marked = marked
        cursor = 0
        if here is not None and self.has_focus:
            same = [
                i for i, r in enumerate(rows) if r.key == here.key and r.section == here.section
            ]
            anywhere = [i for i, r in enumerate(rows) if r.key == here.key]
            cursor = (same or anywhere or [min(self.cursor, max(0, len(rows) - 1))])[0]
        self.set_count(len(rows), cursor)

    def row_selectable(self, index: int) -> bool:
        return self.rows[index].key is not None

    def cursor_moved(self, index: int) -> None:
        key = self.current.key if self.current else None
        if key != self._announced:
            self._announced = key
            self.post_message(TopicHighlighted(key))

    def row_chosen(self, index: int) -> None:
        self.action_toggle_filter()

    def action_toggle_filter(self) -> None:
        row = self.current
        if row is not None and row.key is not None:
            self.post_message(TopicFilterToggled(row.key))

    def render_row(self, index: int, width: int) -> Text:
        row = self.rows[index]
        if row.key is None:
            style = self.get_component_rich_style("topic-list--header", partial=True)
            return Text(row.label, style)
        active = row.key in self.active
        mark = "✓" if active else ("●" if row.key in self.marked else " ")
        text = Text(no_wrap=True, end="")
        text.append(mark, self.get_component_rich_style(
            "topic-list--active" if active else "topic-list--mark", partial=True))
        text.append(" ")
        count = str(row.count)
        room = max(3, width - 2 - len(count) - 1)
        name = Text(row.label, no_wrap=True, end="")
        if active:
            name.stylize(self.get_component_rich_style("topic-list--active", partial=True))
        name.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(name)
        text.append(" " + count, self.get_component_rich_style("topic-list--count", partial=True))
        return text


class TopicsSidebar(Vertical):
    """The topic list and, under it, the topics that most often go with the highlighted one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index: TopicIndex | None = None
        self.ranked: list[Topic] = []
        self.filters: tuple[str, ...] = ()
        self.mode = "and"
        self.article_topics: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield TopicList(id="topic-list")
        yield FeedText(id="related")

    @property
    def topic_list(self) -> TopicList:
        return self.query_one(TopicList)

    def update_topics(
        self,
        *,
        index: TopicIndex | None = None,
        ranked: list[Topic] | None = None,
        filters: tuple[str, ...] | None = None,
        mode: str | None = None,
        article_topics: tuple[str, ...] | None = None,
    ) -> None:
        if index is not None:
            self.index = index
        if ranked is not None:
            self.ranked = ranked
        if filters is not None:
            self.filters = filters
        if mode is not None:
            self.mode = mode
        if article_topics is not None:
            self.article_topics = article_topics
        self._rebuild()

    def _topic_row(self, section: str, key: str) -> TopicRow:
        topic = self.index.topics.get(key) if self.index else None
        if topic is None:
            return TopicRow(section, key, key, 0)
        return TopicRow(section, key, display(topic.name, 80), topic.count)

    def _rebuild(self) -> None:
        rows: list[TopicRow] = []
        if self.filters:
            joiner = "all of" if self.mode == "and" else "any of"
            rows.append(TopicRow("filters", None, f"FILTERS · {joiner} ({self.mode.upper()})"))
            rows += [self._topic_row("filters", k) for k in self.filters]
        if self.article_topics:
            rows.append(TopicRow("article", None, "THIS ARTICLE"))
            rows += [self._topic_row("article", k) for k in self.article_topics]
        rows.append(TopicRow("all", None, f"ALL TOPICS ({len(self.ranked)})"))
        rows += [TopicRow("all", t.key, display(t.name, 80), t.count) for t in self.ranked]
        self.topic_list.set_rows(rows, self.filters, frozenset(self.article_topics))

    def show_related(self, key: str | None) -> None:
        related = self.query_one("#related", FeedText)
        if key is None or self.index is None or key not in self.index.topics:
            related.update(Text(""))
            related.display = False
            return
        # Ties broken by name: the index counts in set order, which varies run to run.
        everything = self.index.cooccurring(key, limit=1_000_000)
        pairs = sorted(everything, key=lambda pair: (-pair[1], pair[0].name))[:6]
        topic = self.index.topics[key]
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append("WITH ", "bold")
        text.append(display(topic.name, 60), "bold")
        if not pairs:
            text.append("\n  (no other topics)", "dim")
        for other, n in pairs:
            text.append("\n  ")
            text.append(display(other.name, 60))
            text.append(f" {n}", "dim")
        related.update(text)
        related.display = True
