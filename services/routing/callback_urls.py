"""Where callbacks may go. A callback URL given through the API must be http or https with a
host (checked when it is stored); an operator may also deny address ranges (`serve
--callback-deny`), checked when a callback is sent, against the addresses the host resolves to
then, and the connection goes to the address that was checked (no second lookup to rebind)."""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse
from collections.abc import Iterable

from taskrouter.server.errors import invalid

SCHEMES = ("http", "https")
MAX_URL_CHARS = 2048

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Refused(ValueError):
    """The callback is not sent: its URL or the address it resolves to is not allowed."""


def checked_url(value: str, field: str) -> str:
    """A callback URL to store: empty (no callback), or http(s)://host[:port][/path][?query]."""
    value = value.strip()
    if not value:
        return ""
    if len(value) > MAX_URL_CHARS:
        raise invalid(field, f"must be at most {MAX_URL_CHARS} characters")
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise invalid(field, "is not a valid URL") from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise invalid(field, "must be an http or https URL with a host")
    if any(c.isspace() or ord(c) < 0x20 for c in value):
        raise invalid(field, "must not contain spaces or control characters")
    return value


def parse_networks(text: str) -> tuple[Network, ...]:
    """CIDR ranges from 'CIDR[,CIDR...]' (a bare address is a range of one); ValueError names a bad one."""
    networks = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"--callback-deny: {item!r} is not an address range such as 10.0.0.0/8") from None
    return tuple(networks)


class Destination:
    """Resolves a callback's host and checks every address against the denied ranges."""

    def __init__(self, denied: Iterable[Network] = ()):
        self.denied = tuple(denied)

    def _is_denied(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        mapped = getattr(ip, "ipv4_mapped", None)
        return any(candidate in network for candidate in filter(None, (ip, mapped)) for network in self.denied
                   if candidate.version == network.version)

    def address(self, url: str) -> tuple[urllib.parse.SplitResult, str]:
        """The URL's parts and the address to connect to; raises Refused."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in SCHEMES or not parts.hostname:
            raise Refused(f"{url[:100]!r} is not an http or https URL")
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        try:
            found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise Refused(f"cannot resolve {parts.hostname}: {exc}") from None
        addresses = [str(info[4][0]) for info in found]
        denied = [a for a in addresses if self._is_denied(a)]
        if denied or not addresses:
            raise Refused(f"{parts.hostname} resolves to {denied[0] if denied else 'nothing'}, "
                          "in a range the operator denies (--callback-deny)")
        return parts, addresses[0]
