"""Read then check: the knowledge base and every finding about it, in one call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..model.findings import Finding, has_errors, sort_findings
from ..model.kb import KnowledgeBase
from ..reading.incremental import ParseCache
from ..reading.knowledge_base import read_knowledge_base
from ..reading.yamlfile import remembered
from .baseline import OWN_CODES, Baseline, apply_baseline, read_baseline
from .consistency import check_knowledge_base
from .kb_links import KbLinks


@dataclass(frozen=True)
class Analysis:
    kb: KnowledgeBase
    findings: tuple[Finding, ...]
    links: KbLinks  # where each kb/ file is published: checked here, rewritten by the pages
    # Findings that kb/portail-baseline.yml acknowledges: left out of ``findings``, counted.
    acknowledged: tuple[Finding, ...] = ()
    baseline_file: str = ""  # the baseline file as writers see it
    baseline_history: str = ""  # the folder whose findings the baseline may acknowledge

    @property
    def recorded(self) -> tuple[Finding, ...]:
        """What ``portail check --write-baseline`` writes: every finding of the history
        (release notes and changelogs), acknowledged or not, but those about the baseline."""
        return tuple(sort_findings(f for f in (*self.findings, *self.acknowledged) if self._history(f)))

    @property
    def unacknowledgeable(self) -> tuple[Finding, ...]:
        """Findings outside the history: a baseline never holds them, writers fix them."""
        return tuple(f for f in self.findings if not self._history(f) and f.source.path != self.baseline_file)

    def _history(self, finding: Finding) -> bool:
        return finding.code not in OWN_CODES and finding.source.path.startswith(self.baseline_history)

    @property
    def acknowledged_note(self) -> str:
        """The one line that counts the acknowledged findings (empty when there are none)."""
        if not self.acknowledged:
            return ""
        return f"{len(self.acknowledged)} constat(s) reconnu(s) dans {self.baseline_file}"

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
    this: one set of rules, and one baseline (``kb/portail-baseline.yml``, baseline.py)."""
    root = project_root if project_root is not None else kb_dir.parent
    with remembered(memo_dir):
        kb, findings = read_knowledge_base(kb_dir, root, now, cache)
        baseline: Baseline = read_baseline(kb_dir, root)
    # Cross-object checks run on what could be read, so one run lists every problem.
    findings = findings + check_knowledge_base(kb, now)
    links = KbLinks(kb)
    findings += links.check(targets, lambda path: (kb_dir / path).exists())
    # An unreadable date already says the release has none: one problem, one finding.
    unreadable = {f.source for f in findings if f.code == "release-date-unreadable"}
    findings = [f for f in findings if not (f.code == "release-undated" and f.source in unreadable)]
    # Acknowledged findings (history nobody will rewrite) are counted, not reported: the
    # build and `portail check` fail on new ones only.
    applied = apply_baseline(findings, baseline)
    return Analysis(
        kb,
        tuple(sort_findings(applied.reported)),
        links,
        tuple(sort_findings(applied.acknowledged)),
        baseline.path,
        baseline.history,
    )
