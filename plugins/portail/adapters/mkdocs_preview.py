"""Under ``mkdocs serve``: the page of an edited body shown before the full rebuild.

MkDocs' livereload server calls one builder per change. :func:`quick_then_full` wraps it: the
pages :mod:`portail.interfaces.quick_preview` renders from the last build are written with that build's
configuration, navigation and theme (MkDocs' own page functions), the browsers reload, then
the full rebuild runs as before and reloads them again. Private parts of MkDocs 1.6 are used
here (``_populate_page``, ``_build_page``, the server's epochs); any surprise skips the quick
answer, never the rebuild.

:func:`never_stuck` keeps the preview answering when a build fails (an error in kb/): MkDocs'
server would hold every request until a build succeeds. The failed build's findings are kept,
the build is reported done, and every HTML page request gets a French page listing them (with
MkDocs' livereload script), until the next successful build serves the site again.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError, PluginError
from mkdocs.structure.files import Files, InclusionLevel

from ..interfaces.quick_preview import QuickPage
from ..model.findings import Finding

log = logging.getLogger("mkdocs.plugins.portail")


@dataclass
class LastBuild:
    """What MkDocs built the site with, kept from a successful build."""

    config: MkDocsConfig
    files: Files
    nav: Any
    env: Any


def write_pages(last: LastBuild, pages: Sequence[QuickPage]) -> list[str]:
    """Render ``pages`` as the last build would and write them into its site folder; the
    addresses written."""
    doc_files = last.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    written = []
    for page in pages:
        file = last.files.get_file_from_path(page.src_uri)
        if file is None or file.page is None:
            continue
        file.content_string = page.markdown
        _populate_page(file.page, last.config, last.files)
        _build_page(file.page, last.config, doc_files, last.nav, last.env)
        written.append(page.url)
    return written


def quick_then_full(
    server: Any, full: Callable[[], None], quick: Callable[[], list[str]]
) -> Callable[[], None]:
    """A builder for ``server``: ``quick()`` (the pages it wrote), browsers reloaded if it
    wrote any, then ``full()``, after which the server reloads them again."""

    def builder() -> None:
        start = time.perf_counter()
        try:
            written = quick()
        except Exception as reason:  # a saving only: the full rebuild shows the edit anyway
            log.debug("portail : aperçu rapide impossible (%r)", reason)
            written = []
        shown = bool(written) and _show(server)
        if shown:
            log.info(
                "portail : %s affichée en %.1f s ; le reste du site suit.",
                ", ".join(f"/{url}" for url in written),
                time.perf_counter() - start,
            )
        full()
        if shown:
            _newer(server)

    return builder


# MkDocs' server holds requests while a build runs (its visible epoch lags the wanted one), and
# tells browsers to reload when the visible epoch moves.


def _show(server: Any) -> bool:
    """Serve the site as it is now, and reload the browsers: the full rebuild then runs while
    pages are served, as the quick answer left them."""
    try:
        with server._epoch_cond:
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()
    except AttributeError:  # another server than MkDocs 1.6's
        return False
    return True


def _newer(server: Any) -> None:
    """Make the end of the full rebuild a new epoch, so that browsers reload once more."""
    try:
        with server._epoch_cond:
            server._wanted_epoch = max(server._wanted_epoch, server._visible_epoch + 1)
    except AttributeError:  # another server than MkDocs 1.6's: its own epochs, if any
        pass


# A failed build while serving: the error page instead of a server stuck until a build succeeds.


class FindingsError(PluginError):
    """The plugin's ``PluginError`` when findings stop the build: the preview lists them."""

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings = tuple(findings)


@dataclass(frozen=True)
class Failure:
    """Why the last build failed: the findings the plugin stopped it with, else the error's
    message as MkDocs reports it."""

    findings: tuple[Finding, ...]
    message: str


def never_stuck(
    server: Any, builder: Callable[[], None], findings: Callable[[], Sequence[Finding]]
) -> Callable[[], None]:
    """A builder for ``server`` that does not leave it stuck: when ``builder`` fails, the
    findings it stopped with (``findings()``: taken from the plugin, which keeps them from its
    ``on_build_error``) are kept and the build is reported done, so that requests are served;
    HTML page requests get :func:`error_page` until a build succeeds. ``builder`` as it is
    when the server's WSGI application cannot be wrapped."""
    failure: list[Failure | None] = [None]
    try:
        server.set_app(_error_pages(server, server.get_app(), lambda: failure[0]))
    except AttributeError:  # not a wsgiref server: MkDocs' own behaviour
        return builder

    def guarded() -> None:
        findings()  # forget what an earlier build left
        try:
            builder()
        except Exception as error:  # MkDocs' Abort too (a SystemExit and an Exception)
            failure[0] = Failure(tuple(findings()), _message(error))
            # Browsers showing a page reload and get the error page.
            _newer(server)
            count = len(failure[0].findings)
            log.error(
                "portail : site non reconstruit ; le navigateur affiche %s jusqu'à la prochaine "
                "construction réussie (elle suit chaque enregistrement).",
                f"{count} erreur(s)" if count else "l'erreur",
                # A failure that is neither a finding nor MkDocs' own (already logged): a bug.
                exc_info=not count and not isinstance(error, (SystemExit, BuildError)),
            )
            return
        failure[0] = None

    return guarded


def _message(error: BaseException) -> str:
    # MkDocs logs a BuildError, then raises its Abort from it: the first is the one to show.
    cause = error.__cause__ or error.__context__
    if isinstance(error, SystemExit) and cause is not None:
        error = cause
    return str(error) or type(error).__name__


def _error_pages(server: Any, app: Callable[..., Any], failure: Callable[[], Failure | None]) -> Any:
    """The server's WSGI application, answering HTML page requests with the error page while
    the last build failed; everything else (assets, livereload) as before."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        shown = failure()
        if shown is None or not _is_page(environ.get("PATH_INFO", "")):
            return app(environ, start_response)
        body = _with_livereload(server, error_page(shown))
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]

    return application


def _is_page(path: str) -> bool:
    path = path.encode("latin-1", "replace").decode("utf-8", "replace")
    if path.startswith("/livereload/"):
        return False
    name = path.rsplit("/", 1)[-1]
    return name == "" or name.endswith((".html", ".htm")) or "." not in name


def _with_livereload(server: Any, page: str) -> bytes:
    """The page with MkDocs' livereload script (it reloads when a build ends), else a plain
    refresh every few seconds."""
    content = page.encode("utf-8")
    try:
        with server._epoch_cond:
            epoch = server._visible_epoch
        return bytes(server._inject_js_into_html(content, epoch))
    except Exception:  # another server than MkDocs 1.6's
        return page.replace("<head>", '<head>\n<meta http-equiv="refresh" content="3">', 1).encode("utf-8")


_STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1a1a1a; background: #fff; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { color: #8b0000; font-size: 1.6rem; }
ol { padding-left: 1.5rem; }
li { margin-bottom: 1.25rem; }
li p { margin: 0.25rem 0; }
code, pre { font-family: ui-monospace, monospace; background: #f2f2f2; padding: 0 0.2rem; }
pre { padding: 0.75rem; white-space: pre-wrap; }
"""


def error_page(failure: Failure) -> str:
    """The French page the preview serves while the last build failed. Everything in it that
    comes from a file (paths, messages that quote titles, fixes) is HTML-escaped."""
    e = html.escape
    count = len(failure.findings)
    if count:
        what = f"{count} erreur{'s' if count > 1 else ''} dans la base de connaissances"
        items = "\n".join(
            "<li>\n"
            f"<p><code>{e(str(f.source))}</code> : {e(f.severity.label)} <code>{e(f.code)}</code></p>\n"
            f"<p>{e(f.message)}</p>\n"
            f"<p><strong>Correction :</strong> {e(f.fix)}</p>\n"
            "</li>"
            for f in failure.findings
        )
        details = f"<h2>À corriger</h2>\n<ol>\n{items}\n</ol>"
    else:
        what = "la construction du site a échoué"
        details = f"<h2>Message de la construction</h2>\n<pre>{e(failure.message)}</pre>"
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aperçu interrompu : {e(what)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>Aperçu interrompu : {e(what)}</h1>
<p>Le site n'est pas reconstruit tant que ces erreurs restent. Corrigez le fichier indiqué
et enregistrez-le : cette page se recharge d'elle-même et le site revient dès que la
construction réussit. Le terminal de <code>make serve</code> et <code>make check</code> donnent
les mêmes messages.</p>
{details}
</main>
</body>
</html>
"""
