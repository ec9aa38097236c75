"""A stored story: clean text, where it came from, and its facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, NotRequired, TypedDict

from briefing.core.models.facts import Facts

TextKind = Literal["full", "summary"]
"""What an article's stored text is: the whole story, or a feed's summary of it."""

PAGE_FAILURES_MAX = 3
"""A page that failed this many times is left alone (its last reason kept)."""


def _when(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class NewText:
    """A page's text on its way to replace an article's summary."""

    text: str
    lede: str | None
    """The summary it replaces, kept as the article's lede."""
    published: datetime | None = None
    """The date the page states: the article's, if its feed gave none."""


@dataclass(frozen=True, slots=True)
class PageState:
    """An article's web page as far as full text goes, kept per article in the store: a
    refresh or a backfill resumes from it, a page is never fetched twice, and the reader
    says what the article holds."""

    fetched: datetime | None = None
    """When the page's text replaced the feed's (None: it never has)."""
    host: str | None = None
    """The host the page's text came from (after redirects)."""
    etag: str | None = None
    """The page's validators, for a conditional request next time."""
    last_modified: str | None = None
    tried: datetime | None = None
    """The last request for the page."""
    failures: int = 0
    """Attempts that gave no full text; at PAGE_FAILURES_MAX the page is left alone."""
    error: str | None = None
    """Why the last attempt gave no full text, one line (None after a success)."""

    @property
    def given_up(self) -> bool:
        return self.failures >= PAGE_FAILURES_MAX

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "fetched": self.fetched.isoformat() if self.fetched else None, "host": self.host,
            "etag": self.etag, "last_modified": self.last_modified,
            "tried": self.tried.isoformat() if self.tried else None,
            "failures": self.failures, "error": self.error,
        }
        return {k: v for k, v in data.items() if v not in (None, 0)}

    @classmethod
    def from_dict(cls, data: object) -> PageState:
        if not isinstance(data, dict):
            return cls()

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        failures = data.get("failures")
        return cls(fetched=_when(data.get("fetched")), host=text("host"), etag=text("etag"),
                   last_modified=text("last_modified"), tried=_when(data.get("tried")),
                   failures=failures if isinstance(failures, int) and failures > 0 else 0,
                   error=text("error"))


class PreparedData(TypedDict):
    """What `Article.prepared` holds: the facts in their stored form, the topics of the
    article's index row, and the terms story clustering and search index it by."""

    facts: dict[str, Any] | None
    topics: list[list[str]]
    topic_links: NotRequired[list[list[str]]]
    """(alias, topic name) pairs the facts join: "NATO" is the article's "North Atlantic
    Treaty Organization" (see `stories.topic_names.links_of`)."""
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
    text_kind: TextKind = "full"
    """"summary" when the text is a feed's summary (short, or cut) whose page has not been
    fetched, or could not be; "full" otherwise."""
    lede: str | None = None
    """The feed's summary, kept when the page's full text replaced it (shown above the text
    by a reader that wants to; never part of `text`, so facts and search see the page once)."""
    page: PageState | None = None
    """The article's page: when its text was fetched and from where, or why it was not."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    prepared: bytes | None = field(default=None, compare=False, repr=False)
    """Facts and index terms a worker derived from the text, as one JSON blob, on their way
    to the store (see `ingest.prepare`); never stored itself. Set only with `facts` None:
    the blob is the facts, in the form the store keeps them."""
    keys: tuple[str | None, str] | None = field(default=None, compare=False, repr=False)
    """(canonical link, content hash), where the worker that parsed the article computed
    them on its way to the store (see `ingest.with_keys`); never stored as such. None:
    the store computes them. Set last: an article changed after it must drop them."""

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


def text_line(article: Article, fetch_hint: str) -> str | None:
    """What the text is, in one line, for a reader deciding whether to trust it as the whole
    story: "full text · fetched 12 Jan 14:05 from host", or "summary only" with why the page
    is not there (or `fetch_hint`, how to fetch it). None for a stored file or a feed that
    carries whole articles: there is nothing to say."""
    page = article.page
    if article.text_kind == "full":
        if page is not None and page.fetched is not None:
            when = page.fetched.astimezone().strftime("%d %b %H:%M")
            return f"full text · fetched {when} from {page.host or 'its page'}"
        return None
    if page is not None and page.error:
        left = " (left alone)" if page.given_up else ""
        return f"summary only · the page failed{left}: {page.error}"
    return f"summary only · {fetch_hint}"
