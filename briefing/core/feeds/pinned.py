"""Connections to the address that was checked: no private network behind a public name.

Article links come from feeds we do not control, and their pages are fetched without a
keypress. A host name is resolved once per connection (`Resolver`, injectable), every
address it gave is shown to a `Guard`, and the connection goes to one of exactly those
addresses: a name that answers a public address for the check and a private one a moment
later (DNS rebinding) never reaches the private one, because it is never asked again.
TLS still names the host (SNI) and verifies the certificate against it, not the address.
This module never reads a response; `fetch.py` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import httpcore
import httpx

from briefing.core.text.clean import clean_line

__all__ = [
    "AddressRefused",
    "Guard",
    "Resolver",
    "pinned_transport",
    "private_address",
    "private_network_guard",
    "system_resolve",
]

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> the IP addresses to connect to, in order; raises OSError when the name
does not resolve. Called once per new connection, in a worker thread."""

Guard = Callable[[str, str], "str | None"]
"""(host, an IP address it resolved to) -> a reason to refuse connecting, or None. Called
for every address before connecting to any, on every redirect hop's host."""

_MAX_ADDRESSES = 8
"""Addresses of one name tried in turn (and checked); a longer answer is cut."""


class AddressRefused(Exception):
    """The guard refused an address a host resolved to: nothing was connected or sent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _literal(host: str) -> str | None:
    """The host as a normalised IP address, if it is one."""
    try:
        return str(ipaddress.ip_address(host.strip("[]").split("%", 1)[0]))
    except ValueError:
        return None


def system_resolve(host: str, port: int) -> list[str]:
    """The system resolver's addresses for `host`, each once, in its order."""
    if (address := _literal(host)) is not None:
        return [address]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    found: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if address not in found:
            found.append(address)
    return found


def private_address(host: str, resolve: Resolver = system_resolve) -> str | None:
    """The first non-public address `host` is or resolves to (loopback, private, link-local,
    reserved...), or None. A name that does not resolve is left for the fetch to report."""
    try:
        candidates = resolve(host, 0)
    except (OSError, UnicodeError):
        return None
    for candidate in candidates:
        with contextlib.suppress(ValueError):
            if not ipaddress.ip_address(candidate).is_global:
                return candidate
    return None


def private_network_guard(trusted_hosts: Collection[str] = ()) -> Guard:
    """A guard refusing every address off the public internet, except for hosts that also
    serve one of the user's own feeds (their own server may well be on a private network)."""
    trusted = {h.lower().strip("[]") for h in trusted_hosts}

    def guard(host: str, address: str) -> str | None:
        if host.lower().strip("[]") in trusted:
            return None
        try:
            public = ipaddress.ip_address(address).is_global
        except ValueError:
            public = False
        if public:
            return None
        shown = clean_line(address, limit=60)
        return f"{clean_line(host, limit=80)} is in a private network ({shown}); not fetched"

    return guard


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the guard has seen."""

    def __init__(self, guard: Guard, resolve: Resolver) -> None:
        self.guard = guard
        self.resolve = resolve
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        literal = _literal(host)
        # Resolving may block: not on the event loop's thread.
        addresses = [literal] if literal else list(await asyncio.to_thread(self.resolve, host, port))
        addresses = addresses[:_MAX_ADDRESSES]
        if not addresses:
            raise OSError(f"no address for {host}")
        for address in addresses:
            if (refused := self.guard(host, address)) is not None:
                raise AddressRefused(refused)
        failure: Exception | None = None
        for address in addresses:  # the checked addresses themselves, never the name again
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout,
                                                    local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("unix sockets are never connected to")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def pinned_transport(guard: Guard, resolve: Resolver = system_resolve, *, max_connections: int = 8
                     ) -> httpx.AsyncBaseTransport:
    """An httpx transport whose every connection goes through the guard (see the module).

    It never goes through a proxy from the environment: the address connected to must be
    the one checked. TLS verification uses httpx's defaults (certifi, or SSL_CERT_FILE).
    """
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    # httpx builds its connection pool without a way to name the network backend; the pool
    # is rebuilt with the same settings and ours. (tests/core/feeds/test_pinned.py proves
    # every connection passes the guard, so a change in httpx cannot slip by unnoticed.)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,
        network_backend=_PinnedBackend(guard, resolve),
    )
    return transport
