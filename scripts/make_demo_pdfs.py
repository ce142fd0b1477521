#!/usr/bin/env python3
"""Génère les documents PDF de démonstration de la base documentaire (kb/documentation).

Chaque PDF est décrit ci-dessous (titre, nature, sections de texte) puis écrit à son chemin
sous kb/documentation/, avec son fichier d'accompagnement ``<nom>.pdf.yml`` (title, kind,
description, updated).

Le script est déterministe : date de création fixe, identifiant de fichier fixe, pas
d'horodatage ; deux exécutions successives produisent des fichiers identiques octet pour octet.

Utilisation (fpdf2 est requis) :

    python scripts/make_demo_pdfs.py            # écrit les PDF et leurs fichiers .yml
    python scripts/make_demo_pdfs.py --check    # vérifie que les fichiers sont à jour
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

ROOT = Path(__file__).resolve().parent.parent
KB_DOCS = ROOT / "kb" / "documentation"

CREATION_DATE = datetime(2026, 1, 1, tzinfo=UTC)
AUTHOR = "Pôle documentation de la coopérative"
FONT = "Helvetica"

# Les polices de base de fpdf2 ne couvrent que le latin-1 : les caractères typographiques
# courants hors de cet alphabet sont remplacés avant l'écriture.
LATIN1_REPLACEMENTS = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u2013": "-",
    "\u2014": "-",
    "\u20ac": "euros",
    "\u202f": " ",
    "\u2009": " ",
    "\u2022": "-",
}


def latin1(text: str) -> str:
    """Remplace les caractères hors latin-1 et échoue si l'un d'eux subsiste."""
    for bad, good in LATIN1_REPLACEMENTS.items():
        text = text.replace(bad, good)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as exc:  # pragma: no cover - garde-fou pour les rédacteurs
        raise SystemExit(
            f"caractère hors latin-1 dans le texte : {text[exc.start : exc.end]!r} ({text!r})"
        ) from exc
    return text


# --------------------------------------------------------------------------------------------
# Modèle des documents
# --------------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "p" paragraphe, "ul" liste, "table" tableau, "note" encadré
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: tuple[int, ...] = ()


def P(text: str) -> Block:
    return Block("p", text=text)


def UL(*items: str) -> Block:
    return Block("ul", items=list(items))


def TABLE(widths: tuple[int, ...], *rows: list[str]) -> Block:
    return Block("table", rows=[list(r) for r in rows], widths=widths)


def NOTE(text: str) -> Block:
    return Block("note", text=text)


@dataclass
class Section:
    heading: str
    blocks: list[Block]


@dataclass
class Doc:
    path: str  # relatif à kb/documentation
    product: str
    title: str
    kind: str
    description: str
    updated: str  # AAAA-MM-JJ
    sections: list[Section]


# --------------------------------------------------------------------------------------------
# Contenu des documents
# --------------------------------------------------------------------------------------------

DOCS: list[Doc] = [
    Doc(
        path="iparapheur/4.7/prerequis-installation.pdf",
        product="i-Parapheur",
        title="Pré-requis d'installation i-Parapheur 4.7",
        kind="pre-requis",
        description="Système, composants, dimensionnement, flux réseau et certificats à réunir avant d'installer i-Parapheur 4.7.",
        updated="2025-09-30",
        sections=[
            Section(
                "Objet du document",
                [
                    P(
                        "Ce document liste ce que la collectivité ou son hébergeur doit préparer avant "
                        "l'installation d'une plateforme i-Parapheur 4.7. Il est à lire avec le manuel "
                        "d'installation Ubuntu de la même version. Une installation ne peut être planifiée "
                        "que lorsque tous les points de la liste de contrôle finale sont validés."
                    ),
                ],
            ),
            Section(
                "Système d'exploitation",
                [
                    P(
                        "La version 4.7 est qualifiée sur Ubuntu Server 20.04 LTS en 64 bits, installé en "
                        "configuration minimale, sans environnement graphique. C'est le système de référence "
                        "de toute la ligne 4 : il ne changera qu'avec une version majeure. Les autres "
                        "distributions ne sont pas prises en charge par le support."
                    ),
                    P(
                        "Le serveur est dédié au parapheur. Une machine virtuelle convient parfaitement, à "
                        "condition que les ressources indiquées ci-dessous lui soient réservées."
                    ),
                ],
            ),
            Section(
                "Composants logiciels",
                [
                    TABLE(
                        (55, 45, 90),
                        ["Composant", "Version", "Remarque"],
                        ["OpenJDK", "11", "seule version qualifiée pour la 4.7"],
                        ["MariaDB", "10.3 ou supérieure", "version des dépôts Ubuntu 20.04"],
                        ["nginx", "dépôts Ubuntu", "frontal TLS, deux hôtes virtuels"],
                        ["LibreOffice", "6.4 ou supérieure", "sans interface, conversion en PDF"],
                        ["ImageMagick, Ghostscript", "dépôts Ubuntu", "aperçus et cachets visuels"],
                        ["Postfix ou relais SMTP", "dépôts Ubuntu", "envoi des notifications"],
                        ["chrony", "dépôts Ubuntu", "synchronisation horaire obligatoire"],
                    ),
                ],
            ),
            Section(
                "Dimensionnement",
                [
                    TABLE(
                        (55, 30, 25, 25, 55),
                        ["Profil", "Utilisateurs", "vCPU", "Mémoire", "Disque données"],
                        ["Petite collectivité", "jusqu'à 50", "2", "6 Go", "50 Go"],
                        ["Collectivité moyenne", "50 à 300", "4", "8 Go", "150 Go"],
                        ["Plateforme mutualisée", "plus de 300", "8", "16 Go", "500 Go et plus"],
                    ),
                    P(
                        "Prévoyez en plus 30 Go pour le système. Le répertoire des données doit être sur un "
                        "volume distinct, sauvegardé chaque jour. Sa croissance dépend surtout de la politique "
                        "de conservation : les dossiers effacés après récupération par les applications métier "
                        "ne l'alourdissent pas."
                    ),
                ],
            ),
            Section(
                "Réseau et flux",
                [
                    TABLE(
                        (45, 55, 25, 65),
                        ["Source", "Destination", "Port", "Usage"],
                        ["Postes des agents", "parapheur", "443", "interface web"],
                        ["Applications métier", "parapheur (hôte sécurisé)", "443", "web-services SOAP"],
                        ["parapheur", "relais SMTP", "25 ou 587", "notifications"],
                        ["parapheur", "S²LOW, Pastell", "443", "télétransmission, mail sécurisé"],
                        ["parapheur", "autorités de certification", "80", "listes de révocation"],
                        ["parapheur", "serveur de temps", "123", "NTP"],
                    ),
                    P(
                        "Deux noms DNS sont nécessaires, par exemple parapheur.example.fr pour les agents et "
                        "secure-parapheur.example.fr pour les web-services. Ils peuvent pointer vers la même "
                        "adresse, par exemple 192.0.2.40."
                    ),
                ],
            ),
            Section(
                "Certificats",
                [
                    UL(
                        "Un certificat serveur couvrant les deux noms DNS, avec sa chaîne complète.",
                        "Les chaînes des autorités qui émettent les certificats des signataires.",
                        "Un certificat applicatif par application métier cliente des web-services.",
                        "Le certificat de connexion de la collectivité à S²LOW, si la télétransmission est utilisée.",
                        "Un certificat de cachet serveur, si cette fonction est utilisée.",
                    ),
                ],
            ),
            Section(
                "Postes de travail",
                [
                    P(
                        "Les utilisateurs ont besoin d'un navigateur pris en charge (voir la documentation "
                        "transverse). Les signataires ont besoin en plus du pilote de leur support "
                        "cryptographique et de l'outil de signature de la coopérative, en version 2.5 ou "
                        "supérieure pour la 4.7."
                    ),
                    NOTE(
                        "Liste de contrôle avant installation : serveur Ubuntu 20.04 livré et à jour ; accès "
                        "administrateur disponible ; noms DNS créés ; certificats reçus ; flux ouverts ; "
                        "relais SMTP identifié ; archive de la version téléchargée depuis l'espace client."
                    ),
                ],
            ),
        ],
    ),
    Doc(
        path="iparapheur/4.4/prerequis-installation.pdf",
        product="i-Parapheur",
        title="Pré-requis d'installation i-Parapheur 4.4",
        kind="pre-requis",
        description="Environnement serveur et postes de travail nécessaires à i-Parapheur 4.4 (version hors maintenance, document conservé pour référence).",
        updated="2024-01-22",
        sections=[
            Section(
                "Statut de la version",
                [
                    P(
                        "La version 4.4 n'est plus couverte par la maintenance : une nouvelle version "
                        "fonctionnelle doit être installée dans les six mois suivant sa mise à disposition. "
                        "Ce document est conservé pour les collectivités qui préparent leur passage à une "
                        "version plus récente. Pour une nouvelle installation, utilisez la dernière version "
                        "disponible."
                    ),
                ],
            ),
            Section(
                "Serveur",
                [
                    TABLE(
                        (60, 130),
                        ["Élément", "Exigence"],
                        ["Système", "Ubuntu Server 20.04 LTS, 64 bits"],
                        ["Java", "OpenJDK 11"],
                        ["Base de données", "MariaDB 10.3 ou supérieure"],
                        ["Frontal web", "nginx, deux hôtes virtuels (agents et web-services)"],
                        ["Conversion", "LibreOffice 6.4 ou supérieure, sans interface"],
                        ["Processeurs", "2 au minimum, 4 conseillés"],
                        ["Mémoire", "6 Go au minimum"],
                        ["Disque", "30 Go pour le système, 50 Go ou plus pour les données"],
                    ),
                ],
            ),
            Section(
                "Réseau",
                [
                    UL(
                        "Port 443 entrant depuis le réseau des agents et depuis les applications métier.",
                        "Flux sortants vers le relais SMTP, S²LOW et les listes de révocation.",
                        "Synchronisation horaire NTP.",
                    ),
                ],
            ),
            Section(
                "Postes de travail",
                [
                    P(
                        "La signature en 4.4 utilise l'outil de signature de première génération, installé "
                        "sur chaque poste de signataire, avec le pilote du support cryptographique. L'extension "
                        "de navigateur des versions suivantes n'est pas compatible avec la 4.4 : ne la déployez "
                        "qu'au moment de la mise à jour du serveur."
                    ),
                    NOTE(
                        "Avant de mettre à jour une plateforme 4.4, lisez le manuel de mise à jour 4.4 vers "
                        "4.5 : le changement d'outil de signature doit être préparé sur les postes."
                    ),
                ],
            ),
        ],
    ),
    Doc(
        path="s2low/4.3/prerequis-installation.pdf",
        product="S²LOW",
        title="Pré-requis d'installation S²LOW 4.3",
        kind="pre-requis",
        description="Socle technique, dimensionnement, flux et certificats d'une plateforme S²LOW 4.3 auto-hébergée, et pré-requis côté collectivité.",
        updated="2025-01-28",
        sections=[
            Section(
                "Deux publics",
                [
                    P(
                        "La première partie s'adresse aux structures qui hébergent leur propre plateforme "
                        "S²LOW. La seconde concerne toutes les collectivités utilisatrices, y compris celles "
                        "qui passent par la plateforme opérée par la coopérative."
                    ),
                ],
            ),
            Section(
                "Socle technique de la plateforme",
                [
                    TABLE(
                        (55, 135),
                        ["Composant", "Version de référence"],
                        ["Système", "Ubuntu Server 22.04 LTS, 64 bits"],
                        ["Serveur web", "Apache 2.4 avec mod_ssl (authentification par certificat)"],
                        ["PHP", "8.1 : pgsql, curl, xml, zip, mbstring, intl"],
                        ["Base de données", "PostgreSQL 14"],
                        ["Traitements", "service s2low-workers (files d'envoi actes et Hélios)"],
                        ["Antivirus", "ClamAV avec le démon clamd"],
                        ["Outils", "OpenSSL, xmlsec1, client SMTP"],
                    ),
                    P(
                        "Ce socle est commun à toute la ligne 4. La 4.3 ajoute seulement trois paramètres de "
                        "configuration, décrits dans le manuel de mise à jour : taille maximale des flux "
                        "Hélios, durée de conservation des fichiers d'actes, regroupement des notifications."
                    ),
                ],
            ),
            Section(
                "Dimensionnement",
                [
                    TABLE(
                        (65, 30, 30, 65),
                        ["Volume", "vCPU", "Mémoire", "Disque"],
                        ["jusqu'à 50 collectivités", "2", "4 Go", "100 Go"],
                        ["50 à 500 collectivités", "4", "8 Go", "500 Go"],
                        ["au-delà", "8", "16 Go", "1 To, base séparée"],
                    ),
                ],
            ),
            Section(
                "Flux réseau",
                [
                    UL(
                        "Entrant : port 443 depuis les agents et les applications clientes.",
                        "Sortant : plateformes de l'État (@ctes pour les actes, Hélios pour les flux "
                        "comptables), selon les adresses communiquées lors de l'homologation.",
                        "Sortant : listes de révocation des autorités de certification (port 80).",
                        "Sortant : relais SMTP, par exemple 198.51.100.25.",
                    ),
                ],
            ),
            Section(
                "Pré-requis côté collectivité",
                [
                    UL(
                        "Convention de télétransmission signée avec la préfecture ; accord du comptable "
                        "public pour Hélios.",
                        "Un certificat électronique personnel par agent, conforme au référentiel général de "
                        "sécurité, sur support cryptographique.",
                        "Un navigateur pris en charge, avec le pilote du support installé.",
                        "Pour les envois automatiques, un certificat de service dédié à l'application.",
                    ),
                    NOTE(
                        "Les listes de révocation doivent être joignables : si elles ne le sont pas, "
                        "Apache peut refuser toutes les connexions. Surveillez ces flux."
                    ),
                ],
            ),
        ],
    ),
    Doc(
        path="pastell/4.0/prerequis-installation.pdf",
        product="Pastell",
        title="Pré-requis d'installation Pastell 4.0",
        kind="pre-requis",
        description="Hôte Docker, ressources, flux réseau et comptes des connecteurs à préparer pour installer ou migrer vers Pastell 4.0.",
        updated="2024-09-10",
        sections=[
            Section(
                "Architecture",
                [
                    P(
                        "Pastell 4.0 est livré sous forme d'images de conteneurs : l'application web, le démon "
                        "de traitement, la base MariaDB et le cache Redis. L'hôte n'héberge que le moteur de "
                        "conteneurs ; PHP et ses extensions sont inclus dans les images. Le passage à une "
                        "nouvelle génération de PHP dans les images est l'une des raisons du changement de "
                        "version majeure."
                    ),
                ],
            ),
            Section(
                "Hôte",
                [
                    TABLE(
                        (55, 135),
                        ["Élément", "Exigence"],
                        ["Système", "Ubuntu Server 22.04 LTS, 64 bits"],
                        ["Conteneurs", "Docker Engine récent et greffon Compose version 2 (docker compose)"],
                        ["Processeurs", "4 au minimum"],
                        ["Mémoire", "8 Go au minimum, 16 Go pour une plateforme mutualisée"],
                        ["Disque système", "40 Go, images comprises"],
                        ["Disque données", "workspace et base sur un volume sauvegardé, 200 Go au départ"],
                    ),
                    P(
                        "L'ancienne commande docker-compose (avec un tiret) n'est plus utilisée par les "
                        "fichiers de déploiement de la 4.0."
                    ),
                ],
            ),
            Section(
                "Flux réseau",
                [
                    TABLE(
                        (50, 60, 20, 60),
                        ["Source", "Destination", "Port", "Usage"],
                        ["Agents", "Pastell", "443", "interface web"],
                        ["Applications", "Pastell", "443", "API REST"],
                        ["Pastell", "i-Parapheur", "443", "signature"],
                        ["Pastell", "S²LOW", "443", "actes et Hélios"],
                        ["Pastell", "GED, SAE", "selon connecteur", "dépôt, archivage"],
                        ["Pastell", "relais SMTP", "25 ou 587", "notifications, mail sécurisé"],
                    ),
                ],
            ),
            Section(
                "Comptes et certificats",
                [
                    UL(
                        "Certificat serveur pour l'adresse publique, par exemple pastell.example.fr.",
                        "Pour chaque connecteur : adresse, compte de service et, le cas échéant, certificat "
                        "client au format PKCS#12.",
                        "Un relais SMTP autorisant l'adresse d'expédition de la plateforme.",
                    ),
                ],
            ),
            Section(
                "Extensions",
                [
                    P(
                        "Les extensions écrites pour la 3.1 doivent être adaptées : chacune doit fournir son "
                        "propre chargeur de classes. Obtenez les versions compatibles 4.0 avant toute "
                        "migration."
                    ),
                    NOTE(
                        "Migration : seule la dernière version 3.1.x peut être migrée vers la 4.0. Consultez "
                        "le manuel de mise à jour 3.1 vers 4.0."
                    ),
                ],
            ),
        ],
    ),
    Doc(
        path="transverse/check-list-poste-de-travail.pdf",
        product="Documentation transverse",
        title="Check-list de préparation d'un poste de travail",
        kind="fiche-reflexe",
        description="Liste de contrôle à dérouler avant de confier un poste à un agent ou un élu qui signe et télétransmet avec les logiciels de la coopérative.",
        updated="2025-10-21",
        sections=[
            Section(
                "Usage de cette fiche",
                [
                    P(
                        "Imprimez cette fiche et cochez chaque point lors de la préparation d'un poste : "
                        "arrivée d'un agent, renouvellement de matériel, nouveau signataire. La plupart des "
                        "tickets ouverts lors d'une première signature viennent d'un point oublié ci-dessous."
                    ),
                ],
            ),
            Section(
                "Système et navigateur",
                [
                    UL(
                        "[ ] Système d'exploitation à jour et encore maintenu par son éditeur.",
                        "[ ] Navigateur pris en charge (Firefox, Chrome ou Edge), version courante ou précédente.",
                        "[ ] Fenêtres surgissantes autorisées pour les adresses des logiciels.",
                        "[ ] Pour Firefox : certificats du système activés ou module de sécurité déclaré.",
                    ),
                ],
            ),
            Section(
                "Certificat et support",
                [
                    UL(
                        "[ ] Pilote du support cryptographique installé (droits administrateur requis).",
                        "[ ] Certificat visible dans le magasin personnel, avec sa clé privée.",
                        "[ ] Date d'expiration notée dans l'agenda du référent, avec un rappel à 60 jours.",
                        "[ ] Code PIN connu du seul porteur.",
                    ),
                ],
            ),
            Section(
                "Signature",
                [
                    UL(
                        "[ ] Extension de signature installée et activée dans le navigateur.",
                        "[ ] Logiciel local de signature installé et lancé au démarrage de la session.",
                        "[ ] Signature d'un dossier de test réussie dans i-Parapheur.",
                    ),
                ],
            ),
            Section(
                "Accès aux applications",
                [
                    TABLE(
                        (60, 70, 60),
                        ["Application", "Test", "Résultat attendu"],
                        ["i-Parapheur", "connexion, ouverture d'un bureau", "bureaux affichés"],
                        ["S²LOW", "connexion par certificat", "liste des transmissions"],
                        ["Pastell", "connexion", "entité de l'agent visible"],
                        ["webdelib", "connexion", "tableau de bord affiché"],
                    ),
                    NOTE(
                        "En cas d'échec, relevez le message d'erreur complet, la version du navigateur et la "
                        "version de l'application affichée en bas de page, puis transmettez-les à votre "
                        "référent avant toute ouverture de ticket."
                    ),
                ],
            ),
        ],
    ),
]


# --------------------------------------------------------------------------------------------
# Rendu PDF
# --------------------------------------------------------------------------------------------

KIND_LABELS = {
    "manuel-utilisateur": "Manuel utilisateur",
    "manuel-administrateur": "Manuel administrateur",
    "fiche-reflexe": "Fiche réflexe",
    "documentation-api": "Documentation API",
    "pre-requis": "Pré-requis",
    "manuel-exploitation": "Manuel d'exploitation",
    "manuel-installation": "Manuel d'installation",
    "manuel-mise-a-jour": "Manuel de mise à jour",
    "autre": "Documentation",
}


def format_date_fr(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


class DemoPDF(FPDF):
    def __init__(self, doc: Doc):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, latin1(f"{self.doc.product} - documentation"), align="L")
        self.cell(0, 5, latin1(KIND_LABELS[self.doc.kind]), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(200, 200, 200)
        self.line(20, self.get_y(), 190, self.get_y())
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.set_text_color(110, 110, 110)
        text = f"{self.doc.title} - mis à jour le {format_date_fr(self.doc.updated)} - page {self.page_no()}/{{nb}}"
        self.cell(0, 5, latin1(text), align="C")


def render(doc: Doc) -> bytes:
    pdf = DemoPDF(doc)
    pdf.set_creation_date(CREATION_DATE)
    pdf.set_title(latin1(doc.title))
    pdf.set_author(latin1(AUTHOR))
    pdf.set_subject(latin1(doc.description))
    pdf.set_lang("fr-FR")
    pdf.set_producer("make_demo_pdfs.py (fpdf2)")
    pdf.add_page()

    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 8, latin1(doc.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "I", 10)
    pdf.set_text_color(80, 80, 80)
    pdf.multi_cell(0, 5, latin1(doc.description), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    for number, section in enumerate(doc.sections, start=1):
        if pdf.get_y() > 250:
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FONT, "B", 12.5)
        pdf.set_text_color(20, 60, 110)
        pdf.multi_cell(0, 7, latin1(f"{number}. {section.heading}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1)
        for block in section.blocks:
            render_block(pdf, block)

    return bytes(pdf.output())


def render_block(pdf: FPDF, block: Block) -> None:
    if block.kind == "p":
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, latin1(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    elif block.kind == "ul":
        pdf.set_font(FONT, "", 10)
        for item in block.items:
            pdf.set_x(pdf.l_margin + 3)
            pdf.cell(5, 5, "-")
            pdf.multi_cell(0, 5, latin1(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.5)
        pdf.ln(1.5)
    elif block.kind == "table":
        pdf.set_font(FONT, "", 9)
        pdf.set_draw_color(170, 170, 170)
        with pdf.table(
            col_widths=block.widths,
            width=pdf.epw,
            align="LEFT",
            line_height=5,
            padding=1.2,
            headings_style=FontFace(emphasis="BOLD", fill_color=(225, 232, 242)),
            first_row_as_headings=True,
        ) as table:
            for row in block.rows:
                table_row = table.row()
                for value in row:
                    table_row.cell(latin1(value))
        pdf.ln(3)
    elif block.kind == "note":
        pdf.set_font(FONT, "", 9.5)
        pdf.set_fill_color(238, 243, 250)
        pdf.set_draw_color(120, 150, 190)
        pdf.multi_cell(
            0, 5, latin1(block.text), border=1, fill=True, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(3)
    else:  # pragma: no cover
        raise ValueError(f"bloc inconnu : {block.kind}")


def yaml_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sidecar(doc: Doc) -> str:
    return (
        f"title: {yaml_quote(doc.title)}\n"
        f"kind: {doc.kind}\n"
        f"description: {yaml_quote(doc.description)}\n"
        f"updated: {doc.updated}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="ne rien écrire ; échouer si un fichier manque ou diffère"
    )
    args = parser.parse_args(argv)

    stale = []
    for doc in DOCS:
        pdf_path = KB_DOCS / doc.path
        yml_path = pdf_path.with_name(pdf_path.name + ".yml")
        pdf_bytes = render(doc)
        yml_text = sidecar(doc)
        if args.check:
            if not pdf_path.exists() or pdf_path.read_bytes() != pdf_bytes:
                stale.append(pdf_path)
            if not yml_path.exists() or yml_path.read_text(encoding="utf-8") != yml_text:
                stale.append(yml_path)
            continue
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.write_bytes(pdf_bytes)
        yml_path.write_text(yml_text, encoding="utf-8")
        digest = hashlib.sha256(pdf_bytes).hexdigest()[:12]
        print(f"{pdf_path.relative_to(ROOT)}  {len(pdf_bytes)} octets  sha256:{digest}")

    if args.check:
        for path in stale:
            print(f"à régénérer : {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
