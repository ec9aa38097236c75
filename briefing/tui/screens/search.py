"""`/` search: topics and titles at once as you type, then the articles' full text
(ranked, from the store's search index, in a worker); diacritic-insensitive ("erdogan"
finds "Erdoğan"). Results are `Text`; the query never becomes markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from briefing.core.models.meta import ArticleMeta
from briefing.core.stories.topics import TopicIndex
from briefing.tui.bidi import BidiBalanced
from briefing.tui.reading import display
from briefing.tui.titles import TitleIndex


class SearchResults(BidiBalanced, OptionList):
    """Results: titles come from feeds."""


SearchResult = tuple[str, str]
"""("topic", key) or ("article", id)."""

BodySearch = Callable[[str], list[ArticleMeta]]
"""Ranked articles whose text matches a query (runs in a worker thread)."""

BODY_RESULTS = 30
TITLE_RESULTS = 30
TITLES_BEFORE_LOADED = 200
"""Titles searched before the full list is loaded (the first screen's)."""


class SearchScreen(ModalScreen[SearchResult | None]):
    """Type to search; up/down pick a result, enter chooses it, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="close-search"),
        Binding("down,ctrl+n", "result_down", "Next", show=False, id="search-down"),
        Binding("up,ctrl+p", "result_up", "Previous", show=False, id="search-up"),
    ]

    def __init__(
        self,
        index: TopicIndex | None,
        articles: Sequence[ArticleMeta],
        titles: TitleIndex | None,
        body_search: BodySearch | None = None,
    ) -> None:
        super().__init__(id="search-screen")
        self.index = index
        self.articles = articles
        self.titles = titles or TitleIndex(a.title for a in articles[:TITLES_BEFORE_LOADED])
        """The titles of `articles` by position; until the reader has folded them all,
        those of the newest few."""
        self.body_search = body_search
        self.query_text = ""
        self.body_hits: list[ArticleMeta] = []
        """The full-text results shown for the current query (tests read them)."""
        self._quick: list[Option] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Search topics, titles and text"
            yield Input(placeholder="erdogan, s-400, sochi…", id="search-input")
            yield SearchResults(id="search-results", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#search-input")
    def _search(self, event: Input.Changed) -> None:
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        query = event.value.strip()
        self.query_text = query
        self.body_hits = []
        self._quick = []
        if not query:
            return
        options: list[Option] = []
        topics = self.index.search(query, limit=12) if self.index else []
        for topic in topics:
            text = Text("# ", "dim")
            text.append(display(topic.name, 100), "bold")
            text.append(f"  {topic.count} articles · {topic.kind}", "dim")
            options.append(Option(text, id=f"topic:{topic.key}"))
        for pos in self.titles.search(query, limit=TITLE_RESULTS):
            article = self.articles[pos]
            text = Text(display(article.title, 300))
            text.append(f"  {display(article.source, 40)}", "dim")
            options.append(Option(text, id=f"article:{article.id}"))
        self._quick = options
        if self.body_search is not None:
            self._search_bodies(query)
        self._show(options)

    def use_titles(self, articles: Sequence[ArticleMeta], titles: TitleIndex) -> None:
        """Every title is folded now (they arrive after the list on a large store)."""
        self.articles, self.titles = articles, titles

    def _show(self, options: list[Option]) -> None:
        results = self.query_one("#search-results", OptionList)
        highlighted = results.highlighted
        results.clear_options()
        if not options:
            options = [Option(Text("nothing found", "dim"), disabled=True)]
        results.add_options(options)
        if highlighted is not None and highlighted < len(options) and not options[highlighted].disabled:
            results.highlighted = highlighted
        else:
            results.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    @work(thread=True, exclusive=True, group="search-text", description="Searching the text")
    def _search_bodies(self, query: str) -> None:
        assert self.body_search is not None
        found = self.body_search(query)
        self.app.call_from_thread(self._bodies_found, query, found)

    def _bodies_found(self, query: str, found: list[ArticleMeta]) -> None:
        if query != self.query_text:
            return  # the analyst typed on
        shown = {o.id for o in self._quick}
        extra = [a for a in found if f"article:{a.id}" not in shown]
        self.body_hits = found
        if not extra:
            return
        options = list(self._quick)
        options.append(Option(Text("IN THE TEXT", "bold"), disabled=True))
        for article in extra:
            text = Text(display(article.title, 300))
            text.append(f"  {display(article.source, 40)}", "dim")
            options.append(Option(text, id=f"article:{article.id}"))
        self._show(options)

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
