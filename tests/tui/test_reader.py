"""Pilot tests of the reader: every binding, topic filtering end to end, persistence.

Each test drives a real app on a small real store in tmp_path and asserts on the app's
state and on the rendered screen.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.message import Message

from briefing.core.library import Library
from briefing.core.store.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.messages import ArticlesLoaded
from briefing.tui.screens.feeds import FeedsScreen
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.search import SearchScreen
from tests.tui.conftest import NOW, Reader, list_titles, screen_text, settle, shown, squash

PUTIN = "Putin planning visit to Turkey in January: Erdoğan aide"
TRUMP = "Trump hosts Erdoğan at the White House"
pytestmark = pytest.mark.anyio

SOCHI = "Sochi deal: Putin and Erdoğan agree on YPG withdrawal"
GREECE = "Greece expels Libyan ambassador over maritime deal"


async def test_opens_newest_first_and_shows_article_and_facts(reader: Reader) -> None:
    messages: list[Message] = []
    app = reader.app()
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert any(isinstance(m, ArticlesLoaded) for m in messages)
        assert list_titles(app) == [PUTIN, TRUMP, SOCHI, GREECE]
        text = screen_text(app)
        assert "Russian President Vladimir Putin is planning a visit" in text
        assert "Vladimir Putin — Russian President" in text
        assert "“We are starting to work on it as I" in text
        assert "2019-11-15" in text
        assert "$2.5 billion" in text
        assert "4 unread of 4 articles" in text
        # dates against the fixed clock (Wed 20 Nov 2019 12:00 UTC): today's time, this
        # week's weekday and time, this year's day and month
        assert "10:00" in text and "Tue 06:00" in text and "12 Nov" in text


async def test_j_k_and_arrows_move_the_cursor(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        assert app.reader.article_list.current and app.reader.article_list.current.title == TRUMP
        await pilot.press("down")
        assert app.reader.article_list.current.title == SOCHI
        await pilot.press("k")
        assert app.reader.article_list.current.title == TRUMP
        await pilot.press("up", "up")
        assert app.reader.article_list.current.title == PUTIN
        await pilot.press("j")
        await settle(pilot)
        assert app.reader.article is not None and app.reader.article.title == TRUMP
        assert "Donald Trump met Recep Tayyip Erdoğan" in screen_text(app)


async def test_enter_opens_and_marks_read_m_toggles_read_s_stars(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.focused is app.reader.article_view
        assert app.reader.article_list.current and app.reader.article_list.current.read
        await pilot.press("m")
        assert not app.reader.article_list.current.read
        await pilot.press("m", "s")
        await settle(pilot)
        assert app.reader.article_list.current.read and app.reader.article_list.current.starred
        assert "★" in screen_text(app)
    with Store.open(reader.home, readonly=True) as store:
        meta = store.meta("b00000000002")
        assert meta is not None and meta.read and meta.starred
        other = store.meta("a00000000001")
        assert other is not None and not other.read and not other.starred


async def test_tab_cycles_panes_and_number_keys_jump(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.focused is app.reader.article_list
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(app.focused.id if app.focused else None)
        assert seen == ["article-view", "facts-list", "topic-list", "article-list"]
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "topic-list"
        for key, pane in (("3", "article-view"), ("4", "facts-list"), ("1", "topic-list"),
                          ("2", "article-list")):
            await pilot.press(key)
            assert app.focused is not None and app.focused.id == pane, key


async def test_narrow_terminal_hides_facts_and_toggles_panes(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        facts = app.query_one("#facts")
        assert not facts.display and app.reader.sidebar.display
        await pilot.press("tab", "tab", "tab")
        assert app.focused is app.reader.article_list  # the hidden pane is skipped
        await pilot.press("right_square_bracket")
        assert facts.display
        await pilot.press("left_square_bracket")
        assert not app.reader.sidebar.display
        await pilot.press("1")  # jumping to a hidden pane shows it
        assert app.reader.sidebar.display and app.focused is not None
        assert app.focused.id == "topic-list"


async def test_topic_filter_two_topics_and_or_then_clear(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        topics = app.reader.sidebar.topic_list
        keys = [r.key for r in topics.rows]
        # The open article's topics come first, marked; then every topic by salience.
        assert topics.rows[0].label == "THIS ARTICLE"
        assert keys[1:6] == ["vladimir putin", "recep tayyip erdogan", "ibrahim kalin", "turkey",
                             None]
        await pilot.press("space")  # Putin
        assert list(app.reader.state.filter.topics) == ["vladimir putin"]
        assert list_titles(app) == [PUTIN, SOCHI]
        assert "filter: Vladimir Putin" in screen_text(app)
        # Put the cursor on Erdoğan (rows shift: the filters section is now on top).
        row = next(i for i, r in enumerate(topics.rows)
                   if r.key == "recep tayyip erdogan" and r.section == "article")
        topics.cursor = row
        await pilot.press("space")
        assert list(app.reader.state.filter.topics) == ["vladimir putin", "recep tayyip erdogan"]
        assert list_titles(app) == [PUTIN, SOCHI]
        assert "Vladimir Putin AND Recep Tayyip Erdoğan" in squash(screen_text(app))
        trump = next(i for i, r in enumerate(topics.rows) if r.key == "donald trump")
        topics.cursor = trump
        await pilot.press("space")
        assert list_titles(app) == []
        await pilot.press("a")
        assert app.reader.state.filter.mode == "or"
        assert list_titles(app) == [PUTIN, TRUMP, SOCHI]
        assert "OR" in screen_text(app)
        await pilot.press("c")
        assert list(app.reader.state.filter.topics) == []
        assert list_titles(app) == [PUTIN, TRUMP, SOCHI, GREECE]


async def test_cooccurring_topics_for_the_highlighted_topic(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("1")  # cursor on Vladimir Putin
        text = screen_text(app)
        assert "WITH Vladimir Putin" in text
        related = text.split("WITH Vladimir Putin", 1)[1].splitlines()
        assert "Recep Tayyip Erdoğan 2" in related[1]
        assert "Donald Trump" not in "".join(related[1:4])  # never seen with Putin


async def test_unread_only(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")  # Putin read
        await pilot.press("u")
        assert app.reader.state.filter.unread_only
        assert list_titles(app) == [TRUMP, SOCHI, GREECE]
        assert "unread only" in screen_text(app)
        await pilot.press("u")
        assert list_titles(app) == [PUTIN, TRUMP, SOCHI, GREECE]


async def test_search_is_diacritic_insensitive_and_filters_by_topic(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"erdogan")
        await pilot.pause()
        text = screen_text(app)
        assert "# Recep Tayyip Erdoğan" in text
        assert TRUMP in text  # titles match too
        await pilot.press("enter")
        assert not isinstance(app.screen, SearchScreen)
        assert list(app.reader.state.filter.topics) == ["recep tayyip erdogan"]
        assert list_titles(app) == [PUTIN, TRUMP, SOCHI]


async def test_search_for_a_title_jumps_to_it(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"libyan amb", "enter")
        await settle(pilot)
        assert app.reader.article_list.current and app.reader.article_list.current.title == GREECE
        await pilot.press("slash", *"zzzz")
        await pilot.pause()
        assert "nothing found" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)


async def test_fact_highlights_its_sentence_and_entity_becomes_filter(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        facts = app.reader.facts_list
        quote = next(i for i, o in enumerate(facts.options) if o.id and "Kalın" in str(o.prompt)
                     and "“" in str(o.prompt))
        facts.highlighted = quote
        await pilot.pause()
        assert app.reader.article_view.sentence == 4
        said = "“We are starting to work on it as I speak,” said Kalın."
        assert app.reader.article_view.highlighted == said
        lit = "".join(
            seg.text
            for strip in app.screen._compositor.render_strips()
            for seg in strip
            if seg.style is not None and seg.style.reverse
        )
        assert "We are" in lit and "said Kalın." in lit  # drawn reversed on screen
        # Enter on a person adds them as a topic filter.
        person = next(i for i, o in enumerate(facts.options) if "Vladimir Putin" in str(o.prompt))
        facts.highlighted = person
        await pilot.press("enter")
        assert list(app.reader.state.filter.topics) == ["vladimir putin"]
        await pilot.press("space")  # and space toggles it off again
        assert list(app.reader.state.filter.topics) == []


async def test_help_screen_lists_every_binding(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 240)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for _, bindings in app.binding_sections():
            for binding in bindings:
                assert binding.id and binding.id in text, binding.id
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_every_action(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for section, bindings in app.binding_sections():
            for binding in bindings:
                if binding.action == "command_palette":
                    continue
                title = binding.description if section == "Reader" else (
                    f"{section}: {binding.description}")
                assert title in titles, title
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Star")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.article_list.current and app.reader.article_list.current.starred
        # Widget actions run on their widget: the sidebar's filter toggles its topic.
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == "Topics sidebar: Filter")
        await command.callback()
        await pilot.pause()
        assert list(app.reader.state.filter.topics) == ["vladimir putin"]


async def test_feeds_screen_lists_feeds(reader: Reader, tmp_path: Path) -> None:
    feeds = tmp_path / "two.toml"
    feeds.write_text(
        '[[feeds]]\nname = "Ankara Desk"\nurl = "https://example.com/ankara.xml"\n'
        '[[feeds]]\nname = "test"\nurl = "https://example.com/test.xml"\n',
        encoding="utf-8",
    )
    reader.feeds = feeds
    app = reader.app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        text = screen_text(app)
        assert "Ankara Desk" in text and "never" in text
        assert "https://example.com/test.xml" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, FeedsScreen)


async def test_q_quits_and_filters_persist_across_restart(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1", "space", "a", "u", "right_square_bracket")
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running
    reader.close()
    again = reader.app()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.reader.state.filter.topics == ("vladimir putin",)
        assert again.reader.state.filter.mode == "or" and again.reader.state.filter.unread_only
        assert list_titles(again) == [PUTIN, SOCHI]
        assert again.reader.state.show_facts is False


async def test_user_remaps_keys_by_binding_id(reader: Reader) -> None:
    config = Path(os.environ["BRIEFING_CONFIG_HOME"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\ntoggle-star = "x"\nno-such-binding = "y"\n', encoding="utf-8")
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert app.reader.article_list.current and app.reader.article_list.current.starred
        await pilot.press("s")  # the old key no longer stars
        assert app.reader.article_list.current.starred
        await pilot.press("question_mark")
        assert "x" in screen_text(app)


async def test_no_color_is_respected(reader: Reader, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = reader.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color


async def test_empty_store_shows_an_empty_list(tmp_path: Path, feeds_file: Path) -> None:
    home = tmp_path / "empty"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
    reader = Reader(home, feeds_file)
    app = reader.app()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("j", "enter", "s", "m", "1", "space", "4", "slash", "escape")
            assert "0 articles" in screen_text(app)
    finally:
        reader.close()


def test_run_reader_reports_a_store_it_cannot_use_with_exit_code_3(tmp_path: Path, capsys) -> None:
    from briefing.tui.app import run_reader

    home = tmp_path / "home"
    with Store.open(home):
        pass
    (home / "store" / "store.json").write_bytes(b'{"meta": {"1": {"schema": 99}}}')
    assert run_reader(str(home), None) == 3
    assert "newer briefing" in capsys.readouterr().err


async def test_clock_drives_relative_dates(reader: Reader) -> None:
    app = reader.app()
    assert app.library.now() == NOW
    assert isinstance(app, BriefingApp)


async def test_facts_from_an_older_engine_are_redone_when_the_article_opens(tmp_path: Path) -> None:
    from briefing.core.ingest.pipeline import facts_version
    from briefing.core.models.facts import Entity, Facts
    from tests.tui.conftest import CORPUS, build_article

    stale = Facts(title="old", entities=(Entity("Stale Name", "person"),), topics=("Stale Name",))
    old = replace(build_article(CORPUS[0]), facts=stale, extra={"facts_version": "older-engine"})
    with Store.open(tmp_path) as store:
        store.add_articles([old])
        store.set_info(samples_loaded=True)
    store = Store.open(tmp_path)
    try:
        app = BriefingApp(Library(store, clock=lambda: NOW), refresh_on_timer=False)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            assert app.reader.article is not None and app.reader.article.facts is not None
            names = {e.name for e in app.reader.article.facts.entities}
            assert "Stale Name" not in names and "Vladimir Putin" in names
            assert "Stale Name" not in await shown(pilot, "Vladimir Putin")
            assert "Vladimir Putin" in screen_text(app)
            assert store.facts_version_of(old.id) == facts_version()
    finally:
        store.close()


async def test_an_unexpected_error_in_the_reader_ends_it_with_a_log_file(
    reader: Reader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_LOG_DIR", str(tmp_path / "logs"))
    app = reader.app(log_crashes=True)

    def bug() -> None:
        raise ZeroDivisionError("a bug in a handler")

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.call_later(bug)
        for _ in range(100):
            if not app.is_running:
                break
            await asyncio.sleep(0.05)
    assert app.return_code == 1 and isinstance(app.crashed, ZeroDivisionError)
    assert app.crash_log is not None and "a bug in a handler" in app.crash_log.read_text()


async def test_a_just_fetched_article_shows_facts_made_on_the_spot_and_stays_pending(
    tmp_path: Path, feeds_file: Path
) -> None:
    from datetime import timedelta

    from briefing.core.ingest.pipeline import store_articles
    from briefing.core.models.article import Article

    home = tmp_path / "pending-home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        fresh = Article(id="", title="Erdoğan meets Putin in Sochi", link="https://example.com/p1",
                        text="Recep Tayyip Erdoğan met Vladimir Putin in Sochi on Tuesday.",
                        published=NOW - timedelta(hours=1))
        (aid,) = store_articles(store, [fresh]).added  # phase 1 only: facts pending
    reader = Reader(home, feeds_file)
    app = reader.app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            assert app.reader.article is not None and app.reader.article.facts is not None
            assert "Vladimir Putin" in screen_text(app)
            app.reader.facts_pane.show_facts(None, pending=True)
            await pilot.pause()
            assert "Facts pending" in screen_text(app)
        with Store.open(home) as store:  # the fetch's phase 2 stores them, with story and search
            assert store.facts_version_of(aid) is None and store.unextracted() == [aid]
    finally:
        reader.close()


async def test_facts_pane_names_an_unnamed_speaker_by_description_and_marks_future_dates(
    tmp_path: Path, feeds_file: Path
) -> None:
    from datetime import timedelta

    from briefing.core.ingest.pipeline import ingest
    from briefing.core.models.article import Article

    home = tmp_path / "described-home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        ingest(store, [Article(
            id="", title="Port of Varna to reopen", link="https://example.com/varna",
            text="The port of Varna will reopen on Monday after a week of strikes, officials said.\n\n"
                 "\"The cranes are ready and the crews are back,\" a port official said on Wednesday.",
            published=NOW - timedelta(hours=1))])
    reader = Reader(home, feeds_file)
    app = reader.app()
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            from briefing.tui.widgets.facts_pane import FactsList

            facts = app.reader.facts_pane.query_one(FactsList)
            lines = [str(facts.get_option_at_index(i).prompt) for i in range(facts.option_count)]
            assert "“The cranes are ready and the crews are back” — a port official" in lines
            assert not any("unattributed" in line for line in lines)
            text = squash(screen_text(app))
            assert "2019-11-25 Monday (future)" in text  # the Monday after Wed 20 Nov 2019
            assert "2019-11-20 Wednesday" in text and "Wednesday (future)" not in text
    finally:
        reader.close()
