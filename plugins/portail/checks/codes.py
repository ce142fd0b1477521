"""The registry of finding codes: every code the checks can give, with its severity, a short
French cause and the kind of file it concerns.

The writers' guide (``pages_guide``) and kb/README.md list the codes from here;
tests/test_writers_guide.py reads the package's source with ``ast`` and fails when a code is
written there and not here, or the reverse, or with another severity: the list cannot drift.
Causes are plain text (no Markdown): pages escape them like any other value.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ..model.findings import Severity

E, W = Severity.ERROR, Severity.WARNING

# The kinds of file a finding concerns, in the order the guide groups them, with their label.
FILE_KINDS: dict[str, str] = {
    "catalogue": "Catalogue (catalogue.yml)",
    "documentation": "Documentation (documentation/ : documents, fichiers joints et fiches .yml)",
    "faq": "Foire aux questions (faq/)",
    "releases": "Notes de version (releases/ : fichiers X.Y.Z.md et CHANGELOG.md)",
    "informations": "Informations en direct (informations/)",
    "texts": "Texte des contenus (documents, articles, notes de version, informations)",
    "files": "Tout fichier ou dossier de kb/ (et de docs/)",
    "docs": "Pages rédigées (docs/)",
    "baseline": "Constats reconnus (portail-baseline.yml)",
    "synonyms": "Synonymes de la recherche (synonymes.yml)",
}


@dataclass(frozen=True)
class Code:
    code: str
    severities: tuple[Severity, ...]  # the first is the usual one
    cause: str  # short, French, plain text
    files: tuple[str, ...]  # keys of FILE_KINDS, the main one first
    note: str = ""  # when the severity depends on where (« erreur au premier niveau du catalogue »)

    @property
    def severity_label(self) -> str:
        label = ", ".join(s.label for s in self.severities)
        return f"{label} ({self.note})" if self.note else label

    @property
    def files_label(self) -> str:
        return ", ".join(FILE_KINDS[kind].split(" (")[0] for kind in self.files)


def _c(code: str, severity: Severity | tuple[Severity, ...], cause: str, *files: str, note: str = "") -> Code:
    severities = severity if isinstance(severity, tuple) else (severity,)
    return Code(code, severities, cause, files, note)


_CODES = (
    # Reading files, any part of kb/
    _c("yaml-syntax", E, "fichier YAML (catalogue, fiche) illisible", "catalogue", "documentation", "synonyms"),
    _c("front-matter-syntax", E, "en-tête --- d'un fichier Markdown illisible ou non fermé", "texts"),
    _c("missing-field", E, "champ obligatoire absent (title…)", "files"),
    _c("invalid-field", E, "valeur invalide (type inconnu, date mal écrite…)", "files"),
    _c(
        "unknown-field",
        (W, E),
        "clé inconnue (souvent une faute de frappe : « titre » pour « title »)",
        "files",
        "catalogue",
        note="erreur au premier niveau du catalogue",
    ),
    _c("encoding", E, "fichier qui n'est pas en UTF-8", "files"),
    _c(
        "control-character",
        E,
        "caractère de contrôle invisible (NUL, saut de page, séquence ANSI…) : fichier non publié",
        "files",
    ),
    _c(
        "symlink-outside",
        E,
        "lien symbolique vers l'extérieur de kb/ (ou de docs/) : jamais suivi",
        "files",
        "docs",
    ),
    _c("symlink-broken", E, "lien symbolique cassé : jamais suivi", "files", "docs"),
    _c("symlink-loop", E, "lien symbolique en boucle : jamais suivi", "files", "docs"),
    _c("unreadable", E, "fichier ou dossier illisible (droits)", "files"),
    _c("special-file", E, "tube, socket ou autre fichier spécial dans kb/", "files"),
    _c(
        "nested-folder",
        E,
        "sous-dossier là où il n'en faut pas (dossier de version, produit de la FAQ)",
        "documentation",
        "faq",
    ),
    _c(
        "unknown-product",
        E,
        "produit qui n'est pas dans le catalogue (dossier de documentation/, de faq/, champ products:)",
        "documentation",
        "faq",
        "informations",
    ),
    _c(
        "duplicate-url",
        E,
        "deux contenus à la même adresse (noms qui ne diffèrent que par les majuscules, accents ou espaces)",
        "files",
    ),
    # Catalogue
    _c("missing-catalogue", E, "catalogue absent", "catalogue"),
    _c("catalogue-structure", E, "catalogue mal structuré", "catalogue"),
    _c("empty-catalogue", E, "catalogue vide ou sans rubriques", "catalogue"),
    _c("duplicate-slug", E, "identifiant en double dans le catalogue", "catalogue"),
    _c("ambiguous-alias", E, "alias qui désigne deux produits du catalogue", "catalogue"),
    _c(
        "numbering-restart",
        W,
        "numérotation repartie plus bas sans numbering_restarts dans le catalogue",
        "releases",
        "catalogue",
    ),
    _c("numbering-restart-unknown", E, "numbering_restarts qui ne nomme aucune note de version", "catalogue"),
    _c(
        "numbering-restart-without-drop",
        W,
        "numbering_restarts sur une version où les numéros ne redescendent pas",
        "catalogue",
    ),
    # Documentation
    _c("misplaced-file", E, "fichier directement dans documentation/", "documentation"),
    _c("version-folder-name", E, "dossier de version qui n'est pas X.Y ni X.Y.Z", "documentation"),
    _c("attachment-without-title", E, "fichier joint sans fiche .yml", "documentation"),
    _c("orphan-sidecar", E, "fiche .yml sans son fichier joint", "documentation"),
    _c("sidecar-structure", E, "fiche qui n'est pas une liste « clé: valeur »", "documentation"),
    _c("empty-sidecar", E, "fiche .yml vide (ou seulement des commentaires)", "documentation"),
    _c(
        "doc-line-without-release",
        E,
        "dossier de documentation X.Y sans note de version dans cette ligne",
        "documentation",
    ),
    _c(
        "unknown-version",
        E,
        "version citée (article, dossier X.Y.Z) sans note de version",
        "documentation",
        "faq",
    ),
    # FAQ
    _c("faq-not-markdown", E, "fichier autre que .md dans la FAQ", "faq"),
    _c("invalid-version", E, "version illisible dans versions: d'un article", "faq"),
    _c(
        "git-shallow",
        W,
        "clone git partiel (GIT_DEPTH par défaut de GitLab CI) : des dates « Mis à jour le » seraient celles du plus ancien commit récupéré ; GIT_DEPTH: 0 dans le pipeline",
        "files",
    ),
    _c(
        "tags-not-a-list",
        W,
        "tags: écrit comme un seul texte (tags: rôles, droits) : lu comme deux mots-clés, à écrire [rôles, droits]",
        "faq",
    ),
    # Release notes
    _c("release-file-name", E, "fichier de releases/ qui n'est ni X.Y.Z.md ni CHANGELOG.md", "releases"),
    _c("release-version-invalid", E, "numéro de version illisible", "releases"),
    _c("release-version-mismatch", E, "numéro de version différent du nom du fichier", "releases"),
    _c(
        "release-file-several-versions", E, "titre de version dans le fichier d'une autre version", "releases"
    ),
    _c(
        "changelog-version-invalid",
        E,
        "titre de version illisible dans un CHANGELOG.md (zéro initial, cinq nombres…) : son texte n'est pas publié",
        "releases",
    ),
    _c("release-date-unreadable", E, "date de version illisible (2024-??-??)", "releases"),
    _c("version-two-parts", W, "version écrite 4.1 au lieu de 4.1.0", "releases"),
    _c("version-one-part", W, "titre de version « 12 » : publié comme 12.0.0, à récrire X.Y.Z", "releases"),
    _c(
        "version-zero-padded",
        W,
        "titre de version « 15.01 » : publié comme 15.1.0, à récrire X.Y.Z",
        "releases",
    ),
    _c(
        "version-four-parts", W, "titre de version « 1.2.3.4 » : publié tel quel, à récrire X.Y.Z", "releases"
    ),
    _c(
        "version-prefixed",
        W,
        "titre de version « (Servlet)10.8.3 » : publié comme 10.8.3, à récrire X.Y.Z",
        "releases",
    ),
    _c(
        "changelog-section-unknown",
        W,
        "section de note de version non reconnue : publiée sous « Autres informations »",
        "releases",
    ),
    _c(
        "changelog-section-approximate",
        W,
        "nom de section mal orthographié (« Corections ») : publié sous la section la plus proche",
        "releases",
    ),
    _c("changelog-fence-unclosed", W, "bloc de code jamais fermé dans un CHANGELOG.md", "releases"),
    _c(
        "duplicate-version",
        E,
        "version décrite deux fois (deux fichiers, ou fichier et CHANGELOG.md)",
        "releases",
    ),
    _c(
        "release-kind-too-small",
        E,
        "section réservée à un type de version plus élevé (Incompatibilités ou Prérequis hors version "
        "majeure, Retraits dans une version corrective)",
        "releases",
    ),
    _c("declared-kind-mismatch", E, "kind: contredit le numéro de la version", "releases"),
    _c("major-without-migration", W, "version majeure sans section Migration ou Prérequis", "releases"),
    _c("release-undated", E, "version publiée sans date", "releases"),
    _c(
        "release-future-date",
        W,
        "version datée après le jour de la construction du site : listée, mais « dernière version » "
        "seulement à partir de sa date (ou unpublished: true jusqu'à sa sortie)",
        "releases",
    ),
    _c(
        "release-empty",
        E,
        "note de version publiée sans aucun texte (ni introduction, ni section)",
        "releases",
    ),
    _c("line-date-order", W, "dans une ligne X.Y, version datée avant une version inférieure", "releases"),
    _c("line-gap", W, "numéro sauté dans une ligne (4.7.9 puis 4.7.11)", "releases"),
    _c(
        "version-date-order",
        W,
        "version datée après une version supérieure d'une autre ligne, sans que sa ligne soit maintenue",
        "releases",
    ),
    # Information posts
    _c("information-not-markdown", E, "fichier autre que .md dans informations/", "informations"),
    _c(
        "information-date-unreadable",
        E,
        "date et heure illisible dans l'en-tête d'une information",
        "informations",
    ),
    _c("intervention-missing-time", E, "intervention sans début ou sans fin prévus", "informations"),
    _c("end-before-start", E, "fin (prévue ou réelle) d'une intervention avant son début", "informations"),
    _c("resolved-before-published", E, "incident résolu avant sa publication", "informations"),
    _c("expires-before-published", E, "information qui expire avant sa publication", "informations"),
    _c(
        "information-update-unreadable",
        E,
        "ligne de la section « Mises à jour » qui n'est pas « - <date> : <texte> »",
        "informations",
    ),
    _c("update-before-published", W, "mise à jour datée avant la publication", "informations"),
    _c(
        "information-update-time-missing",
        E,
        "mise à jour datée sans heure (- 2026-05-12 : …) : non publiée plutôt qu'affichée à 0h00",
        "informations",
    ),
    _c(
        "information-field-ignored",
        W,
        "champ d'une autre nature (resolved sur une intervention…)",
        "informations",
    ),
    # Links and headings in texts
    _c("unknown-link-target", E, "lien portail: vers une adresse non configurée", "texts", "docs"),
    _c(
        "broken-link",
        E,
        "lien vers un fichier de kb/ absent, ou qui ne publie rien (version unpublished, fiche .yml, fichier en erreur)",
        "texts",
    ),
    _c("link-outside-kb", E, "lien qui sort de kb/ (../ de trop, chemin absolu, adresse file:)", "texts"),
    _c("broken-anchor", W, "ancre #… qui ne correspond à aucun titre de la page visée", "texts"),
    _c("heading-h1", W, "titre # dans le texte d'un document ou d'un article", "texts"),
    _c("heading-order", W, "niveau de titre sauté (## puis ####)", "texts"),
    # Baseline
    _c(
        "baseline-stale",
        W,
        "entrée qui ne correspond plus à aucun constat (problème corrigé ou changé)",
        "baseline",
    ),
    _c(
        "baseline-syntax",
        E,
        "portail-baseline.yml n'est pas du YAML lisible : aucun constat n'y est reconnu",
        "baseline",
    ),
    _c(
        "baseline-invalid",
        E,
        "portail-baseline.yml mal formé (pas de liste acknowledged:, entrée sans code ou file, clé inconnue…)",
        "baseline",
    ),
    # kb/synonymes.yml (reading/synonyms.py)
    _c(
        "synonyms-structure",
        E,
        "synonymes.yml mal formé (pas un groupe de mots, abréviations sans « : », mot qui n'est pas du texte)",
        "synonyms",
    ),
    _c("synonyms-unknown-key", E, "clé autre que synonymes: et abreviations:", "synonyms"),
    _c("synonyms-duplicate-word", E, "mot dans deux groupes de synonymes, ou abréviation définie deux fois", "synonyms"),
    _c("synonyms-small-group", W, "groupe de synonymes vide ou d'un seul mot", "synonyms"),
    _c("synonyms-abbreviation-in-group", E, "abréviation qui est aussi dans un groupe de synonymes", "synonyms"),
    _c("synonyms-empty-expansion", E, "abréviation sans développement", "synonyms"),
)

CODES: dict[str, Code] = {entry.code: entry for entry in _CODES}
assert len(CODES) == len(_CODES), "a code is registered twice"


def by_file_kind() -> list[tuple[str, list[Code]]]:
    """The codes grouped by the main kind of file they concern, in FILE_KINDS order, errors
    first then by code within a group."""
    groups: dict[str, list[Code]] = {kind: [] for kind in FILE_KINDS}
    for entry in CODES.values():
        groups[entry.files[0]].append(entry)
    return [
        (FILE_KINDS[kind], sorted(entries, key=lambda e: (e.severities[0] is not Severity.ERROR, e.code)))
        for kind, entries in groups.items()
        if entries
    ]


README_START = "<!-- codes: début (généré depuis plugins/portail/checks/codes.py, ne pas modifier à la main) -->"
README_END = "<!-- codes: fin -->"


def readme_table() -> str:
    """The table of kb/README.md, between its markers (plain text: code spans are literal)."""
    rows = ["| code | gravité | cause | fichiers concernés |", "|---|---|---|---|"]
    for _, entries in by_file_kind():
        for entry in entries:
            cause = entry.cause.replace("|", "\\|")
            rows.append(f"| `{entry.code}` | {entry.severity_label} | {cause} | {entry.files_label} |")
    return "\n".join(rows)


def update_readme(text: str) -> str:
    """``text`` (kb/README.md) with the table between the markers regenerated."""
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    return f"{text[:start]}\n{readme_table()}\n{text[end:]}"


if __name__ == "__main__":  # python -m portail.checks.codes kb/README.md: regenerate the table
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as handle:
            old = handle.read()
        with open(name, "w", encoding="utf-8") as handle:
            handle.write(update_readme(old))
