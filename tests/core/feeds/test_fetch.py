"""fetch.py against a real HTTP server on 127.0.0.1: status codes, caching, limits, faults."""

from __future__ import annotations

import gzip
import os
import socket
import time
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from briefing.core.errors import FetchError
from briefing.core.feeds.fetch import USER_AGENT, FetchResult, fetch_feeds
from briefing.core.feeds.parse import parse_feed
from briefing.core.models.feeds import Feed, FeedState, Settings
from tests.httpserver import FeedServer, RequestHandler

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
FAST = Settings(concurrency=4, timeout=0.5, deadline=1.5, max_bytes=1024 * 1024, max_redirects=3)
RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Loopback</title>'
    b"<item><title>One</title><guid>1</guid><description>Body</description></item>"
    b"</channel></rss>"
)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def fetch_one(
    url: str, state: FeedState | None = None, settings: Settings = FAST, now: datetime = NOW
) -> FetchResult:
    feed = Feed(name="f", url=url)
    states = {"f": state} if state is not None else {}
    (result,) = fetch_feeds([feed], settings, states, now=now)
    return result


# --- plain replies -------------------------------------------------------------------


def test_200_returns_body_headers_and_caching_state(server: FeedServer) -> None:
    url = server.reply(
        "/feed",
        body=RSS,
        headers={
            "Content-Type": "application/rss+xml",
            "ETag": '"v1"',
            "Last-Modified": "Sat, 01 Mar 2025 10:00:00 GMT",
        },
    )
    result = fetch_one(url)
    assert result.status == "ok"
    assert result.content == RSS
    assert result.headers["content-type"] == "application/rss+xml"
    assert result.final_url == url
    assert result.error is None
    assert result.state.etag == '"v1"'
    assert result.state.last_modified == "Sat, 01 Mar 2025 10:00:00 GMT"
    assert result.state.last_success == NOW and result.state.last_fetch == NOW
    (request,) = server.hits("/feed")
    assert request.headers["user-agent"] == USER_AGENT
    assert "if-none-match" not in request.headers


def test_304_with_etag_means_not_modified(server: FeedServer) -> None:
    def handler(request: RequestHandler) -> None:
        if request.headers.get("If-None-Match") == '"v1"':
            request.send(304, headers={"ETag": '"v1"'})
        else:
            request.send(200, RSS, {"ETag": '"v1"'})

    url = server.handle("/etag", handler)
    first = fetch_one(url)
    assert first.status == "ok" and first.state.etag == '"v1"'
    second = fetch_one(url, state=first.state, now=NOW + timedelta(minutes=5))
    assert second.status == "not_modified"
    assert second.content is None
    assert second.state.etag == '"v1"'
    assert second.state.last_success == NOW + timedelta(minutes=5)
    assert server.hits("/etag")[-1].headers["if-none-match"] == '"v1"'


def test_304_with_last_modified_means_not_modified(server: FeedServer) -> None:
    stamp = "Sat, 01 Mar 2025 10:00:00 GMT"

    def handler(request: RequestHandler) -> None:
        if request.headers.get("If-Modified-Since") == stamp:
            request.send(304)
        else:
            request.send(200, RSS, {"Last-Modified": stamp})

    url = server.handle("/lm", handler)
    first = fetch_one(url)
    assert first.state.last_modified == stamp and first.state.etag is None
    second = fetch_one(url, state=first.state)
    assert second.status == "not_modified" and second.content is None
    assert second.state.last_modified == stamp


@pytest.mark.parametrize(("status", "phrase"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_http_errors_are_one_line_and_keep_caching_state(
    server: FeedServer, status: int, phrase: str
) -> None:
    url = server.reply("/broken", status=status, body=b"<html>oops</html>")
    before = FeedState(url=url, etag='"old"', last_success=NOW - timedelta(days=1))
    result = fetch_one(url, state=before)
    assert result.status == "error"
    assert result.error == f"HTTP {status} {phrase}"
    assert result.content is None
    assert result.state.last_error == result.error
    assert result.state.etag == '"old"'
    assert result.state.last_success == NOW - timedelta(days=1)
    assert result.state.last_fetch == NOW


# --- redirects -----------------------------------------------------------------------


def test_redirect_is_followed(server: FeedServer) -> None:
    target = server.reply("/new", body=RSS)
    url = server.reply("/old", status=301, headers={"Location": "/new"})
    result = fetch_one(url)
    assert result.status == "ok" and result.content == RSS
    assert result.final_url == target
    assert result.state.url == url  # the feed's URL is the user's to change


def test_redirect_loop_is_detected(server: FeedServer) -> None:
    url = server.reply("/a", status=302, headers={"Location": "/b"})
    server.reply("/b", status=302, headers={"Location": "/a"})
    result = fetch_one(url)
    assert result.status == "error"
    assert result.error is not None and "redirect loop" in result.error


def test_too_many_redirects(server: FeedServer) -> None:
    for hop in range(6):
        server.reply(f"/r{hop}", status=307, headers={"Location": f"/r{hop + 1}"})
    result = fetch_one(server.url("/r0"))
    assert result.status == "error"
    assert result.error == "more than 3 redirects; gave up"
    assert len(server.hits("/r3")) == 1 and not server.hits("/r4")


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "ftp://127.0.0.1/feed", "javascript:alert(1)", "data:text/xml,<rss/>"],
)
def test_redirect_off_http_is_refused(server: FeedServer, location: str) -> None:
    url = server.reply("/evil", status=302, headers={"Location": location})
    result = fetch_one(url)
    assert result.status == "error"
    assert result.error is not None and "refused" in result.error
    assert result.final_url is None
    assert result.state.url == url
    assert "passwd" not in repr(result)


# --- time limits ---------------------------------------------------------------------


def test_timeout_when_the_server_says_nothing(server: FeedServer) -> None:
    url = server.handle("/silent", lambda request: request.stopping.wait(3))
    started = time.monotonic()
    result = fetch_one(url)
    assert time.monotonic() - started < 1.4
    assert result.status == "error"
    assert result.error is not None and "sent nothing for 0.5 s" in result.error


def test_slow_trickle_is_cut_at_the_deadline(server: FeedServer) -> None:
    def trickle(request: RequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Length", "100000")
        request.end_headers()
        while not request.stopping.wait(0.1):  # a byte every 0.1 s: never a read timeout
            request.wfile.write(b" ")
            request.wfile.flush()

    url = server.handle("/trickle", trickle)
    started = time.monotonic()
    result = fetch_one(url)
    elapsed = time.monotonic() - started
    assert result.status == "error"
    assert result.error == "gave up after the 1.5 s deadline"
    assert 1.4 < elapsed < 2.5


# --- bodies: encodings and caps -------------------------------------------------------


def test_gzip_body_is_decompressed(server: FeedServer) -> None:
    url = server.reply("/gz", body=gzip.compress(RSS), headers={"Content-Encoding": "gzip"})
    result = fetch_one(url)
    assert result.status == "ok" and result.content == RSS
    assert "gzip" in server.hits("/gz")[0].headers["accept-encoding"]


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_deflate_body_zlib_or_raw_is_decompressed(server: FeedServer, wbits: int) -> None:
    packer = zlib.compressobj(wbits=wbits)
    body = packer.compress(RSS) + packer.flush()
    url = server.reply("/deflate", body=body, headers={"Content-Encoding": "deflate"})
    result = fetch_one(url)
    assert result.status == "ok" and result.content == RSS


def test_gzip_bomb_is_capped_after_decompression(server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # ~64 KiB on the wire
    assert len(bomb) < FAST.max_bytes
    url = server.reply("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    result = fetch_one(url)
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("body larger than 1 MiB")
    assert result.content is None


def test_corrupt_gzip_is_an_error(server: FeedServer) -> None:
    url = server.reply("/badgz", body=b"\x1f\x8bnot gzip at all", headers={"Content-Encoding": "gzip"})
    result = fetch_one(url)
    assert result.status == "error"
    assert result.error is not None and "not valid gzip" in result.error


def test_oversized_body_is_refused(server: FeedServer) -> None:
    url = server.reply("/big", body=b"x" * (FAST.max_bytes + 1))
    result = fetch_one(url)
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("body larger than 1 MiB")


def test_endless_chunked_body_is_capped(server: FeedServer) -> None:
    def endless(request: RequestHandler) -> None:
        request.send_response(200)
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        chunk = b"x" * 65536
        while not request.stopping.is_set():
            request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    url = server.handle("/endless", endless)
    result = fetch_one(url)
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("body larger than 1 MiB")


def test_per_feed_max_bytes_overrides_settings(server: FeedServer) -> None:
    url = server.reply("/small", body=b"x" * 2000)
    feed = Feed(name="f", url=url, max_bytes=1000)
    (result,) = fetch_feeds([feed], FAST, {}, now=NOW)
    assert result.status == "error" and result.error is not None
    assert "larger than" in result.error


def test_content_length_shorter_than_the_body_is_an_error(server: FeedServer) -> None:
    def liar(request: RequestHandler) -> None:
        request.send(200, RSS[:50], {"Content-Length": "5000", "Connection": "close"})
        request.close_connection = True

    url = server.handle("/short", liar)
    result = fetch_one(url)
    assert result.status == "error"
    assert result.error is not None and "broke off the response" in result.error


def test_content_length_longer_than_declared_reads_only_what_was_declared(
    server: FeedServer,
) -> None:
    url = server.reply("/long", body=RSS, headers={"Content-Length": "10"})
    result = fetch_one(url)
    assert result.status == "ok"
    assert result.content == RSS[:10]


def test_html_page_instead_of_a_feed_fails_in_parse(server: FeedServer) -> None:
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    url = server.reply("/page", body=page, headers={"Content-Type": "text/html; charset=utf-8"})
    result = fetch_one(url)
    assert result.status == "ok" and result.content == page  # fetch never parses
    with pytest.raises(FetchError, match="HTML page"):
        parse_feed(result.content, result.headers, result.feed, fetched=NOW)


# --- server asks us to stop or wait ---------------------------------------------------


def test_410_marks_the_feed_gone_and_it_is_skipped_afterwards(server: FeedServer) -> None:
    url = server.reply("/gone", status=410)
    result = fetch_one(url)
    assert result.status == "error"
    assert result.state.gone is True
    assert result.error is not None and result.error.startswith("HTTP 410 Gone")
    again = fetch_one(url, state=result.state)
    assert again.status == "skipped"
    assert again.error is not None and "410" in again.error
    assert len(server.hits("/gone")) == 1


def test_429_retry_after_seconds_is_honoured(server: FeedServer) -> None:
    url = server.reply("/busy", status=429, headers={"Retry-After": "120"})
    result = fetch_one(url)
    assert result.status == "error"
    assert result.state.retry_after == NOW + timedelta(seconds=120)
    assert result.error == "HTTP 429 Too Many Requests; retrying after 2025-03-01 12:02 UTC"
    skipped = fetch_one(url, state=result.state, now=NOW + timedelta(seconds=60))
    assert skipped.status == "skipped"
    assert len(server.hits("/busy")) == 1
    server.reply("/busy", body=RSS)
    later = fetch_one(url, state=result.state, now=NOW + timedelta(seconds=121))
    assert later.status == "ok" and later.state.retry_after is None


def test_503_retry_after_http_date_is_honoured(server: FeedServer) -> None:
    url = server.reply("/maint", status=503, headers={"Retry-After": "Sat, 01 Mar 2025 13:00:00 GMT"})
    result = fetch_one(url)
    assert result.status == "error"
    assert result.state.retry_after == datetime(2025, 3, 1, 13, 0, tzinfo=UTC)


def test_absurd_retry_after_is_capped_at_a_week(server: FeedServer) -> None:
    url = server.reply("/forever", status=429, headers={"Retry-After": "99999999999999"})
    result = fetch_one(url)
    assert result.state.retry_after == NOW + timedelta(days=7)


# --- network failures ------------------------------------------------------------------


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_one(f"http://127.0.0.1:{port}/feed")
    assert result.status == "error"
    assert result.error == "connection refused by 127.0.0.1"
    assert result.state.last_error == result.error


def test_dns_failure_reason_is_one_line() -> None:
    from briefing.core.feeds.fetch import _describe

    error = httpx.ConnectError("[Errno -2] Name or service not known")
    assert _describe(error, "https://no-such-host.invalid/feed", 1.0) == (
        "DNS lookup failed: no such host no-such-host.invalid"
    )


def test_unsupported_scheme_is_an_error_without_a_request() -> None:
    result = fetch_one("ftp://127.0.0.1/feed")
    assert result.status == "error"
    assert result.error is not None and "unsupported URL" in result.error


# --- many feeds --------------------------------------------------------------------------


def test_many_feeds_concurrently_bounded_in_order_with_callbacks(server: FeedServer) -> None:
    active = 0
    peak = 0

    def slow(request: RequestHandler) -> None:
        nonlocal active, peak
        with server.lock:
            active += 1
            peak = max(peak, active)
        request.stopping.wait(0.15)
        with server.lock:
            active -= 1
        request.send(200, RSS)

    feeds = [Feed(name=f"f{i}", url=server.handle(f"/s{i}", slow)) for i in range(6)]
    feeds.insert(2, Feed(name="broken", url=server.reply("/x", status=500)))
    seen: list[str] = []
    settings = replace(FAST, concurrency=2)
    results = fetch_feeds(feeds, settings, {}, now=NOW, on_result=lambda r: seen.append(r.feed.name))
    assert [r.feed.name for r in results] == [f.name for f in feeds]
    assert sorted(seen) == sorted(f.name for f in feeds)
    assert [r.status for r in results].count("ok") == 6
    assert results[2].status == "error"
    assert peak <= 2


def test_state_of_another_url_is_not_reused(server: FeedServer) -> None:
    url = server.reply("/moved", body=RSS)
    stale = FeedState(url="http://127.0.0.1:1/old", etag='"x"', gone=True)
    result = fetch_one(url, state=stale)
    assert result.status == "ok"
    assert "if-none-match" not in server.hits("/moved")[0].headers
    assert result.state.url == url and not result.state.gone


# --- local files -------------------------------------------------------------------------


def test_file_url_and_path_are_read_then_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "local.xml"
    path.write_bytes(RSS)
    for url in (path.as_uri(), str(path)):
        first = fetch_one(url)
        assert first.status == "ok" and first.content == RSS
        assert first.final_url == url
        second = fetch_one(url, state=first.state)
        assert second.status == "not_modified" and second.content is None
    os.utime(path, ns=(0, 10**18))
    assert fetch_one(path.as_uri(), state=second.state).status == "ok"


def test_missing_file_directory_fifo_and_huge_file_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: costs nothing on disk
    cases = {
        tmp_path / "missing.xml": "file not found",
        tmp_path: "not a regular file",
        fifo: "not a regular file",
        huge: "body larger than 1 MiB",
    }
    started = time.monotonic()
    for path, reason in cases.items():
        result = fetch_one(path.as_uri())
        assert result.status == "error", path
        assert result.error is not None and reason in result.error
    assert time.monotonic() - started < 2


def test_file_url_on_another_host_is_refused() -> None:
    result = fetch_one("file://example.org/etc/passwd")
    assert result.status == "error"
    assert result.error is not None and "another host" in result.error


# --- guards (full-text pages must not lead into a private network) -------------------


def test_guard_sees_every_redirect_hop_and_can_refuse_one(server: FeedServer) -> None:
    server.reply("/inside", body=RSS)
    url = server.reply("/outside", status=302,
                       headers={"Location": f"http://localhost:{server.port}/inside"})
    seen: list[tuple[str, str]] = []

    def guard(host: str, address: str) -> str | None:
        seen.append((host, address))
        return "localhost refused" if host == "localhost" else None

    (result,) = fetch_feeds([Feed("F", url)], FAST, {}, guard=guard)
    assert result.status == "error" and result.error == "localhost refused"
    assert server.hits("/inside") == []  # refused before the connection, not after
    assert ("127.0.0.1", "127.0.0.1") in seen and any(host == "localhost" for host, _ in seen)


def test_a_refused_address_is_never_connected_to(server: FeedServer) -> None:
    """The guard sees the address before the connection is made: nothing is sent to it."""
    url = server.reply("/feed", body=RSS)

    def guard(host: str, address: str) -> str | None:
        return f"{address} refused"

    (result,) = fetch_feeds([Feed("F", url)], FAST, {}, guard=guard)
    assert result.status == "error" and result.content is None
    assert result.error == "127.0.0.1 refused"
    assert server.requests == []
