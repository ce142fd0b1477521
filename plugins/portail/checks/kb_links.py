"""Links written in kb/ bodies: checked (``portail check`` and the build run the same rules) and
rewritten into site links when pages are generated.

A relative link is written relative to the kb/ file, the way GitLab shows the repository
(``../../documentation/pastell/4.0/manuel-admin.md#droits`` from ``faq/pastell/role.md``). It is
resolved inside kb/, never outside (kb/ is a closed box), then mapped to what that kb/ file
publishes: a page, an attached file, a listing for a folder.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote

from ..model import urls
from ..model.findings import Finding, Source, error, warning
from ..model.kb import Document, FaqArticle, InformationPost, KnowledgeBase, Release, ReleaseSection
from .markdown_links import find_links, heading_ids, portail_names
from .portail_links import is_known, unknown_target

KbObject = Document | FaqArticle | Release | InformationPost

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")  # C:\Users\…: a Windows path, not a URL scheme


def kb_file(item: KbObject) -> str:
    """The file an object was read from, relative to kb/ (``faq/pastell/role.md``). The layout
    of kb/ is fixed, so the last parts of the source path are the kb/ part whatever the project
    root; an attachment's source is its ``.yml`` card, beside the file itself."""
    parts = item.source.path.split("/")
    if isinstance(item, Document):
        depth = 4 if item.line is not None else 3
        path = "/".join(parts[-depth:])
        if item.attachment is not None:
            return posixpath.join(posixpath.dirname(path), item.attachment.file_name)
        return path
    return "/".join(parts[-2:] if isinstance(item, InformationPost) else parts[-3:])


def document_source(document: Document) -> str:
    """The virtual source of a Markdown document's page: its kb/ folder layout
    (``documentation/p/4.7/x.md``), so that Markdown renderers resolve links beside it."""
    return urls.document_url(document).rstrip("/") + ".md"


def article_source(article: FaqArticle) -> str:
    """The virtual source of an article's page, as in kb/: ``faq/<product>/<slug>.md``."""
    return f"{urls.faq_product_url(article.product)}{article.slug}.md"


def release_heading(section: ReleaseSection) -> str:
    """The ``##`` heading a release page gives a section; mirrors release.md.j2 (anchors)."""
    if section.kind.name == "OTHER" or len(section.title.split()) > 2:
        return section.title
    return section.kind.label


@dataclass(frozen=True)
class Published:
    """What a kb/ path publishes: a page or file at ``url``, rendered from ``src_uri``."""

    url: str
    src_uri: str
    what: str  # « le document « Manuel » », for messages
    markdown: Callable[[], str] | None = None  # the page's Markdown: its heading ids (anchors)


@dataclass(frozen=True)
class Body:
    """A writer's Markdown as a page shows it: ``text`` starts at line ``first_line`` of
    ``source`` (kb/ path ``kb_path``) and is shown on ``page``."""

    text: str
    source: str
    kb_path: str
    first_line: int
    page: Published


@dataclass(frozen=True)
class Resolution:
    """Where a link target leads: ``external`` (left alone), ``self`` (``#x`` only), ``outside``
    (out of kb/, ``reason`` says how) or ``kb`` (``path`` inside kb/)."""

    kind: str
    path: str = ""
    fragment: str | None = None
    query: str = ""
    reason: str = ""


def resolve(folder: str, target: str) -> Resolution:
    """A link target written in a file of kb/ folder ``folder``."""
    if not target:
        return Resolution("external")
    if _DRIVE.match(target) or (target.startswith(("/", "\\")) and not target.startswith("//")):
        return Resolution("outside", reason="chemin absolu sur le disque")
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(1).lower() == "file":
        return Resolution("outside", reason="adresse file: vers un fichier du poste")
    if scheme or target.startswith("//"):
        return Resolution("external")  # https:, mailto:, tel:, portail: (checked by name)
    rest, _, fragment = target.partition("#")
    path, _, query = rest.partition("?")
    if not path:
        return Resolution("self", fragment=fragment or None, query=query)
    # Browsers read « \ » as « / » in a link: it climbs out the same way.
    resolved = posixpath.normpath(posixpath.join(folder, unquote(path).replace("\\", "/")))
    if resolved == ".." or resolved.startswith("../"):
        return Resolution("outside", reason="il remonte au-dessus de kb/")
    return Resolution("kb", "" if resolved == "." else resolved, fragment or None, query)


def _listing(url: str, what: str) -> Published:
    """A page that lists (a kb/ folder's); its source is the folder's index page."""
    return Published(url, urls.src_uri(url), what)


class KbLinks:
    """The kb/ paths that publish something, and the rules for links between them."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.published: dict[str, Published] = {}
        self.unpublished: dict[str, str] = {}  # kb/ path -> why it publishes nothing
        self._ids: dict[str, frozenset[str]] = {}
        self._index()

    def _index(self) -> None:
        kb, add = self.kb, self.published.setdefault
        add("documentation", _listing(urls.documentation_index(), "la documentation"))
        add("faq", _listing(urls.faq_index(), "la FAQ"))
        add("releases", _listing(urls.release_notes_index(), "les notes de version"))
        add("informations", _listing(urls.informations_index(), "le fil d'information"))
        sections = {section.slug for section in kb.sections}
        for product in kb.products:
            if product.section in sections:
                add(f"documentation/{product.slug}", _listing(urls.product_url(product), product.name))
            if kb.releases_of(product):
                page = _listing(urls.release_notes_product_url(product.slug), "ses notes de version")
                add(f"releases/{product.slug}", page)
                for name in ("CHANGELOG.md", "changelog.md"):  # the names read_releases reads
                    add(f"releases/{product.slug}/{name}", page)
        for line in kb.lines:
            page = _listing(urls.line_url(line), f"la version {line.number}")
            for document in line.documents:  # a folder X.Y.Z joins its line X.Y
                add(posixpath.dirname(kb_file(document)), page)
        for document in kb.documents:
            self._add_document(document)
        for article in kb.articles:
            add(f"faq/{article.product}", _listing(urls.faq_product_url(article.product), "la FAQ"))
            add(kb_file(article), self._article(article))
        for release in kb.releases:
            if release.unpublished:
                self.unpublished[kb_file(release)] = (
                    f"la version {release.version} n'est pas publiée (unpublished)"
                )
            elif not kb_file(release).lower().endswith("changelog.md"):
                add(kb_file(release), self.release_page(release))
        for post in kb.posts:
            add(kb_file(post), self.post_page(post))

    def _add_document(self, document: Document) -> None:
        path = kb_file(document)
        url = urls.document_url(document)
        if document.attachment is not None:
            self.published[path] = Published(url, url, f"le fichier joint « {document.title} »")
            self.unpublished[path + ".yml"] = f"c'est la fiche de « {document.attachment.file_name} »"
        elif document.body is not None:
            body = document.body
            what = f"le document « {document.title} »"
            self.published[path] = Published(url, document_source(document), what, lambda: body)

    def _article(self, article: FaqArticle) -> Published:
        url = urls.article_url(article)
        body = article.body
        return Published(url, article_source(article), f"l'article « {article.title} »", lambda: body)

    def release_page(self, release: Release) -> Published:
        def page() -> str:
            # Headings as release.md.j2 writes them: ids depend on the text, not the level.
            parts = [release.intro]
            parts += [f"## {release_heading(s)}\n\n{s.body}" for s in release.sections]
            return "\n\n".join(parts)

        url = urls.release_url(release)
        return Published(url, urls.src_uri(url), f"la note de version {release.version}", page)

    def post_page(self, post: InformationPost) -> Published:
        text = post.body + ("\n\n## Mises à jour\n" if post.updates else "")
        url = urls.post_url(post)
        return Published(url, urls.src_uri(url), f"l'information « {post.title} »", lambda: text)

    # --- Bodies ---------------------------------------------------------------------------

    @cached_property
    def bodies(self) -> list[Body]:
        """Every Markdown body of kb/ that a page shows (unpublished releases show nothing)."""
        found: list[Body] = []
        for document in self.kb.documents:
            if document.body is not None:
                path = kb_file(document)
                found.append(
                    Body(document.body, document.source.path, path, document.body_line, self.published[path])
                )
        for article in self.kb.articles:
            path = kb_file(article)
            found.append(
                Body(article.body, article.source.path, path, article.body_line, self.published[path])
            )
        for release in self.kb.releases:
            if release.unpublished:
                continue
            page, path = self.release_page(release), kb_file(release)
            found.append(Body(release.intro, release.source.path, path, release.intro_line, page))
            for section in release.sections:
                found.append(Body(section.body, release.source.path, path, section.body_line, page))
        for post in self.kb.posts:
            page, path = self.post_page(post), kb_file(post)
            found.append(Body(post.body, post.source.path, path, post.body_line, page))
            for update in post.updates:
                found.append(Body(update.text, post.source.path, path, update.source.line, page))
        return found

    def epoch(self) -> tuple[tuple[str, str, str], ...]:
        """Where each kb/ path is published: all that :meth:`rewrite` reads besides the text
        it rewrites (equal epochs, equal rewrites)."""
        return tuple(sorted((path, page.url, page.src_uri) for path, page in self.published.items()))

    def ids(self, page: Published) -> frozenset[str] | None:
        """Heading ids of a Markdown page, computed once; None for a file or a listing."""
        if page.markdown is None:
            return None
        if page.url not in self._ids:
            self._ids[page.url] = heading_ids(page.markdown())
        return self._ids[page.url]

    # --- Checks ---------------------------------------------------------------------------

    def check(self, targets: Mapping[str, str] | None, exists: Callable[[str], bool]) -> list[Finding]:
        """Every finding about the links of kb/ bodies. ``targets``: the configured ``portail:``
        names (None: no configuration, only their form is checked); ``exists`` tells whether a
        kb/ path is on disk (to say « not published » rather than « missing »)."""
        findings: list[Finding] = []
        for body in self.bodies:
            findings += self._check_body(body, targets, exists)
        return findings

    def _check_body(
        self, body: Body, targets: Mapping[str, str] | None, exists: Callable[[str], bool]
    ) -> Iterator[Finding]:
        folder = posixpath.dirname(body.kb_path)
        for name, line in portail_names(body.text):
            if not is_known(name, targets):
                yield unknown_target(Source(body.source, body.first_line + line), name, targets)
        for link in find_links(body.text):
            source = Source(body.source, body.first_line + link.line)
            written = link.target
            if written.lower().startswith("portail:") and not re.match(r"portail:[A-Za-z0-9_-]", written):
                yield unknown_target(
                    source, written[len("portail:") :], targets
                )  # no name, or « Portail: »: never resolved
                continue
            resolution = resolve(folder, written)
            if resolution.kind == "outside":
                yield error(
                    source,
                    "link-outside-kb",
                    f"lien « {written} » hors de la base de connaissances ({resolution.reason}) : "
                    "le site ne publie que kb/",
                    "Liez un fichier de kb/ par un chemin relatif au fichier (comme dans GitLab), "
                    "ou un site par son adresse complète (https://…).",
                )
            elif resolution.kind == "self" and resolution.fragment:
                yield from self._check_anchor(source, written, resolution.fragment, body.page)
            elif resolution.kind == "kb":
                page = self.published.get(resolution.path)
                if page is None:
                    yield self._broken(source, written, resolution.path, body, exists)
                elif resolution.fragment:
                    yield from self._check_anchor(source, written, resolution.fragment, page)

    def _broken(
        self, source: Source, written: str, path: str, body: Body, exists: Callable[[str], bool]
    ) -> Finding:
        prefix = body.source[: len(body.source) - len(body.kb_path)]
        shown = f"{prefix}{path}" if path else prefix.rstrip("/") + "/"
        if path in self.unpublished or (path and exists(path)):
            why = self.unpublished.get(path, "aucune page ni aucun fichier du site n'en est tiré")
            message = f"lien « {written} » vers {shown}, qui n'est pas publié : {why}"
        else:
            message = f"lien « {written} » vers {shown}, introuvable"
        close = difflib.get_close_matches(path, list(self.published), n=1, cutoff=0.6)
        if close:
            folder = posixpath.dirname(body.kb_path)
            suggestion = posixpath.relpath(close[0], folder or ".")
            fix = f"Vouliez-vous dire « {suggestion} » ? Le chemin est relatif au fichier, comme dans GitLab."
        else:
            fix = "Corrigez le chemin (relatif au fichier, comme dans GitLab), ou ajoutez le fichier à kb/."
        return error(source, "broken-link", message, fix)

    def _check_anchor(
        self, source: Source, written: str, fragment: str, page: Published
    ) -> Iterator[Finding]:
        ids = self.ids(page)
        if ids is None or unquote(fragment) in ids:
            return
        # A warning, not an error: the link still reaches its page (readers land at the top),
        # and a heading renamed in one page must not stop an urgent publication elsewhere; the
        # strict build of publication still fails on it.
        close = difflib.get_close_matches(unquote(fragment), sorted(ids), n=1, cutoff=0.5)
        hint = f"Vouliez-vous dire « #{close[0]} » ? " if close else ""
        yield warning(
            source,
            "broken-anchor",
            f"lien « {written} » : pas d'ancre « #{fragment} » dans {page.what}",
            f"{hint}L'ancre d'un titre s'écrit en minuscules, sans accents ni ponctuation, les espaces "
            "remplacées par des tirets (« ## Droits d'accès » → #droits-dacces).",
        )

    # --- Rewriting ------------------------------------------------------------------------

    def rewrite(self, text: str, item: KbObject, page_url: str, page_src: str, html: bool = False) -> str:
        """``text`` (a body of ``item``) with each valid kb/ link made a link of the page at
        ``page_url`` (virtual source ``page_src``). A Markdown link points at the target's
        virtual source, which Markdown renderers resolve into its address (and check); an HTML
        attribute, or a text rendered to HTML before the site (``html``), gets the address."""
        folder = posixpath.dirname(kb_file(item))
        out, last = [], 0
        for link in find_links(text):
            resolution = resolve(folder, link.target)
            page = self.published.get(resolution.path) if resolution.kind == "kb" else None
            if page is None:
                continue  # left as written: absolute, self, or reported by the check
            if html or link.raw_html:
                address = urls.relative(page_url, page.url)
            else:
                address = urls.relative(page_src, page.src_uri)
            if resolution.query:
                address += f"?{resolution.query}"
            if resolution.fragment:
                address += f"#{resolution.fragment}"
            if not link.raw_html and re.search(r"[\s()<>]", address):
                address = f"<{address}>"
            out += [text[last : link.start], address]
            last = link.end
        return "".join(out) + text[last:]
