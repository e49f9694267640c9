"""Each public record's history over the editions: what the Atom feeds say and when.

:func:`history` walks the manifests of all editions, oldest first, and the new one last, and
diffs each against its predecessor (:mod:`.diff`). For every record of the newest manifest it
keeps the edition that added it (``neu_in``, ``neu_epoch``) and the edition that last added or
changed it (``ausgabe``, ``epoch``) with what changed there, in German (``aenderung``: "Neu in
Ausgabe 2026-1" or "Geändert in Ausgabe 2026-2: Status: Umsetzung → Abgeschlossen"). The epochs
are the editions' ``SOURCE_DATE_EPOCH`` from their manifests, never the clock. A release passes
the result into its build as ``regiodocs_neuigkeiten`` (:mod:`regiodocs.feeds` reads it).
Manifests hold public records only: an intern record has no history and never reaches a feed.
"""

from __future__ import annotations

from typing import Any

from ..templating import date_de
from . import diff as diffs


def history(manifests: list[dict[str, Any]], *, basis_url: str | None = None) -> dict[str, Any]:
    """The feeds' data for the last of ``manifests`` (oldest first)."""
    known: dict[str, dict[str, Any]] = {}
    previous: dict[str, Any] | None = None
    for current in manifests:
        changes = diffs.diff(previous, current)
        name, epoch = current.get("ausgabe"), int(current.get("source_date_epoch") or 0)
        when = f"Ausgabe {name} vom {date_de(current.get('datum'))}"
        for entry in changes["entfernt"]:
            known.pop(entry["id"], None)
        for entry in changes["neu"]:
            known[entry["id"]] = {
                "neu_in": name, "neu_epoch": epoch, "ausgabe": name, "epoch": epoch,
                "aenderung": f"Neu in {when}.",
            }  # fmt: skip
        for entry in changes["geaendert"]:
            texts = "; ".join(diffs.change_text(f) for f in entry["felder"])
            past = known.setdefault(entry["id"], {"neu_in": name, "neu_epoch": epoch})
            past |= {"ausgabe": name, "epoch": epoch, "aenderung": f"Geändert in {when}: {texts}."}
        previous = current
    last = manifests[-1] if manifests else {}
    return {
        "ausgabe": last.get("ausgabe"),
        "datum": last.get("datum"),
        "epoch": int(last.get("source_date_epoch") or 0),
        "basis_url": basis_url,
        "eintraege": dict(sorted(known.items())),
    }
