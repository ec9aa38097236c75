"""Feeds as configured (feeds.toml) and as remembered between fetches (FeedState)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

FullTextMode = bool | Literal["auto"]
"""`full_text` in feeds.toml: true (every new article's page), false (never), or "auto"
(the page of each new article whose feed body is a summary: short, or cut)."""


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
    full_text: FullTextMode | None = None
    """Fetch the linked page for the full article text: true, false or "auto" (see
    `FullTextMode`); None takes `Settings.full_text`."""
    timeout: float | None = None
    """Per-feed override of settings.timeout (seconds)."""
    max_bytes: int | None = None
    """Per-feed override of settings.max_bytes."""
    keep_days: int | None = None
    """Per-feed override of settings.keep_days."""


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
    keep_days: int = 0
    """Articles older than this many days (by publication date, else by when they were
    stored) are removed after a fetch and by `briefing prune`; starred ones, the bundled
    samples and those a saved watchlist matches stay. 0 keeps everything."""
    lock_wait: float = 60.0
    """Seconds a write waits for another process's write to the store (a scheduled fetch
    beside a reader's refresh) before giving up with exit code 3."""
    full_text: FullTextMode = False
    """Every feed's `full_text` unless it says otherwise (the bundled feeds.toml: "auto")."""
    full_text_budget: int = 300
    """At most this many article pages requested in one refresh; the rest wait for the next."""
    full_text_gap: float = 0.5
    """Seconds between the starts of two page requests to one host (at most two at once)."""

    def full_text_of(self, feed: Feed) -> FullTextMode:
        """The feed's own `full_text`, else this default."""
        return self.full_text if feed.full_text is None else feed.full_text


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
