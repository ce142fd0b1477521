"""`make serve` never hangs: while kb/ has errors, every page request gets a French page listing
the findings (with the livereload script), and the site comes back by itself once fixed."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import BIN, ENV, copy_project

FAQ = "kb/faq/pastell/connecteur-s2low-test-echoue.md"
PAGE = "faq/pastell/connecteur-s2low-test-echoue/"
HOSTILE = '<script>alert("x")</script> & <b>gras</b>'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    """Status and text of a response, error statuses included; (0, "") when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return 0, ""


def poll(url: str, wanted: str, deadline: float, server: subprocess.Popen[bytes]) -> tuple[int, str]:
    """Poll until the answer contains ``wanted`` (the server rebuilds in the background), the
    deadline passes or the server stops."""
    status, text = get(url)
    while wanted not in text and time.monotonic() < deadline and server.poll() is None:
        time.sleep(0.2)
        status, text = get(url)
    return status, text


def finding(path: str = "kb/faq/p/a.md", line: int = 3) -> object:
    from portail.model.findings import Source, error

    return error(
        Source(path, line), "front-matter-syntax", f"titre « {HOSTILE} » illisible", f"Réécrivez {HOSTILE}."
    )


def test_error_page_is_french_accessible_and_escapes_what_writers_wrote() -> None:
    from portail.adapters.mkdocs_preview import Failure, error_page

    page = error_page(Failure((finding(), finding("kb/faq/p/b.md", 7)), "ignoré"))  # type: ignore[arg-type]
    assert "<script>alert" not in page and "<b>gras" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "fr"
    assert soup.title is not None and "2 erreurs" in soup.title.text
    levels = [int(h.name[1]) for h in soup.find_all(re.compile("^h[1-6]$"))]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    items = [li.get_text(" ", strip=True) for li in soup.select("ol > li")]
    assert items[0].startswith("kb/faq/p/a.md:3 : erreur front-matter-syntax"), items
    assert "Correction : Réécrivez" in items[1] and "kb/faq/p/b.md:7" in items[1]
    # Not a finding (a broken mkdocs.yml, a bug): the error's message, escaped too.
    other = error_page(Failure((), f"Aborted {HOSTILE}"))
    assert "<b>gras" not in other and "Aborted &lt;script&gt;" in other
    assert "la construction du site a échoué" in other


def test_a_failed_build_is_reported_done_and_pages_get_the_error_page(tmp_path: Path) -> None:
    """With MkDocs' own server object (not started): the wrapped builder and application."""
    from mkdocs.livereload import LiveReloadServer

    from portail.adapters.mkdocs_preview import FindingsError, never_stuck

    (tmp_path / "index.html").write_text("<html><body>le site</body></html>", encoding="utf-8")
    (tmp_path / "style.css").write_text("body {}", encoding="utf-8")
    kept: list[object] = []
    broken = [True]

    def builder() -> None:
        if broken[0]:
            error = FindingsError("portail : 1 erreur(s)", [finding()])  # type: ignore[list-item]
            kept.append(error.findings)  # what the plugin's on_build_error keeps
            raise error

    def take() -> list[object]:
        found = list(kept[-1]) if kept else []  # type: ignore[call-overload]
        kept.clear()
        return found

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    server.watch(str(tmp_path))  # as under `mkdocs serve`: pages get the livereload script
    server.builder = never_stuck(server, builder, take)  # type: ignore[arg-type]
    try:

        def request(path: str) -> tuple[str, str]:
            answer: list[str] = []
            body = server.get_app()(
                {"PATH_INFO": path, "REQUEST_METHOD": "GET"},
                lambda status, headers: answer.append(status),
            )
            return answer[0], b"".join(body).decode("utf-8")

        before = server._visible_epoch
        server.builder()  # the build loop then sets the visible epoch to the wanted one
        assert server._wanted_epoch > before  # browsers showing a page reload
        server._visible_epoch = server._wanted_epoch
        status, text = request("/")
        assert status.startswith("503") and "kb/faq/p/a.md:3" in text
        assert f"livereload({server._visible_epoch}," in text
        assert request("/autre/page/")[0].startswith("503")
        assert request("/style.css") == ("200 OK", "body {}")  # assets as before

        broken[0] = False
        server.builder()
        server._visible_epoch = server._wanted_epoch
        status, text = request("/")
        assert status == "200 OK" and "le site" in text
    finally:
        server.server_close()


def test_make_serve_shows_the_findings_while_kb_is_broken_then_the_site_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port = free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w", encoding="utf-8")
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**ENV, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        status, text = poll(base + PAGE, "Symptôme", time.monotonic() + 180, server)
        assert status == 200, log_path.read_text(encoding="utf-8")[-3000:]

        # A front matter broken at its third line: a quote opened and never closed.
        source = project / FAQ
        good = source.read_text(encoding="utf-8")
        lines = good.split("\n")
        lines[2] += ' "<b>oups'
        source.write_text("\n".join(lines), encoding="utf-8")
        where = f"{FAQ}:3"
        status, text = poll(base + PAGE, where, time.monotonic() + 120, server)
        assert status == 503 and where in text, log_path.read_text(encoding="utf-8")[-3000:]
        soup = BeautifulSoup(text, "html.parser")
        assert soup.html is not None and soup.html["lang"] == "fr"
        assert "front-matter-syntax" in text and "Correction :" in soup.get_text()
        # MkDocs' livereload script: it reloads the page when a build ends.
        epoch = int(re.search(r"livereload\((\d+),", text)[1])  # type: ignore[index]
        # Every page answers at once with the findings; assets are still served.
        started = time.monotonic()
        assert where in get(base)[1] and where in get(base + "documentation/")[1]
        assert get(base + "assets/portail/portail.css")[0] == 200
        assert time.monotonic() - started < 10

        source.write_text(good, encoding="utf-8")
        status, text = poll(base + PAGE, "Symptôme", time.monotonic() + 120, server)
        assert status == 200 and where not in text, log_path.read_text(encoding="utf-8")[-3000:]
        assert get(base)[0] == 200
        # The error page's script, polling since the failed build, is told to reload.
        assert int(get(f"{base}livereload/{epoch}/1")[1]) > epoch
        output = log_path.read_text(encoding="utf-8")
        assert "le navigateur affiche 1 erreur(s)" in output, output[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
