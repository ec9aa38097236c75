"""The columns cache must give a later process exactly what the index files hold."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from briefing.core.ingest.pipeline import ingest
from briefing.core.models.article import Article
from briefing.core.store.store import Store


def _varied(i: int) -> Article:
    """Articles whose index rows differ in every field the columns hold."""
    return Article(
        id="",
        title=f"Erdoğan–Putin talks № {i} \u201cquoted\u201d" if i % 3 else f"Story {i}",
        text=f"Recep Tayyip Erdoğan met Vladimir Putin in Sochi on day {i}. NATO (the North Atlantic "
             f"Treaty Organization) said so." if i % 4 else f"Plain text {i}.",
        link=None if i % 5 == 0 else f"https://news.example/{i}",
        guid=f"g-{i}",
        published=None if i % 7 == 0 else datetime(2026, 11, 1 + i % 20, tzinfo=UTC),
        feed=None if i % 6 == 0 else f"feed {i % 3}",
        source=None if i % 6 == 0 else f"Source {i % 4}",
        tags=("energy",) if i % 2 else (),
        text_kind="summary" if i % 9 == 0 else "full",
    )


def _everything(store: Store) -> dict[str, tuple[object, ...]]:
    return {m.id: (m, store.meta(m.id)) for m in store.articles()}


def test_a_later_process_reads_the_columns_from_the_cache_as_from_the_index(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        added = ingest(store, [_varied(i) for i in range(900)]).added  # three segments, with facts
        store.set_read(list(added[:50]), True)
        store.set_clusters({added[1]: added[0]})
    with Store.open(tmp_path) as store:  # reads the index files, and caches their columns
        from_files = _everything(store)
        by_file = {aid: store._cols.row(store._slot(aid)) for aid in from_files}  # type: ignore[arg-type]
    caches = sorted((tmp_path / "store" / "cache").glob("*.cols"))
    assert len(caches) == 3
    with Store.open(tmp_path) as store:
        from_cache = _everything(store)
        by_cache = {aid: store._cols.row(store._slot(aid)) for aid in from_cache}  # type: ignore[arg-type]
        assert len(from_cache) == 900
        assert from_cache == from_files and by_cache == by_file
        topics = {t.key: t.count for t in store.topic_index().topics.values()}
    assert any(count > 100 for count in topics.values())


def test_a_changed_or_damaged_segment_is_read_from_its_index_file(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        added = ingest(store, [_varied(i) for i in range(500)]).added
    with Store.open(tmp_path) as store:
        expected = _everything(store)  # caches written
    with Store.open(tmp_path) as store:  # another writer changes the second segment after the caching
        store.set_clusters({added[450]: added[449]})
    cache = tmp_path / "store" / "cache"
    first, second = sorted(cache.glob("*.cols"))
    second.write_bytes(second.read_bytes()[:100])
    first.write_bytes(first.read_bytes()[:-5])  # cut inside its last link: not whole, not used
    with Store.open(tmp_path) as store:
        found = _everything(store)
        meta = store.meta(added[450])
        assert meta is not None and meta.cluster == added[449]
    del found[added[450]], expected[added[450]]
    assert found == expected
    assert len(first.read_bytes()) > len(second.read_bytes()) > 100  # both written again


def test_a_read_only_store_writes_no_cache(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        ingest(store, [_varied(i) for i in range(20)])
    with Store.open(tmp_path, readonly=True) as store:
        assert len(store.articles()) == 20
    assert not list((tmp_path / "store").glob("cache/*.cols"))


def test_a_reader_with_cached_columns_sees_another_writers_rows(tmp_path: Path) -> None:
    """Columns from the cache must not hide the segment's later writes from a reader."""
    with Store.open(tmp_path) as store:
        ingest(store, [_varied(i) for i in range(250)])
    with Store.open(tmp_path) as store:
        store.articles()  # the one segment's cache written
    with Store.open(tmp_path, readonly=True) as reader:
        assert len(reader.articles()) == 250  # from the cache
        with Store.open(tmp_path) as writer:  # appends to the same segment
            added = writer.add_articles([_varied(i) for i in range(1000, 1040)]).added
        assert len(added) == 40
        assert reader.poll_changes()
        assert len(reader.articles()) == 290 and reader.meta(added[-1]) is not None
