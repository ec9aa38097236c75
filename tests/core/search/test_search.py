"""Full-text search: ranking, folding, query syntax, incremental segments, self-repair, CLI."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from briefing.cli import main
from briefing.core.ingest.pipeline import ingest
from briefing.core.models.article import Article
from briefing.core.search import index as search_mod
from briefing.core.search.index import SearchIndex, index_new_articles, parse_query, search, search_index
from briefing.core.store.store import Store

BASE = datetime(2019, 11, 13, 12, tzinfo=UTC)


def article(n: int, title: str, text: str) -> Article:
    return Article(id="", title=title, text=text, source="Test Wire", feed="test",
                   link=f"https://example.org/{n}", guid=f"g-{n}", published=BASE - timedelta(hours=n))


CORPUS = [
    article(1, "Erdoğan meets Trump at the White House", "The two leaders discussed the S-400 system."),
    article(2, "Pipeline politics", "Erdoğan mentioned in passing. Gas flows through TurkStream."),
    article(3, "İstanbul hosts energy talks", "Ministers met in İstanbul to discuss Nord Stream 2."),
    article(4, "Baltic news", "Stream operators in the north said the Nord region is calm."),
    article(5, "Senate sanctions vote", "The Senate voted on sanctions against Turkey over the F-35."),
    article(6, "EU sanctions framework", "Brussels agreed sanctions over drilling off Cyprus."),
]


def titles(store: Store, query: str, limit: int = 10) -> list[str]:
    return [store.meta(h.id).title for h in search(store, query, limit=limit)]  # type: ignore[union-attr]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path)
    index_new_articles(s, s.add_articles(CORPUS).added)
    return s


def test_title_match_ranks_first_and_every_match_is_found(store: Store) -> None:
    found = titles(store, "erdogan")
    assert found == ["Erdoğan meets Trump at the White House", "Pipeline politics"]


def test_diacritics_and_case_fold_both_ways(store: Store) -> None:
    assert titles(store, "ERDOGAN") == titles(store, "Erdoğan") == titles(store, "erdoğan")
    assert titles(store, "istanbul") == ["İstanbul hosts energy talks"]


def test_words_are_anded_and_excluded_words_remove(store: Store) -> None:
    assert titles(store, "sanctions turkey") == ["Senate sanctions vote"]
    assert set(titles(store, "sanctions")) == {"Senate sanctions vote", "EU sanctions framework"}
    assert titles(store, "sanctions -senate") == ["EU sanctions framework"]
    assert titles(store, "sanctions unicorn") == []


def test_phrase_prefix_and_hyphenated_designations(store: Store) -> None:
    assert set(titles(store, "nord stream")) == {"İstanbul hosts energy talks", "Baltic news"}
    assert titles(store, '"nord stream"') == ["İstanbul hosts energy talks"]
    assert set(titles(store, "turk*")) == {"Senate sanctions vote", "Pipeline politics"}  # turkey, turkstream
    assert titles(store, "S-400") == titles(store, "s400") == ["Erdoğan meets Trump at the White House"]
    assert titles(store, "f-35") == ["Senate sanctions vote"]


def test_common_words_alone_find_nothing_rather_than_everything(store: Store) -> None:
    assert parse_query("the of and").empty
    assert titles(store, "the") == []


def test_ingest_indexes_new_articles_and_writes_only_a_small_new_segment(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS).added)
        root = store.root / "search"
        before = {p.name: p.stat().st_ino for p in root.glob("seg-*.json")}
        result = ingest(store, [article(7, "Libya ceasefire talks in Moscow", "Haftar left Moscow.")])
        assert len(result.added) == 1
        after = {p.name: p.stat().st_ino for p in root.glob("seg-*.json")}
        assert titles(store, "haftar") == ["Libya ceasefire talks in Moscow"]
    # The old segment files were not rewritten: one new small segment was added beside them.
    assert all(after.get(name) == ino for name, ino in before.items())
    assert len(after) == len(before) + 1
    with Store.open(tmp_path) as store:  # and a fresh process sees it too
        assert titles(store, "haftar") == ["Libya ceasefire talks in Moscow"]


def test_ingest_indexes_from_the_texts_in_hand_without_reading_bodies_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS[:3]).added)  # an index exists
        reads: list[str] = []
        text_of = store.text_of

        def reading(aid: str) -> str | None:
            reads.append(aid)
            return text_of(aid)

        monkeypatch.setattr(store, "text_of", reading)
        ingest(store, CORPUS[3:])
        assert reads == []
        assert titles(store, "drilling") == ["EU sanctions framework"]


def test_many_small_ingests_merge_and_stay_correct(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        for n in range(40):
            added = store.add_articles([article(100 + n, f"Bulletin {n}", f"Item number{n} of the series.")])
            index_new_articles(store, added.added)
        manifest = orjson.loads((store.root / "search" / "manifest.json").read_bytes())
        assert len(manifest["segments"]) < 10
        assert sum(s["docs"] for s in manifest["segments"]) == 40
        # Merged-away files are gone; only the manifest's segments remain.
        files = {p.name for p in (store.root / "search").glob("seg-*.json")}
        assert files == {f"seg-{s['name']}.json" for s in manifest["segments"]}
        assert titles(store, "number17") == ["Bulletin 17"]
        assert len(titles(store, "series", limit=100)) == 40
        assert len(titles(store, '"of the series"', limit=100)) == 40


def test_a_changed_article_is_found_by_its_new_text_only(store: Store) -> None:
    index = search_index(store)
    index.load()
    old = store.get(titles_ids(store, "drilling")[0])
    assert old is not None
    from dataclasses import replace

    index.add([replace(old, text="Brussels agreed measures over exploration near Cyprus.")])
    assert titles(store, "drilling") == []
    assert titles(store, "exploration") == ["EU sanctions framework"]


def titles_ids(store: Store, query: str) -> list[str]:
    return [h.id for h in search(store, query)]


def test_damaged_segment_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS).added)
        root = store.root / "search"
    for path in root.glob("seg-*.json"):
        path.write_bytes(b'{"v": 1, "ids": ["trunc')
    with Store.open(tmp_path) as store:
        assert titles(store, "erdogan") == ["Erdoğan meets Trump at the White House", "Pipeline politics"]
    assert list(root.glob("seg-*.json.corrupt-*")), "the damaged file is kept aside, not deleted"
    with Store.open(tmp_path) as store:  # the repaired index was saved
        index = search_index(store)
        index.load()
        assert len(index) == len(CORPUS)


def test_inconsistent_segment_and_lost_manifest_are_rebuilt(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS).added)
        root = store.root / "search"
    seg = next(root.glob("seg-*.json"))
    data = orjson.loads(seg.read_bytes())
    data["offs"] = data["lens"]  # parses, but the postings no longer fit
    seg.write_bytes(orjson.dumps(data))
    with Store.open(tmp_path) as store:
        assert titles(store, "sanctions -senate") == ["EU sanctions framework"]
    for path in root.glob("manifest.json*"):
        path.write_bytes(b"\x00garbage")
    with Store.open(tmp_path) as store:
        assert titles(store, "istanbul") == ["İstanbul hosts energy talks"]


def test_missing_index_for_an_existing_store_is_built_on_first_query_only(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles(CORPUS)  # a store from before search existed: nothing indexed
    with Store.open(tmp_path) as store:
        index = search_index(store)
        assert not index.loaded and not (store.root / "search" / "manifest.json").exists()
        assert titles(store, "brussels") == ["EU sanctions framework"]
        assert (store.root / "search" / "manifest.json").exists()


def test_readonly_store_searches_in_memory_and_writes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles(CORPUS)
    with Store(tmp_path / "store", readonly=True) as store:
        assert titles(store, "cyprus") == ["EU sanctions framework"]
    assert not (tmp_path / "store" / "search").exists()


def test_lost_phrase_pairs_fall_back_to_the_text(store: Store) -> None:
    for path in (store.root / "search").glob("pairs-*.json"):
        os.unlink(path)
    fresh = SearchIndex(store)
    assert [store.meta(h.id).title for h in fresh.search('"nord stream"')] == [  # type: ignore[union-attr]
        "İstanbul hosts energy talks"]


def test_merge_keeps_postings_sorted_and_drops_shadowed_copies() -> None:
    first = search_mod._Segment.build("1", [("a", "alpha", "shared one"), ("b", "beta", "shared two")])
    second = search_mod._Segment.build("2", [("a", "alpha again", "shared three")])
    merged = search_mod._Segment.merged("3", [first, second])
    assert merged.ids == ["b", "a"]
    span = merged.span("shared")
    assert span is not None and list(merged.docs[span[0]:span[1]]) == [0, 1]
    assert merged.span("one") is None  # only in the shadowed copy of "a"
    assert merged.span("three") is not None


def test_cli_search_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        ingest(store, CORPUS[:3])
    assert main(["--home", str(home), "search", "erdogan", "--json", "--limit", "1"]) == 0
    out = orjson.loads(capsys.readouterr().out)
    assert [a["title"] for a in out] == ["Erdoğan meets Trump at the White House"]
    assert out[0]["score"] > 0
    assert main(["--home", str(home), "search", "Istanbul"]) == 0
    assert "İstanbul hosts energy talks" in capsys.readouterr().out
    assert main(["--home", str(home), "search", "unicorn"]) == 1
    assert "no articles match" in capsys.readouterr().err


def test_cli_search_beside_a_running_reader_uses_a_readonly_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        ingest(store, CORPUS[:2])
    with Store.open(home):  # holds the write lock, as the reader does
        assert main(["--home", str(home), "search", "turkstream", "--json"]) == 0
    assert [a["title"] for a in orjson.loads(capsys.readouterr().out)] == ["Pipeline politics"]
