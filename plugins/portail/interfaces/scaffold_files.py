"""What every ``portail new`` command shares: texts from a terminal taken as text, the clock,
the model, paths kept inside kb/, files written, then kb/ read and checked again (a file that
brings a new error is taken back: restored or removed)."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.clock import build_time, in_paris

if TYPE_CHECKING:
    from ..checks.analyse import Analysis
    from ..model.kb import Product

MAX_TITLE = 200  # characters of a title
MAX_TEXT = 1000  # characters of an update's text
MAX_SLUG = 80  # characters of a file name made from a title
INFO_TYPES = {"intervention": "intervention", "incident": "incident", "actualite": "information"}
TODO = "À compléter"


class ScaffoldError(Exception):
    """A refusal, in French, for the writer; nothing was written."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


# ----------------------------------------------------------------------------------------------
# shared: text, clock, model, paths, writing


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def clean_text(value: str, what: str, limit: int) -> str:
    """One line of text from the terminal: control characters refused, line breaks and runs of
    spaces made single spaces, at most ``limit`` characters."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            raise ScaffoldError(f"{what} n'est pas du texte UTF-8 valide.")
        if category == "Cc" and char not in "\t\n\r":
            raise ScaffoldError(
                f"{what} contient un caractère de contrôle invisible (U+{ord(char):04X}) : retirez-le."
            )
    text = " ".join(value.split())
    if not text:
        raise ScaffoldError(f"{what} est vide.")
    if len(text) > limit:
        raise ScaffoldError(f"{what} fait {len(text)} caractères : {limit} au plus.")
    return text


def markdown_text(text: str) -> str:
    """``text`` as literal text inside a Markdown line: HTML and Markdown syntax escaped, so
    that « <script> » or « [lien](…) » reads as written."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]{}])", r"\\\1", text)


def now_paris() -> datetime:
    """The build clock (``PORTAIL_NOW`` in tests), to the minute."""
    return in_paris(build_time(os.environ)).replace(second=0, microsecond=0)


def local_moment(moment: datetime) -> str:
    """« 2026-05-10 14:24 » in Europe/Paris, as the writers' guide writes times."""
    local = in_paris(moment)
    return f"{local:%Y-%m-%d %H:%M}" + (f":{local.second:02d}" if local.second else "")


def analyse_kb(kb_dir: Path) -> Analysis:
    from ..checks.analyse import analyse

    return analyse(kb_dir, Path.cwd(), now=build_time(os.environ))


def find_product(analysis: Analysis, name: str) -> Product:
    from ..model.kb import guess_product

    products = analysis.kb.products
    for product in products:
        if name == product.slug:
            return product
    for product in products:
        if name.casefold() in {product.name.casefold(), *(a.casefold() for a in product.aliases)}:
            return product
    guess = guess_product(name, products)
    hint = f" Vouliez-vous dire « {guess} » ?" if guess else ""
    known = ", ".join(p.slug for p in products)
    raise ScaffoldError(f"produit inconnu « {name} » (produits connus : {known}).{hint}")


def front_matter(data: dict[str, Any], body: str) -> str:
    """A Markdown file: ``data`` dumped by ``yaml.safe_dump`` (any text stays text), then ``body``."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    # Lists on one line, as the writers' guide writes them: `products: [s2low, pastell]`.
    Dumper.add_representer(
        list, lambda dumper, value: dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)
    )
    dumped = yaml.dump(
        data, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100_000
    )
    return f"---\n{dumped}---\n\n{body}"


def slug_from_title(title: str) -> str:
    from ..model.urls import slugify

    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    if not slug:
        raise ScaffoldError(
            f"le titre « {title} » ne donne aucun nom de fichier (lettres ou chiffres latins) : reformulez-le."
        )
    return slug


def inside(path: Path, folder: Path) -> bool:
    """``path`` (resolved, links followed) is ``folder`` (resolved) or below it."""
    return path == folder or folder in path.parents


def kb_folder(kb_dir: Path, *parts: str) -> Path:
    """``kb/<parts>``, created if needed; refused when it (or a link on the way) leads out of kb/."""
    root = kb_dir.resolve()
    folder = kb_dir.joinpath(*parts)
    current = kb_dir
    for part in parts:
        current = current / part
        if current.is_symlink() or current.exists():
            if not inside(current.resolve(), root):
                raise ScaffoldError(f"« {shown(current)} » mène hors de {shown(kb_dir)}/ : rien n'est écrit.")
            if not current.resolve().is_dir():
                raise ScaffoldError(f"« {shown(current)} » n'est pas un dossier.")
        else:
            current.mkdir()
    return folder.resolve()


def shown(path: Path) -> str:
    from ..model.findings import relative_to

    return relative_to(path, Path.cwd())


def site_address(url: str) -> str:
    return "/" + url


@dataclass(frozen=True)
class Written:
    """What one command wrote: the file and its text before (None: the file is new)."""

    path: Path  # resolved, inside kb/
    before: str | None


def create_file(path: Path, text: str) -> Written:
    """A new file; never replaces one (nor follows a link put there meanwhile)."""
    try:
        with open(path, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"« {shown(path)} » existe déjà : rien n'est écrit.") from None
    except OSError as problem:
        raise ScaffoldError(f"impossible d'écrire {shown(path)} ({problem.strerror or problem}).") from None
    return Written(path, None)


def read_kb_file(path: Path, kb_dir: Path) -> tuple[Path, str]:
    """An existing regular file of kb/ (links resolved, staying inside kb/) and its text."""
    real = Path(os.path.realpath(path))
    if not inside(real, kb_dir.resolve()):
        raise ScaffoldError(f"« {path} » est hors de {shown(kb_dir)}/ : il n'est pas ouvert.")
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as problem:
        raise ScaffoldError(f"impossible d'ouvrir {shown(real)} ({problem.strerror or problem}).") from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ScaffoldError(f"« {shown(real)} » n'est pas un fichier ordinaire.")
        data = handle.read()
    try:
        return real, data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScaffoldError(f"« {shown(real)} » n'est pas en UTF-8 : corrigez-le d'abord.") from None


def replace_file(path: Path, before: str, text: str) -> Written:
    """``path`` (resolved, inside kb/) rewritten at once: the old text or the new, never half."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, prefix=".portail-", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except OSError as problem:
        Path(handle.name).unlink(missing_ok=True)
        raise ScaffoldError(f"impossible d'écrire {shown(path)} ({problem.strerror or problem}).") from None
    return Written(path, before)


def _file_findings(analysis: Analysis, path: Path) -> list[Any]:
    root = Path.cwd()
    return [f for f in analysis.findings if (root / f.source.path).resolve() == path]


def verify(kb_dir: Path, before: Analysis, written: Written) -> Analysis:
    """Read and check kb/ again: a new error in the written file takes the write back."""
    after = analyse_kb(kb_dir)
    known = [(f.code, f.message) for f in _file_findings(before, written.path)]
    new = []
    for finding in _file_findings(after, written.path):
        key = (finding.code, finding.message)
        if key in known:
            known.remove(key)
        else:
            new.append(finding)
    errors = [f for f in new if f.is_error]
    if errors:
        if written.before is None:
            written.path.unlink(missing_ok=True)
        else:
            replace_file(written.path, written.before, written.before)
        details = "\n".join(f.format() for f in errors)
        raise ScaffoldError(f"le fichier n'aurait pas passé la vérification, rien n'est écrit :\n{details}")
    for finding in new:
        print(f"À noter : {finding.format()}")
    return after


def report(path: Path, url: str, what: str, hint: str = "") -> None:
    print(f"{what} : {shown(path)}")
    print(f"Adresse sur le site : {site_address(url)}")
    if hint:
        print(hint)


def model_item(items: Any, path: Path) -> Any:
    """The model object read from ``path`` (posts, articles), None when it could not be read."""
    root = Path.cwd()
    return next((item for item in items if (root / item.source.path).resolve() == path), None)
