"""Where a delivery may go (SSRF): https to a host whose every address is public, resolved
once per delivery and connected to at that address, so a DNS answer that changes between
the check and the connection (rebinding) cannot switch it. ``WEBHOOKS_ALLOW_PRIVATE`` lets
private addresses and plain http through, for a receiver on the same network or in tests."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app


class UnsafeTarget(ValueError):
    """An address the app refuses to send to, in words for the admin."""


@dataclass(frozen=True)
class Target:
    """A checked URL: its host name (for the Host header and TLS), port, path and the one
    address the delivery connects to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def allow_private() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_PRIVATE"))


def is_public(address: str) -> bool:
    """Whether ``address`` (IPv4 or IPv6, IPv4-mapped unwrapped) is a public unicast one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    refused = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return not refused and ip.is_global


def split_url(url: str, *, private_ok: bool) -> tuple[str, str, int, str]:
    """The scheme, host, port and path of ``url``; raises :class:`UnsafeTarget`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeTarget("Enter a whole address, such as https://hooks.example.com/in.") from None
    schemes = ("https", "http") if private_ok else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeTarget("The address must start with https://.")
    if not parts.hostname:
        raise UnsafeTarget("Enter a whole address, such as https://hooks.example.com/in.")
    if parts.username or parts.password:
        raise UnsafeTarget("Leave the user name and password out of the address.")
    default = 443 if parts.scheme == "https" else 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or default, path


def resolve(url: str, *, private_ok: bool | None = None) -> Target:
    """Check ``url`` and resolve its host once; raises :class:`UnsafeTarget` when it is not
    https or any of its addresses is private, loopback, link-local, multicast, reserved or
    unspecified (unless private targets are allowed)."""
    private_ok = allow_private() if private_ok is None else private_ok
    scheme, host, port, path = split_url(url, private_ok=private_ok)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeTarget(f"The host {host} cannot be found.") from None
    addresses = [info[4][0] for info in found]
    if not addresses:
        raise UnsafeTarget(f"The host {host} cannot be found.")
    if not private_ok and not all(is_public(address) for address in addresses):
        raise UnsafeTarget(
            f"{host} is a private, loopback or link-local address: the app sends webhooks "
            "only to public addresses."
        )
    return Target(scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the resolved address; the Host header names the host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the resolved address, with SNI and the certificate checked for the host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    """A connection to ``target``'s resolved address (redirects are never followed)."""
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target, timeout)
    return _PinnedHTTPConnection(target, timeout)
