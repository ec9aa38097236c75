"""Score story clustering on the labelled corpus: the bundled samples plus synthetic rewrites.

Usage: python bench/clusters.py [--verbose] [--batch day|all|one]. Ingests the corpus
into a temporary store the way refreshes do (oldest first, one ingest per day by
default), then prints pairwise precision/recall/F1 against
tests/core/fixtures/clusters/labels.json, the wrong pairs with --verbose, and ends with
`cluster_precision=P cluster_recall=R`. Calls Python, not the CLI.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.core.ingest.pipeline import ingest  # noqa: E402
from briefing.core.models.article import Article  # noqa: E402
from briefing.core.store.store import Store  # noqa: E402
from briefing.core.stories import clusters  # noqa: E402
from tests.core.stories.cluster_corpus import load_corpus, pairwise_scores  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--verbose", "-v", action="store_true", help="list the wrong pairs")
    parser.add_argument("--batch", choices=("day", "all", "one"), default="day",
                        help="ingest per day (default), everything at once, or one article at a time")
    args = parser.parse_args(argv)

    articles, story = load_corpus()
    articles.sort(key=lambda item: (item[1].published.timestamp() if item[1].published else 0.0, item[0]))
    if args.batch == "all":
        batches = [articles]
    elif args.batch == "one":
        batches = [[item] for item in articles]
    else:
        batches = [list(group) for _, group in groupby(
            articles, key=lambda item: item[1].published.date() if item[1].published else None)]

    key_of: dict[str, str] = {}
    start = time.perf_counter()
    before = clusters.STATS.comparisons
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp)) as store:
        for batch in batches:
            for (key, _), aid in zip(batch, _ingest_batch(store, batch), strict=True):
                key_of[aid] = key
        seconds = time.perf_counter() - start
        predicted = {key_of[m.id]: clusters.cluster_of(m) for m in store.articles()}
        titles = {key_of[m.id]: m.title for m in store.articles()}

    precision, recall, tp, fp, fn = pairwise_scores(story, predicted)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    stories = len(set(story.values()))
    found = len(set(predicted.values()))
    print(f"articles {len(story)}, labelled stories {stories}, predicted clusters {found}")
    print(f"pairs: {tp} right, {fp} wrongly joined, {fn} missed")
    print(f"comparisons {clusters.STATS.comparisons - before}, {seconds * 1000:.0f} ms for "
          f"{len(batches)} ingests (facts included)")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    if args.verbose:
        keys = sorted(story)
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                same, guessed = story[a] == story[b], predicted[a] == predicted[b]
                if same != guessed:
                    label = "JOINED" if guessed else "MISSED"
                    print(f"  {label} {a} | {b}\n         {titles[a][:60]} | {titles[b][:60]}")
    print(f"cluster_precision={precision:.3f} cluster_recall={recall:.3f}")
    return 0


def _ingest_batch(store: Store, batch: list[tuple[str, Article]]) -> list[str]:
    """Ingest a batch and return each article's id, in the batch's order."""
    items = [a for _, a in batch]
    result = ingest(store, items)
    if len(result.added) != len(items):
        raise SystemExit(f"expected {len(items)} new articles, the store took {len(result.added)}")
    return list(result.added)


if __name__ == "__main__":
    raise SystemExit(main())
