"""The linked-topics sidebar: watchlists, active filters, the open article's topics and
related stories, then every topic; under it, the topics that go with the highlighted one
and a sparkline of its articles per day.

Counts come from the in-memory topic index the app hands over; nothing here reads the
store. Topic names and titles come from feeds, so they are drawn as `Text`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar, cast, overload

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from briefing.core.stories.topics import Topic, TopicIndex
from briefing.tui.bidi import FeedText
from briefing.tui.messages import (
    RelatedStoryChosen,
    TopicFilterToggled,
    TopicHighlighted,
    WatchToggled,
)
from briefing.tui.reading import display
from briefing.tui.state import RelatedRow, WatchCount
from briefing.tui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from textual.widgets import Sparkline

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@dataclass(frozen=True, slots=True)
class TopicRow:
    section: str
    """"watch", "filters", "article", "related" or "all"; headers have key None."""
    key: str | None
    """A folded topic key, a watchlist's name ("watch") or an article id ("related")."""
    label: str
    count: int = 0
    kind: str = "topic"
    """"topic", "watch" or "story"."""
    new: int = 0
    """Watchlists: matches flagged new after the last refresh."""
    unread: int = 0
    """Topics: how many of its articles are unread (shown as unread/all)."""


class TopicRows(Sequence[TopicRow]):
    """The sidebar's rows: the sections' few rows as made, then every topic of the store
    in rank order, each row made when drawn (500k articles carry topics by the hundred
    thousand; making them all on each filter or read mark cost more than the list)."""

    __slots__ = ("head", "ranked", "_label", "unread", "_rank")

    def __init__(self, head: list[TopicRow], ranked: Sequence[Topic], label: Callable[[Topic], str],
                 unread: Mapping[str, int], rank: Callable[[], Mapping[str, int]]) -> None:
        self.head = head
        self.ranked = ranked
        self._label = label
        self.unread = unread
        """Read when a row is made: a read mark shows without making rows again."""
        self._rank = rank

    def __len__(self) -> int:
        return len(self.head) + len(self.ranked)

    @overload
    def __getitem__(self, index: int) -> TopicRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[TopicRow]: ...

    def __getitem__(self, index: int | slice) -> TopicRow | list[TopicRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index < len(self.head):
            return self.head[index]
        topic = self.ranked[index - len(self.head)]
        return TopicRow("all", topic.key, self._label(topic), topic.count,
                        unread=self.unread.get(topic.key, 0))

    def find(self, key: str, section: str | None = None) -> int | None:
        """The row of `key` (in `section`, if given): the sections first, then its rank."""
        for i, row in enumerate(self.head):
            if row.key == key and section in (None, row.section):
                return i
        if section in (None, "all"):
            rank = self._rank().get(key)
            if rank is not None:
                return len(self.head) + rank
        return None


class TopicList(VirtualList):
    """Sections of rows; space or enter acts on the highlighted one: a topic or watchlist
    is toggled as a filter, a related story is opened."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_filter", "Filter", id="toggle-topic-filter",
                tooltip="Add or remove the topic (or watchlist) as a filter; open a related story"),
        Binding("enter", "toggle_filter", "Filter", id="choose-topic", show=False,
                tooltip="Same as space: toggle the topic or watchlist filter, open a related story"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "topic-list--header",
        "topic-list--count",
        "topic-list--active",
        "topic-list--mark",
        "topic-list--new",
        "topic-list--unread",
    }

    DEFAULT_CSS = """
    TopicList > .topic-list--header { color: $text-accent; text-style: bold; }
    TopicList > .topic-list--count { color: $text-muted; }
    TopicList > .topic-list--active { color: $text-success; text-style: bold; }
    TopicList > .topic-list--mark { color: $text-warning; }
    TopicList > .topic-list--new { color: $text-success; text-style: bold; }
    TopicList > .topic-list--unread { color: $text; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[TopicRow] = []
        self.active: tuple[str, ...] = ()
        self.active_watch: str | None = None
        self.marked: frozenset[str] = frozenset()
        self._drawn_unread: dict[int, int] = {}
        """Row -> the unread count it was last drawn with (a read mark redraws only
        the rows on screen whose count it changed)."""
        self._announced: str | None = "\0"

    @property
    def current(self) -> TopicRow | None:
        if 0 <= self.cursor < len(self.rows):
            row = self.rows[self.cursor]
            return row if row.key is not None else None
        return None

    def set_rows(
        self,
        rows: Sequence[TopicRow],
        active: tuple[str, ...],
        marked: frozenset[str],
        active_watch: str | None = None,
    ) -> None:
        here = self.current
        self.rows = rows
        self._drawn_unread.clear()
        self.active = active
        self.active_watch = active_watch
        self.marked = marked
        cursor = 0
        if here is not None and here.key is not None and self.has_focus:
            found = self._find(here.key, here.section)
            if found is None:
                found = self._find(here.key)
            cursor = found if found is not None else min(self.cursor, max(0, len(rows) - 1))
        self.set_count(len(rows), cursor)

    def _find(self, key: str, section: str | None = None) -> int | None:
        if isinstance(self.rows, TopicRows):
            return self.rows.find(key, section)
        return next((i for i, r in enumerate(self.rows) if r.key == key and section in (None, r.section)),
                    None)

    def set_unread(self, unread: Mapping[str, int]) -> None:
        """New unread counts: only the rows on screen whose count changed are redrawn (the
        sections' rows made again; every topic's row reads its count when drawn)."""
        rows = self.rows
        head = rows.head if isinstance(rows, TopicRows) else rows
        for i, row in enumerate(head):
            if row.kind == "topic" and row.key is not None and unread.get(row.key, 0) != row.unread:
                if isinstance(head, list):
                    head[i] = replace(row, unread=unread.get(row.key, 0))
                self.refresh_row(i)
        if isinstance(rows, TopicRows):
            rows.unread = unread
            top = int(self.scroll_y)
            for i in range(max(top, len(head)), min(len(rows), top + self.size.height)):
                if self._drawn_unread.get(i) != rows[i].unread:
                    self.refresh_row(i)

    def row_selectable(self, index: int) -> bool:
        return self.rows[index].key is not None

    def cursor_moved(self, index: int) -> None:
        current = self.current
        key = current.key if current is not None and current.kind == "topic" else None
        if key != self._announced:
            self._announced = key
            self.post_message(TopicHighlighted(key))

    def row_chosen(self, index: int) -> None:
        self.action_toggle_filter()

    def action_toggle_filter(self) -> None:
        row = self.current
        if row is None or row.key is None:
            return
        if row.kind == "story":
            self.post_message(RelatedStoryChosen(row.key))
        elif row.kind == "watch":
            self.post_message(WatchToggled(row.key))
        else:
            self.post_message(TopicFilterToggled(row.key))

    def render_row(self, index: int, width: int) -> Text:
        row = self.rows[index]
        if row.key is None:
            style = self.get_component_rich_style("topic-list--header", partial=True)
            return Text(row.label, style)
        if row.kind == "story":
            text = Text("→ ", self.get_component_rich_style("topic-list--count", partial=True),
                        no_wrap=True, end="")
            text.append(row.label)
            return text
        if row.kind == "watch":
            active = row.key == self.active_watch
            mark = "✓" if active else ("◆" if row.new else " ")
            mark_style = "topic-list--active" if active else "topic-list--new"
        else:
            active = row.key in self.active
            mark = "✓" if active else ("●" if row.key in self.marked else " ")
            mark_style = "topic-list--active" if active else "topic-list--mark"
        text = Text(no_wrap=True, end="")
        text.append(mark, self.get_component_rich_style(mark_style, partial=True))
        text.append(" ")
        self._drawn_unread[index] = row.unread
        count_style = self.get_component_rich_style("topic-list--count", partial=True)
        count = Text(" ", count_style, no_wrap=True, end="")
        if row.kind == "topic" and row.unread:
            count.append(str(row.unread), self.get_component_rich_style("topic-list--unread", partial=True))
            count.append(f"/{row.count}")
        else:
            count.append(str(row.count))
        room = max(3, width - 2 - count.cell_len)
        name = Text(row.label, no_wrap=True, end="")
        if active:
            name.stylize(self.get_component_rich_style("topic-list--active", partial=True))
        name.truncate(room, overflow="ellipsis", pad=True)
        text.append_text(name)
        text.append_text(count)
        return text


class TopicsSidebar(Vertical):
    """The topic list and, under it, the topics that most often go with the highlighted one
    and its articles per day."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index: TopicIndex | None = None
        self.ranked: list[Topic] = []
        self.filters: tuple[str, ...] = ()
        self.mode = "and"
        self.active_watch: str | None = None
        self.article_topics: tuple[str, ...] = ()
        self.watches: Sequence[WatchCount] = ()
        self.related: Sequence[RelatedRow] = ()
        self.unread: Mapping[str, int] = {}
        """Topic key -> its unread articles."""
        self._ranks: tuple[Sequence[Topic] | None, dict[str, int]] = (None, {})
        self._labels: dict[str, str] = {}
        """Topic key -> its cleaned name (rebuilding every row on each read mark stays cheap)."""
        self.timeline: list[int] = []
        """Articles per day of the highlighted topic, oldest first (empty: none shown)."""

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
        watch: str | None | bool = False,
        article_topics: tuple[str, ...] | None = None,
        watches: Sequence[WatchCount] | None = None,
        related: Sequence[RelatedRow] | None = None,
        unread: Mapping[str, int] | None = None,
    ) -> None:
        """Change what is given (`watch=False` leaves the active watchlist as it is)."""
        if index is not None:
            self.index = index
            self._labels.clear()  # a topic's name may have changed with the new index
        if ranked is not None:
            self.ranked = ranked
        if filters is not None:
            self.filters = filters
        if mode is not None:
            self.mode = mode
        if watch is not False:
            self.active_watch = watch if isinstance(watch, str) else None
        if article_topics is not None:
            self.article_topics = article_topics
        if watches is not None:
            self.watches = watches
        if related is not None:
            self.related = related
        if unread is not None:
            self.unread = unread
        self._rebuild()

    def update_unread(self, unread: Mapping[str, int]) -> None:
        """Only the unread counts changed (a read mark): redraw just those rows."""
        self.unread = unread
        self.topic_list.set_unread(unread)

    def _topic_row(self, section: str, key: str) -> TopicRow:
        topic = self.index.topics.get(key) if self.index else None
        if topic is None:
            return TopicRow(section, key, key, 0)
        return TopicRow(section, key, display(topic.name, 80), topic.count,
                        unread=self.unread.get(key, 0))

    def _rebuild(self) -> None:
        rows: list[TopicRow] = []
        if self.watches:
            rows.append(TopicRow("watch", None, "WATCHLISTS · unread"))
            rows += [TopicRow("watch", w.name, display(w.name, 80), w.unread, "watch", w.new)
                     for w in self.watches]
        if self.filters:
            joiner = "all of" if self.mode == "and" else "any of"
            rows.append(TopicRow("filters", None, f"FILTERS · {joiner} ({self.mode.upper()})"))
            rows += [self._topic_row("filters", k) for k in self.filters]
        if self.article_topics:
            rows.append(TopicRow("article", None, "THIS ARTICLE"))
            rows += [self._topic_row("article", k) for k in self.article_topics]
        if self.related:
            rows.append(TopicRow("related", None, "RELATED STORIES"))
            rows += [TopicRow("related", r.article_id, display(r.title, 200), 0, "story")
                     for r in self.related]
        rows.append(TopicRow("all", None, f"ALL TOPICS ({len(self.ranked)})"))
        if len(self._labels) > 4 * len(self.ranked) + 1000:
            self._labels.clear()
        listed = TopicRows(rows, self.ranked, self._label, self.unread, self._rank)
        self.topic_list.set_rows(listed, self.filters, frozenset(self.article_topics), self.active_watch)

    def _label(self, topic: Topic) -> str:
        labels = self._labels
        return labels.get(topic.key) or labels.setdefault(topic.key, display(topic.name, 80))

    def _rank(self) -> Mapping[str, int]:
        """Topic key -> its place in `ranked`, made once per ranking when first asked."""
        if self._ranks[0] is not self.ranked:
            self._ranks = (self.ranked, {t.key: i for i, t in enumerate(self.ranked)})
        return self._ranks[1]

    def show_related(self, key: str | None, timeline: list[int] | None = None,
                     last_day: float | None = None) -> None:
        """The topics that go with `key`, and its articles per day up to `last_day`."""
        related = self.query_one("#related", FeedText)
        if key is None or self.index is None or key not in self.index.topics:
            related.update(Text(""))
            related.display = False
            self._show_timeline([])
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
        if timeline and last_day is not None:
            day = datetime.fromtimestamp(last_day, UTC)
            text.append("\nPER DAY", "bold")
            text.append(f" ≤{max(timeline)} · to {day.day} {_MONTHS[day.month - 1]}", "dim")
        related.update(text)
        related.display = True
        self._show_timeline(timeline or [])

    def _show_timeline(self, counts: list[int]) -> None:
        self.timeline = counts
        found = self.query("#timeline")
        if not counts:
            if found:
                found.first().display = False
            return
        if found:
            sparkline = cast("Sparkline", found.first())
            sparkline.data = [float(c) for c in counts]
            sparkline.display = True
            return
        from textual.widgets import Sparkline  # mounted on first use: not on the first frame

        self.mount(Sparkline([float(c) for c in counts], id="timeline"))
