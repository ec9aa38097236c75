"""The analyst's workflow in the reader: one story across outlets (shown once, "also in",
`v` for the next version), related stories, watchlists with unread counts and new
matches, full-text search, briefing export, full text on demand and the topic timeline.

Every test drives a real app on a real store in tmp_path (a loopback HTTP server where
the network is needed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from briefing.core.models.meta import ArticleMeta
from briefing.core.store.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.reading import build_stories, one_row_per_story
from briefing.tui.widgets.topics_sidebar import TopicList
from tests.httpserver import FeedServer
from tests.tui.conftest import CORPUS, Reader, Spec, list_titles, make_store, screen_text, settle, squash

pytestmark = pytest.mark.anyio

PUTIN = CORPUS[0].title
TRUMP = CORPUS[1].title
SOCHI = CORPUS[2].title
GREECE = CORPUS[3].title
KREMLIN = Spec(
    id="e00000000005",
    title="Kremlin confirms Putin will travel to Turkey in January",
    paragraphs=[["The Kremlin confirmed that Vladimir Putin will travel to Turkey in January.",
                 "The visit follows talks in Sochi."]],
    people=[("Vladimir Putin", None, 1)],
    places=[("Turkey", 1)],
    hours_ago=3,
    source="Moscow Courier",
    cluster="a00000000001",
)
KALIN = Spec(
    id="f00000000006",
    title="Kalın says Ankara keeps its options open on air defence",
    paragraphs=[["İbrahim Kalın said in Ankara that the purchase was final."]],
    people=[("İbrahim Kalın", "presidential spokesman", 1)],
    places=[("Ankara", 1)],
    hours_ago=50,
    source="Ankara Desk",
)
STORIES = [replace(CORPUS[0], cluster="a00000000001"), *CORPUS[1:], KREMLIN, KALIN]


@pytest.fixture
def story_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "stories"
    make_store(home, STORIES)
    monkeypatch.setenv("BRIEFING_CONFIG_HOME", str(tmp_path / "config"))
    return home


@pytest.fixture
def stories(story_home: Path, feeds_file: Path) -> Iterator[Reader]:
    r = Reader(story_home, feeds_file)
    yield r
    r.close()


def write_watchlists(text: str) -> Path:
    path = Path(os.environ["BRIEFING_CONFIG_HOME"]) / "watch.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def row_index(topics: TopicList, kind: str, label: str | None = None) -> int:
    return next(i for i, r in enumerate(topics.rows)
                if r.kind == kind and r.key is not None and (label is None or r.label == label))


# -- one story, many outlets ------------------------------------------------------------------


async def test_a_story_shows_once_with_also_in_and_v_cycles_its_versions(stories: Reader) -> None:
    app = stories.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert list_titles(app) == [PUTIN, TRUMP, KALIN.title, SOCHI, GREECE]
        text = squash(screen_text(app))
        assert "6 articles · 5 stories" in text
        assert "also in Moscow Courier (v: next version)" in text  # the article text
        # the list row: the title has the room first ("also in" shows where it is left over)
        assert "≡2" in text
        await pilot.press("v")
        await settle(pilot)
        assert app.reader.article_list.current is not None
        assert app.reader.article_list.current.title == KREMLIN.title
        assert app.reader.article is not None and app.reader.article.title == KREMLIN.title
        assert "also in Test Wire" in squash(screen_text(app))
        await pilot.press("j", "k")  # the chosen version stays in the list
        await settle(pilot)
        assert list_titles(app)[0] == KREMLIN.title
        await pilot.press("v")
        await settle(pilot)
        assert app.reader.article is not None and app.reader.article.title == PUTIN
        await pilot.press("j", "v")  # a story told once: nothing to switch to
        await settle(pilot)
        assert app.reader.article_list.current.title == TRUMP
        assert any("No other outlet" in n.message for n in app._notifications)


def test_exact_duplicates_fold_into_one_story_and_show_once() -> None:
    def meta(aid: str, title: str, cluster: str | None, ts: float) -> ArticleMeta:
        return ArticleMeta(aid, title, "Wire", "wire", "https://x.example/same", ts, (), False,
                           cluster)

    first = meta("a1", "Same  headline", None, 10.0)
    twin = meta("a2", "same headline", "other", 20.0)
    lone = meta("a3", "Another story", None, 15.0)
    groups = {"a1": [first], "other": [twin], "a3": [lone]}
    stories = build_stories(groups)
    assert stories.story_of(first) == stories.story_of(twin) == "a1"
    assert [m.id for m in stories.members["a1"]] == ["a2", "a1"]  # newest first
    rows = one_row_per_story([twin, lone, first], stories)
    assert [m.id for m in rows] == ["a2", "a3"]
    assert [m.id for m in one_row_per_story([twin, lone, first], stories, {"a1": "a1"})] == ["a1", "a3"]


# -- related stories ------------------------------------------------------------------------


async def test_related_stories_show_in_the_topics_pane_and_enter_jumps(stories: Reader) -> None:
    app = stories.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        related = [r.article_id for r in app.reader.sidebar.related]
        assert KALIN.id in related  # shares the rarer İbrahim Kalın
        assert KREMLIN.id not in related  # the same story is not "related"
        assert "RELATED STORIES" in screen_text(app)
        await pilot.press("1")
        topics = app.reader.sidebar.topic_list
        topics.cursor = row_index(topics, "story", KALIN.title)
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is app.reader.article_list
        assert app.reader.article is not None and app.reader.article.id == KALIN.id


# -- watchlists -------------------------------------------------------------------------------


async def test_watchlists_show_unread_counts_and_filter_the_list(stories: Reader) -> None:
    write_watchlists('[watch]\n"Kalın and Sochi" = "Sochi OR \\"İbrahim Kalın\\""\n'
                     'Greece = "Greece AND NOT Turkey"\n')
    app = stories.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.reader.state.watches["Kalın and Sochi"] == {CORPUS[0].id, SOCHI_ID, KALIN.id}
        rows = app.reader.sidebar.topic_list.rows
        assert rows[0].label.startswith("WATCHLISTS")
        assert [(r.label, r.count) for r in rows[1:3]] == [("Kalın and Sochi", 3), ("Greece", 1)]
        await pilot.press("1", "g", "enter")  # the first watchlist
        await settle(pilot)
        assert app.reader.state.filter.watch == "Kalın and Sochi"
        assert list_titles(app) == [PUTIN, KALIN.title, SOCHI]
        assert "watchlist: Kalın and Sochi" in screen_text(app)
        await pilot.press("2", "m")  # read the first: one unread fewer
        await settle(pilot)
        assert app.reader.sidebar.topic_list.rows[1].count == 2
        await pilot.press("1", "g", "enter")  # off again
        await settle(pilot)
        assert app.reader.state.filter.watch is None and len(list_titles(app)) == 5


SOCHI_ID = CORPUS[2].id
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local Wire</title><link>https://local.example/</link>
<description>test</description>
<item><title>Fresh report on the air defence purchase</title>
<link>https://local.example/fresh</link><guid>fresh-1</guid>
<pubDate>{date}</pubDate>
<description>Officials said on Wednesday that talks would go on.</description></item>
</channel></rss>
"""


async def test_new_watchlist_matches_are_flagged_after_a_refresh(stories: Reader, tmp_path: Path) -> None:
    pytest.importorskip("briefing.core.feeds.refresh")
    feed = tmp_path / "local.xml"
    # new matches are looked for among recent articles: the item is dated now
    feed.write_text(RSS.format(date=format_datetime(datetime.now(UTC))), encoding="utf-8")
    config = tmp_path / "local-feeds.toml"
    config.write_text(f'[settings]\nrefresh_minutes = 0\n[[feeds]]\nname = "Local Wire"\n'
                      f'url = "{feed.as_uri()}"\n', encoding="utf-8")
    write_watchlists('[watch]\nLocal = "source:\\"Local Wire\\""\n')
    stories.feeds = config
    app = stories.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.reader.state.watches["Local"] == frozenset() and not app.reader.state.new_matches
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        (fresh,) = app.reader.state.new_matches
        assert app.reader.state.watches["Local"] == {fresh}
        watch_row = app.reader.sidebar.topic_list.rows[1]
        assert (watch_row.label, watch_row.count, watch_row.new) == ("Local", 1, 1)
        text = screen_text(app)
        assert "◆ Local" in text  # the sidebar's mark
        assert "◆ … Fresh report on the air defence purchase" in text  # new, only its summary stored
        assert any("1 new for Local" in n.message for n in app._notifications)


async def test_a_broken_watch_file_is_reported_and_the_reader_runs(stories: Reader) -> None:
    write_watchlists('[watch]\nBad = "Turkey AND (S-400"\n')
    app = stories.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.reader.state.watches == {}
        assert any("watchlist not shown" in n.message for n in app._notifications)
        assert len(list_titles(app)) == 5


# -- full-text search -----------------------------------------------------------------------


async def test_slash_searches_the_text_ranked_and_diacritic_insensitive(stories: Reader) -> None:
    from briefing.tui.screens.search import SearchScreen

    app = stories.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "slash")
        await pilot.press(*"kalin pipeline")  # "Kalın" and "pipeline" are in PUTIN's text only
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert [a.title for a in screen.body_hits] == [PUTIN]
        assert "IN THE TEXT" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.article_list.current is not None and app.reader.article_list.current.title == PUTIN


async def test_the_search_index_is_read_in_the_background_after_start(stories: Reader) -> None:
    from briefing.core.search.index import search_index

    app = stories.app()
    app.reader.search_preload_after = 0.05
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert search_index(app.library.store).loaded


# -- briefing export -----------------------------------------------------------------------


async def test_e_exports_the_visible_list_as_a_briefing(stories: Reader) -> None:
    write_watchlists('[watch]\nKremlin = "\\"Vladimir Putin\\""\n')
    app = stories.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("1", "g", "enter", "2", "e")  # the watchlist, then export
        await settle(pilot)
        assert app.reader.last_export is not None and app.reader.last_export.suffix == ".html"
        assert app.reader.last_export.is_absolute()
        html = app.reader.last_export.read_text(encoding="utf-8")
        assert html.lstrip().lower().startswith("<!doctype html")
        assert "Briefing: Kremlin" in html and "Moscow Courier" in html
        assert GREECE not in html  # not in the visible list
        assert any(str(app.reader.last_export) in n.message for n in app._notifications)
        await pilot.press("E")
        await settle(pilot)
        assert app.reader.last_export.suffix == ".md"
        assert f"exported {app.reader.last_export}" in app.reader.status.plain  # kept in the status line
        markdown = app.reader.last_export.read_text(encoding="utf-8")
        assert "Kremlin" in markdown and "Sochi deal" in markdown


# -- full text on demand -----------------------------------------------------------------------

PAGE = ("<html><head><title>Page</title></head><body><nav>Home | World</nav><article>"
        "<h1>Putin planning visit to Turkey in January</h1>"
        + "".join(f"<p>Paragraph {i}: Ibrahim Kalin told reporters in Ankara that the two leaders "
                  f"would discuss the TurkStream pipeline and regional security at length.</p>"
                  for i in range(12))
        + "</article><footer>Copyright</footer></body></html>")


@pytest.fixture
def page_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    with FeedServer() as server:
        server.reply("/story", body=PAGE.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
        server.reply("/gone", status=404, body=b"no")
        yield server


async def test_F_fetches_the_full_text_and_repaints(tmp_path: Path, page_server: FeedServer) -> None:
    home = tmp_path / "fulltext"
    make_store(home, [replace(CORPUS[0], link=page_server.url("/story"), text_kind="summary"),
                      replace(CORPUS[1], link=page_server.url("/gone"), text_kind="summary")])
    # The page server is on 127.0.0.1: its pages may be fetched only because one of the
    # user's own feeds lives on that host (an article link alone may not reach loopback).
    feeds_file = tmp_path / "trusting-feeds.toml"
    feeds_file.write_text("[settings]\nrefresh_minutes = 0\n"
                          f'[[feeds]]\nname = "Local"\nurl = "{page_server.url("/feed.xml")}"\n')
    reader = Reader(home, feeds_file)
    app = reader.app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            text = squash(screen_text(app))
            assert "summary only · F fetches the page" in text
            rows = [app.reader.article_list.render_row(i, 100).plain for i in range(2)]
            assert all(row.startswith("● …") for row in rows), rows  # unread, only a summary
            await pilot.press("F")
            await settle(pilot)
            assert page_server.hits("/story")
            assert app.reader.article is not None and "Paragraph 11: Ibrahim Kalin" in app.reader.article.text
            text = squash(screen_text(app))
            assert "Paragraph 0: Ibrahim Kalin told reporters" in text
            assert "full text · fetched " in text and " from 127.0.0.1" in text
            assert not app.reader.article_list.render_row(0, 100).plain.startswith("● …")
            await pilot.press("j", "F")
            await settle(pilot)
            assert any(n.message.startswith("Full text not fetched") for n in app._notifications)
            assert app.reader.article is not None and "Donald Trump met" in app.reader.article.text
            assert "summary only · the page failed: HTTP 404" in squash(screen_text(app))
    finally:
        reader.close()
    with Store.open(home, readonly=True) as store:
        stored = store.get(CORPUS[0].id)
        assert stored is not None and "Paragraph 5" in stored.text


# -- topic timeline ----------------------------------------------------------------------------


async def test_a_highlighted_topic_shows_its_articles_per_day(stories: Reader) -> None:
    from textual.widgets import Sparkline

    app = stories.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        topics = app.reader.sidebar.topic_list
        topics.cursor = next(i for i, r in enumerate(topics.rows)
                             if r.section == "all" and r.key == "vladimir putin")
        await pilot.pause()
        timeline = app.reader.sidebar.timeline
        assert len(timeline) == 30 and sum(timeline) == 3  # PUTIN, SOCHI and KREMLIN
        assert timeline[-1] == 2  # PUTIN and KREMLIN on the last day (hours 2 and 3 ago)
        sparkline = app.query_one("#timeline", Sparkline)
        assert sparkline.display and list(sparkline.data or []) == [float(c) for c in timeline]
        assert "PER DAY ≤2 · to 20 Nov" in screen_text(app)


# -- bindings -----------------------------------------------------------------------------------

NEW_BINDINGS = ("next-version", "export-html", "export-markdown", "full-text")


async def test_new_actions_are_in_the_help_the_palette_and_remappable(stories: Reader) -> None:
    config = Path(os.environ["BRIEFING_CONFIG_HOME"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\nnext-version = "V"\n', encoding="utf-8")
    app: BriefingApp = stories.app()
    async with app.run_test(size=(160, 200)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Version", "Export", "Export MD", "Full text"} <= titles
        assert "(V: next version)" in squash(screen_text(app))
        await pilot.press("V")
        await settle(pilot)
        assert app.reader.article is not None and app.reader.article.title == KREMLIN.title
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        for binding_id in NEW_BINDINGS:
            assert binding_id in help_text, binding_id




async def test_F_refuses_a_link_into_a_private_network(
    tmp_path: Path, feeds_file: Path, page_server: FeedServer
) -> None:
    home = tmp_path / "private"
    make_store(home, [replace(CORPUS[0], link=page_server.url("/story"))])
    reader = Reader(home, feeds_file)  # no feed on 127.0.0.1: the host is not trusted
    app = reader.app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("F")
            await settle(pilot)
            assert not page_server.hits("/story")
            notices = [n.message for n in app._notifications]
            assert any("private network (127.0.0.1)" in m for m in notices), notices
    finally:
        reader.close()
