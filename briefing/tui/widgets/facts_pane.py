"""The key-facts pane: people with roles, organisations, places, dates, numbers, quotes
and key sentences of the open article. Moving onto a fact lights its sentence in the
article; enter or space on a person, organisation or place toggles it as a topic filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.core.text.fold import fold_key
from briefing.tui.bidi import BidiBalanced
from briefing.tui.messages import SentenceSelected, TopicFilterToggled
from briefing.tui.reading import display

if TYPE_CHECKING:
    from briefing.core.models.facts import Facts

NOTHING_OPEN = "Open an article to see its key facts."

_ENTITY_SECTIONS = (
    ("person", "PEOPLE"),
    ("organization", "ORGANISATIONS"),
    ("place", "PLACES"),
    ("other", "OTHER NAMES"),
)


@dataclass(frozen=True, slots=True)
class FactRef:
    sentence: int | None
    topic: str | None = None
    """Folded topic key for entities (what a filter on it would use)."""


class FactsList(BidiBalanced, OptionList):
    """Facts as options; headers are disabled options so the cursor skips them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="facts-down", show=False,
                tooltip="Next fact (its sentence lights up in the text)"),
        Binding("k", "cursor_up", "Up", id="facts-up", show=False, tooltip="Previous fact"),
        Binding("g,home", "first", "First", id="facts-first", show=False, tooltip="Go to the first fact"),
        Binding("G,end", "last", "Last", id="facts-last", show=False, tooltip="Go to the last fact"),
        Binding("space", "filter_entity", "Filter", id="filter-by-entity",
                tooltip="Add or remove the person, organisation or place as a topic filter"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Option(Text(NOTHING_OPEN, "dim"), disabled=True), id=id, markup=False)
        self.refs: dict[str, FactRef] = {}

    def show_facts(self, facts: Facts | None, *, opened: bool = True, pending: bool = False) -> None:
        """The facts of the open article (`opened`; None: it has none, or they are still
        `pending`: fetched moments ago, extracted in the background), or of none."""
        self.clear_options()
        self.refs = {}
        if facts is None:
            if not opened:
                none = NOTHING_OPEN
            elif pending:
                none = "Facts pending: this article was just fetched; they are being extracted."
            else:
                none = "No facts extracted for this article."
            self.add_option(Option(Text(none, "dim"), disabled=True))
            return
        from briefing.core.models.facts import quote_attribution  # loaded with the first facts

        options: list[Option] = []
        if facts.failures:  # one quiet line: the other kinds of fact are all there
            kinds = ", ".join(display(f.split(":")[0], 40) for f in facts.failures)
            options.append(Option(Text(f"Not extracted here: {kinds} (the rest is complete)", "dim italic"),
                                  disabled=True))
        counter = 0

        def add(text: Text, ref: FactRef) -> None:
            nonlocal counter
            counter += 1
            option_id = f"fact-{counter}"
            self.refs[option_id] = ref
            options.append(Option(text, id=option_id))

        def header(label: str) -> None:
            options.append(Option(Text(label, "bold"), disabled=True))

        for kind, label in _ENTITY_SECTIONS:
            entities = [e for e in facts.entities if e.type == kind]
            if not entities:
                continue
            header(label)
            for entity in entities:
                text = Text(display(entity.name, 120))
                if entity.role:
                    text.append(" — ", "dim")
                    text.append(display(entity.role, 200), "italic")
                if entity.mentions > 1:
                    text.append(f" ×{entity.mentions}", "dim")
                add(text, FactRef(entity.sentence, fold_key(entity.name)))
        if facts.dates:
            header("DATES")
            for date in facts.dates:
                text = Text(display(date.value, 40), "bold")
                text.append("  ")
                text.append(display(date.text, 120), "dim")
                if date.future:
                    text.append("  (future)", "italic")
                add(text, FactRef(date.sentence))
        if facts.quantities:
            header("NUMBERS")
            for quantity in facts.quantities:
                add(Text(display(quantity.text, 120)), FactRef(quantity.sentence))
        if facts.quotes:
            header("QUOTES")
            for quote in facts.quotes:
                text = Text("“" + display(quote.text, 600) + "”")
                text.append(" — ", "dim")
                who = quote_attribution(display(quote.speaker, 120), display(quote.speaker_description, 200))
                text.append(who, "dim italic" if who == "unattributed" else "italic")
                add(text, FactRef(quote.sentence))
        key = [i for i in facts.key_sentences if 0 <= i < len(facts.sentences)]
        if key:
            header("KEY SENTENCES")
            for i in key:
                add(Text("• " + display(facts.sentences[i].text, 800)), FactRef(i))
        if not options:
            options.append(Option(Text("No facts found in this article.", "dim"), disabled=True))
        self.add_options(options)
        self.highlighted = None

    def current_ref(self) -> FactRef | None:
        option = self.highlighted_option
        return self.refs.get(option.id) if option is not None and option.id else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        ref = self.refs.get(event.option_id or "")
        self.post_message(SentenceSelected(ref.sentence if ref else None))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ref = self.refs.get(event.option_id or "")
        if ref is None:
            return
        if ref.topic:
            self.post_message(TopicFilterToggled(ref.topic))
        else:
            self.post_message(SentenceSelected(ref.sentence))

    def action_filter_entity(self) -> None:
        ref = self.current_ref()
        if ref is not None and ref.topic:
            self.post_message(TopicFilterToggled(ref.topic))


class FactsPane(Vertical):
    """A titled frame around the facts list."""

    def compose(self) -> ComposeResult:
        yield FactsList(id="facts-list")

    def show_facts(self, facts: Facts | None, *, opened: bool = True, pending: bool = False) -> None:
        self.query_one(FactsList).show_facts(facts, opened=opened, pending=pending)
