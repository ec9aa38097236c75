"""What lists and filters hold for each article, and what adding articles reports.

The reader's first screen is built from these alone; keep this module free of the
heavier models (facts, feeds), which it never needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """The part of an article kept in memory for lists and filters."""

    id: str
    title: str
    source: str | None
    feed: str | None
    link: str | None
    ts: float | None
    """Published time as epoch seconds (None when unknown)."""
    topics: tuple[tuple[str, str], ...]
    """(name, kind) pairs: canonical entity names and key phrases, then feed tags."""
    sample: bool
    cluster: str | None
    read: bool = False
    starred: bool = False
    fetched: float | None = None
    """When it was stored (epoch seconds): the best guess of when an undated story was news."""
    pending: bool = False
    """Stored, its facts, topics and story not made yet (phase 2 of ingest still to come)."""
    text_kind: Literal["full", "summary"] = "full"
    """"summary": the stored text is a feed's summary, its page not (yet) fetched; for the
    list's mark. The article (`Article.page`) says when and from where, or why not."""

    @property
    def published(self) -> datetime | None:
        return datetime.fromtimestamp(self.ts, UTC) if self.ts is not None else None

    @property
    def topic_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.topics)

    def to_dict(self) -> dict[str, Any]:
        published = self.published
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "feed": self.feed,
            "link": self.link,
            "published": published.isoformat() if published else None,
            "topics": list(self.topic_names),
            "read": self.read,
            "starred": self.starred,
            "sample": self.sample,
            "cluster": self.cluster,
            "facts_pending": self.pending,
            "text_kind": self.text_kind,
        }


@dataclass(frozen=True, slots=True)
class AddResult:
    added: tuple[str, ...]
    duplicates: int

