"""Hostile contributions for the safety tests: a corpus, a grammar, and an independent audit.

The audit here deliberately shares no code with ``regiodocs.audit`` or the guard:
it parses the written HTML with BeautifulSoup and judges it by its own rules.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

FRONT = """---
titel: Angriff {name}
kurzbeschreibung: Ein feindlicher Beitrag.
federfuehrung: alpha
handlungsfelder: [mobilitaet]
status: idee
kontakt:
  - organisation: Stadt Alpha
    email: a@example.org
stand: 2026-01-01
---
Einleitung.

"""
#: The first line of an attack in its file, and of the body it is in.
ATTACK_LINE = FRONT.count("\n") + 1
BODY_LINE = FRONT.split("---\n")[1].count("\n") + 3
INTERN_MARKER = "Geheimwortzebra"  # only in the fixture's intern record


@dataclass(frozen=True)
class Attack:
    cls: str  # the attack class of the issue
    body: str
    codes: frozenset[str] = frozenset({"RD301"})  # any of these at the attack's lines
    from_body_start: bool = False  # docutils gives no line: the finding names the body's first line


def _a(cls: str, body: str, *codes: str) -> Attack:
    return Attack(cls, body, frozenset(codes or {"RD301"}))


ATTACKS: dict[str, Attack] = {
    # directive options that become URLs
    "card-link": _a("option", ":::{card} Karte\n:link: javascript:alert(1001)\nText\n:::\n"),
    "grid-item-card-link": _a(
        "option", "::::{grid}\n:::{grid-item-card} Karte\n:link: javascript:alert(1002)\nText\n:::\n::::\n"
    ),
    "image-target": _a("option", "```{image} /medien/plan.pdf\n:target: javascript:alert(1003)\n```\n"),
    "figure-target": _a(
        "option", "```{figure} /medien/plan.pdf\n:target: javascript:alert(1004)\n\nBild\n```\n"
    ),
    "card-link-mixed-case-tab": _a(
        "option", ":::{card} Karte\n:link: JaVa\tScRiPt:alert(1005)\nText\n:::\n", "RD301", "RD303"
    ),
    "card-link-newline-entity": _a(
        "option", ":::{card} Karte\n:link: java&#10;script:alert(1008)\nText\n:::\n"
    ),
    "card-link-zero-width": _a("option", ":::{card} Karte\n:link: java\u200bscript:alert(1009)\nText\n:::\n"),
    "card-link-data": _a(
        "option", ":::{card} Karte\n:link: data:text/html,<script>alert(1006)</script>\nT\n:::\n"
    ),
    "card-link-vbscript": _a("option", ":::{card} Karte\n:link: vbscript:msgbox(1007)\nText\n:::\n"),
    "card-link-protocol-relative": _a("option", ":::{card} Karte\n:link: //evil.example/x\nText\n:::\n"),
    "card-img-top-passwd": _a(
        "option", ":::{card} Karte\n:img-top: ../../../../../../etc/passwd\nText\n:::\n"
    ),
    "card-img-background-tracker": _a(
        "option", ":::{card} Karte\n:img-background: https://tracker.example/p.png\nText\n:::\n"
    ),
    "card-link-type-doc-escape": _a(
        "option", ":::{card} Karte\n:link: ../../../../etc/passwd\n:link-type: doc\nText\n:::\n", "RD201"
    ),
    "card-link-type-ref": _a("option", ":::{card} Karte\n:link: genindex\n:link-type: ref\nText\n:::\n"),
    "image-width-css": _a(
        "option", "```{image} /medien/plan.pdf\n:width: 1px;background:url(javascript:x)\n```\n", "RD303"
    ),
    # directive arguments, captions and titles parsed as inline Markdown
    "admonition-title-img": _a("title", ":::{admonition} <img src=x onerror=alert(1011)>\nInhalt\n:::\n"),
    "topic-title-svg": _a("title", ":::{topic} <svg onload=alert(1012)>\nInhalt\n:::\n"),
    "sidebar-title-script": _a("title", ":::{sidebar} <script>alert(1013)</script>\nInhalt\n:::\n"),
    "code-caption-script": _a(
        "caption", "```{code-block} python\n:caption: <script>alert(1014)</script>\nx = 1\n```\n"
    ),
    "list-table-title": _a("title", "```{list-table} <b onmouseover=alert(1015)>T</b>\n* - a\n  - b\n```\n"),
    "tab-item-label": _a("title", "::::{tab-set}\n:::{tab-item} <svg onload=alert(1016)>\nx\n:::\n::::\n"),
    "dropdown-title": _a("title", ":::{dropdown} <img src=x onerror=alert(1017)>\nx\n:::\n"),
    "card-title": _a("title", ":::{card} <iframe src=https://evil.example></iframe>\nText\n:::\n"),
    "figure-caption": _a(
        "caption", "```{figure} /medien/plan.pdf\n\n<a href=x onclick=alert(1018)>Bild</a>\n```\n"
    ),
    "table-title": _a("title", "```{table} <script>alert(1019)</script>\n| a |\n|---|\n| b |\n```\n"),
    # roles inside arguments that read files
    "download-in-caption": _a(
        "role", "```{code-block} text\n:caption: {download}`pw </etc/passwd>`\nx\n```\n"
    ),
    "image-in-topic-title": _a("role", ":::{topic} Titel ![x](../../../../../../etc/hostname)\nText\n:::\n"),
    "download-intern-source": _a(
        "role", ":::{note} {download}`q <../../projekte/alpha/intern-vorhaben.md>`\nText\n:::\n"
    ),
    "link-intern-source-in-title": _a(
        "role", ":::{admonition} [Quelle](intern-vorhaben.md)\nText\n:::\n", "RD210"
    ),
    "link-traversal-in-card-title": _a("role", ":::{card} [pw](../../../../../../etc/passwd)\nText\n:::\n"),
    "doc-role-in-title": _a("role", ":::{note} {doc}`/etc/passwd`\nText\n:::\n"),
    "literalinclude-in-tab": _a(
        "nesting", "::::{tab-set}\n:::{tab-item} A\n```{literalinclude} /etc/passwd\n```\n:::\n::::\n"
    ),
    # nesting
    "raw-in-note-in-dropdown": _a(
        "nesting",
        "::::{dropdown} A\n:::{note}\n```{raw} html\n<script>alert(1021)</script>\n```\n:::\n::::\n",
    ),
    "include-in-grid-card": _a(
        "nesting", "::::{grid}\n:::{grid-item-card} A\n```{include} ../../../../etc/passwd\n```\n:::\n::::\n"
    ),
    "html-in-list-table-cell": _a(
        "nesting", "```{list-table}\n* - <script>alert(1022)</script>\n  - b\n```\n"
    ),
    "eval-rst-in-tab": _a(
        "nesting",
        "::::{tab-set}\n:::{tab-item} A\n```{eval-rst}\n.. raw:: html\n\n"
        "   <script>alert(1023)</script>\n```\n:::\n::::\n",
    ),
    "html-in-footnote": _a("nesting", "Text[^1]\n\n[^1]: <img src=x onerror=alert(1024)>\n"),
    "html-in-deflist": _a("nesting", "Begriff\n: <svg onload=alert(1025)>\n"),
    # links and images in the body
    "link-file-scheme": _a("link", "[pw](file:///etc/passwd)\n"),
    "link-protocol-relative": _a("link", "[x](//evil.example/a)\n"),
    "link-traversal": _a("link", "[pw](../../../../../../etc/passwd)\n"),
    "image-foreign": _a("link", "![Pixel](https://tracker.example/pixel.png)\n"),
    "image-traversal": _a("link", "![x](../../../../../../etc/hostname)\n"),
    "link-canary-beside-content": _a("link", "[g](../../../geheim.txt)\n"),
    "image-canary-beside-content": _a("link", "![g](../../../geheim.txt)\n"),
    "download-canary-in-card": _a("role", ":::{card} {download}`g <../../../geheim.txt>`\nText\n:::\n"),
    "link-missing-file": _a("reference", "[Plan](../../medien/gibt-es-nicht.pdf)\n", "RD208"),
    "link-missing-page": _a("reference", "[Seite](../../seiten/gibt-es-nicht.md)\n", "RD201"),
    "download-intern-media": _a("reference", "[Lageplan](/medien/intern-lageplan.pdf)\n", "RD210"),
    # roles in the body
    "role-unknown-id": _a("reference", "Siehe {regio:eintrag}`gibt-es-nicht`.\n", "RD201"),
    "role-intern-id": _a("reference", "Siehe {regio:eintrag}`intern-vorhaben`.\n", "RD210"),
    "role-unknown-page": _a("reference", "Siehe {regio:seite}`nirgends`.\n", "RD201"),
    "role-term-undefined": _a("role", "Ein {term}`Begriff` ohne Glossar.\n"),
    "role-raw": _a("role", "Text {raw}`<script>alert(1031)</script>` Text.\n"),
    "role-download": _a("role", "Text {download}`pw </etc/passwd>` Text.\n"),
    # raw HTML in the body
    "html-block-script": _a("html", "<script>alert(1041)</script>\n"),
    "html-inline-onerror": _a("html", 'Text <img src="x" onerror="alert(1042)"> Text.\n'),
    "html-style": _a("html", "<style>body{display:none}</style>\n"),
    "html-comment-conditional": _a("html", "<!--[if IE]><script>alert(1043)</script><![endif]-->\n"),
    "html-entity-obfuscated": _a("html", '<a href="&#106;avascript:alert(1044)">x</a>\n'),
    # directives that read files or run code
    "directive-raw": _a("directive", "```{raw} html\n<script>alert(1051)</script>\n```\n"),
    "directive-include": _a("directive", "```{include} ../../../../etc/passwd\n```\n"),
    "directive-csv-file": _a("directive", "```{csv-table} Daten\n:file: /etc/passwd\n```\n"),
    "directive-unknown": _a("directive", "```{toctree}\n../../../../etc/passwd\n```\n"),
}


#: Found by an independent attacker: mistakes that crashed the check or passed it and then failed
#: the build with an English Sphinx warning. Each must be a German finding at its lines.
DEEP = "".join(":" * (130 - i) + "{note}\n" for i in range(120)) + "x\n"
DEEP += "".join(":" * (11 + i) + "\n" for i in range(120))
CODE = "```{{code-block}} python\n{option}\n\n{code}\n```\n"
MISTAKES: dict[str, Attack] = {
    "guilabel-lone-ampersand": _a("crash", "{guilabel}`&`\n", "RD303"),
    "nesting-too-deep": _a("crash", DEEP, "RD301", "RD303"),
    "image-height-no-measure": _a(
        "crash", ":::{image} /medien/plan.pdf\n:height: 0.00000000000000000000001em\n:::\n", "RD303"
    ),
    "image-scale-without-size": _a("write", ":::{image} /medien/plan.pdf\n:scale: 50\n:::\n", "RD303"),
    "term-without-glossary": _a("write", "Zebra\n: Ein Tier.\n\nDas {term}`Zebra`.\n", "RD301"),
    "code-unknown-language": _a("write", "```gibtesnicht\nx\n```\n", "RD303"),
    "code-emphasize-out-of-range": _a(
        "write", CODE.format(option=":emphasize-lines: 1-99999999", code="print(1)"), "RD303"
    ),
    "code-dedent-strips-text": _a("write", CODE.format(option=":dedent: 8", code="  x = 1"), "RD303"),
    "name-twice": Attack(
        "write",
        ":::{note}\n:name: doppelt\n\na\n:::\n\n:::{tip}\n:name: doppelt\n\nb\n:::\n",
        frozenset({"RD303"}),
        from_body_start=True,
    ),
    "tab-set-without-tab": _a("write", "::::{tab-set}\nKein Tab\n::::\n", "RD303"),
}


def write_attacks(content: Path, attacks: dict[str, Attack]) -> dict[str, Path]:
    """One record per attack under ``projekte/alpha/``; returns name → file."""
    files = {}
    for name, attack in attacks.items():
        path = content / "projekte" / "alpha" / f"angriff-{name}.md"
        path.write_text(FRONT.format(name=name) + attack.body, encoding="utf-8")
        files[name] = path
    return files


# ----------------------------------------------------------------- a grammar of hostile documents

PAYLOADS_URL = [
    "javascript:alert({n})", "JAVASCRIPT:alert({n})", " javascript:alert({n})", "java\tscript:alert({n})",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox({n})", "//evil.example/{n}",
    "file:///etc/passwd", "../../../../../../etc/passwd", "/../../../etc/hostname",
]  # fmt: skip
PAYLOADS_INLINE = [
    "<img src=x onerror=alert({n})>", "<svg onload=alert({n})>", "<script>alert({n})</script>",
    "{{download}}`f{n} </etc/passwd>`", "![i{n}](../../../../../../etc/hostname)",
    "[l{n}](javascript:alert({n}))", "{{raw}}`<b>{n}</b>`", "[p{n}](../../../../../../etc/passwd)",
    "{{regio:eintrag}}`intern-vorhaben`", "{{regio:eintrag}}`fehlt-{n}`",
]  # fmt: skip
TITLED = ["note", "admonition", "topic", "sidebar", "dropdown", "card", "tab-item", "grid-item-card"]
URL_OPTIONS = {
    "card": ["link", "img-top", "img-bottom", "img-background"],
    "grid-item-card": ["link", "img-top"],
}
OTHER = ["raw", "include", "literalinclude", "eval-rst", "html", "iframe"]


def hostile_document(rng: random.Random, n: int) -> str:
    """A random body that holds at least one attack, nested up to three directives deep."""
    depth = rng.randint(0, 3)
    inner = _payload_block(rng, n)
    for level in range(depth):
        name = rng.choice(TITLED)
        fence = ":" * (3 + level + 1)
        title = rng.choice(["Titel", PAYLOADS_INLINE[rng.randrange(len(PAYLOADS_INLINE))].format(n=n)])
        options = ""
        if name in URL_OPTIONS and rng.random() < 0.6:
            options = f":{rng.choice(URL_OPTIONS[name])}: {rng.choice(PAYLOADS_URL).format(n=n)}\n"
        if name == "tab-item":
            inner = f"{fence}{{tab-item}} {title}\n{options}{inner}{fence}\n"
            fence_outer = ":" * (len(fence) + 1)
            inner = f"{fence_outer}{{tab-set}}\n{inner}{fence_outer}\n"
            continue
        if name == "grid-item-card":
            fence_outer = ":" * (len(fence) + 1)
            card = f"{fence}{{grid-item-card}} {title}\n{options}{inner}{fence}\n"
            inner = f"{fence_outer}{{grid}}\n{card}{fence_outer}\n"
            continue
        inner = f"{fence}{{{name}}} {title}\n{options}{inner}{fence}\n"
    return inner


def _payload_block(rng: random.Random, n: int) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f"Text {rng.choice(PAYLOADS_INLINE).format(n=n)} Text.\n"
    if kind == 1:
        url = rng.choice(PAYLOADS_URL).format(n=n)
        return rng.choice(
            [f"```{{image}} {url}\n```\n", f"```{{image}} /medien/plan.pdf\n:target: {url}\n```\n"]
        )
    if kind == 2:
        other = rng.choice(OTHER)
        if other == "html":
            return f"<div onclick=alert({n})>x</div>\n"
        if other == "iframe":
            return f"<iframe src=https://evil.example/{n}></iframe>\n"
        return f"```{{{other}}} /etc/passwd\n<script>alert({n})</script>\n```\n"
    return f"```{{code-block}} text\n:caption: {rng.choice(PAYLOADS_INLINE).format(n=n)}\nx\n```\n"


# ----------------------------------------------------------------- an independent output audit

_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")  # tel: the contact boxes (E.164, from contacts)
_BAD_ELEMENTS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset"}


def _scheme(value: str) -> str:
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) + ":" if match else ""


def output_problems(site: Path, *, secrets: list[bytes]) -> list[str]:
    """Everything in ``site`` that could run script, load a foreign page or leak a file."""
    problems = []
    for path in site.rglob("*"):
        if path.is_symlink():
            problems.append(f"{path}: symlink")
            continue
        if not path.is_file() or "admin" in path.relative_to(site).parts:
            continue
        data = path.read_bytes()
        problems += [f"{path}: leaks {s[:20]!r}" for s in secrets if s in data]
        if path.suffix not in (".html", ".svg"):
            continue
        soup = BeautifulSoup(data.decode("utf-8", "replace"), "html.parser")
        for tag in soup.find_all(True):
            if tag.name in _BAD_ELEMENTS:
                problems.append(f"{path}: <{tag.name}>")
            for attr, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                if attr.lower().startswith("on"):
                    problems.append(f"{path}: {attr}= on <{tag.name}>")
                scheme = _scheme(text)
                if attr.lower() in _URL_ATTRS and scheme and scheme not in _SAFE_SCHEMES:
                    problems.append(f"{path}: {attr}={text[:40]!r}")
            if tag.name == "script" and not tag.get("src"):
                kind = (tag.get("type") or "").lower()
                if kind not in ("application/json", "application/ld+json") and "localStorage" not in tag.text:
                    problems.append(f"{path}: inline script {tag.text[:40]!r}")
            if tag.name == "script" and tag.get("src"):
                src = tag["src"]
                if (
                    _scheme(src)
                    or src.startswith("//")
                    or not re.search(r"(^|/)(_static|_suche|admin)/", src)
                ):
                    problems.append(f"{path}: script {src!r}")
    return problems
