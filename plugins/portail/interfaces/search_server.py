"""The search endpoint: ``GET /api/search?q=&produit=&type=&limit=`` as JSON, for a page of the
static site (or any client) that wants the whoosh search. A plain WSGI application
(``make_app``) served by waitress (``serve``).

Answers: 200 with the results; 400 with ``{"erreur": "…"}`` (French) for an empty or too long
query, an unknown product or type, a limit that is not a whole number from 1 to 50, a query
string longer than ``MAX_QUERY_STRING_BYTES``, a parameter given twice, a bad ``%`` escape,
bytes that are not UTF-8 or a control character (NUL, escape…); 404 for any other path; 405 for
another method; 500 with a generic French message when something unexpected fails (logged here,
never sent). Parameters the endpoint does not know are ignored (a client's cache buster
``&_=…``). Waitress' own refusals (headers or body too large, malformed HTTP) are JSON too.
CORS: ``Access-Control-Allow-Origin`` is sent only to the configured origins (none by default),
with the OPTIONS preflight. ``ServerLimits`` bounds what a client may hold on the server.

Given a ``FeedbackStore`` (``feedback=``), the app also serves ``POST /api/recherche-vide`` and
``POST /api/avis`` (contract in ``feedback_server.py``) and records each GET search that found
nothing, with its product filter: one INSERT in WAL mode after the search, never the IP, a
cookie or the user agent (``feedback.py``). Without it those paths are 404.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..model.kb import Product
from ..search.index import (
    MAX_LIMIT,
    MAX_QUERY_LENGTH,
    TYPE_LABELS,
    TYPES,
    SearchIndex,
    SearchResults,
    product_from_text,
)
from ..search.product_words import Understood, understand
from .wsgi import INTERNAL_ERROR, STATUS, BadRequest, StartResponse, WsgiApp, decode, respond

if TYPE_CHECKING:
    from .feedback import FeedbackStore

PATH = "/api/search"
FEEDBACK_PATHS = ("/api/recherche-vide", "/api/avis")  # feedback_server.PATHS, without importing it
# Longer queries are refused; between MAX_QUERY_LENGTH and this, they are truncated.
MAX_REQUEST_QUERY_LENGTH = 1000
MAX_PRODUCT_LENGTH = 100
# The longest value of each parameter the endpoint reads, in characters once decoded, checked
# before anything is done with it: int() of 5,000 digits raises, and whoosh parses what it gets.
MAX_PARAMETER_LENGTHS = {
    "q": MAX_REQUEST_QUERY_LENGTH,
    "produit": MAX_PRODUCT_LENGTH,
    "type": 50,
    "limit": 10,
}
# The whole query string, still percent-encoded, checked before it is split. A q of 1,000
# characters of French (accents as %C3%A9, spaces as %20) takes 1.5 to 3 KiB, 6 KiB if every
# letter is accented. nginx in front refuses request lines over 8 KiB by default
# (large_client_header_buffers): the same bound, whichever answers.
MAX_QUERY_STRING_BYTES = 8192
DEFAULT_LIMIT = 5
ALLOWED_METHODS = "GET, HEAD, OPTIONS"

log = logging.getLogger("portail.interfaces.search_server")

# A "%" not followed by two hexadecimal digits: unquote() would keep it as is, silently.
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def results_payload(
    results: SearchResults,
    products: Sequence[Product],
    hits_key: str = "results",
    recognised: Understood | None = None,
) -> dict[str, Any]:
    """Search results as JSON data (the endpoint, and ``portail search --json`` with
    ``hits_key="hits"``). ``excerpt`` is HTML (matched words in <mark>, the rest escaped);
    every other string is plain text for the client to escape. ``recognised_product``: the
    slug of the product named in the query, which limited the search (null otherwise)."""
    names = {product.slug: product.name for product in products}
    return {
        "query": results.query,
        "recognised_product": recognised.product if recognised and recognised.recognised else None,
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


def make_app(
    index: SearchIndex,
    products: Sequence[Product],
    cors_origins: Iterable[str] = (),
    feedback: FeedbackStore | None = None,
    known_pages: Collection[str] | None = None,
) -> WsgiApp:
    """The WSGI application of the endpoint, searching ``index``. ``products`` is the catalogue
    (``produit`` accepts a slug, name, code or alias); ``cors_origins`` the browser origins
    allowed to call it (``https://support.example.org``), none by default. ``feedback``: where
    searches without result and votes are recorded (none: not served); ``known_pages`` the site
    paths that take votes (default: the FAQ articles and release notes of ``index``)."""
    products = tuple(products)
    # Scheme and host are case-insensitive: compare origins lowercased.
    allowed_origins = frozenset(origin.rstrip("/").lower() for origin in cors_origins)
    routes = None
    if feedback is not None:
        from .feedback_server import feedback_routes

        routes = feedback_routes(feedback, products, index, known_pages, allowed_origins)

    def endpoint(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        path = environ.get("PATH_INFO", "") or "/"
        headers = _cors_headers(environ.get("HTTP_ORIGIN"), allowed_origins)
        if routes is not None and path.rstrip("/") in FEEDBACK_PATHS:
            return routes(path.rstrip("/"), environ, start_response, headers)
        if path.rstrip("/") != PATH:
            return respond(
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
            start_response(STATUS[204], [("Allow", ALLOWED_METHODS), *headers])
            return [b""]
        if method not in ("GET", "HEAD"):
            headers.append(("Allow", ALLOWED_METHODS))
            return respond(
                start_response,
                405,
                {"erreur": f"méthode {method[:20]} non autorisée (GET seulement)"},
                headers,
                method,
            )
        try:
            query, product, page_type, limit = _parameters(environ.get("QUERY_STRING", ""), products)
        except BadRequest as error:
            return respond(start_response, 400, {"erreur": str(error)}, headers, method)
        meant = understand(query, product, products)
        results = index.search(meant.query, product=meant.product, type=page_type, limit=limit)
        if routes is not None and method == "GET" and not results.total:
            routes.record_empty_search(query, product)
        payload = results_payload(results, products, recognised=meant)
        return respond(start_response, 200, payload, headers, method)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # The last line of defence: whatever raises (a bug, a broken index, a server passing
        # something odd) is logged here with its traceback and answered with a generic message.
        # The exception's text may name files, code or the index: it never reaches the client.
        try:
            return endpoint(environ, start_response)
        except Exception:
            log.exception(
                "recherche en échec : %s %r",
                environ.get("PATH_INFO"),
                str(environ.get("QUERY_STRING", ""))[:200],
            )
            method = str(environ.get("REQUEST_METHOD", "GET")).upper()
            # The CORS headers again, so that a browser lets the ticket application read the 500.
            try:
                headers = _cors_headers(environ.get("HTTP_ORIGIN"), allowed_origins)
            except Exception:
                headers = []
            return respond(
                start_response, 500, {"erreur": INTERNAL_ERROR}, headers, method, exc_info=sys.exc_info()
            )

    return app


def parse_query_string(query_string: str) -> dict[str, str]:
    """The parameters the endpoint reads (``MAX_PARAMETER_LENGTHS``), decoded strictly from a
    WSGI ``QUERY_STRING``; any other is ignored once checked. Raises ``BadRequest`` for a query
    string over ``MAX_QUERY_STRING_BYTES``, a ``%`` not followed by two hexadecimal digits,
    bytes that are not UTF-8, a control character or a parameter given twice. (``parse_qs``
    would keep the first of two values, a lone ``%`` as is and bad bytes as U+FFFD.)"""
    # PEP 3333: environ strings carry the raw bytes as latin-1. A server breaking that rule
    # with wider characters gets them as UTF-8, which is what a client meant.
    try:
        raw = query_string.encode("latin-1")
    except UnicodeEncodeError:
        raw = query_string.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_QUERY_STRING_BYTES:
        raise BadRequest(
            f"adresse trop longue : {len(raw)} octets après « ? », {MAX_QUERY_STRING_BYTES} au plus"
        )
    if _BAD_PERCENT.search(raw):
        raise BadRequest(
            "encodage invalide dans l'adresse : « % » doit être suivi de deux chiffres hexadécimaux (%20, %C3%A9…)"
        )
    params: dict[str, str] = {}
    for field in raw.split(b"&"):
        if not field:
            continue  # "?q=a&&limit=3&": empty fields mean nothing
        name_bytes, _, value_bytes = field.partition(b"=")
        name, value = decode(name_bytes), decode(value_bytes)
        if name not in MAX_PARAMETER_LENGTHS:
            continue
        if name in params:
            raise BadRequest(f"paramètre {name} répété : donnez-le une seule fois")
        params[name] = value
    return params


def _parameters(query_string: str, products: Sequence[Product]) -> tuple[str, str | None, str | None, int]:
    params = parse_query_string(query_string)
    # Lengths first, before any value is stripped, converted or searched.
    for name, value in params.items():
        if len(value) > MAX_PARAMETER_LENGTHS[name]:
            raise BadRequest(_too_long(name, len(value)))
    query = " ".join(params.get("q", "").split())
    if not query:
        raise BadRequest(
            "paramètre q vide : indiquez les mots à chercher, par exemple ?q=mot+de+passe+oublié"
        )
    query = query[:MAX_QUERY_LENGTH]
    product = None
    named = params.get("produit", "").strip()
    if named:
        product = product_from_text(named, products)
        if product is None:
            known = ", ".join(p.slug for p in products)
            raise BadRequest(f"produit inconnu « {named} » (produits connus : {known})")
    page_type = params.get("type", "").strip() or None
    if page_type is not None and page_type not in TYPES:
        raise BadRequest(f"type inconnu « {page_type} » (types : {', '.join(TYPES)})")
    limit_text = params.get("limit", "").strip()
    limit = DEFAULT_LIMIT
    if limit_text:
        # At most MAX_PARAMETER_LENGTHS["limit"] ASCII digits here: int() is cheap and cannot fail.
        if not limit_text.isascii() or not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
            raise BadRequest(f"limit doit être un nombre entier de 1 à {MAX_LIMIT} (reçu « {limit_text} »)")
        limit = int(limit_text)
    return query, product, page_type, limit


def _too_long(name: str, length: int) -> str:
    if name == "q":
        return f"requête trop longue ({length} caractères, {MAX_REQUEST_QUERY_LENGTH} au plus)"
    if name == "limit":
        return f"limit doit être un nombre entier de 1 à {MAX_LIMIT} (reçu {length} caractères)"
    return f"paramètre {name} trop long ({length} caractères, {MAX_PARAMETER_LENGTHS[name]} au plus)"


def _cors_headers(origin: str | None, allowed: frozenset[str]) -> list[tuple[str, str]]:
    if not allowed:
        return []
    headers = [("Vary", "Origin")]
    if origin and origin.rstrip("/").lower() in allowed:
        headers.append(("Access-Control-Allow-Origin", origin.rstrip("/")))
    return headers
