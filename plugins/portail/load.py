"""Read then check: the knowledge base and every finding about it, in one call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .check import check_knowledge_base
from .findings import Finding, has_errors, sort_findings
from .incremental import ParseCache
from .kb_links import KbLinks
from .model import KnowledgeBase
from .read import read_knowledge_base
from .yamlfile import remembered


@dataclass(frozen=True)
class Analysis:
    kb: KnowledgeBase
    findings: tuple[Finding, ...]
    links: KbLinks  # where each kb/ file is published: checked here, rewritten by the pages

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.is_error)


def analyse(
    kb_dir: Path,
    project_root: Path | None = None,
    *,
    now: datetime,
    targets: Mapping[str, str] | None = None,
    cache: ParseCache | None = None,
    memo_dir: Path | None = None,
) -> Analysis:
    """Read kb/ and run every check. Paths in findings are relative to ``project_root``;
    ``now`` is the clock of the build (relative dates of information posts); ``targets`` are
    the ``portail:`` names the site configures (None: no mkdocs.yml, only their form is
    checked); ``cache`` keeps parsed files between the rebuilds of a preview; ``memo_dir``
    keeps parsed YAML between runs (``.portail/``). The build and ``portail check`` both call
    this: one set of rules."""
    root = project_root if project_root is not None else kb_dir.parent
    with remembered(memo_dir):
        kb, findings = read_knowledge_base(kb_dir, root, now, cache)
    # Cross-object checks run on what could be read, so one run lists every problem.
    findings = findings + check_knowledge_base(kb)
    links = KbLinks(kb)
    findings += links.check(targets, lambda path: (kb_dir / path).exists())
    # An unreadable date already says the release has none: one problem, one finding.
    unreadable = {f.source for f in findings if f.code == "release-date-unreadable"}
    findings = [f for f in findings if not (f.code == "release-undated" and f.source in unreadable)]
    return Analysis(kb, tuple(sort_findings(findings)), links)
