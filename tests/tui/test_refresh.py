"""`r` refreshes in a background worker: the UI stays live, new articles appear, and a
failing feed is reported per feed without a traceback. Feeds are local `file:` feeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message

from briefing.tui.messages import FeedRefreshed, RefreshFinished
from briefing.tui.screens.feeds import FeedsScreen
from tests.tui.conftest import Reader, list_titles, screen_text, settle

pytestmark = pytest.mark.anyio

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local Wire</title><link>https://local.example/</link>
<description>test</description>
<item><title>Fresh [bold]report[/bold] from Ankara</title>
<link>https://local.example/fresh</link><guid>fresh-1</guid>
<pubDate>Wed, 20 Nov 2019 11:30:00 GMT</pubDate>
<description>Ankara said on Wednesday that talks would go on.</description></item>
</channel></rss>
"""


@pytest.fixture
def local_feeds(tmp_path: Path) -> Path:
    feed = tmp_path / "local.xml"
    feed.write_text(RSS, encoding="utf-8")
    config = tmp_path / "local-feeds.toml"
    config.write_text(
        "[settings]\nrefresh_minutes = 0\n"
        f'[[feeds]]\nname = "Local Wire"\nurl = "{feed.as_uri()}"\n'
        f'[[feeds]]\nname = "Missing"\nurl = "{(tmp_path / "missing.xml").as_uri()}"\n',
        encoding="utf-8",
    )
    return config


async def test_r_refreshes_and_new_article_appears(reader: Reader, local_feeds: Path) -> None:
    pytest.importorskip("briefing.core.feeds.refresh")
    reader.feeds = local_feeds
    messages: list[Message] = []
    app = reader.app()
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert len(app.reader.state.articles) == 4
        await pilot.press("r", "j")  # keys still work while the refresh runs
        await settle(pilot)
        await settle(pilot)
        finished = [m for m in messages if isinstance(m, RefreshFinished)]
        assert finished and finished[0].error is None, finished
        per_feed = {m.name: m for m in messages if isinstance(m, FeedRefreshed)}
        assert per_feed["Local Wire"].added == 1 and per_feed["Local Wire"].error is None
        assert per_feed["Missing"].error and "not found" in per_feed["Missing"].error
        assert "Fresh [bold]report[/bold] from Ankara" in list_titles(app)
        assert len(app.reader.state.articles) == 5
        text = screen_text(app)
        assert "Fresh [bold]report[/bold] from Ankara" in text
        assert "refreshed: 1 new, 1 feed failed" in text
        assert not app.reader.refreshing
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedsScreen)
        text = screen_text(app)
        assert "Local Wire" in text and "not found" in text


async def test_a_refresh_large_enough_for_worker_processes_works_under_the_reader(
    reader: Reader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under Textual sys.stderr is a print capture with no file descriptor, and starting
    multiprocessing's helper processes from it failed ("bad value(s) in fds_to_keep"):
    every refresh large enough for the worker pool stopped without storing anything."""
    from briefing.core.feeds import refresh

    monkeypatch.setattr(refresh, "POOL_THRESHOLD", 1)  # the pool path, on a small feed
    items = "".join(
        f"<item><title>Pool story {i}</title><link>https://local.example/pool/{i}</link>"
        f"<description>Officials in Ankara met on Monday about item {i}.</description></item>"
        for i in range(40))
    feed = tmp_path / "pool.xml"
    feed.write_text(f"<rss version='2.0'><channel><title>Pool</title>{items}</channel></rss>",
                    encoding="utf-8")
    config = tmp_path / "pool-feeds.toml"
    config.write_text(f'[settings]\nrefresh_minutes = 0\n[[feeds]]\nname = "Pool"\nurl = "{feed.as_uri()}"\n',
                      encoding="utf-8")
    reader.feeds = config
    messages: list[Message] = []
    app = reader.app()
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(pilot)
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.1)
            if any(isinstance(m, RefreshFinished) for m in messages):
                break
        finished = [m for m in messages if isinstance(m, RefreshFinished)]
        assert finished and finished[0].error is None, finished
        assert finished[0].added == 40, [m for m in messages if isinstance(m, FeedRefreshed)]
        await settle(pilot)
        assert len(app.reader.state.articles) == 44
        assert any(title.startswith("Pool story") for title in list_titles(app))


async def test_refresh_with_a_broken_feeds_file_says_why(reader: Reader, tmp_path: Path) -> None:
    pytest.importorskip("briefing.core.feeds.refresh")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[feeds]\nname = 1\n", encoding="utf-8")  # not TOML: nothing is fetched
    reader.feeds = broken
    messages: list[Message] = []
    app = reader.app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        finished = [m for m in messages if isinstance(m, RefreshFinished)]
        assert finished and finished[0].error and "broken.toml" in finished[0].error
        assert app.is_running and not app.reader.refreshing


async def test_offline_refresh_sums_up_failures_instead_of_a_notice_each(
    reader: Reader, tmp_path: Path
) -> None:
    config = tmp_path / "many.toml"
    config.write_text("[settings]\nrefresh_minutes = 0\n" + "".join(
        f'[[feeds]]\nname = "Gone {i}"\nurl = "{(tmp_path / f"gone{i}.xml").as_uri()}"\n'
        for i in range(7)), encoding="utf-8")
    reader.feeds = config
    app = reader.app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        per_feed = [m for m in notices if m.startswith("Gone ")]
        assert len(per_feed) == 3
        assert "7 feeds failed; press f for each feed's reason" in notices


async def test_refresh_minutes_schedules_a_background_refresh(reader: Reader, feeds_file: Path) -> None:
    feeds_file.write_text("[settings]\nrefresh_minutes = 45\n", encoding="utf-8")
    app = reader.app(refresh_on_timer=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.reader.refresh_timer is not None and app.reader.refresh_every == 45 * 60


async def test_refresh_minutes_zero_schedules_nothing(reader: Reader, feeds_file: Path) -> None:
    app = reader.app(refresh_on_timer=True)  # the fixture's feeds.toml says refresh_minutes = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.reader.refresh_timer is None and app.reader.refresh_every == 0


async def test_a_bad_feed_entry_is_reported_and_the_others_refresh(reader: Reader, tmp_path: Path) -> None:
    local = tmp_path / "local.xml"
    local.write_text("<rss version='2.0'><channel><title>L</title><item><title>Local story</title>"
                     "<link>http://127.0.0.1/l/1</link><description>Officials met.</description></item>"
                     "</channel></rss>", encoding="utf-8")
    feeds = tmp_path / "mixed.toml"
    feeds.write_text(f'[settings]\nrefresh_minutes = 0\n\n[[feeds]]\nname = "Local"\nurl = "{local}"\n\n'
                     '[[feeds]]\nname = "Typo"\nurl = "https://typo.example/rss"\ncolour = "red"\n',
                     encoding="utf-8")
    reader.feeds = feeds
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "Local story" in list_titles(app)
        assert any("mixed.toml:11" in n.message and "colour" in n.message for n in app._notifications)
