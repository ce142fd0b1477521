"""The search endpoint (portail.search_server) served by waitress on 127.0.0.1, queried with real
HTTP requests: JSON results, French 400 errors, 404 and 405, CORS for configured origins only
with the preflight, hostile queries; and `portail serve-search` started as users start it."""

from __future__ import annotations

import json
import re
import selectors
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from conftest import BIN, ENV, NOW, ROOT, copy_project
from portail.load import analyse
from portail.search import SearchIndex, documents_from_kb
from portail.search_server import SearchServer, make_app

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


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    kb = analyse(ROOT / "kb", ROOT, now=NOW).kb
    index = SearchIndex(tmp_path_factory.mktemp("server") / "index")
    index.update(documents_from_kb(kb))
    server = SearchServer(make_app(index, kb.products, [ORIGIN]), "127.0.0.1", 0)
    thread = server.start_in_thread()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()
        thread.join(timeout=TIMEOUT)
    assert not thread.is_alive()


def search_url(base: str, **params: str) -> str:
    return f"{base}/api/search?{urllib.parse.urlencode(params)}"


def test_results_as_json(base: str) -> None:
    answer = request(search_url(base, q="certificat expiré", produit="SL", limit="3"))
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    data = answer.json()
    assert set(data) == {"query", "total", "product_counts", "suggestion", "results"}
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
