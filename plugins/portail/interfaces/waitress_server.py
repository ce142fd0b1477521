"""``portail serve-search``'s server: waitress within ``ServerLimits`` (connection limit,
channel timeout counted from the start of a request), so idle and slow clients cannot block the
endpoint; waitress' own refusals (headers or body too large, malformed HTTP) answered in JSON."""

from __future__ import annotations

import functools
import logging
import select
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from .search_server import PATH
from .wsgi import INTERNAL_ERROR, JSON_HEADERS, WsgiApp, json_bytes

log = logging.getLogger("portail.interfaces.search_server")

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
            self.response_headers.extend(JSON_HEADERS)
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
