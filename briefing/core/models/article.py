"""A stored story: clean text, where it came from, and its facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NotRequired, TypedDict

from briefing.core.models.facts import Facts


class PreparedData(TypedDict):
    """What `Article.prepared` holds: the facts in their stored form, the topics of the
    article's index row, and the terms story clustering and search index it by."""

    facts: dict[str, Any] | None
    topics: list[list[str]]
    topic_links: NotRequired[list[list[str]]]
    """(alias, topic name) pairs the facts join: "NATO" is the article's "North Atlantic
    Treaty Organization" (see `stories.topics.links_of`)."""
    title_words: list[str]
    words: dict[str, int]
    search: list[str]
    """The title's and the body's search terms, as the search index stores them."""


@dataclass(frozen=True, slots=True)
class Article:
    """A stored story: clean text plus where it came from."""

    id: str
    """Stable id derived from guid, canonical link or content (see store.article_id)."""
    title: str
    text: str
    """Clean plain text; paragraphs separated by one blank line."""
    source: str | None = None
    """The outlet ("Duvar English"); for feeds, the feed's own title."""
    feed: str | None = None
    """The feed name from feeds.toml, or "import" for stored files."""
    link: str | None = None
    guid: str | None = None
    author: str | None = None
    published: datetime | None = None
    fetched: datetime | None = None
    tags: tuple[str, ...] = ()
    facts: Facts | None = None
    read: bool = False
    starred: bool = False
    sample: bool = False
    """Part of the bundled sample corpus (written by the team, not real reporting)."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    prepared: bytes | None = field(default=None, compare=False, repr=False)
    """Facts and index terms a worker derived from the text, as one JSON blob, on their way
    to the store (see `ingest.prepare`); never stored itself. Set only with `facts` None:
    the blob is the facts, in the form the store keeps them."""

    def prepared_data(self) -> PreparedData | None:
        if self.prepared is None:
            return None
        import orjson

        data: PreparedData = orjson.loads(self.prepared)
        return data

    @property
    def topics(self) -> tuple[str, ...]:
        base = self.facts.topics if self.facts else ()
        return tuple(dict.fromkeys((*base, *self.tags)))
