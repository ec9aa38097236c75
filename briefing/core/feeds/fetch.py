"""Fetching feeds over HTTP (and from local files): conditional GET, limits, concurrency.

One FetchResult per feed, whatever happens; one failing feed never stops the others.
This module never parses what it fetches, never follows a redirect off http(s), and never
lets a body grow past its cap (counted after decompression).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import stat
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import formatdate, parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import httpx

from briefing import __version__
from briefing.core.feeds.pinned import AddressRefused, Guard, Resolver, pinned_transport, system_resolve
from briefing.core.models.feeds import Feed, FeedState, Settings
from briefing.core.text.clean import clean_line

__all__ = [
    "PAGE_ACCEPT",
    "USER_AGENT",
    "Guard",
    "FetchResult",
    "FetchStatus",
    "Resolver",
    "client_for",
    "fetch_all",
    "fetch_feed",
    "fetch_feeds",
]

USER_AGENT = f"briefing/{__version__} (+https://github.com/)"
FetchStatus = Literal["ok", "not_modified", "error", "skipped"]

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
"""What an article's page is asked for as (feeds ask for feed types first)."""
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
_RETRY_LATER = frozenset((429, 503))
_RETRY_AFTER_MAX = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of fetching one feed."""

    feed: Feed
    status: FetchStatus
    """ok: content holds the body; not_modified: 304 (or an unchanged file), nothing to
    parse; error: see `error`; skipped: no request made (410 earlier, or Retry-After)."""
    state: FeedState
    """The feed's state after this fetch, for the store to keep."""
    content: bytes | None = None
    """The body, decompressed, at most max_bytes; only when status is ok."""
    headers: dict[str, str] = field(default_factory=dict)
    """Response headers, lower-case names (hand them to parse_feed)."""
    error: str | None = None
    """One line saying why, for error and skipped."""
    final_url: str | None = None
    """Where the body came from after redirects (always http(s) or the feed's own file)."""


class _Failure(Exception):
    """A fetch failed for a reason the user can read; carries the partial state."""

    def __init__(self, reason: str, **state_changes: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state_changes = state_changes


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"


def _too_large(limit: int) -> _Failure:
    return _Failure(f"body larger than {_mib(limit)}; not read (raise max_bytes to accept it)")


class _Decoder:
    """Content-Encoding decoding that never produces more than `limit` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise _Failure(f"unsupported Content-Encoding {encoding.strip()[:40]!r}")
        self.coding = codings[0] if codings else ""
        self.limit = limit
        self.total = 0
        self.raw_deflate = False
        self.inflater = self._new()

    def _new(self) -> zlib._Decompress | None:
        if not self.coding:
            return None
        if self.coding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if self.raw_deflate else zlib.MAX_WBITS)
        return zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _count(self, data: bytes) -> bytes:
        self.total += len(data)
        if self.total > self.limit:
            raise _too_large(self.limit)
        return data

    def feed(self, data: bytes) -> bytes:
        if self.inflater is None:
            return self._count(data)
        out: list[bytes] = []
        while data:
            inflater = self.inflater
            assert inflater is not None
            try:
                chunk = inflater.decompress(data, self.limit - self.total + 1)
            except zlib.error as exc:
                if self.coding == "deflate" and not self.raw_deflate and self.total == 0:
                    self.raw_deflate = True  # servers send raw deflate for "deflate" too
                    self.inflater = self._new()
                    continue
                raise _Failure(f"body is not valid {self.coding} data ({exc})") from None
            out.append(self._count(chunk))
            data = inflater.unconsumed_tail
            if inflater.eof:
                data = inflater.unused_data
                if self.coding != "deflate" and data.startswith(b"\x1f\x8b"):
                    self.inflater = self._new()  # another gzip member follows
                else:
                    break  # trailing padding after the stream is ignored
        return b"".join(out)

    def flush(self) -> bytes:
        if self.inflater is None:
            return b""
        return self._count(self.inflater.flush())


def _one_line(text: str) -> str:
    return clean_line(text, limit=200) or "unknown error"


def _describe(exc: BaseException, url: str, timeout: float) -> str:
    """A one-line reason for an httpx or OS failure."""
    host = urlsplit(url).hostname or url
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and len(chain) < 8:
        chain.append(link)
        link = link.__cause__ or link.__context__
    detail = next((str(e) for e in chain if str(e)), "")
    lowered = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return f"connection refused by {host}"
    if any(isinstance(e, socket.gaierror) for e in chain) and "temporary" not in lowered:
        return f"DNS lookup failed: no such host {host}"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect to {host} within {timeout:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"{host} sent nothing for {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"{host} timed out after {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        if "name or service not known" in lowered or "nodename nor servname" in lowered:
            return f"DNS lookup failed: no such host {host}"
        if "temporary failure in name resolution" in lowered or "name resolution" in lowered:
            return f"DNS lookup failed for {host} (no network?)"
        if "refused" in lowered:
            return f"connection refused by {host}"
        if "certificate" in lowered or "ssl" in lowered:
            return _one_line(f"TLS error with {host}: {detail}")
        return _one_line(f"could not connect to {host}: {detail or type(exc).__name__}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return _one_line(f"{host} broke off the response: {detail or 'protocol error'}")
    if isinstance(exc, httpx.HTTPError):
        return _one_line(f"{type(exc).__name__} from {host}: {detail}")
    return _one_line(f"unexpected {type(exc).__name__}: {detail}")


def _retry_after(value: str | None, now: datetime) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + min(timedelta(seconds=int(value[:9])), _RETRY_AFTER_MAX)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment <= now:
        return None
    return min(moment, now + _RETRY_AFTER_MAX)


def _status_line(response: httpx.Response) -> str:
    phrase = response.reason_phrase if response.reason_phrase.isascii() else ""
    return _one_line(f"HTTP {response.status_code} {phrase}".strip())


async def _read_body(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
    chunks: list[bytes] = []
    async for raw in response.aiter_raw():
        chunks.append(decoder.feed(raw))
    chunks.append(decoder.flush())
    return b"".join(chunks)


@contextlib.asynccontextmanager
async def _stream(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], timeout: float
) -> AsyncIterator[httpx.Response]:
    """GET `url` as a stream, retried once on a fresh connection if the first reply is garbled.

    A server that sends more than its Content-Length leaves junk on a kept-alive
    connection; the next request on it (often another feed of the same host) then fails
    before any status line. GET is safe to repeat, and the spoilt connection is closed.
    """
    request = client.build_request("GET", url, headers=headers, timeout=httpx.Timeout(timeout))
    try:
        response = await client.send(request, stream=True)
    except httpx.RemoteProtocolError:
        response = await client.send(request, stream=True)
    try:
        yield response
    finally:
        await response.aclose()


def _peer(response: httpx.Response) -> str | None:
    """The IP address the response's connection reached, where the transport says."""
    stream = response.extensions.get("network_stream")
    address = stream.get_extra_info("server_addr") if stream is not None else None
    return str(address[0]) if isinstance(address, tuple) and address else None


async def _fetch_http(
    client: httpx.AsyncClient, feed: Feed, settings: Settings, state: FeedState, now: datetime,
    guard: Guard | None = None, accept: str = _ACCEPT,
) -> FetchResult:
    timeout = feed.timeout or settings.timeout
    limit = feed.max_bytes or settings.max_bytes
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    url = feed.url
    seen = {url}
    for _hop in range(settings.max_redirects + 1):
        host = urlsplit(url).hostname or ""
        try:
            # With a guard the client's transport is pinned (`pinned.py`): each connection,
            # redirect hops' included, goes only to an address the guard accepted.
            async with _stream(client, url, headers, timeout) as response:
                if guard is not None and (peer := _peer(response)) and (refused := guard(host, peer)):
                    raise _Failure(refused)  # belt and braces: the body is never read
                code = response.status_code
                if code in _REDIRECTS:
                    url = _next_url(response, url, seen)
                    continue
                reply = {k.lower(): v for k, v in response.headers.items()}
                if code == 304:
                    return _done(
                        feed,
                        "not_modified",
                        state,
                        now,
                        headers=reply,
                        final_url=url,
                        etag=reply.get("etag") or state.etag,
                        last_modified=reply.get("last-modified") or state.last_modified,
                    )
                if code == 410:
                    raise _Failure(
                        f"{_status_line(response)}: the feed was removed; "
                        "it will not be fetched again (change its URL to retry)",
                        gone=True,
                    )
                if code in _RETRY_LATER:
                    until = _retry_after(response.headers.get("retry-after"), now)
                    later = f"; retrying after {until:%Y-%m-%d %H:%M} UTC" if until else ""
                    raise _Failure(f"{_status_line(response)}{later}", retry_after=until)
                if not 200 <= code < 300:
                    raise _Failure(_status_line(response))
                body = await _read_body(response, limit)
                return _done(
                    feed,
                    "ok",
                    state,
                    now,
                    content=body,
                    headers=reply,
                    final_url=url,
                    etag=reply.get("etag"),
                    last_modified=reply.get("last-modified"),
                )
        except AddressRefused as refused:
            raise _Failure(refused.reason) from None
        except httpx.InvalidURL as exc:
            # httpx checks a redirect's Location itself before we see it.
            raise _Failure(_one_line(f"malformed URL or redirect refused: {exc}")) from None
        except (httpx.HTTPError, OSError) as exc:
            raise _Failure(_describe(exc, url, timeout)) from None
    raise _Failure(f"more than {settings.max_redirects} redirects; gave up")


def _next_url(response: httpx.Response, url: str, seen: set[str]) -> str:
    location = str(response.headers.get("location", "")).strip()
    if not location:
        raise _Failure(f"{_status_line(response)} redirect without a Location")
    try:
        target = urljoin(url, location)
        parts = urlsplit(target)
    except ValueError:
        raise _Failure("redirect to a malformed URL refused") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        shown = f"{scheme}:" if scheme else "a URL without a host"
        raise _Failure(f"redirect to {shown} refused: feeds may only redirect to http(s)")
    if target in seen:
        raise _Failure(f"redirect loop at {clean_line(target, limit=120)}")
    seen.add(target)
    return target


def _done(
    feed: Feed,
    status: FetchStatus,
    state: FeedState,
    now: datetime,
    *,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    final_url: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    new_state = replace(
        state,
        etag=etag,
        last_modified=last_modified,
        last_fetch=now,
        last_success=now,
        last_error=None,
        retry_after=None,
        gone=False,
    )
    return FetchResult(
        feed=feed,
        status=status,
        state=new_state,
        content=content,
        headers=headers or {},
        final_url=final_url,
    )


def _local_path(url: str) -> str | None:
    """The filesystem path of a file: URL or a plain path; None for anything else."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        if parts.netloc not in ("", "localhost"):
            raise _Failure(f"file: URL on another host ({parts.netloc[:60]}) refused")
        return str(url2pathname(parts.path))
    if not parts.scheme and (url.startswith(("/", "~", ".")) or os.sep in url):
        return os.path.expanduser(url)
    return None


def _read_file(path: str, limit: int, state: FeedState) -> tuple[bytes | None, str, str]:
    """Read a regular file of at most `limit` bytes; None when its etag is unchanged."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: a FIFO must not hang us
    except FileNotFoundError:
        raise _Failure(f"file not found: {clean_line(path, limit=160)}") from None
    except OSError as exc:
        raise _Failure(_one_line(f"cannot open {path}: {exc.strerror or exc}")) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _Failure(f"not a regular file: {clean_line(path, limit=160)}")
        if info.st_size > limit:
            raise _too_large(limit)
        etag = f'"{info.st_size:x}-{info.st_mtime_ns:x}"'
        modified = formatdate(info.st_mtime, usegmt=True)
        if state.etag == etag:
            return None, etag, modified
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:
                raise _too_large(limit)  # the file grew while we read it
            chunks.append(chunk)
        return b"".join(chunks), etag, modified
    except OSError as exc:
        raise _Failure(_one_line(f"cannot read {path}: {exc.strerror or exc}")) from None
    finally:
        os.close(fd)


async def _fetch_file(
    feed: Feed, path: str, settings: Settings, state: FeedState, now: datetime
) -> FetchResult:
    limit = feed.max_bytes or settings.max_bytes
    content, etag, modified = await asyncio.to_thread(_read_file, path, limit, state)
    status: FetchStatus = "ok" if content is not None else "not_modified"
    return _done(
        feed, status, state, now, content=content, final_url=feed.url, etag=etag,
        last_modified=modified,
    )  # fmt: skip


async def fetch_feed(
    client: httpx.AsyncClient,
    feed: Feed,
    settings: Settings,
    state: FeedState | None,
    *,
    now: datetime,
    guard: Guard | None = None,
    accept: str = _ACCEPT,
) -> FetchResult:
    """Fetch one feed (or page); never raises for anything the network or the server does.

    A feed marked gone, or asked to wait by Retry-After, is skipped without a request.
    The whole fetch, redirects and slow bytes included, is cut at settings.deadline.
    `guard` must be the guard of `client`'s pinned transport (see `client_for`); it also
    checks the address each response came from.
    """
    if state is None or state.url != feed.url:
        state = FeedState(url=feed.url)  # a changed URL starts afresh
    if state.gone:
        return FetchResult(feed, "skipped", state, error="the server said 410 Gone; change the URL to retry")
    if state.retry_after is not None and state.retry_after > now:
        when = state.retry_after.astimezone(UTC)
        return FetchResult(
            feed, "skipped", state, error=f"server asked to wait until {when:%Y-%m-%d %H:%M} UTC"
        )
    try:
        async with asyncio.timeout(settings.deadline):
            path = _local_path(feed.url)
            if path is not None:
                return await _fetch_file(feed, path, settings, state, now)
            if urlsplit(feed.url).scheme.lower() not in ("http", "https"):
                raise _Failure("unsupported URL: only http(s), file: URLs and paths are fetched")
            return await _fetch_http(client, feed, settings, state, now, guard, accept)
    except _Failure as failure:
        reason, changes = failure.reason, failure.state_changes
    except TimeoutError:
        reason, changes = f"gave up after the {settings.deadline:g} s deadline", {}
    except Exception as exc:  # a bug or a surprise must not stop the batch
        reason, changes = _describe(exc, feed.url, settings.timeout), {}
    failed = replace(state, last_fetch=now, last_error=reason)
    if changes:
        failed = replace(failed, **changes)  # type: ignore[arg-type]
    return FetchResult(feed, "error", failed, error=reason)


async def fetch_all(
    feeds: Iterable[Feed],
    settings: Settings,
    states: Mapping[str, FeedState],
    *,
    now: datetime | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
    guard: Guard | None = None,
    resolve: Resolver = system_resolve,
) -> list[FetchResult]:
    """Fetch feeds concurrently (at most settings.concurrency at once), in one client.

    `states` is keyed by feed name. Results come back in the order of `feeds`;
    `on_result` is called as each one finishes, on the event loop's thread. With a
    `guard`, every connection is resolved by `resolve` and checked (see `pinned.py`).
    """
    moment = now or datetime.now(UTC)
    feeds = list(feeds)
    gate = asyncio.Semaphore(max(1, settings.concurrency))

    async with client_for(settings, guard, resolve) as client:

        async def one(feed: Feed) -> FetchResult:
            async with gate:
                result = await fetch_feed(client, feed, settings, states.get(feed.name), now=moment,
                                          guard=guard)
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(feed) for feed in feeds)))


def fetch_feeds(
    feeds: Iterable[Feed],
    settings: Settings,
    states: Mapping[str, FeedState],
    *,
    now: datetime | None = None,
    on_result: Callable[[FetchResult], None] | None = None,
    guard: Guard | None = None,
    resolve: Resolver = system_resolve,
) -> list[FetchResult]:
    """Synchronous `fetch_all`, for the CLI and thread workers (not inside a running loop)."""
    return asyncio.run(fetch_all(feeds, settings, states, now=now, on_result=on_result, guard=guard,
                                 resolve=resolve))


def client_for(settings: Settings, guard: Guard | None = None, resolve: Resolver = system_resolve,
               *, connections: int | None = None) -> httpx.AsyncClient:
    """The HTTP client of one batch of fetches: redirects are followed by hand; with a guard,
    every connection goes through it to the address it checked (`pinned.py`)."""
    most = max(1, connections or settings.concurrency)
    if guard is None:
        return httpx.AsyncClient(follow_redirects=False, limits=httpx.Limits(max_connections=most))
    return httpx.AsyncClient(follow_redirects=False,
                             transport=pinned_transport(guard, resolve, max_connections=most))
