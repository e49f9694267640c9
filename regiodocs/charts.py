"""Charts that tell the truth: a challenge's progress toward its target, as inline SVG.

Pure Python (no Sphinx). :func:`challenge_progress` turns the content an edition shows into
plain, JSON-able data for a challenge's page (the planner puts it into the page's context, so
it is fingerprinted); :func:`progress_html`, :func:`partner_html` and :func:`others_html` turn
that data into HTML: a ``<figure>`` with an accessible inline ``<svg role="img">`` and a
``<table>`` with the same numbers.

The rules the pictures keep (tests/test_charts.py checks them on the written SVG):

- **One fixed scale.** With a target (``zielwert`` in ``netzwerk.yaml``) every bar is
  ``value / target`` of the target's width; the scale grows beyond the target only when the
  values do, and the target stays marked. A bar is never scaled to its own maximum.
- **No target, no progress bar.** Without a target there is nothing to fill: the sum is a
  number, labelled "ohne Zielwert – Summe der gemeldeten Werte". Bars appear only as *shares
  of that sum* when it has at least two non-zero parts, so no single value ever fills the scale.
- **What counts.** Every record the caller passes (the edition's visible content: intern records
  are already gone) that reports the challenge's Kennzahl counts, also one tagged to another
  challenge (homes built in a climate project are still homes); the records are listed and the
  page says so. Examples (``beispiel: true``) count as well, and the figure says how many there
  are (an edition with examples is not published). Records that are ``ruhend`` or
  ``abgebrochen`` report values that are not being delivered: they are shown separately, on
  the same scale, and do not count as progress.
- **Only the challenge's own Kennzahl** is measured against its target; other Kennzahlen of the
  records tagged to the challenge are a separate list of totals, without target and without bars.
- Every value printed is escaped (``html.escape``); colours come with patterns and labels, so
  the status stays readable without colour, and each colour has at least 3:1 contrast to white.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from . import model, schema
from .drawing import DocnameOf, content_docname
from .drawing import escape as _e
from .drawing import px as _px
from .templating import number_de

#: The status ladder in its order; the last two do not count as progress.
STATUS_ORDER = model.STATUS_ORDER
NOT_COUNTED = model.STATUS_ASIDE
NO_STATUS = "ohne"
#: The status names of the schema, and a name for records without a status.
DEFAULT_STATUS_LABELS = schema.labels("projekt", "status") | {NO_STATUS: "ohne Status"}
#: Fallback fill of each status (the stylesheet sets KERN's tokens); each ≥ 3:1 against white.
STATUS_COLOURS = {
    "idee": "#5f6478", "planung": "#2d6aa3", "umsetzung": "#2a4fb8", "abgeschlossen": "#247342",
    "verstetigt": "#126a57", "ruhend": "#8a5a00", "abgebrochen": "#b3261e", NO_STATUS: "#555555",
}  # fmt: skip
#: A pattern per status (white strokes over the colour), so that the status shows without colour:
#: (stroke angle in degrees or None for dots, spacing).
STATUS_PATTERNS = {
    "idee": ("dots", 6), "planung": (45, 6), "umsetzung": (-45, 6), "abgeschlossen": (0, 5),
    "verstetigt": (None, 0), "ruhend": (90, 5), "abgebrochen": ("cross", 6), NO_STATUS: ("dots", 4),
}  # fmt: skip

WIDTH = 480  # the SVG's user units (≈ CSS px at full size); the stylesheet lets it shrink
TRACK = 448  # the width of the scale
LEFT = 16
BAR_HEIGHT = 28

NO_TARGET_LABEL = "ohne Zielwert – Summe der gemeldeten Werte"
BADGE = ' <span class="regio-abzeichen">Beispiel</span>'


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _tidy(value: float) -> int | float:
    """Sums of floats print as 1.234,5, not 1.234,4999999."""
    value = round(value, 6)
    return int(value) if float(value).is_integer() else value


def _status_key(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


def challenge_progress(
    content: model.Content,
    challenge_id: str,
    *,
    status_labels: Mapping[str, str] | None = None,
    docname_of: DocnameOf = content_docname,
    challenge_docname: str | None = None,
) -> dict[str, Any] | None:
    """The data of a challenge's progress chart, from the records of ``content`` (pass the
    edition's visible content: ``Content.visible(intern=...)``); None for an unknown challenge.

    Plain data (JSON-able, ordered) for the page's context; ``docname_of`` gives each listed
    record's page (default: its content path), so the chart can link it."""
    entry = next((e for e in content.registry("herausforderungen") if e.get("id") == challenge_id), None)
    if entry is None:
        return None
    labels = DEFAULT_STATUS_LABELS | dict(status_labels or {})
    indicators = {str(e["id"]): e for e in content.registry("kennzahlen") if "id" in e}
    key = entry.get("kennzahl")
    indicator = indicators.get(key) if isinstance(key, str) else None
    target = _number(entry.get("zielwert")) if indicator else None
    year = entry.get("zieljahr") if isinstance(entry.get("zieljahr"), int) else None
    records = sorted(content.records.values(), key=lambda d: (d.title.lower(), d.id))

    data: dict[str, Any] = {
        "herausforderung": challenge_id,
        "titel": str(entry.get("titel") or challenge_id),
        "docname": challenge_docname,
        "ziel_text": str(entry.get("ziel") or ""),
        "zieljahr": year,
        "kennzahl": None,
        "zielwert": target,
        "wert": 0,
        "prozent": None,
        "status": [],
        "nicht_gezaehlt": 0,
        "eintraege": [],
        "beispiele": 0,
        "partner": [],
        "weitere": [],
    }
    if indicator is not None:
        kid = str(indicator["id"])
        data["kennzahl"] = {
            "id": kid,
            "titel": str(indicator.get("titel") or kid),
            "einheit": str(indicator.get("einheit") or ""),
        }
        by_status: dict[str, list[float]] = {}
        by_partner: dict[str, float] = {}
        for doc in records:
            value = _number((doc.data.get("kennzahlen") or {}).get(kid))
            if value is None:
                continue
            status = doc.data.get("status") if isinstance(doc.data.get("status"), str) else NO_STATUS
            counted = status not in NOT_COUNTED
            lead = doc.data.get("federfuehrung")
            lead = lead if isinstance(lead, str) else None
            example = doc.data.get("beispiel") is True
            data["eintraege"].append({
                "id": doc.id, "titel": doc.title, "typ": doc.kind, "docname": docname_of(doc),
                "wert": value, "status": status, "status_label": labels.get(status, status),
                "federfuehrung": lead,
                "federfuehrung_name": content.partner[lead].title if lead in content.partner else lead,
                "zugeordnet": challenge_id in (doc.data.get("herausforderungen") or []),
                "zaehlt": counted, "beispiel": example,
            })  # fmt: skip
            data["beispiele"] += example
            by_status.setdefault(status, []).append(value)
            if counted:
                pid = lead or ""
                by_partner[pid] = by_partner.get(pid, 0) + value
        for status in sorted(by_status, key=_status_key):
            values = by_status[status]
            data["status"].append({
                "status": status, "label": labels.get(status, status), "wert": _tidy(sum(values)),
                "anzahl": len(values), "zaehlt": status not in NOT_COUNTED,
            })  # fmt: skip
        data["wert"] = _tidy(sum(s["wert"] for s in data["status"] if s["zaehlt"]))
        data["nicht_gezaehlt"] = _tidy(sum(s["wert"] for s in data["status"] if not s["zaehlt"]))
        if target:
            data["prozent"] = round(100 * data["wert"] / target, 1)
        data["partner"] = [
            {
                "id": pid or None,
                "name": (content.partner[pid].title if pid in content.partner else pid)
                or "ohne Federführung",
                "wert": _tidy(value),
                "docname": content_docname(content.partner[pid]) if pid in content.partner else None,
            }
            for pid, value in sorted(by_partner.items(), key=lambda i: (-i[1], i[0]))
        ]
    data["weitere"] = _others(records, challenge_id, data["kennzahl"], indicators, labels)
    return data


def _others(
    records: list[model.Document],
    challenge_id: str,
    own: dict[str, Any] | None,
    indicators: Mapping[str, dict[str, Any]],
    labels: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Totals of the other Kennzahlen that records tagged to the challenge report (no target)."""
    sums: dict[str, dict[str, list[float]]] = {}
    for doc in records:
        if challenge_id not in (doc.data.get("herausforderungen") or []):
            continue
        status = doc.data.get("status") if isinstance(doc.data.get("status"), str) else NO_STATUS
        for kid, raw in (doc.data.get("kennzahlen") or {}).items():
            value = _number(raw)
            if value is None or (own and kid == own["id"]):
                continue
            sums.setdefault(str(kid), {}).setdefault(status, []).append(value)
    result = []
    for kid in sorted(sums, key=lambda k: list(indicators).index(k) if k in indicators else len(indicators)):
        ind = indicators.get(kid, {})
        rows = [
            {"status": s, "label": labels.get(s, s), "wert": _tidy(sum(v)), "anzahl": len(v),
             "zaehlt": s not in NOT_COUNTED}
            for s, v in sorted(sums[kid].items(), key=lambda i: _status_key(i[0]))
        ]  # fmt: skip
        result.append({
            "id": kid, "titel": str(ind.get("titel") or kid), "einheit": str(ind.get("einheit") or ""),
            "wert": _tidy(sum(r["wert"] for r in rows if r["zaehlt"])),
            "nicht_gezaehlt": _tidy(sum(r["wert"] for r in rows if not r["zaehlt"])),
            "status": rows,
        })  # fmt: skip
    return result


# ---------------------------------------------------------------- HTML and SVG


def _n(value: object) -> str:
    return _e(number_de(value))


def _uid(*parts: object) -> str:
    """An id prefix that is stable (incremental = clean) and unique per figure on a page."""
    slug = re.sub(r"[^a-z0-9-]", "-", str(parts[0]).lower())[:24]
    return f"regio-{slug}-{hashlib.sha256(repr(parts).encode()).hexdigest()[:6]}"


def _unit(data: Mapping[str, Any]) -> str:
    ind = data.get("kennzahl") or {}
    return str(ind.get("einheit") or "")


def _with_unit(value: object, unit: str) -> str:
    return f"{number_de(value)} {unit}".strip()


def _in_unit(label: str, unit: str) -> str:
    """A column head with its unit: ``Wert (WE)``."""
    return _e(f"{label} ({unit})" if unit else label)


def _percent(value: float) -> str:
    return f"{number_de(round(value, 1))} %"


def _labels(data: Mapping[str, Any], labels: Mapping[str, str] | None) -> dict[str, str]:
    given = {s["status"]: s["label"] for s in data.get("status") or []}
    return DEFAULT_STATUS_LABELS | given | dict(labels or {})


def _status_text(row: Mapping[str, Any], names: Mapping[str, str], unit: str) -> str:
    """``Planung: 450 WE`` (``(nicht gezählt)`` for ruhend and abgebrochen)."""
    stopped = "" if row["zaehlt"] else " (nicht gezählt)"
    return f"{names.get(row['status'], row['status'])}{stopped}: {_with_unit(row['wert'], unit)}"


FONT_SIZES = {"regio-kopfzahl": 16, "regio-klein": 12}


def _text(x: float, y: float, text: str, cls: str = "regio-text", anchor: str = "start") -> str:
    size = next((v for k, v in FONT_SIZES.items() if k in cls.split()), 14)
    return (
        f'<text x="{_px(x)}" y="{_px(y)}" text-anchor="{anchor}" font-size="{size}" class="{cls}">'
        f"{_e(text)}</text>"
    )


def _track(y: float, height: float, width: float = TRACK, ziel: object = None) -> str:
    """The empty scale behind a bar (``rect.regio-skala``)."""
    mark = f' data-ziel="{_e(ziel)}"' if ziel is not None else ""
    return (
        f'<rect class="regio-skala" x="{LEFT}" y="{_px(y)}" width="{_px(width)}" height="{_px(height)}" '
        f'fill="#ffffff" stroke="#5f6478"{mark}/>'
    )


def _pattern_id(uid: str, status: str) -> str:
    return f"{uid}-m-{status}"


def _has_pattern(status: str) -> bool:
    return STATUS_PATTERNS.get(status, ("dots", 4))[0] is not None


def _patterns(uid: str, statuses: list[str]) -> str:
    """``<pattern>``s of white strokes laid over a status' colour (readable without colour)."""
    out = []
    for status in statuses:
        kind, gap = STATUS_PATTERNS.get(status, ("dots", 4))
        if kind is None:
            continue  # plain colour: the one status without a pattern
        turn = ""
        if kind == "dots":
            shape = f'<circle cx="{gap / 2}" cy="{gap / 2}" r="1.2" fill="#ffffff"/>'
        elif kind == "cross":
            shape = f'<path d="M0 0L{gap} {gap}M{gap} 0L0 {gap}" stroke="#ffffff" stroke-width="1.2"/>'
        else:
            shape = f'<path d="M0 0V{gap}" stroke="#ffffff" stroke-width="1.5"/>'
            turn = f' patternTransform="rotate({kind})"'
        out.append(
            f'<pattern id="{_e(_pattern_id(uid, status))}" width="{gap}" height="{gap}" '
            f'patternUnits="userSpaceOnUse"{turn}>{shape}</pattern>'
        )
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _swatch(uid: str, status: str, x: float, y: float, width: float, height: float, cls: str) -> str:
    """A rectangle in the status' colour with its pattern laid over it."""
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS[NO_STATUS])
    box = f'x="{_px(x)}" y="{_px(y)}" width="{_px(width)}" height="{_px(height)}"'
    out = f'<rect class="{cls} regio-status-{_e(status)}" {box} fill="{colour}"/>'
    if _has_pattern(status) and width > 0:
        fill = f"url(#{_e(_pattern_id(uid, status))})"
        out += f'<rect class="regio-muster" {box} fill="{fill}" aria-hidden="true"/>'
    return out


def _segment(
    uid: str, status: str, x: float, y: float, width: float, value: object, target: object, label: str
) -> str:
    """One bar (``rect.regio-balken``) and its pattern overlay; ``data-ziel`` empty: no target."""
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS[NO_STATUS])
    ziel = "" if target is None else _e(target)
    rect = (
        f'<rect class="regio-balken regio-status-{_e(status)}" x="{_px(x)}" y="{_px(y)}" '
        f'width="{_px(width)}" height="{BAR_HEIGHT}" fill="{colour}" data-wert="{_e(value)}" '
        f'data-ziel="{ziel}" data-status="{_e(status)}"><title>{_e(label)}</title></rect>'
    )
    if _has_pattern(status) and width > 0:
        rect += (
            f'<rect class="regio-muster" x="{_px(x)}" y="{_px(y)}" width="{_px(width)}" '
            f'height="{BAR_HEIGHT}" fill="url(#{_e(_pattern_id(uid, status))})" aria-hidden="true"/>'
        )
    return rect


def _legend(uid: str, statuses: list[str], names: Mapping[str, str], y: float) -> tuple[str, float]:
    """Swatches with pattern and name, wrapped into rows; returns (svg, height)."""
    parts, x, row = [], float(LEFT), 0
    for status in statuses:
        text = names.get(status, status) + (" (nicht gezählt)" if status in NOT_COUNTED else "")
        width = 22 + 7.5 * len(text) + 16
        if x + width > WIDTH - LEFT and x > LEFT:
            x, row = float(LEFT), row + 1
        top = y + 22 * row
        parts.append(_swatch(uid, status, x, top, 16, 16, "regio-legende"))
        parts.append(_text(x + 22, top + 13, text))
        x += width
    return "".join(parts), 22 * (row + 1) if statuses else 0


def _svg(uid: str, title: str, desc: str, height: float, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="regio-diagramm-svg" role="img" '
        f'viewBox="0 0 {WIDTH} {_px(height)}" width="{WIDTH}" height="{_px(height)}" '
        f'aria-labelledby="{uid}-titel {uid}-beschreibung">'
        f'<title id="{uid}-titel">{_e(title)}</title><desc id="{uid}-beschreibung">{_e(desc)}</desc>'
        f"{body}</svg>"
    )


def _link(title: str, docname: object, links: Mapping[str, str] | None) -> str:
    url = (links or {}).get(str(docname)) if docname else None
    return f'<a href="{_e(url)}">{_e(title)}</a>' if url else _e(title)


def _head(data: Mapping[str, Any]) -> str:
    """``450 WE von 2.000 WE (22,5 %), Zieljahr 2040`` or the sum without a target."""
    unit = _unit(data)
    value = data.get("wert") or 0
    target = data.get("zielwert")
    if not target:
        return f"{NO_TARGET_LABEL}: {_with_unit(value, unit)}"
    head = f"{_with_unit(value, unit)} von {_with_unit(target, unit)} ({_percent(data.get('prozent') or 0)})"
    return head + (f", Zieljahr {data['zieljahr']}" if data.get("zieljahr") else "")


def _against_target(
    uid: str, data: Mapping[str, Any], names: Mapping[str, str], y: float
) -> tuple[list[str], float]:
    """The stacked bar against the target (and the values that do not count, on the same scale).

    The scale is the target, widened only if the values pass it: width = TRACK·v/scale, so every
    bar is value / target of the target's width (one fixed factor for every bar)."""
    unit = _unit(data)
    target = float(data["zielwert"])
    rows = list(data.get("status") or [])
    stopped = float(data.get("nicht_gezaehlt") or 0)
    scale = max(target, float(data.get("wert") or 0), stopped)
    unit_px = TRACK / scale
    goal_px = unit_px * target
    body = [_text(LEFT, y, _head(data), "regio-text regio-kopfzahl")]
    y += 12
    body.append(_track(y, BAR_HEIGHT, goal_px, ziel=data["zielwert"]))
    x = float(LEFT)
    for r in (r for r in rows if r["zaehlt"]):
        width = unit_px * float(r["wert"])
        body.append(
            _segment(uid, r["status"], x, y, width, r["wert"], data["zielwert"], _status_text(r, names, unit))
        )
        x += width
    line_x = LEFT + goal_px
    body.append(
        f'<path class="regio-ziellinie" d="M{_px(line_x)} {_px(y - 6)}V{_px(y + BAR_HEIGHT + 6)}" '
        f'stroke="#1f1f1f" stroke-width="2"/>'
    )
    y += BAR_HEIGHT + 18
    for i in range(5):  # ticks at 0, 25, 50, 75, 100 % of the target
        tx = LEFT + goal_px * i / 4
        anchor = "start" if i == 0 else "end" if tx > WIDTH - 60 else "middle"
        body.append(_text(tx, y, number_de(_tidy(target * i / 4)), "regio-text regio-klein", anchor))
    y += 10
    if stopped:
        y += 14
        body.append(
            _text(LEFT, y, f"Nicht gezählt (ruhend oder abgebrochen): {_with_unit(_tidy(stopped), unit)}")
        )
        y += 8
        x = float(LEFT)
        for r in (r for r in rows if not r["zaehlt"]):
            width = unit_px * float(r["wert"])
            body.append(
                _segment(
                    uid, r["status"], x, y, width, r["wert"], data["zielwert"], _status_text(r, names, unit)
                )
            )
            x += width
        y += BAR_HEIGHT + 4
    return body, y


def _without_target(
    uid: str, data: Mapping[str, Any], names: Mapping[str, str], y: float
) -> tuple[list[str], float]:
    """No target: nothing to fill. The sum is a number; bars only as shares of the sum of all
    reported values, and only when that sum has two or more non-zero parts (so no single value
    ever fills the scale)."""
    unit = _unit(data)
    body = [_text(LEFT, y, _head(data), "regio-text regio-kopfzahl")]
    y += 10
    whole = float(data.get("wert") or 0) + float(data.get("nicht_gezaehlt") or 0)
    parts = [r for r in data.get("status") or [] if r["wert"]]
    if len(parts) < 2:
        for r in parts:
            y += 22
            body.append(_text(LEFT, y, _status_text(r, names, unit)))
        return body, y + 6
    y += 16
    all_values = _with_unit(_tidy(whole), unit)
    body.append(
        _text(LEFT, y, f"Anteile nach Status; ganze Breite = alle gemeldeten Werte ({all_values})",
              "regio-text regio-klein")
    )  # fmt: skip
    y += 6
    for r in parts:
        share = float(r["wert"]) / whole
        label = f"{_status_text(r, names, unit)} ({_percent(100 * share)})"
        body.append(_text(LEFT, y + 13, label))
        body.append(_track(y + 18, BAR_HEIGHT))
        body.append(_segment(uid, r["status"], LEFT, y + 18, TRACK * share, r["wert"], None, label))
        y += 18 + BAR_HEIGHT + 8
    return body, y


def progress_svg(data: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """The progress picture alone (an ``<svg role="img">``), for :func:`progress_html`."""
    names = _labels(data, labels)
    unit = _unit(data)
    ind = data.get("kennzahl") or {}
    uid = _uid(data.get("herausforderung", "fortschritt"), "fortschritt")
    rows = list(data.get("status") or [])
    statuses = [r["status"] for r in rows]
    draw = _against_target if data.get("zielwert") else _without_target
    body, y = draw(uid, data, names, 24.0)
    legend, height = _legend(uid, statuses, names, y + 14)
    by_status = "; ".join(_status_text(r, names, unit) for r in rows)
    desc = f"Kennzahl {ind.get('titel', '')}: {_head(data)}. Nach Status: {by_status or 'keine Werte'}."
    if not data.get("zielwert"):
        desc += " Kein Zielwert festgelegt."
    title = f"{data.get('titel', '')}: {ind.get('titel', '')}"
    return _svg(uid, title, desc, y + 18 + height, _patterns(uid, statuses) + "".join(body) + legend)


def progress_table(data: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """The figure's numbers as a table (same values, German number format)."""
    names = _labels(data, labels)
    unit = _unit(data)
    target = data.get("zielwert")
    empty = "<td></td>"
    rows = []
    for r in data.get("status") or []:
        share = _percent(100 * float(r["wert"]) / float(target)) if target else "–"
        rows.append(
            f'<tr data-status="{_e(r["status"])}">'
            f'<th scope="row">{_e(names.get(r["status"], r["status"]))}</th>'
            f'<td class="regio-zahl" data-wert="{_e(r["wert"])}">{_n(r["wert"])}</td>'
            f'<td class="regio-zahl">{_n(r["anzahl"])}</td><td>{"ja" if r["zaehlt"] else "nein"}</td>'
            f'<td class="regio-zahl">{_e(share)}</td></tr>'
        )
    value = data.get("wert", 0)
    percent = _percent(data["prozent"]) if data.get("prozent") is not None else "–"
    foot = (
        f'<tr class="regio-summe"><th scope="row">Summe (gezählt)</th>'
        f'<td class="regio-zahl" data-wert="{_e(value)}">{_n(value)}</td>{empty * 2}'
        f'<td class="regio-zahl">{_e(percent)}</td></tr>'
    )
    stopped = data.get("nicht_gezaehlt")
    if stopped:
        foot += (
            f'<tr><th scope="row">Nicht gezählt (ruhend oder abgebrochen)</th>'
            f'<td class="regio-zahl" data-wert="{_e(stopped)}">{_n(stopped)}</td>{empty * 3}</tr>'
        )
    year = f"Zieljahr {data['zieljahr']}" if data.get("zieljahr") else ""
    foot += (
        f'<tr><th scope="row">Zielwert</th><td class="regio-zahl">'
        f"{_n(target) if target else _e('kein Zielwert festgelegt')}</td>{empty * 2}<td>{_e(year)}</td></tr>"
    )
    return _frame(
        '<table class="regio-tabelle regio-fortschritt-tabelle">'
        f"<caption>{_e(_title(data))} in Zahlen</caption>"
        f'<thead><tr><th scope="col">Status</th><th scope="col">{_in_unit("Wert", unit)}</th>'
        f'<th scope="col">Einträge</th><th scope="col">zählt als Fortschritt</th>'
        f'<th scope="col">Anteil am Zielwert</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody><tfoot>{foot}</tfoot></table>",
        f"{_title(data)} in Zahlen",
    )


def _frame(table: str, label: str) -> str:
    """A table in a frame that scrolls sideways on a narrow screen instead of the page; it can
    take the focus, so that keyboard users can scroll it too (axe: scrollable-region-focusable)."""
    return (
        f'<div class="regio-tabelle-rahmen" role="region" tabindex="0" aria-label="{_e(label)}">{table}</div>'
    )


def _title(data: Mapping[str, Any]) -> str:
    ind = data.get("kennzahl") or {}
    return f"{ind.get('titel', '')}: Beitrag der Einträge"


def _caption(data: Mapping[str, Any], links: Mapping[str, str] | None, small: bool) -> str:
    ind = data.get("kennzahl") or {}
    head = _link(str(data.get("titel", "")), data.get("docname"), links) if small else _e(_title(data))
    text = _head(data) + ("" if data.get("zielwert") else f" ({ind.get('titel', '')})") + "."
    if not small:
        text += (
            " Gezählt werden alle veröffentlichten Einträge, die die Kennzahl melden, auch solche, die "
            "einer anderen Herausforderung zugeordnet sind; ruhende und abgebrochene Einträge zählen nicht."
        )
        n = data.get("beispiele") or 0
        if n:
            examples = "ein Beispieleintrag" if n == 1 else f"{number_de(n)} Beispieleinträge"
            text += f" Darunter {examples} (keine echten Daten)."
    return f"<figcaption><strong>{head}</strong> {_e(text)}</figcaption>"


def progress_html(
    data: Mapping[str, Any] | None,
    labels: Mapping[str, str] | None = None,
    *,
    small: bool = False,
    links: Mapping[str, str] | None = None,
) -> str:
    """``<figure class="regio-fortschritt">``: caption, SVG and the table with the same numbers.

    ``labels``: status id → name (default: the data's own, then German defaults); ``links``:
    docname → URL relative to the page (the records' and, when ``small``, the challenge's
    page). Not ``small``: also the records that report the Kennzahl, as a table."""
    if not data or not data.get("kennzahl"):
        return ""
    table = progress_table(data, labels)
    if small:
        table = (
            f'<details class="regio-tabelle-details"><summary>Zahlen als Tabelle</summary>{table}</details>'
        )
    fig = (
        f'<figure class="regio-fortschritt{" regio-fortschritt-klein" if small else ""}" '
        f'data-herausforderung="{_e(data.get("herausforderung", ""))}" data-ziel="{_e(_target_attr(data))}">'
        f"{_caption(data, links, small)}{progress_svg(data, labels)}{table}</figure>"
    )
    return fig if small else fig + records_html(data, links)


def _target_attr(data: Mapping[str, Any]) -> str:
    """The figure's target as plain number text (``data-ziel``), empty without one."""
    target = data.get("zielwert")
    return repr(float(target)) if isinstance(target, (int, float)) and target > 0 else ""


def records_html(data: Mapping[str, Any], links: Mapping[str, str] | None = None) -> str:
    """The records that report the challenge's Kennzahl, each with value, status and lead."""
    entries = data.get("eintraege") or []
    if not entries:
        return ""
    ind = data.get("kennzahl") or {}
    rows = "".join(
        f'<tr data-eintrag="{_e(r["id"])}"><th scope="row">{_link(r["titel"], r.get("docname"), links)}'
        f"{BADGE if r.get('beispiel') else ''}</th>"
        f'<td class="regio-zahl" data-wert="{_e(r["wert"])}">{_n(r["wert"])}</td>'
        f"<td>{_e(r['status_label'])}{'' if r['zaehlt'] else ' (nicht gezählt)'}</td>"
        f"<td>{_e(r.get('federfuehrung_name') or '–')}</td>"
        f"<td>{'ja' if r['zugeordnet'] else 'nein, einer anderen Herausforderung'}</td></tr>"
        for r in entries
    )
    return _frame(
        '<table class="regio-tabelle regio-meldungen">'
        f"<caption>Einträge, die die Kennzahl {_e(ind.get('titel', ''))} melden. Alle zählen, auch die "
        "einer anderen Herausforderung zugeordneten; ruhende und abgebrochene nicht.</caption>"
        f'<thead><tr><th scope="col">Eintrag</th><th scope="col">{_in_unit("Wert", _unit(data))}</th>'
        '<th scope="col">Status</th><th scope="col">Federführung</th>'
        '<th scope="col">zugeordnet</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>",
        f"Einträge, die die Kennzahl {ind.get('titel', '')} melden",
    )


def partner_html(data: Mapping[str, Any] | None, links: Mapping[str, str] | None = None) -> str:
    """The counted value by lead partner, as bars on one common scale, plus a table.

    The scale is honest either way: with a target each bar is the partner's value / target (the
    same fixed scale as the progress bar), so the bars add up to the progress bar; without a
    target the full width is the sum of all counted values, the same for every bar and stated in
    the figure, so a bar reads "share of what the network reported", never "goal reached", and
    the bars add up to the full width. With fewer than two partners there is nothing to compare
    and no bar is drawn (a lone bar would fill the scale): the table alone says it."""
    if not data or not data.get("kennzahl") or not data.get("partner"):
        return ""
    unit = _unit(data)
    target = data.get("zielwert")
    partners = data["partner"]
    total = float(data.get("wert") or 0)
    scale = max(float(target), total) if target else total
    ind = data.get("kennzahl") or {}
    title = f"{ind.get('titel', '')} nach federführendem Partner"
    if target and scale == float(target):
        scale_text = f"Maßstab: ganze Breite = Zielwert ({_with_unit(target, unit)})"
    else:
        over = f", mehr als der Zielwert von {_with_unit(target, unit)}" if target else ""
        scale_text = (
            f"Maßstab: ganze Breite = {_with_unit(_tidy(scale), unit)} (Summe aller gezählten Werte{over})"
        )
    svg = ""
    if scale > 0 and (target or sum(1 for p in partners if p["wert"]) >= 2):
        body, y = [_text(LEFT, 20, scale_text, "regio-text regio-klein")], 30.0
        for p in partners:
            width = TRACK * float(p["wert"]) / scale
            label = f"{p['name']}: {_with_unit(p['wert'], unit)} ({_percent(100 * float(p['wert']) / scale)})"
            body.append(_text(LEFT, y + 14, label))
            body.append(_track(y + 20, 18))
            body.append(
                f'<rect class="regio-balken regio-partnerbalken" x="{LEFT}" y="{_px(y + 20)}" '
                f'width="{_px(width)}" height="18" fill="#2a4fb8" data-wert="{_e(p["wert"])}" '
                f'data-ziel="{_e(target) if target else ""}" data-skala="{_e(_tidy(scale))}">'
                f"<title>{_e(label)}</title></rect>"
            )
            y += 46
        listed = "; ".join(f"{p['name']} {_with_unit(p['wert'], unit)}" for p in partners)
        uid = _uid(data.get("herausforderung", "partner"), "partner")
        svg = _svg(uid, title, f"{scale_text}. {listed}", y + 4, "".join(body))
    rows = "".join(
        f'<tr><th scope="row">{_link(p["name"], p.get("docname"), links)}</th>'
        f'<td class="regio-zahl" data-wert="{_e(p["wert"])}">{_n(p["wert"])}</td></tr>'
        for p in partners
    )
    note = "Der Wert eines Eintrags zählt bei seinem federführenden Partner." + (
        "" if svg else f" {scale_text}."
    )
    return (
        f'<figure class="regio-fortschritt regio-partneranteile" data-ziel="{_e(_target_attr(data))}">'
        f"<figcaption><strong>{_e(title)}</strong> {_e(note)}</figcaption>{svg}"
        + _frame(
            f'<table class="regio-tabelle regio-partnertabelle"><caption>{_e(title)}</caption>'
            f'<thead><tr><th scope="col">Partner</th><th scope="col">{_in_unit("Wert", unit)}</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>",
            title,
        )
        + "</figure>"
    )


def others_html(data: Mapping[str, Any] | None, labels: Mapping[str, str] | None = None) -> str:
    """The other Kennzahlen of the records tagged to the challenge: totals, no target, no bars."""
    others = (data or {}).get("weitere") or []
    if not others:
        return ""
    names = _labels(data or {}, labels)
    rows = []
    for k in others:
        by_status = "; ".join(_status_text(r, names, k["einheit"]) for r in k["status"])
        rows.append(
            f'<tr data-kennzahl="{_e(k["id"])}"><th scope="row">{_e(k["titel"])}</th>'
            f'<td class="regio-zahl" data-wert="{_e(k["wert"])}">'
            f"{_e(_with_unit(k['wert'], k['einheit']))}</td>"
            f"<td>{_e(by_status)}</td></tr>"
        )
    return _frame(
        '<table class="regio-tabelle regio-weitere-kennzahlen">'
        "<caption>Weitere Kennzahlen der zugeordneten Einträge – Summen der gemeldeten Werte, ohne "
        "Zielwert; sie messen nicht das Ziel dieser Herausforderung.</caption>"
        '<thead><tr><th scope="col">Kennzahl</th><th scope="col">Summe (ohne ruhende und abgebrochene)</th>'
        '<th scope="col">nach Status</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>",
        "Weitere Kennzahlen der zugeordneten Einträge",
    )


def summary(data: Mapping[str, Any]) -> str:
    """The progress in one line of text (for builders without HTML)."""
    ind = data.get("kennzahl") or {}
    return f"{ind.get('titel', '')}, {_head(data)}"
