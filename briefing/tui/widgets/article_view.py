"""The article text: title, source, date, link and paragraphs, with one sentence lit.

Everything here came from a feed or a file, so it is built as Rich `Text` (literal,
never markup); the link is shown openable only when `safe_link` accepts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from briefing.core.text.clean import clean_text, safe_link
from briefing.tui.bidi import FeedText
from briefing.tui.reading import display, full_date

if TYPE_CHECKING:
    from briefing.core.models.article import Article

HIGHLIGHT = "reverse"


class ArticleView(VerticalScroll, can_focus=True):
    """Scrolls with j/k like the lists; `o` opens the link in a browser when it is safe."""

    ALLOW_MAXIMIZE = True
    """`z` (and enter on a small terminal) gives the text the whole screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", id="article-down", show=False,
                tooltip="Scroll the text down a line"),
        Binding("k,up", "scroll_up", "Up", id="article-up", show=False,
                tooltip="Scroll the text up a line"),
        Binding("space,pagedown", "page_down", "Page down", id="article-page-down", show=False,
                tooltip="Scroll the text down a page"),
        Binding("b,pageup", "page_up", "Page up", id="article-page-up", show=False,
                tooltip="Scroll the text up a page"),
        Binding("g,home", "go_top", "Top", id="article-top", show=False,
                tooltip="Go to the top of the text"),
        Binding("G,end", "go_end", "End", id="article-end", show=False,
                tooltip="Go to the end of the text"),
        Binding("o", "open_link", "Open link", id="open-link",
                tooltip="Open the article's link in a browser (http/https links only)"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.sentence: int | None = None
        self.link: str | None = None
        self._body = ""
        self._body_start = 0
        self._notice: str | None = None
        self.also_in: tuple[str, ...] = ()
        self.switch_key = ""
        """The key that shows the story's next version (the app sets it from the keymap)."""
        self.full_text_key = ""
        """The key that fetches a summary's page (set from the keymap, like `switch_key`)."""
        self.highlighted: str | None = None
        """The plain text lit by the selected fact (None when nothing is lit)."""

    def compose(self) -> ComposeResult:
        yield FeedText(Text("No article selected.", "dim"), id="article-text")

    def show(self, article: Article | None, sentence: int | None = None, *,
             notice: str | None = None, also_in: Sequence[str] = ()) -> None:
        """Draw `article` (or `notice` when there is none); `also_in` names the outlets of
        the story's other versions."""
        same = self.article is not None and article is not None and article.id == self.article.id
        self.article = article
        self.also_in = tuple(also_in)
        self.sentence = sentence
        self.link = safe_link(article.link) if article else None
        self._notice = notice
        self._render_article()
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def highlight(self, sentence: int | None) -> None:
        self.sentence = sentence
        line = self._render_article()
        if line is not None:
            self.scroll_to(y=max(0, line - 2), animate=False, immediate=True)

    def _span(self, title: str) -> tuple[int, int] | None:
        """Offsets of the highlighted sentence in the rendered text."""
        article = self.article
        if article is None or self.sentence is None or article.facts is None:
            return None
        sentences = article.facts.sentences
        if not 0 <= self.sentence < len(sentences):
            return None
        sentence = sentences[self.sentence]
        if sentence.start < 0:
            return (0, len(title))
        body = self._body
        if body[sentence.start : sentence.end] == sentence.text:
            start = sentence.start
        else:
            start = body.find(sentence.text) if sentence.text else -1
            if start < 0:
                return None
        return (self._body_start + start, self._body_start + start + len(sentence.text))

    def _render_article(self) -> int | None:
        """Draw the article; returns the line of the highlighted sentence if any."""
        static = self.query_one("#article-text", FeedText)
        article = self.article
        if article is None:
            static.update(Text(display(self._notice, 600) if self._notice else "No article selected.",
                               "dim"))
            return None
        title = display(article.title, 1000) or "(untitled)"
        text = Text(end="")
        text.append(title, "bold")
        text.append("\n")
        byline = [display(article.source or article.feed or "unknown source", 120)]
        byline.append(full_date(article.published))
        if article.author:
            byline.append(display(article.author, 120))
        text.append(" · ".join(byline), "dim")
        text.append("\n")
        from briefing.core.models.article import text_line  # not needed for the first frame

        kind = text_line(article, f"{self.full_text_key} fetches the page" if self.full_text_key
                         else "its page is not fetched")
        if kind:
            text.append(display(kind, 300), "italic dim" if article.text_kind == "full" else "italic yellow")
            text.append("\n")
        if self.also_in:
            text.append("also in ", "dim")
            text.append(", ".join(self.also_in), "italic")
            if self.switch_key:
                text.append(f"  ({self.switch_key}: next version)", "dim")
            text.append("\n")
        if self.link:
            text.append("↗ ", "dim")
            text.append(self.link, "underline")
            text.append("\n")
        elif article.link:
            text.append("link not openable: ", "dim")
            text.append(display(article.link, 200), "dim strike")
            text.append("\n")
        text.append("\n")
        self._body_start = len(text.plain)
        self._body = clean_text(article.text)
        text.append(self._body or "(no text)")
        span = self._span(title)
        line = None
        self.highlighted = text.plain[span[0] : span[1]] if span is not None else None
        if span is not None:
            text.stylize(HIGHLIGHT, *span)
            width = max(10, static.scrollable_content_region.width or self.size.width - 2)
            line = len(text[: span[0]].wrap(self.app.console, width)) - 1
        static.update(text)
        return line

    def action_go_top(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_go_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    def action_open_link(self) -> None:
        if self.link:
            self.app.open_url(self.link)
            self.notify(f"Opening {self.link}", markup=False, timeout=3)
        elif self.article is not None:
            self.notify("This article has no http(s) link to open.", severity="warning", timeout=3)
