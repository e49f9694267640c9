"""The content model: which files exist under ``content/`` and what they hold.

This module describes the *shape* of the contract (folders, record types,
labels). It knows nothing about a particular network: partner ids, fields of
action and platforms are data in ``content/``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: Body of a YAML profile; a Markdown record has it below its front matter.
BODY_FIELD = "beschreibung"


@dataclass(frozen=True)
class RecordType:
    """A kind of record contributed by partners."""

    name: str  # schema name and type id, e.g. "projekt"
    folder: str  # top-level folder under content/
    label: str  # German, singular
    plural: str  # German, plural
    group_registry: str | None = None  # subfolder names an id of this registry
    group_field: str | None = None  # field that must equal the subfolder
    has_body: bool = True


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("projekt", "projekte", "Projekt", "Projekte", "partner", "federfuehrung"),
    RecordType("praxis", "praxis", "Gute Praxis", "Gute Praxis"),
    RecordType(
        "ergebnis",
        "ergebnisse",
        "Plattform-Ergebnis",
        "Plattform-Ergebnisse",
        "plattform",
        "plattform",
    ),
    RecordType("foerderprogramm", "foerderung", "Förderprogramm", "Förderprogramme"),
    RecordType("veranstaltung", "veranstaltungen", "Veranstaltung", "Veranstaltungen"),
)
RECORD_TYPE_BY_NAME = {t.name: t for t in RECORD_TYPES}
RECORD_TYPE_BY_FOLDER = {t.folder: t for t in RECORD_TYPES}


@dataclass(frozen=True)
class RegistryType:
    """A registry kept by the network office: one file, or one file per entry."""

    name: str  # schema name, e.g. "partner"
    folder: str | None  # None: a single file (netzwerk.yaml)
    label: str


NETZWERK = RegistryType("netzwerk", None, "Netzwerk")
PARTNER = RegistryType("partner", "partner", "Partner")
PLATTFORM = RegistryType("plattform", "plattformen", "Plattform")
REGISTRY_FOLDERS = {r.folder: r for r in (PARTNER, PLATTFORM)}

PAGES_FOLDER = "seiten"
MEDIA_FOLDER = "medien"
#: The free page whose text the start page shows (``seiten/start.md``).
START_PAGE = "start"
NETZWERK_FILE = "netzwerk.yaml"
#: Optional registry of search synonyms (``gruppen``: lists of terms).
SYNONYME = RegistryType("synonyme", None, "Synonyme")
SYNONYME_FILE = "synonyme.yaml"


@dataclass
class Document:
    """A file under ``content/`` read into plain data (not yet validated)."""

    kind: str  # "netzwerk" | "partner" | "plattform" | record type name | "seite"
    id: str
    path: str  # relative to the project root, with "/" – used in messages
    rel: str  # relative to the content root, e.g. "projekte/neuss/x.md"
    data: dict[str, Any]
    group: str | None = None  # the subfolder (partner or platform id)
    body: str | None = None  # Markdown body (from below front matter or `beschreibung`)
    body_line: int = 1  # line of the body's first line in the file
    body_exact: bool = True  # body lines are file lines (not for quoted or folded YAML scalars)
    source_hash: str = ""
    positions: Any = None  # yamlio.Parsed, for messages
    markdown: bool = False
    shallow: bool = False  # only id, kind and visibility known (selective check)

    @property
    def record_type(self) -> RecordType | None:
        return RECORD_TYPE_BY_NAME.get(self.kind)

    @property
    def title(self) -> str:
        value = self.data.get("titel") or self.data.get("name") or self.id
        return str(value)

    @property
    def public(self) -> bool:
        return self.data.get("sichtbarkeit", "oeffentlich") != "intern"


#: Fields naming partners, in the order a record mentions them (lead first).
PARTNER_FIELDS = ("federfuehrung", "beteiligte", "partner", "gastgeber", "teilnehmende")

#: A project's status in its order (the schema's vocabulary): the ladder from the idea to the
#: lasting service, then the two that stand beside it (a resting or abandoned project).
STATUS_ORDER = ("idee", "planung", "umsetzung", "abgeschlossen", "verstetigt", "ruhend", "abgebrochen")
STATUS_ASIDE = frozenset({"ruhend", "abgebrochen"})
STATUS_LADDER = tuple(s for s in STATUS_ORDER if s not in STATUS_ASIDE)


def partner_ids(data: dict[str, Any]) -> list[str]:
    """Partner ids a record names as lead, participant, host or attendee (first mention first)."""
    seen: list[str] = []
    for name in PARTNER_FIELDS:
        value = data.get(name)
        for pid in value if isinstance(value, list) else [value]:
            if isinstance(pid, str) and pid not in seen:
                seen.append(pid)
    return seen


@dataclass
class Content:
    """Everything under ``content/`` that could be read, by kind."""

    root: str
    netzwerk: Document | None = None
    partner: dict[str, Document] = field(default_factory=dict)
    plattformen: dict[str, Document] = field(default_factory=dict)
    records: dict[str, Document] = field(default_factory=dict)  # by id
    pages: dict[str, Document] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)  # content-relative path → project path
    duplicates: list[Document] = field(default_factory=list)  # records whose id was taken
    synonyme: Document | None = None  # synonyme.yaml (optional)

    def documents(self) -> list[Document]:
        docs: list[Document] = [self.netzwerk] if self.netzwerk else []
        docs += [self.synonyme] if self.synonyme else []
        docs += [*self.partner.values(), *self.plattformen.values()]
        docs += [*self.records.values(), *self.pages.values()]
        return docs

    def registry(self, name: str) -> list[dict[str, Any]]:
        """Entries of a list registry in ``netzwerk.yaml`` (herausforderungen, …)."""
        if self.netzwerk is None:
            return []
        entries = self.netzwerk.data.get(name) or []
        return [e for e in entries if isinstance(e, dict)]

    def of_type(self, type_name: str) -> list[Document]:
        return [d for d in self.records.values() if d.kind == type_name]

    def visible(self, *, intern: bool) -> Content:
        """The content of one edition: without intern records unless ``intern``."""
        if intern:
            return self
        return Content(
            root=self.root,
            netzwerk=self.netzwerk,
            partner=self.partner,
            plattformen=self.plattformen,
            records={k: d for k, d in self.records.items() if d.public},
            pages=self.pages,
            media=self.media,
            synonyme=self.synonyme,
        )


#: Reference kinds (``x-verweis``) whose ids are entries of a list registry in ``netzwerk.yaml``.
REGISTRY_OF_KIND = {"handlungsfeld": "handlungsfelder", "herausforderung": "herausforderungen",
                    "kennzahl": "kennzahlen", "gremium": "gremien"}  # fmt: skip


def vocabulary(content: Content, kind: str) -> list[tuple[str, str]]:
    """The ids a reference of ``kind`` (``x-verweis``) may name in ``content``, with titles."""
    if kind == "partner":
        return [(k, d.title) for k, d in sorted(content.partner.items())]
    if kind == "plattform":
        return [(k, d.title) for k, d in sorted(content.plattformen.items())]
    if kind in REGISTRY_OF_KIND:
        entries = content.registry(REGISTRY_OF_KIND[kind])
        return [(str(e["id"]), str(e.get("titel", e["id"]))) for e in entries if "id" in e]
    docs = content.records.values() if kind == "eintrag" else content.of_type(kind)
    return sorted((d.id, d.title) for d in docs)


def overdue(agreement: dict[str, Any], today: dt.date) -> bool:
    """An agreement (an entry of an ergebnis' ``vereinbarungen``) whose ``bis`` lies before
    ``today`` and that is not ``erledigt``."""
    due = agreement.get("bis")
    return agreement.get("erledigt") is not True and isinstance(due, str) and due < today.isoformat()


def body_docname(doc: Document) -> str:
    """The page a document's body appears on (its content path, the start text on ``index``)."""
    if doc.kind == "seite" and doc.id == START_PAGE:
        return "index"
    return doc.rel.rsplit(".", 1)[0]
