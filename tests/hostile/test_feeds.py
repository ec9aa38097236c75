"""Malformed feeds and network faults at the refresh level: `refresh_feeds` over several
loopback feeds where one is hostile. Every case must end in a per-feed error or a clean
partial result; the other feeds' new articles arrive; nothing already stored changes.

Parsing and fetching on their own are covered case by case in tests/core/feeds/test_parse.py
and tests/core/feeds/test_fetch.py; here each case goes through the whole refresh and the store.
"""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.core.feeds.refresh import FeedOutcome, refresh_feeds
from briefing.core.models.article import Article
from briefing.core.models.feeds import Feed, Settings
from briefing.core.store.store import Store
from tests.hostile.conftest import assert_clean_article
from tests.httpserver import FeedServer, Reply, RequestHandler

CORE_FIXTURES = Path(__file__).parents[1] / "core" / "fixtures" / "feeds"
# One connection at a time, the hostile feed first: a reply that leaves junk on a kept-alive
# connection would hit the good feeds fetched after it on the same server.
SETTINGS = Settings(concurrency=1, timeout=0.5, deadline=1.5, max_bytes=1024 * 1024, max_redirects=3)
RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def rss(title: str, items: list[tuple[str, str]], *, encoding: str = "utf-8") -> bytes:
    body = "".join(
        f"<item><title>{t}</title><guid>{g}</guid><link>https://news.example/{g}</link>"
        f"<pubDate>Wed, 20 Nov 2019 10:00:00 GMT</pubDate><description>The story of {t}.</description></item>"
        for g, t in items
    )
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example/</link>{body}</channel></rss>").encode(encoding)


def items(prefix: str, n: int) -> list[tuple[str, str]]:
    names = ["Ankara talks resume", "Brussels weighs sanctions", "Moscow hosts envoys", "Sochi memo signed"]
    return [(f"{prefix}-{i}", f"{names[i]} ({prefix})") for i in range(n)]


def trickle(request: RequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Length", "100000")
    request.end_headers()
    while not request.stopping.wait(0.1):
        request.wfile.write(b" ")
        request.wfile.flush()


def endless(request: RequestHandler) -> None:
    request.send_response(200)
    request.send_header("Transfer-Encoding", "chunked")
    request.end_headers()
    chunk = b"<item>" * 10000
    while not request.stopping.is_set():
        request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def short_body(request: RequestHandler) -> None:
    body = rss("Liar", items("liar", 2))
    request.send(200, body[:80], {"Content-Length": str(len(body)), "Connection": "close"})
    request.close_connection = True


def silent(request: RequestHandler) -> None:
    request.stopping.wait(3)


def deflate_bomb() -> bytes:
    packer = zlib.compressobj(9)
    return packer.compress(b" " * (16 * 1024 * 1024)) + packer.flush()


Route = Reply | Callable[[RequestHandler], object]


@dataclass(frozen=True)
class Case:
    route: Route
    error: str | None
    """A piece of the one-line error expected; None when a clean partial result is expected."""


PATHOLOGICAL_AUTHOR = "a@" + "a." * 100_000
CASES: dict[str, Case] = {
    # -- malformed documents
    "empty body": Case(Reply(200, b""), "empty body"),
    "html page 200": Case(Reply(200, (CORE_FIXTURES / "html_page.html").read_bytes(),
                                {"Content-Type": "text/html"}), "HTML page"),
    "html page 500": Case(Reply(500, b"<html><body>Internal error</body></html>",
                                {"Content-Type": "text/html"}), "HTTP 500"),
    "truncated xml": Case(Reply(200, (CORE_FIXTURES / "truncated.xml").read_bytes()), None),
    "wrong charset": Case(Reply(200, rss("Wrong", [("w-1", "Café Müller é")], encoding="latin-1")
                                .replace(b'encoding="latin-1"', b'encoding="utf-8"'), RSS_TYPE), None),
    "no charset": Case(Reply(200, rss("None", [("n-1", "Café Müller")], encoding="latin-1")
                             .replace(b' encoding="latin-1"', b""), {"Content-Type": "text/xml"}), None),
    "utf-16 without bom": Case(Reply(200, rss("Sixteen", [("u-1", "Wide story")]).replace(
        b'encoding="utf-8"', b'encoding="utf-16"').decode().encode("utf-16-le")), None),
    "utf-16 big endian without bom": Case(Reply(200, rss("Sixteen", [("u-2", "Big story")]).replace(
        b'encoding="utf-8"', b'encoding="utf-16"').decode().encode("utf-16-be")), None),
    "invalid utf-8": Case(Reply(200, rss("Bad", [("b-1", "Good title")]).replace(
        b"Good title", b"Good \xff\xfe\xc3 title"), RSS_TYPE), None),
    "missing title guid link": Case(Reply(200, b'<rss version="2.0"><channel><title>M</title>'
                                          b"<item><description>Only a body.</description></item>"
                                          b"<item></item></channel></rss>"), None),
    "duplicate guids": Case(Reply(200, rss("Dup", [("dup", "One"), ("dup", "Two"), ("good-0", "Three")])),
                            None),
    "odd dates": Case(Reply(200, b'<rss version="2.0"><channel><title>D</title>' + b"".join(
        b"<item><title>d%d</title><guid>d%d</guid><pubDate>%s</pubDate></item>" % (i, i, date)
        for i, date in enumerate([b"Mon, 01 Jan 0000 00:00:00 GMT", b"Mon, 01 Jan 10000 00:00:00 GMT",
                                  b"Tue, 31 Jun 2025 10:00:00 GMT", b"01 Mar 25 10:00 GMT",
                                  b"99-99-99", b"\xff"])) + b"</channel></rss>"), None),
    "crashing char refs": Case(Reply(200, b'<rss version="2.0"><channel><title>C</title><item>'
                                     b"<title>a &#1114112; b &#55296; c &#x110000;</title><guid>c</guid>"
                                     b"</item></channel></rss>"), None),
    "backslash in doctype entity": Case(Reply(200, (CORE_FIXTURES / "doctype_backslash.xml").read_bytes()),
                                        "entities"),
    "pathological author": Case(Reply(200, f'<rss version="2.0"><channel><title>P</title><item><title>p'
                                      f"</title><guid>p</guid><author>{PATHOLOGICAL_AUTHOR}</author></item>"
                                      "</channel></rss>".encode()), None),
    "billion laughs one line": Case(Reply(200, (CORE_FIXTURES / "billion_laughs_one_line.xml").read_bytes()),
                                    "entities"),
    "billion laughs multiline": Case(Reply(200, (CORE_FIXTURES / "billion_laughs_multiline.xml")
                                           .read_bytes()), "entities"),
    "external entities": Case(Reply(200, (CORE_FIXTURES / "xxe.xml").read_bytes()), "entities"),
    "binary garbage": Case(Reply(200, bytes(range(256)) * 64), "not a"),
    # -- network
    "gzip bomb": Case(Reply(200, gzip.compress(b" " * (16 * 1024 * 1024), 9),
                            {"Content-Encoding": "gzip"}), "body larger than 1 MiB"),
    "deflate bomb": Case(Reply(200, deflate_bomb(), {"Content-Encoding": "deflate"}),
                         "body larger than 1 MiB"),
    "declared too large": Case(Reply(200, b"", {"Content-Length": str(50 * 1024 * 1024)}), "larger than"),
    "content-length shorter than the body": Case(Reply(200, rss("Liar", items("liar", 2)),
                                                       {"Content-Length": "60"}), "not"),
    "content-length longer than the body": Case(short_body, "broke off the response"),
    "endless chunked body": Case(endless, "body larger than 1 MiB"),
    "slow trickle": Case(trickle, "deadline"),
    "silent server": Case(silent, "sent nothing for 0.5 s"),
    "redirect loop": Case(Reply(302, b"", {"Location": "/hostile"}), "redirect loop"),
    "redirect to file": Case(Reply(301, b"", {"Location": "file:///etc/passwd"}), "refused"),
    "redirect to ftp": Case(Reply(302, b"", {"Location": "ftp://127.0.0.1/feed"}), "refused"),
    "redirect to javascript": Case(Reply(307, b"", {"Location": "javascript:alert(1)"}), "refused"),
    "410 gone": Case(Reply(410, b""), "410"),
    "429 too many": Case(Reply(429, b"", {"Retry-After": "3600"}), "429"),
    "unknown encoding": Case(Reply(200, b"xx", {"Content-Encoding": "br"}), "Content-Encoding"),
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def loop_server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def snapshot(store: Store) -> dict[str, Article | None]:
    return {meta.id: store.get(meta.id) for meta in store.articles()}


def run_refresh(home: Path, feeds: list[Feed]) -> dict[str, FeedOutcome]:
    with Store.open(home) as store:
        store.set_info(samples_loaded=True)
        return {o.feed.name: o for o in refresh_feeds(store, feeds, SETTINGS, workers=1)}


@pytest.mark.parametrize("name", list(CASES))
def test_one_hostile_feed_among_good_ones(name: str, home: Path, loop_server: FeedServer) -> None:
    case = CASES[name]
    feeds = [Feed(name=n, url=loop_server.url(f"/{n}")) for n in ("hostile", "good", "other")]
    loop_server.reply("/good", body=rss("Good", items("good", 2)), headers=RSS_TYPE)
    loop_server.reply("/other", body=rss("Other", items("other", 2)), headers=RSS_TYPE)
    loop_server.reply("/hostile", body=rss("Hostile", items("host", 2)), headers=RSS_TYPE)
    first = run_refresh(home, feeds)
    assert {n: o.added for n, o in first.items()} == {"good": 2, "other": 2, "hostile": 2}
    with Store.open(home, readonly=True) as store:
        before = snapshot(store)
        flags_before = {a.id: (a.read, a.starred) for a in store.articles()}

    # Now the hostile feed turns bad while the good ones each publish one more story.
    loop_server.reply("/good", body=rss("Good", items("good", 3)), headers=RSS_TYPE)
    loop_server.reply("/other", body=rss("Other", items("other", 3)), headers=RSS_TYPE)
    loop_server.routes["/hostile"] = case.route
    started = time.monotonic()
    second = run_refresh(home, feeds)
    assert time.monotonic() - started < SETTINGS.deadline + 3

    assert (second["good"].status, second["good"].added) == ("new", 1)
    assert (second["other"].status, second["other"].added) == ("new", 1)
    hostile = second["hostile"]
    if case.error is not None:
        assert hostile.status == "error", hostile
        assert hostile.error is not None and case.error in hostile.error, hostile.error
        assert "\n" not in hostile.error and len(hostile.error) <= 320
    else:
        assert hostile.status == "new", hostile.error

    with Store.open(home, readonly=True) as store:
        after = snapshot(store)
        assert {a.id: (a.read, a.starred) for a in store.articles() if a.id in before} == flags_before
        states = store.feed_states()
    for aid, article in before.items():
        assert after.get(aid) == article, f"stored article {aid} changed"
    new = [a for aid, a in after.items() if aid not in before]
    assert sum(1 for a in new if a and a.feed in ("good", "other")) == 2
    for article in new:
        assert article is not None
        assert_clean_article(article)
    # Feed states stay keyed by the configured URL: a redirect target is never persisted.
    assert set(states) == {f.url for f in feeds}
    assert all(s.url.startswith(loop_server.url("/")) for s in states.values())
    if case.error is not None:
        assert states[loop_server.url("/hostile")].last_error == hostile.error


def test_gone_and_retry_after_are_honoured_across_refreshes(home: Path, loop_server: FeedServer) -> None:
    feeds = [Feed(name="gone", url=loop_server.reply("/gone", 410)),
             Feed(name="busy", url=loop_server.reply("/busy", 429, headers={"Retry-After": "3600"})),
             Feed(name="good", url=loop_server.reply("/good", body=rss("Good", items("good", 1))))]
    first = run_refresh(home, feeds)
    assert [first[n].status for n in ("gone", "busy", "good")] == ["error", "error", "new"]
    second = run_refresh(home, feeds)
    assert [second[n].status for n in ("gone", "busy")] == ["skipped", "skipped"]
    assert len(loop_server.hits("/gone")) == 1 and len(loop_server.hits("/busy")) == 1


def test_unresolvable_host_fails_fast_with_a_dns_reason(home: Path, loop_server: FeedServer) -> None:
    # `.invalid` never resolves (RFC 6761): the lookup fails locally, no network needed.
    feeds = [Feed(name="nowhere", url="http://briefing-hostile-test.invalid/feed.xml"),
             Feed(name="good", url=loop_server.reply("/good", body=rss("Good", items("good", 2))))]
    started = time.monotonic()
    outcomes = run_refresh(home, feeds)
    assert time.monotonic() - started < SETTINGS.deadline + 1
    assert outcomes["good"].added == 2
    assert outcomes["nowhere"].status == "error"
    assert outcomes["nowhere"].error is not None and outcomes["nowhere"].error.startswith("DNS lookup failed")


def test_a_reply_longer_than_its_content_length_spoils_no_other_feed(loop_server: FeedServer) -> None:
    """The junk past Content-Length sits on the kept-alive connection the next feed of the
    same host would reuse; fetch retries that feed once on a fresh connection."""
    from briefing.core.feeds.fetch import fetch_feeds

    loop_server.reply("/liar", body=rss("Liar", items("liar", 2)), headers={"Content-Length": "60"})
    body = rss("Good", items("good", 2))
    loop_server.reply("/good", body=body)
    feeds = [Feed(name="liar", url=loop_server.url("/liar")), Feed(name="good", url=loop_server.url("/good"))]
    liar, good = fetch_feeds(feeds, SETTINGS, {})
    assert liar.status == "ok" and liar.content is not None and len(liar.content) == 60
    assert good.status == "ok" and good.content == body, good.error


def test_a_flood_of_near_identical_items_costs_linear_work(tmp_path: Path) -> None:
    from briefing.core.stories import clusters

    n = 300
    body = "".join(
        f"<item><title>Erdogan meets Putin in Sochi on pipeline talks {i}</title><guid>flood-{i}</guid>"
        "<description>Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in "
        f"Sochi on Tuesday to discuss the TurkStream pipeline, item {i}.</description></item>"
        for i in range(n)
    )
    feed = tmp_path / "flood.xml"
    feed.write_text(f'<rss version="2.0"><channel><title>Flood</title>{body}</channel></rss>')
    before = clusters.STATS.comparisons
    outcomes = run_refresh(tmp_path / "home", [Feed(name="flood", url=feed.as_uri())])
    assert outcomes["flood"].added == n
    per_article = (clusters.STATS.comparisons - before) / n
    assert per_article <= 2 * clusters.MAX_CANDIDATES, per_article
