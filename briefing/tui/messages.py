"""Events workers and widgets post to the reader screen, named in the past tense.

Workers never touch widgets; they post one of these and the screen updates itself.
Imports only data types (under TYPE_CHECKING), so every widget can post them without
an import cycle.
Dataclasses without repr and eq: nothing compares or prints them, and generating those
methods for every message class costs the reader's start-up a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from briefing.core.library import FeedStatus
    from briefing.core.models.article import Article
    from briefing.core.stories.topics import Topic, TopicIndex
    from briefing.tui.articles import Articles
    from briefing.tui.reading import Stories
    from briefing.tui.state import RelatedRow
    from briefing.tui.titles import TitleIndex


@dataclass(repr=False, eq=False)
class ArticlesLoaded(Message):
    """The full list and a private copy of the topic index are ready (start-up or refresh)."""

    articles: Articles
    """Every article by position, newest first (built per item: see `tui.articles`)."""
    index: TopicIndex
    notices: list[str]
    ranked: list[Topic]
    """Every topic by salience and recency, computed off the UI thread."""
    stories: Stories
    """Which articles tell the same story (for one row per story and "also in")."""
    watches: dict[str, frozenset[str]]
    """Each saved watchlist (in file order) with the ids it matches."""
    new_matches: frozenset[str] = frozenset()
    """Watchlist matches that arrived with the refresh that led to this load."""
    topic_unread: dict[str, int] | None = None
    """Topic key -> its unread articles, counted off the UI thread."""


@dataclass(repr=False, eq=False)
class TitlesFolded(Message):
    """Every title of `articles` folded (diacritics and case gone), for the search screen."""

    articles: Articles
    """The list the titles' positions are positions in (a later load makes them stale)."""
    titles: TitleIndex


@dataclass(repr=False, eq=False)
class ArticleLoaded(Message):
    """The full text and facts of one article were read from the store."""

    article: Article
    redone: tuple[tuple[str, str], ...] | None = None
    """Its (name, kind) topics when its facts were just redone by this engine, else None."""


@dataclass(repr=False, eq=False)
class FeedRefreshed(Message):
    """One feed finished refreshing (success or failure)."""

    name: str
    status: str
    added: int
    error: str | None
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        """A quiet step of progress still waiting is only a count: the newer one says more."""
        return isinstance(message, FeedRefreshed) and message.error is None and not message.added


@dataclass(repr=False, eq=False)
class FeedsListed(Message):
    """The feeds screen's rows were gathered from the config and the store."""

    rows: list[FeedStatus]
    source: str


@dataclass(repr=False, eq=False)
class RefreshFinished(Message):
    """A refresh of every feed finished; `error` is set when it could not even start."""

    added: int
    failed: int
    error: str | None = None


@dataclass(repr=False, eq=False)
class StoreWriteFailed(Message):
    """A background write to the store failed; the message is shown to the user."""

    error: str


@dataclass(repr=False, eq=False)
class ArticleUnreadable(Message):
    """Reading one article from the store failed (e.g. a damaged segment with no backup)."""

    article_id: str
    error: str


@dataclass(repr=False, eq=False)
class ArticleHighlighted(Message):
    """The cursor of the article list moved onto an article (None: the list is empty)."""

    article_id: str | None


@dataclass(repr=False, eq=False)
class ArticleChosen(Message):
    """The user pressed enter (or clicked) on an article in the list."""

    article_id: str


@dataclass(repr=False, eq=False)
class TopicHighlighted(Message):
    """The cursor of the topics sidebar moved onto a topic."""

    key: str | None


@dataclass(repr=False, eq=False)
class TopicFilterToggled(Message):
    """A topic was added to or removed from the active filters."""

    key: str


@dataclass(repr=False, eq=False)
class RelatedFound(Message):
    """The related stories of an open article were found."""

    article_id: str
    rows: list[RelatedRow]


@dataclass(repr=False, eq=False)
class RelatedStoryChosen(Message):
    """The user chose a related story in the sidebar: open that article."""

    article_id: str


@dataclass(repr=False, eq=False)
class WatchToggled(Message):
    """The user turned a watchlist filter on or off in the sidebar."""

    name: str


@dataclass(repr=False, eq=False)
class BriefingExported(Message):
    """A briefing document was written (`error` set when it could not be)."""

    path: str | None
    stories: int
    error: str | None = None


@dataclass(repr=False, eq=False)
class FullTextFetched(Message):
    """The full text of an article was fetched and stored (`ok`), or why not (`reason`)."""

    article_id: str
    ok: bool
    reason: str | None


@dataclass(repr=False, eq=False)
class SentenceSelected(Message):
    """A fact was highlighted: show its sentence in the article text."""

    sentence: int | None


@dataclass(repr=False, eq=False)
class ReadFlagsWritten(Message):
    """Many read flags (mark all read, or its undo) were written to the store, or not."""

    count: int
    error: str | None = None


@dataclass(repr=False, eq=False)
class FeedChosen(Message):
    """The analyst chose a feed on the feeds screen: show its articles."""

    name: str


@dataclass(repr=False, eq=False)
class RefreshOneFeed(Message):
    """The analyst asked the feeds screen to refresh one feed."""

    name: str


@dataclass(repr=False, eq=False)
class StoreChanged(Message):
    """Another process (a scheduled fetch, another reader) committed to the store."""
