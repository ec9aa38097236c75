"""The nouns of briefing: feeds, articles and the facts extracted from them.

Frozen dataclasses with plain-data round trips (`to_dict`/`from_dict`), so the
store, the CLI's JSON and the TUI all agree on one shape. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypedDict

EntityType = Literal["person", "organization", "place", "other"]
QuantityKind = Literal["money", "percent", "quantity"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_iso(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Feed:
    """One subscription from feeds.toml."""

    name: str
    """Display name, unique within the config."""
    url: str
    """http(s) URL, or a `file:` URL for local feeds (paths are normalised to file URLs)."""
    tags: tuple[str, ...] = ()
    """User tags; they become topics of every article of the feed."""
    full_text: bool = False
    """Fetch the linked page for the full article text (feeds that carry summaries only)."""
    timeout: float | None = None
    """Per-feed override of settings.timeout (seconds)."""
    max_bytes: int | None = None
    """Per-feed override of settings.max_bytes."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The `[settings]` table of feeds.toml."""

    refresh_minutes: int = 30
    """How often the reader refreshes in the background; 0 turns it off."""
    concurrency: int = 8
    """How many feeds are fetched at once."""
    timeout: float = 15.0
    """Seconds to connect and between bytes."""
    deadline: float = 60.0
    """Total seconds one feed may take, however slowly its bytes trickle."""
    max_bytes: int = 10 * 1024 * 1024
    """Largest body accepted, counted after decompression."""
    max_redirects: int = 5
    """Redirects followed before a feed is given up."""


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store remembers about a feed between fetches."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    """The reason the last fetch failed, one line; None after a success."""
    article_count: int = 0
    retry_after: datetime | None = None
    """Set from 429/503 Retry-After: no fetch before this time."""
    gone: bool = False
    """The server said 410 Gone; the feed is no longer fetched."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "last_fetch": _iso(self.last_fetch),
            "last_success": _iso(self.last_success),
            "last_error": self.last_error,
            "article_count": self.article_count,
            "retry_after": _iso(self.retry_after),
            "gone": self.gone,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedState:
        return cls(
            url=str(data.get("url", "")),
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            last_fetch=_parse_iso(data.get("last_fetch")),
            last_success=_parse_iso(data.get("last_success")),
            last_error=data.get("last_error"),
            article_count=int(data.get("article_count") or 0),
            retry_after=_parse_iso(data.get("retry_after")),
            gone=bool(data.get("gone", False)),
        )


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, so every fact can point back at its source."""

    text: str
    start: int
    """Offset of the sentence in the article body; -1 for the title (sentence 0)."""
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical real-world entity: one per person, however many spellings."""

    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    role: str | None = None
    """Title or apposition, e.g. "senior aide to Turkish President Recep Tayyip Erdoğan"."""
    mentions: int = 1
    sentence: int = 0
    """Index (into Facts.sentences) of the first mention."""


@dataclass(frozen=True, slots=True)
class DateRef:
    text: str
    value: str
    """Normalised: YYYY, YYYY-MM or YYYY-MM-DD."""
    sentence: int = 0


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    kind: QuantityKind
    value: float | None = None
    unit: str | None = None
    """Currency code for money ("USD"), "%" for percent, the counted noun otherwise."""
    sentence: int = 0
    high: float | None = None
    """The upper end when the text gives a range ("20 to 30 percent": value 20, high 30)."""


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None = None
    sentence: int = 0


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything extracted from one article; computed at ingest, stored with it."""

    title: str = ""
    published: str | None = None
    """YYYY-MM-DD the facts were normalised against."""
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    dates: tuple[DateRef, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    key_sentences: tuple[int, ...] = ()
    """Indexes into `sentences`, most important first."""
    topics: tuple[str, ...] = ()
    """Canonical names of the salient entities plus a few key phrases."""
    failures: tuple[str, ...] = ()
    """The kinds of fact whose extractor failed on this article, each as "kind: Error"
    ("quantities: IndexError"). Those kinds are empty; the others are kept (those that build
    on a failed kind know less: quotes have no speakers when entities failed)."""

    def key_sentence_texts(self) -> list[str]:
        return [self.sentences[i].text for i in self.key_sentences if 0 <= i < len(self.sentences)]

    def to_dict(self) -> dict[str, Any]:
        """The public JSON schema of `briefing facts --json` (plus sentence indexes).

        "failures" is there only when some extractor failed, so the facts of every article
        that was extracted whole keep the shape they always had."""
        out: dict[str, Any] = {
            "title": self.title,
            "published": self.published,
            "entities": [
                {
                    "name": e.name,
                    "type": e.type,
                    "aliases": list(e.aliases),
                    "role": e.role,
                    "mentions": e.mentions,
                    "sentence": e.sentence,
                }
                for e in self.entities
            ],
            "dates": [{"text": d.text, "value": d.value, "sentence": d.sentence} for d in self.dates],
            "quantities": [_quantity_dict(q) for q in self.quantities],
            "quotes": [{"text": q.text, "speaker": q.speaker, "sentence": q.sentence} for q in self.quotes],
            "key_sentences": self.key_sentence_texts(),
            "key_sentence_ids": list(self.key_sentences),
            "topics": list(self.topics),
            "sentences": [[s.text, s.start, s.end] for s in self.sentences],
        }
        if self.failures:
            out["failures"] = list(self.failures)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Facts:
        return cls(
            title=str(data.get("title", "")),
            published=data.get("published"),
            sentences=tuple(Sentence(str(t), int(a), int(b)) for t, a, b in data.get("sentences", [])),
            entities=tuple(
                Entity(
                    name=e["name"],
                    type=e["type"],
                    aliases=tuple(e.get("aliases", ())),
                    role=e.get("role"),
                    mentions=int(e.get("mentions", 1)),
                    sentence=int(e.get("sentence", 0)),
                )
                for e in data.get("entities", [])
            ),
            dates=tuple(
                DateRef(d["text"], d["value"], int(d.get("sentence", 0))) for d in data.get("dates", [])
            ),
            quantities=tuple(_quantity_from(q) for q in data.get("quantities", [])),
            quotes=tuple(
                Quote(q["text"], q.get("speaker"), int(q.get("sentence", 0))) for q in data.get("quotes", [])
            ),
            key_sentences=tuple(int(i) for i in data.get("key_sentence_ids", [])),
            topics=tuple(data.get("topics", [])),
            failures=tuple(str(f) for f in data.get("failures", ())),
        )


def _quantity_dict(q: Quantity) -> dict[str, Any]:
    out = {"text": q.text, "kind": q.kind, "value": q.value, "unit": q.unit, "sentence": q.sentence}
    if q.high is not None:  # only ranges carry it: every other quantity keeps its old shape
        out["high"] = q.high
    return out


def _quantity_from(q: dict[str, Any]) -> Quantity:
    sentence = int(q.get("sentence", 0))
    return Quantity(q["text"], q["kind"], q.get("value"), q.get("unit"), sentence, q.get("high"))


class PreparedData(TypedDict):
    """What `Article.prepared` holds: the facts in their stored form, the topics of the
    article's index row, and the terms story clustering and search index it by."""

    facts: dict[str, Any] | None
    topics: list[list[str]]
    title_words: list[str]
    words: dict[str, int]
    terms: dict[str, int]
    pairs: list[int]


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
