"""Images named in a WordPress export are downloaded without letting the export make the
server reach its own network: every address vetted, redirects included, and the address
vetted is the one connected to. Real HTTP servers on loopback addresses; the test settings
allow 127.0.0.1 only (``WXR_FETCH_ALLOWED_NETWORKS``), so 127.0.0.2 stands for the
server's own network."""

import http.server
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from education.image_download import ImageDownloadError, address_allowed, image_download
from education.models import ArticleImage
from education.wxr_import import articles_import_wxr
from tests.fixtures.accounts import therapist_create

EXPORT = Path(__file__).parent / "data" / "wordpress-export.xml"
BRIDGE = "/wp-content/uploads/2019/09/bridge.jpg"
GONE = "/wp-content/uploads/2020/01/gone.png"
LIMIT = 10 * 1024 * 1024


def picture(colour: tuple[int, int, int] = (90, 140, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return out.getvalue()


Answer = Callable[[http.server.BaseHTTPRequestHandler], None]


def answer(status: int, body: bytes = b"", *, length: bool = True, **headers: str) -> Answer:
    def send(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        if length:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return send


class Site:
    """A real HTTP server on ``host``; ``routes`` maps a path to its answer; ``requests``
    lists (path, Host header) of what reached it."""

    def __init__(self, host: str, port: int = 0) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[tuple[str, str]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("Host", "")))
                site.routes.get(self.path, answer(404))(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((host, port), Handler)
        self.host, self.port = host, self.server.server_address[1]

    def url(self, path: str = BRIDGE) -> str:
        return f"http://{self.host}:{self.port}{path}"


@contextmanager
def serving(host: str = "127.0.0.1", port: int = 0) -> Iterator[Site]:
    site = Site(host, port)
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()


@pytest.fixture(autouse=True)
def only_the_test_site_allowed(settings: Any) -> None:
    settings.WXR_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",  # the cloud metadata service
        "100.64.0.1",  # shared (carrier-grade NAT)
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",  # the cloud metadata service over IPv6
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "2002:a9fe:a9fe::1",  # 6to4 carrying 169.254.169.254
        "64:ff9b::a9fe:a9fe",  # NAT64 carrying 169.254.169.254
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "ff02::1",
        "not an address",
    ],
)
def test_addresses_that_are_not_public_are_refused(settings: Any, address: str) -> None:
    settings.WXR_FETCH_ALLOWED_NETWORKS = []
    assert not address_allowed(address)


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_allowed(address)


def test_only_the_networks_named_in_the_settings_are_let_through() -> None:
    assert address_allowed("127.0.0.1")
    assert not address_allowed("127.0.0.2")
    assert not address_allowed("::ffff:127.0.0.2")
    assert not address_allowed("169.254.169.254")


def test_a_name_for_the_servers_own_network_is_refused_before_any_request(
    settings: Any,
) -> None:
    settings.WXR_FETCH_ALLOWED_NETWORKS = []
    with serving() as site:
        site.routes[BRIDGE] = answer(200, picture(), Content_Type="image/jpeg")
        with pytest.raises(ImageDownloadError, match=r"localhost \(.*\) is not a public address"):
            image_download(f"http://localhost:{site.port}{BRIDGE}", max_bytes=LIMIT, timeout=5)
    assert site.requests == []


def test_a_redirect_to_the_servers_own_network_is_refused_and_never_reached(
    settings: Any,
) -> None:
    with serving() as outside, serving("127.0.0.2") as inside:
        inside.routes[BRIDGE] = answer(200, picture(), Content_Type="image/jpeg")
        outside.routes[BRIDGE] = answer(302, Location=inside.url())
        with pytest.raises(ImageDownloadError, match=r"127\.0\.0\.2 is not a public address"):
            image_download(outside.url(), max_bytes=LIMIT, timeout=5)
        assert outside.requests == [(BRIDGE, f"127.0.0.1:{outside.port}")]
        assert inside.requests == []

        settings.WXR_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the same hop, when allowed
        image = image_download(outside.url(), max_bytes=LIMIT, timeout=5)
        assert image.data == picture()
        assert image.url == inside.url()
        assert len(inside.requests) == 1


@pytest.mark.django_db
def test_an_import_does_not_follow_a_redirect_to_the_servers_own_network() -> None:
    owner = therapist_create(email="owner@strongbones.example", full_name="Olive Owner")
    owner.is_superuser = True
    owner.save()
    with serving() as outside, serving("127.0.0.2") as inside:
        inside.routes[BRIDGE] = answer(200, picture(), Content_Type="image/jpeg")
        outside.routes[BRIDGE] = answer(301, Location=inside.url())
        outside.routes[GONE] = answer(200, picture(), Content_Type="image/png")
        data = EXPORT.read_bytes().replace(
            b"https://oldblog.example", f"http://127.0.0.1:{outside.port}".encode()
        )
        report = articles_import_wxr(data=data, editor=owner)
    assert inside.requests == []
    assert ArticleImage.objects.count() == 1  # the picture on the old site itself
    assert report.images_missing == [outside.url(BRIDGE.replace(".jpg", "-300x200.jpg"))]
    assert outside.url(BRIDGE.replace(".jpg", "-300x200.jpg")) in report.images_missing


def test_the_address_vetted_is_the_one_connected_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name answers an allowed address when vetted, then the server's own
    network. A resolver stands in for the attacker's DNS server; the HTTP is real."""
    looked_up = socket.getaddrinfo
    answers = iter(["127.0.0.1"])

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "oldblog.test":
            host = next(answers, "127.0.0.2")
        return looked_up(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with serving() as vetted, serving("127.0.0.2", vetted.port) as inside:
        vetted.routes[BRIDGE] = answer(200, picture(), Content_Type="image/jpeg")
        inside.routes[BRIDGE] = answer(200, picture((255, 0, 0)), Content_Type="image/jpeg")
        image = image_download(
            f"http://oldblog.test:{vetted.port}{BRIDGE}", max_bytes=LIMIT, timeout=5
        )
    assert image.data == picture()
    assert vetted.requests == [(BRIDGE, f"oldblog.test:{vetted.port}")]
    assert inside.requests == []


def test_redirects_are_followed_a_few_times_only() -> None:
    with serving() as site:
        site.routes["/a.jpg"] = answer(302, Location="/b.jpg")
        site.routes["/b.jpg"] = answer(301, Location=site.url("/c.jpg"))
        site.routes["/c.jpg"] = answer(307, Location="/d.jpg")
        site.routes["/d.jpg"] = answer(200, picture(), Content_Type="image/jpeg")
        assert image_download(site.url("/a.jpg"), max_bytes=LIMIT, timeout=5).data == picture()

        site.routes["/loop.jpg"] = answer(302, Location="/loop.jpg")
        with pytest.raises(ImageDownloadError, match="more than 3 redirects"):
            image_download(site.url("/loop.jpg"), max_bytes=LIMIT, timeout=5)
    assert [path for path, _host in site.requests].count("/loop.jpg") == 4


@pytest.mark.parametrize("length", [True, False], ids=["announced", "unannounced"])
def test_a_file_over_the_size_limit_is_refused(length: bool) -> None:
    data = picture()
    with serving() as site:
        site.routes[BRIDGE] = answer(200, data, length=length, Content_Type="image/jpeg")
        with pytest.raises(ImageDownloadError, match="larger than 1000 bytes"):
            image_download(site.url(), max_bytes=1000, timeout=5)
        assert image_download(site.url(), max_bytes=len(data), timeout=5).data == data


def test_only_real_pictures_are_kept_whatever_their_content_type() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with serving() as site:
        site.routes["/page.jpg"] = answer(200, b"<html>Not found</html>", Content_Type="image/jpeg")
        site.routes["/drawing.jpg"] = answer(200, svg, Content_Type="image/svg+xml")
        site.routes["/cut.jpg"] = answer(200, picture()[:200], Content_Type="image/jpeg")
        site.routes["/plain.jpg"] = answer(200, picture(), Content_Type="application/octet-stream")
        for path in ["/page.jpg", "/drawing.jpg", "/cut.jpg"]:
            with pytest.raises(ImageDownloadError, match="not a JPEG, PNG, WebP or GIF"):
                image_download(site.url(path), max_bytes=LIMIT, timeout=5)
        assert image_download(site.url("/plain.jpg"), max_bytes=LIMIT, timeout=5).data == picture()


def test_a_server_that_answers_slowly_is_given_up_on_at_the_time_limit() -> None:
    def trickle(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.end_headers()
        try:
            for byte in picture():
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass  # the importer hung up

    with serving() as site:
        site.routes[BRIDGE] = trickle
        started = time.monotonic()
        with pytest.raises(ImageDownloadError, match="took too long"):
            image_download(site.url(), max_bytes=LIMIT, timeout=0.5)
        assert time.monotonic() - started < 3  # the trickle would take minutes


def test_only_http_and_https_addresses_are_fetched() -> None:
    for url in ["file:///etc/passwd", "ftp://127.0.0.1/a.jpg", "gopher://127.0.0.1:70/"]:
        with pytest.raises(ImageDownloadError, match="not an http or https address"):
            image_download(url, max_bytes=LIMIT, timeout=5)


def certificate_files(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """A certificate authority and a server certificate for ``name`` signed by it (PEM):
    (authority, certificate, key)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def issued(subject: str, key: Any, issuer: str, signer: Any, ca: bool) -> x509.Certificate:
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(
        issued("Test CA", ca_key, "Test CA", ca_key, True).public_bytes(serialization.Encoding.PEM)
    )
    paths[1].write_bytes(
        issued(name, key, "Test CA", ca_key, False).public_bytes(serialization.Encoding.PEM)
    )
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def test_https_goes_to_the_vetted_address_with_the_host_name_for_tls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The certificate is checked against the address's host name (sent as SNI), not the IP
    connected to. A resolver stands in for DNS (``.test`` names resolve nowhere)."""
    import ssl

    authority, certificate, key = certificate_files(tmp_path, "oldblog.test")
    monkeypatch.setenv("SSL_CERT_FILE", str(authority))
    looked_up = socket.getaddrinfo

    def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
        return looked_up("127.0.0.1" if str(host).endswith(".test") else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    server_names: list[str | None] = []
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(certificate, key)
    tls.sni_callback = lambda _socket, name, _context: server_names.append(name)
    with serving() as site:
        site.server.socket = tls.wrap_socket(site.server.socket, server_side=True)
        site.routes[BRIDGE] = answer(200, picture(), Content_Type="image/jpeg")
        image = image_download(
            f"https://oldblog.test:{site.port}{BRIDGE}", max_bytes=LIMIT, timeout=5
        )
        assert image.data == picture()
        assert site.requests == [(BRIDGE, f"oldblog.test:{site.port}")]
        assert server_names == ["oldblog.test"]

        with pytest.raises(ImageDownloadError, match=r"could not be read.*certificate"):
            image_download(f"https://other.test:{site.port}{BRIDGE}", max_bytes=LIMIT, timeout=5)
        assert len(site.requests) == 1


@pytest.mark.parametrize("announced", ["²", "-5", "ten"])
def test_an_odd_content_length_is_ignored_and_the_limit_still_holds(announced: str) -> None:
    data = picture()
    with serving() as site:
        site.routes[BRIDGE] = answer(200, data, length=False, Content_Length=announced)
        assert image_download(site.url(), max_bytes=LIMIT, timeout=5).data == data
        with pytest.raises(ImageDownloadError, match="larger than 1000 bytes"):
            image_download(site.url(), max_bytes=1000, timeout=5)
