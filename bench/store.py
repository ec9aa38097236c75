"""Store cost against store size: 1k, 50k and 500k articles, each measured in fresh processes.

Builds stores of realistic articles (~3 KB text plus facts; the files written directly,
see `build`), then times opening to the first 50 titles, marking one article read, and
ingesting 100 new articles (both phases: stored, then facts, stories and search terms),
and reads the memory a process holds once every article's metadata and the topic index
are loaded. Ratios 500k/1k show whether cost grows with the work or with the store; the
line before the last gives the write ratios in CPU time, which the machine's other work
and the disk's fsyncs do not move. `--keep DIR` keeps the largest stores between runs.
Each ingest's articles are removed once it is timed, so every run meets the store as
built: kept, a store gathered 300 near-identical articles on the probe's date per run,
and after ten runs each new article at 500k was compared with thousands of them while
the 1k store, built afresh, held at most 200.
Last line: open_ms_500k=N write_ratio_500k_vs_1k=R ingest100_ratio_500k_vs_1k=R rss_mib_500k=N
rss_mib_50k=N
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.core.ingest.pipeline import facts_version  # noqa: E402
from briefing.core.models.article import Article
from briefing.core.models.facts import DateRef, Entity, Facts, Quote, Sentence
from briefing.core.store.store import Store

WORDS = ("minister talks pipeline sanctions defence agreement border summit gas deal troops "
         "election budget parliament missile ceasefire exports region officials said week").split()
PEOPLE = [f"Person {c}{d}" for c in "ABCDEFGHIJ" for d in "KLMNOPQRST"]
PLACES = [f"Place {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


def synthetic(i: int, rng: random.Random, base: datetime) -> Article:
    sentences = [" ".join(rng.choice(WORDS) for _ in range(18)).capitalize() + "." for _ in range(22)]
    text = "\n\n".join(" ".join(sentences[j:j + 3]) for j in range(0, len(sentences), 3))
    people = rng.sample(PEOPLE, 4)
    places = rng.sample(PLACES, 3)
    spans, pos = [], 0
    for s in sentences:
        at = text.find(s, pos)
        spans.append(Sentence(s, at, at + len(s)))
        pos = at + len(s)
    facts = Facts(
        title=f"Story {i}",
        published="2019-11-16",
        sentences=(Sentence(f"Story {i}", -1, -1), *spans),
        entities=tuple(Entity(p, "person", (p.split()[-1],), "Minister", 3, 1) for p in people)
        + tuple(Entity(p, "place", (), None, 2, 2) for p in places),
        dates=(DateRef("Nov. 15", "2019-11-15", 3),),
        quotes=(Quote(sentences[4], people[0], 4),),
        key_sentences=(1, 2, 3),
        topics=tuple(people[:3] + places[:2]),
    )
    return Article(id="", title=f"Story {i}: " + " ".join(rng.choice(WORDS) for _ in range(8)),
                   text=text, source="Bench Wire", feed="bench", link=f"https://bench.example/{i}",
                   guid=f"bench-{i}", published=base - timedelta(minutes=i * 7), facts=facts,
                   extra={"facts_version": VERSION})  # as a store briefing built itself


VERSION = facts_version()
NEWEST = datetime(2026, 11, 20, 12, tzinfo=UTC)
"""The newest stored article's date; one every 7 minutes before it. The ingest probe's
articles are dated half an hour later, as a day's refresh meets a store that was
fetched yesterday: at every size, the story index reads the month around them (all of
a 1k store, 6,000 articles of a larger one). A store ending weeks before the probe's
articles measured ingest with an index of nothing near them. (The synthetic articles
share no words or names with the probe's, so none is scored as a candidate: that cost
is per new article, whatever the store's size.)"""
TEMPLATES = 400
"""Distinct synthetic articles; the rest of a large store repeats them under new ids and
dates (the store's costs depend on the count of rows, not on their words)."""


def build(home: Path, n: int) -> None:
    """A store of n articles, its files written directly (as `Store.add_articles` writes
    them, with the dedupe keys and the segment summary) and its search index built: half
    a million through the store's own batches would take most of an hour."""
    import orjson

    from briefing.core.search.index import search_index
    from briefing.core.store.base import SCHEMA_VERSION, SEGMENT_SIZE
    from briefing.core.store.identity import canonical_link, content_hash
    from briefing.core.store.keys import _RECORD, _record
    from briefing.core.stories.topic_names import links_of, topics_of

    rng = random.Random(n)
    base = NEWEST  # the new articles of the ingest probe come just after the stored ones
    templates = [synthetic(i, rng, base) for i in range(min(n, TEMPLATES))]
    bodies = [orjson.dumps({"text": a.text, "author": None, "facts": a.facts.to_dict() if a.facts else None,
                            "extra": a.extra}) for a in templates]
    topics = [topics_of(a) for a in templates]
    links = [links_of(a) for a in templates]
    hashes = [content_hash(a.title, a.text) for a in templates]
    root = home / "store"
    for sub in ("index", "bodies", "state"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict[str, float]] = {}
    keys = bytearray()
    for segment, start in enumerate(range(0, n, SEGMENT_SIZE), start=1):
        rows: dict[str, object] = {}
        parts = []
        stamps = []
        for i in range(start, min(n, start + SEGMENT_SIZE)):
            t = i % len(templates)
            aid = f"{rng.getrandbits(48):012x}"
            doc = str(int(aid, 16))
            ts = (base - timedelta(minutes=i * 7)).timestamp()
            link = f"https://bench.example/{i}"
            chash = hashes[t] if i < len(templates) else f"{hashes[t][:-8]}{i:08x}"
            rows[doc] = {"id": aid, "title": f"{templates[t].title} #{i}", "source": "Bench Wire",
                         "feed": "bench", "link": link, "guid": f"bench-{i}", "hash": chash, "ts": ts,
                         "fetched": ts, "tags": [], "topics": topics[t], "topic_links": links[t],
                         "seg": segment, "sample": False, "cluster": None, "fv": VERSION}
            parts.append(b'"' + doc.encode() + b'":' + bodies[t])
            stamps.append(ts)
            keys += _RECORD.pack(*_record(aid, f"bench-{i}", canonical_link(link), chash))
        (root / "index" / f"{segment:06d}.json").write_bytes(orjson.dumps({"articles": rows}))
        (root / "bodies" / f"{segment:06d}.json").write_bytes(b'{"bodies":{' + b",".join(parts) + b"}}")
        summary[str(segment)] = {"max_ts": max(stamps), "count": len(stamps), "lo": min(stamps),
                                 "hi": max(stamps)}
    (root / "segments.json").write_bytes(orjson.dumps({"segments": summary}))
    (root / "keys.bin").write_bytes(bytes(keys))
    (root / "store.json").write_bytes(orjson.dumps(
        {"meta": {"1": {"schema": SCHEMA_VERSION, "samples_loaded": True}}}))
    with Store.open(home) as store:
        search_index(store).rebuild()


PROBE = r"""
import json, resource, sys, time
from pathlib import Path
from datetime import UTC, datetime
mode, home = sys.argv[1], Path(sys.argv[2])
t0 = time.perf_counter()
from briefing.core.store.store import Store
if mode == "open":
    t1 = time.perf_counter()
    store = Store.open(home, readonly=True)
    titles = [a.title for a in store.recent(50)]
    t2 = time.perf_counter()
    assert len(titles) == 50
    store.articles(); store.topic_index()
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the (large) parent.
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
    rss = int(hwm.split()[1]) / 1024
    print(json.dumps({"ms": (t2 - t1) * 1000, "rss": rss}))
elif mode == "read":
    store = Store.open(home)
    target = store.recent(60)[-1].id
    flag = not store.meta(target).read
    # The first write of a process: it also checks what other processes wrote since.
    t1, c1 = time.perf_counter(), time.process_time()
    store.set_read([target], flag)
    t2, c2 = time.perf_counter(), time.process_time()
    store.close()
    print(json.dumps({"ms": (t2 - t1) * 1000, "cpu": (c2 - c1) * 1000}))
elif mode == "ingest":
    from briefing.core.ingest.pipeline import ingest
    from briefing.core.models.article import Article
    import random
    store = Store.open(home)
    tag = random.getrandbits(48)
    body = open(sys.argv[3]).read()
    when = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)
    arts = [Article(id="", title=f"Fresh {tag} {i}", text=body.replace("Russian", f"Russian{i}"),
                    link=f"https://fresh.example/{tag}/{i}", published=when)
            for i in range(100)]
    from briefing.core import facts  # the engine's import is not the store's cost
    t1, c1 = time.perf_counter(), time.process_time()
    added = ingest(store, arts).added
    t2, c2 = time.perf_counter(), time.process_time()
    assert len(added) == 100, len(added)
    from briefing.core.search.index import search_index
    store.remove_articles(added)  # the next run ingests into the store as built (as prune does)
    search_index(store).remove(added)
    store.close()
    print(json.dumps({"ms": (t2 - t1) * 1000, "cpu": (c2 - c1) * 1000}))
"""


def probe(mode: str, home: Path, *extra: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE, mode, str(home), *extra],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


KEEP_FROM = 100_000
"""Stores this large are worth keeping between runs (half a million takes minutes to
build); smaller ones are built afresh."""
BUILT = "built"
"""Written into a store's home once its build is whole: a build killed halfway is redone."""


def stored(keep: Path | None, n: int) -> Path | None:
    """Where a store of n articles is kept between runs, if it is."""
    return keep / f"s{n}" if keep is not None and n >= KEEP_FROM else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,50000,500000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help=f"build stores of {KEEP_FROM:,} articles or more once into DIR and reuse "
                             "them in later runs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    body_file = Path(tempfile.mkdtemp()) / "body.txt"
    body_file.write_text(
        "Russian President Vladimir Putin met Turkish President Recep Tayyip Erdoğan in Sochi on "
        "Tuesday, officials said. The two leaders discussed the TurkStream pipeline and a $2.5 billion "
        "deal. \"We agreed on every point,\" Putin told reporters.\n\n" * 6
    )
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            home = stored(args.keep, n) or Path(tmp) / f"s{n}"
            if (home / BUILT).exists():
                print(f"reusing {n} articles built in {home}")
            else:
                shutil.rmtree(home, ignore_errors=True)  # a build killed halfway
                t = time.perf_counter()
                build(home, n)
                (home / BUILT).touch()
                size = sum(p.stat().st_size for p in (home / "store").rglob("*") if p.is_file())
                took = time.perf_counter() - t
                print(f"built {n} articles in {took:.1f}s ({size / 2**20:.0f} MiB on disk)")
            # Interleave the three measures so machine noise spreads over all of them.
            opens, reads, read_cpu, ingests, ingest_cpu, rss = [], [], [], [], [], []
            for _ in range(args.runs):
                o = probe("open", home)
                opens.append(o["ms"])
                rss.append(o["rss"])
                r = probe("read", home)
                reads.append(r["ms"])
                read_cpu.append(r["cpu"])
            for _ in range(max(3, args.runs // 2)):
                i = probe("ingest", home, str(body_file))
                ingests.append(i["ms"])
                ingest_cpu.append(i["cpu"])
            results[n] = {
                "open": statistics.median(opens),
                "read": statistics.median(reads),
                "read_cpu": statistics.median(read_cpu),
                "ingest": statistics.median(ingests),
                "ingest_cpu": statistics.median(ingest_cpu),
                "rss": max(rss),
            }
            r = results[n]
            print(f"{n:>6} articles: open to 50 titles {r['open']:.0f} ms, mark read {r['read']:.1f} ms "
                  f"({r['read_cpu']:.1f} ms CPU), ingest 100 {r['ingest']:.0f} ms "
                  f"({r['ingest_cpu']:.0f} ms CPU), "
                  f"peak RSS after full index {r['rss']:.0f} MiB")
    small, large = results[sizes[0]], results[sizes[-1]]
    label = f"{sizes[-1] // 1000}k"
    middle = results.get(50_000, {}).get("rss", float("nan"))
    write_ratio = large["read"] / small["read"]
    print(f"CPU time only (other processes' load and the disk's fsyncs left out): write_ratio_{label}_vs_1k="
          f"{large['read_cpu'] / small['read_cpu']:.2f} ingest100_ratio_{label}_vs_1k="
          f"{large['ingest_cpu'] / small['ingest_cpu']:.2f}")
    print(f"open_ms_{label}={large['open']:.0f} write_ratio_{label}_vs_1k={write_ratio:.2f} "
          f"ingest100_ratio_{label}_vs_1k={large['ingest'] / small['ingest']:.2f} "
          f"rss_mib_{label}={large['rss']:.0f} rss_mib_50k={middle:.0f}")


if __name__ == "__main__":
    main()
