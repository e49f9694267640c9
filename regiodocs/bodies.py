"""``regiodocs check`` judges contributed bodies on their doctree, as the build does.

Each body is parsed by a real Sphinx application with the project's own
``conf.py`` (same extensions, same MyST settings), through the same parser and
renderer as in the build, and judged by the same guard
(:mod:`regiodocs.sphinxext.guard`). What a parse finds depends only on the
body, the configuration and regiodocs itself, so verdicts are cached by a hash
of these; what a body points at (records, pages, media) is judged afresh on
every run against the whole content, which tells "unknown" from "intern".
Sphinx starts only when a body is not in the cache.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from . import cachefiles, model, schema, settings
from .codehash import code_hash
from .findings import Code, Finding
from .references import Reference, Targets, judge_references

CACHE_VERSION = 1
CACHE_ENTRIES = 20_000  # verdicts kept per content folder (edited bodies leave old ones behind)
_ROOT = "regiodocs-pruefung"  # the root document Sphinx insists on
#: Sphinx looks for media in its source folder, which the check leaves empty (the guard
#: judges every image and download against content/medien/ instead).
_NOT_HERE = ("[image.not_readable]", "[download.not_readable]")
_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d*): (?:WARNING|ERROR|CRITICAL|SEVERE): (?P<msg>.*)$")


def judge(content: model.Content, project_root: Path, *, safe_mode: bool, today: object) -> list[Finding]:
    """Findings for the bodies of every fully read document of ``content``."""
    docs = [d for d in content.documents() if not d.shallow and d.body and d.body.strip()]
    if not docs:
        return []
    confdir = config_dir(project_root)
    salt = _salt(confdir)
    cache_file = _cache_file(content)
    cache = _load(cache_file)
    keys = {d.path: _key(salt, d) for d in docs}
    missing = [d for d in docs if keys[d.path] not in cache]
    if missing:
        cache.update(_parse(missing, content, confdir, keys, today))
    _store(cache_file, _kept(cache, [keys[d.path] for d in docs]))
    findings: list[Finding] = []
    targets = None
    for doc in docs:
        entry = cache[keys[doc.path]]
        findings += [
            Finding(doc.path, _line(doc, line), 1, Code(code), msg)
            for line, code, msg in entry["refusals"]
            if safe_mode or code != Code.MARKUP.value  # safe mode off: the build removes it
        ]
        refs = [_reference(r) for r in entry["references"]]
        if refs:
            targets = targets or all_targets(content, today)
            findings += _judged(doc, refs, targets)
    return findings


def _judged(doc: model.Document, refs: list[Reference], targets: Targets) -> Iterable[Finding]:
    for index, code, message in judge_references(refs, targets, public=doc.public):
        yield Finding(doc.path, _line(doc, refs[index].line), 1, code, message)


def _line(doc: model.Document, line: int) -> int:
    """A body's line in its file; a quoted or folded YAML text has only its field's line."""
    return line if doc.body_exact else doc.body_line


def _reference(data: dict[str, object]) -> Reference:
    return Reference(str(data["kind"]), str(data["target"]), int(data["line"]))  # type: ignore[call-overload]


def all_targets(content: model.Content, today: object) -> Targets:
    """Every object, page and media file of the content, each marked public or not."""
    from . import site

    everything = site.plan(content, today=today, intern=True)  # type: ignore[arg-type]
    public = site.plan(content, today=today, intern=False)  # type: ignore[arg-type]
    public_objects = {(k, i) for p in public.values() for k, i, _t in p.objects}
    objects = {(k, i): (k, i) in public_objects for p in everything.values() for k, i, _t in p.objects}
    public_media = schema.publishable_media(content, intern=False)
    media = {rel: rel in public_media for rel in schema.publishable_media(content, intern=True)}
    docs = {name: name in public for name in everything}
    return Targets(objects, docs, media, frozenset(content.media))


def config_dir(project_root: Path) -> Path:
    """The folder of the ``conf.py`` that builds this content (the project's, else the tool's)."""
    if (project_root / "conf.py").is_file():
        return project_root
    return Path(__file__).resolve().parent.parent


def _parse(
    docs: list[model.Document], content: model.Content, confdir: Path, keys: dict[str, str], today: object
) -> dict[str, dict[str, object]]:
    """Parse ``docs`` with one Sphinx application, exactly as the build's reader does."""
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from . import site
    from .sphinxext.state import State, set_state, template_dirs

    results: dict[str, dict[str, object]] = {}
    # docutils keeps directives and roles in global registries: restore them afterwards, as
    # sphinx-build does, or a build later in this process finds them "already registered"
    with (
        tempfile.TemporaryDirectory(prefix="regiodocs-pruefung-") as tmp,
        patch_docutils(confdir),
        docutils_namespace(),
    ):
        srcdir, outdir = Path(tmp) / "quellen", Path(tmp) / "aus"
        names = {}
        for doc in docs:
            docname = model.body_docname(doc)
            names[docname] = doc
            stub = srcdir / f"{docname}.rd"
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text(f"% regiodocs check {docname}\n", encoding="utf-8")
        (srcdir / f"{_ROOT}.rd").write_text("% regiodocs check\n", encoding="utf-8")
        warnings = io.StringIO()
        from sphinx.application import Sphinx

        app = Sphinx(
            str(srcdir), str(confdir), str(outdir), str(outdir / ".doctrees"), "dummy",
            confoverrides={"regiodocs_pruefung": "1", "regiodocs_sicher": "1", "root_doc": _ROOT},
            status=None, warning=warnings, freshenv=True,
        )  # fmt: skip
        from .sphinxext.anchors import box_anchors
        from .sphinxext.config import RegioConfig

        regio = RegioConfig.from_sphinx(app.config)
        pages = site.plan_for(content, today=today, intern=True, docnames=names)  # type: ignore[arg-type]
        state = State(regio, content, pages, template_dirs(confdir, regio), collected={})
        for docname, doc in names.items():  # the body alone; a planned page keeps its context
            planned = pages.get(docname) or site.Page(docname, None, doc.id, {})
            template = state.render(planned)
            anchors = _template_anchors(template) | box_anchors(template, planned.context)
            state.anchors[docname] = anchors
            pages[docname] = dataclasses.replace(
                planned, template=None, body=doc, orphan=True, objects=[], below_title=bool(anchors)
            )
        pages[_ROOT] = site.Page(_ROOT, None, "", {})
        set_state(app, state)
        app.builder.read()
        problems = _warnings(warnings.getvalue())
        for docname, doc in names.items():
            verdict = state.verdicts.get(docname)
            refusals = list(state.collected.get(doc.path, []))  # type: ignore[union-attr]
            stub = str(srcdir / f"{docname}.rd")
            for file, entries in problems.items():
                if file == stub or file == doc.path or file.endswith(f"/{doc.path}"):
                    refusals += [(line or doc.body_line, code, msg) for line, code, msg in entries]
            results[keys[doc.path]] = {
                "refusals": sorted({(line, code.value, msg) for line, code, msg in refusals}),
                "references": [asdict(r) for r in verdict.references] if verdict else [],
            }
    return results


_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)


def _template_anchors(text: str) -> set[str]:
    """The anchors MyST gives the headings of a page's template (links to them are fine)."""
    from myst_parser.mdit_to_docutils.base import default_slugify

    return {default_slugify(re.sub(r"\\(.)", r"\1", title)) for title in _HEADING.findall(text)}


def _warnings(text: str) -> dict[str, list[tuple[int, Code, str]]]:
    """Sphinx's and docutils' own warnings about a body, as findings in German words."""
    found: dict[str, list[tuple[int, Code, str]]] = {}
    for line in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines():
        match = _WARNING.match(line.strip())
        if not match:
            continue
        message = match["msg"].strip()
        if message.startswith(tuple(c.value for c in Code)) or message.endswith(_NOT_HERE):
            continue  # the guard's own refusals are collected directly; media are judged there
        file = match["file"].removesuffix(".rst")  # docutils names a directive's source "….md.rst"
        found.setdefault(file, []).append((int(match["line"] or 0), Code.MARKUP_ERROR, german(message)))
    return found


#: The warnings contributors meet most often, in German; others are quoted inside a German sentence.
_GERMAN = (
    (r"'([\w-]+)': Unknown option keys?: '?([^'(]+?)'? \(allowed: ([^)]*)\)",
     "Die Direktive `{0}` kennt die Option `:{1}:` nicht. Möglich sind: {2}."),
    (r"'([\w-]+)': Invalid options format",
     "Die Optionen der Direktive `{0}` sind falsch geschrieben: jede Option steht in einer eigenen "
     "Zeile direkt nach der ersten, ohne Einrückung, als `:name: wert`."),
    (r"All children of a '([\w-]+)' should be '([\w-]+)'",
     "In `{0}` dürfen nur `{1}`-Abschnitte stehen (z. B. `:::{{{1}}} Titel`)."),
    (r'Duplicate explicit target name: "([^"]+)"',
     "Der Name `{0}` (Option `:name:`) steht auf dieser Seite zweimal. Wählen Sie verschiedene Namen."),
    (r"non-whitespace stripped by dedent",
     "`:dedent:` würde hier Text abschneiden. Verkleinern Sie die Zahl oder lassen Sie die Option weg."),
    (r"'([\w-]+)': Invalid option value for '([\w-]+)': (.*?): (.*)",
     "Die Option `:{1}:` der Direktive `{0}` hat den ungültigen Wert `{2}`: {3}."),
    (r"Footnote \[[^\]]*\] is not referenced",
     "Eine Fußnote wird im Text nicht verwendet. Setzen Sie `[^name]` an die Stelle, zu der sie "
     "gehört, oder löschen Sie die Fußnote."),
    (r"Too many autonumbered footnote (?:references|labels)",
     "Verweise auf Fußnoten und Fußnoten passen nicht zusammen: jeder Verweis `[^name]` braucht "
     "genau eine Fußnote `[^name]: Text` mit demselben Namen."),
    (r'Unknown target name: "([^"]+)"',
     "Der Verweis `{0}` zeigt auf nichts auf dieser Seite. Prüfen Sie den Namen."),
    (r"Directive '([\w-]+)': (\d+) argument\(s\) required, 0 supplied",
     "Der Direktive `{0}` fehlt ihr Argument: es steht in derselben Zeile direkt nach `{{{0}}}`, "
     "z. B. der Titel oder die Bilddatei."),
    (r"Directive '([\w-]+)': (\d+) argument\(s\) required, (\d+) supplied",
     "Die Direktive `{0}` braucht {1} Argumente direkt nach `{{{0}}}`, hier stehen {2}."),
    (r"Directive '([\w-]+)': maximum 0 argument\(s\) allowed, (\d+) supplied",
     "Nach `{{{0}}}` steht in derselben Zeile nichts. Der Text gehört in die Zeilen darunter."),
    (r"Directive '([\w-]+)': maximum 1 argument\(s\) allowed, (\d+) supplied",
     "Nach `{{{0}}}` steht in derselben Zeile nur ein Wert (z. B. die Sprache eines Code-Blocks), "
     "hier stehen {1}. Weiterer Text gehört in die Zeilen darunter."),
    (r"Directive '([\w-]+)': maximum (\d+) argument\(s\) allowed, (\d+) supplied",
     "Nach `{{{0}}}` sind höchstens {1} Werte erlaubt, hier stehen {2}. Weiterer Text gehört in "
     "die Zeilen darunter."),
    (r"'([\w-]+)': Has content, but none permitted",
     "Die Direktive `{0}` darf keinen Inhalt haben: lassen Sie die Zeilen zwischen Anfang und Ende "
     "weg (eine Bildunterschrift schreiben Sie mit `{{figure}}`)."),
    (r"invalid line number spec: '(.*)'",
     "Die Zeilenangabe `{0}` ist ungültig: erwartet werden Zeilennummern wie `2` oder `1,3-5`."),
    (r'for the "([\w-]+)" directive: uniform two-level bullet list expected, but row (\d+) does not '
     r"contain the same number of items as row 1 \((\d+) vs (\d+)\)",
     "In der Tabelle (`{0}`) hat Zeile {1} nicht so viele Zellen wie die erste ({2} statt {3}): jede "
     "Zeile braucht gleich viele Zellen (`  - …`)."),
    (r'for the "([\w-]+)" directive: uniform two-level bullet list expected',
     "Eine Tabelle `{0}` ist eine Liste von Zeilen (`* - …`), jede mit ihren Zellen (`  - …`)."),
    (r'for the "([\w-]+)" directive: exactly one table expected',
     "In `{0}` steht genau eine Tabelle (Zeilen mit `|`), sonst nichts."),
    (r'Content block expected for the "([\w-]+)" directive; none found',
     "Die Direktive `{0}` braucht einen Inhalt zwischen ihrer ersten und letzten Zeile."),
    (r"Invalid directive argument: argument must be 1 or 4 \(xs sm md lg\) values",
     "Nach `{{grid}}` stehen 1 oder 4 Spaltenzahlen von 1 bis 12 (oder `auto`), z. B. `{{grid}} 1 2 2 3`."),
    (r'(?:No|no) content permitted.*"([\w-]+)"|"([\w-]+)" directive.*no content permitted',
     "Die Direktive `{0}` darf keinen Inhalt haben: lassen Sie die Zeilen zwischen Anfang und Ende weg."),
    (r'Error parsing content block for the "([\w-]+)" directive',
     "Der Inhalt der Direktive `{0}` hat nicht die Form, die sie erwartet. Vergleichen Sie ihn mit "
     "dem Beispiel in CONTRIBUTING.md."),
    (r'Error in "([\w-]+)" directive:\s*(.*)',
     "Fehler in der Direktive `{0}`: {1}. Prüfen Sie Argument, Optionen und Inhalt."),
)  # fmt: skip


#: docutils' reasons for a refused option value, in German
_REASONS = {
    "negative or zero value; must be positive": "erwartet wird eine ganze Zahl größer als 0",
    "negative value; must be positive or zero": "erwartet wird eine ganze Zahl ab 0",
    "argument required but none supplied": "hier fehlt der Wert",
    "no argument is allowed; found": "diese Option hat keinen Wert",
}


def _reason(text: str) -> str:
    text = text.rstrip(".")
    if text in _REASONS:
        return _REASONS[text]
    if text.startswith("invalid literal for int()"):
        return "erwartet wird eine ganze Zahl"
    choice = re.match(r'"(.*)" unknown; choose from (.*)', text)
    if choice:
        return f"erlaubt sind {choice.group(2).replace(', or ', ' oder ').replace(' or ', ' oder ')}"
    return text


def german(message: str) -> str:
    """A Sphinx or docutils warning about a contribution, as a German message with what to do."""
    text = re.sub(r"\s*\[[\w.]+\]$", "", message).strip()  # the "[myst.directive_option]" tag
    for pattern, template in _GERMAN:
        match = re.search(pattern, text)
        if match:
            groups = [re.sub(r"[\[\]']", "", g).strip() for g in match.groups() if g is not None]
            return template.format(*(_reason(g) for g in groups))
    return (
        "Die Auszeichnung an dieser Stelle ist fehlerhaft und würde so nicht angezeigt. Prüfen Sie "
        f"Direktive, Optionen und Einrückung (Meldung von Sphinx, englisch: „{text}“)."
    )


def _key(salt: str, doc: model.Document) -> str:
    digest = hashlib.sha256(salt.encode())
    # the whole file, not only the body: the template's headings (anchors) follow its fields
    for part in (model.body_docname(doc), doc.path, str(doc.body_line), doc.source_hash, doc.body or ""):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _salt(confdir: Path) -> str:
    """What every verdict depends on besides its file: tool, libraries, conf.py, templates."""
    from .templating import templates_hash

    libraries = ("sphinx", "myst-parser", "sphinx-design", "docutils", "pygments", "markdown-it-py")
    versions = [metadata.version(p) for p in libraries]
    conf = (confdir / "conf.py").read_bytes() if (confdir / "conf.py").is_file() else b""
    templates = templates_hash((str(confdir / "templates" / "regiodocs"),))
    return f"{CACHE_VERSION}:{code_hash()}:{hashlib.sha256(conf).hexdigest()}:{templates}:{versions}"


def _cache_file(content: model.Content) -> Path:
    base = cachefiles.cache_dir()
    name = hashlib.sha256(str(Path(content.root).resolve()).encode()).hexdigest()[:16]
    return base / f"pruefung-{name}.json"


def _kept(cache: dict[str, dict[str, object]], used: list[str]) -> dict[str, dict[str, object]]:
    """The cache to store: this run's verdicts last, older ones before them up to a bound.

    A selective check (one file) must not forget the verdicts of the whole tree.
    """
    now = set(used)
    kept = {key: value for key, value in cache.items() if key not in now}
    kept.update((key, cache[key]) for key in used)
    limit = max(CACHE_ENTRIES, 2 * len(used))
    return dict(list(kept.items())[-limit:])


def _load(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _store(path: Path, data: dict[str, dict[str, object]]) -> None:
    """Write the cache; a cache that cannot be written only costs time."""
    cachefiles.write_atomic(path, json.dumps(data, ensure_ascii=False).encode())


def markdown_tokens(text: str, project_root: Path) -> list[Any]:
    """The markdown-it tokens of a body as the build's MyST parser reads it (``conf.py``'s
    ``myst_*`` settings: extensions such as ``colon_fence``), with ``.map`` lines from 0.

    For judging what a body shows without a Sphinx application (the release gate).
    """
    return _markdown_parser(str(config_dir(project_root))).parse(text + "\n", {})


@functools.lru_cache(maxsize=4)
def _markdown_parser(confdir: str) -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    # the values myst_parser's Sphinx extension reads (create_myst_config), as conf.py sets them
    names = [n for n, _v, f in MdParserConfig().as_triple() if "sphinx" not in f.metadata.get("omit", [])]
    defaults = {f"myst_{name}": getattr(MdParserConfig(), name) for name in names}
    values = settings.conf_values(Path(confdir), defaults)
    md = create_md_parser(MdParserConfig(**{n: values[f"myst_{n}"] for n in names}), RendererHTML)
    md.validateLink = lambda url: True  # as the build's parser: every link is kept (and judged)
    return md
