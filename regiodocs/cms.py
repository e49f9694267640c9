"""What editors and the web editor read, derived from the JSON Schemas.

- :func:`editor_schemas`: the schemas as published under ``/schemas/`` – the
  files in ``regiodocs/schemas/`` plus standard keywords that say what the
  custom formats (``jahr-monat``, ``http-url``, …) mean, so that any draft-07
  validator (VS Code, check-jsonschema, the CMS) judges a value as
  ``regiodocs check`` does; ``enumDescriptions`` carry the German labels.
- :func:`config`: the Decap CMS ``config.yml`` for ``/admin/``: one collection
  per record type and file form, widgets from types, vocabularies and the ids
  in ``content/``, German labels and hints, the editorial workflow (every change
  becomes a merge request), the GitLab backend from :class:`Backend` – or, for
  ``regiodocs serve``, Decap's ``local_backend`` (``decap-server`` writes into the
  checkout's working tree).
- :func:`editor_enabled`: whether a build publishes ``/admin/`` (``regiodocs_cms``:
  ``"auto"`` – only with a configured backend, :attr:`Backend.configured` –, on or off);
  the release gate reads the same predicate.
- ``regiodocs schemas``: writes the editor-ready schemas into a folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import model, schema, settings
from .findings import EXIT_USAGE

#: Standard keywords equivalent to regiodocs' custom formats (ECMAScript regexes).
FORMAT_PATTERNS: dict[str, tuple[str, str]] = {
    "date": (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
             "Datum im Format JJJJ-MM-TT, z. B. 2026-03-15."),
    "jahr-monat": (r"^[0-9]{4}(-(0[1-9]|1[0-2]))?$", "Jahr (JJJJ) oder Monat (JJJJ-MM), z. B. 2025-04."),
    "jahr": (r"^[0-9]{4}$", "Jahreszahl JJJJ, z. B. 2019."),
    "frist": (r"^(laufend|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))$",
              "Datum JJJJ-MM-TT oder `laufend`."),
    "http-url": (r"^https?://[^\s/?#]+\.[^\s]*$|^https?://[^\s/?#]+$",
                 "Webadresse, die mit https:// oder http:// beginnt."),
    "email": (r"^[^@\s]+@[^@\s]+$", "E-Mail-Adresse, z. B. stadtplanung@example.org."),
}  # fmt: skip
#: Years written as numbers (``beginn: 2025``) have four digits.
_YEAR_NUMBERS = {"minimum": 1000, "maximum": 9999}
SCHEMA_PACKAGE = "regiodocs.schemas"
#: ``regiodocs_cms`` words meaning "only when a backend is configured".
AUTO_WORDS = ("auto", "automatisch")
#: The hosts a local editor is opened on (Decap's ``local_backend.allowed_hosts``).
LOCAL_HOSTS = ("127.0.0.1", "localhost")
#: A GitLab project path: namespace(s) and project, e.g. ``netzwerk/handbuch`` or ``a/b/c``.
_REPO = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+")
#: A GitLab OAuth application id (64 hex digits today; older ones other letters and digits).
_APP_ID = re.compile(r"[A-Za-z0-9_-]{8,}")
#: What a value copied from an example says instead of the real one.
_EXAMPLE = re.compile(
    r"bitte|eintragen|ihre?[-_ ]|your|app[-_]?id|anwendungs[-_]?id|application[-_]?id|projekt[-_]?pfad|"
    r"gruppe/projekt|xxx|example|beispiel|<|>",
    re.I,
)
_FIELDS = ("name", "repo", "branch", "base_url", "api_root", "app_id", "site_url")
_SERVER = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?")


# ---------------------------------------------------------------- editor-ready schemas


def _enrich(node: Any) -> Any:
    if isinstance(node, list):
        return [_enrich(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _enrich(value) for key, value in node.items()}
    fmt = out.get("format") if isinstance(out.get("format"), str) else None  # not a field named so
    if fmt in FORMAT_PATTERNS and fmt != "email" and "pattern" not in out:  # email: a standard format
        pattern, message = FORMAT_PATTERNS[fmt]
        out["pattern"] = pattern
        out.setdefault("patternErrorMessage", message)
        types = out.get("type")
        if fmt in ("jahr-monat", "jahr") and isinstance(types, list) and "integer" in types:
            out.update(_YEAR_NUMBERS)
    labels = out.get("x-bezeichnungen")
    if isinstance(labels, dict) and isinstance(out.get("enum"), list):
        out.setdefault("enumDescriptions", [str(labels.get(v, v)) for v in out["enum"]])
    return out


def schema_files() -> list[str]:
    """The schema files of the package (``common.schema.json``, ``projekt.schema.json``, …)."""
    folder = resources.files(SCHEMA_PACKAGE)
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".schema.json"))


def editor_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema as published under ``/schemas/``."""
    folder = resources.files(SCHEMA_PACKAGE)
    return {
        file: _enrich(json.loads(folder.joinpath(file).read_text(encoding="utf-8")))
        for file in schema_files()
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file, data in editor_schemas().items():
        path = folder / file
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# ---------------------------------------------------------------- Decap CMS configuration


@dataclass(frozen=True)
class Backend:
    """Where the CMS reads and writes.

    Sources, later ones winning: GitLab CI's variables (``CI_PROJECT_PATH``, ``CI_SERVER_URL``,
    ``CI_DEFAULT_BRANCH``, …), environment variables ``REGIODOCS_CMS_<FELD>`` (e.g.
    ``REGIODOCS_CMS_APP_ID`` as a CI variable), then ``regiodocs_cms_<feld>`` in conf.py or ``-D``.
    The repository is the installation's own (GitLab CI knows it); no network's is built in.
    """

    name: str = "gitlab"
    repo: str = ""  # e.g. "regionetzwerk/handbuch"; empty: a placeholder in the config
    branch: str = "main"
    base_url: str = ""  # e.g. https://gitlab.opencode.de; empty: gitlab.com
    api_root: str = ""
    app_id: str = ""  # id of the GitLab OAuth application (PKCE, no secret)
    site_url: str = ""

    @classmethod
    def from_environment(cls, **overrides: str) -> Backend:
        """Defaults from GitLab CI (project, server, default branch), then explicit settings.

        The API follows the server it belongs to: a ``base_url`` set later than the ``api_root``
        (e.g. in conf.py over CI's variables) brings its own ``<base_url>/api/v4``."""
        env = os.environ
        levels: list[dict[str, str]] = [
            {
                "repo": env.get("CI_PROJECT_PATH", ""),
                "branch": env.get("CI_DEFAULT_BRANCH", ""),
                "base_url": env.get("CI_SERVER_URL", ""),
                "api_root": env.get("CI_API_V4_URL", ""),
                "site_url": env.get("CI_PAGES_URL", ""),
            },
            {k: env.get(f"REGIODOCS_CMS_{k.upper()}", "") for k in _FIELDS},
            {k: str(v or "") for k, v in overrides.items()},
        ]
        values: dict[str, str] = {}
        level_of: dict[str, int] = {}
        for level, given in enumerate(levels):
            for key, value in given.items():
                if value and value.strip():
                    values[key], level_of[key] = value.strip(), level
        # one spelling of a server: no trailing slash (Decap joins paths with "/"), no API path
        for key in ("base_url", "api_root", "site_url"):
            if key in values:
                values[key] = values[key].rstrip("/")
        if values.get("base_url", "").endswith("/api/v4"):
            values["base_url"] = values["base_url"].removesuffix("/api/v4")
        # a self-hosted GitLab answers its API itself; Decap would otherwise ask gitlab.com's
        later = level_of.get("base_url", -1) > level_of.get("api_root", -1)
        if _server(values.get("base_url", "")) and later:
            values["api_root"] = f"{values['base_url']}/api/v4"
        return cls(**values)

    def problems(self) -> dict[str, str]:
        """What this backend lacks or has wrong to log in, by setting (``regiodocs_cms_<name>``),
        each with a German reason (empty: configured). A value copied from an example
        (``<app-id>``, ``BITTE …``, ``ihre-anwendungs-id``) is wrong."""
        found: dict[str, str] = {}

        def judge(name: str, value: str, valid: bool, what: str) -> None:
            if not value:
                found[name] = f"`{name}` fehlt ({what})"
            elif _EXAMPLE.search(value):
                found[name] = f"`{name}` (`{value}`) ist aus einem Beispiel übernommen ({what})"
            elif not valid:
                found[name] = f"`{name}` (`{value}`) ist ungültig ({what})"

        judge("regiodocs_cms_repo", self.repo, bool(_REPO.fullmatch(self.repo)),
              "der Projektpfad bei GitLab, `gruppe/projekt`")  # fmt: skip
        if self.name == "gitlab":
            judge("regiodocs_cms_app_id", self.app_id, bool(_APP_ID.fullmatch(self.app_id)),
                  "die Anwendungs-ID der GitLab-OAuth-Anwendung")  # fmt: skip
        for key in ("base_url", "api_root"):
            value = getattr(self, key)
            if value and not _server(value):
                judge(f"regiodocs_cms_{key}", value, bool(_SERVER.fullmatch(value)),
                      "eine Adresse, die mit https:// beginnt")  # fmt: skip
        return found

    def missing(self) -> list[str]:
        """The settings (``regiodocs_cms_<name>``) this backend lacks or has wrong (see
        :meth:`problems`); empty: configured."""
        return list(self.problems())

    @property
    def configured(self) -> bool:
        """Can partners log in: repository and (for GitLab) the OAuth application's id are set."""
        return not self.missing()

    def as_config(self) -> dict[str, Any]:
        repo = self.repo or "BITTE-REPO-EINTRAGEN"
        backend: dict[str, Any] = {"name": self.name, "repo": repo, "branch": self.branch}
        if self.name == "gitlab":
            backend["auth_type"] = "pkce"
            backend["app_id"] = self.app_id or "BITTE-APP-ID-EINTRAGEN"
        if self.base_url:
            backend["base_url"] = self.base_url
            backend["auth_endpoint"] = "oauth/authorize"
        if self.api_root:
            backend["api_root"] = self.api_root
        backend["squash_merges"] = True
        backend["commit_messages"] = {
            "create": "Neu: {{collection}} „{{slug}}“ (Web-Editor)",
            "update": "Geändert: {{collection}} „{{slug}}“ (Web-Editor)",
            "delete": "Gelöscht: {{collection}} „{{slug}}“ (Web-Editor)",
            "uploadMedia": "Medium hochgeladen: {{path}}",
            "deleteMedia": "Medium gelöscht: {{path}}",
        }
        return backend


def _server(url: str) -> bool:
    """An https address of a real server (not one copied from an example)."""
    return bool(_SERVER.fullmatch(url)) and not _EXAMPLE.search(url)


#: The settings ``regiodocs_cms_<name>`` (conf.py, ``-D``) a backend reads (``backend``: its name).
BACKEND_SETTINGS = ("backend", "repo", "branch", "base_url", "api_root", "app_id", "site_url")


def backend(values: Mapping[str, object]) -> Backend:
    """The backend from the settings ``regiodocs_cms_<name>`` (``values`` by ``name``; others are
    ignored) over the CI variables: what the build publishes and the release gate judges."""
    chosen = {name: str(values.get(name) or "") for name in BACKEND_SETTINGS}
    chosen["name"] = chosen.pop("backend")
    return Backend.from_environment(**chosen)


def switched_on(value: object) -> bool | None:
    """``regiodocs_cms`` as a boolean, ``None`` for ``"auto"`` (see :func:`editor_enabled`);
    an unknown word raises ``ValueError`` with a German message."""
    return None if is_auto(value) else settings.as_bool(value, name="regiodocs_cms")


def is_auto(value: object) -> bool:
    """``regiodocs_cms = "auto"``: the editor only when its backend is configured."""
    return isinstance(value, str) and value.strip().lower() in AUTO_WORDS


def editor_enabled(switched_on: bool | None, backend: Backend) -> bool:
    """Does the build publish ``/admin/``? ``switched_on``: ``regiodocs_cms`` as a boolean,
    ``None`` for ``"auto"`` (then: only when :attr:`Backend.configured`)."""
    return backend.configured if switched_on is None else switched_on


def _units(content: model.Content) -> dict[str, str]:
    return {str(e["id"]): str(e.get("einheit", "")) for e in content.registry("kennzahlen") if "id" in e}


def _limits(f: schema.Field, low: str, high: str, *, items: bool = False) -> dict[str, Any]:
    """Decap's ``min``/``max`` from a field's range (or, with ``items``, its number of entries)."""
    bounds = (f.min_items, f.max_items) if items else (f.minimum, f.maximum)
    return {key: value for key, value in zip((low, high), bounds, strict=True) if value is not None}


class _Fields:
    """Turns the schema's fields into Decap fields for one content tree."""

    def __init__(self, content: model.Content) -> None:
        self.content = content

    def field(self, f: schema.Field) -> dict[str, Any] | None:
        out: dict[str, Any] = {"name": f.name, "label": f.title, "required": f.required}
        if f.description:
            out["hint"] = f.description
        widget = self.widget(f)
        if widget is None:
            return None
        return out | widget

    def fields(self, group: schema.Field, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        names = [p.name for p in group.properties]
        needed = [k for k in group.needed if k in names]
        order = [*needed, *(k for k in names if k not in needed)] if "titel" in needed else names
        found = [self.field(f) for k in order if k not in skip and (f := group.child(k)) is not None]
        return [f for f in found if f is not None]

    def widget(self, f: schema.Field) -> dict[str, Any] | None:
        if f.reference:
            return self.choice(f.reference, list(f.also), multiple=False)
        if f.enum:
            out = {"widget": "select", "options": [{"label": f.label(v), "value": v} for v in f.enum]}
            return out | ({"default": f.default} if f.has_default else {})
        if f.media:
            return {"widget": "file", "media_library": {"config": {"multiple": False}}}
        if f.kind == "array":
            return self.array(f)
        if f.kind == "object":
            return self.group(f)
        if f.kind == "boolean":
            return {"widget": "boolean"} | ({"default": f.default} if f.has_default else {})
        if f.kind in ("integer", "number") and len(f.types) == 1:
            value_type = "int" if f.kind == "integer" else "float"
            return {"widget": "number", "value_type": value_type} | _limits(f, "min", "max")
        return self.text(f, f.required)

    def text(self, f: schema.Field, required: bool) -> dict[str, Any]:
        if f.format == "date":
            date = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD.MM.YYYY",
                    "time_format": False, "picker_utc": True}  # fmt: skip
            return date if required else date | {"default": ""}
        limit = f.max_length
        out: dict[str, Any] = {"widget": "text" if int(limit or 0) > 200 else "string"}
        if f.format in FORMAT_PATTERNS:
            pattern, message = FORMAT_PATTERNS[f.format]
            out["pattern"] = [pattern, message]
        elif f.pattern == schema.BLANK_PATTERN:  # not only spaces, and the length limit
            length = f"[\\s\\S]{{0,{limit}}}" if limit else "[\\s\\S]*"
            out["pattern"] = [
                f"^(?=[\\s\\S]*{schema.BLANK_PATTERN}){length}$",
                "Bitte einen Text eingeben, nicht nur Leerzeichen"
                + (f" (höchstens {limit} Zeichen)." if limit else "."),
            ]
        elif f.pattern is not None:
            out["pattern"] = [f.pattern, f.description or "Format beachten."]
        elif limit is not None:
            out["pattern"] = [f"^[\\s\\S]{{0,{limit}}}$", f"Höchstens {limit} Zeichen."]
        return out

    def choice(self, kind: str, extra: list[str], *, multiple: bool) -> dict[str, Any]:
        known = model.vocabulary(self.content, kind)
        options = [
            {"label": f"{title} ({key})" if title != key else key, "value": key} for key, title in known
        ]
        options += [{"label": value, "value": value} for value in extra]
        if not options:  # nothing to choose from yet: an id typed by hand
            pattern = ["^[a-z0-9][a-z0-9-]*$", "Kennung: a–z, 0–9 und Bindestriche."]
            if multiple:
                return {"widget": "list", "field": {"name": "kennung", "label": "Kennung", "widget": "string",
                                                    "pattern": pattern}}  # fmt: skip
            return {"widget": "string", "pattern": pattern}
        return {"widget": "select", "options": options, "multiple": multiple}

    def array(self, f: schema.Field) -> dict[str, Any]:
        limits = _limits(f, "min", "max", items=True)
        if f.tuple_items:  # a tuple such as [Breite, Länge]
            number = {"name": "wert", "label": "Wert", "widget": "number", "value_type": "float"}
            return {"widget": "list", "field": number} | limits
        item = f.items or schema.UNKNOWN
        if item.reference:
            return self.choice(item.reference, [], multiple=True) | limits
        if item.properties:
            fields = self.fields(item)
            summary = "{{fields." + fields[0]["name"] + "}}"
            return {"widget": "list", "fields": fields, "summary": summary} | limits
        single = {"name": "eintrag", "label": f.title} | self.text(item, True)
        return {"widget": "list", "field": single} | limits

    def group(self, f: schema.Field) -> dict[str, Any] | None:
        if f.keys is not None:  # a map such as kennzahlen: id → number
            kind = f.keys.reference
            units = _units(self.content) if kind == "kennzahl" else {}
            value = f.values or schema.UNKNOWN
            fields = []
            for key, title in model.vocabulary(self.content, kind) if kind else []:
                unit = f" ({units[key]})" if units.get(key) else ""
                number = {"widget": "number", "value_type": "float"} | _limits(value, "min", "max")
                fields.append({"name": key, "label": f"{title}{unit}", "required": False} | number)
            return {"widget": "object", "collapsed": True, "fields": fields} if fields else None
        return {"widget": "object", "collapsed": True, "fields": self.fields(f)}


_BODY = {"name": "body", "label": "Text", "widget": "markdown",
         "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                     "bulleted-list", "numbered-list"],
         "editor_components": [], "modes": ["rich_text", "raw"]}  # fmt: skip


_FORMS = {"yaml": "YAML-Profile", "md": "Markdown"}


def collections(content: model.Content, folder: str = "content") -> Iterator[dict[str, Any]]:
    """Two collections per record type: Markdown files and YAML profiles.

    ``folder``: the content folder relative to the repository root (where the backend writes).
    """
    builder = _Fields(content)
    for rtype in model.RECORD_TYPES:
        root = schema.document(rtype.name)
        primary = "yaml" if rtype.name == "foerderprogramm" else "md"
        for ext in (primary, "md" if primary == "yaml" else "yaml"):
            markdown = ext == "md"
            fields = builder.fields(root, skip=(model.BODY_FIELD,))
            body = _BODY if markdown else _BODY | {"name": model.BODY_FIELD, "label": "Beschreibung",
                                                   "required": False}  # fmt: skip
            fields.append(body | {"required": False, "hint": "Ausführlicher Text in Markdown."})
            collection: dict[str, Any] = {
                "name": rtype.name if ext == primary else f"{rtype.name}-{ext}",
                "label": rtype.plural if ext == primary else f"{rtype.plural} ({_FORMS[ext]})",
                "label_singular": rtype.label,
                "description": root.description,
                "folder": f"{folder}/{rtype.folder}" if folder else rtype.folder,
                "extension": ext,
                "format": "frontmatter" if markdown else "yaml",
                "create": ext == primary,
                "slug": "{{slug}}",
                "identifier_field": "titel",
                "summary": "{{titel}}",
                "sortable_fields": ["titel", "stand"],
                "editor": {"preview": False},
                "fields": fields,
            }  # fmt: skip
            if rtype.group_field:
                collection["path"] = "{{" + rtype.group_field + "}}/{{slug}}"
            yield collection


def config(
    content: model.Content, backend: Backend, *, local: str = "", folder: str = "content"
) -> dict[str, Any]:
    """The Decap CMS configuration for ``content`` (pass the edition's visible content).

    ``local``: the API address of a running ``decap-server`` (``http://127.0.0.1:<port>/api/v1``):
    the editor then reads and writes the working tree through it (Decap's ``local_backend``,
    which Decap uses when the page is opened on one of :data:`LOCAL_HOSTS`; ``publish_mode``
    simple: the file is written at once, there is no merge request). ``folder``: the content
    folder relative to the repository's root; ``""`` when the backend's root is the content
    folder itself (the local ``decap-server``, which may write nothing else).
    """
    out: dict[str, Any] = {"locale": "de"}
    if local:
        out["backend"] = {"name": "proxy", "proxy_url": local, "branch": backend.branch}
        out["local_backend"] = {"url": local, "allowed_hosts": list(LOCAL_HOSTS)}
        out["publish_mode"] = "simple"
    else:
        out["backend"] = backend.as_config()
        out["publish_mode"] = "editorial_workflow"
    out |= {
        "media_folder": f"{folder}/{model.MEDIA_FOLDER}" if folder else model.MEDIA_FOLDER,
        "public_folder": model.MEDIA_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": list(collections(content, folder)),
    }
    if backend.site_url and not local:
        out["site_url"] = out["display_url"] = backend.site_url
    return out


def dump(data: dict[str, Any]) -> str:
    header = "# Erzeugt von regiodocs aus den JSON-Schemas (regiodocs/schemas/). Nicht von Hand ändern.\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: ~10x faster on big configs
    return header + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


# ---------------------------------------------------------------- command


def add_command(commands: Any) -> None:
    export = commands.add_parser(
        "schemas",
        help="JSON-Schemas für Editoren exportieren.",
        description="Schreibt die JSON-Schemas (draft-07) so, wie sie unter /schemas/ veröffentlicht "
        "werden: mit Mustern für Datums- und Adressformate, die jeder Editor versteht.",
    )
    export.add_argument(
        "--ziel", default="_build/schemas", metavar="ORDNER", help="Zielordner (Standard: _build/schemas)"
    )
    export.set_defaults(func=_export)


def _export(args: argparse.Namespace) -> int:
    from .failures import target_problem

    problem = target_problem(Path(args.ziel), folder=True)
    if problem:
        print(f"regiodocs: {problem}", file=sys.stderr)
        return EXIT_USAGE
    for path in write_schemas(Path(args.ziel)):
        print(path.as_posix())
    return 0
