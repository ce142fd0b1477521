"""Synthetic French text for the benchmark's corpus (make_corpus.py): sentences, paragraphs,
lists, steps, tables, code blocks and admonitions drawn from bench_vocabulary.py, and the
bodies of documents, FAQ articles and release notes. Every function takes the caller's random
generator: the same generator gives the same text."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import bench_vocabulary as V

MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def noun(rng: random.Random) -> str:
    phrase = rng.choice(V.NOUNS)
    return f"{phrase} {rng.choice(V.ADJECTIVES)}" if rng.random() < 0.25 else phrase


def sentence(rng: random.Random) -> str:
    pattern = rng.randrange(6)
    if pattern == 0:
        text = f"{rng.choice(V.CONNECTORS)} {noun(rng)} {rng.choice(V.VERBS)} {noun(rng)} {rng.choice(V.COMPLEMENTS)}"
    elif pattern == 1:
        text = f"{cap(noun(rng))} {rng.choice(V.VERBS)} {noun(rng)}, puis {rng.choice(V.VERBS)} {noun(rng)}"
    elif pattern == 2:
        text = (
            f"Lorsque {noun(rng)} {rng.choice(V.VERBS)} {noun(rng)}, {noun(rng)} "
            f"{rng.choice(V.VERBS)} {noun(rng)} {rng.choice(V.COMPLEMENTS)}"
        )
    elif pattern == 3:
        verb = rng.choice(V.INFINITIVES)
        elided = "d'" if verb[0] in "aeiouéèh" else "de "
        text = f"Il est recommandé {elided}{verb} {noun(rng)} {rng.choice(V.COMPLEMENTS)}"
    elif pattern == 4:
        text = (
            f"Pour {rng.choice(V.INFINITIVES)} {noun(rng)}, {rng.choice(V.IMPERATIVES)} {noun(rng)} "
            f"{rng.choice(V.COMPLEMENTS)}"
        )
    else:
        text = f"{cap(noun(rng))} {rng.choice(V.VERBS)} {noun(rng)} {rng.choice(V.COMPLEMENTS)}"
    return cap(text) + "."


def paragraph(rng: random.Random, low: int = 2, high: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def bullets(rng: random.Random) -> str:
    return "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 6)))


def steps(rng: random.Random) -> str:
    return "\n".join(
        f"{n}. {cap(rng.choice(V.IMPERATIVES))} {noun(rng)} {rng.choice(V.COMPLEMENTS)}."
        for n in range(1, rng.randint(3, 7) + 1)
    )


def table(rng: random.Random) -> str:
    rows = ["| Paramètre | Valeur par défaut | Rôle |", "|---|---|---|"]
    for key in rng.sample(V.CONFIG_KEYS, rng.randint(3, 6)):
        role = f"{cap(rng.choice(V.INFINITIVES))} {noun(rng)} {rng.choice(V.COMPLEMENTS)}"
        rows.append(f"| `{key}` | `{rng.choice(V.CONFIG_VALUES)}` | {role} |")
    return "\n".join(rows)


def code_block(rng: random.Random) -> str:
    if rng.random() < 0.6:
        lines = [
            rng.choice(V.COMMANDS).format(service=rng.choice(V.SERVICES)) for _ in range(rng.randint(1, 4))
        ]
        return "```bash\n" + "\n".join(lines) + "\n```"
    lines = [f"{key} = {rng.choice(V.CONFIG_VALUES)}" for key in rng.sample(V.CONFIG_KEYS, rng.randint(2, 5))]
    return "```ini\n" + "\n".join(lines) + "\n```"


def admonition(rng: random.Random) -> str:
    kind, title = rng.choice(V.ADMONITIONS)
    return f'!!! {kind} "{title}"\n    {paragraph(rng, 1, 2)}'


def extras(rng: random.Random, share: float) -> list[str]:
    """The blocks that make a section look written: lists, steps, tables, code, admonitions."""
    blocks = []
    for make in (bullets, steps, table, code_block, admonition):
        if rng.random() < share:
            blocks.append(make(rng))
    return blocks


def document_body(rng: random.Random) -> str:
    parts = [paragraph(rng)]
    for heading in rng.sample(V.DOC_HEADINGS, rng.randint(3, 6)):
        parts += [f"## {heading}", paragraph(rng)]
        parts += extras(rng, 0.22)
        if rng.random() < 0.35:
            for sub in rng.sample(V.SUB_HEADINGS, rng.randint(1, 2)):
                parts += [f"### {sub}", paragraph(rng, 1, 4), *extras(rng, 0.15)]
        if rng.random() < 0.5:
            parts.append(paragraph(rng, 1, 3))
    return "\n\n".join(parts)


def faq_body(rng: random.Random) -> str:
    parts = []
    for number, heading in enumerate(rng.choice(V.FAQ_PLANS)):
        parts += [f"## {heading}", paragraph(rng)]
        if number == 0 and rng.random() < 0.6:
            parts.append(f"```text\n{rng.choice(V.ERRORS)}\n```")
        if number == 1 or rng.random() < 0.3:
            parts.append(steps(rng) if rng.random() < 0.6 else bullets(rng))
        if rng.random() < 0.2:
            parts.append(admonition(rng))
        if rng.random() < 0.3:
            parts.append(paragraph(rng, 1, 3))
    return "\n\n".join(parts)


def release_sections(rng: random.Random, kind: str) -> list[tuple[str, list[str]]]:
    if kind == "corrective":
        names = ["Corrections", *rng.sample(V.PATCH_SECTIONS[1:], rng.randint(0, 2))]
    elif kind == "mineure":
        names = ["Ajouts", *rng.sample(V.MINOR_SECTIONS[1:], rng.randint(1, 3))]
    else:  # a major says how to migrate and what it needs (nomenclature: major-without-migration)
        names = ["Prérequis", "Migration", *rng.sample(V.MAJOR_SECTIONS, rng.randint(1, 3))]
    return [(name, [sentence(rng) for _ in range(rng.randint(2, 5))]) for name in names]


def title_case_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# -- plan -------------------------------------------------------------------------------------


def tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF holding its title (ASCII), with a correct cross-reference table."""
    text = slugify(title).replace("-", " ")[:80]
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
