"""The endpoint's two feedback routes, served by ``search_server.make_app`` next to the search
when it is given a ``FeedbackStore`` (``portail serve-search``, unless ``--sans-retours``).

Contract (for the site's scripts and forms; every refusal is ``{"erreur": "…"}`` in French):

``POST /api/recherche-vide``
    A search that found nothing, from the browser search (Pagefind). Body, JSON
    (``Content-Type: application/json``) ``{"q": "certificat expiré", "produit": "s2low"}`` or
    the same fields form-encoded (``application/x-www-form-urlencoded``: what
    ``navigator.sendBeacon(url, new URLSearchParams({q, produit}))`` sends, without CORS
    preflight). ``produit`` is optional (slug, name, code or alias; empty: every product).
    200 ``{"message": …}``; 400 (empty ``q``, unknown product, bad JSON or field), 413 (body
    over 4 KiB), 415 (another content type), 429 (too many this minute). ``GET /api/search``
    records its own searches without result: the browser posts only Pagefind's.

``POST /api/avis``
    « Cet article vous a-t-il été utile ? ». JSON ``{"page": "/faq/iparapheur/mot-de-passe-
    oublie/", "utile": true, "raison": "…"}`` answered 200 ``{"message": "Merci pour votre
    avis."}``; or the widget's plain form (no JavaScript): ``page``, ``utile=oui|non``,
    ``raison``, answered with a small French HTML page « Merci pour votre avis » linking back to
    the article (on the request's ``Origin`` when it is an allowed CORS origin or the
    endpoint's own host, else the site path). ``page`` must be a FAQ article or release note of
    the index (site path, leading and trailing slash optional); ``raison`` (≤ 500 characters)
    is kept on « Non » only. 400, 413, 415 as above; 429 after 10 votes on one page (120 in
    all) within a minute. A form's refusal is an HTML page when the browser asked for HTML.

Only ``POST`` and the CORS preflight ``OPTIONS`` are answered (405 otherwise).
"""

from __future__ import annotations

import html
import json
import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..model.kb import Product
from ..search.index import SearchIndex, product_from_text
from .feedback import (
    CONTROL,
    MAX_PRODUCT_LENGTH,
    MAX_QUERY_LENGTH,
    MAX_REASON_LENGTH,
    FeedbackStore,
    RateLimited,
)
from .wsgi import STATUS, BadRequest, StartResponse, decode, respond

EMPTY_SEARCH_PATH = "/api/recherche-vide"
VOTE_PATH = "/api/avis"
PATHS = (EMPTY_SEARCH_PATH, VOTE_PATH)
ALLOWED_METHODS = "POST, OPTIONS"
MAX_BODY_BYTES = 4096
# A request's q may be longer than what is kept (MAX_QUERY_LENGTH): it is cut, as the search does.
MAX_REQUEST_QUERY_LENGTH = 1000
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
THANKS = "Merci pour votre avis."
# Seconds before an unknown page makes the list of articles be read again from the index.
PAGES_REFRESH = 60.0

log = logging.getLogger("portail.interfaces.search_server")


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class KnownPages:
    """The site paths that take votes (``/faq/p/slug/``), read by ``load()`` at first use and
    again, at most once a minute, when a page is not among them (the index was updated)."""

    def __init__(
        self, load: Callable[[], Iterable[str]], monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._load = load
        self._monotonic = monotonic
        self._pages: frozenset[str] | None = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def __contains__(self, page: object) -> bool:
        with self._lock:
            if self._pages is None or (
                page not in self._pages and self._monotonic() - self._loaded_at > PAGES_REFRESH
            ):
                self._pages = frozenset(self._load())
                self._loaded_at = self._monotonic()
            return page in self._pages


def article_pages(index: SearchIndex) -> frozenset[str]:
    """The FAQ articles and release notes of ``index``, as site paths (``/faq/p/slug/``)."""
    pages = index._existing_pages() or {}
    return frozenset("/" + url for url in pages if url.startswith(("faq/", "release-notes/")))


def feedback_routes(
    store: FeedbackStore,
    products: Sequence[Product],
    index: SearchIndex,
    known_pages: Collection[str] | None,
    allowed_origins: frozenset[str],
) -> FeedbackRoutes:
    """The routes over ``store``; votes are taken on ``known_pages`` (site paths), by default
    the FAQ articles and release notes of ``index``."""
    if known_pages is None:
        pages = KnownPages(lambda: article_pages(index))
    else:
        fixed = frozenset(site_path(page) for page in known_pages)
        pages = KnownPages(lambda: fixed)
    return FeedbackRoutes(store, products, pages, allowed_origins)


def site_path(page: str) -> str:
    """``faq/p/slug``, ``/faq/p/slug/`` -> ``/faq/p/slug/``."""
    return "/" + page.strip().strip("/") + "/"


class FeedbackRoutes:
    """``POST /api/recherche-vide`` and ``POST /api/avis`` over ``store``."""

    def __init__(
        self,
        store: FeedbackStore,
        products: Sequence[Product],
        known_pages: KnownPages,
        allowed_origins: frozenset[str],
    ) -> None:
        self.store = store
        self.products = tuple(products)
        self.known_pages = known_pages
        self.allowed_origins = allowed_origins

    def __call__(
        self,
        path: str,
        environ: dict[str, Any],
        start_response: StartResponse,
        headers: list[tuple[str, str]],
    ) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        if method == "OPTIONS":
            if headers:
                headers += [
                    ("Access-Control-Allow-Methods", ALLOWED_METHODS),
                    ("Access-Control-Allow-Headers", "Content-Type"),
                    ("Access-Control-Max-Age", "600"),
                ]
            start_response(STATUS[204], [("Allow", ALLOWED_METHODS), *headers])
            return [b""]
        if method != "POST":
            headers.append(("Allow", ALLOWED_METHODS))
            message = f"méthode {method[:20]} non autorisée sur {path} (POST seulement)"
            return respond(start_response, 405, {"erreur": message}, headers, method)
        form = False
        try:
            form, data = read_body(environ)
            if path == EMPTY_SEARCH_PATH:
                message = self.empty_search(data)
            else:
                page = self.vote(data)
                if form:
                    return _html(start_response, 200, THANKS, self.return_link(environ, page, data), headers)
                message = THANKS
        except (HttpError, BadRequest, RateLimited) as error:
            status = getattr(error, "status", 429 if isinstance(error, RateLimited) else 400)
            if status == 429:
                headers.append(("Retry-After", "60"))
            if form and "text/html" in str(environ.get("HTTP_ACCEPT", "")):
                text = f"Votre avis n'a pas pu être enregistré : {error}."
                return _html(start_response, status, text, None, headers)
            return respond(start_response, status, {"erreur": str(error)}, headers, method)
        return respond(start_response, 200, {"message": message}, headers, method)

    def record_empty_search(self, query: str, product: str | None) -> None:
        """A GET search that found nothing. A side effect: whatever fails here is logged and
        the reader still gets the results."""
        try:
            self.store.record_empty_search(query, product or "")
        except Exception:
            log.exception("retours : recherche sans résultat non enregistrée dans %s", self.store.path)

    def empty_search(self, data: dict[str, Any]) -> str:
        query = _text(data, "q", MAX_REQUEST_QUERY_LENGTH)
        if not query.strip():
            raise BadRequest("champ q vide : indiquez la recherche qui n'a rien trouvé")
        if self.store.record_empty_search(query[:MAX_QUERY_LENGTH], self._product(data)):
            return "Recherche sans résultat enregistrée."
        raise RateLimited("trop de recherches enregistrées en ce moment ; réessayez dans une minute")

    def _product(self, data: dict[str, Any]) -> str:
        named = _text(data, "produit", MAX_PRODUCT_LENGTH).strip()
        if not named:
            return ""
        slug = product_from_text(named, self.products)
        if slug is None:
            known = ", ".join(p.slug for p in self.products)
            raise BadRequest(f"produit inconnu « {named} » (produits connus : {known})")
        return slug

    def vote(self, data: dict[str, Any]) -> str:
        page = _text(data, "page", 300).strip()
        if not page:
            raise BadRequest(
                "champ page vide : indiquez l'adresse de l'article, par exemple /faq/pastell/mot-de-passe-oublie/"
            )
        page = site_path(page)
        if page not in self.known_pages:
            raise BadRequest(
                f"page inconnue « {page[:100]} » : seuls les articles de FAQ et les notes de version "
                "reçoivent des avis"
            )
        useful = _useful(data.get("utile"))
        reason = _text(data, "raison", MAX_REASON_LENGTH)
        self.store.record_vote(page, useful, reason)
        return page

    def return_link(self, environ: dict[str, Any], page: str, data: dict[str, Any]) -> str:
        """Back to the article: on the site's origin when the browser gave one we trust."""
        origin = str(environ.get("HTTP_ORIGIN", "")).rstrip("/")
        parts = urlsplit(origin)
        host = str(environ.get("HTTP_HOST", "")).lower()
        if (
            parts.scheme in ("http", "https")
            and parts.netloc
            and not parts.path
            and "@" not in parts.netloc
            and (origin.lower() in self.allowed_origins or parts.netloc.lower() == host)
        ):
            return urlunsplit((parts.scheme, parts.netloc, page, "", ""))
        return page


def read_body(environ: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """The request's fields and whether they came as a form. Refuses a body over
    ``MAX_BODY_BYTES`` (413, unread), another content type (415), bad JSON or encoding (400)."""
    length_text = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not length_text.isascii() or not length_text.isdigit() or len(length_text) > 12:
        raise HttpError(400, "en-tête Content-Length invalide")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        raise HttpError(413, f"corps de requête trop gros ({length} octets, {MAX_BODY_BYTES} au plus)")
    content_type = str(environ.get("CONTENT_TYPE", "")).split(";")[0].strip().lower()
    if content_type not in (JSON_TYPE, FORM_TYPE):
        raise HttpError(
            415,
            f"type de contenu « {content_type[:50] or 'absent'} » non pris en charge : envoyez du JSON "
            f"({JSON_TYPE}) ou un formulaire ({FORM_TYPE})",
        )
    body = environ["wsgi.input"].read(length) if length else b""
    if not body.strip():
        raise BadRequest("corps de requête vide")
    if content_type == FORM_TYPE:
        return True, _form_fields(body)
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("le corps n'est pas du texte UTF-8") from None
    except (ValueError, RecursionError):
        raise BadRequest("le corps n'est pas du JSON valide") from None
    if not isinstance(data, dict):
        raise BadRequest('le corps doit être un objet JSON, par exemple {"q": "…"}')
    return False, data


def _form_fields(body: bytes) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field in body.split(b"&"):
        if not field:
            continue
        name_bytes, _, value_bytes = field.partition(b"=")
        name = decode(name_bytes)
        if name in fields:
            raise BadRequest(f"champ {name[:30]} répété : donnez-le une seule fois")
        fields[name] = decode(value_bytes)
    return fields


def _text(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"champ {name} : du texte est attendu")
    if CONTROL.search(value):
        raise BadRequest(f"caractère de contrôle refusé dans le champ {name}")
    if len(value) > limit:
        raise BadRequest(f"champ {name} trop long ({len(value)} caractères, {limit} au plus)")
    return value


def _useful(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("oui", "non"):
        return value.strip().lower() == "oui"
    raise BadRequest("champ utile : true ou false attendu (oui ou non dans un formulaire)")


_PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{text}</p>
{link}</main>
</body>
</html>
"""


def _html(
    start_response: StartResponse, status: int, text: str, link: str | None, headers: list[tuple[str, str]]
) -> Iterable[bytes]:
    """A small French page for the widget's plain form (no JavaScript), everything escaped."""
    title = THANKS.rstrip(".") if status == 200 else "Avis non enregistré"
    back = (
        f'<p><a href="{html.escape(link)}">Revenir à l\'article</a></p>\n'
        if link
        else "<p>Utilisez le bouton « Précédent » de votre navigateur pour revenir à l'article.</p>\n"
    )
    if status == 200:
        text = "Il aidera l'équipe du support à améliorer cet article."
    body = _PAGE.format(title=html.escape(title), text=html.escape(text), link=back).encode("utf-8")
    start_response(
        STATUS[status],
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'"),
            ("Referrer-Policy", "no-referrer"),
            *headers,
        ],
    )
    return [body]
