"""The writers' guide (issue 12, point 9): the registry of finding codes never drifts from the
source, and the guide page lists them, outside the navigation and the search."""

from __future__ import annotations

import ast
import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, mkdocs_build
from portail.checks.codes import CODES, README_END, README_START, readme_table
from portail.pages.guide import GUIDE_URL
from sitehtml import content, page, resolves, text

PACKAGE = ROOT / "plugins" / "portail"

# Finding codes written in the package's source, read with ``ast``: every literal passed as the
# code of ``error()``, ``warning()`` or ``Finding()``, followed through the helpers that pass
# their own parameter on (``add(code, …)``, ``symlink_finding(source, *problem)`` whose tuple
# comes from ``symlink_problem``); a code the reader cannot follow fails the test.


@dataclass(frozen=True)
class Emitter:
    """A function whose argument ``position`` (or keyword ``keyword``) is a finding code."""

    name: str
    position: int
    keyword: str
    severity: str | None  # "error", "warning", or None: read from the call (Finding)
    module: Path | None  # None: the factories of findings.py, called anywhere


@dataclass
class Collected:
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # code -> severities
    places: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # code -> file:line
    unresolved: list[str] = field(default_factory=list)  # call sites whose code cannot be read
    compared: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # `.code == "x"`


class _Parents(ast.NodeVisitor):
    def __init__(self) -> None:
        self.function: dict[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef | None] = {}
        self.stack: list[ast.FunctionDef | ast.AsyncFunctionDef] = []

    def generic_visit(self, node: ast.AST) -> None:
        self.function[node] = self.stack[-1] if self.stack else None
        is_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        if is_function:
            self.stack.append(node)  # type: ignore[arg-type]
        super().generic_visit(node)
        if is_function:
            self.stack.pop()


def _imports(tree: ast.Module) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def collect(package: Path) -> Collected:
    modules = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        parents = _Parents()
        parents.visit(tree)
        modules[path] = (tree, parents.function, _imports(tree))
    emitters = {
        Emitter("error", 1, "code", "error", None),
        Emitter("warning", 1, "code", "warning", None),
        Emitter("Finding", 1, "code", None, None),
    }
    done: set[Emitter] = set()
    found = Collected()
    while pending := emitters - done:
        emitter = pending.pop()
        done.add(emitter)
        for path, (tree, function_of, imported) in modules.items():
            if emitter.module is not None and path != emitter.module and emitter.name not in imported:
                continue
            if emitter.module is None and path.name == "findings.py":
                continue  # the factories themselves
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                if not _calls(call, emitter):
                    continue
                where = f"{path.relative_to(package.parent).as_posix()}:{call.lineno}"
                severity = emitter.severity or _finding_severity(call)
                for expr in _code_expressions(call, emitter, function_of, modules, where, found):
                    _resolve(expr, severity, where, function_of, path, emitters, found)
    for path, (tree, _, _) in modules.items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "code"
            ):
                for comparator in node.comparators:
                    for const in ast.walk(comparator):
                        if isinstance(const, ast.Constant) and isinstance(const.value, str):
                            found.compared[const.value].append(f"{path.name}:{node.lineno}")
    return found


def _calls(call: ast.Call, emitter: Emitter) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == emitter.name
    if isinstance(func, ast.Attribute) and func.attr == emitter.name:
        # findings.error(…), or self.helper(…) for a method helper; never log.warning(…)
        return (isinstance(func.value, ast.Name) and func.value.id in ("findings", "self", "cls")) and (
            emitter.module is not None or func.value.id == "findings"
        )
    return False


def _finding_severity(call: ast.Call) -> str | None:
    arg = (
        call.args[2]
        if len(call.args) > 2
        else next((k.value for k in call.keywords if k.arg == "severity"), None)
    )
    if isinstance(arg, ast.Attribute) and arg.attr in ("ERROR", "WARNING"):
        return arg.attr.lower()
    return None


def _code_expressions(call, emitter, function_of, modules, where, found):
    """The expressions that give the call's code: its argument, or the tuple elements a
    splatted variable was assigned from (``problem = symlink_problem(…)``; ``f(x, *problem)``)."""
    for keyword in call.keywords:
        if keyword.arg == emitter.keyword:
            return [keyword.value]
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred) and index <= emitter.position:
            offset = emitter.position - index
            return _splatted(arg.value, offset, call, function_of, modules, where, found)
    if len(call.args) > emitter.position:
        return [call.args[emitter.position]]
    found.unresolved.append(f"{where}: appel sans code lisible")
    return []


def _splatted(value, offset, call, function_of, modules, where, found):
    function = function_of.get(call)
    callee = None
    if isinstance(value, ast.Name) and function is not None:
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == value.id for t in node.targets)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
            ):
                callee = node.value.func.id
    if callee is None:
        found.unresolved.append(f"{where}: code passé par *{ast.unparse(value)}")
        return []
    elements = []
    for tree, _, _ in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == callee:
                for ret in (n for n in ast.walk(node) if isinstance(n, ast.Return)):
                    if isinstance(ret.value, ast.Tuple) and len(ret.value.elts) > offset:
                        elements.append(ret.value.elts[offset])
                    elif not (isinstance(ret.value, ast.Constant) and ret.value.value is None):
                        found.unresolved.append(f"{where}: {callee}() rend autre chose qu'un tuple")
    return elements


def _module_constant(path: Path, name: str) -> ast.expr | None:
    """The value of a module-level ``NAME = "code"`` (or ``NAME: str = "code"``) of ``path``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and isinstance(
            node.value, ast.Constant
        ):
            return node.value
    return None


def _resolve(expr, severity, where, function_of, path, emitters, found):
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        found.codes[expr.value].add(severity or "?")
        found.places[expr.value].append(where)
        return
    if isinstance(expr, ast.IfExp):
        _resolve(expr.body, severity, where, function_of, path, emitters, found)
        _resolve(expr.orelse, severity, where, function_of, path, emitters, found)
        return
    if isinstance(expr, ast.Name) and (constant := _module_constant(path, expr.id)) is not None:
        _resolve(constant, severity, where, function_of, path, emitters, found)
        return
    function = function_of.get(expr)
    if isinstance(expr, ast.Name) and function is not None:
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if expr.id in params:
            position = params.index(expr.id)
            if params and params[0] in ("self", "cls"):
                position -= 1
            emitters.add(Emitter(function.name, position, expr.id, severity, path))
            return
    found.unresolved.append(f"{where}: code « {ast.unparse(expr)} » qui n'est pas un texte littéral")


# --- The registry ---


def test_registry_matches_every_code_in_the_source() -> None:
    found = collect(PACKAGE)
    assert not found.unresolved, (
        "Codes de constats que le test ne sait pas lire (écrivez le code en texte littéral dans "
        "l'appel à error()/warning()/Finding(), ou dans un paramètre transmis tel quel) :\n  "
        + "\n  ".join(found.unresolved)
    )
    missing = sorted(set(found.codes) - set(CODES))
    extra = sorted(set(CODES) - set(found.codes))
    problems = []
    if missing:
        problems.append(
            "Codes absents de plugins/portail/checks/codes.py (ajoutez une ligne _c(code, gravité, cause, "
            "fichiers) puis `python -m portail.checks.codes kb/README.md`) :\n"
            + "\n".join(
                f"  {code} ({'/'.join(sorted(found.codes[code]))}, {', '.join(found.places[code])})"
                for code in missing
            )
        )
    if extra:
        problems.append(
            "Codes de plugins/portail/checks/codes.py qu'aucun module ne produit plus :\n"
            + "\n".join(f"  {code}" for code in extra)
        )
    for code in sorted(set(found.codes) & set(CODES)):
        registered = {s.value for s in CODES[code].severities}
        if found.codes[code] != registered:
            problems.append(
                f"Gravité de {code} : source {sorted(found.codes[code])}, registre {sorted(registered)}"
            )
    assert not problems, "\n".join(problems)


def test_codes_compared_in_the_source_are_registered() -> None:
    unknown = {code: places for code, places in collect(PACKAGE).compared.items() if code not in CODES}
    assert not unknown, f"Codes comparés (f.code == …) absents du registre : {unknown}"


def test_the_collector_follows_helpers_and_splats(tmp_path: Path) -> None:
    """The reader sees codes however the package passes them on, and refuses what it cannot read."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "findings.py").write_text("def error(source, code, message, fix): ...\n")
    (package / "a.py").write_text(
        "from .findings import error, warning\n"
        "def problem(x):\n"
        "    if x:\n"
        "        return 'code-from-tuple', 'message'\n"
        "    return None\n"
        "def helper(source, code, message):\n"
        "    return error(source, code, message, 'fix')\n"
        "def f(s, x):\n"
        "    add = lambda: None\n"
        "    p = problem(x)\n"
        "    helper(s, *p)\n"
        "    helper(s, 'code-through-helper', 'm')\n"
        "    warning(s, 'a' if x else 'b', 'm', 'f')\n"
        "    warning(s, 'dynamic-' + x, 'm', 'f')\n"
        "    log.warning('not a finding %s', x)\n"
    )
    found = collect(package)
    assert set(found.codes) == {"code-from-tuple", "code-through-helper", "a", "b"}
    assert found.codes["a"] == {"warning"} and found.codes["code-from-tuple"] == {"error"}
    assert len(found.unresolved) == 1 and "dynamic-" in found.unresolved[0]


def test_readme_table_is_the_registry() -> None:
    readme = (ROOT / "kb" / "README.md").read_text(encoding="utf-8")
    assert README_START in readme and README_END in readme
    table = readme[readme.index(README_START) + len(README_START) : readme.index(README_END)].strip()
    assert table == readme_table(), (
        "kb/README.md : la table des codes n'est plus celle de codes.py ; "
        "régénérez-la avec `.venv/bin/python -m portail.checks.codes kb/README.md`."
    )


# --- The guide page ---


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo built with the guide asked for (``writers_guide: true``), as an internal build."""
    project = copy_project(tmp_path_factory.mktemp("guide") / "project")
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "portail" in plugin:
            plugin["portail"]["writers_guide"] = True
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    site = project / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.output
    return site


def test_guide_lists_every_registered_code(guide_site: Path) -> None:
    article = content(page(guide_site, GUIDE_URL))
    listed = {tag["id"].removeprefix("code-") for tag in article.select("code[id^=code-]")}
    assert listed == set(CODES)
    body = text(article)
    for entry in CODES.values():
        assert entry.cause in body, entry.code
    for command in (
        "portail new release",
        "portail new faq",
        "portail new info",
        "portail new update",
        "--write-baseline",
    ):
        assert command in body


def test_guide_examples_exist_in_the_site(guide_site: Path) -> None:
    soup = page(guide_site, GUIDE_URL)
    examples = soup.select("a.portail-guide-example")
    assert len(examples) >= 15
    for link in examples:
        target = "/" + (Path("/" + GUIDE_URL) / link["href"]).as_posix().lstrip("/")
        path = Path(target).resolve().as_posix()  # ../x/ -> /x
        assert resolves(guide_site, path + ("/" if link["href"].endswith("/") else "")), link
        assert text(link) == "/" + path.lstrip("/") + (
            "/" if link["href"].endswith("/") and path != "/" else ""
        ), link


def test_guide_is_outside_navigation_and_search(guide_site: Path) -> None:
    soup = page(guide_site, GUIDE_URL)
    robots = soup.select_one('meta[name="robots"]')
    assert robots is not None and robots["content"] == "noindex"
    assert soup.select_one("[data-pagefind-body]") is None  # Pagefind indexes marked pages only
    assert soup.select_one("article [data-pagefind-ignore]") is not None
    for url in (GUIDE_URL, "", "faq/"):
        nav = page(guide_site, url).select_one("nav.md-nav--primary")
        assert nav is not None and "guide-redaction" not in str(nav) and "Guide de rédaction" not in text(nav)
    # No page of the site links to it, and the search bundle does not know it.
    for html in guide_site.rglob("*.html"):
        if html.parent.name != GUIDE_URL.strip("/"):
            assert "guide-redaction" not in html.read_text(encoding="utf-8"), html
    fragments = list((guide_site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        assert "guide-redaction" not in record["url"]
        assert "Guide de rédaction" not in record.get("meta", {}).get("title", "")


def test_guide_is_not_published_by_default(demo_site: Path) -> None:
    assert not (demo_site / GUIDE_URL).exists()
    assert "guide-redaction" not in (demo_site / "sitemap.xml").read_text(encoding="utf-8")
