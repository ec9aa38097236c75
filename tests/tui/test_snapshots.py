"""Snapshots of the reader's screens on a fixed store and clock (pytest-textual-snapshot).

Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the
SVGs before committing them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from briefing.core.models.feeds import FeedState
from briefing.core.store.store import Store
from tests.tui.conftest import CORPUS, NOW, Reader, Spec, make_store, settle

FEEDS = """[settings]
refresh_minutes = 0

[[feeds]]
name = "Test Wire"
url = "https://example.com/test.xml"

[[feeds]]
name = "Ankara Desk"
url = "https://example.com/ankara.xml"

[[feeds]]
name = "Never fetched"
url = "https://example.com/new.xml"
"""


@pytest.fixture
def snap_reader(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds.toml").write_text(FEEDS, encoding="utf-8")
    with Store.open(home) as store:
        store.save_feed_states([
            FeedState("https://example.com/test.xml", last_fetch=NOW - timedelta(minutes=5),
                      last_success=NOW - timedelta(minutes=5), article_count=4),
            FeedState("https://example.com/ankara.xml", last_fetch=NOW - timedelta(hours=3),
                      last_error="HTTP 503 Service Unavailable; retrying after 10 minutes"),
        ])
    reader = Reader(home, "feeds.toml")
    yield reader
    reader.close()


async def _settle(pilot: Pilot[None]) -> None:
    await settle(pilot)


def test_main_screen_80x24(snap_reader: Reader, snap_compare: Any) -> None:
    assert snap_compare(snap_reader.app(), terminal_size=(80, 24), run_before=_settle)


def test_main_screen_160x48(snap_reader: Reader, snap_compare: Any) -> None:
    assert snap_compare(snap_reader.app(), terminal_size=(160, 48), run_before=_settle)


def test_main_screen_filtered_with_fact_selected(snap_reader: Reader, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("1", "space", "4", "down", "down")
        await settle(pilot)

    assert snap_compare(snap_reader.app(), terminal_size=(160, 48), run_before=run_before)


def test_help_screen(snap_reader: Reader, snap_compare: Any) -> None:
    assert snap_compare(snap_reader.app(), terminal_size=(110, 40), run_before=_settle,
                        press=["question_mark"])


def test_feeds_screen(snap_reader: Reader, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(snap_reader.app(), terminal_size=(120, 24), run_before=run_before)


def test_main_screen_with_stories_and_watchlists(
    snap_reader: Reader, snap_compare: Any, tmp_path: Path
) -> None:
    """A story from two outlets ("also in", ≡2), a watchlist with its unread count, the
    related stories of the open article."""
    from tests.tui.test_workflow import STORIES, write_watchlists

    home = tmp_path / "stories-snap"
    make_store(home, STORIES)
    write_watchlists('[watch]\n"Kalın and Sochi" = "Sochi OR \\"İbrahim Kalın\\""\n')
    reader = Reader(home, snap_reader.feeds)
    try:
        assert snap_compare(reader.app(), terminal_size=(160, 48), run_before=_settle)
    finally:
        reader.close()


# -- issue 13: dates by age, zoom, feeds with counts, help on a small terminal -----------------

AGES = [
    *CORPUS,
    Spec(id="e00000000005", title="Black Sea grain corridor talks resume in Istanbul after a pause",
         paragraphs=[["Talks resumed in Istanbul."]], hours_ago=24 * 60, source="Energy Monitor (sample)"),
    Spec(id="f00000000006", title="Parliament in Ankara approves the budget",
         paragraphs=[["The budget passed."]], hours_ago=24 * 420, source="Ankara Desk"),
]


@pytest.fixture
def ages_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Articles of today, this week, this year and last year, from feeds named as their
    outlets (so the feeds screen counts them); one read, one feed failing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFING_CONFIG_HOME", str(tmp_path / "config"))
    home = tmp_path / "ages"
    make_store(home, [replace(s, feed=s.source) for s in AGES])
    (tmp_path / "ages-feeds.toml").write_text(AGES_FEEDS, encoding="utf-8")
    with Store.open(home) as store:
        store.set_read(["b00000000002"])
        store.save_feed_states([
            FeedState("https://example.com/test.xml", last_fetch=NOW - timedelta(minutes=5),
                      last_success=NOW - timedelta(minutes=5), article_count=1),
            FeedState("https://example.com/ankara.xml", last_fetch=NOW - timedelta(hours=3),
                      last_success=NOW - timedelta(days=2),
                      last_error="HTTP 503 Service Unavailable; retrying after 10 minutes"),
        ])
    reader = Reader(home, "ages-feeds.toml")
    yield reader
    reader.close()


AGES_FEEDS = """[settings]
refresh_minutes = 0

[[feeds]]
name = "Test Wire"
url = "https://example.com/test.xml"

[[feeds]]
name = "Ankara Desk"
url = "https://example.com/ankara.xml"

[[feeds]]
name = "Capitol Desk"
url = "https://example.com/capitol.xml"
"""


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_list_with_dates_of_several_ages(
    ages_reader: Reader, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(ages_reader.app(), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_zoomed_article(ages_reader: Reader, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("3", "z")
        await settle(pilot)

    assert snap_compare(ages_reader.app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_feeds_screen_with_counts(ages_reader: Reader, snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(ages_reader.app(), terminal_size=size, run_before=run_before)


def test_help_screen_80x24(snap_reader: Reader, snap_compare: Any) -> None:
    assert snap_compare(snap_reader.app(), terminal_size=(80, 24), run_before=_settle,
                        press=["question_mark"])
