"""A loopback site of summary-only feeds whose items link to article pages, fetched with
`full_text = "auto"` through the real `briefing` command.

The pages: some good, two slow, one 404, one 429 with Retry-After (on a second host name),
one redirecting to the cloud metadata address, one far past the size cap, and one item
whose feed body is already whole. After `briefing fetch`: every reachable article holds
its page's text (the summary kept as its lede, facts made from the page), every failure
is recorded on its article with its reason, no host ever had more than two pages in
flight (the server counts), the metadata address was never dialled (every connection
of the process is logged), and later fetches request no page already complete, and a
page that failed three times no more.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpcore
import orjson
import pytest

from briefing.cli import main
from briefing.core.store.store import Store
from tests.httpserver import FeedServer, RequestHandler

SUMMARY = "Energy ministers met in Baku on Tuesday to discuss the gas corridor."
PARAGRAPHS = [
    "Energy ministers from Azerbaijan, Georgia and Turkey met in Baku on Tuesday to agree the next "
    "phase of the Southern Gas Corridor, officials said.",
    "The three governments will spend $2.5 billion on new compressor stations, raising the capacity "
    "of the line by 20 percent by 2027, according to a joint statement.",
    "\u201cThis corridor is a guarantee of supply for Europe,\u201d said Parviz Shahbazov, Azerbaijan's "
    "energy minister, after the signing ceremony.",
    "European Commission officials attended the meeting as observers and welcomed the plan.",
]
LONG_BODY = " ".join(["The pipeline consortium published its quarterly figures on Monday."] * 25)


def page(n: str) -> bytes:
    return ("<html><head><title>Story</title></head><body><nav>Home | World</nav><article>"
            f"<h1>Story {n}</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
            + f"<p>Reference {n}.</p></article><footer>Copyright</footer></body></html>").encode()


@dataclass
class Site:
    """Article pages that count how many requests each host has in flight."""

    server: FeedServer
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: dict[str, int] = field(default_factory=dict)
    most: dict[str, int] = field(default_factory=dict)

    def serve(self, path: str, *, delay: float = 0.0, status: int = 200, body: bytes = b"",
              headers: dict[str, str] | None = None) -> None:
        def handler(request: RequestHandler) -> None:
            host = request.headers.get("Host", "").rsplit(":", 1)[0]
            with self.lock:
                self.in_flight[host] = self.in_flight.get(host, 0) + 1
                self.most[host] = max(self.most.get(host, 0), self.in_flight[host])
            try:
                if delay:
                    request.stopping.wait(delay)
                request.send(status, body, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})
            finally:
                with self.lock:
                    self.in_flight[host] -= 1

        self.server.handle(path, handler)

    def hits(self, path: str) -> int:
        return len(self.server.hits(path))


def _huge(request: RequestHandler) -> None:
    """Two MiB of paragraphs, no Content-Length: only the cap after decompression stops it."""
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.send_header("Connection", "close")
    request.end_headers()
    chunk = b"<p>" + b"filler words " * 400 + b"</p>"
    try:
        for _ in range(2 * 1024 * 1024 // len(chunk)):
            request.wfile.write(chunk)
    except OSError:
        pass  # the client hung up at its cap
    request.close_connection = True


def feed(title: str, items: list[tuple[str, str, str]], start: datetime) -> bytes:
    entries = "".join(
        f"<item><title>{name}</title><link>{link}</link><guid>{title}-{name}</guid>"
        f"<pubDate>{format_datetime(start - timedelta(minutes=i))}</pubDate>"
        f"<description>{body}</description></item>"
        for i, (name, link, body) in enumerate(items))
    return f"<rss version='2.0'><channel><title>{title}</title>{entries}</channel></rss>".encode()


@pytest.fixture
def dialled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address this process connects to (httpcore's lowest layer)."""
    log: list[str] = []
    real = httpcore.AnyIOBackend.connect_tcp

    async def connect_tcp(self: httpcore.AnyIOBackend, host: str, port: int, *args: Any,
                          **kwargs: Any) -> Any:
        log.append(host)
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect_tcp)
    return log


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with FeedServer() as server:
        here = Site(server)
        a, b = f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}"
        for name in ("good-1", "good-2", "good-3"):
            here.serve(f"/a/{name}", body=page(name))
        for name in ("slow-1", "slow-2"):
            here.serve(f"/a/{name}", delay=1.0, body=page(name))
        here.serve("/a/missing", status=404, body=b"no such page")
        here.serve("/a/metadata", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        server.handle("/a/huge", _huge)
        here.serve("/a/whole", body=page("whole"))
        here.serve("/b/good", body=page("b-good"))
        here.serve("/b/busy", status=429, body=b"slow down", headers={"Retry-After": "120"})
        now = datetime.now(UTC)
        server.reply("/a.xml", body=feed("Wire A", [
            *((n, f"{a}/a/{n}", SUMMARY) for n in ("good-1", "good-2", "good-3", "slow-1", "slow-2",
                                                   "missing", "metadata", "huge")),
            ("whole", f"{a}/a/whole", LONG_BODY)], now), headers={"Content-Type": "application/rss+xml"})
        server.reply("/b.xml", body=feed("Wire B", [("b-good", f"{b}/b/good", SUMMARY),
                                                    ("busy", f"{b}/b/busy", SUMMARY)], now))
        yield here


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_auto_full_text_over_a_hostile_site(
    tmp_path: Path, site: Site, dialled: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    port = site.server.port
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f"""
[settings]
timeout = 5
deadline = 10
max_bytes = 524288
full_text = "auto"
full_text_gap = 0.05

[[feeds]]
name = "Wire A"
url = "http://127.0.0.1:{port}/a.xml"

[[feeds]]
name = "Wire B"
url = "http://localhost:{port}/b.xml"
""")
    home = str(tmp_path / "home")
    started = time.monotonic()
    code, out, err = run(capsys, "fetch", "--home", home, "--feeds", str(feeds))
    assert code == 0, err
    assert "Wire A: 9 new" in out and "Wire B: 2 new" in out
    assert time.monotonic() - started < 30

    code, out, _ = run(capsys, "list", "--home", home, "--feeds", str(feeds), "--json")
    listed = {a["title"]: a for a in orjson.loads(out) if a["feed"] in ("Wire A", "Wire B")}
    kinds = {title: a["text_kind"] for title, a in listed.items()}
    assert kinds == {"good-1": "full", "good-2": "full", "good-3": "full", "slow-1": "full", "slow-2": "full",
                     "b-good": "full", "whole": "full", "missing": "summary", "metadata": "summary",
                     "huge": "summary", "busy": "summary"}

    def show(title: str) -> dict[str, Any]:
        code, out, _ = run(capsys, "show", "--home", home, "--feeds", str(feeds), listed[title]["id"],
                           "--json")
        assert code == 0
        shown: dict[str, Any] = orjson.loads(out)
        return shown

    good = show("slow-2")
    assert "compressor stations" in good["text"] and "Reference slow-2." in good["text"]
    assert good["lede"] == SUMMARY and good["page"]["host"] == "127.0.0.1" and good["page"]["error"] is None
    assert any(e["name"] == "Parviz Shahbazov" for e in good["facts"]["entities"])  # from the page
    assert show("whole")["page"] is None and show("whole")["lede"] is None  # never fetched

    reasons = {title: show(title)["page"]["error"] for title in ("missing", "metadata", "huge", "busy")}
    assert reasons["missing"] == "HTTP 404 Not Found"
    assert reasons["metadata"] == "169.254.169.254 is in a private network (169.254.169.254); not fetched"
    assert reasons["huge"].startswith("body larger than 0.5 MiB")
    assert reasons["busy"].startswith("HTTP 429 Too Many Requests; retrying after")
    assert show("busy")["page"]["failures"] == 0  # asked to wait: no failure of the page's
    assert show("missing")["text"] == SUMMARY  # a failure keeps the summary

    assert max(site.most.values()) <= 2 and site.most["127.0.0.1"] == 2
    assert "169.254.169.254" not in dialled
    assert site.hits("/a/whole") == 0

    completed = ["/a/good-1", "/a/good-2", "/a/good-3", "/a/slow-1", "/a/slow-2", "/b/good"]
    for _ in range(3):
        code, _, err = run(capsys, "fetch", "--home", home, "--feeds", str(feeds), "-q")
        assert code == 0, err
    assert {path: site.hits(path) for path in completed} == dict.fromkeys(completed, 1)
    assert site.hits("/a/missing") == 3  # three failures, then left alone
    assert site.hits("/b/busy") == 1  # its host asked for two minutes
    with Store.open(Path(home) / "", readonly=True) as store:
        missing = store.get(listed["missing"]["id"])
        assert missing is not None and missing.page is not None
        assert missing.page.failures == 3 and missing.page.given_up

    code, out, _ = run(capsys, "feeds", "--home", home, "--feeds", str(feeds))
    assert "Wire A\t9/9 unread\tfull text 6/9" in out and "Wire B\t2/2 unread\tfull text 1/2" in out
