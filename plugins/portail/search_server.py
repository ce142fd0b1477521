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

import functools
import json
import logging
import re
import select
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

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
INTERNAL_ERROR = "erreur interne du serveur de recherche ; réessayez plus tard"

log = logging.getLogger("portail.search_server")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_STATUS = {
    200: "200 OK",
    204: "204 No Content",
    400: "400 Bad Request",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    413: "413 Content Too Large",
    415: "415 Unsupported Media Type",
    429: "429 Too Many Requests",
    500: "500 Internal Server Error",
}
# A "%" not followed by two hexadecimal digits: unquote() would keep it as is, silently.
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# C0 and C1 control characters but tab, line feed and carriage return, which a pasted text may
# hold and which the search treats as spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


_JSON_HEADERS = [
    ("Content-Type", "application/json; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
]


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
                {"erreur": f"méthode {method[:20]} non autorisée (GET seulement)"},
                headers,
                method,
            )
        try:
            query, product, page_type, limit = _parameters(environ.get("QUERY_STRING", ""), products)
        except BadRequest as error:
            return _respond(start_response, 400, {"erreur": str(error)}, headers, method)
        results = index.search(query, product=product, type=page_type, limit=limit)
        if routes is not None and method == "GET" and not results.total:
            routes.record_empty_search(query, product)
        return _respond(start_response, 200, results_payload(results, products), headers, method)

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
            return _respond(
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
        name, value = _decode(name_bytes), _decode(value_bytes)
        if name not in MAX_PARAMETER_LENGTHS:
            continue
        if name in params:
            raise BadRequest(f"paramètre {name} répété : donnez-le une seule fois")
        params[name] = value
    return params


def _decode(raw: bytes) -> str:
    try:
        text = unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            "l'adresse contient des octets qui ne sont pas du texte UTF-8 (« é » s'écrit %C3%A9)"
        ) from None
    if _CONTROL.search(text):
        raise BadRequest("caractère de contrôle refusé dans l'adresse (NUL, échappement…)")
    return text


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


def _respond(
    start_response: StartResponse,
    status: int,
    data: Any,
    headers: list[tuple[str, str]],
    method: str,
    exc_info: Any = None,
) -> Iterable[bytes]:
    body = json_bytes(data)
    response_headers = [*_JSON_HEADERS, ("Content-Length", str(len(body))), *headers]
    if exc_info is None:
        start_response(_STATUS[status], response_headers)
    else:
        start_response(_STATUS[status], response_headers, exc_info)
    return [b""] if method == "HEAD" else [body]


# ----------------------------------------------------------------------------------------------
# Serving


@dataclass(frozen=True)
class ServerLimits:
    """What waitress lets clients hold. The endpoint serves a ticket application's type-ahead:
    short GET requests (a few hundred bytes), answered in milliseconds, from browsers or the
    reverse proxy in front. Tests lower the timeouts (whole seconds: waitress reads integers)."""

    # Threads run complete requests only: waitress reads requests in its event loop, so an idle
    # or slow client never holds one. A search is mostly Python under the GIL: more threads
    # would not answer faster; 4 keeps one slow search from delaying the others.
    threads: int = 4
    # Open connections at once (waitress' default is 100, the listening socket included: a
    # hundred idle sockets were enough to stop it). Each costs a file descriptor and a few
    # kilobytes, no thread; 500 stays well under the usual 1,024 open files, the index needs
    # some. At the limit waitress stops accepting and new connections wait in the backlog.
    connection_limit: int = 500
    # Seconds a connection may stay idle, and seconds a client has to send a whole request
    # (see _channel_class). Keystrokes of one subject come seconds apart, a request takes
    # milliseconds to send. Waitress' default, 120 s, kept idle sockets for two minutes.
    channel_timeout: int = 15
    # Seconds between two sweeps of timed-out connections: one lives at most
    # channel_timeout + cleanup_interval (+ 1 s of event loop), 21 s here instead of 150 s.
    cleanup_interval: int = 5
    # Connections the kernel queues while waitress does not accept them: a burst waits a
    # moment, a flood is refused at once instead of hanging the ticket application's requests.
    backlog: int = 256
    # Request line and headers together: a query string of MAX_QUERY_STRING_BYTES (refused
    # by the endpoint with its own message) and a browser's headers fit. Waitress: 256 KiB.
    max_request_header_size: int = 16384
    # The search takes no body; the feedback routes take small ones (a reason of 500
    # characters). Bodies up to this are read (a POST on the search gets its 405); a larger
    # one is refused (413) without being read. Waitress: 1 GiB.
    max_request_body_size: int = 4096


class SearchServer:
    """The endpoint served by waitress on ``host:port`` (port 0: any free port, see ``port``),
    within ``limits``. ``run()`` serves until ``stop()``, which may be called from another
    thread."""

    def __init__(
        self,
        app: WsgiApp,
        host: str = "127.0.0.1",
        port: int = 8081,
        limits: ServerLimits = ServerLimits(),
    ) -> None:
        from waitress.server import BaseWSGIServer, create_server

        self._map: dict[Any, Any] = {}
        self._server = create_server(
            app,
            map=self._map,
            host=host,
            port=port,
            ident="portail",
            # poll() has no FD_SETSIZE ceiling (select() fails past descriptor 1,024).
            asyncore_use_poll=hasattr(select, "poll"),
            expose_tracebacks=False,
            **asdict(limits),
        )
        channel_class = _channel_class()
        for dispatcher in list(self._map.values()):
            if isinstance(dispatcher, BaseWSGIServer):
                dispatcher.channel_class = channel_class
        self.host = host
        self.limits = limits
        # One listening socket has effective_port; a host name with several addresses
        # (localhost: 127.0.0.1 and ::1) gives a MultiSocketServer and its effective_listen.
        listen = getattr(self._server, "effective_listen", None)
        self.port: int = listen[0][1] if listen else self._server.effective_port

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


@functools.cache
def _channel_class() -> type:
    """Waitress' connection class, with JSON refusals and a deadline for a whole request. Built
    on first use: the module imports waitress only to serve (``portail search`` does not)."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class JsonErrorTask(ErrorTask):
        """Waitress' own refusals (headers or body too large, malformed HTTP) in the endpoint's
        shape, instead of its English text/plain."""

        def execute(self) -> None:
            error = self.request.error
            body = json_bytes({"erreur": _waitress_error_message(error.code, self.channel.adj)})
            self.status = f"{error.code} {error.reason}"
            self.response_headers.extend(_JSON_HEADERS)
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class Channel(HTTPChannel):
        error_task_class = JsonErrorTask
        # When the first byte of the request being received arrived; None between requests.
        request_started: float | None = None

        def received(self, data: bytes) -> bool:
            # Waitress counts every byte received as activity: a client sending one header byte
            # every few seconds (slowloris) would never time out. While a request is incomplete,
            # its first byte stays the last activity, so channel_timeout bounds the time to send
            # a whole request and waitress' own sweep closes the slow ones.
            pending = self.request
            result: bool = super().received(data)
            if self.request is None:
                self.request_started = None
            else:
                if self.request is not pending or self.request_started is None:
                    self.request_started = time.time()
                self.last_activity = self.request_started
            return result

    return Channel


def _waitress_error_message(code: int, adjustments: Any) -> str:
    if code == 431:
        return (
            f"en-têtes HTTP trop longs ({adjustments.max_request_header_size} octets au plus, "
            "adresse comprise)"
        )
    if code == 413:
        return f"corps de requête trop gros ({adjustments.max_request_body_size} octets au plus)"
    if code == 400:
        return "requête HTTP mal formée"
    if code == 501:
        return "requête HTTP non prise en charge par le serveur de recherche"
    return INTERNAL_ERROR


def serve(
    app: WsgiApp,
    host: str = "127.0.0.1",
    port: int = 8081,
    limits: ServerLimits = ServerLimits(),
) -> None:
    """Serve ``app`` with waitress until interrupted (Ctrl+C)."""
    server = SearchServer(app, host, port, limits)
    print(f"Recherche servie sur {server.url}?q=… (Ctrl+C pour arrêter)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
