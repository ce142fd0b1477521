"""What the endpoint's WSGI applications share (``search_server``, ``feedback_server``, and
waitress' own refusals in ``waitress_server``): statuses, French ``BadRequest``, strict decoding
of a query string's parts, JSON bodies safe to embed anywhere."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

INTERNAL_ERROR = "erreur interne du serveur de recherche ; réessayez plus tard"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

STATUS = {
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
# C0 and C1 control characters but tab, line feed and carriage return, which a pasted text may
# hold and which the search treats as spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")



class BadRequest(ValueError):
    """A request the endpoint refuses, with the French message sent back."""


def json_bytes(data: Any) -> bytes:
    """JSON safe to embed anywhere: ``<``, ``>`` and ``&`` escaped as \\u sequences, so no
    raw ``<script>`` ever leaves the server, even in the echoed query."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")


JSON_HEADERS = [
    ("Content-Type", "application/json; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
]


def decode(raw: bytes) -> str:
    try:
        text = unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            "l'adresse contient des octets qui ne sont pas du texte UTF-8 (« é » s'écrit %C3%A9)"
        ) from None
    if _CONTROL.search(text):
        raise BadRequest("caractère de contrôle refusé dans l'adresse (NUL, échappement…)")
    return text


def respond(
    start_response: StartResponse,
    status: int,
    data: Any,
    headers: list[tuple[str, str]],
    method: str,
    exc_info: Any = None,
) -> Iterable[bytes]:
    body = json_bytes(data)
    response_headers = [*JSON_HEADERS, ("Content-Length", str(len(body))), *headers]
    if exc_info is None:
        start_response(STATUS[status], response_headers)
    else:
        start_response(STATUS[status], response_headers, exc_info)
    return [b""] if method == "HEAD" else [body]
