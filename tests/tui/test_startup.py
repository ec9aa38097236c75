"""Start-up cost: importing the reader must not pull in the facts engine, HTTP, feed
parsing or refresh code; they load lazily inside workers when first needed.
"""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from tests.tui.conftest import Reader, settle

HEAVY = ("briefing.core.facts", "briefing.core.feeds.refresh", "briefing.core.feeds.fetch",
         "briefing.core.feeds.parse", "briefing.core.stories.clusters", "briefing.core.search.index",
         "briefing.core.watch", "briefing.core.export", "briefing.core.stories.related",
         "briefing.core.feeds.fulltext", "briefing.tui.screens.help",
         "briefing.tui.screens.search", "briefing.tui.screens.feeds", "httpx", "feedparser", "selectolax",
         "trafilatura",
         # not heavy, but the first screen shows metadata only: building the other
         # model classes waits until an article is opened
         "briefing.core.models.article", "briefing.core.models.facts", "briefing.core.models.feeds")


def test_app_import_stays_light() -> None:
    code = (
        "import sys, briefing.tui.app\n"
        f"heavy = [m for m in sys.modules if m.startswith({HEAVY!r})]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.anyio
async def test_collector_paused_for_start_up_resumes_after_the_first_frame(reader: Reader) -> None:
    """The launcher pauses the cyclic collector; the reader must turn it back on, or a
    session of hours would never collect a cycle."""
    app = reader.app()
    gc.disable()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects are set aside, not rescanned
            assert app.tends_collector  # and so is each list loaded (set_aside_loaded)
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.anyio
async def test_collector_left_alone_when_nobody_paused_it(reader: Reader) -> None:
    app = reader.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
