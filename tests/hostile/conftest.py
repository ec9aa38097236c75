"""Shared pieces of the hostile-input and fault suite: payload markers, the terminal
output of a running app, bidi checks, a loopback server and feeds.toml writers.

Every store is a real one in tmp_path, every HTTP request goes to 127.0.0.1, and no
proxy from the environment is used (httpx would honour HTTP_PROXY otherwise).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from briefing.core.models.article import Article
from tests.httpserver import FeedServer

FIXTURES = Path(__file__).parent / "fixtures"

MARKERS = (
    "EVILTITLE", "EVILLINK", "RVZJTENMSVA", "EVILDCS", "EVILC1OSC", "EVILC1DCS", "EVILAUTHOR",
    "EVILCHANNEL", "EVILENTTITLE", "EVILENTBODY", "EVILENTAUTHOR", "EVILENTLINK", "EVILMDTITLE",
    "EVILJSONDCS", "EVILHTMLTITLE", "EVILHTML",
)  # fmt: skip
"""Text that only ever sits inside a hostile control sequence in the fixtures: if one of
these reaches an article or the screen, the sequence around it was not removed whole."""

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u200b\u2060\ufeff]")
"""What no cleaned field may hold (\\n is allowed in bodies only)."""

# What Textual itself writes when it draws a frame: SGR styles, cursor positioning, and
# a newline ending each line just before the next cursor move.
_OWN_SEQUENCES = re.compile(r"\n(?=\x1b\[[0-9;]*H)|\x1b\[[0-9;]*[mH]")
_CURSOR_MOVE = re.compile(r"\x1b\[[0-9;]*H")
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")

_OPENERS = {"\u202a": "pdf", "\u202b": "pdf", "\u202d": "pdf", "\u202e": "pdf",
            "\u2066": "pdi", "\u2067": "pdi", "\u2068": "pdi"}
_CLOSERS = {"\u202c": "pdf", "\u2069": "pdi"}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def bidi_balanced(line: str) -> bool:
    """Every embedding/override closed by a PDF and every isolate by a PDI, nested."""
    stack: list[str] = []
    for char in line:
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif char in _CLOSERS:
            if not stack or stack[-1] != _CLOSERS[char]:
                return False
            stack.pop()
    return not stack


def assert_clean_article(article: Article) -> None:
    """Nothing unsafe in any field that came from outside; links are http(s) or None."""
    for name in ("title", "author", "source", "guid"):
        value = getattr(article, name) or ""
        assert "\n" not in value and not UNSAFE.search(value), (name, value)
    assert not UNSAFE.search(article.text), article.text
    for value in (article.title, article.author or "", article.source or "", article.text):
        assert not any(marker in value for marker in MARKERS), value
        assert all(bidi_balanced(line) for line in value.split("\n")), value
    if article.link is not None:
        assert article.link.startswith(("http://", "https://")), article.link
        assert not re.search(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", article.link)


def terminal_lines(output: str) -> list[str]:
    """The text of each run between cursor moves in what the app writes to the terminal."""
    return [re.sub(r"\x1b\[[0-9;]*m|\n$", "", part) for part in _CURSOR_MOVE.split(output)]


def unbalanced_rows(output: str) -> list[str]:
    """The drawn terminal rows on which a bidi embedding, override or isolate is left open
    (or closed without an opener): a bidi-aware terminal would let it run into the rest
    of the row, other panes included."""
    return [line for line in terminal_lines(output) if not bidi_balanced(line)]


def assert_safe_terminal_output(output: str) -> None:
    """Only Textual's own SGR and cursor sequences; no other control, no payload."""
    rest = _OWN_SEQUENCES.sub("", output)
    bad = _TERMINAL_CONTROLS.search(rest)
    assert bad is None, f"control {bad.group()!r} in {rest[max(0, bad.start() - 60): bad.end() + 60]!r}"
    for marker in MARKERS:
        assert marker not in rest, marker


def ingest_hostile(home: Path, workdir: Path) -> None:
    """A store holding the hostile feed's 9 and the hostile files' 5 articles, ingested by
    the real paths: `refresh_feeds` on a file: feed (so `parse_feed` reads its bytes) and
    `import_paths` on the files."""
    from briefing.core.feeds.refresh import refresh_feeds
    from briefing.core.ingest.pipeline import import_paths
    from briefing.core.models.feeds import Feed, Settings
    from briefing.core.store.store import Store

    feed_file = workdir / "render_feed.xml"
    shutil.copy(FIXTURES / "render_feed.xml", feed_file)
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)  # the bundled samples would only add noise
        outcomes = refresh_feeds(store, [Feed(name="Hostile", url=feed_file.as_uri())], Settings(),
                                 workers=1)
        assert [o.status for o in outcomes] == ["new"] and outcomes[0].added == 9
        results, added = import_paths(store, [FIXTURES / "import"])
        assert [r.error for r in results] == [None] * 4 and len(added.added) == 5


def write_feeds_toml(path: Path, feeds: Sequence[tuple[str, str]], *, timeout: float = 2,
                     deadline: float = 4, extra: str = "") -> Path:
    """A feeds.toml with (name, url) feeds; the settings keep every test quick."""
    lines = ["[settings]", "refresh_minutes = 0", f"timeout = {timeout}", f"deadline = {deadline}",
             "concurrency = 8", extra, ""]
    for name, url in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
