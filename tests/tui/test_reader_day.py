"""Pilot tests of issue 13's reader: newsboat's keys (n/N, A and ctrl+z), sort, zoom,
g/G in every pane, feeds you can open, unread counts, nothing that hides. Each drives
the real app on a real store in tmp_path and asserts on state, store and screen."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.core.models.feeds import FeedState
from briefing.core.store.store import Store
from briefing.tui.screens.feeds import FeedsScreen
from briefing.tui.screens.help import HelpScreen
from tests.tui.conftest import CORPUS, NOW, Reader, Spec, list_titles, make_store, screen_text, settle, squash

pytestmark = pytest.mark.anyio

PUTIN, TRUMP, SOCHI, GREECE = (s.title for s in CORPUS)
LONG = Spec(id="e00000000005", title="A very long headline about the Black Sea grain corridor talks "
            "that went on well into the night in Istanbul", paragraphs=[["Talks went on."]],
            hours_ago=0.5, source="Energy Monitor (sample)")


def read_flags(home: Path) -> dict[str, bool]:
    with Store.open(home, readonly=True) as store:
        return {m.id: m.read for m in store.articles()}


async def test_n_opens_the_next_unread_and_N_the_previous(reader: Reader, home: Path) -> None:
    with Store.open(home) as store:
        store.set_read(["b00000000002"])  # Trump read: n skips it
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # from the list: the unread row under the cursor first
        await settle(pilot)
        current = app.reader.article_list.current
        assert current is not None and current.title == PUTIN and current.read
        assert app.focused is app.reader.article_view and app.reader.article is not None
        assert app.reader.article.title == PUTIN
        await pilot.press("n")  # from the article text: the next one, Trump is read
        await settle(pilot)
        assert app.reader.article_list.current.title == SOCHI  # type: ignore[union-attr]
        assert app.reader.article is not None and app.reader.article.title == SOCHI
        await pilot.press("N")  # backwards, wrapping round: Greece is the only unread left
        await settle(pilot)
        assert app.reader.article_list.current.title == GREECE  # type: ignore[union-attr]
        await pilot.press("n")
        await settle(pilot)
        assert any("Nothing unread" in n.message for n in app._notifications)
    assert read_flags(home) == dict.fromkeys(["a00000000001", "b00000000002", "c00000000003",
                                              "d00000000004"], True)


async def test_A_marks_the_visible_list_read_and_ctrl_z_undoes(reader: Reader, home: Path) -> None:
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        topics = app.reader.sidebar.topic_list
        topics.cursor = next(i for i, r in enumerate(topics.rows) if r.key == "vladimir putin")
        await pilot.press("space", "2", "A")
        await settle(pilot)
        assert list_titles(app) == [PUTIN, SOCHI]
        assert all(a.read for a in app.reader.article_list.articles)
        text = squash(screen_text(app))
        assert "0 unread of 2 articles (4 in all)" in text
        assert any("Marked 2 articles read · ctrl+z undoes" in n.message for n in app._notifications)
        putin = next(r for r in topics.rows if r.key == "vladimir putin")
        assert putin.unread == 0 and putin.count == 2
        flags = read_flags(home)
        assert flags["a00000000001"] and flags["c00000000003"] and not flags["b00000000002"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not any(a.read for a in app.reader.article_list.articles)
        assert "2 unread of 2 articles" in squash(screen_text(app))
        assert not any(read_flags(home).values())
        await pilot.press("ctrl+z")
        assert any("Nothing to undo" in n.message for n in app._notifications)


async def test_mark_all_read_is_in_the_command_palette(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Mark all read", "Next unread", "Sort", "Zoom"} <= titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Mark all read")
        await command.callback()
        await settle(pilot)
        assert all(a.read for a in app.reader.state.articles)


async def test_S_cycles_the_sort_shown_in_the_list_title_and_kept(reader: Reader, home: Path) -> None:
    with Store.open(home) as store:
        store.set_read(["a00000000001"])
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.reader.article_list.border_title == "Articles · newest first"
        await pilot.press("S", "S")
        await settle(pilot)
        assert app.reader.article_list.border_title == "Articles · unread first"
        assert list_titles(app) == [TRUMP, SOCHI, GREECE, PUTIN]
        assert "Articles · unread first" in screen_text(app)
        await pilot.pause(1.2)  # the save is coalesced
        await settle(pilot)
    reader.close()
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.reader.state.sort == "unread"


async def test_z_zooms_the_focused_pane_and_q_or_escape_comes_back(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await pilot.pause()
        assert app.reader.maximized is app.reader.article_list
        assert app.reader.article_list.outer_size == (160, 46)  # all but the status and key lines
        text = screen_text(app)
        assert "Key facts" not in text and "Topics" not in text and PUTIN in text
        assert "unread of 4 articles" in text  # the status line stays
        assert " q Back " in text.splitlines()[-1]
        await pilot.press("q")
        assert app.reader.maximized is None and app.is_running
        await pilot.press("3", "z")
        assert app.reader.maximized is app.reader.article_view
        await pilot.press("escape")
        assert app.reader.maximized is None
        await pilot.press("4", "z")
        await pilot.pause()
        assert app.reader.maximized is app.reader.facts_list
        assert app.reader.facts_list.outer_size == (160, 46)
        await pilot.press("z")
        assert app.reader.maximized is None
        await pilot.press("q")  # not zoomed: q quits
        await pilot.pause()
        assert not app.is_running


async def test_enter_on_a_small_terminal_opens_the_article_whole_screen(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.reader.article_list.size.height >= 10  # scanning: most rows for the list
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.reader.maximized is app.reader.article_view
        assert "Donald Trump met Recep Tayyip Erdoğan" in screen_text(app)
        await pilot.press("n")  # the next unread opens in the same whole screen
        await settle(pilot)
        assert app.reader.maximized is app.reader.article_view
        assert app.reader.article is not None and app.reader.article.title == SOCHI
        await pilot.press("q")
        assert app.reader.maximized is None and app.is_running
        assert app.focused is app.reader.article_list  # back to the list it was opened from


async def test_the_key_line_shows_what_fits_and_ends_with_more(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        assert line.rstrip().endswith("? more") and "…" not in line
        assert "? Help" not in line and "⏎ Open" in line


async def test_g_and_G_work_in_the_article_and_the_facts(tmp_path: Path, feeds_file: Path) -> None:
    home = tmp_path / "long"
    body = [[f"Sentence {i} of a long article about the talks in Ankara." for i in range(6)]
            for _ in range(30)]
    make_store(home, [replace(CORPUS[0], paragraphs=body)])
    reader = Reader(home, feeds_file)
    app = reader.app()
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            await pilot.press("3", "G")
            view = app.reader.article_view
            assert view.scroll_y == view.max_scroll_y > 0
            await pilot.press("g")
            assert view.scroll_y == 0
            await pilot.press("end")
            assert view.scroll_y == view.max_scroll_y
            await pilot.press("home", "4", "G")
            facts = app.reader.facts_list
            assert facts.highlighted == facts.option_count - 1
            await pilot.press("g")
            first = facts.highlighted
            assert first is not None and not facts.get_option_at_index(first).disabled
            assert first < 3
    finally:
        reader.close()


# -- the list --------------------------------------------------------------------------------


async def test_the_title_gets_the_room_and_the_source_is_shortened_first(
    tmp_path: Path, feeds_file: Path
) -> None:
    home = tmp_path / "long-title"
    make_store(home, [LONG, *CORPUS])
    reader = Reader(home, feeds_file)
    app = reader.app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            rows = [line for line in screen_text(app).splitlines() if "●" in line]
            # a short title keeps the whole source; the long title shortens its source first
            assert any("Trump hosts Erdoğan at the White House" in r and "Capitol Desk" in r for r in rows)
            long_row = next(r for r in rows if "A very long headline" in r)
            assert "Energy Monitor (sample)" not in long_row and "Energy …" in long_row
            assert "grain corridor" in long_row  # the title keeps far more than 50 characters
            assert "11:30" in long_row and "Tue 06:00" in squash(screen_text(app))
    finally:
        reader.close()


async def test_a_starred_version_survives_a_restart(tmp_path: Path, feeds_file: Path) -> None:
    from tests.tui.test_workflow import KREMLIN, STORIES

    home = tmp_path / "stories"
    make_store(home, STORIES)
    reader = Reader(home, feeds_file)
    try:
        app = reader.app()
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("v", "s")  # the story's other version, starred
            await settle(pilot)
            assert app.reader.article_list.current.title == KREMLIN.title  # type: ignore[union-attr]
        reader.close()
        app = reader.app()
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            first = app.reader.article_list.articles[0]
            assert first.title == KREMLIN.title and first.starred  # the row opens the starred one
            assert "★" in screen_text(app).splitlines()[1]
            await pilot.press("v")  # the other version: the row still says the story is starred
            await settle(pilot)
            assert app.reader.article_list.current.title == PUTIN  # type: ignore[union-attr]
            assert "★" in screen_text(app).splitlines()[1]
    finally:
        reader.close()


async def test_status_line_counts_unread_and_says_where_the_store_is(
    reader: Reader, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(home.parent)
    app = reader.app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert app.reader.status.plain.startswith("4 unread of 4 articles")
        assert "store: ./home" in screen_text(app)
        await pilot.press("m")
        assert "3 unread of 4 articles" in screen_text(app)


async def test_the_facts_pane_says_nothing_is_open_before_an_article_is(
    tmp_path: Path, feeds_file: Path
) -> None:
    home = tmp_path / "empty"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
    reader = Reader(home, feeds_file)
    app = reader.app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "No facts extracted" not in text
            assert "Open an article to see its key facts." in text
    finally:
        reader.close()


async def test_help_at_80x24_keeps_the_action_wide_and_explains_the_marks(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Binding id (remap" not in text  # no id column squeezing the actions
        assert "Marks" in text and "list: unread · sidebar: a topic of the" in text  # the ● explained
        assert "Save filters and quit" in text


# -- feeds you can open ------------------------------------------------------------------------


FEEDS = """[settings]
refresh_minutes = 0

[[feeds]]
name = "Test Wire"
url = "{wire}"

[[feeds]]
name = "Capitol Desk"
url = "https://example.com/capitol.xml"
"""


@pytest.fixture
def feed_reader(tmp_path: Path) -> Reader:
    home = tmp_path / "feeds-home"
    make_store(home, [replace(s, feed=s.source) for s in CORPUS])
    wire = tmp_path / "wire.xml"
    wire.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Wire item from Ankara</title><link>https://wire.example/1</link><guid>w1</guid>
<pubDate>Wed, 20 Nov 2019 11:00:00 GMT</pubDate><description>Ankara.</description></item>
</channel></rss>""", encoding="utf-8")
    feeds = tmp_path / "feeds-day.toml"
    feeds.write_text(FEEDS.format(wire=wire.as_uri()), encoding="utf-8")
    from datetime import timedelta

    with Store.open(home) as store:
        store.set_read(["a00000000001"])
        store.save_feed_states([FeedState("https://example.com/capitol.xml",
                                          last_fetch=NOW - timedelta(hours=3),
                                          last_success=NOW - timedelta(days=2),
                                          last_error="HTTP 503 Service Unavailable")])
    return Reader(home, feeds)


async def test_feeds_screen_rows_and_enter_shows_a_feeds_articles(feed_reader: Reader) -> None:
    app = feed_reader.app()
    try:
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            assert isinstance(app.screen, FeedsScreen)
            text = squash(screen_text(app))
            assert "Unread/all" in text and "Last success" in text and "Last error" in text
            assert "Test Wire 0/1 1/1 never —" in text  # never fetched: no "now"
            assert "Capitol Desk 1/1 1/1 2d ago 3h ago: HTTP 503 Service Unavailable" in text
            await pilot.press("j", "enter")
            await settle(pilot)
            assert not isinstance(app.screen, FeedsScreen)
            assert app.reader.state.filter.feed == "Capitol Desk"
            assert list_titles(app) == [TRUMP]
            assert "feed: Capitol Desk" in app.reader.status.plain
            assert app.focused is app.reader.article_list
            await pilot.press("c")
            assert app.reader.state.filter.feed is None and len(list_titles(app)) == 4
    finally:
        feed_reader.close()


async def test_r_on_the_feeds_screen_refreshes_just_that_feed(feed_reader: Reader) -> None:
    pytest.importorskip("briefing.core.feeds.refresh")
    app = feed_reader.app()
    try:
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)
            await pilot.press("r")  # Test Wire, a local file feed
            await settle(pilot)
            await settle(pilot)
            assert isinstance(app.screen, FeedsScreen)
            row = app.screen.rows[0]
            assert row.feed.name == "Test Wire" and row.articles == 2 and row.unread == 1
            assert row.state is not None and row.state.last_success is not None
            assert app.screen.rows[1].state and app.screen.rows[1].state.last_error  # untouched
            assert "Wire item from Ankara" in list_titles(app)
    finally:
        feed_reader.close()


# -- export you can find -------------------------------------------------------------------------


async def test_export_shows_the_absolute_path_and_o_opens_it_in_the_pager(
    reader: Reader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "seen.txt"
    pager = tmp_path / "pager.sh"
    pager.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}\n', encoding="utf-8")
    pager.chmod(0o755)
    monkeypatch.setenv("PAGER", f"{pager} -R")
    monkeypatch.delenv("BROWSER", raising=False)
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("O")
        assert any("No briefing exported yet" in n.message for n in app._notifications)
        await pilot.press("E")
        await settle(pilot)
        path = app.reader.last_export
        assert path is not None and path.is_absolute() and path.suffix == ".md"
        assert f"exported {path} (O opens)" in app.reader.status.plain
        assert "exported /" in screen_text(app)
        await pilot.press("3", "O")  # from the article text too (there o is the article's link)
        await pilot.pause()
        assert seen.read_text(encoding="utf-8").splitlines() == ["-R", str(path)]
        await pilot.press("e")  # HTML, and no $BROWSER: it says so instead
        await settle(pilot)
        await pilot.press("O")
        assert any("Set $BROWSER" in n.message for n in app._notifications)
    assert os.environ["PAGER"].endswith("-R")
