"""Downloading an image from an address someone else wrote (a WordPress export), without
letting that address make the server reach its own network (server-side request forgery).

``image_download(url)`` guarantees:

* Each hop (the address, then each redirect, at most ``MAX_REDIRECTS``) has its host name
  resolved once; if any address it resolves to is not public (loopback, private, link-local
  such as the cloud metadata address 169.254.169.254, shared, multicast, reserved, or such an
  IPv4 address carried inside IPv6), nothing is sent. The connection then goes to the vetted
  address itself, never to a second look-up (DNS rebinding), while the Host header and the
  TLS server name and certificate check stay those of the address's host name.
  ``settings.WXR_FETCH_ALLOWED_NETWORKS`` (CIDR, empty by default) lets through networks
  that are not public: tests, or an old blog on the practice's own network.
* http and https only; no proxy from the environment; no cookies or credentials sent.
* At most ``max_bytes`` read (a larger Content-Length is refused unread) and ``timeout``
  seconds in all, redirects and a slow server included (name look-ups excepted: the
  system resolver takes no timeout).
* The bytes must be a picture Pillow reads as JPEG, PNG, WebP or GIF, whatever the
  Content-Type says.
"""

import contextlib
import http.client
import io
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from django.conf import settings
from PIL import Image

from education.images import ACCEPTED_FORMATS

MAX_REDIRECTS = 3
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_CHUNK_BYTES = 64 * 1024
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class ImageDownloadError(Exception):
    """Why an image was not downloaded, in a sentence."""


@dataclass(frozen=True)
class DownloadedImage:
    url: str  # where the bytes came from, after redirects
    data: bytes


def image_download(url: str, *, max_bytes: int, timeout: float) -> DownloadedImage:
    """The picture at ``url`` (see the module docstring); ``timeout`` in seconds for the
    whole download. Raises ``ImageDownloadError`` saying why it was not had."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ImageDownloadError(f"{url} is not an http or https address")
        addresses = host_addresses_vetted(parts.hostname)
        status, location, data = _get(parts, addresses, deadline=deadline, max_bytes=max_bytes)
        if status in _REDIRECT_STATUSES and location:
            url = urljoin(url, location)
            continue
        if status != 200:
            raise ImageDownloadError(f"{url} answered {status}")
        if not _is_picture(data):
            raise ImageDownloadError(f"{url} is not a JPEG, PNG, WebP or GIF picture")
        return DownloadedImage(url, data)
    raise ImageDownloadError(f"more than {MAX_REDIRECTS} redirects from {url}")


def host_addresses_vetted(host: str) -> list[str]:
    """The addresses ``host`` resolves to, all allowed (``address_allowed``); raises
    ``ImageDownloadError`` when it does not resolve or one of them is not allowed."""
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ImageDownloadError(f"{host} could not be found") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for address in addresses:
        if not address_allowed(address):
            where = address if address == host else f"{host} ({address})"
            raise ImageDownloadError(f"{where} is not a public address")
    if not addresses:
        raise ImageDownloadError(f"{host} could not be found")
    return addresses


def address_allowed(address: str) -> bool:
    """Whether an IP address may be reached: public, or in ``WXR_FETCH_ALLOWED_NETWORKS``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    allowed = (ipaddress.ip_network(network) for network in settings.WXR_FETCH_ALLOWED_NETWORKS)
    return any(ip in network for network in allowed) or address_public(ip)


def address_public(ip: IPAddress) -> bool:
    """Reachable on the public internet (IANA special-purpose registries, through Python's
    ``is_global``), not multicast, and any IPv4 address carried inside an IPv6 one (mapped,
    6to4, NAT64) public too."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_public(ip.ipv4_mapped)
        carried = ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None
        )
        if carried is not None and not address_public(carried):
            return False
    return ip.is_global and not ip.is_multicast


def _get(
    parts: SplitResult, addresses: list[str], *, deadline: float, max_bytes: int
) -> tuple[int, str, bytes]:
    """One GET to the vetted ``addresses``: (status, Location header, body up to max_bytes)."""
    remaining = _remaining(deadline)
    try:
        port = parts.port
    except ValueError as error:
        raise ImageDownloadError(f"{parts.geturl()} has a bad port") from error
    assert parts.hostname is not None
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, timeout=remaining, addresses=addresses)
    # Whatever the server does (one byte at a time...), the socket is cut at the deadline.
    watchdog = threading.Timer(remaining, _cut, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        path = parts.path or "/"
        connection.request(
            "GET",
            f"{path}?{parts.query}" if parts.query else path,
            headers={"User-Agent": "practice-site-import", "Accept": "image/*"},
        )
        response = connection.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location", ""), b""
        length = response.getheader("Content-Length", "")
        if length.isascii() and length.isdigit() and int(length) > max_bytes:
            raise ImageDownloadError(f"{parts.geturl()} is larger than {max_bytes} bytes")
        data = bytearray()
        while chunk := response.read1(_CHUNK_BYTES):
            data += chunk
            if len(data) > max_bytes:
                raise ImageDownloadError(f"{parts.geturl()} is larger than {max_bytes} bytes")
            _remaining(deadline)
        _remaining(deadline)
        return response.status, "", bytes(data)
    except (OSError, http.client.HTTPException) as error:
        _remaining(deadline)
        raise ImageDownloadError(f"{parts.geturl()} could not be read ({error})") from error
    finally:
        watchdog.cancel()
        connection.close()


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ImageDownloadError("the old site took too long to answer")
    return remaining


def _cut(connection: http.client.HTTPConnection) -> None:
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)


def _connect_first(addresses: list[str], port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to the first of the vetted addresses that answers."""
    failure: OSError = OSError("no address")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as error:
            failure = error
    raise failure


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted addresses, not to a new look-up of the host name."""

    def __init__(
        self, host: str, port: int | None, *, timeout: float, addresses: list[str]
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect_first(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the vetted addresses, with the host name as server name and for the
    certificate check."""

    def __init__(
        self, host: str, port: int | None, *, timeout: float, addresses: list[str]
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        plain = _connect_first(self.addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(plain, server_hostname=self.host)  # type: ignore[attr-defined]


def _is_picture(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            picture = probe.format in ACCEPTED_FORMATS
            probe.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return picture
