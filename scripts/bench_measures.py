"""The benchmark's measurements that need no browser: builds, preview, command-line search,
the search endpoint, page sizes. Each returns plain numbers; bench_build.py judges them."""

from __future__ import annotations

import random
import re
import shutil
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench_process import BIN, Usage, fetch, free_port, run_measured, start_server, stop_server, wait_until
from bench_vocabulary import ERRORS, INFINITIVES, NOUNS
from make_corpus import PRODUCTS

CACHE_DIR = ".portail"  # the plugin's caches and the search index, beside mkdocs.yml


class NotMeasured(Exception):
    """A measurement that could not be taken; the message (French) says why."""


# -- builds -----------------------------------------------------------------------------------


def build(project: Path, site: Path, cold: bool) -> Usage:
    """``mkdocs build --strict`` as a writer publishes; cold: no site and no cache first."""
    if cold:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(project / CACHE_DIR, ignore_errors=True)
    usage = run_measured([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)], project)
    if usage.returncode != 0:
        tail = "\n".join(usage.log.strip().splitlines()[-12:])
        raise NotMeasured(f"mkdocs build a échoué ({usage.returncode}) dans {project.name} :\n{tail}")
    return usage


def edit_article(path: Path, token: str) -> None:
    """Change one FAQ article's body: a new last paragraph holding ``token``."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    text = re.sub(r"\n\nModification de mesure : \w+\.$", "", text)
    path.write_text(f"{text}\n\nModification de mesure : {token}.\n", encoding="utf-8")


@dataclass
class BuildRuns:
    portail_cold: list[Usage] = field(default_factory=list)
    portail_warm: list[Usage] = field(default_factory=list)
    portail_edit: list[Usage] = field(default_factory=list)
    anchor_cold: list[Usage] = field(default_factory=list)
    anchor_warm: list[Usage] = field(default_factory=list)
    failure: str = ""  # why the pairs stopped early, if they did

    def complete(self) -> int:
        """Pairs with all five builds: only those enter the medians."""
        return min(len(runs) for runs in (self.portail_cold, self.anchor_cold, self.portail_warm,
                                          self.anchor_warm, self.portail_edit))  # fmt: skip


def interleaved_builds(
    portail: Path, anchor: Path, article: Path, pairs: int, log: Callable[[str], None]
) -> BuildRuns:
    """Pairs of portail and anchor builds, interleaved so that a slow moment of the machine
    weighs on both sides: cold, cold, warm, warm, then portail after one FAQ edit."""
    runs = BuildRuns()
    site, anchor_site = portail / "site", anchor / "site"
    for pair in range(1, pairs + 1):
        steps = (
            ("portail à froid", runs.portail_cold, portail, site, True),
            ("ancre à froid", runs.anchor_cold, anchor, anchor_site, True),
            ("portail à chaud", runs.portail_warm, portail, site, False),
            ("ancre à chaud", runs.anchor_warm, anchor, anchor_site, False),
            ("portail après une modification de FAQ", runs.portail_edit, portail, site, False),
        )
        for name, results, project, target, cold in steps:
            if results is runs.portail_edit:
                edit_article(article, f"mesurebuild{pair}")
            try:
                usage = build(project, target, cold)
            except NotMeasured as failure:
                if pair == 1:
                    raise
                runs.failure = f"paire {pair} interrompue : {failure}"
                log(f"  {runs.failure}")
                return runs
            results.append(usage)
            log(
                f"  paire {pair}/{pairs}, {name} : {usage.cpu:.1f} s CPU, {usage.wall:.1f} s, "
                f"{usage.peak / 2**20:.0f} Mio"
            )
    return runs


def median(values: list[float]) -> float:
    return statistics.median(values)


# -- preview ----------------------------------------------------------------------------------


@dataclass
class Preview:
    startup: float  # seconds until the served page first answered
    seconds: float  # from the edit to the new text in the served page
    whole: float | None  # from the edit to the end of the full rebuild that follows (the log)


def preview(project: Path, article: Path, url_path: str, work: Path, timeout: float) -> Preview:
    """``mkdocs serve --dirty`` (what `make serve` runs), then one FAQ edit: seconds until the
    page shows the new text."""
    port = free_port()
    command = [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"]
    server = start_server(command, project, work / "serve.log")
    url = f"http://127.0.0.1:{port}/{url_path}"
    try:
        startup = wait_until(url, server, timeout)
        if startup is None:
            raise NotMeasured(
                f"mkdocs serve n'a pas servi {url_path} en {timeout:.0f} s : {_tail(work / 'serve.log')}"
            )
        time.sleep(2)  # let the watcher settle after the first build
        token = f"mesureapercu{int(time.time())}"
        built = _log_text(work / "serve.log").count(_BUILT)
        start = time.perf_counter()
        edit_article(article, token)
        seen = wait_until(url, server, timeout, needle=token.encode())
        if seen is None:
            raise NotMeasured(
                f"le texte modifié n'est pas apparu en {timeout:.0f} s : {_tail(work / 'serve.log')}"
            )
        shown = time.perf_counter() - start
        # The page first (portail's quick answer), then the full rebuild: MkDocs logs its end.
        whole = None
        while server.poll() is None and time.perf_counter() - start < timeout:
            if _log_text(work / "serve.log").count(_BUILT) > built:
                whole = time.perf_counter() - start
                break
            time.sleep(0.1)
        return Preview(startup, shown, whole)
    finally:
        stop_server(server)


_BUILT = "Documentation built in"  # MkDocs' line at the end of each build


def _log_text(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-1500:] if log.is_file() else ""


# -- search -----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def queries(count: int, seed: int = 7) -> list[dict[str, str]]:
    """Varied requests as support agents type them: one to four words, accents or not, a
    product filter or a product name in the text, a type, a quoted error message, a typo."""
    rng = random.Random(seed)
    words = [n.split(" ", 1)[-1].removeprefix("l'") for n in NOUNS]
    out = []
    for number in range(count):
        kind = number % 6
        text = " ".join(rng.sample(words, rng.randint(1, 3)))
        params = {"q": text}
        if kind == 1:
            params["q"] = _fold(text)
        elif kind == 2:
            params["produit"] = rng.choice(PRODUCTS).slug
        elif kind == 3:
            params["q"] = f"{rng.choice(INFINITIVES)} {text}"
            params["type"] = rng.choice(("faq", "documentation", "release"))
        elif kind == 4:
            params["q"] = rng.choice(ERRORS)
        elif kind == 5 and len(text) > 5:
            cut = rng.randrange(1, len(text) - 1)
            params["q"] = text[:cut] + text[cut + 1 :]  # a letter missing
        out.append(params)
    return out


@dataclass
class CliSearch:
    walls: list[float]
    cpus: list[float]


def cli_search(project: Path, runs: int = 5) -> CliSearch:
    """``portail search`` in a new process each time, the index already built (one untimed
    run first brings it up to date after the builds)."""
    asked = queries(runs + 1, seed=11)
    command = [str(BIN / "portail"), "search", "--limit", "5"]
    first = run_measured([*command, asked[0]["q"]], project)
    if first.returncode not in (0, 1):  # 1: no result, a valid answer
        raise NotMeasured(f"portail search a échoué ({first.returncode}) : {first.log[-1500:]}")
    timed = [run_measured([*command, params["q"]], project) for params in asked[1:]]
    return CliSearch([u.wall for u in timed], [u.cpu for u in timed])


@dataclass
class Endpoint:
    startup: float
    latencies: list[float]  # seconds, one per query
    errors: int
    asked: list[dict[str, str]]  # the query of each latency

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def slowest(self, count: int = 3) -> str:
        """The slowest queries, where to look first."""
        pairs = sorted(zip(self.latencies, self.asked, strict=True), key=lambda pair: -pair[0])[:count]
        return ", ".join(f"{urlencode(params)} {1000 * seconds:.0f} ms" for seconds, params in pairs)


def endpoint(project: Path, work: Path, count: int = 100, warmup: int = 3) -> Endpoint:
    """``portail serve-search``: latency of ``count`` varied queries, one at a time, after
    ``warmup`` queries (not counted) that open the index."""
    port = free_port()
    server = start_server(
        [str(BIN / "portail"), "serve-search", "--port", str(port)], project, work / "search.log"
    )
    base = f"http://127.0.0.1:{port}/api/search?"
    try:
        startup = wait_until(base + "q=certificat", server, 600)
        if startup is None:
            raise NotMeasured(f"serve-search ne répond pas : {_tail(work / 'search.log')}")
        asked = queries(warmup + count)
        latencies, errors = [], 0
        for number, params in enumerate(asked):
            start = time.perf_counter()
            status, _ = fetch(base + urlencode(params))
            elapsed = time.perf_counter() - start
            if number >= warmup:
                latencies.append(elapsed)
                errors += status != 200
        return Endpoint(startup, latencies, errors, asked[warmup:])
    finally:
        stop_server(server)


# -- page sizes -------------------------------------------------------------------------------

PRODUCT_SLUGS = {p.slug for p in PRODUCTS}
SECTION_SLUGS = {"libriciels", "services", "autres"}
LINE = re.compile(r"\d+\.\d+(\.\d+)?")


def page_type(url: str) -> str:
    """The kind of page at a site path (``faq/parafeo/slug/``), from the URL plan."""
    parts = [p for p in url.split("/") if p]
    if len(parts) >= 2 and parts[-2] == "page" and parts[-1].isdigit():  # a paginated list
        return page_type("/".join(parts[:-2]) + "/") + ", pages 2 et suivantes"
    head, depth = (parts[0] if parts else ""), len(parts)
    if depth == 0:
        return "accueil"
    if head == "faq":
        return ("FAQ (liste)", "FAQ d'un produit", "article de FAQ")[min(depth, 3) - 1]
    if head == "release-notes":
        return ("notes de version (liste)", "notes de version d'un produit", "note de version")[
            min(depth, 3) - 1
        ]
    if head == "informations":
        if depth == 1:
            return "informations (liste)"
        return "informations d'un produit" if parts[1] in PRODUCT_SLUGS else "information"
    if head == "documentation":
        if depth == 1:
            return "documentation (index)"
        if depth == 2:
            return "rubrique" if parts[1] in SECTION_SLUGS else "documentation d'un produit"
        if depth == 3:
            if parts[2] == "versions":
                return "versions d'un produit"
            return "ligne de version" if LINE.fullmatch(parts[2]) else "document"
        return "document"
    return "autre"


@dataclass
class PageSizes:
    count: int
    largest: tuple[str, int]
    by_type: dict[str, dict[str, float | int | str]]


def page_sizes(site: Path) -> PageSizes:
    sizes: dict[str, list[tuple[int, str]]] = {}
    for path in site.rglob("*.html"):
        url = path.relative_to(site).parent.as_posix().removeprefix(".") + "/"
        if path.name != "index.html":
            url = path.relative_to(site).as_posix()
        sizes.setdefault(page_type(url), []).append((path.stat().st_size, url.lstrip("/")))
    everything = [item for items in sizes.values() for item in items]
    size, url = max(everything)
    by_type = {
        kind: {
            "pages": len(items),
            "median": statistics.median(s for s, _ in items),
            "max": max(items)[0],
            "max_url": max(items)[1],
        }
        for kind, items in sorted(sizes.items())
    }
    return PageSizes(len(everything), (url, size), by_type)
