"""Full-text search latency on a 50k-article store, queries of every kind, warm index.

Builds a store of synthetic articles whose words follow a Zipf law over a 40k-word
vocabulary (plus names with diacritics and hyphenated designations), indexes it, then
times a few hundred queries: rare, middling and common words, two- and three-word ANDs,
folded names, prefixes, phrases, exclusions. Also reports the cold load and the cost of
indexing a 100-article ingest at full size (it must not grow with the store).
Last line: search_ms_median_50k=N search_ms_p95_50k=N search_index_build_s_50k=N
search_open_ms_50k=N search_ingest100_ms_50k=N
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.core.models.article import Article
from briefing.core.search.index import SearchIndex, search_index  # noqa: E402
from briefing.core.search.terms import index_text  # noqa: E402
from briefing.core.store.store import Store

NAMES = ["Recep Tayyip Erdoğan", "Mevlüt Çavuşoğlu", "Vladimir Putin", "Angela Merkel", "Kyriakos Mitsotakis",
         "Emmanuel Macron", "Sergei Lavrov", "Hulusi Akar", "Aleksandar Vučić", "Boyko Borissov",
         "Khalifa Haftar", "Fayez al-Sarraj", "Jens Stoltenberg", "Mike Pence", "Lindsey Graham"]
DESIGNATIONS = ["S-400", "F-35", "F-16", "TurkStream", "Nord Stream 2", "Su-57", "Patriot PAC-3"]
COMMON = ("the of and to in a said on for that with was as by at from is his it an be has were have "
          "not are which will but after this who their had been also they its more about over").split()
NEWS = ("minister talks pipeline sanctions defence agreement border summit gas deal troops election budget "
        "parliament missile ceasefire exports region officials week government president military "
        "security foreign ministry statement meeting forces offensive refugees energy trade").split()


def vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["ar", "en", "ol", "us", "ir", "an"]
    words: set[str] = set(NEWS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    ordered = list(NEWS) + sorted(words - set(NEWS))
    rng.shuffle(ordered[len(NEWS):])
    return ordered


class Corpus:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.words = COMMON + vocabulary(self.rng, 40_000)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        self.cum = list(itertools.accumulate(weights))

    def sentence(self, n: int) -> str:
        rng = self.rng
        words = rng.choices(self.words, cum_weights=self.cum, k=n)
        if rng.random() < 0.35:
            words.insert(rng.randrange(len(words)), rng.choice(NAMES))
        if rng.random() < 0.12:
            words.insert(rng.randrange(len(words)), rng.choice(DESIGNATIONS))
        return " ".join(words).capitalize() + "."

    def article(self, i: int, base: datetime) -> Article:
        paragraphs = [" ".join(self.sentence(self.rng.randint(12, 26)) for _ in range(3)) for _ in range(7)]
        return Article(id="", title=self.sentence(self.rng.randint(7, 12))[:-1], text="\n\n".join(paragraphs),
                       source="Bench Wire", feed="bench", link=f"https://bench.example/{i}",
                       guid=f"bench-{i}", published=base - timedelta(minutes=i * 7))

    def queries(self, n: int) -> list[str]:
        rng = self.rng
        content = self.words[len(COMMON):]
        bands = {"common": content[:60], "middle": content[60:3000], "rare": content[3000:30000]}
        c, r = bands["common"], bands["rare"]
        makers = [
            lambda: rng.choice(bands["rare"]),
            lambda: rng.choice(bands["middle"]),
            lambda: rng.choice(bands["common"]),
            lambda: f"{rng.choice(bands['middle'])} {rng.choice(bands['middle'])}",
            lambda: f"{rng.choice(bands['common'])} {rng.choice(bands['middle'])}",
            lambda: f"{rng.choice(c)} {rng.choice(c)} {rng.choice(r)}",
            lambda: rng.choice(["erdogan", "cavusoglu", "vucic", "Erdoğan putin", "merkel macron"]),
            lambda: rng.choice(["S-400", "f-35 turkey", "turkstream", "su-57"]),
            lambda: rng.choice(bands["middle"])[:4] + "*",
            lambda: f"{rng.choice(bands['common'])} -{rng.choice(bands['common'])}",
            lambda: rng.choice(['"recep tayyip erdogan"', '"nord stream"', '"vladimir putin" sanctions']),
        ]
        return [rng.choice(makers)() for _ in range(n)]


def build(home: Path, n: int, corpus: Corpus) -> None:
    base = datetime(2026, 11, 1, tzinfo=UTC)
    with Store.open(home) as store:
        for start in range(0, n, 5000):
            store.add_articles([corpus.article(i, base) for i in range(start, min(n, start + 5000))])


def rss_mib() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    corpus = Corpus()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        t = time.perf_counter()
        build(home, args.size, corpus)
        print(f"built a store of {args.size} articles in {time.perf_counter() - t:.1f}s")
        with Store.open(home) as store:
            store.articles()
            t = time.perf_counter()
            search_index(store).rebuild()
            build_s = time.perf_counter() - t
            size = sum(p.stat().st_size for p in store.root.glob("search.sqlite*"))
            print(f"indexed in {build_s:.1f}s ({size / 2**20:.0f} MiB on disk)")
        with Store.open(home) as store:
            store.articles()
            before = rss_mib()
            index = SearchIndex(store)  # a fresh object: a cold open from disk
            t = time.perf_counter()
            index.load()
            open_ms = 1000 * (time.perf_counter() - t)
            t = time.perf_counter()
            index.search("minister")
            print(f"cold open {open_ms:.0f} ms, first query {1000 * (time.perf_counter() - t):.0f} ms, "
                  f"{len(index)} documents, +{rss_mib() - before:.0f} MiB RSS")
            queries = corpus.queries(args.queries)
            for q in queries[:20]:
                index.search(q)
            times: dict[str, list[float]] = {}
            all_ms: list[float] = []
            empty = 0
            for q in queries:
                t = time.perf_counter()
                hits = index.search(q, limit=20)
                ms = 1000 * (time.perf_counter() - t)
                empty += not hits
                kind = "phrase" if '"' in q else "prefix" if q.endswith("*") else f"{len(q.split())}-word"
                times.setdefault(kind, []).append(ms)
                all_ms.append(ms)
            for kind, values in sorted(times.items()):
                print(f"  {kind:>7}: {len(values):3d} queries, median {statistics.median(values):5.1f} ms, "
                      f"max {max(values):6.1f} ms")
            print(f"{empty} of {len(queries)} queries found nothing")
            base = datetime(2026, 12, 1, tzinfo=UTC)
            fresh = [corpus.article(10_000_000 + i, base) for i in range(100)]
            added = store.add_articles(fresh).added
            t = time.perf_counter()
            from briefing.core.search.index import index_new_articles

            index_new_articles(store, added)
            print(f"indexing a 100-article ingest at {args.size}, index not loaded (CLI fetch): "
                  f"{1000 * (time.perf_counter() - t):.0f} ms")
            warm = SearchIndex(store)
            warm.load()
            fresh = [corpus.article(20_000_000 + i, base) for i in range(100)]
            texts = {aid: (index_text(a.title), index_text(a.text))
                     for aid in store.add_articles(fresh).added if (a := store.get(aid))}
            t = time.perf_counter()
            warm.add(texts)
            ingest_ms = 1000 * (time.perf_counter() - t)
            print(f"indexing a 100-article ingest at {args.size}, terms in hand (a refresh's workers "
                  f"made them): {ingest_ms:.0f} ms")
        median = statistics.median(all_ms)
        p95 = statistics.quantiles(all_ms, n=20)[-1]
        print(f"search_ms_median_50k={median:.1f} search_ms_p95_50k={p95:.1f} "
              f"search_index_build_s_50k={build_s:.1f} search_open_ms_50k={open_ms:.0f} "
              f"search_ingest100_ms_50k={ingest_ms:.0f}")


if __name__ == "__main__":
    main()
