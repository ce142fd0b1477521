"""The search endpoint (portail.interfaces.search_server) served by waitress on 127.0.0.1, queried with real
HTTP requests: JSON results, French 400 errors, 404 and 405, CORS for configured origins only
with the preflight, hostile queries; hostile input at every level (parameters, query string,
HTTP itself) answered in JSON without a traceback; idle and slow connections that time out and
never block a search; and `portail serve-search` started as users start it."""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import re
import select
import selectors
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from conftest import BIN, ENV, NOW, ROOT, copy_project
from portail.checks.analyse import analyse
from portail.interfaces.search_server import MAX_QUERY_STRING_BYTES, make_app
from portail.interfaces.waitress_server import SearchServer, ServerLimits
from portail.interfaces.wsgi import INTERNAL_ERROR, WsgiApp
from portail.model.kb import Product
from portail.search.index import SearchIndex, documents_from_kb

TIMEOUT = 10  # seconds, every request
ORIGIN = "https://support.example.org"


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


def request(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Response:
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers, error.read())


@contextlib.contextmanager
def serving(app: WsgiApp, limits: ServerLimits | None = None) -> Iterator[str]:
    """``app`` served by waitress on a free port of 127.0.0.1 (with the limits of `portail
    serve-search` unless told otherwise); yields the base URL."""
    server = SearchServer(app, "127.0.0.1", 0, limits or ServerLimits())
    thread = server.start_in_thread()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()
        thread.join(timeout=TIMEOUT)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def indexed(demo_index: tuple[SearchIndex, tuple[Product, ...]]) -> tuple[SearchIndex, tuple[Product, ...]]:
    return demo_index  # conftest: the demo indexed once per session


@pytest.fixture(scope="module")
def base(indexed: tuple[SearchIndex, tuple[Product, ...]]) -> Iterator[str]:
    """The endpoint with the limits `portail serve-search` uses."""
    index, products = indexed
    with serving(make_app(index, products, [ORIGIN])) as url:
        yield url


def search_url(base: str, **params: str) -> str:
    return f"{base}/api/search?{urllib.parse.urlencode(params)}"


def test_a_product_named_in_the_query_limits_it_as_in_the_browser(base: str) -> None:
    # Issue 14: the endpoint reads « slow » as the S²LOW filter, like the browser and the CLI;
    # a code (« SL ») is a filter only as ?produit=.
    named = request(search_url(base, q="certificat expiré slow")).json()
    assert named["recognised_product"] == "s2low" and named["query"] == "certificat expiré"
    assert named["results"] and all(r["products"] == ["s2low"] or "s2low" in r["products"] for r in named["results"])
    code = request(search_url(base, q="certificat expiré SL")).json()
    assert code["recognised_product"] is None


def test_results_as_json(base: str) -> None:
    answer = request(search_url(base, q="certificat expiré", produit="SL", limit="3"))
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    data = answer.json()
    assert set(data) == {"query", "recognised_product", "total", "product_counts", "suggestion", "results"}
    assert data["query"] == "certificat expiré" and data["suggestion"] is None
    assert len(data["results"]) == min(3, data["total"]) >= 1
    first = data["results"][0]
    assert first["url"] == "faq/s2low/certificat-teletransmission-expire/"
    assert first["title"] == "Le certificat de télétransmission a expiré, comment le renouveler ?"
    assert first["products"] == ["s2low"] and first["product_names"] == ["S²LOW"]
    assert first["type"] == "faq" and first["type_label"] == "Article de FAQ"
    assert "<mark>" in first["excerpt"]
    assert all("s2low" in hit["products"] for hit in data["results"])
    assert data["product_counts"]["s2low"] == data["total"]
    assert "Access-Control-Allow-Origin" not in answer.headers  # no Origin, no CORS header


def test_type_filter_and_suggestion(base: str) -> None:
    data = request(search_url(base, q="certficat", type="release", limit="50")).json()
    assert data["suggestion"] == "certificat"
    assert data["results"] and {hit["type"] for hit in data["results"]} == {"release"}


def test_query_between_200_and_1000_characters_is_truncated(base: str) -> None:
    answer = request(search_url(base, q="certificat " + "a" * 600))
    assert answer.status == 200
    assert len(answer.json()["query"]) == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "paramètre q vide"),
        ({"q": "   "}, "paramètre q vide"),
        ({"q": "certificat", "produit": "pastel2"}, "produit inconnu « pastel2 »"),
        ({"q": "certificat", "type": "blog"}, "type inconnu « blog »"),
        ({"q": "certificat", "limit": "abc"}, "nombre entier de 1 à 50"),
        ({"q": "certificat", "limit": "0"}, "nombre entier de 1 à 50"),
        ({"q": "certificat", "limit": "51"}, "nombre entier de 1 à 50"),
        ({"q": "certificat", "limit": "-3"}, "nombre entier de 1 à 50"),
        ({"q": "certificat", "limit": "2.5"}, "nombre entier de 1 à 50"),
        ({"q": "x" * 1001}, "requête trop longue"),
    ],
)
def test_bad_requests_get_400_with_a_french_message(base: str, params: dict[str, str], message: str) -> None:
    answer = request(search_url(base, **params))
    assert answer.status == 400
    data = answer.json()
    assert set(data) == {"erreur"} and message in data["erreur"]


def test_unknown_paths_get_404_json(base: str) -> None:
    for path in ("/", "/api", "/api/search/extra", "/index.html"):
        answer = request(base + path)
        assert answer.status == 404, path
        assert "/api/search" in answer.json()["erreur"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_get_405(base: str, method: str) -> None:
    answer = request(search_url(base, q="certificat"), method=method)
    assert answer.status == 405
    assert "GET" in answer.headers["Allow"]
    assert "erreur" in answer.json()


def test_head_has_no_body(base: str) -> None:
    answer = request(search_url(base, q="certificat"), method="HEAD")
    assert answer.status == 200 and answer.body == b""


def test_cors_only_for_the_configured_origin(base: str) -> None:
    allowed = request(search_url(base, q="certificat"), headers={"Origin": ORIGIN})
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in allowed.headers["Vary"]
    other = request(search_url(base, q="certificat"), headers={"Origin": "https://evil.example"})
    assert other.status == 200 and "Access-Control-Allow-Origin" not in other.headers
    error = request(search_url(base, q=""), headers={"Origin": ORIGIN})
    assert error.status == 400 and error.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_cors_preflight(base: str) -> None:
    headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    allowed = request(f"{base}/api/search", method="OPTIONS", headers=headers)
    assert allowed.status == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "GET" in allowed.headers["Access-Control-Allow-Methods"]
    refused = request(
        f"{base}/api/search", method="OPTIONS", headers={**headers, "Origin": "https://evil.example"}
    )
    assert refused.status == 204 and "Access-Control-Allow-Origin" not in refused.headers


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><script>alert(document.cookie)</script>',
        "script alert </script><script>",
        "*:( \" ' ; -- \\",
        "html head title center nginx <b>",
    ],
)
def test_hostile_queries_give_valid_json_without_raw_script(base: str, query: str) -> None:
    answer = request(search_url(base, q=query, limit="50"))
    assert answer.status == 200
    assert b"<script" not in answer.body.lower() and b"<" not in answer.body
    data = answer.json()  # valid JSON
    assert data["query"] == " ".join(query.split())  # echoed, escaped in JSON, intact once parsed
    for hit in data["results"]:
        assert "<" not in hit["excerpt"].replace("<mark>", "").replace("</mark>", "")


# ----------------------------------------------------------------------------------------------
# Hostile input: every refusal is a 4xx in JSON, never a traceback

# What an exception leaking into a body would look like: a traceback, a class name, a source path.
LEAK = re.compile(r"Traceback|\b[A-Z]\w*(Error|Exception)\b|File \"|\.py\b|waitress")


def raw_request(base: str, data: bytes) -> Response:
    """``data`` sent as it is: urllib would refuse, or fix, what these tests send."""
    address = urllib.parse.urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=TIMEOUT) as sock:
        sock.sendall(data)
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        return Response(answer.status, answer.headers, answer.read())


def raw_get(base: str, target: str | bytes, extra_headers: bytes = b"") -> Response:
    if isinstance(target, str):
        target = target.encode("ascii")
    return raw_request(
        base,
        b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n" + extra_headers + b"Connection: close\r\n\r\n",
    )


def assert_json_error(answer: Response, status: int, message: str) -> None:
    """A refusal as the endpoint gives them: the status, JSON, one French message, no leak."""
    assert answer.status == status, answer.body[:300]
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    text = answer.body.decode("utf-8")
    assert not LEAK.search(text), text
    data = answer.json()
    assert set(data) == {"erreur"} and message in data["erreur"], data


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        # limit: bounded before int(), which raises past 4,300 digits (this was a 500)
        (
            "q=certificat&limit=" + "9" * 5000,
            "limit doit être un nombre entier de 1 à 50 (reçu 5000 caractères)",
        ),
        ("q=certificat&limit=" + "1" * 11, "nombre entier de 1 à 50"),
        ("q=certificat&limit=00000000051", "nombre entier de 1 à 50"),
        ("q=certificat&limit=-1", "nombre entier de 1 à 50"),
        ("q=certificat&limit=0", "nombre entier de 1 à 50"),
        ("q=certificat&limit=1.0", "nombre entier de 1 à 50"),
        ("q=certificat&limit=1e3", "nombre entier de 1 à 50"),
        ("q=certificat&limit=0x10", "nombre entier de 1 à 50"),
        ("q=certificat&limit=%D9%A3", "nombre entier de 1 à 50"),  # ٣, a digit for isdigit()
        # lengths of the other parameters, and of the whole query string
        ("q=" + "a" * 1001, "requête trop longue (1001 caractères, 1000 au plus)"),
        ("q=" + "%C3%A9" * 1001, "requête trop longue (1001 caractères"),
        ("q=certificat&produit=" + "s" * 101, "paramètre produit trop long (101 caractères, 100 au plus)"),
        ("q=certificat&type=" + "f" * 51, "paramètre type trop long"),
        ("q=certificat&_=" + "a" * MAX_QUERY_STRING_BYTES, "adresse trop longue"),
        ("q=" + "%20" * 3000, "adresse trop longue"),
        # a parameter given twice: which one would count?
        ("q=certificat&q=pin", "paramètre q répété"),
        ("q=certificat&limit=3&limit=50", "paramètre limit répété"),
        ("q=certificat&produit=s2low&produit=pastell", "paramètre produit répété"),
        # percent-encoding and UTF-8
        ("q=%zz", "encodage invalide"),
        ("q=certificat%", "encodage invalide"),
        ("q=certificat%C", "encodage invalide"),
        ("q=certificat&limit=%", "encodage invalide"),
        ("q=%C3", "pas du texte UTF-8"),
        ("q=%FF%FE", "pas du texte UTF-8"),
        ("q=%C0%AF", "pas du texte UTF-8"),  # an overlong "/"
        ("q=%ED%A0%80", "pas du texte UTF-8"),  # a lone surrogate
        ("q=certificat&%FF=1", "pas du texte UTF-8"),  # in a name the endpoint does not read
        # control characters (tab and line breaks are spaces, see the accepted cases)
        ("q=a%00b", "caractère de contrôle"),
        ("q=certificat&produit=s2low%00", "caractère de contrôle"),
        ("q=certificat&limit=5%00", "caractère de contrôle"),
        ("q=%1B%5B31mrouge", "caractère de contrôle"),
        ("q=a%7F", "caractère de contrôle"),
        ("q=a%C2%85", "caractère de contrôle"),  # NEL, a C1 control
        ("q=certificat&%00=1", "caractère de contrôle"),
        # values
        ("q=certificat&produit=pastel2", "produit inconnu « pastel2 »"),
        ("q=certificat&produit=%3Cscript%3E", "produit inconnu"),
        ("q=certificat&type=blog", "type inconnu « blog »"),
        ("q=%20%09%0A", "paramètre q vide"),
        ("limit=5", "paramètre q vide"),
        ("", "paramètre q vide"),
    ],
)
def test_hostile_parameters_get_400_json(base: str, query_string: str, message: str) -> None:
    assert_json_error(raw_get(base, "/api/search?" + query_string), 400, message)


@pytest.mark.parametrize(
    ("query_string", "expected_query", "expected_limit"),
    [
        ("q=certificat%09expir%C3%A9%0D%0A", "certificat expiré", 5),  # tab, CR LF: spaces
        ("q=certificat+expir%C3%A9&&limit=2&", "certificat expiré", 2),  # empty fields
        ("q=certificat&limit=%2005%20", "certificat", 5),
        ("q=certificat&_=1700000000000&callback=x", "certificat", 5),  # unknown: ignored
        ("_=1&_=2&q=certificat", "certificat", 5),  # repeated, but not read
        ("q=certificat&limit=50", "certificat", 50),
        ("q=certificat&limit=", "certificat", 5),
        # exactly the longest query string accepted
        ("q=certificat&_=" + "a" * (MAX_QUERY_STRING_BYTES - 15), "certificat", 5),
    ],
)
def test_accepted_edge_cases(base: str, query_string: str, expected_query: str, expected_limit: int) -> None:
    answer = raw_get(base, "/api/search?" + query_string)
    assert answer.status == 200, answer.body[:300]
    data = answer.json()
    assert data["query"] == expected_query
    assert 1 <= len(data["results"]) == min(expected_limit, data["total"])


def test_query_of_1000_characters_is_truncated_to_200(base: str) -> None:
    answer = raw_get(base, "/api/search?q=" + "certificat+" * 90 + "a" * 10)
    assert answer.status == 200
    assert len(answer.json()["query"]) <= 200


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        # refused by waitress before the application, in the endpoint's JSON all the same
        (
            b"GET /api/search?q=" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
            431,
            "en-têtes HTTP trop longs (16384 octets au plus",
        ),
        (
            b"GET /api/search?q=a HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 20_000 + b"\r\n\r\n",
            431,
            "en-têtes HTTP trop longs",
        ),
        (
            b"POST /api/search?q=a HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000,
            413,
            "corps de requête trop gros (4096 octets au plus)",
        ),
        (b"GARBAGE\r\n\r\n", 400, "requête HTTP mal formée"),
        (b"GET /api/search?q=a b HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "requête HTTP mal formée"),
        (
            "GET /api/search?q=certificat+expiré HTTP/1.1\r\nHost: localhost\r\n\r\n".encode(),
            400,
            "requête HTTP mal formée",  # raw UTF-8: a URL is ASCII, « é » is sent as %C3%A9
        ),
        (
            b"GET /api/search?q=a HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
            400,
            "mal formée",
        ),
        (b"GET /api/search?q=a HTTP/1.1\r\nHost: localhost\r\nX-Nul: a\x00b\r\n\r\n", 400, "mal formée"),
        (
            b"GET /api/search?q=a HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n",
            501,
            "non prise en charge",
        ),
        # reaching the application
        (b"GET /api/search?q=a\x00b HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "caractère de contrôle"),
        (b"GET /api/search?q=a\x1b[2J HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "caractère de contrôle"),
        (
            b"POST /api/search?q=a HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n" + b"x" * 10,
            405,
            "méthode POST non autorisée",
        ),
        (b"BREW /api/search?q=a HTTP/1.1\r\nHost: localhost\r\n\r\n", 405, "méthode BREW non autorisée"),
        (b"GET /api/search%00?q=a HTTP/1.1\r\nHost: localhost\r\n\r\n", 404, "adresse inconnue"),
        (b"GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n", 404, "adresse inconnue"),
        (b"GET /api/search/%2e%2e/x?q=a HTTP/1.1\r\nHost: localhost\r\n\r\n", 404, "adresse inconnue"),
    ],
)
def test_hostile_http_gets_a_4xx_json(base: str, data: bytes, status: int, message: str) -> None:
    assert_json_error(raw_request(base, data), status, message)


class BrokenIndex:
    """An index that fails as a corrupted one would, with details no client should read."""

    def search(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("segment /srv/portail/.portail/index/MAIN_x.seg illisible")


def test_unexpected_failure_is_a_generic_500_logged_on_the_server(
    indexed: tuple[SearchIndex, tuple[Product, ...]], caplog: pytest.LogCaptureFixture
) -> None:
    _, products = indexed
    with serving(make_app(BrokenIndex(), products, [ORIGIN])) as url:  # type: ignore[arg-type]
        with caplog.at_level(logging.ERROR, logger="portail.interfaces.search_server"):
            answer = request(search_url(url, q="certificat"), headers={"Origin": ORIGIN})
        # the server still answers afterwards
        assert request(search_url(url, q="")).status == 400
    assert_json_error(answer, 500, INTERNAL_ERROR)
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN  # readable by the browser
    assert b"MAIN_x" not in answer.body and b"srv" not in answer.body
    (record,) = [r for r in caplog.records if r.name == "portail.interfaces.search_server"]
    assert record.exc_info is not None and "MAIN_x.seg" in str(record.exc_info[1])
    assert "q=certificat" in record.getMessage()


# ----------------------------------------------------------------------------------------------
# Idle and slow connections


class Slowloris:
    """A client that sends a request one header byte every ``interval`` seconds, forever, and
    notes when the server closes its connection."""

    def __init__(self, base: str, interval: float) -> None:
        address = urllib.parse.urlsplit(base)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=TIMEOUT)
        self.interval = interval
        self.closed_by_server = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drip, daemon=True)

    def __enter__(self) -> Slowloris:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=TIMEOUT)
        self.sock.close()

    def _drip(self) -> None:
        data = b"GET /api/search?q=certificat HTTP/1.1\r\nHost: localhost\r\n" + b"X-Slow: " + b"a" * 100_000
        for byte in data:
            try:
                self.sock.send(bytes([byte]))
                readable, _, _ = select.select([self.sock], [], [], self.interval)
                if readable and not self.sock.recv(1024):
                    break
            except OSError:
                break
            if self._stop.is_set():
                return
        self.closed_by_server.set()


@contextlib.contextmanager
def idle_sockets(base: str, count: int) -> Iterator[list[socket.socket]]:
    """``count`` connections that send nothing."""
    address = urllib.parse.urlsplit(base)
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(socket.create_connection((address.hostname, address.port), timeout=TIMEOUT))
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def timed_search(base: str) -> tuple[Response, float]:
    start = time.monotonic()
    answer = request(search_url(base, q="certificat"))
    return answer, time.monotonic() - start


def test_150_idle_connections_and_a_slowloris_do_not_block_a_search(base: str) -> None:
    """With waitress' defaults (100 connections, 120 s timeout) this search waited two minutes."""
    with idle_sockets(base, 150), Slowloris(base, interval=0.2) as slow:
        answer, elapsed = timed_search(base)
        assert answer.status == 200 and answer.json()["total"] > 0
        assert elapsed < 3, f"{elapsed:.2f} s"
        assert not slow.closed_by_server.is_set()  # 15 s to send a request: still within them


def test_idle_and_slow_connections_time_out(indexed: tuple[SearchIndex, tuple[Product, ...]]) -> None:
    """With the limits lowered (20 connections, 1 s), more idle sockets than the server takes
    and a slowloris: the idle ones are closed, so is the slowloris although it keeps sending,
    and a search waiting behind them answers once they are gone."""
    index, products = indexed
    limits = ServerLimits(connection_limit=20, channel_timeout=1, cleanup_interval=1)
    with serving(make_app(index, products), limits) as url:
        with idle_sockets(url, 30) as idle, Slowloris(url, interval=0.1) as slow:
            answer, elapsed = timed_search(url)
            assert answer.status == 200
            # channel_timeout + cleanup_interval + the event loop's second, for two rounds of
            # idle sockets (the ones waiting in the backlog are accepted, then time out too)
            assert elapsed < 8, f"{elapsed:.2f} s"
            assert slow.closed_by_server.wait(timeout=5)
            deadline = time.monotonic() + 5
            for sock in idle:
                sock.settimeout(max(0.1, deadline - time.monotonic()))
                assert sock.recv(1) == b""  # closed by the server, nothing sent
        # and the server is as it was
        answer, elapsed = timed_search(url)
        assert answer.status == 200 and elapsed < 3


def test_no_cors_by_default(tmp_path: Path) -> None:
    """make_app called directly as a WSGI callable: no CORS header unless configured."""
    kb = analyse(ROOT / "kb", ROOT, now=NOW).kb
    index = SearchIndex(tmp_path / "index")
    index.update(documents_from_kb(kb))
    app = make_app(index, kb.products)
    captured: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured["status"], captured["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/search",
        "QUERY_STRING": "q=code+pin",
        "HTTP_ORIGIN": ORIGIN,
    }
    body = b"".join(app(environ, start_response))
    assert captured["status"] == "200 OK"
    assert "Access-Control-Allow-Origin" not in captured["headers"]
    assert json.loads(body)["results"][0]["url"] == "faq/lspki/code-pin-bloque/"


def test_serve_search_command(tmp_path: Path) -> None:
    """`portail serve-search --port 0` builds the index, says where it listens, answers."""
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen(
        [str(BIN / "portail"), "serve-search", "--port", "0", "--cors-origin", ORIGIN],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = read_line(process, timeout=120)
        match = re.search(r"http://127\.0\.0\.1:(\d+)/api/search", line)
        assert match, line
        answer = request(
            search_url(f"http://127.0.0.1:{match.group(1)}", q="s²low"), headers={"Origin": ORIGIN}
        )
        assert answer.status == 200
        assert answer.json()["product_counts"]["s2low"] > 10
        assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
        assert (project / ".portail/index").is_dir()
    finally:
        process.terminate()
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=TIMEOUT)


def test_serve_search_rejects_a_bad_origin(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    done = subprocess.run(
        [str(BIN / "portail"), "serve-search", "--cors-origin", "support.example.org"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "https://support.example.org" in done.stderr


def read_line(process: subprocess.Popen, timeout: float) -> str:
    """The first line the process prints, waiting at most ``timeout`` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError(f"no output within {timeout} s")
    return process.stdout.readline()
