"""Full-text search: ranking, folding, query syntax, incremental indexing, self-repair, CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from briefing.cli import main
from briefing.core.ingest.pipeline import ingest
from briefing.core.models.article import Article
from briefing.core.search.index import index_new_articles, search, search_index
from briefing.core.search.terms import parse_query
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


def test_ingest_indexes_new_articles_and_a_fresh_process_finds_them(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS).added)
        assert len(search_index(store)) == len(CORPUS)
        result = ingest(store, [article(7, "Libya ceasefire talks in Moscow", "Haftar left Moscow.")])
        assert len(result.added) == 1
        assert titles(store, "haftar") == ["Libya ceasefire talks in Moscow"]
        assert len(search_index(store)) == len(CORPUS) + 1
    with Store.open(tmp_path) as store:  # a fresh process sees it too
        assert titles(store, "haftar") == ["Libya ceasefire talks in Moscow"]


def test_ingest_indexes_from_the_texts_in_hand_without_reading_bodies_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS[:3]).added)  # an index exists
        search_index(store).load()
        reads: list[str] = []
        text_of = store.text_of

        def reading(aid: str) -> str | None:
            reads.append(aid)
            return text_of(aid)

        monkeypatch.setattr(store, "text_of", reading)
        ingest(store, CORPUS[3:])
        assert reads == []
        assert titles(store, "drilling") == ["EU sanctions framework"]


def test_many_small_ingests_stay_correct(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        for n in range(40):
            added = store.add_articles([article(100 + n, f"Bulletin {n}", f"Item number{n} of the series.")])
            index_new_articles(store, added.added)
        assert len(search_index(store)) == 40
        assert titles(store, "number17") == ["Bulletin 17"]
        assert len(titles(store, "series", limit=100)) == 40
        assert len(titles(store, '"of the series"', limit=100)) == 40
        assert titles(store, '"number17 of the series"') == ["Bulletin 17"]
        assert titles(store, '"series item"') == []  # both words, not in that order


def test_a_changed_article_is_found_by_its_new_text_only(store: Store) -> None:
    (aid,) = titles_ids(store, "drilling")
    index_new_articles(store, [aid], {aid: "Brussels agreed measures over exploration near Cyprus."})
    assert titles(store, "drilling") == []
    assert titles(store, "exploration") == ["EU sanctions framework"]
    assert len(search_index(store)) == len(CORPUS)


def titles_ids(store: Store, query: str) -> list[str]:
    return [h.id for h in search(store, query)]


def test_damaged_index_is_set_aside_and_rebuilt_from_the_store(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS).added)
        path = search_index(store).path
        search_index(store).close()
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    with Store.open(tmp_path) as store:
        assert titles(store, "erdogan") == ["Erdoğan meets Trump at the White House", "Pipeline politics"]
    assert list(path.parent.glob("search.sqlite.corrupt-*")), "the damaged file is kept aside, not deleted"
    with Store.open(tmp_path) as store:  # the repaired index was saved
        assert len(search_index(store)) == len(CORPUS)


def test_an_index_of_older_terms_is_rebuilt_and_a_lagging_one_catches_up(tmp_path: Path) -> None:
    import sqlite3

    with Store.open(tmp_path) as store:
        index_new_articles(store, store.add_articles(CORPUS).added)
        path = search_index(store).path
        search_index(store).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value='1' WHERE key='version'")
    db.commit()
    db.close()
    with Store.open(tmp_path) as store:
        assert titles(store, "sanctions -senate") == ["EU sanctions framework"]
        search_index(store).close()
    db = sqlite3.connect(path)
    db.execute("DELETE FROM docs WHERE row IN (SELECT row FROM docs LIMIT 3)")  # a fetch died mid-index
    db.commit()
    db.close()
    with Store.open(tmp_path) as store:
        assert len(search_index(store)) == len(CORPUS)
        assert titles(store, "istanbul") == ["İstanbul hosts energy talks"]


def test_missing_index_for_an_existing_store_is_built_on_first_query_only(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles(CORPUS)  # a store from before search existed: nothing indexed
    with Store.open(tmp_path) as store:
        index = search_index(store)
        assert not index.loaded and not index.path.exists()
        assert titles(store, "brussels") == ["EU sanctions framework"]
        assert index.path.exists()


def test_readonly_store_searches_in_memory_and_writes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add_articles(CORPUS)
    with Store(tmp_path / "store", readonly=True) as store:
        assert titles(store, "cyprus") == ["EU sanctions framework"]
    assert not (tmp_path / "store" / "search.sqlite").exists()


def test_queries_fts5_would_refuse_find_nothing_instead_of_failing(store: Store) -> None:
    for query in ['"', "*", "-", "NEAR(", "AND OR NOT", '"unclosed', "a*b*", "\x00"]:
        assert isinstance(titles(store, query), list)
    assert parse_query("-erdogan").empty  # only exclusions: nothing to find


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
