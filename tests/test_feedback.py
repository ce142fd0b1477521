"""Learning from readers: searches without result and « Cet article vous a-t-il été utile ? »
votes, recorded by the endpoint (portail.interfaces.feedback_server over portail.interfaces.feedback's SQLite file)
and summed up by `portail rapport`. Through the WSGI app and real HTTP: records, privacy (no
IP, cookie or user agent anywhere in the file), refusals of abuse (400, 405, 413, 415, 429) with
bounded tables, threads at once; through the command line: the report, its formats and exit
codes; through a build: the widget only with `endpoint_url`, only on articles and release notes."""

from __future__ import annotations

import contextlib
import io
import json
import re
import socket
import sqlite3
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from argparse import Namespace
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BIN, ENV, NOW, copy_project, mkdocs_build, run
from portail.interfaces.feedback import DB_NAME, FeedbackStore, RateLimits, clean_text
from portail.interfaces.feedback_report import build_report, format_text, run_rapport
from portail.interfaces.feedback_server import article_pages
from portail.interfaces.search_server import make_app
from portail.interfaces.waitress_server import SearchServer, ServerLimits
from portail.interfaces.wsgi import WsgiApp
from portail.model.clock import PARIS
from portail.model.kb import Product
from portail.search.index import SearchIndex

ORIGIN = "https://support.example.org"
ARTICLE = "/faq/lspki/code-pin-bloque/"
NOTHING = "zzqxw wqyzz"  # finds nothing in the demo


class Clock:
    """A monotonic clock the test moves (rate limits count per minute)."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture(scope="module")
def indexed(demo_index: tuple[SearchIndex, tuple[Product, ...]]) -> tuple[SearchIndex, tuple[Product, ...]]:
    return demo_index  # conftest: the demo indexed once per session


@pytest.fixture(scope="module")
def release_page(indexed: tuple[SearchIndex, tuple[Product, ...]]) -> str:
    return sorted(p for p in article_pages(indexed[0]) if p.startswith("/release-notes/"))[0]


def make_store(directory: Path, clock: Clock | None = None, **kwargs: Any) -> FeedbackStore:
    return FeedbackStore(directory, today=lambda: NOW, monotonic=clock or Clock(), **kwargs)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FeedbackStore]:
    feedback = make_store(tmp_path / "donnees")
    yield feedback
    feedback.close()


@pytest.fixture
def app(indexed: tuple[SearchIndex, tuple[Product, ...]], store: FeedbackStore) -> WsgiApp:
    index, products = indexed
    return make_app(index, products, [ORIGIN], feedback=store)


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body

    def json(self) -> dict[str, Any]:
        assert self.headers["Content-Type"].startswith("application/json"), self.headers
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(
    app: WsgiApp,
    path: str,
    method: str = "POST",
    body: bytes | dict | str = b"",
    content_type: str | None = None,
    query: str = "",
    **headers: str,
) -> Answer:
    """One request straight through the WSGI app; a dict body is sent as JSON, a str as given
    (form-encoded unless told otherwise)."""
    if isinstance(body, dict):
        body, content_type = json.dumps(body).encode(), content_type or "application/json"
    elif isinstance(body, str):
        body, content_type = body.encode(), content_type or "application/x-www-form-urlencoded"
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)) if body else "",
        "wsgi.input": io.BytesIO(body),
    }
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    for name, value in headers.items():
        environ["HTTP_" + name.upper()] = value
    captured: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured["status"], captured["headers"] = status, response_headers

    data = b"".join(app(environ, start_response))
    return Answer(captured["status"], captured["headers"], data)


def rows(store: FeedbackStore, table: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()  # noqa: S608


# ----------------------------------------------------------------------------------------------
# Votes


def test_votes_are_recorded_and_reported(app: WsgiApp, store: FeedbackStore, release_page: str) -> None:
    for useful, reason in [
        (False, "  Il manque   la procédure\tpour Firefox. "),
        (False, ""),
        (True, "ignorée"),
    ]:
        answer = call(app, "/api/avis", body={"page": ARTICLE, "utile": useful, "raison": reason})
        assert answer.status == 200
        assert answer.json() == {"message": "Merci pour votre avis."}
    assert call(app, "/api/avis", body={"page": release_page.strip("/"), "utile": True}).status == 200
    assert rows(store, "avis") == [
        (1, "2026-11-26", ARTICLE, 0, "Il manque la procédure pour Firefox."),
        (2, "2026-11-26", ARTICLE, 0, ""),
        (3, "2026-11-26", ARTICLE, 1, ""),  # a reason is kept on « Non » only
        (4, "2026-11-26", release_page, 1, ""),
    ]
    report = build_report(store.directory, NOW)
    assert report.avis_total == 4
    (worst,) = report.articles_peu_utiles  # the release note has no « Non »
    assert (worst.page, worst.oui, worst.non, worst.part_non) == (ARTICLE, 1, 2, 0.667)
    assert worst.raisons == ["Il manque la procédure pour Firefox."]


def test_plain_form_gets_a_french_thanks_page_linking_back(app: WsgiApp, store: FeedbackStore) -> None:
    body = urllib.parse.urlencode({"page": ARTICLE, "utile": "non", "raison": "Écran <b>différent</b>"})
    answer = call(app, "/api/avis", body=body, origin=ORIGIN, accept="text/html")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'"
    page = answer.text
    assert '<html lang="fr">' in page and "<h1>Merci pour votre avis</h1>" in page
    assert f'<a href="{ORIGIN}{ARTICLE}">Revenir à l\'article</a>' in page
    assert rows(store, "avis")[-1][3:] == (0, "Écran <b>différent</b>")  # stored as text
    # An origin the endpoint does not know: the link stays on the site path.
    answer = call(app, "/api/avis", body=body.replace("non", "oui", 1), origin="https://evil.example")
    assert f'href="{ARTICLE}"' in answer.text and "evil" not in answer.text


def test_form_refusal_is_an_escaped_french_page(app: WsgiApp, store: FeedbackStore) -> None:
    body = urllib.parse.urlencode({"page": "/faq/<script>alert(1)</script>/", "utile": "oui"})
    answer = call(app, "/api/avis", body=body, accept="text/html,application/xhtml+xml")
    assert answer.status == 400
    assert "Avis non enregistré" in answer.text and "page inconnue" in answer.text
    assert "<script>" not in answer.text and "&lt;script&gt;" in answer.text
    # Without text/html in Accept (a script), the same refusal is JSON.
    assert "page inconnue" in call(app, "/api/avis", body=body).json()["erreur"]
    assert rows(store, "avis") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"page": "/faq/lspki/nexiste-pas/", "utile": True}, "page inconnue « /faq/lspki/nexiste-pas/ »"),
        ({"page": "/faq/lspki/", "utile": True}, "page inconnue"),  # a list, not an article
        ({"page": "/documentation/", "utile": True}, "page inconnue"),
        ({"page": "", "utile": True}, "champ page vide"),
        ({"utile": True}, "champ page vide"),
        ({"page": ARTICLE}, "champ utile : true ou false attendu"),
        ({"page": ARTICLE, "utile": "peut-être"}, "champ utile"),
        ({"page": ARTICLE, "utile": 1}, "champ utile"),
        ({"page": 42, "utile": True}, "champ page : du texte est attendu"),
        (
            {"page": ARTICLE, "utile": False, "raison": "x" * 501},
            "champ raison trop long (501 caractères, 500 au plus)",
        ),
        ({"page": ARTICLE, "utile": False, "raison": "a\x00b"}, "caractère de contrôle"),
        ({"page": ARTICLE, "utile": False, "raison": ["liste"]}, "du texte est attendu"),
    ],
)
def test_bad_votes_are_400(app: WsgiApp, store: FeedbackStore, body: dict, message: str) -> None:
    answer = call(app, "/api/avis", body=body)
    assert answer.status == 400
    assert message in answer.json()["erreur"]
    assert rows(store, "avis") == []


# ----------------------------------------------------------------------------------------------
# Searches without result


def test_get_search_without_result_is_recorded_with_its_product(app: WsgiApp, store: FeedbackStore) -> None:
    answer = call(
        app,
        "/api/search",
        "GET",
        query=urllib.parse.urlencode({"q": f"  {NOTHING.upper()} ", "produit": "SL"}),
    )
    assert answer.status == 200 and answer.json()["total"] == 0
    assert call(app, "/api/search", "GET", query="q=" + NOTHING.replace(" ", "+")).status == 200
    head = call(app, "/api/search", "HEAD", query="q=zzqxw+qqqzw")
    assert head.status == 200  # HEAD: not counted
    assert call(app, "/api/search", "GET", query="q=certificat").json()["total"] > 0  # found: not counted
    assert call(app, "/api/search", "GET", query="q=").status == 400
    assert rows(store, "recherches_vides") == [
        (1, "2026-11-26", NOTHING, "s2low"),
        (2, "2026-11-26", NOTHING, ""),
    ]


def test_posted_empty_searches_json_and_form(app: WsgiApp, store: FeedbackStore) -> None:
    assert (
        call(app, "/api/recherche-vide", body={"q": "Signature  eIDAS", "produit": "pastell"}).status == 200
    )
    assert call(app, "/api/recherche-vide", body={"q": "signature eidas", "produit": None}).status == 200
    answer = call(app, "/api/recherche-vide", body="q=signature+eidas&produit=", origin=ORIGIN)
    assert answer.status == 200 and answer.json() == {"message": "Recherche sans résultat enregistrée."}
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    long = call(app, "/api/recherche-vide", body={"q": "mot " * 120})
    assert long.status == 200  # cut to 200 characters, as the search does
    assert call(app, "/api/recherche-vide", body={"q": "x", "produit": "pastel2"}).status == 400
    assert call(app, "/api/recherche-vide", body={"q": "   "}).status == 400
    recorded = rows(store, "recherches_vides")
    assert [row[2:] for row in recorded[:3]] == [
        ("signature eidas", "pastell"),
        ("signature eidas", ""),
        ("signature eidas", ""),
    ]
    assert len(recorded[3][2]) <= 200
    report = build_report(store.directory, NOW)
    counted = [(s.requete[:15], s.produit, s.nombre) for s in report.recherches_vides]
    assert counted == [  # most frequent first, then the latest
        ("signature eidas", "", 2),
        ("mot mot mot mot", "", 1),
        ("signature eidas", "pastell", 1),
    ]


def test_personal_data_is_masked_and_never_stored(app: WsgiApp, store: FeedbackStore) -> None:
    assert clean_text("écrire à jean.dupont@example.org ou au 04 00 00 00 00, SIRET 12345678901234", 200) == (
        "écrire à [courriel] ou au [téléphone], SIRET [numéro]"
    )
    assert clean_text("version 4.7.12 du 12/05/2026", 200) == "version 4.7.12 du 12/05/2026"
    spy = {
        "user_agent": "AgentSecret/1.0",
        "cookie": "session=CookieSecret",
        "x_forwarded_for": "203.0.113.77",
        "origin": ORIGIN,
    }
    assert call(app, "/api/recherche-vide", body={"q": "contacter marie@example.org"}, **spy).status == 200
    body = {"page": ARTICLE, "utile": False, "raison": "rappelez-moi au 06 12 34 56 78"}
    assert call(app, "/api/avis", body=body, **spy).status == 200
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        columns = {
            row[1]
            for table in ("avis", "recherches_vides")
            for row in db.execute(f"PRAGMA table_info({table})")
        }
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert columns == {"id", "jour", "page", "utile", "raison", "requete", "produit"}
    data = store.path.read_bytes()
    for secret in (b"AgentSecret", b"CookieSecret", b"203.0.113", b"marie", b"06 12"):
        assert secret not in data
    assert rows(store, "avis")[0][4] == "rappelez-moi au [téléphone]"


# ----------------------------------------------------------------------------------------------
# Abuse


@pytest.mark.parametrize(
    ("path", "method", "body", "content_type", "status", "message"),
    [
        (
            "/api/avis",
            "POST",
            b"x" * 5000,
            "application/json",
            413,
            "corps de requête trop gros (5000 octets, 4096 au plus)",
        ),
        (
            "/api/avis",
            "POST",
            b'{"page": "x"}',
            "text/plain",
            415,
            "type de contenu « text/plain » non pris en charge",
        ),
        ("/api/avis", "POST", b'{"page": "x"}', None, 415, "type de contenu « absent »"),
        ("/api/recherche-vide", "POST", b"<q>x</q>", "application/xml", 415, "application/json"),
        ("/api/avis", "POST", b"", "application/json", 400, "corps de requête vide"),
        ("/api/avis", "POST", b"{page: 1}", "application/json", 400, "pas du JSON valide"),
        ("/api/avis", "POST", b"[" * 3000, "application/json", 400, "pas du JSON valide"),
        ("/api/avis", "POST", b'["page"]', "application/json", 400, "doit être un objet JSON"),
        ("/api/avis", "POST", b'{"page": "\xff"}', "application/json", 400, "pas du texte UTF-8"),
        (
            "/api/recherche-vide",
            "POST",
            b"q=a&q=b",
            "application/x-www-form-urlencoded",
            400,
            "champ q répété",
        ),
        ("/api/recherche-vide", "POST", b"q=%ff", "application/x-www-form-urlencoded", 400, "UTF-8"),
        (
            "/api/recherche-vide",
            "POST",
            b"q=a%00",
            "application/x-www-form-urlencoded",
            400,
            "caractère de contrôle",
        ),
        ("/api/avis", "GET", b"", None, 405, "méthode GET non autorisée sur /api/avis (POST seulement)"),
        ("/api/recherche-vide", "PUT", b"{}", "application/json", 405, "méthode PUT non autorisée"),
        ("/api/search", "POST", b'{"q": "a"}', "application/json", 405, "méthode POST non autorisée"),
    ],
)
def test_abuse_gets_a_french_4xx(
    app: WsgiApp,
    store: FeedbackStore,
    path: str,
    method: str,
    body: bytes,
    content_type: str | None,
    status: int,
    message: str,
) -> None:
    answer = call(app, path, method, body=body, content_type=content_type)
    assert answer.status == status
    assert message in answer.json()["erreur"]
    if status == 405:
        assert answer.headers["Allow"] in ("POST, OPTIONS", "GET, HEAD, OPTIONS")
    assert store.counts() == {"recherches_vides": 0, "avis": 0}


def test_bad_content_length_is_400(app: WsgiApp) -> None:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/avis",
        "CONTENT_LENGTH": "-1",
        "wsgi.input": io.BytesIO(),
    }
    statuses = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    assert statuses == ["400 Bad Request"] and "Content-Length" in json.loads(body)["erreur"]


def test_floods_are_429_and_tables_stay_bounded(
    indexed: tuple[SearchIndex, tuple[Product, ...]], tmp_path: Path, release_page: str
) -> None:
    index, products = indexed
    clock = Clock()
    limits = RateLimits(votes_per_page=3, votes=5, empty_searches=8)
    store = make_store(tmp_path / "d", clock, max_rows=6, limits=limits)
    app = make_app(index, products, feedback=store)
    vote = {"page": ARTICLE, "utile": False, "raison": "non"}
    assert [call(app, "/api/avis", body=vote).status for _ in range(4)] == [200, 200, 200, 429]
    refused = call(app, "/api/avis", body=vote)
    assert refused.headers["Retry-After"] == "60"
    assert "trop d'avis" in refused.json()["erreur"]
    other = {"page": release_page, "utile": True}
    assert [call(app, "/api/avis", body=other).status for _ in range(3)] == [200, 200, 429]  # 5 in all
    statuses = [call(app, "/api/recherche-vide", body={"q": f"requête {n}"}).status for n in range(10)]
    assert statuses == [200] * 8 + [429] * 2
    # the GET path drops its records silently once the minute's budget is spent
    assert call(app, "/api/search", "GET", query="q=zzqxw").status == 200
    assert store.counts() == {"recherches_vides": 6, "avis": 5}  # the oldest empty searches deleted
    assert [row[2] for row in rows(store, "recherches_vides")] == [f"requête {n}" for n in range(2, 8)]
    clock.seconds += 60  # a new minute
    assert call(app, "/api/avis", body=vote).status == 200
    assert call(app, "/api/recherche-vide", body={"q": "encore"}).status == 200
    assert store.counts() == {"recherches_vides": 6, "avis": 6}
    for _ in range(3):
        clock.seconds += 60
        call(app, "/api/avis", body=vote)
    assert store.counts()["avis"] == 6 and rows(store, "avis")[0][0] == 4  # oldest votes gone
    store.close()


def test_cors_preflight_and_no_feedback_routes_without_a_store(
    app: WsgiApp, indexed: tuple[SearchIndex, tuple[Product, ...]]
) -> None:
    answer = call(app, "/api/avis", "OPTIONS", origin=ORIGIN)
    assert answer.status == 204
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert answer.headers["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert answer.headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert (
        "Access-Control-Allow-Origin"
        not in call(app, "/api/avis", "OPTIONS", origin="https://evil.example").headers
    )
    plain = make_app(*indexed)
    assert call(plain, "/api/avis", body={"page": ARTICLE, "utile": True}).status == 404
    assert call(plain, "/api/recherche-vide", body={"q": "x"}).status == 404


# ----------------------------------------------------------------------------------------------
# Threads, over real HTTP


@contextlib.contextmanager
def serving(app: WsgiApp) -> Iterator[str]:
    server = SearchServer(app, "127.0.0.1", 0, ServerLimits())
    thread = server.start_in_thread()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()
        thread.join(timeout=10)


def post(url: str, data: dict) -> int:
    req = urllib.request.Request(
        url, data=json.dumps(data).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


def test_concurrent_requests_are_all_recorded(
    indexed: tuple[SearchIndex, tuple[Product, ...]], tmp_path: Path
) -> None:
    index, products = indexed
    pages = sorted(article_pages(index))[:16]
    store = make_store(
        tmp_path / "d", limits=RateLimits(votes_per_page=1000, votes=1000, empty_searches=1000)
    )
    statuses: list[int] = []
    lock = threading.Lock()
    with serving(make_app(index, products, feedback=store)) as base:

        def worker(number: int) -> None:
            mine = []
            for n in range(20):
                if n % 2:
                    mine.append(
                        post(
                            f"{base}/api/avis",
                            {"page": pages[(number + n) % 16], "utile": n % 4 == 1, "raison": f"t{number}"},
                        )
                    )
                else:
                    mine.append(post(f"{base}/api/recherche-vide", {"q": f"fil {number} requête {n}"}))
            with lock:
                statuses.extend(mine)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert statuses == [200] * 160
    assert store.counts() == {"recherches_vides": 80, "avis": 80}
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.close()


# ----------------------------------------------------------------------------------------------
# portail rapport


def filled(directory: Path) -> None:
    """Votes and searches over two days: the 20th and the 26th of November 2026."""
    for day, entries in [
        (datetime(2026, 11, 20, 9, tzinfo=PARIS), [("vieille requête", "pastell"), ("certificat rgs", "")]),
        (NOW, [("certificat rgs", ""), ("certificat rgs", ""), ("jeton usb", "lspki")]),
    ]:
        store = FeedbackStore(directory, today=lambda day=day: day)
        for query, product in entries:
            store.record_empty_search(query, product)
        store.record_vote(ARTICLE, False, f"raison du {day:%d}")
        store.record_vote("/faq/pastell/autre/", day != NOW)
        store.close()


def test_rapport_text_json_since_and_errors(tmp_path: Path) -> None:
    data = tmp_path / "donnees"
    filled(data)
    done = run(["portail", "rapport", "--donnees", str(data)], cwd=tmp_path)
    assert done.returncode == 0, done.output
    assert (
        done.output.splitlines()[0]
        == "Rapport des retours des lecteurs, depuis le début (établi le 26/11/2026 à 10h00)"
    )
    assert "Recherches sans résultat : 5 recherches" in done.output
    assert "      3 × « certificat rgs » [tous produits]" in done.output
    assert "      1 × « jeton usb » [lspki]" in done.output
    assert f"  100 % de « Non » (2 non, 0 oui) : {ARTICLE}" in done.output
    assert "        – « raison du 26 »\n        – « raison du 20 »" in done.output  # the latest first
    assert "   50 % de « Non » (1 non, 1 oui) : /faq/pastell/autre/" in done.output

    done = run(
        ["portail", "rapport", "--donnees", str(data), "--depuis", "2026-11-21", "--format", "json"],
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.output
    report = json.loads(done.output)
    assert report["depuis"] == "2026-11-21" and report["etabli_le"] == "2026-11-26T10:00:00+01:00"
    assert report["recherches_vides_total"] == 3 and report["avis_total"] == 2
    assert report["recherches_vides"] == [
        {"requete": "certificat rgs", "produit": "", "nombre": 2},
        {"requete": "jeton usb", "produit": "lspki", "nombre": 1},
    ]
    assert report["articles_peu_utiles"] == [  # equal shares: by page
        {"page": ARTICLE, "oui": 0, "non": 1, "part_non": 1.0, "raisons": ["raison du 26"]},
        {"page": "/faq/pastell/autre/", "oui": 0, "non": 1, "part_non": 1.0, "raisons": []},
    ]

    for bad in ("2026-13-01", "26/11/2026", "hier", "20261101"):
        done = run(["portail", "rapport", "--donnees", str(data), "--depuis", bad], cwd=tmp_path)
        assert done.returncode == 2
        assert f"date « {bad} » invalide : écrivez-la AAAA-MM-JJ" in done.output

    done = run(["portail", "rapport"], cwd=tmp_path)  # default folder: .portail/retours, absent here
    assert done.returncode == 2
    assert (
        "portail : aucune donnée de retours dans « .portail/retours » (retours.sqlite3 absent)" in done.output
    )
    (tmp_path / "cassé").mkdir()
    (tmp_path / "cassé" / DB_NAME).write_bytes(b"pas une base SQLite" * 100)
    done = run(["portail", "rapport", "--donnees", "cassé"], cwd=tmp_path)
    assert done.returncode == 2 and "n'est pas une base de retours lisible" in done.output


def test_rapport_clock_is_injected(tmp_path: Path) -> None:
    filled(tmp_path)
    out = io.StringIO()
    later = NOW + timedelta(days=40)
    args = Namespace(donnees=str(tmp_path), depuis=date(2026, 11, 26), format="text")
    assert run_rapport(args, now=lambda: later, out=out) == 0
    assert out.getvalue().startswith(
        "Rapport des retours des lecteurs, depuis le 26/11/2026 (établi le 05/01/2027 à 10h00)\n"
    )
    empty = build_report(tmp_path, NOW, date(2027, 1, 1))
    assert "Recherches sans résultat : 0 recherche\n  aucune" in format_text(empty, NOW)
    assert "aucun" in format_text(empty, NOW).splitlines()[-1]


def test_serve_search_records_and_rapport_reads(tmp_path: Path) -> None:
    """`portail serve-search --donnees DIR` as a sysadmin runs it, then `portail rapport`."""
    project = copy_project(tmp_path / "project")
    process = subprocess.Popen(
        [str(BIN / "portail"), "serve-search", "--port", "0", "--donnees", "retours"],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/api/search", line)
        assert match, line + (process.stderr.read() if process.stderr else "")
        base = f"http://127.0.0.1:{match.group(1)}"
        assert post(f"{base}/api/avis", {"page": ARTICLE, "utile": False, "raison": "incomplet"}) == 200
        assert post(f"{base}/api/avis", {"page": "/faq/lspki/inconnu/", "utile": False}) == 400
        with urllib.request.urlopen(f"{base}/api/search?q=zzqxw&produit=lspki", timeout=10) as answer:
            assert json.loads(answer.read())["total"] == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
    done = run(["portail", "rapport", "--donnees", "retours"], cwd=project)
    assert done.returncode == 0, done.output
    assert "1 × « zzqxw » [lspki]" in done.output
    assert f"(1 non, 0 oui) : {ARTICLE}" in done.output and "« incomplet »" in done.output


# ----------------------------------------------------------------------------------------------
# The widget in the built site


def feedback_pages(site: Path) -> dict[str, str]:
    """Site path -> HTML of every page."""
    return {
        "/" + str(path.parent.relative_to(site)).replace(".", "").strip("/") + "/": path.read_text(
            encoding="utf-8"
        )
        for path in site.rglob("index.html")
    }


def test_static_site_without_endpoint_has_no_widget(demo_site: Path) -> None:
    assert not (demo_site / "assets/portail/portail-feedback.js").exists()
    for path in demo_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "portail-feedback" not in text and "/api/avis" not in text, path


@pytest.fixture(scope="module")
def endpoint_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The demo built with `endpoint_url` on a free port of 127.0.0.1 (the browser test serves
    the endpoint there): the site folder and the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = tmp_path_factory.mktemp("endpoint-site")
    project = copy_project(root / "project")
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    option = f"      kb_dir: kb\n      endpoint_url: http://127.0.0.1:{port}/\n"
    text = text.replace("      kb_dir: kb\n", option, 1)
    assert "endpoint_url" in text and yaml.safe_load(text)
    config_file.write_text(text, encoding="utf-8")
    site = root / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.output
    return site, port


def test_site_with_endpoint_has_the_form_on_articles_and_release_notes(
    endpoint_site: tuple[Path, int],
) -> None:
    site, port = endpoint_site
    assert (site / "assets/portail/portail-feedback.js").is_file()
    pages = feedback_pages(site)
    article = re.compile(r"^/faq/[^/]+/[^/]+/$")
    release = re.compile(r"^/release-notes/[^/]+/[^/]+/$")
    with_form = {url for url, html in pages.items() if "data-portail-feedback" in html}
    expected = {url for url in pages if (article.match(url) or release.match(url)) and "/page/" not in url}
    assert with_form == expected and len(expected) > 20
    assert ARTICLE in with_form
    html = pages[ARTICLE]
    start = html.index('<form class="portail-feedback"')
    form = html[start : html.index("</form>", start) + 7]
    assert f'method="post" action="http://127.0.0.1:{port}/api/avis"' in form
    assert f'<input type="hidden" name="page" value="{ARTICLE}">' in form
    assert "<fieldset>" in form and "<legend>Cet article vous a-t-il été utile ?</legend>" in form
    assert (
        '<label for="portail-feedback-raison">' in form
        and '<textarea id="portail-feedback-raison" name="raison"' in form
    )
    assert '<button class="md-button" type="submit" name="utile" value="oui">Oui</button>' in form
    assert '<button class="md-button" type="submit" name="utile" value="non">Non</button>' in form
    assert 'role="status" aria-live="polite"' in form
    assert '<script src="../../../assets/portail/portail-feedback.js" defer></script>' in html
    assert "<p>" not in form.split("<fieldset>")[0]  # Markdown left the raw HTML alone
    for url, page_html in pages.items():
        if url not in with_form:
            assert "portail-feedback" not in page_html, url


@pytest.mark.browser
def test_widget_in_a_browser_with_and_without_javascript(
    endpoint_site: tuple[Path, int],
    indexed: tuple[SearchIndex, tuple[Product, ...]],
    tmp_path: Path,
    page: Any,
    page_without_js: Any,
) -> None:
    from browser import serve

    site, port = endpoint_site
    index, products = indexed
    served = serve(site)
    site_url = next(served)
    origin = site_url.rstrip("/")
    store = make_store(tmp_path / "d")
    server = SearchServer(make_app(index, products, [origin], feedback=store), "127.0.0.1", port)
    thread = server.start_in_thread()
    try:
        # JavaScript: « Oui » posts JSON and thanks in the live region, the page stays.
        page.goto(site_url + ARTICLE.lstrip("/"))
        page.get_by_role("button", name="Oui").click()
        status = page.locator("[data-portail-feedback-status]")
        status.get_by_text("Merci pour votre avis.").wait_for()
        assert page.url == site_url + ARTICLE.lstrip("/")
        # « Non » opens the reason first, focused; « Envoyer » sends it.
        page.reload()
        assert not page.get_by_label("Si non, dites-nous").is_visible()
        page.get_by_role("button", name="Non").click()
        reason = page.get_by_label("Si non, dites-nous")
        assert reason.is_visible() and reason.evaluate("element => element === document.activeElement")
        reason.fill("Il manque la capture d'écran.")
        page.get_by_role("button", name="Envoyer").click()
        status.get_by_text("Merci pour votre avis.").wait_for()
        # Without JavaScript: the plain form, the endpoint's French page, a link back.
        page_without_js.goto(site_url + ARTICLE.lstrip("/"))
        page_without_js.get_by_label("Si non, dites-nous").fill("Sans JavaScript.")
        page_without_js.get_by_role("button", name="Non").click()
        page_without_js.get_by_role("heading", name="Merci pour votre avis").wait_for()
        page_without_js.get_by_role("link", name="Revenir à l'article").click()
        page_without_js.wait_for_url(site_url + ARTICLE.lstrip("/"))
    finally:
        server.stop()
        thread.join(timeout=10)
        served.close()
    assert [row[3:] for row in rows(store, "avis")] == [
        (1, ""),
        (0, "Il manque la capture d'écran."),
        (0, "Sans JavaScript."),
    ]
    store.close()


@pytest.mark.browser
def test_a_browser_search_that_found_nothing_is_told_to_the_endpoint(
    endpoint_site: tuple[Path, int],
    indexed: tuple[SearchIndex, tuple[Product, ...]],
    tmp_path: Path,
    page: Any,
) -> None:
    """The search page posts its empty searches once the reader submits (or stops typing), with
    the product filter: `portail rapport` then lists what clients could not find."""
    from browser import serve

    site, port = endpoint_site
    index, products = indexed
    served = serve(site)
    site_url = next(served)
    store = make_store(tmp_path / "d")
    server = SearchServer(make_app(index, products, [site_url.rstrip("/")], feedback=store), "127.0.0.1", port)
    thread = server.start_in_thread()
    try:
        page.goto(site_url + "recherche/?produit=pastell")
        box = page.get_by_label("Mots-clés")
        box.fill("zorglub introuvable")
        with page.expect_response(f"http://127.0.0.1:{port}/api/recherche-vide") as told:
            box.press("Enter")
        assert told.value.status == 200
        page.get_by_text("Aucun résultat pour « zorglub introuvable »").wait_for()
        # A search that found something is not told.
        with page.expect_response("**/pagefind/**"):
            box.fill("certificat")
            box.press("Enter")
        page.get_by_text("résultats pour « certificat »").first.wait_for()
    finally:
        server.stop()
        thread.join(timeout=10)
        served.close()
    assert [row[2:] for row in rows(store, "recherches_vides")] == [("zorglub introuvable", "pastell")]
    store.close()
