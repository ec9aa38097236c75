"""Ingest attaches facts made by the current engine, and redoes facts from an older one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from briefing.core.ingest.pipeline import facts_version, ingest, refresh_stale_facts
from briefing.core.models.article import Article
from briefing.core.models.facts import Facts
from briefing.core.store.store import Store

TEXT = ("Turkish President Recep Tayyip Erdoğan met Russian President Vladimir Putin in Sochi "
        "on Tuesday. Erdoğan said the talks went well.")


def article(i: int) -> Article:
    return Article(id="", title=f"Leaders meet {i}", text=TEXT + f" Round {i}.",
                   link=f"https://x.example/{i}", published=datetime(2019, 10, 22, tzinfo=UTC))


def test_ingest_extracts_facts_and_records_the_engine_version(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        (aid,) = ingest(store, [article(1)]).added
        stored = store.get(aid)
        assert stored is not None and stored.facts is not None
        assert any(e.name == "Vladimir Putin" for e in stored.facts.entities)
        assert store.stale_facts(facts_version()) == []
        assert "Vladimir Putin" in store.articles()[0].topic_names


def test_facts_from_an_older_engine_are_redone(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        old = Article(id="", title="Old", text=TEXT, link="https://x.example/old",
                      facts=Facts(topics=("Stale",)), extra={"facts_version": "old"})
        (aid,) = store.add_articles([old]).added
        ingest(store, [article(2)])
        assert store.stale_facts(facts_version()) == [aid]
        assert refresh_stale_facts(store) == 1
        assert store.stale_facts(facts_version()) == []
    with Store.open(tmp_path) as store:
        redone = store.get(aid)
        assert redone is not None and redone.facts is not None
        assert "Stale" not in redone.facts.topics
        assert "Recep Tayyip Erdoğan" in redone.facts.topics


def test_large_batches_use_worker_processes_even_from_a_thread() -> None:
    """The reader refreshes from a thread: the pool must start cleanly from one."""
    import threading

    from briefing.core.ingest.pipeline import POOL_THRESHOLD, with_facts

    batch = [Article(id="", title=f"Talks {i}", text=f"Vladimir Putin met officials in Ankara on day {i}.")
             for i in range(POOL_THRESHOLD)]
    results: list[list[Article]] = []
    worker = threading.Thread(target=lambda: results.append(with_facts(batch, workers=2)))
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    (done,) = results
    assert len(done) == POOL_THRESHOLD
    assert all(a.facts is not None and "Vladimir Putin" in a.facts.topics for a in done)


def test_articles_prepared_by_a_worker_are_stored_as_articles_with_their_facts(tmp_path: Path) -> None:
    """The blob a worker sends (`prepare`) must give the very store the Facts objects give:
    rows, bodies, story clusters and search hits."""
    from briefing.core.ingest.importers import iter_files, read_file
    from briefing.core.ingest.pipeline import _with_facts, prepare, store_articles, with_id
    from briefing.core.search.index import search

    samples = Path(__file__).resolve().parents[3] / "briefing" / "samples" / "articles"
    stamp = datetime(2026, 1, 2, tzinfo=UTC)  # else each store stamps its own time
    articles = [with_id(replace(a, fetched=stamp)) for path, refused in iter_files([samples]) if not refused
                for a in read_file(path).articles]
    assert len(articles) >= 20
    prepared = [prepare(a) for a in articles]
    assert all(a.prepared is not None and a.facts is None for a in prepared)
    stores: list[tuple[list[tuple[Article | None, str | None]], list[list[str]]]] = []
    for name, batch in (("plain", [_with_facts(a) for a in articles]), ("prepared", prepared)):
        with Store.open(tmp_path / name) as store:
            store_articles(store, batch[:10])
            store_articles(store, batch[10:])
            stored = [(store.get(a.id), meta.cluster if (meta := store.meta(a.id)) else None)
                      for a in articles]
            hits = [[hit.id for hit in search(store, query)]
                    for query in ("Erdoğan", "pipeline gas", "\"arms embargo\"", "Libya")]
            stores.append((stored, hits))
    (plain, plain_hits), (via_blob, blob_hits) = stores
    assert via_blob == plain and blob_hits == plain_hits
    assert any(hits for hits in plain_hits)
    assert all(a is not None and a.facts is not None and a.facts.entities for a, _ in via_blob)
    assert len({cluster for _, cluster in plain}) < len(plain)  # some stories did form
