"""The reader killed politely while it refreshes: SIGTERM, SIGHUP and Ctrl-C (SIGINT)
sent to the real `python -m briefing` running under a pseudo-terminal, while a refresh
waits on a slow loopback feed.

Expected: read flags set before the signal are on disk, the pending save of the filters
is flushed, the terminal is restored (alt screen left, cursor shown), and the process
exits within a few seconds whatever the refresh is waiting on.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefing.core.models.article import Article
from briefing.core.store.store import Store
from tests.hostile.conftest import MARKERS, ingest_hostile, write_feeds_toml
from tests.httpserver import FeedServer

REPO = Path(__file__).resolve().parents[2]
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
PROMPT = 5.0
"""Seconds a signalled reader may take to exit (generous: the whole suite may be running)."""


@dataclass
class Session:
    """What one signalled session came to."""

    output: bytes
    signalled_at: int
    """Offset in `output` where the signal was sent."""
    exit_after: float | None
    """Seconds from the signal to the exit; None when it had not exited after PROMPT."""
    home: Path
    read_id: str


class Terminal:
    """A child process on a pty; everything it writes is collected."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.chdir(REPO)
            os.execve(sys.executable, [sys.executable, *argv], env)
        self.output = bytearray()
        self.status: int | None = None

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the child closed the terminal
                return
            if not data:
                return
            self.output.extend(data)

    def wait_for(self, text: bytes, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if text in self.output:
                return True
            self.pump(0.05)
        return text in self.output

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def close(self) -> None:
        if not self.exited():
            os.kill(self.pid, signal.SIGKILL)  # our own child, by its id
            _, self.status = os.waitpid(self.pid, 0)
        os.close(self.fd)


def run_session(tmp_path: Path, signum: int) -> Session:
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        store.add_articles([
            Article(id="", title=f"Story {i} from Ankara", text=f"Body {i}.", link=f"https://x.example/{i}",
                    published=datetime(2019, 11, 10 + i, tzinfo=UTC))
            for i in range(3)
        ])
        newest = store.articles()[0].id
    with FeedServer() as server:
        server.handle("/slow.xml", lambda request: request.stopping.wait(30))
        feeds = write_feeds_toml(tmp_path / "feeds.toml", [("Slow", server.url("/slow.xml"))],
                                 timeout=30, deadline=60)
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "BRIEFING_HOME"}
        env.update(TERM="xterm-256color", COLUMNS="120", LINES="32", NO_PROXY="*", LANG="C.UTF-8")
        term = Terminal(["-m", "briefing", "--home", str(home), "--feeds", str(feeds)], env)
        try:
            assert term.wait_for(b"3 articles", 30), bytes(term.output[-500:])
            term.pump(0.3)
            os.write(term.fd, b"\r")  # open the newest article: marks it read
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                term.pump(0.1)
                with Store.open(home, readonly=True) as reader:
                    meta = reader.meta(newest)
                    if meta is not None and meta.read:
                        break
            else:
                pytest.fail("the read flag never reached the store")
            os.write(term.fd, b"u")  # the unread-only filter: saved a second later
            os.write(term.fd, b"r")  # refresh: waits on the slow feed
            deadline = time.monotonic() + 20
            while not server.hits("/slow.xml") and time.monotonic() < deadline:
                term.pump(0.05)
            assert server.hits("/slow.xml"), "the refresh never started"
            signalled_at = len(term.output)
            sent = time.monotonic()
            os.kill(term.pid, signum)
            exit_after: float | None = None
            while time.monotonic() - sent < PROMPT:
                term.pump(0.05)
                if term.exited():
                    exit_after = time.monotonic() - sent
                    break
            term.pump(0.2)
        finally:
            term.close()
    return Session(bytes(term.output), signalled_at, exit_after, home, newest)


SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP, "SIGINT": signal.SIGINT}
_sessions: dict[str, Session] = {}


@pytest.fixture(params=list(SIGNALS))
def session(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    name = request.param
    if name not in _sessions:  # one real session per signal, shared by the checks below
        _sessions[name] = run_session(tmp_path_factory.mktemp(name.lower()), SIGNALS[name])
    yield _sessions[name]


@pytest.mark.slow
def test_read_flags_set_before_the_signal_persist_and_the_store_reopens(session: Session) -> None:
    with Store.open(session.home) as store:  # a writable open: the lock was released
        meta = store.meta(session.read_id)
        assert meta is not None and meta.read
        assert len(store) == 3


@pytest.mark.slow
def test_the_terminal_is_restored_and_the_process_exits_promptly(session: Session) -> None:
    after = session.output[session.signalled_at :]
    assert session.exit_after is not None, f"still running {PROMPT} s after the signal"
    assert LEAVE_ALT_SCREEN in after and SHOW_CURSOR in after, after[-300:]


@pytest.mark.slow
def test_the_pending_save_of_the_filters_is_flushed(session: Session) -> None:
    with Store.open(session.home, readonly=True) as store:
        filters = store.ui_state().get("filters", {})
    assert filters.get("unread_only") is True


@pytest.mark.slow
def test_the_bytes_written_to_a_real_terminal_carry_no_feed_sequence(tmp_path: Path) -> None:
    """The hostile store on a real pty: every article opened, then quit with q. What the
    process wrote holds none of the text hidden inside the fixtures' sequences, no OSC 52
    (clipboard), no DCS, no OSC 8 link, no C1 control and no BEL."""
    home = tmp_path / "home"
    ingest_hostile(home, tmp_path)
    feeds = write_feeds_toml(tmp_path / "feeds.toml", [])
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "BRIEFING_HOME"}
    env.update(TERM="xterm-256color", COLUMNS="160", LINES="48", LANG="C.UTF-8")
    term = Terminal(["-m", "briefing", "--home", str(home), "--feeds", str(feeds)], env)
    try:
        assert term.wait_for(b"14 articles", 30), bytes(term.output[-500:])
        for _ in range(14):
            os.write(term.fd, b"j")
            term.pump(0.12)
        os.write(term.fd, b"q")
        end = time.monotonic() + 15
        while not term.exited() and time.monotonic() < end:
            term.pump(0.05)
        assert term.exited()
    finally:
        term.close()
    # Textual's own string command: OSC 22 sets the mouse pointer's shape.
    output = re.sub(rb"\x1b\]22;[a-z-]+\x07", b"", bytes(term.output))
    text = output.decode("utf-8", "replace")
    for marker in MARKERS:
        assert marker not in text, marker
    for sequence in (b"\x1b]52", b"\x1b]8;", b"\x1bP", b"\x07", b"\x1b]0;"):
        at = output.find(sequence)
        assert at < 0, repr(output[max(0, at - 60): at + 20])
    assert not re.search("[\x80-\x9f]", text)
    assert LEAVE_ALT_SCREEN in output[-400:]
