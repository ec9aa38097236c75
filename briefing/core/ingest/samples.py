"""The bundled sample corpus: loaded once into an empty store so a first run has news.

Samples are marked (`sample=True`, outlets named "(sample)"); the bundled feeds go
through the same parse path as real feeds, read from local files.
"""

from __future__ import annotations

from datetime import UTC, datetime

from briefing.core.errors import FetchError
from briefing.core.ingest.pipeline import import_paths, ingest
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed
from briefing.core.paths import samples_dir
from briefing.core.store.store import Store


def ensure_samples(store: Store) -> int:
    """Load the samples into a store that never had them; returns how many were added."""
    if store.readonly or store.info().get("samples_loaded") or len(store) > 0:
        return 0
    added = load_samples(store)
    store.set_info(samples_loaded=True)
    return added


def load_samples(store: Store) -> int:
    from dataclasses import replace

    from briefing.core.feeds.parse import parse_feed

    root = samples_dir()
    total = 0
    with store.batch():
        articles_dir = root / "articles"
        if articles_dir.is_dir():
            _, result = import_paths(store, [articles_dir], sample=True)
            total += len(result.added)
        feed_articles: list[Article] = []
        feeds_dir = root / "feeds"
        for path in sorted(feeds_dir.glob("*")) if feeds_dir.is_dir() else []:
            if path.suffix not in (".xml", ".atom", ".rss"):
                continue
            feed = Feed(name=f"{path.stem} (sample)", url=path.resolve().as_uri())
            try:
                parsed = parse_feed(path.read_bytes(), {}, feed, fetched=datetime.now(UTC))
            except (OSError, FetchError):
                continue
            feed_articles += [replace(a, sample=True) for a in parsed.articles]
        if feed_articles:
            total += len(ingest(store, feed_articles).added)
    return total
