"""What a contributed text points at, and whether that exists for its readers.

Plain data, no Sphinx: the build's guard (:mod:`regiodocs.sphinxext.guard`)
judges references against the edition's plan, ``regiodocs check``
(:mod:`regiodocs.bodies`) against the whole content, which tells "unknown"
from "intern".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .findings import Code

#: The ``regio`` roles' kinds with their German names (also the domain's object types).
KINDS = {
    "eintrag": "Eintrag", "partner": "Partner", "plattform": "Plattform",
    "handlungsfeld": "Handlungsfeld", "herausforderung": "Herausforderung",
    "status": "Status", "schlagwort": "Schlagwort", "seite": "Seite",
}  # fmt: skip


@dataclass(frozen=True)
class Reference:
    """Something a page points at: a ``regio`` object, a page (``doc``) or a file (``datei``)."""

    kind: str
    target: str
    line: int


@dataclass(frozen=True)
class Targets:
    """What exists, and whether it is public: ``regio`` objects, pages (docnames), media."""

    objects: Mapping[tuple[str, str], bool]
    docs: Mapping[str, bool]
    media: Mapping[str, bool]  # content-relative path → public (used by a public record)
    files: frozenset[str] = frozenset()  # every media file, used or not


_LABELS = {**KINDS, "doc": "Seite", "datei": "Datei"}


def judge_references(
    references: Iterable[Reference], targets: Targets, *, public: bool
) -> list[tuple[int, Code, str]]:
    """(index, code, message) for each reference that names nothing, or from a public page
    something intern."""
    problems: list[tuple[int, Code, str]] = []
    for index, ref in enumerate(references):
        if ref.kind == "datei":
            exists, is_public = ref.target in targets.media, targets.media.get(ref.target, False)
        elif ref.kind == "doc":
            exists, is_public = ref.target in targets.docs, targets.docs.get(ref.target, False)
        else:
            key = (ref.kind, ref.target)
            exists, is_public = key in targets.objects, targets.objects.get(key, False)
        if not exists:
            problems.append((index, *_missing(ref, targets)))
        elif public and not is_public:
            problems.append(
                (
                    index,
                    Code.INTERN_REFERENCE,
                    f"Hier wird auf `{ref.target}` verwiesen, das nur intern sichtbar ist. Das würde "
                    "es öffentlich machen: entfernen Sie den Verweis oder machen Sie diesen Text "
                    "ebenfalls intern.",
                )
            )
    return problems


def _missing(ref: Reference, targets: Targets) -> tuple[Code, str]:
    if ref.kind == "datei":
        if ref.target in targets.files:
            return (
                Code.MEDIA_MISSING,
                f"Die Datei `{ref.target}` wird von keinem Eintrag unter `bilder` oder `dokumente` "
                "genannt. Tragen Sie sie dort ein, dann kann der Text sie zeigen.",
            )
        return (
            Code.MEDIA_MISSING,
            f"Die Datei `{ref.target}` gibt es nicht. Legen Sie sie unter `content/{ref.target}` ab "
            "oder korrigieren Sie den Pfad (Groß-/Kleinschreibung beachten).",
        )
    if ref.kind == "doc":
        known = list(targets.docs)
    else:
        known = [ident for kind, ident in targets.objects if kind == ref.kind]
    close = difflib.get_close_matches(ref.target, known, n=1, cutoff=0.6)
    hint = f" Meinten Sie `{close[0]}`?" if close else ""
    if ref.kind == "doc":
        return (
            Code.REFERENCE,
            f"Die Seite `{ref.target}` gibt es im Handbuch nicht.{hint} Verweisen Sie auf Einträge "
            "mit {regio:eintrag}`kennung`, auf Seiten mit {regio:seite}`kennung`.",
        )
    return Code.REFERENCE, f"`{ref.target}` ist keine bekannte Kennung für {_LABELS[ref.kind]}.{hint}"
