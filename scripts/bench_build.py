#!/usr/bin/env python3
"""Benchmark of issue 10: the portal against plain Material, on a realistic knowledge base.

Generates a corpus of N pages (scripts/make_corpus.py) and its anchor (the same Markdown
bodies as plain MkDocs + Material pages), then measures and prints one table: each figure,
the corpus size, the budget and PASS/FAIL. Cold, warm and after-one-FAQ-edit builds (medians
of interleaved pairs, CPU time of the whole process tree, against the anchor), build peak
memory, the preview of one edit under `mkdocs serve`, `portail search` in a new process, the
search endpoint's p95, the bytes of a first browser search, requests that grow with the site
on an ordinary page view, HTML page sizes per type, and their growth between N and M pages
(a second corpus, --compare M, N/5 by default; --compare 0 skips it). What cannot be
measured is reported « non mesuré » with the reason (exit code 1); a budget missed is FAIL in
the table, not an exit code: the bench reports, it does not gate.

    python scripts/bench_build.py [--pages 1000] [--pairs 3] [--compare 5000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_measures import (  # noqa: E402 - modules beside this script
    NotMeasured,
    build,
    cli_search,
    endpoint,
    interleaved_builds,
    median,
    page_sizes,
    preview,
)
from bench_process import snapshot_code  # noqa: E402
from bench_report import KB, Figure, build_figures, flatness_figures, size_figures, table  # noqa: E402
from make_corpus import Corpus, write_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
START = time.perf_counter()
T = TypeVar("T")
# The 1-minute load average, every 10 s: other work on the machine shows in wall times (and,
# less, in CPU times), so the report says how busy the machine was.
LOAD: list[float] = []


def sample_load() -> None:
    while True:
        LOAD.append(os.getloadavg()[0])
        time.sleep(10)


def load_now() -> str:
    return f"charge de la machine {os.getloadavg()[0]:.1f}"


def log(message: str) -> None:
    print(f"[{time.perf_counter() - START:6.0f} s, {load_now()}] {message}", file=sys.stderr, flush=True)


def attempt(figures: list[Figure], keys: list[str], pages: int | str, step: Callable[[], T]) -> T | None:
    """Run a measurement; if it fails, each of its figures is reported « non mesuré » with why."""
    try:
        return step()
    except Exception as exc:  # noqa: BLE001 - whatever failed is reported, never skipped
        reason = str(exc) if isinstance(exc, NotMeasured) else "".join(traceback.format_exception(exc)[-3:])
        log(f"non mesuré : {reason.strip().splitlines()[0] if reason.strip() else repr(exc)}")
        figures += [Figure(key, pages, None, f"non mesuré : {reason.strip()}") for key in keys]
        return None


def make(root: Path, pages: int, seed: int, anchor: Path | None) -> Corpus:
    corpus = write_project(root, pages, seed, anchor)
    log(
        f"corpus de {pages} pages : {corpus.documents} documents + {corpus.attachments} fichiers joints, "
        f"{corpus.articles} articles de FAQ, {corpus.releases} notes de version sur {corpus.lines} lignes, "
        f"{corpus.posts} informations, {corpus.words} mots"
    )
    return corpus


def url_of(kb_path: str) -> str:
    """The site path of a kb/ page: ``faq/p/slug.md`` -> ``faq/p/slug/``."""
    return kb_path.removesuffix(".md") + "/"


def run(args: argparse.Namespace, work: Path) -> tuple[list[Figure], dict[str, object]]:
    n = args.pages
    code = snapshot_code(work)
    log(f"code mesuré : copie de plugins/portail dans {code}")
    portail, anchor = work / f"portail-{n}", work / f"anchor-{n}"
    corpus = make(portail, n, args.seed, anchor)
    article = portail / "kb" / corpus.faq_paths[0]
    figures: list[Figure] = []
    raw: dict[str, object] = {"corpus": asdict(corpus) | {"faq_paths": None, "document_paths": None}}

    log(f"constructions entrelacées portail / ancre : {args.pairs} paires")
    keys = ["cold", "warm", "edit", "memory"]
    runs = attempt(figures, keys, n, lambda: interleaved_builds(portail, anchor, article, args.pairs, log))
    if runs is not None:
        figures += build_figures(runs, n)
        raw["builds"] = {
            name: [asdict(u) | {"log": None} for u in usages]
            for name, usages in vars(runs).items()
            if isinstance(usages, list)
        } | {"failure": runs.failure}

    log("aperçu d'une modification de FAQ sous mkdocs serve")
    path = url_of(corpus.faq_paths[0])
    seen = attempt(figures, ["preview"], n, lambda: preview(portail, article, path, work, args.timeout))
    if seen is not None:
        whole = "?" if seen.whole is None else f"{seen.whole:.1f} s"
        detail = (
            f"de l'enregistrement au texte servi (la page modifiée d'abord) ; reste du site à jour "
            f"après {whole} ; page servie après {seen.startup:.0f} s ; {load_now()}"
        )
        figures.append(Figure("preview", n, seen.seconds, detail))

    log("portail search : un nouveau processus par recherche, index déjà construit")
    cli = attempt(figures, ["cli"], n, lambda: cli_search(portail))
    if cli is not None:
        detail = (
            f"médiane de {len(cli.walls)} processus, max {max(cli.walls):.2f} s ; CPU médian "
            f"{median(cli.cpus):.2f} s ; {load_now()}"
        )
        figures.append(Figure("cli", n, median(cli.walls), detail))

    log("portail serve-search : ~100 requêtes variées")
    api = attempt(figures, ["endpoint"], n, lambda: endpoint(portail, work))
    if api is not None:
        detail = (
            f"{len(api.latencies)} requêtes l'une après l'autre, p50 {1000 * api.percentile(50):.1f} ms, "
            f"max {1000 * max(api.latencies):.0f} ms, {api.errors} réponse(s) autre que 200 ; prêt en {api.startup:.1f} s ; {load_now()} ; "
            f"les plus lentes : {api.slowest()}"
        )
        figures.append(Figure("endpoint", n, 1000 * api.percentile(95), detail))

    site = portail / "site"
    if not site.is_dir():
        figures += [
            Figure(k, n, None, "non mesuré : aucun site construit")
            for k in ("first_search", "growing", "largest")
        ]
        return figures, raw
    log("navigateur : première recherche, puis un article de FAQ et un document")
    from bench_browser import browser_measures  # Playwright is imported only here

    views = [url_of(corpus.faq_paths[1]), url_of(corpus.document_paths[0])]
    seen_in_browser = attempt(
        figures, ["first_search", "growing"], n, lambda: browser_measures(site, "certificat", views)
    )
    if seen_in_browser is not None:
        search, pages = seen_in_browser
        biggest = ", ".join(
            f"{r.url.rsplit('/', 1)[-1]} {r.bytes / KB:.0f} Ko"
            for r in sorted(search.requests, key=lambda r: -r.bytes)[:3]
        )
        detail = (
            f"{len(search.requests)} requêtes (pagefind/, portail-produits.json), sans compression HTTP ; "
            f"résultats affichés : {'oui' if search.results_shown else 'NON'} ; les plus lourdes : {biggest}"
        )
        figures.append(Figure("first_search", n, search.total / KB, detail))
        growing = [r for view in pages for r in view.growing]
        detail = " ; ".join(f"/{v.url} : {len(v.requests)} requêtes" for v in pages)
        if growing:
            detail += " ; en trop : " + ", ".join(
                f"{urlparse(r.url).path} ({r.bytes / KB:.0f} Ko)" for r in growing
            )
        figures.append(Figure("growing", n, float(len(growing)), detail))
        raw["browser"] = {
            "first_search": [asdict(r) for r in search.requests],
            "views": {v.url: [asdict(r) for r in v.requests] for v in pages},
        }

    sizes = page_sizes(site)
    figures += size_figures(sizes, n)
    raw["page_sizes"] = {str(n): asdict(sizes)}
    if args.compare:
        m = args.compare
        other = work / f"portail-{m}"
        make(other, m, args.seed, None)
        log(f"construction du corpus de comparaison ({m} pages)")
        label = f"{min(n, m)} → {max(n, m)}"
        usage = attempt(figures, ["largest_growth"], label, lambda: build(other, other / "site", cold=True))
        if usage is not None:
            measured = page_sizes(other / "site")
            raw["page_sizes"][str(m)] = asdict(measured)
            small, large = (sizes, measured) if n < m else (measured, sizes)
            figures += flatness_figures(small, large, min(n, m), max(n, m), usage, m)
    return figures, raw


def machine() -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    return {
        "cpu": models[0] if models else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            name: version(name) for name in ("mkdocs", "mkdocs-material", "pagefind", "whoosh-reloaded")
        },
        "code": code_version(),
    }


def code_version() -> str:
    """The commit measured, and whether plugins/ differed from it (the snapshot holds both)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "plugins")
    commit = git("rev-parse", "--short", "HEAD") or "inconnu"
    return f"{commit}, plugins/ modifié ({len(changed.splitlines())} fichiers)" if changed else commit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="N, la taille du corpus (défaut : 1000)")
    parser.add_argument(
        "--pairs", type=int, default=3, help="paires de constructions portail / ancre (défaut : 3)"
    )
    parser.add_argument(
        "--compare",
        type=int,
        metavar="M",
        help="taille d'un second corpus, pour la croissance des pages (défaut : N/5 ; 0 : aucun)",
    )
    parser.add_argument("--json", type=Path, help="écrire aussi toutes les mesures dans ce fichier JSON")
    parser.add_argument(
        "--workdir", type=Path, help="dossier de travail conservé (défaut : temporaire, supprimé)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600, help="attente maximale sous mkdocs serve (s)")
    args = parser.parse_args()
    if args.compare is None:  # flatness is a budget: measured by default, on a cheap smaller corpus
        args.compare = max(50, args.pages // 5)
    info = machine()
    threading.Thread(target=sample_load, daemon=True).start()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        figures, raw = run(args, args.workdir.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="portail-bench-") as tmp:
            figures, raw = run(args, Path(tmp))
    seconds = time.perf_counter() - START
    info["load"] = {"min": min(LOAD), "median": median(LOAD), "max": max(LOAD)}
    print(table(figures, info, seconds / 60))
    if args.json:
        payload = {"pages": args.pages, "compare": args.compare, "pairs": args.pairs, "seconds": round(seconds),
                   "machine": info, "figures": [f.as_dict() for f in figures], **raw}  # fmt: skip
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        log(f"mesures écrites dans {args.json}")
    sys.exit(1 if any(f.status == "NON MESURÉ" for f in figures) else 0)


if __name__ == "__main__":
    main()
