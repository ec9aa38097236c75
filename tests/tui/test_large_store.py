"""The reader on a store of 20,000 articles, built the way bench/store.py builds half a
million (the files written directly): the list pages through all of them, a topic filter
and `/` reach articles far beyond the first screen, and the reader holds no ArticleMeta
per article.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.store import build
from briefing.core.models.meta import ArticleMeta
from briefing.core.store.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.search import SearchScreen
from tests.tui.conftest import Reader, screen_text, settle

pytestmark = pytest.mark.anyio

N = 20_000


@pytest.fixture(scope="module")
def big_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("big") / "home"
    build(home, N)
    return home


@pytest.fixture
def big(big_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Reader]:
    monkeypatch.setenv("BRIEFING_CONFIG_HOME", str(tmp_path / "config"))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text("[settings]\nrefresh_minutes = 0\n", encoding="utf-8")
    with Store.open(big_home) as store:
        store.save_ui_state({})  # each test starts unfiltered, whatever the last one left
    reader = Reader(big_home, feeds)
    yield reader
    reader.close()


def number(title: str) -> int:
    """The bench's titles end with the article's number, 0 the newest: "Story 7: … #N"."""
    found = re.search(r"#(\d+)$", title)
    assert found, title
    return int(found.group(1))


async def loaded(app: BriefingApp, pilot: object) -> None:
    for _ in range(3):  # a 20k load takes a while on a busy machine
        await settle(pilot)  # type: ignore[arg-type]
        if app.reader.state.fully_loaded and app.reader.state.titles is not None:
            return
    raise AssertionError("the list never finished loading")


async def test_the_list_pages_through_every_article_and_holds_no_meta_per_article(big: Reader) -> None:
    app = big.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(app, pilot)
        reader = app.reader
        articles = reader.article_list
        assert len(articles.articles) == N
        assert f"of {N} articles" in screen_text(app)
        assert [number(a.title) for a in articles.articles[:5]] == [0, 1, 2, 3, 4]
        page = articles.size.height - 1
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert articles.cursor == 3 * page
        assert number(articles.current.title) == 3 * page  # type: ignore[union-attr]
        assert f"#{3 * page}" in screen_text(app)
        await pilot.press("G")
        assert number(articles.current.title) == N - 1  # type: ignore[union-attr]
        await pilot.pause()
        assert f"#{N - 1}" in screen_text(app)
        gc.collect()
        metas = sum(1 for o in gc.get_objects() if type(o) is ArticleMeta)
        assert metas < N // 10, metas  # the rows on screen, stories, the open article: not all


async def test_a_topic_filter_on_20k_is_a_lookup_and_shows_only_its_articles(big: Reader) -> None:
    app = big.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(app, pilot)
        reader, state = app.reader, app.reader.state
        await pilot.press("1")
        topic = reader.sidebar.topic_list.current
        assert topic is not None and topic.key is not None
        started = time.perf_counter()
        await pilot.press("space")
        elapsed = time.perf_counter() - started
        carrying = state.index.topics[topic.key].articles  # type: ignore[union-attr]
        rows = reader.article_list.articles
        assert 0 < len(rows) == len(carrying) < N
        assert all(row.id in carrying for row in rows[:50]) and rows[len(rows) - 1].id in carrying
        assert f"({N} in all)" in screen_text(app)
        # the scrollbar's thumb follows the shorter list (moved without a new layout)
        assert reader.article_list.vertical_scrollbar.window_virtual_size == len(rows)
        assert elapsed < 2.0, elapsed  # loose: shared machines; bench/tui.py has the real figure
        await pilot.press("space")
        assert len(reader.article_list.articles) == N


async def test_search_finds_a_title_far_beyond_the_first_screen_and_jumps_to_it(big: Reader) -> None:
    app = big.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await loaded(app, pilot)
        target = N - 123
        await pilot.press("slash")
        await pilot.press(*str(target))
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert re.search(rf"[a-z] #{target}\b", screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        current = app.reader.article_list.current
        assert current is not None and number(current.title) == target
        assert app.reader.article_list.cursor == target
