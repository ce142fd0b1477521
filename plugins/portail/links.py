"""Links to configured places in hand-written pages: ``[Déposer un ticket](portail:ticket)``.

The ticket application and the tools live at addresses each deployment configures
(mkdocs.yml); pages name them by key and the build writes the address in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .findings import Finding, Source, error

# Wherever it is written: inline or reference Markdown links, titles, raw HTML attributes.
LINK = re.compile(r"portail:([A-Za-z0-9/_.-]*[A-Za-z0-9_-])")


def link_targets(ticket_url: str, tools: Mapping[str, str]) -> dict[str, str]:
    """Keys pages may link to: ``ticket`` and ``outil/<name>``."""
    targets = {f"outil/{name}": url for name, url in tools.items()}
    if ticket_url:
        targets["ticket"] = ticket_url
    return targets


def check_links(source: str, path: str, targets: Mapping[str, str]) -> list[Finding]:
    """Every ``portail:`` link of a page's source that names no configured target."""
    findings = []
    for number, line in enumerate(source.splitlines(), start=1):
        for match in LINK.finditer(line):
            if match.group(1) not in targets:
                known = ", ".join(f"portail:{k}" for k in sorted(targets)) or "aucune"
                findings.append(
                    error(
                        Source(path, number),
                        "unknown-link-target",
                        f"lien « portail:{match.group(1)} » vers une adresse non configurée",
                        f"Utilisez une adresse configurée ({known}), ou ajoutez-la aux options du "
                        "plugin portail dans mkdocs.yml (`ticket_url`, `tools`).",
                    )
                )
    return findings


def resolve_links(markdown: str, targets: Mapping[str, str]) -> str:
    """The Markdown with each known ``portail:`` link replaced by its address."""

    return LINK.sub(lambda match: targets.get(match.group(1), match.group(0)), markdown)
