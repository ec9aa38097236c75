"""Hostile feed and file text, ingested through the real paths, on the real reader's
screen: no control sequence from outside reaches the terminal, markup shows literally,
and only http(s) links can be opened.

The store is built by `refresh_feeds` over a hostile RSS fixture (a file: feed, so
`parse_feed` runs on its bytes) and `import_paths` over hostile .md/.json/.txt/.html
files; the app is the real `BriefingApp` under `run_test`. What the app would write to
the terminal is the compositor's full frame rendered by the app's console: the same
string the driver writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from briefing.core.ingest.pipeline import import_paths
from briefing.core.library import Library
from briefing.core.store.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.facts_pane import FactsPane
from tests.hostile.conftest import (
    assert_clean_article,
    assert_safe_terminal_output,
    ingest_hostile,
    unbalanced_rows,
)
from tests.tui.conftest import screen_text, settle, squash

pytestmark = pytest.mark.anyio

MARKUP = ("Markup [bold]Not bold[/bold] [/ [/] [link=file:///etc/passwd]secret[/link] "
          "[@click=app.quit]quit[/] $x ${y} back\\slash \\[esc]")
RTL = "RTL שלום עולם and مرحبا بالعالم"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def hostile_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    ingest_hostile(home, tmp_path)
    return home


def open_app(home: Path, feeds_file: Path) -> tuple[BriefingApp, Store]:
    store = Store.open(home)
    return BriefingApp(Library(store, feeds=feeds_file), refresh_on_timer=False), store


def terminal_output(app: BriefingApp) -> str:
    """The exact string the driver would write to draw the current screen in full."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


@pytest.fixture
def feeds_file(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text("[settings]\nrefresh_minutes = 0\n", encoding="utf-8")
    return path


async def show(
    pilot: Pilot[None], app: BriefingApp, store: Store, title: str, *, via_list: bool = True
) -> None:
    """Open the article with this title: through the list when it has a row of its own,
    else (a story told several times shows one row) drawn the way opening it would."""
    titles = [a.title for a in app.reader.article_list.articles]
    if via_list and title in titles:
        await pilot.press("2", "home", *["j"] * titles.index(title))
        await settle(pilot)
    else:
        with app.library.lock:
            (article,) = [store.get(a.id) for a in store.articles() if a.title == title]
        assert article is not None
        app.reader.article = article
        app.reader.article_view.show(article)
        app.query_one(FactsPane).show_facts(article.facts)
        await pilot.pause()
    assert app.reader.article is not None and app.reader.article.title == title


def test_everything_stored_is_clean(hostile_home: Path) -> None:
    with Store.open(hostile_home, readonly=True) as store:
        articles = [store.get(meta.id) for meta in store.articles()]
    assert len(articles) == 14
    for article in articles:
        assert article is not None
        assert_clean_article(article)
    texts = "\n".join(a.text for a in articles if a)
    assert RTL in texts  # real right-to-left text is kept as it was
    assert MARKUP in texts  # and markup-like text is plain text
    links = sorted(a.link for a in articles if a and a.link)
    assert links == ["https://Upper.example/x", "https://good.example/fine", "https://good.example/json",
                     "https://good.example/markup?q=[bold]"]


async def test_no_feed_sequence_reaches_the_terminal(hostile_home: Path, feeds_file: Path) -> None:
    app, store = open_app(hostile_home, feeds_file)
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    seen_titles: set[str] = set()
    try:
        async with app.run_test(size=(220, 60)) as pilot:
            await settle(pilot)
            total = len(app.reader.article_list.articles)
            assert 1 <= total <= 14  # one row per story
            for step in range(total):
                if step:
                    await pilot.press("j")
                await settle(pilot)
                assert app.reader.article is not None and app.reader.article_list.current is not None
                assert app.reader.article.id == app.reader.article_list.current.id
                seen_titles.add(app.reader.article.title)
                assert_safe_terminal_output(terminal_output(app))
            # Every article drawn, links tried (the `o` binding's action; the key itself is
            # driven in tests/tui/test_hostile_text.py), the notification checked too.
            with app.library.lock:
                everything = [a.title for a in store.articles()]
            for title in everything:
                await show(pilot, app, store, title, via_list=False)  # the rows were opened above
                seen_titles.add(title)
                assert_safe_terminal_output(terminal_output(app))
                app.reader.article_view.action_open_link()
                await pilot.pause()
                assert_safe_terminal_output(terminal_output(app))
            # The search screen lists hostile titles too.
            await pilot.press("slash", *"evil")
            await pilot.pause(0.3)
            assert_safe_terminal_output(terminal_output(app))
            await pilot.press("escape")
            assert app.is_running
    finally:
        store.close()
    assert len(seen_titles) == 14
    assert all(url.startswith(("http://", "https://")) for url in opened), opened
    assert sorted(set(opened)) == ["https://Upper.example/x", "https://good.example/fine",
                              "https://good.example/json", "https://good.example/markup?q=[bold]"]


async def test_bidi_controls_are_balanced_on_every_drawn_row(tmp_path: Path, feeds_file: Path) -> None:
    # A right-to-left override around a run longer than any row: it must wrap (body) and be
    # cut (list row), whatever the layout.
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
    long_run = " ".join(f"word{i}" for i in range(80))
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "override.txt").write_text(
        f"Title \u202e{long_run}\u202c end\n\nBody \u2067{long_run}\u2069 end.\n")
    with Store.open(home) as store:
        results, _ = import_paths(store, [drop])
        assert results[0].error is None
    app, store = open_app(home, feeds_file)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            assert app.reader.article is not None and "\u202e" in app.reader.article.title
            bad = unbalanced_rows(terminal_output(app))
    finally:
        store.close()
    assert bad == []


async def test_markup_and_rtl_show_literally_and_act_on_nothing(hostile_home: Path, feeds_file: Path) -> None:
    app, store = open_app(hostile_home, feeds_file)
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(220, 60)) as pilot:
            await settle(pilot)
            await show(pilot, app, store, MARKUP)
            text = squash(screen_text(app))
            assert MARKUP in text  # the title and the body, character for character
            assert "[red]Mallory[/red] [@click=app.quit]x[/]" in text  # the author
            assert "Hostile Wire [bold]x[/bold]" in text  # the source (channel title)
            # Click on the title, byline and body, where a [@click] would act if it were
            # markup, and on every row of the list.
            for y in range(0, 6):
                await pilot.click("#article-text", offset=(12, y))
            for y in range(len(app.reader.article_list.articles)):
                await pilot.click("#article-list", offset=(20, y))
            await settle(pilot)
            assert app.is_running and app.return_code is None
            assert opened == []
            await show(pilot, app, store, RTL)
            assert RTL in screen_text(app)  # shown in logical order, nothing stripped
    finally:
        store.close()
