"""The reader open all day beside scheduled `briefing fetch` runs: real processes, one store.

A loopback feed server, the reader driven by Pilot, and `briefing fetch` subprocesses at
the same time: the fetch never waits for the reader, the reader shows what the fetch
stored without a restart, and a second fetch started during the first waits for its
writes and then finds every feed unchanged (304).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from tests.httpserver import FeedServer, RequestHandler
from tests.tui.conftest import Reader, settle

pytestmark = pytest.mark.anyio
REPO = Path(__file__).resolve().parents[2]


def _feed(name: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>{name} dispatch {i} on the pipeline talks</title>"
        f"<link>http://127.0.0.1/{name}/{i}</link><guid>{name}-{i}</guid>"
        f"<description>Officials in Ankara met on Monday about item {i}.</description></item>"
        for i in range(n))
    return f"<rss version='2.0'><channel><title>{name}</title>{items}</channel></rss>".encode()


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "BRIEFING_HOME"}
    env["NO_PROXY"] = "*"
    return env


async def test_a_scheduled_fetch_runs_beside_the_reader_which_shows_its_articles(
    reader: Reader, tmp_path: Path
) -> None:
    hold = threading.Event()
    served: list[str] = []

    def slow(handler: RequestHandler) -> None:
        served.append(handler.headers.get("If-None-Match") or "")
        if handler.headers.get("If-None-Match") == '"slow-1"':
            handler.send(304, headers={"ETag": '"slow-1"'})
            return
        hold.wait(10)  # keeps the first fetch running while a second one starts
        handler.send(200, _feed("slow", 3), {"Content-Type": "application/rss+xml", "ETag": '"slow-1"'})

    def fast(handler: RequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"fast-1"':
            handler.send(304, headers={"ETag": '"fast-1"'})
            return
        handler.send(200, _feed("fast", 4), {"Content-Type": "application/rss+xml", "ETag": '"fast-1"'})

    with FeedServer() as server:
        server.handle("/fast.xml", fast)
        server.handle("/slow.xml", slow)
        feeds = tmp_path / "cron-feeds.toml"
        feeds.write_text(f'[settings]\nrefresh_minutes = 0\ntimeout = 10\ndeadline = 20\n\n'
                         f'[[feeds]]\nname = "Fast"\nurl = "{server.url("/fast.xml")}"\n\n'
                         f'[[feeds]]\nname = "Slow"\nurl = "{server.url("/slow.xml")}"\n', encoding="utf-8")
        argv = [sys.executable, "-m", "briefing", "--home", str(reader.home), "--feeds", str(feeds),
                "fetch", "--progress", "json"]
        app = reader.app()
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            before = len(app.reader.state.articles)
            first = subprocess.Popen(argv, cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
            await asyncio.sleep(1.0)  # it has stored the fast feed and waits on the slow one
            second = subprocess.Popen(argv, cwd=REPO, env=_env(), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE)
            await asyncio.sleep(0.5)
            assert app.is_running
            hold.set()
            out, err = await asyncio.to_thread(first.communicate, timeout=60)
            assert first.returncode == 0, err
            ended = time.monotonic()
            while time.monotonic() - ended < 2.0 and len(app.reader.state.articles) < before + 7:
                await pilot.pause(0.1)
            assert len(app.reader.state.articles) == before + 7, "shown within 2 s of the fetch's end"
            await settle(pilot)
            assert any(a.title.startswith("slow dispatch") for a in app.reader.state.articles)
            assert any("stored by another briefing" in n.message for n in app._notifications)
            out2, err2 = await asyncio.to_thread(second.communicate, timeout=60)
            assert second.returncode == 0, err2
            steps = [orjson.loads(line) for line in out2.splitlines()]
            statuses = {s["feed"]: s["status"] for s in steps if s["event"] == "feed"}
            assert statuses == {"Fast": "not_modified", "Slow": "not_modified"}
            await pilot.press("q")
    assert served.count('"slow-1"') == 1  # the second fetch asked with the first one's ETag
