"""Retention: which articles leave the store, and their removal.

An analyst with hundreds of feeds gathers thousands of articles a day; without a limit
the store only grows. `keep_days` (settings, or per feed) says how long news is kept,
counted from its publication date (else from when it was stored). What the analyst has
marked never leaves: starred articles, articles a saved watchlist matches, and the
bundled samples. Removed articles' keys are remembered, so a feed that still lists
them does not bring them back.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from briefing.core.models.feeds import Feed, Settings
from briefing.core.models.meta import ArticleMeta

DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Pruned:
    """What a pruning removed (or, on a dry run, would remove)."""

    articles: int
    bytes: int
    dry_run: bool = False

    @property
    def mib(self) -> float:
        return self.bytes / 2**20


def expired(
    metas: Sequence[ArticleMeta], settings: Settings, feeds: Sequence[Feed], *, now: datetime,
    keep: Collection[str] = (),
) -> list[str]:
    """Ids of the articles past their feed's `keep_days` (0 for a feed: it keeps all), except
    those in `keep` (watchlist matches), starred ones and samples."""
    days_of = {f.name: f.keep_days for f in feeds if f.keep_days is not None}
    if not settings.keep_days and not any(days_of.values()):
        return []
    stamp = now.timestamp()
    found: list[str] = []
    for meta in metas:
        days = days_of.get(meta.feed or "", settings.keep_days)
        when = meta.ts if meta.ts is not None else meta.fetched
        if (not days or when is None or when >= stamp - days * DAY or meta.starred or meta.sample
                or meta.id in keep):
            continue
        found.append(meta.id)
    return found
