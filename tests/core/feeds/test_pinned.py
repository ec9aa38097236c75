"""Pinned connections: the address the guard checked is the one connected to.

A name that resolves to a public address for the check and to a private one a moment
later (DNS rebinding) must never reach the private one. The resolver is injected; the
servers are real sockets on loopback addresses. To stand in for "the public internet",
the lowest network layer (httpcore's AnyIO backend) is wrapped so that a connection to
the public test address lands on a loopback server, and every address actually dialled
is logged: the log is the proof of what was connected to.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpcore
import pytest

from briefing.core.feeds.fetch import fetch_feeds
from briefing.core.feeds.pinned import private_address, private_network_guard, system_resolve
from briefing.core.models.feeds import Feed, Settings
from tests.httpserver import FeedServer

FAST = Settings(timeout=3, deadline=6)
PUBLIC = "93.184.216.34"
"""A global address standing for the site's real one (never actually dialled)."""
PAGE = b"<html><body><p>The public page.</p></body></html>"


class _FromPublic:
    """A stream to 127.0.0.1 that says it reached PUBLIC, as a real connection to it would."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def get_extra_info(self, info: str) -> Any:
        if info == "server_addr":
            return (PUBLIC, self.stream.get_extra_info(info)[1])
        return self.stream.get_extra_info(info)


@pytest.fixture
def dialled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every address the process connects to; PUBLIC lands on 127.0.0.1."""
    log: list[str] = []
    real = httpcore.AnyIOBackend.connect_tcp

    async def connect_tcp(self: httpcore.AnyIOBackend, host: str, port: int, *args: Any,
                          **kwargs: Any) -> Any:
        log.append(host)
        if host != PUBLIC:
            return await real(self, host, port, *args, **kwargs)
        return _FromPublic(await real(self, "127.0.0.1", port, *args, **kwargs))

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect_tcp)
    yield log


class Rebinding:
    """A resolver that answers PUBLIC the first time and a private address after."""

    def __init__(self, private: str) -> None:
        self.private = private
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return [PUBLIC] if len(self.calls) == 1 else [self.private]


def test_a_name_rebinding_to_a_private_address_never_reaches_it(dialled: list[str]) -> None:
    with FeedServer() as public, FeedServer(host="127.0.0.2", port=public.port) as private:
        public.reply("/story", body=PAGE, headers={"Content-Type": "text/html"})
        private.reply("/story", body=b"the router's admin page")
        resolver = Rebinding("127.0.0.2")
        url = f"http://rebind.example:{public.port}/story"
        (result,) = fetch_feeds([Feed("page", url)], FAST, {}, guard=private_network_guard(),
                                resolve=resolver)
        assert result.status == "ok" and result.content == PAGE
        assert resolver.calls == ["rebind.example"]  # resolved once, for the check and the connection
        assert dialled == [PUBLIC]
        assert private.requests == [] and len(public.hits("/story")) == 1


def test_the_second_answer_is_refused_when_a_new_connection_asks_again(dialled: list[str]) -> None:
    """A new connection resolves again; the private answer then is refused before any dial."""
    with FeedServer() as public, FeedServer(host="127.0.0.2", port=public.port) as private:
        public.reply("/story", body=PAGE)
        private.reply("/story", body=b"admin")
        resolver = Rebinding("127.0.0.2")
        url = f"http://rebind.example:{public.port}/story"
        guard = private_network_guard()
        (first,) = fetch_feeds([Feed("page", url)], FAST, {}, guard=guard, resolve=resolver)
        (second,) = fetch_feeds([Feed("page", url)], FAST, {}, guard=guard, resolve=resolver)
        assert first.status == "ok"
        assert second.status == "error"
        assert second.error == "rebind.example is in a private network (127.0.0.2); not fetched"
        assert dialled == [PUBLIC] and private.requests == []


def test_a_redirect_to_a_metadata_address_is_never_dialled(dialled: list[str]) -> None:
    with FeedServer() as site:
        hop = site.reply("/story", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
        (result,) = fetch_feeds([Feed("page", hop)], FAST, {},
                                guard=private_network_guard({"127.0.0.1"}), resolve=system_resolve)
        assert result.status == "error"
        assert result.error == "169.254.169.254 is in a private network (169.254.169.254); not fetched"
        assert dialled == ["127.0.0.1"]


def test_a_name_with_any_private_address_is_refused(dialled: list[str]) -> None:
    (result,) = fetch_feeds([Feed("page", "http://mixed.example/story")], FAST, {},
                            guard=private_network_guard(),
                            resolve=lambda host, port: [PUBLIC, "10.0.0.7"])
    assert result.status == "error" and "(10.0.0.7)" in (result.error or "")
    assert dialled == []


def test_a_name_that_does_not_resolve_fails_in_one_line() -> None:
    def nowhere(host: str, port: int) -> list[str]:
        import socket

        raise socket.gaierror(-2, "Name or service not known")

    (result,) = fetch_feeds([Feed("page", "http://nowhere.example/")], FAST, {},
                            guard=private_network_guard(), resolve=nowhere)
    assert result.status == "error" and result.error == "DNS lookup failed: no such host nowhere.example"


def test_private_address_check() -> None:
    assert private_address("127.0.0.1") == "127.0.0.1"
    assert private_address("[::1]") == "::1"
    assert private_address("192.168.1.1") == "192.168.1.1"
    assert private_address("8.8.8.8") is None
    assert private_address("no-such-host.invalid") is None  # left for the fetch to report
    assert private_address("x.example", lambda h, p: ["8.8.8.8", "10.1.1.1"]) == "10.1.1.1"


# -- TLS: connected by address, verified by name ------------------------------------------------


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def _tls(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.parametrize(("served", "ok"), [("pages.example", True), ("other.example", False)])
def test_tls_names_the_host_and_checks_its_certificate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: str, ok: bool
) -> None:
    """The connection goes to 127.0.0.1 (the checked address), yet the handshake names
    pages.example (SNI) and the certificate must be pages.example's: one for another name,
    though signed by a trusted authority, is refused."""
    cert, key = _certificate(tmp_path, served)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with FeedServer(tls=_tls(cert, key)) as server:
        server.reply("/story", body=PAGE)
        url = f"https://pages.example:{server.port}/story"
        (result,) = fetch_feeds([Feed("page", url)], FAST, {}, guard=private_network_guard({"pages.example"}),
                                resolve=lambda host, port: ["127.0.0.1"])
    if ok:
        assert result.status == "ok" and result.content == PAGE
    else:
        assert result.status == "error"
        assert result.error is not None and result.error.startswith("TLS error with pages.example")
        assert "hostname" in result.error.lower() or "match" in result.error.lower()
