"""SIGKILL at random moments while `briefing fetch` and `briefing import` write the store:
after every kill the store opens cleanly (no damaged file, no notice), every article that
was stored before the kill is still there with its text, and read flags set between
kills persist. The children are real `python -m briefing` processes on a real store in
tmp_path, fetching from a loopback server.
"""

from __future__ import annotations

import os
import random
import signal
import string
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefing.core.store.store import Store
from tests.hostile.conftest import write_feeds_toml
from tests.httpserver import FeedServer, RequestHandler

REPO = Path(__file__).resolve().parents[2]
FEEDS = 12
ITEMS = 10
IMPORTED = 100
SEED = 20191120


def headline(rng: random.Random, *tag: object) -> str:
    """Made-up words, different in every article: stories sharing words are compared with
    each other at ingest (story clustering), which is not what these tests time."""
    words = ["".join(rng.choices(string.ascii_lowercase, k=7)) for _ in range(5)]
    return " ".join(words).capitalize() + " " + " ".join(map(str, tag))


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "BRIEFING_HOME"}
    env["NO_PROXY"] = "*"
    return env


def start(*argv: str) -> subprocess.Popen[bytes]:
    # A session of its own, so the kill reaches any worker process it started too.
    return subprocess.Popen([sys.executable, "-m", "briefing", *argv], cwd=REPO, env=child_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def kill(proc: subprocess.Popen[bytes], delay: float) -> None:
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        pass
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


class Ledger:
    """What the store held after the last kill, checked against the next; and two readers
    open all along (one read-only, one that may write), which must see the same."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.readers: list[Store] = []
        self.stored: set[str] = set()
        self.read: set[str] = set()
        self.kills = 0
        self.partial = 0  # kills that landed after some, but not all, of a run's articles
        self.outcomes: list[int] = []

    def check(self, label: str, expected_new: int) -> None:
        notices: list[str] = []
        with Store.open(self.home, notice=notices.append) as store:
            ids = {a.id for a in store.articles()}
            lost = self.stored - ids
            assert not lost, f"{label}: {len(lost)} stored articles lost"
            assert notices == [], f"{label}: {notices}"
            for aid in ids - self.stored:
                article = store.get(aid)
                assert article is not None and article.text, f"{label}: {aid} has no body"
            for aid in list(self.stored)[:20]:
                article = store.get(aid)
                assert article is not None and article.text
            read = {a.id for a in store.articles() if a.read}
            assert read == self.read, f"{label}: read flags changed"
            new = ids - self.stored
            self.outcomes.append(len(new))
            if 0 < len(new) < expected_new:
                self.partial += 1
            pick = sorted(new)[:3]
            store.set_read(pick)
        self.read.update(pick)
        self.stored = ids
        for n, reader in enumerate(self.readers):
            self.check_reader(f"{label}, reader {n}", reader)

    def check_reader(self, label: str, reader: Store) -> None:
        """A reader open through the kills: after polling it sees every committed article,
        with its body, and the read flags as they are, without reopening the store."""
        reader.poll_changes()
        metas = reader.articles()
        ids = {m.id for m in metas}
        missing, extra = len(self.stored - ids), len(ids - self.stored)
        assert ids == self.stored, f"{label}: {missing} missing, {extra} extra"
        for meta in metas[:30]:
            article = reader.get(meta.id)
            assert article is not None and article.text, f"{label}: {meta.id} has no body"
        assert {m.id for m in metas if m.read} == self.read, f"{label}: read flags differ"


@pytest.fixture
def rounds_server() -> Iterator[tuple[FeedServer, list[int]]]:
    current = [0]
    lock = threading.Lock()

    def feed(n: int) -> Callable[[RequestHandler], None]:
        def handler(request: RequestHandler) -> None:
            with lock:
                r = current[0]
            rng = random.Random(f"{r}-{n}")
            items = "".join(
                f"<item><title>{headline(rng, r, n, i)}</title>"
                f"<guid>r{r}-f{n}-{i}</guid><link>https://news.example/r{r}/f{n}/{i}</link>"
                f"<description>{headline(rng)} on Monday. {headline(rng)}.</description></item>"
                for i in range(ITEMS)
            )
            body = f'<rss version="2.0"><channel><title>Feed {n}</title>{items}</channel></rss>'.encode()
            request.send(200, body, {"Content-Type": "application/rss+xml"})

        return handler

    with FeedServer() as server:
        for n in range(FEEDS):
            server.handle(f"/f{n}.xml", feed(n))
        yield server, current


@pytest.mark.slow
def test_sigkill_during_fetch_and_import_never_loses_stored_articles(
    tmp_path: Path, rounds_server: tuple[FeedServer, list[int]]
) -> None:
    server, current = rounds_server
    rng = random.Random(SEED)
    home = tmp_path / "home"
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)  # the bundled samples are not what is tested
    feeds_toml = write_feeds_toml(tmp_path / "feeds.toml",
                                  [(f"Feed {n}", server.url(f"/f{n}.xml")) for n in range(FEEDS)])
    ledger = Ledger(home)
    ledger.readers = [Store.open(home, readonly=True), Store.open(home)]
    started = time.monotonic()

    # One uninterrupted fetch, to learn how long a run takes; the kills land within it.
    proc = start("fetch", "--home", str(home), "--feeds", str(feeds_toml), "--quiet")
    assert proc.wait(timeout=30) == 0
    fetch_time = time.monotonic() - started
    ledger.check("first fetch", FEEDS * ITEMS)
    assert len(ledger.stored) == FEEDS * ITEMS

    # The store is written at the end of a run: most kills aim at the last half of it.
    for r in range(1, 12):
        current[0] = r
        proc = start("fetch", "--home", str(home), "--feeds", str(feeds_toml), "--quiet")
        kill(proc, rng.uniform(0.1, 0.4) if r % 4 == 0 else rng.uniform(0.4, 1.0) * fetch_time)
        ledger.kills += 1
        ledger.check(f"fetch round {r}", FEEDS * ITEMS)

    import_time = 0.0
    for r in range(11):
        drop = tmp_path / f"drop{r}"
        drop.mkdir()
        for i in range(IMPORTED):
            (drop / f"story-{i:03d}.txt").write_text(
                f"{headline(rng, 'import', r, i)}\n\n{headline(rng)} on Monday. {headline(rng)}.\n")
        proc = start("import", "--home", str(home), str(drop))
        if r == 0:  # uninterrupted, to time it
            began = time.monotonic()
            assert proc.wait(timeout=30) == 0
            import_time = time.monotonic() - began
        else:
            kill(proc, rng.uniform(0.3, 1.0) * import_time)
            ledger.kills += 1
        ledger.check(f"import round {r}", IMPORTED)

    print("new articles after each kill:", ledger.outcomes)
    for reader in ledger.readers:
        reader.close()
    assert ledger.kills >= 20
    assert len(ledger.stored) > FEEDS * ITEMS + IMPORTED  # some runs got to commit before their kill
    assert time.monotonic() - started < 60


def phase_2_feed(seed: int, slug: str, title: str) -> bytes:
    """600 items, enough that phase 2 runs in worker processes and commits several batches."""
    rng = random.Random(seed)
    body = "".join(
        f"<item><title>{headline(rng, i)}</title><link>http://127.0.0.1/{slug}/{i}</link>"
        f"<guid>{slug}-{i}</guid><description>Officials in Ankara and Kyiv met {headline(rng)} "
        f"on Monday; Maria Kowalski said $3 billion was at stake.</description></item>"
        for i in range(600))
    return f"<rss version='2.0'><channel><title>{title}</title>{body}</channel></rss>".encode()


def test_a_fetch_killed_in_phase_2_is_finished_by_the_next_and_nothing_is_done_twice(tmp_path: Path) -> None:
    """Killed after its articles are stored and some of their facts committed, a fetch
    leaves those articles readable; the next fetch enriches exactly the ones left."""
    import orjson

    feed = phase_2_feed(SEED, "kill2", "Kill two")
    home = tmp_path / "home"
    with FeedServer() as server:
        server.reply("/k.xml", body=feed, headers={"Content-Type": "application/rss+xml", "ETag": '"k1"'})
        feeds = write_feeds_toml(tmp_path / "feeds.toml", [("Kill two", server.url("/k.xml"))])
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefing", "--home", str(home), "--feeds", str(feeds), "fetch",
             "--progress", "json"], cwd=REPO, env=child_env(), stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, start_new_session=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            step = orjson.loads(line)
            if step["event"] == "enriched" and 0 < step["enriched"] < step["pending"]:
                os.killpg(proc.pid, signal.SIGKILL)  # in the middle of phase 2
                break
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, "the fetch ended before phase 2 could be stopped"
        with Store.open(home) as store:
            mine = [m for m in store.articles() if m.feed == "Kill two"]
            missing = set(store.unextracted())
            assert len(mine) == 600, "phase 1 stored every article before phase 2 began"
            assert 0 < len(missing) < 600
            done_before = {m.id: store.get(m.id).facts for m in mine if m.id not in missing}  # type: ignore[union-attr]
        again = subprocess.run(
            [sys.executable, "-m", "briefing", "--home", str(home), "--feeds", str(feeds), "fetch",
             "--progress", "json"], cwd=REPO, env=child_env(), capture_output=True, check=True)
    steps = [orjson.loads(line) for line in again.stdout.splitlines()]
    enriched = [s for s in steps if s["event"] == "enriched"]
    assert enriched and enriched[-1]["pending"] == len(missing) == enriched[-1]["enriched"]
    with Store.open(home) as store:
        assert not store.unextracted()
        for aid, facts in done_before.items():  # not computed again: the very same facts
            assert store.get(aid).facts == facts  # type: ignore[union-attr]


def live_members(group: int) -> list[str]:
    """Processes of a process group that still run (zombies, waiting for a reaper that a
    container may not have, are no longer running anything), as "pid state command"."""
    live: list[str] = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        state, pgrp = fields[0], int(fields[2])
        if pgrp == group and state not in {"Z", "X"}:
            live.append(f"{stat.parent.name} {state} {(stat.parent / 'cmdline').read_bytes()[:80]!r}")
    return live


@contextmanager
def fetch_in_phase_2(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A `briefing fetch` (in a session of its own) stopped at its first committed batch
    of phase 2, while worker processes extract facts; whatever is left of its process
    group is killed at the end."""
    import orjson

    feed = phase_2_feed(SEED + 1, "alone", "Alone")
    with FeedServer() as server:
        server.reply("/a.xml", body=feed, headers={"Content-Type": "application/rss+xml"})
        feeds = write_feeds_toml(tmp_path / "feeds.toml", [("Alone", server.url("/a.xml"))])
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefing", "--home", str(tmp_path / "home"), "--feeds", str(feeds),
             "fetch", "--progress", "json"], cwd=REPO, env=child_env(), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                step = orjson.loads(line)
                if step["event"] == "enriched" and 0 < step["enriched"] < step["pending"]:
                    assert len(live_members(proc.pid)) > 1, "phase 2 runs in worker processes"
                    yield proc
                    return
            pytest.fail("the fetch ended before phase 2 could be stopped")
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate(timeout=30)


def group_left(group: int) -> list[str]:
    """The processes of `group` still running after up to 20 s."""
    deadline = time.monotonic() + 20
    while (left := live_members(group)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads processes from /proc (Linux)")


@needs_proc
def test_a_fetch_killed_alone_leaves_no_worker_behind(tmp_path: Path) -> None:
    """SIGKILL to the fetch alone (a cron job's timeout, the OOM killer), not to its group:
    its worker processes end too. They waited for work from a dead parent forever, holding
    the facts engine's memory and cron's output pipe (so the job never finished)."""
    with fetch_in_phase_2(tmp_path) as proc:
        proc.kill()
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert not (left := group_left(proc.pid)), f"still running after the fetch was killed: {left}"


@needs_proc
def test_ctrl_c_stops_a_fetch_in_one_line_and_its_workers_with_it(tmp_path: Path) -> None:
    """Ctrl-C signals the terminal's whole process group: the fetch says "interrupted" once,
    exits 130, and no worker prints a KeyboardInterrupt traceback."""
    with fetch_in_phase_2(tmp_path) as proc:
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert (proc.returncode, err.decode()) == (130, "briefing: interrupted\n")
        assert not (left := group_left(proc.pid)), f"still running after Ctrl-C: {left}"


@needs_proc
def test_sigterm_stops_a_fetch_in_one_line(tmp_path: Path) -> None:
    """SIGTERM (systemd stopping a unit, `timeout`) unwinds like Ctrl-C: one line, exit 143,
    no leaked-semaphore warning from the resource tracker, no worker left."""
    with fetch_in_phase_2(tmp_path) as proc:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
        assert (proc.returncode, err.decode()) == (143, "briefing: terminated\n")
        assert not (left := group_left(proc.pid)), f"still running after SIGTERM: {left}"
