"""`/` search: topics and titles at once, diacritic-insensitive ("erdogan" finds
"Erdoğan"). Results are `Text`; the query never becomes markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from briefing.core.store import ArticleMeta
from briefing.core.topics import TopicIndex
from briefing.tui.bidi import BidiBalanced
from briefing.tui.reading import display, search_titles


class SearchResults(BidiBalanced, OptionList):
    """Results: titles come from feeds."""


SearchResult = tuple[str, str]
"""("topic", key) or ("article", id)."""


class SearchScreen(ModalScreen[SearchResult | None]):
    """Type to search; up/down pick a result, enter chooses it, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="close-search"),
        Binding("down,ctrl+n", "result_down", "Next", show=False, id="search-down"),
        Binding("up,ctrl+p", "result_up", "Previous", show=False, id="search-up"),
    ]

    def __init__(
        self, index: TopicIndex | None, articles: Sequence[ArticleMeta], folded: dict[str, str]
    ) -> None:
        super().__init__(id="search-screen")
        self.index = index
        self.articles = articles
        self.folded = folded

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Search topics and titles"
            yield Input(placeholder="erdogan, s-400, sochi…", id="search-input")
            yield SearchResults(id="search-results", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#search-input")
    def _search(self, event: Input.Changed) -> None:
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        query = event.value.strip()
        if not query:
            return
        options: list[Option] = []
        topics = self.index.search(query, limit=12) if self.index else []
        for topic in topics:
            text = Text("# ", "dim")
            text.append(display(topic.name, 100), "bold")
            text.append(f"  {topic.count} articles · {topic.kind}", "dim")
            options.append(Option(text, id=f"topic:{topic.key}"))
        for article in search_titles(query, self.articles, self.folded, limit=30):
            text = Text(display(article.title, 300))
            text.append(f"  {display(article.source, 40)}", "dim")
            options.append(Option(text, id=f"article:{article.id}"))
        if not options:
            options.append(Option(Text("nothing found", "dim"), disabled=True))
        results.add_options(options)
        results.highlighted = 0 if not options[0].disabled else None

    @on(Input.Submitted, "#search-input")
    def _submit(self) -> None:
        results = self.query_one("#search-results", OptionList)
        option = results.highlighted_option
        if option is not None and option.id:
            self._choose(option.id)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self._choose(event.option_id)

    def _choose(self, option_id: str) -> None:
        kind, _, value = option_id.partition(":")
        self.dismiss((kind, value))

    def action_result_down(self) -> None:
        self.query_one("#search-results", OptionList).action_cursor_down()

    def action_result_up(self) -> None:
        self.query_one("#search-results", OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
