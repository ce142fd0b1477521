"""The search endpoint: ``GET /api/search?q=&produit=&type=&limit=`` as JSON, for a page of the
static site (or any client) that wants the whoosh search. A plain WSGI application
(``make_app``) served by waitress (``serve``).

Answers: 200 with the results; 400 with ``{"erreur": "…"}`` (French) for an empty or too long
query, an unknown product or type, a limit that is not a whole number from 1 to 50; 404 for any
other path; 405 for another method. CORS: ``Access-Control-Allow-Origin`` is sent only to the
configured origins (none by default), with the OPTIONS preflight.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qs

from .model import Product
from .search import (
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    TYPE_LABELS,
    TYPES,
    SearchIndex,
    SearchResults,
    product_from_text,
)

PATH = "/api/search"
# Longer queries are refused; between MAX_QUERY_LENGTH and this, they are truncated.
MAX_REQUEST_QUERY_LENGTH = 1000
DEFAULT_LIMIT = 5
ALLOWED_METHODS = "GET, HEAD, OPTIONS"

log = logging.getLogger("portail.search_server")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_STATUS = {
    200: "200 OK",
    204: "204 No Content",
    400: "400 Bad Request",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    500: "500 Internal Server Error",
}


class BadRequest(ValueError):
    """A request the endpoint refuses, with the French message sent back."""


def results_payload(
    results: SearchResults, products: Sequence[Product], hits_key: str = "results"
) -> dict[str, Any]:
    """Search results as JSON data (the endpoint, and ``portail search --json`` with
    ``hits_key="hits"``). ``excerpt`` is HTML (matched words in <mark>, the rest escaped);
    every other string is plain text for the client to escape."""
    names = {product.slug: product.name for product in products}
    return {
        "query": results.query,
        "total": results.total,
        "product_counts": results.product_counts,
        "suggestion": results.suggestion,
        hits_key: [
            {
                "title": hit.title,
                "url": hit.url,
                "products": list(hit.products),
                "product_names": [names.get(slug, slug) for slug in hit.products],
                "type": hit.type,
                "type_label": TYPE_LABELS.get(hit.type, hit.type),
                "excerpt": hit.excerpt,
            }
            for hit in results.hits
        ],
    }


def json_bytes(data: Any) -> bytes:
    """JSON safe to embed anywhere: ``<``, ``>`` and ``&`` escaped as \\u sequences, so no
    raw ``<script>`` ever leaves the server, even in the echoed query."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")


MAX_PRODUCT_LENGTH = 100


def make_app(index: SearchIndex, products: Sequence[Product], cors_origins: Iterable[str] = ()) -> WsgiApp:
    """The WSGI application of the endpoint, searching ``index``. ``products`` is the catalogue
    (``produit`` accepts a slug, name, code or alias); ``cors_origins`` the browser origins
    allowed to call it (``https://support.example.org``), none by default."""
    products = tuple(products)
    # Scheme and host are case-insensitive: compare origins lowercased.
    allowed_origins = frozenset(origin.rstrip("/").lower() for origin in cors_origins)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "") or "/"
        headers = _cors_headers(environ.get("HTTP_ORIGIN"), allowed_origins)
        if path.rstrip("/") != PATH:
            return _respond(
                start_response,
                404,
                {"erreur": f"adresse inconnue ; la recherche est servie sur {PATH}?q=…"},
                headers,
                method,
            )
        if method == "OPTIONS":
            if headers:
                headers += [
                    ("Access-Control-Allow-Methods", "GET, OPTIONS"),
                    ("Access-Control-Allow-Headers", "Content-Type"),
                    ("Access-Control-Max-Age", "600"),
                ]
            start_response(_STATUS[204], [("Allow", ALLOWED_METHODS), *headers])
            return [b""]
        if method not in ("GET", "HEAD"):
            headers.append(("Allow", ALLOWED_METHODS))
            return _respond(
                start_response,
                405,
                {"erreur": f"méthode {method} non autorisée (GET seulement)"},
                headers,
                method,
            )
        try:
            query, product, page_type, limit = _parameters(environ.get("QUERY_STRING", ""), products)
            results = index.search(query, product=product, type=page_type, limit=limit)
        except BadRequest as error:
            return _respond(start_response, 400, {"erreur": str(error)}, headers, method)
        except Exception:
            log.exception("recherche en échec")
            return _respond(
                start_response, 500, {"erreur": "erreur interne du serveur de recherche"}, headers, method
            )
        return _respond(start_response, 200, results_payload(results, products), headers, method)

    return app


def _parameters(query_string: str, products: Sequence[Product]) -> tuple[str, str | None, str | None, int]:
    params = parse_qs(query_string, keep_blank_values=True, errors="replace")

    def first(name: str) -> str | None:
        values = params.get(name)
        return values[0] if values else None

    query = " ".join((first("q") or "").split())
    if not query:
        raise BadRequest(
            "paramètre q vide : indiquez les mots à chercher, par exemple ?q=mot+de+passe+oublié"
        )
    if len(query) > MAX_REQUEST_QUERY_LENGTH:
        raise BadRequest(f"requête trop longue ({len(query)} caractères, {MAX_REQUEST_QUERY_LENGTH} au plus)")
    query = query[:MAX_QUERY_LENGTH]
    product = None
    named = (first("produit") or "").strip()
    if len(named) > MAX_PRODUCT_LENGTH:
        raise BadRequest(f"produit trop long (au plus {MAX_PRODUCT_LENGTH} caractères)")
    if named:
        product = product_from_text(named, products)
        if product is None:
            known = ", ".join(p.slug for p in products)
            raise BadRequest(f"produit inconnu « {named} » (produits connus : {known})")
    page_type = (first("type") or "").strip() or None
    if page_type is not None and page_type not in TYPES:
        raise BadRequest(f"type inconnu « {page_type} » (types : {', '.join(TYPES)})")
    limit_text = (first("limit") or "").strip()
    limit = DEFAULT_LIMIT
    if limit_text:
        if not limit_text.isascii() or not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
            raise BadRequest(
                f"limit doit être un nombre entier de 1 à {MAX_LIMIT} (reçu « {limit_text[:20]} »)"
            )
        limit = int(limit_text)
    return query, product, page_type, limit


def _cors_headers(origin: str | None, allowed: frozenset[str]) -> list[tuple[str, str]]:
    if not allowed:
        return []
    headers = [("Vary", "Origin")]
    if origin and origin.rstrip("/").lower() in allowed:
        headers.append(("Access-Control-Allow-Origin", origin.rstrip("/")))
    return headers


def _respond(
    start_response: StartResponse,
    status: int,
    data: Any,
    headers: list[tuple[str, str]],
    method: str,
) -> Iterable[bytes]:
    body = json_bytes(data)
    start_response(
        _STATUS[status],
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            *headers,
        ],
    )
    return [b""] if method == "HEAD" else [body]


# ----------------------------------------------------------------------------------------------
# Serving


class SearchServer:
    """The endpoint served by waitress on ``host:port`` (port 0: any free port, see ``port``).
    ``run()`` serves until ``stop()``, which may be called from another thread."""

    def __init__(self, app: WsgiApp, host: str = "127.0.0.1", port: int = 8081, threads: int = 4) -> None:
        from waitress.server import create_server

        self._map: dict[Any, Any] = {}
        self._server = create_server(
            app, map=self._map, host=host, port=port, threads=threads, ident="portail"
        )
        self.host = host
        self.port: int = self._server.effective_port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{PATH}"

    def run(self) -> None:
        self._server.run()

    def stop(self) -> None:
        from waitress import wasyncore

        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map, ignore_all=True)

    def start_in_thread(self) -> threading.Thread:
        """Serve from a daemon thread (tests, embedding)."""
        thread = threading.Thread(target=self.run, name="portail-search-server", daemon=True)
        thread.start()
        return thread


def serve(app: WsgiApp, host: str = "127.0.0.1", port: int = 8081) -> None:
    """Serve ``app`` with waitress until interrupted (Ctrl+C)."""
    server = SearchServer(app, host, port)
    print(f"Recherche servie sur {server.url}?q=… (Ctrl+C pour arrêter)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
