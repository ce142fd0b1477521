"""The benchmark's figures, budgets (issue 10, point 3) and the table that reports them."""

from __future__ import annotations

from dataclasses import dataclass

from bench_measures import BuildRuns, PageSizes, median
from bench_process import Usage

KB, MB = 1000, 1000**2  # decimal units, as the budgets are written (100 KB, 1 GB)
FLAT = 1.10  # "flat" page size from N to M pages: no type of page grows by more than 10 %
# A list page (FAQ, release notes, information, documentation of a product or a line, …) shows
# at most 50 entries, 0.3 to 0.6 KB each, in a frame of about 25 KB: at most about 55 KB,
# whatever the base. Below 50 entries it grows until it is full (a product with 17 release
# notes at 1,000 pages and 88 at 5,000), so for lists "flat" is this bound, not a ratio.
LIST_BOUND = 60.0  # KB

# key: (label, unit, budget); a figure without a budget is context, reported as « info ».
BUDGETS: dict[str, tuple[str, str, float | None]] = {
    "cold": ("Construction à froid / ancre à froid (CPU)", "×", 2.0),
    "warm": ("Construction à chaud / ancre à chaud (CPU)", "×", 1.3),
    "edit": ("Construction après une modification de FAQ / ancre à chaud (CPU)", "×", 1.3),
    "memory": ("Mémoire maximale d'une construction", "Mo", 1000.0),
    "preview": ("Aperçu d'une modification (mkdocs serve)", "s", 3.0),
    "cli": ("portail search à froid (temps écoulé)", "s", 0.5),
    "endpoint": ("Point d'accès serve-search, p95", "ms", 50.0),
    "first_search": ("Première recherche dans le navigateur", "Ko", 300.0),
    "growing": ("Requêtes qui grandissent avec le site (vue ordinaire)", "requêtes", 0.0),
    "largest": ("Plus grande page HTML", "Ko", 100.0),
    "median": ("  taille médiane : {}", "Ko", None),
    "largest_growth": ("Croissance de la plus grande page", "×", FLAT),
    "median_growth": ("  croissance médiane : {}", "×", FLAT),
    "list_growth": ("  croissance médiane : {} (liste paginée)", "×", None),
    "list_largest": ("  plus grande page : {} (liste paginée)", "Ko", LIST_BOUND),
    "compare_build": ("Construction à froid du corpus de comparaison (CPU)", "s", None),
}


@dataclass
class Figure:
    key: str
    pages: int | str  # the corpus size the figure was measured on ("1000 → 5000" for growth)
    value: float | None  # None: not measured, ``detail`` says why
    detail: str = ""
    kind: str = ""  # the page type of per-type figures

    @property
    def label(self) -> str:
        return BUDGETS[self.key][0].format(self.kind)

    @property
    def unit(self) -> str:
        return BUDGETS[self.key][1]

    @property
    def budget(self) -> float | None:
        return BUDGETS[self.key][2]

    @property
    def status(self) -> str:
        if self.value is None:
            return "NON MESURÉ"
        if self.budget is None:
            return "info"
        return "PASS" if self.value <= self.budget else "FAIL"

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label.strip(), "pages": self.pages, "value": self.value,
                "unit": self.unit, "budget": self.budget, "status": self.status, "detail": self.detail}  # fmt: skip


def build_figures(runs: BuildRuns, n: int) -> list[Figure]:
    pairs = runs.complete()

    def cpu(usages: list[Usage]) -> float:
        return median([u.cpu for u in usages[:pairs]])

    def wall(usages: list[Usage]) -> float:
        return median([u.wall for u in usages[:pairs]])

    def ratio(key: str, mine: list[Usage], anchor: list[Usage]) -> Figure:
        detail = (
            f"portail {cpu(mine):.1f} s CPU ({wall(mine):.1f} s écoulées), ancre {cpu(anchor):.1f} s CPU "
            f"({wall(anchor):.1f} s) ; en temps écoulé {wall(mine) / wall(anchor):.2f}× ; médianes de "
            f"{pairs} paires" + (f" ({runs.failure})" if runs.failure else "")
        )
        return Figure(key, n, cpu(mine) / cpu(anchor), detail)

    peak = max(runs.portail_cold + runs.portail_warm + runs.portail_edit, key=lambda u: u.peak)
    anchor_peak = max(u.peak for u in runs.anchor_cold + runs.anchor_warm)
    memory = (
        f"plus gros processus {peak.max_rss / MB:.0f} Mo (ru_maxrss), arbre entier échantillonné "
        f"{peak.tree_rss / MB:.0f} Mo ; ancre {anchor_peak / MB:.0f} Mo"
    )
    return [
        ratio("cold", runs.portail_cold, runs.anchor_cold),
        ratio("warm", runs.portail_warm, runs.anchor_warm),
        ratio("edit", runs.portail_edit, runs.anchor_warm),
        Figure("memory", n, peak.peak / MB, memory),
    ]


def size_figures(sizes: PageSizes, n: int) -> list[Figure]:
    url, size = sizes.largest
    figures = [Figure("largest", n, size / KB, f"/{url} ; {sizes.count} pages HTML")]
    for kind, row in sizes.by_type.items():
        detail = f"{row['pages']} pages, la plus grande {float(row['max']) / KB:.1f} Ko (/{row['max_url']})"
        figures.append(Figure("median", n, float(row["median"]) / KB, detail, kind))
    return figures


def flatness_figures(
    small: PageSizes, large: PageSizes, n: int, m: int, usage: Usage, built: int
) -> list[Figure]:
    """Growth of page sizes from ``n`` to ``m`` pages; ``usage``: the build of the ``built`` one."""
    label = f"{n} → {m}"
    detail = (
        f"une construction, {usage.wall:.0f} s écoulées, mémoire maximale {usage.peak / MB:.0f} Mo "
        f"(plus gros processus {usage.max_rss / MB:.0f} Mo)"
    )
    figures = [Figure("compare_build", built, usage.cpu, detail)]
    (small_url, small_size), (large_url, large_size) = small.largest, large.largest
    detail = f"{small_size / KB:.1f} Ko (/{small_url}) → {large_size / KB:.1f} Ko (/{large_url})"
    # A type present at one size only (a line long enough to need a second page) has no ratio.
    alone = sorted(small.by_type.keys() ^ large.by_type.keys())
    if alone:
        detail += " ; types de page présents à une seule des deux tailles : " + ", ".join(alone)
    figures.append(Figure("largest_growth", label, large_size / small_size, detail))
    for kind, row in small.by_type.items():
        other = large.by_type.get(kind)
        if other is None:
            continue
        detail = (
            f"{float(row['median']) / KB:.1f} → {float(other['median']) / KB:.1f} Ko ; "
            f"plus grande {float(row['max']) / KB:.1f} → {float(other['max']) / KB:.1f} Ko"
        )
        growth = float(other["median"]) / float(row["median"])
        if is_list(kind):
            figures.append(Figure("list_growth", label, growth, detail, kind))
            largest = f"/{other['max_url']} ; {other['pages']} pages de ce type"
            figures.append(Figure("list_largest", m, float(other["max"]) / KB, largest, kind))
        else:
            figures.append(Figure("median_growth", label, growth, detail, kind))
    return figures


def is_list(kind: str) -> bool:
    """Page types that list entries 50 at a time (bench_measures.page_type's names)."""
    return kind.endswith(("(liste)", "(index)", "d'un produit", "pages 2 et suivantes")) or kind in (
        "rubrique",
        "ligne de version",
        "versions d'un produit",
    )


def show(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit in ("s", "ms"):
        return f"{value:.2f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    if unit == "requêtes":
        return f"{value:.0f}"
    return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def table(figures: list[Figure], machine: dict[str, object], minutes: float) -> str:
    """One row per figure (measure, corpus size, value, budget, PASS/FAIL), its detail below."""
    header = ("Mesure", "Pages", "Valeur", "Budget", "Résultat")
    rows = [
        (
            f.label,
            str(f.pages),
            show(f.value, f.unit),
            "" if f.budget is None else "≤ " + show(f.budget, f.unit),
            f.status,
        )
        for f in figures
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    out = [
        f"Machine : {machine['cpu']}, {machine['cores']} cœurs, {machine['memory_gb']} Go ; banc : {minutes:.1f} min ; "
        "charge (1 min) pendant le banc : min {min:.1f}, médiane {median:.1f}, max {max:.1f}".format(
            **machine["load"]
        ),
        f"Code mesuré : {machine['code']} ; mkdocs {machine['versions']['mkdocs']}, "
        f"material {machine['versions']['mkdocs-material']}, pagefind {machine['versions']['pagefind']}",
        "",
        line(header),
        "  ".join("-" * width for width in widths),
    ]
    for figure, row in zip(figures, rows, strict=True):
        out.append(line(row))
        if figure.detail:
            out.append("    " + figure.detail.replace("\n", "\n    "))
    missed = [f"{f.label.strip()} ({f.status})" for f in figures if f.status in ("FAIL", "NON MESURÉ")]
    out += ["", "Hors budget : " + " ; ".join(missed) if missed else "Tous les budgets sont tenus."]
    return "\n".join(out)
