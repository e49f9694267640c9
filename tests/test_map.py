"""The region map (regiodocs.regionmap), checked on the written SVG.

Property tests with fixed seeds: random places inside NRW; every point must lie inside the
viewBox, west→east and north→south in the order of the coordinates, the scale bar must measure
true distances (cos(latitude) correction), links must be there, every value escaped, and the
output safe by the publish-time SVG judge and the page audit. Also: the partners of the real
content carry plausible coordinates, and the schema refuses coordinates outside NRW.
"""

from __future__ import annotations

import math
import random
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

from regiodocs import audit, loading, model, regionmap, schema, svg
from regiodocs.findings import Code

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", '" onload="alert(1)', "</svg><img src=x onerror=y>"]


def _doc(kind: str, id_: str, rel: str, data: dict[str, Any], group: str | None = None) -> model.Document:
    return model.Document(kind=kind, id=id_, path=f"content/{rel}", rel=rel, data=data, group=group)


def make_content(partners: dict[str, tuple[float, float] | None], records: dict[str, Any]) -> model.Content:
    content = model.Content(
        root="content", netzwerk=_doc("netzwerk", "netzwerk", "netzwerk.yaml", {"name": "N"})
    )
    for pid, point in partners.items():
        data: dict[str, Any] = {"name": f"Stadt {pid}", "art": "stadt"}
        if point:
            data["koordinaten"] = list(point)
        content.partner[pid] = _doc("partner", pid, f"partner/{pid}.yaml", data)
    for rid, spec in records.items():
        data = {"titel": spec.get("titel", f"Projekt {rid}"), "federfuehrung": spec.get("lead", "p0"),
                "sichtbarkeit": spec.get("sichtbarkeit", "oeffentlich")}  # fmt: skip
        if spec.get("point"):
            data["ort"] = {"gemeinde": "X", "koordinaten": list(spec["point"])}
        content.records[rid] = _doc("projekt", rid, f"projekte/p0/{rid}.md", data, group="p0")
    return content


def random_content(rng: random.Random) -> model.Content:
    # a cluster somewhere in NRW, from a few hundred metres to the whole state
    lat0, lon0 = rng.uniform(50.5, 52.3), rng.uniform(6.0, 9.2)
    spread = rng.choice([0.004, 0.05, 0.3, 1.0])

    def point() -> tuple[float, float]:
        lat = min(max(lat0 + rng.uniform(-spread, spread), 50.3), 52.6)
        lon = min(max(lon0 + rng.uniform(-spread, spread) * 1.6, 5.8), 9.5)
        return round(lat, 5), round(lon, 5)

    partners = {f"p{i}": point() for i in range(rng.randint(0, 8))}
    records = {
        f"r{i}": {"point": point(), "lead": "p0"} for i in range(rng.randint(1 if not partners else 0, 10))
    }
    return make_content(partners, records)


def attributes(html_text: str) -> list[str]:
    """The names of every attribute in ``html_text``, as a browser's tokenizer reads them."""
    names: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names.extend(name for name, _value in attrs)

    parser = Collect()
    parser.feed(html_text)
    parser.close()
    return names


def the_svg(html_text: str) -> Any:
    (raw,) = re.findall(r"<svg\b.*?</svg>", html_text, re.S)
    return ElementTree.fromstring(raw)


def points(root: Any) -> list[Any]:
    return [g for g in root.iter(f"{SVG}g") if "regio-punkt" in g.get("class", "").split()]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("small", [False, True])
@pytest.mark.parametrize("seed", range(30))
def test_points_inside_the_viewbox_in_the_order_of_their_coordinates(seed: int, small: bool) -> None:
    rng = random.Random(51000 + seed)
    content = random_content(rng)
    data = regionmap.map_data(content)
    assert data is not None
    root = the_svg(regionmap.map_html(data, small=small))
    _x0, _y0, width, height = map(float, root.get("viewBox").split())
    drawn = points(root)
    assert len(drawn) == len(data["partner"]) + len(data["eintraege"])
    for g in drawn:
        x, y = float(g.get("data-x")), float(g.get("data-y"))
        assert 0 <= x <= width and 0 <= y <= height
        for shape in (*g.iter(f"{SVG}circle"), *g.iter(f"{SVG}path")):
            cx, cy = shape.get("cx"), shape.get("cy")
            if cx is not None:
                assert (float(cx), float(cy)) == pytest.approx((x, y), abs=0.01)
            else:  # the diamond's path: every corner inside the map
                numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d"))]
                assert all(0 <= n <= width for n in numbers[0::2]) and all(
                    0 <= n <= height for n in numbers[1::2]
                )
    by_lon = sorted(drawn, key=lambda g: (float(g.get("data-lon")), g.get("data-id")))
    xs = [float(g.get("data-x")) for g in by_lon]
    assert xs == sorted(xs), "west → east must follow the longitudes"
    by_lat = sorted(drawn, key=lambda g: (-float(g.get("data-lat")), g.get("data-id")))
    ys = [float(g.get("data-y")) for g in by_lat]
    assert ys == sorted(ys), "north → south must follow the latitudes"


@pytest.mark.parametrize("seed", range(20))
def test_the_scale_bar_measures_true_distances(seed: int) -> None:
    rng = random.Random(7300 + seed)
    lat, lon = rng.uniform(50.6, 52.2), rng.uniform(6.2, 9.0)
    dlat, dlon = rng.uniform(0.02, 0.3), rng.uniform(0.02, 0.5)
    content = make_content({"a": (lat, lon), "b": (lat + dlat, lon + dlon)}, {})
    root = the_svg(regionmap.map_html(regionmap.map_data(content)))
    bar = next(p for p in root.iter(f"{SVG}path") if p.get("data-km"))
    px_per_km = float(bar.get("data-laenge")) / float(bar.get("data-km"))
    a, b = sorted(points(root), key=lambda g: g.get("data-id"))
    drawn_km = (
        math.dist(
            (float(a.get("data-x")), float(a.get("data-y"))), (float(b.get("data-x")), float(b.get("data-y")))
        )
        / px_per_km
    )
    assert drawn_km == pytest.approx(haversine_km((lat, lon), (lat + dlat, lon + dlon)), rel=0.01)


def test_links_are_present_and_relative() -> None:
    content = make_content({"p0": (51.2, 6.7), "p1": (51.3, 6.9)}, {"r1": {"point": (51.25, 6.8)}, "r2": {}})
    data = regionmap.map_data(content)
    assert data is not None
    assert [r["id"] for r in data["eintraege"]] == ["r1"], "a record without coordinates is not on the map"
    links = {"projekte/p0/r1": "../projekte/p0/r1.html", "partner/p0": "p0.html"}
    output = regionmap.map_html(data, links=links)
    root = the_svg(output)
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert hrefs == {"../projekte/p0/r1.html", "p0.html"}
    assert root.get("role") == "group", "links inside role=img would be hidden from assistive technology"
    for a in root.iter(f"{SVG}a"):
        assert a.get("aria-label")
    # the list of places below the map carries the same links
    listing = output.split("Orte auf der Karte", 1)[1]
    assert 'href="../projekte/p0/r1.html"' in listing and 'href="p0.html"' in listing
    assert "Stadt p1" in listing
    # without links: a picture
    assert the_svg(regionmap.map_html(data)).get("role") == "img"


def test_focus_marks_a_record_or_a_partner() -> None:
    content = make_content(
        {"p0": (51.2, 6.7), "p1": (51.3, 6.9), "p2": None},
        {"r1": {"point": (51.25, 6.8), "lead": "p1"}, "r2": {}, "r3": {"point": (51.22, 6.75), "lead": "p2"}},
    )
    data = regionmap.map_data(content, "r1")
    assert data is not None and data["fokus"] == {"id": "r1", "art": "eintrag"}
    root = the_svg(regionmap.map_html(data, small=True))
    focused = [g for g in points(root) if "regio-fokus" in g.get("class", "").split()]
    assert [g.get("data-id") for g in focused] == ["r1"]
    assert "Lage von Projekt r1" in root.find(f"{SVG}title").text
    assert [r["id"] for r in data["eintraege"]] == ["r1"] and len(data["partner"]) == 2
    partner = regionmap.map_data(content, "p0")
    assert partner is not None and partner["fokus"] == {"id": "p0", "art": "partner"}
    assert partner["eintraege"] == [], "a partner's locator shows only the partner's records"
    partner = regionmap.map_data(content, "p1")
    assert partner is not None and [r["id"] for r in partner["eintraege"]] == ["r1"]
    # no locator for a subject without coordinates, or an unknown id
    assert regionmap.map_data(content, "r2") is None
    assert regionmap.map_data(content, "p2") is None
    assert regionmap.map_data(content, "nichts") is None
    assert regionmap.map_data(make_content({"p2": None}, {})) is None


def test_intern_records_stay_off_the_public_map() -> None:
    content = make_content(
        {"p0": (51.2, 6.7)},
        {"r1": {"point": (51.25, 6.8)}, "geheim": {"point": (51.3, 6.9), "sichtbarkeit": "intern"}},
    )
    data = regionmap.map_data(content.visible(intern=False))
    assert data is not None
    assert [r["id"] for r in data["eintraege"]] == ["r1"]
    assert "geheim" not in regionmap.map_html(data)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_value_is_escaped(hostile: str, tmp_path: Path) -> None:
    content = make_content({"p0": (51.2, 6.7)}, {"r1": {"point": (51.25, 6.8), "titel": hostile}})
    content.partner["p0"].data["name"] = hostile
    for focus in (None, "r1", "p0"):
        data = regionmap.map_data(content, focus)
        assert data is not None
        plain = regionmap.map_html(data, small=focus is not None)
        linked = regionmap.map_html(data, links={"projekte/p0/r1": hostile, "partner/p0": "p0.html"})
        for output in (plain, linked):
            assert hostile not in output
            assert "<script" not in output and "<img" not in output
            assert attributes(output) and not [a for a in attributes(output) if a.startswith("on")]
        assert svg.problems(ElementTree.tostring(the_svg(plain))) == []


def test_map_passes_the_svg_judge_and_the_page_audit(tmp_path: Path) -> None:
    content = random_content(random.Random(5))
    data = regionmap.map_data(content)
    assert data is not None
    # the publish-time SVG judge (for files) allows no links at all: the picture without them
    assert svg.problems(re.findall(r"<svg\b.*?</svg>", regionmap.map_html(data), re.S)[0].encode()) == []
    links = {p["docname"]: f"{p['docname']}.html" for p in data["partner"] + data["eintraege"]}
    site = tmp_path / "site"
    site.mkdir()
    page = f"<!DOCTYPE html><html lang='de'><body>{regionmap.map_html(data, links=links)}</body></html>"
    (site / "index.html").write_text(page)
    (tmp_path / "content").mkdir()
    assert audit.audit_site(site, content_root=tmp_path / "content") == []


def test_the_network_partners_have_plausible_coordinates() -> None:
    content, findings = loading.load(ROOT / "content", ROOT)
    assert not [f for f in findings if f.path.startswith("content/partner")]
    data = regionmap.map_data(content.visible(intern=False))
    assert data is not None
    placed = {p["id"]: (p["lat"], p["lon"]) for p in data["partner"]}
    assert set(placed) == set(content.partner), "every partner is on the map"
    for pid, doc in content.partner.items():
        assert schema.validate(doc) == [], pid
    # the region lies between the Rhine's left bank (Krefeld) and the Bergisches Land (Mettmann)
    by_lon = sorted(placed, key=lambda p: placed[p][1])
    assert by_lon[0] == "krefeld" and by_lon[-1] == "kreis-mettmann"
    assert max(placed, key=lambda p: placed[p][0]) == "duisburg"
    assert min(placed, key=lambda p: placed[p][0]) == "neuss"
    # every town hall within 30 km of Düsseldorf's, and no two in the same spot
    for pid, point in placed.items():
        assert haversine_km(point, placed["duesseldorf"]) < 30, pid
    distances = [haversine_km(placed[a], placed[b]) for a in placed for b in placed if a < b]
    assert min(distances) > 2


def test_partner_coordinates_outside_nrw_are_refused(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures" / "basis", tmp_path / "content")
    path = next((tmp_path / "content" / "partner").glob("*.yaml"))
    path.write_text(path.read_text(encoding="utf-8") + "koordinaten: [6.7, 51.2]\n", encoding="utf-8")
    content, _findings = loading.load(tmp_path / "content", tmp_path)
    found = schema.validate(content.partner[path.stem])
    assert {f.code for f in found} == {Code.COORDINATES}
    assert any("Reihenfolge [Breite, Länge]" in f.message for f in found)


# ---------------------------------------------------------------- in the built handbook
# (needs the planner's `karte` context and `{regio-karte}` in the templates)


def _map_links(site: Path, page: Path) -> list[Path]:
    figure = re.search(r'<figure class="regio-karte.*?</figure>', page.read_text(encoding="utf-8"), re.S)
    assert figure, f"{page.relative_to(site)} shows no map"
    the_svg(figure.group(0))
    return [(page.parent / h).resolve() for h in re.findall(r'href="([^"#]+)"', figure.group(0))]


def test_built_maps_link_to_pages_that_exist(basis_site: Path) -> None:
    overview = _map_links(basis_site, basis_site / "partner" / "index.html")
    assert overview and all(p.is_file() for p in overview)
    record = basis_site / "projekte" / "beta" / "quartier-sued.html"
    assert all(p.is_file() for p in _map_links(basis_site, record))
    assert 'class="regio-karte regio-karte-klein"' in record.read_text(encoding="utf-8")
    assert "regio-fokus" in record.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", range(40))
def test_labels_never_cover_each_other_or_the_corners(seed: int) -> None:
    """Crowded partners (e.g. a point at the NRW bounds squeezes the rest): a label that finds no
    free place is left out (the point keeps its title, the list below the map names it)."""
    rng = random.Random(seed)
    data = regionmap.map_data(random_content(rng))
    root = the_svg(regionmap.map_html(data))
    width = float(root.get("width"))
    height = float(root.get("height"))
    boxes = [(width - 34, 0.0, width, 48.0), (0.0, height - 30, 170.0, height)]  # north arrow, scale bar
    labelled = 0
    for text in root.iter(f"{SVG}text"):
        if "regio-kartenbeschriftung" not in text.get("class", ""):
            continue
        size, x, y = float(text.get("font-size")), float(text.get("x")), float(text.get("y"))
        length = 0.6 * size * len(text.text or "")
        x0 = x if text.get("text-anchor") == "start" else x - length
        box = (x0, y - size / 3 - size * 0.8, x0 + length, y - size / 3 + size * 0.4)
        assert box[0] >= 0 and box[2] <= width, (text.text, box)
        for other in boxes:
            assert box[2] <= other[0] or box[0] >= other[2] or box[3] <= other[1] or box[1] >= other[3], (
                text.text, box, other,
            )  # fmt: skip
        boxes.append(box)
        labelled += 1
    names = [p["name"] for p in data["partner"]]
    listed = regionmap.map_html(data)
    assert all(f">{n}<" in listed for n in names)  # every partner is still named in the list
    assert labelled <= len(names)
