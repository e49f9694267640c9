"""``regiodocs new <typ>``: a new record from a template, ready for ``regiodocs check``.

The questions are the record type's required fields in its JSON Schema (``stand``
is today), so a schema change changes the questions. Answers come from options
(for scripts) or from German prompts; each is checked with the schema before the
file is written. A required answer left empty is written as a commented example, so
``regiodocs check`` names the missing field. The file itself comes from ``templates/neu/<typ>.j2``:
every field of the schema with its explanation, optional ones commented out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import jinja2

from . import checks, loading, model, report, schema, site, yamlio
from .findings import EXIT_OK, EXIT_USAGE, Code

#: Longest id derived from a title (a suffix for uniqueness may follow).
MAX_ID = 60
WIDTH = 96
AUTO_FIELDS = ("stand",)
_FORMAT_HINTS = {
    "date": "JJJJ-MM-TT, z. B. 2026-03-15",
    "jahr-monat": "JJJJ oder JJJJ-MM",
    "http-url": "beginnt mit https://",
    "email": "z. B. stadtplanung@example.org",
}
_FORMAT_EXAMPLES = {
    "date": "2026-03-15", "jahr-monat": "2025-04", "jahr": "2019", "frist": "laufend",
    "http-url": "https://www.example.org/projekt", "email": "stadtplanung@example.org",
}  # fmt: skip


class UsageError(Exception):
    """An answer or option that cannot be used; the message is German."""


# ---------------------------------------------------------------- questions


@dataclass
class Question:
    """One required field (or one part of a required list of groups, like ``kontakt``)."""

    key: str  # field name; for parts of a group: the part's name
    title: str
    hint: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    multiple: bool = False
    group: str | None = None  # e.g. "kontakt": the answer is a part of its first entry
    alternative: bool = False  # one of several parts of which one is needed (email | telefon)


def questions(type_name: str, content: model.Content) -> list[Question]:
    """The questions for a record type: its required fields, from the schema."""
    doc = schema.document(type_name)
    found: list[Question] = []
    for key in doc.needed:
        f = doc.child(key)
        if key in AUTO_FIELDS or f is None:
            continue
        hint = f.description
        if f.items is not None:
            if f.items.properties:
                found += _group_questions(key, f.items)
                continue
            ref = f.items.reference
            choices = model.vocabulary(content, ref) if ref else []
            found.append(Question(key, f.title, hint, choices, multiple=True))
            continue
        if f.enum:
            choices = [(str(v), f.label(v)) for v in f.enum]
        else:
            choices = model.vocabulary(content, f.reference) if f.reference else []
        if f.format in _FORMAT_HINTS and _FORMAT_HINTS[f.format] not in hint:
            hint = f"{hint} ({_FORMAT_HINTS[f.format]})".strip()
        found.append(Question(key, f.title, hint, choices))
    return found


def _group_questions(group: str, item: schema.Field) -> list[Question]:
    """Parts of the first entry of a required list of groups (``kontakt``)."""
    found = []
    for key in [*item.needed, *item.alternatives]:
        part = item.child(key)
        if part is None:
            continue
        hint = part.description
        if key in item.alternatives:
            others = " oder ".join(f"`{a}`" for a in item.alternatives)
            hint += f" Nötig ist {others}."
        found.append(
            Question(key, f"{part.title} ({group})", hint, group=group, alternative=key in item.alternatives)
        )
    return found


# ---------------------------------------------------------------- answers


def _problems(type_name: str, data: dict[str, Any]) -> list[str]:
    """German schema messages for ``data`` (a partial record), missing fields aside."""
    text = json.dumps(data, ensure_ascii=False)  # JSON is YAML: parsed like any file
    parsed = yamlio.parse(text)
    doc = model.Document(kind=type_name, id="neu", path="neu", rel="neu", data=data, positions=parsed)
    return [f.message for f in schema.validate(doc) if f.code is not Code.REQUIRED]


def _split(values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    raw = [values] if isinstance(values, str) else list(values)
    return [part.strip() for value in raw for part in value.split(",") if part.strip()]


def _pick(question: Question, raw: str) -> str:
    """A choice given as number, id or label; raises UsageError."""
    by_number = {str(i): v for i, (v, _l) in enumerate(question.choices, 1)}
    by_label = {label.casefold(): v for v, label in question.choices}
    ids = [v for v, _l in question.choices]
    value = by_number.get(raw) or (raw if raw in ids else by_label.get(raw.casefold()))
    if value is None:
        allowed = ", ".join(f"`{v}`" for v in ids)
        raise UsageError(f"`{raw}` ist für „{question.title}“ nicht möglich. Erlaubt sind: {allowed}.")
    return value


def accept(type_name: str, question: Question, raw: str | Sequence[str] | None) -> object:
    """The value for ``question`` from a raw answer, or None if empty; raises UsageError."""
    if question.multiple:
        parts = _split(raw)
        value: object = [_pick(question, p) for p in parts] if question.choices else parts
        if not parts:
            return None
    else:
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            return None
        value = _pick(question, text) if question.choices else text
    data = {question.group: [{question.key: value}]} if question.group else {question.key: value}
    problems = _problems(type_name, data)
    if problems:
        raise UsageError(" ".join(problems))
    return value


def ask(type_name: str, question: Question, stdin: TextIO, stdout: TextIO) -> object:
    """Ask until the answer is usable or empty (empty: the check will ask for it later)."""
    stdout.write(f"\n{question.title} – {question.hint}\n")
    if question.choices:
        width = max(len(v) for v, _l in question.choices)
        for number, (value, label) in enumerate(question.choices, 1):
            shown = f"  {label}" if label != value else ""
            stdout.write(f"  {number:>2}  {value:<{width}}{shown}\n")
        stdout.write(
            "Nummern oder Kennungen, durch Komma getrennt:\n"
            if question.multiple
            else "Nummer oder Kennung:\n"
        )
    while True:
        stdout.write("> ")
        stdout.flush()
        line = stdin.readline()
        if not line:  # end of input: leave the rest for later
            stdout.write("\n")
            return None
        try:
            value = accept(type_name, question, line.strip())
        except UsageError as err:
            stdout.write(f"  {err} Bitte noch einmal (leer lassen: später ausfüllen).\n")
            continue
        if value is None:
            stdout.write("  (leer – tragen Sie es später in der Datei ein)\n")
        return value


def assemble(answers: dict[str, object], asked: list[Question]) -> dict[str, object]:
    """Top-level fields from answers keyed by question key (group parts into their group)."""
    data: dict[str, object] = {}
    for question in asked:
        value = answers.get(question.key)
        if question.group:
            if value is not None:
                entry = data.setdefault(question.group, [{}])
                assert isinstance(entry, list)
                entry[0][question.key] = value
        elif value is not None:
            data[question.key] = value
    return data


# ---------------------------------------------------------------- ids and places


def make_id(title: str, taken: set[str], *, suffix: str = "") -> str:
    """A valid, unused id from a title: umlauts transliterated, at most MAX_ID characters."""
    base = site.slug(title)
    if len(base) > MAX_ID:
        base = base[:MAX_ID].rsplit("-", 1)[0] or base[:MAX_ID]
    if suffix and suffix not in base:
        base = f"{base}-{suffix}"
    candidate, number = base, 2
    while candidate in taken or candidate == "index":
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def taken_ids(content: model.Content) -> set[str]:
    ids = {d.id for d in content.documents()} | {d.id for d in content.duplicates}
    return ids | set(content.partner) | set(content.plattformen)


def target(content_root: Path, rtype: model.RecordType, data: dict[str, object], rid: str, ext: str) -> Path:
    folder = content_root / rtype.folder
    if rtype.group_field:
        group = data.get(rtype.group_field)
        if not isinstance(group, str):
            raise UsageError(
                f"Ohne `{rtype.group_field}` weiß regiodocs nicht, in welchen Ordner die Datei gehört. "
                f"Geben Sie `--{rtype.group_field}` an."
            )
        folder = folder / group
    return folder / f"{rid}.{ext}"


# ---------------------------------------------------------------- rendering


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text:
        return False
    try:
        parsed = yamlio.parse(f"k: {text}\n")
    except yamlio.YamlError:
        return False
    return parsed.data == {"k": text}


def scalar(value: object) -> str:
    """One YAML 1.2 scalar, plain where that reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    return text if _plain_ok(text) else json.dumps(text, ensure_ascii=False)


def _flow_ok(values: list[object]) -> bool:
    return all(isinstance(v, str) and _plain_ok(v) and not set(v) & set(",[]{}#&*!|>'\"%@`") for v in values)


def block(key: str, value: object, indent: int = 0) -> str:
    """``key: value`` as YAML lines (nested lists of groups as block sequences)."""
    pad = " " * indent
    if isinstance(value, list):
        if not value:
            return f"{pad}{key}: []"
        if _flow_ok(value):
            return f"{pad}{key}: [{', '.join(str(v) for v in value)}]"
        lines = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):
                inner = [block(k, v, indent + 4) for k, v in item.items()] or [f"{pad}    {{}}"]
                first = inner[0][indent + 4 :]
                lines.append(f"{pad}  - {first}")
                lines += inner[1:]
            else:
                lines.append(f"{pad}  - {scalar(item)}")
        return "\n".join(lines)
    if isinstance(value, dict):
        if not value:
            return f"{pad}{key}: {{}}"
        return "\n".join([f"{pad}{key}:", *(block(k, v, indent + 2) for k, v in value.items())])
    if value is None:
        return f"{pad}{key}:"
    if isinstance(value, str) and len(value) > 80 and _plain_ok(value) and "  " not in value:
        wrapped = textwrap.wrap(value, WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)
        folded = "\n".join(f"{pad}  {line}" for line in wrapped)
        if yamlio.parse(f"k: >-\n{folded}\n").data == {"k": value}:
            return f"{pad}{key}: >-\n{folded}"
    return f"{pad}{key}: {scalar(value)}"


def _example(f: schema.Field, content: model.Content) -> object:
    """An example value for a field, built from the schema (ids from the content)."""
    if f.reference:
        ids = model.vocabulary(content, f.reference)
        return ids[0][0] if ids else "kennung"
    kind = f.kind
    examples = [e for e in f.examples if _fits(e, kind)]
    if examples:
        return examples[0]
    if f.enum:
        return f.enum[0]
    if f.format in _FORMAT_EXAMPLES:
        return _FORMAT_EXAMPLES[f.format]
    if kind == "array":
        items = f.tuple_items[0] if f.tuple_items else f.items
        return [_example(items, content)] if items is not None else []
    if kind == "object":
        if f.keys is not None:
            return {_example(f.keys, content): 1}
        first = f.alternatives[:1]  # e.g. email of email | telefon
        shown = [
            p for p in f.properties
            if p.required or p.name in first
            or (p.name not in f.alternatives and p.name not in f.conditional and p.types != ("boolean",))
        ]  # fmt: skip
        return {p.name: _example(p, content) for p in shown}
    return {"integer": 1, "number": 1.5, "boolean": True}.get(kind, "…")


def _fits(example: object, kind: str) -> bool:
    types = {
        "object": dict,
        "array": list,
        "string": str,
        "boolean": bool,
        "integer": int,
        "number": (int, float),
    }
    return isinstance(example, types.get(kind, object))


def _explain(f: schema.Field, content: model.Content) -> list[str]:
    """Further comment lines: allowed values, known ids, parts of a group."""
    lines = []
    ref = f.reference
    group = f
    if f.items is not None:
        ref = ref or f.items.reference
        group = f.items if f.items.properties else f
    if group.keys is not None:
        ref = group.keys.reference
    if ref:
        ids = model.vocabulary(content, ref)
        shown = ", ".join(k for k, _t in ids[:12]) + (" …" if len(ids) > 12 else "")
        lines.append(f"Kennungen: {shown}" if ids else "Kennungen: (noch keine vorhanden)")
    if group.enum:
        labels = group.labels
        lines.append(
            "Erlaubt: " + ", ".join(f"{v} ({labels[v]})" if v in labels else str(v) for v in group.enum)
        )
    for sub in group.properties:
        lines.append(f"- {sub.name}{' (Pflicht)' if sub.required else ''}: {sub.description}")
    return lines


def field_views(type_name: str, data: dict[str, object], content: model.Content) -> list[dict[str, Any]]:
    """Every field of the schema for the template: required ones first, in schema order."""
    doc = schema.document(type_name)
    required = list(doc.needed)
    names = [*required, *(f.name for f in doc.properties if f.name not in required)]
    views = []
    for key in names:
        f = doc.child(key)
        if key == model.BODY_FIELD or f is None:
            continue  # the body: below the front matter, or `beschreibung` at the end
        views.append({
            "name": key,
            "titel": f.title,
            "beschreibung": f.description,
            "pflicht": key in required,
            "hinweise": _explain(f, content),
            "zeilen": block(key, data[key]) if key in data else None,
            "offen": key in required and key not in data,
            "beispiel": block(key, _example(f, content)),
        })  # fmt: skip
    return views


def _comment(text: str, width: int = WIDTH) -> str:
    lines = []
    for paragraph in str(text).splitlines() or [""]:
        indent = "  " if paragraph.startswith("- ") else ""
        wrapped = textwrap.wrap(paragraph, width - 2, subsequent_indent=indent, break_on_hyphens=False)
        lines += [f"# {line}".rstrip() for line in wrapped or [""]]
    return "\n".join(lines)


def _commented(yaml_text: str) -> str:
    return "\n".join(f"# {line}" for line in yaml_text.splitlines())


def template_dirs(project_root: Path) -> list[str]:
    here = Path(__file__).resolve().parent.parent / "templates" / "neu"
    return [str(p) for p in (project_root / "templates" / "neu", here) if p.is_dir()]


def render(
    rtype: model.RecordType,
    data: dict[str, object],
    content: model.Content,
    *,
    markdown: bool,
    path: Path,
    project_root: Path,
    today: dt.date,
) -> str:
    """The file's text from ``templates/neu/<typ>.j2``; it reads back as ``data``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dirs(project_root)),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters["comment"] = _comment
    env.filters["commented_out"] = _commented
    schema_file = Path(str(schema_path(rtype.name)))
    text = env.get_template(f"{rtype.name}.j2").render(
        typ=rtype,
        titel=schema.document(rtype.name).title,
        felder=field_views(rtype.name, data, content),
        markdown=markdown,
        pfad=_shown(path, project_root),
        schema=os.path.relpath(schema_file, path.parent).replace(os.sep, "/"),
        heute=today.isoformat(),
    )
    _verify(text, data, markdown=markdown)
    return text


def schema_path(type_name: str) -> Path:
    return Path(__file__).resolve().parent / "schemas" / f"{type_name}.schema.json"


def _verify(text: str, data: dict[str, object], *, markdown: bool) -> None:
    """The written fields must read back exactly as answered (a template error otherwise)."""
    if markdown:
        front = text.split("\n---\n", 1)[0].removeprefix("---\n")
        parsed = yamlio.parse(front)
    else:
        parsed = yamlio.parse(text)
    got = parsed.data if isinstance(parsed.data, dict) else {}
    wrong = {k: got.get(k) for k, v in data.items() if got.get(k) != v}
    if wrong:
        raise RuntimeError(f"Vorlage gibt Felder falsch wieder: {wrong}")


def _shown(path: Path, folder: Path) -> str:
    """``path`` as it is typed in ``folder``: relative when below it, else absolute."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


# ---------------------------------------------------------------- command


@dataclass
class Created:
    path: Path
    id: str
    findings: list[Any]


def create(
    content_root: Path,
    type_name: str,
    answers: dict[str, object],
    *,
    markdown: bool | None = None,
    rid: str | None = None,
    today: dt.date | None = None,
    project_root: Path | None = None,
) -> Created:
    """Write a new record of ``type_name`` with ``answers`` (values as :func:`accept` returns)."""
    today = today or dt.date.today()
    project_root = project_root or content_root.resolve().parent
    rtype = model.RECORD_TYPE_BY_NAME[type_name]
    content, _ = loading.load(content_root, project_root)
    asked = questions(type_name, content)
    data = assemble(answers, asked)
    data["stand"] = today.isoformat()
    problems = _problems(type_name, data)
    if problems:
        raise UsageError(" ".join(problems))
    taken = taken_ids(content)
    if rid is not None:
        if not model.ID_PATTERN.match(rid):
            raise UsageError(f"`{rid}` ist als Kennung nicht erlaubt: nur a–z, 0–9 und Bindestriche.")
        if rid in taken:
            raise UsageError(f"Die Kennung `{rid}` ist schon vergeben.")
    else:
        title = str(data.get("titel") or type_name)
        date = str(data.get("datum") or "")
        rid = make_id(title, taken, suffix=date[:7] if rtype.name in ("ergebnis", "veranstaltung") else "")
    use_md = rtype.name != "foerderprogramm" if markdown is None else markdown
    path = target(content_root, rtype, data, rid, "md" if use_md else "yaml")
    for ext in ("md", "yaml"):
        if path.with_suffix(f".{ext}").exists():
            raise UsageError(
                f"Die Datei `{_shown(path.with_suffix('.' + ext), project_root)}` gibt es schon."
            )
    text = render(rtype, data, content, markdown=use_md, path=path, project_root=project_root, today=today)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    result = checks.check(content_root, project_root, today=today)
    shown = _shown(path, project_root)
    return Created(path, rid, [f for f in result.findings if f.file == shown])


def _option(key: str) -> str:
    return "--" + key.replace("_", "-")


def add_command(commands: Any) -> None:
    new = commands.add_parser(
        "new",
        help="Neuen Eintrag anlegen (fragt die Pflichtangaben ab).",
        description="Legt einen neuen Eintrag aus einer Vorlage an: richtiger Ordner, gültige "
        "Kennung aus dem Titel, jedes Feld in Kommentaren erklärt.",
    )
    types = new.add_subparsers(dest="typ", required=True, metavar="TYP", title="Arten von Einträgen")
    for rtype in model.RECORD_TYPES:
        sub = types.add_parser(rtype.name, help=f"{rtype.label} anlegen")
        empty = model.Content(root="")
        seen = set()
        for question in questions(rtype.name, empty):
            if question.key in seen:
                continue
            seen.add(question.key)
            sub.add_argument(
                _option(question.key),
                dest=f"feld_{question.key}",
                action="append" if question.multiple else "store",
                metavar="WERTE" if question.multiple else "WERT",
                help=f"{question.title}: {question.hint}",
            )
        form = sub.add_mutually_exclusive_group()
        form.add_argument("--yaml", dest="markdown", action="store_false", default=None,
                          help="als YAML-Profil anlegen (.yaml)")  # fmt: skip
        form.add_argument("--markdown", dest="markdown", action="store_true",
                          help="als Markdown mit Kopfbereich anlegen (.md)")  # fmt: skip
        sub.add_argument("--kennung", help="Kennung (Dateiname) selbst wählen")
        sub.add_argument(
            "--inhalt", default="content", metavar="ORDNER", help="Inhaltsordner (Standard: content)"
        )
        asking = sub.add_mutually_exclusive_group()
        asking.add_argument("--fragen", dest="fragen", action="store_true", default=None,
                            help="fehlende Angaben auch ohne Terminal abfragen (zeilenweise)")  # fmt: skip
        asking.add_argument("--keine-fragen", dest="fragen", action="store_false",
                            help="nichts fragen: Fehlendes nennt danach die Prüfung")  # fmt: skip
        sub.set_defaults(func=run)


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    root = Path(args.inhalt)
    if not (root / model.NETZWERK_FILE).is_file():
        print(
            f"regiodocs: Inhaltsordner `{root}` nicht gefunden (dort fehlt netzwerk.yaml).", file=sys.stderr
        )
        return EXIT_USAGE
    content, _ = loading.load(root, root.resolve().parent)
    rtype = model.RECORD_TYPE_BY_NAME[args.typ]
    interactive = args.fragen if args.fragen is not None else stdin.isatty()
    answers: dict[str, object] = {}
    asked = questions(rtype.name, content)
    if interactive:
        stdout.write(
            f"Neuer Eintrag: {rtype.label}. Ich frage die Pflichtangaben ab; alles Weitere ergänzen "
            "Sie danach in der Datei.\nLeer lassen heißt: später ausfüllen. Abbrechen mit Strg+C.\n"
        )
    try:
        for question in asked:
            raw = getattr(args, f"feld_{question.key}", None)
            if raw is not None:
                answers[question.key] = accept(rtype.name, question, raw)
            elif interactive and not _answered(question, answers, asked):
                answers[question.key] = ask(rtype.name, question, stdin, stdout)
        created = create(root, rtype.name, answers, markdown=args.markdown, rid=args.kennung)
    except UsageError as err:
        print(f"regiodocs: {err}", file=sys.stderr)
        return EXIT_USAGE
    _summary(created, root, stdout)
    return EXIT_OK


def _answered(question: Question, answers: dict[str, object], asked: list[Question]) -> bool:
    """An alternative part (``telefon``) is not asked once another (``email``) is given."""
    if not question.alternative:
        return False
    return any(q.alternative and q.group == question.group and answers.get(q.key) for q in asked)


def _summary(created: Created, root: Path, out: TextIO) -> None:
    shown = _shown(created.path, Path.cwd())
    # the check must read the same content folder: name it unless it is the default one
    default = root.resolve() == (Path.cwd() / "content").resolve()
    folder = [] if default else ["--inhalt", _shown(root, Path.cwd())]
    check = report.command("check", *folder, shown)
    out.write(f"\nAngelegt: {shown} (Kennung `{created.id}`)\n")
    errors = [f for f in created.findings if f.is_error]
    if not errors:
        out.write(f"Die Datei besteht die Prüfung ({check}).\n")
    if created.findings:
        out.write(
            "Noch zu tun – das meldet die Prüfung für diese Datei:\n"
            if errors
            else "Vor dem Einreichen noch zu tun (Warnungen; in der Prüfung mit --strict Fehler):\n"
        )
        out.write(report.text(created.findings))
    steps = (
        "Datei im Editor öffnen, Text schreiben und freiwillige Felder ergänzen "
        "(Zeilen mit „# “ am Anfang sind Erklärungen und Beispiele).",
        f"Prüfen: {check}",
        f"Ansehen: {report.command('serve', *folder)} "
        "(Vorschau im Browser, aktualisiert sich beim Speichern)",
        "Einreichen: als Merge-Request, siehe CONTRIBUTING.md.",
    )
    out.write("Nächste Schritte:\n")
    for number, text in enumerate(steps, 1):
        out.write(f"  {number}. {text}\n")
