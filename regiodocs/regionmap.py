"""A schematic map of the region, drawn at build time as inline SVG (no tiles, no request).

Pure Python (no Sphinx). :func:`map_data` collects the places an edition shows – partners with
``koordinaten`` (town hall or district office) and every record with ``ort.koordinaten`` – as
plain, JSON-able data for a page's context; :func:`map_html` draws them.

There is no outline data offline (borders, rivers, roads), and none is invented: the map is
points, labels, a scale bar and a north arrow, and its caption says so. The projection is
equirectangular with the longitude scaled by cos(latitude) at the map's centre (true to scale
there; across a region of some 50 km the error is far below a marker's size), fitted to the
points with a margin. Below the map the same places are listed with links ("Orte auf der
Karte"), the equivalent for readers who do not see the picture.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import Any

from . import model
from .drawing import DocnameOf, content_docname
from .drawing import escape as _e
from .drawing import px as _px

#: km per degree of latitude (mean), enough for a scale bar.
KM_PER_DEGREE = 111.32
#: the smallest extent shown, in degrees of latitude (≈ 6.7 km): one point is not a continent.
MIN_SPAN = 0.06
NICE_KM = (0.5, 1, 2, 5, 10, 20, 50, 100, 200)
#: NRW's bounds, as in the schemas (``ort.koordinaten``, partner ``koordinaten``).
LAT_RANGE = (50.3, 52.6)
LON_RANGE = (5.8, 9.5)

BOLD = ' font-weight="bold"'


def coordinates(value: Any) -> tuple[float, float] | None:
    """``[lat, lon]`` inside NRW as a pair of floats, else None."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    lat, lon = value
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in (lat, lon)):
        return None
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        return None
    return float(lat), float(lon)


def map_data(
    content: model.Content,
    focus: str | None = None,
    *,
    docname_of: DocnameOf = content_docname,
) -> dict[str, Any] | None:
    """The places of ``content`` (pass the edition's visible content) for a map.

    ``focus``: a record's or a partner's id – the map is then a locator that marks it, with
    the partners and only the focus record, or only the partner's records. None when there is
    no place at all, or when the focus has no coordinates (a locator without its subject shows
    nothing). ``docname_of`` gives each
    record's page (default: its content path); partners' pages are their content paths."""
    partners = []
    for pid, doc in sorted(content.partner.items()):
        point = coordinates(doc.data.get("koordinaten"))
        if point:
            partners.append({
                "id": pid, "name": doc.title, "art": str(doc.data.get("art") or ""),
                "docname": content_docname(doc), "lat": point[0], "lon": point[1],
            })  # fmt: skip
    records = []
    for doc in sorted(content.records.values(), key=lambda d: (d.title.lower(), d.id)):
        ort = doc.data.get("ort")
        point = coordinates(ort.get("koordinaten")) if isinstance(ort, dict) else None
        if point:
            rtype = doc.record_type
            records.append({
                "id": doc.id, "titel": doc.title, "typ": doc.kind,
                "typ_label": rtype.label if rtype else doc.kind, "docname": docname_of(doc),
                "lat": point[0], "lon": point[1], "partner": model.partner_ids(doc.data),
            })  # fmt: skip
    if not partners and not records:
        return None
    fokus = None
    if focus is not None:
        # A locator shows the partners and only the records that concern its subject: the
        # record itself, or the partner's records. So a record page's output (and its
        # fingerprint) does not change whenever some other record moves or is renamed.
        if focus in content.records:
            records = [r for r in records if r["id"] == focus]
            if not records:
                return None
            fokus = {"id": focus, "art": "eintrag"}
        elif focus in content.partner:
            if not any(p["id"] == focus for p in partners):
                return None
            records = [r for r in records if focus in r["partner"]]
            fokus = {"id": focus, "art": "partner"}
        else:
            return None
    return {"partner": partners, "eintraege": records, "fokus": fokus}


# ---------------------------------------------------------------- drawing


class Projection:
    """Equirectangular with cos(latitude) at the centre, fitted into ``width`` with ``margin``."""

    def __init__(
        self, points: list[tuple[float, float]], width: float, margin: float, max_height: float
    ) -> None:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        self.lat0 = (min(lats) + max(lats)) / 2
        self.cos = math.cos(math.radians(self.lat0))
        lat_span = max(max(lats) - min(lats), MIN_SPAN)
        lon_span = max((max(lons) - min(lons)) * self.cos, MIN_SPAN)
        self.north = self.lat0 + lat_span / 2
        self.west = (min(lons) + max(lons)) / 2 * self.cos - lon_span / 2  # in scaled degrees
        inner_w = width - 2 * margin
        inner_h = max_height - 2 * margin
        self.k = min(inner_w / lon_span, inner_h / lat_span)  # px per degree of latitude
        self.margin = margin
        self.width = width
        # centre the points horizontally when the height limited the scale
        self.dx = (inner_w - lon_span * self.k) / 2
        self.height = lat_span * self.k + 2 * margin

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.margin + self.dx + (lon * self.cos - self.west) * self.k
        y = self.margin + (self.north - lat) * self.k
        return x, y

    @property
    def px_per_km(self) -> float:
        return self.k / KM_PER_DEGREE


def _scale_bar(proj: Projection, font: float) -> str:
    """A bar of a round number of km, about a fifth of the map's width, bottom left."""
    target = proj.width / 5 / proj.px_per_km
    km = min(NICE_KM, key=lambda n: abs(math.log(n / target)))
    length = km * proj.px_per_km
    x, y = 12.0, proj.height - 12
    label = f"{str(km).replace('.', ',').removesuffix(',0')} km"
    return (
        f'<g class="regio-massstab" aria-hidden="true">'
        f'<path d="M{_px(x)} {_px(y - 6)}V{_px(y)}H{_px(x + length)}'
        f'V{_px(y - 6)}" fill="none" stroke="#1f1f1f" stroke-width="2" data-km="{_e(km)}" '
        f'data-laenge="{_px(length)}"/><text x="{_px(x + length + 6)}" y="{_px(y)}" '
        f'font-size="{_px(font)}" class="regio-text">{_e(label)}</text></g>'
    )


def _north(proj: Projection, font: float) -> str:
    x, y = proj.width - 18, 10.0
    return (
        f'<g class="regio-nordpfeil" aria-hidden="true"><path d="M{_px(x)} {_px(y)}l6 16h-12z" '
        f'fill="#1f1f1f"/><text x="{_px(x)}" y="{_px(y + 16 + font)}" text-anchor="middle" '
        f'font-size="{_px(font)}" class="regio-text">N</text></g>'
    )


def _uid(data: Mapping[str, Any], small: bool) -> str:
    key = repr((sorted((p["id"], p["lat"], p["lon"]) for p in data.get("partner") or []),
                sorted((r["id"], r["lat"], r["lon"]) for r in data.get("eintraege") or []),
                data.get("fokus"), small))  # fmt: skip
    return "regio-karte-" + hashlib.sha256(key.encode()).hexdigest()[:8]


def _is_focus(data: Mapping[str, Any], art: str, pid: str) -> bool:
    fokus = data.get("fokus") or {}
    return fokus.get("art") == art and fokus.get("id") == pid


def _fit(name: str, x: float, size: float, width: float, font: float) -> tuple[str, bool]:
    """A label and its side (True: right of the point) so that it stays inside the map;
    shortened with "…" if it fits on neither side (estimated width: 0.6 em per character, Fira
    Sans with room to spare)."""
    per_char = 0.6 * font
    room_right = width - 6 - (x + size + 4)
    room_left = x - size - 4 - 6
    needed = per_char * len(name)
    if needed <= room_right and (x < width * 0.55 or needed > room_left):
        return name, True
    if needed <= room_left:
        return name, False
    right = room_right >= room_left
    chars = max(int((room_right if right else room_left) / per_char) - 1, 3)
    return name[:chars].rstrip() + "…", right


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _free(box: Box, taken: list[Box]) -> bool:
    return all(box[2] <= t[0] or box[0] >= t[2] or box[3] <= t[1] or box[1] >= t[3] for t in taken)


def _place(
    name: str, x: float, y: float, size: float, width: float, font: float, taken: list[Box]
) -> tuple[str, float, bool] | None:
    """Where a label goes (text, x, right of the point?) without covering another label, the
    north arrow or the scale bar; None: nowhere free (the point keeps its title and the list
    below the map names it)."""
    text, right = _fit(name, x, size, width, font)
    needed = 0.6 * font * len(text)
    for side in (right, not right):
        lx = x + size + 4 if side else x - size - 4
        box = (
            (lx, y - font * 0.8, lx + needed, y + font * 0.4)
            if side
            else (lx - needed, y - font * 0.8, lx, y + font * 0.4)
        )
        if box[0] >= 0 and box[2] <= width and _free(box, taken):
            taken.append(box)
            return text, lx, side
    return None


def map_svg(data: Mapping[str, Any], *, small: bool = False, links: Mapping[str, str] | None = None) -> str:
    """The map alone (an ``<svg>``); see :func:`map_html`."""
    links = links or {}
    width = 320.0 if small else 480.0
    font = 12.0 if small else 14.0
    margin = 24.0 if small else 30.0
    partners = list(data.get("partner") or [])
    records = list(data.get("eintraege") or [])
    points = [(p["lat"], p["lon"]) for p in partners + records]
    proj = Projection(points, width, margin, max_height=width * 1.1)
    uid = _uid(data, small)
    body: list[str] = []
    has_links = False
    # the north arrow (top right) and the scale bar (bottom left) keep their corners free
    taken: list[Box] = [(width - 34, 0, width, 48), (0, proj.height - 30, 170, proj.height)]
    # records first, partners on top (their labels must stay readable)
    for kind, items in (("eintrag", records), ("partner", partners)):
        for item in items:
            x, y = proj(item["lat"], item["lon"])
            focus = _is_focus(data, kind, item["id"])
            name = item["titel"] if kind == "eintrag" else item["name"]
            classes = ["regio-punkt", f"regio-ort-{kind}"]
            if focus:
                classes.append("regio-fokus")
            size = (9.0 if focus else 6.0) * (0.8 if small else 1)
            if kind == "partner":
                shape = (
                    f'<circle cx="{_px(x)}" cy="{_px(y)}" r="{_px(size)}" fill="#2a4fb8" '
                    f'stroke="#ffffff" stroke-width="2"/>'
                )
            else:  # a diamond: records differ from partners by shape, not only by colour
                s = size + 1
                shape = (
                    f'<path d="M{_px(x)} {_px(y - s)}L{_px(x + s)} {_px(y)}L{_px(x)} {_px(y + s)}'
                    f'L{_px(x - s)} {_px(y)}Z" fill="{"#b3261e" if focus else "#8a5a00"}" '
                    f'stroke="#ffffff" stroke-width="1.5"/>'
                )
            label = ""
            placed = (
                _place(name, x, y, size, width, font, taken)
                if (kind == "partner" and not small) or focus
                else None
            )
            if placed is not None:
                text, lx, right = placed
                label = (
                    f'<text x="{_px(lx)}" y="{_px(y + font / 3)}" '
                    f'text-anchor="{"start" if right else "end"}" '
                    f'font-size="{_px(font)}" class="regio-text regio-kartenbeschriftung"'
                    f"{BOLD if focus else ''}>{_e(text)}</text>"
                )
            kind_label = item.get("typ_label", "Eintrag") if kind == "eintrag" else "Partner"
            tip = f"{name} ({kind_label})"
            group = (
                f'<g class="{" ".join(classes)}" data-id="{_e(item["id"])}" data-art="{kind}" '
                f'data-lat="{_e(item["lat"])}" data-lon="{_e(item["lon"])}" data-x="{_px(x)}" '
                f'data-y="{_px(y)}"><title>{_e(tip)}</title>{shape}{label}</g>'
            )
            url = links.get(str(item.get("docname") or ""))
            if url:
                has_links = True
                group = f'<a href="{_e(url)}" aria-label="{_e(tip)}">{group}</a>'
            body.append(group)
    body.append(_scale_bar(proj, font * 0.9))
    body.append(_north(proj, font * 0.9))
    fokus = data.get("fokus")
    focus_name = next(
        (i.get("titel") or i.get("name") for i in records + partners if fokus and i["id"] == fokus["id"]
         and (("titel" in i) == (fokus["art"] == "eintrag"))),
        None,
    )  # fmt: skip
    title = f"Lage von {focus_name} in der Region" if focus_name else "Karte der Region"
    desc = (
        f"Schematische Karte ohne Grenzen und Straßen: {len(partners)} Partner (runde Punkte) und "
        f"{len(records)} Einträge mit Ortsangabe (Rauten)"
        + (f"; hervorgehoben: {focus_name}" if focus_name else "")
        + ". Die Orte stehen auch in der Liste unter der Karte."
    )
    # With links inside, the picture is a group (links inside role="img" would be hidden
    # from assistive technology, and axe reports them as nested interactive content).
    role = 'role="group"' if has_links else 'role="img"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="regio-karte-svg" {role} '
        f'viewBox="0 0 {_px(width)} {_px(proj.height)}" width="{_px(width)}" height="{_px(proj.height)}" '
        f'aria-labelledby="{uid}-titel {uid}-beschreibung">'
        f'<title id="{uid}-titel">{_e(title)}</title><desc id="{uid}-beschreibung">{_e(desc)}</desc>'
        f'<rect class="regio-kartengrund" x="0" y="0" width="{_px(width)}" height="{_px(proj.height)}" '
        f'fill="#f5f6f8"/>{"".join(body)}</svg>'
    )


def _list(data: Mapping[str, Any], links: Mapping[str, str]) -> str:
    def item(name: str, docname: object, extra: str, focus: bool) -> str:
        url = links.get(str(docname or ""))
        text = f'<a href="{_e(url)}">{_e(name)}</a>' if url else _e(name)
        mark = " <strong>(hier)</strong>" if focus else ""
        return f"<li>{text}{_e(extra)}{mark}</li>"

    partners = "".join(
        item(p["name"], p.get("docname"), "", _is_focus(data, "partner", p["id"]))
        for p in data.get("partner") or []
    )
    records = "".join(
        item(
            r["titel"], r.get("docname"), f" ({r.get('typ_label', '')})", _is_focus(data, "eintrag", r["id"])
        )
        for r in data.get("eintraege") or []
    )
    parts = []
    if partners:
        parts.append(f"<li>Partner (runde Punkte)<ul>{partners}</ul></li>")
    if records:
        parts.append(f"<li>Einträge mit Ortsangabe (Rauten)<ul>{records}</ul></li>")
    return f"<ul>{''.join(parts)}</ul>"


def map_html(
    data: Mapping[str, Any] | None, *, small: bool = False, links: Mapping[str, str] | None = None
) -> str:
    """``<figure class="regio-karte">``: the map, a caption and the list of its places.

    ``links``: docname → URL relative to the current page (records and partners whose page is
    missing are drawn without a link); ``small``: a locator (half the width, labels only for
    the focus, the list folded)."""
    if not data:
        return ""
    links = dict(links or {})
    caption = (
        "Schematische Karte: Partner am Sitz ihrer Verwaltung (Rathaus, Kreisverwaltung) und "
        "Einträge mit Koordinaten; ohne Grenzen, Gewässer und Straßen. Maßstab gilt in der Kartenmitte."
    )
    places = _list(data, links)
    listing = (
        f'<details class="regio-karte-orte"><summary>Orte auf der Karte</summary>{places}</details>'
        if small
        else '<div class="regio-karte-orte"><p class="regio-karte-orte-titel">Orte auf der Karte</p>'
        f"{places}</div>"
    )
    return (
        f'<figure class="regio-karte{" regio-karte-klein" if small else ""}">'
        f"{map_svg(data, small=small, links=links)}<figcaption>{_e(caption)}</figcaption>{listing}</figure>"
    )
