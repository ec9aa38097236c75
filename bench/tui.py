"""Reader start-up, filter and search latency, measured from outside on a real pseudo-terminal.

Each app runs as its own process on a 160x48 pty (--size to change), started the same
way: `briefing` on stores of 0, 5k, 50k and 500k articles, and a minimal Textual app (one
Static) as the baseline. "First frame" is the time from spawn until the app's first
screen content arrives on the pty. Then, at 50k and at 500k, a topic filter is toggled
with the keyboard and the time from the keypress to the repainted list (the new count in
the status line) is measured, and `/` search: the keypress that turns a query finding
nothing into one finding an old article's title (beyond any first page) until that
title is drawn. At 50k, `n` (next unread: keypress to the new count of unread articles)
and `A` (mark all 50k visible articles read: keypress to "0 unread of 50000"), on a copy
of the store.

Building 500k articles takes minutes and 2 GB: `--store-dir DIR` keeps the built stores
there and reuses them in later runs. Last line: first_frame_ratio_50k=R
filter_ms_median_50k=N next_unread_ms_median_50k=N mark_all_read_ms_50k=N
search_ms_median_50k=N first_frame_ratio_500k=R filter_ms_median_500k=N
search_ms_median_500k=N
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.store import build  # noqa: E402
from briefing.core.store.store import Store

MINIMAL = """
from textual.app import App, ComposeResult
from textual.widgets import Static
class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("minimal ready")
Minimal().run()
"""
SIZE = [160, 48]
"""Terminal columns and rows (--size); the big terminal is the harder case: more to draw."""
CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


class Term:
    """A process on a pty, with its screen output collected as plain bytes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        self.raw = b""
        self.plain = b""
        """The output without escape sequences, stripped as it arrives (stripping the whole
        history on every read cost the measurement more than the app took to answer)."""
        self._tail = b""

    def wait_for(self, pattern: re.Pattern[bytes], start: int = 0, timeout: float = 60.0) -> re.Match[bytes]:
        """Read until `pattern` shows in the plain output after offset `start`."""
        deadline = time.perf_counter() + timeout
        while True:
            # a match cannot begin much before the text that just arrived
            if (m := pattern.search(self.plain, start)) is not None:
                return m
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{pattern.pattern!r} did not appear")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self._absorb(os.read(self.fd, 1 << 16))
                except OSError:
                    raise TimeoutError("the app exited") from None

    def _absorb(self, chunk: bytes) -> None:
        """Add output; an escape sequence cut at the chunk's end waits for the next one."""
        self.raw += chunk
        data = self._tail + chunk
        cut = data.rfind(b"\x1b")
        if cut >= 0 and len(data) - cut < 64 and CSI.match(data, cut) is None:
            data, self._tail = data[:cut], data[cut:]
        else:
            self._tail = b""
        self.plain += CSI.sub(b"", data)

    def plain_len(self) -> int:
        return len(self.plain)

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            time.sleep(0.2)
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def env_for(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    env["XDG_CONFIG_HOME"] = str(tmp / "config")
    env.pop("NO_COLOR", None)
    return env


def briefing_argv(home: Path) -> list[str]:
    """`briefing --home DIR` as a user starts it: the installed console script, run by the
    same interpreter as the minimal app's script (so both start the same way)."""
    script = Path(sys.executable).with_name("briefing")
    if script.is_file():
        return [sys.executable, str(script), "--home", str(home)]
    return [sys.executable, "-m", "briefing", "--home", str(home)]


def first_frame(argv: list[str], env: dict[str, str], marker: bytes) -> float:
    term = Term(argv, env)
    try:
        term.wait_for(re.compile(re.escape(marker)))
        return time.perf_counter() - term.started
    finally:
        term.close()


def open_reader(home: Path, env: dict[str, str]) -> tuple[Term, int]:
    """The reader on `home`, once its whole list and topic index are loaded (built in the
    background after the first frame); returns it and the store's article count."""
    with Store.open(home, readonly=True) as store:
        total = store.count()
    term = Term(briefing_argv(home), env)
    try:
        term.wait_for(re.compile(rb"unread of %d articles" % total), timeout=600)
    except BaseException:
        term.close()
        raise
    time.sleep(0.5)
    return term, total


def filter_latency(home: Path, env: dict[str, str], presses: int) -> list[float]:
    term, total = open_reader(home, env)
    try:
        term.send(b"1")  # the topics pane
        time.sleep(0.3)
        samples = []
        # The status line after each toggle: filtered ("… (50000 in all)"), then all again.
        # Waiting for that text, not any count, keeps a late repaint of the old line out.
        filtered = re.compile(rb"unread of \d+ articles \(%d in all\)" % total)
        everything = re.compile(rb"%d unread of %d articles(?! \()" % (total, total))
        for i in range(presses):
            mark = term.plain_len()
            t = time.perf_counter()
            term.send(b" ")  # toggle the highlighted topic as a filter
            term.wait_for(filtered if i % 2 == 0 else everything, start=mark, timeout=10)
            samples.append((time.perf_counter() - t) * 1000)
            time.sleep(0.15)
        return samples
    finally:
        term.close()


SEARCH_TIMEOUT = 10.0


def search_latency(home: Path, env: dict[str, str], presses: int) -> list[float]:
    """`/`, then for each of `presses` old articles (titles "… #N", N unique): its number
    and an "x" typed (found: nothing), then the keypress measured, backspace, until the
    title shows among the results (a letter before it: not the echo of the query)."""
    term, total = open_reader(home, env)
    try:
        term.send(b"/")
        term.wait_for(re.compile(rb"Search topics, titles and text"), timeout=10)
        time.sleep(0.3)
        samples: list[float] = []
        for i in range(presses):
            number = total - 1 - (i * 7919) % max(1, total // 2)  # the older half of the store
            term.send(b"%dx" % number)
            time.sleep(0.6)  # each key of that is searched; then the result is "nothing found"
            mark = term.plain_len()
            t = time.perf_counter()
            term.send(b"\x7f")  # backspace
            try:
                term.wait_for(re.compile(rb"[a-z] #%d(?!\d)" % number), start=mark, timeout=SEARCH_TIMEOUT)
            except TimeoutError:
                print(f"  / search: #{number} not shown within {SEARCH_TIMEOUT:.0f} s (counted as that)")
                return [*samples, SEARCH_TIMEOUT * 1000]  # the keys typed meanwhile are still queued
            samples.append((time.perf_counter() - t) * 1000)
            time.sleep(0.2)
            term.send(b"\x15")  # ctrl+u: the input emptied for the next one
            time.sleep(0.3)
        return samples
    finally:
        term.close()


READ_PAUSE = 0.6
"""Seconds between two `n`: the opened article is drawn, its related stories found (as
when reading); with 0.15 s the next key lands on that work and measures it instead."""


def unread_latency(home: Path, env: dict[str, str], presses: int) -> tuple[list[float], float]:
    """`n` pressed `presses` times (each opens the next unread article: the unread count
    drops by one), then `A` with every article visible (the count drops to 0)."""
    term = Term(briefing_argv(home), env)
    try:
        with Store.open(home, readonly=True) as store:
            total = len(store.articles())
            unread = sum(1 for m in store.articles() if not m.read)
        term.wait_for(re.compile(rb"%d unread of %d articles" % (unread, total)), timeout=120)
        time.sleep(0.5)
        samples = []
        for _ in range(presses):
            mark = term.plain_len()
            t = time.perf_counter()
            term.send(b"n")
            unread -= 1
            counted = re.compile(rb"\b%d unread of %d articles" % (unread, total))
            term.wait_for(counted, start=mark, timeout=10)
            samples.append((time.perf_counter() - t) * 1000)
            time.sleep(READ_PAUSE)
        time.sleep(0.5)
        mark = term.plain_len()
        t = time.perf_counter()
        term.send(b"A")
        term.wait_for(re.compile(rb"\b0 unread of %d articles" % total), start=mark, timeout=30)
        return samples, (time.perf_counter() - t) * 1000
    finally:
        term.close()


def prepare_homes(sizes: list[int], where: Path) -> dict[int, Path]:
    """A store per size under `where`; one built by an earlier run (its marker file
    written once the build finished) is used as it is."""
    homes = {}
    for n in sizes:
        home = where / f"home{n}"
        marker = home / "bench-built"
        if not marker.exists():
            if home.exists():
                shutil.rmtree(home)  # a build stopped half-way
            started = time.perf_counter()
            if n:
                build(home, n)
            with Store.open(home) as store:
                store.set_info(samples_loaded=True)  # measure the store, not the first-run samples
            marker.write_text(f"{n}\n")
            print(f"built {n} articles in {time.perf_counter() - started:.0f} s", flush=True)
        homes[n] = home
    return homes


def label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="0,5000,50000,500000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--size", default="160x48", help="terminal COLSxROWS")
    parser.add_argument("--store-dir", type=Path, default=None,
                        help="keep the built stores here and reuse them (500k takes minutes to build)")
    args = parser.parse_args()
    SIZE[:] = [int(x) for x in args.size.lower().split("x")]
    sizes = [int(s) for s in args.sizes.split(",")]
    # Measure briefing as installed: a wheel install compiles bytecode, as Textual's was;
    # an editable checkout under PYTHONDONTWRITEBYTECODE would recompile on every start.
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "briefing"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = env_for(tmp)
        if args.store_dir is not None:
            args.store_dir.mkdir(parents=True, exist_ok=True)
        homes = prepare_homes(sizes, args.store_dir or tmp)
        minimal = tmp / "minimal.py"
        minimal.write_text(MINIMAL)
        results: dict[str, list[float]] = {"minimal": []}
        for n in sizes:
            results[str(n)] = []
        for _ in range(args.runs):  # alternate so machine noise spreads over every variant
            results["minimal"].append(first_frame([sys.executable, str(minimal)], env, b"minimal ready"))
            for n in sizes:
                results[str(n)].append(first_frame(briefing_argv(homes[n]), env, b"Articles"))
        base = statistics.median(results["minimal"])
        print(f"minimal Textual app: first frame {base * 1000:.0f} ms (median of {args.runs})")
        for n in sizes:
            med = statistics.median(results[str(n)])
            print(f"briefing, {n:>6} articles: first frame {med * 1000:.0f} ms = {med / base:.2f}x minimal")
        keys: list[str] = []
        for n in [n for n in sizes if n >= 50_000]:
            latencies = filter_latency(homes[n], env, args.presses)
            print(f"topic filter keypress -> repainted list at {n}: median "
                  f"{statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms over {len(latencies)}")
            searches = search_latency(homes[n], env, max(5, args.presses // 2))
            print(f"/ search keypress -> an old article's title shown at {n}: median "
                  f"{statistics.median(searches):.1f} ms, max {max(searches):.1f} ms over {len(searches)}")
            ratio = statistics.median(results[str(n)]) / base
            keys.append(f"first_frame_ratio_{label(n)}={ratio:.2f} "
                        f"filter_ms_median_{label(n)}={statistics.median(latencies):.1f}")
            if n == 50_000:
                scratch = tmp / "unread-copy"
                shutil.copytree(homes[n], scratch)  # marking read changes the store
                steps, mark_all = unread_latency(scratch, env, args.presses)
                print(f"next unread keypress -> repainted at {n}: median {statistics.median(steps):.1f} ms, "
                      f"max {max(steps):.1f} ms over {len(steps)}; mark all {n} read: {mark_all:.0f} ms")
                keys.append(f"next_unread_ms_median_50k={statistics.median(steps):.1f} "
                            f"mark_all_read_ms_50k={mark_all:.0f}")
            keys.append(f"search_ms_median_{label(n)}={statistics.median(searches):.1f}")
        print(" ".join(keys))


if __name__ == "__main__":
    main()
