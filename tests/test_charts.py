"""Charts that tell the truth (regiodocs.charts), checked on the written SVG and tables.

Property tests with fixed seeds: random values, targets and statuses; every SVG is parsed
with defusedxml, every bar measured. The rules: with a target a bar is value / target of the
target's width (one fixed scale, tolerance 0.5 px); without a target no single value ever fills
the scale; the table's sums are the figure's; records of another challenge that report the
Kennzahl count; ruhend/abgebrochen do not; every value is escaped.
"""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

from regiodocs import audit, charts, model, svg

SVG = "{http://www.w3.org/2000/svg}"
STATUSES = list(charts.STATUS_ORDER)
TOLERANCE = 0.5
HOSTILE = [
    "<script>alert(1)</script>",
    '" onload="alert(1)',
    "' onmouseover='x",
    "</svg><img src=x onerror=y>",
]


# ---------------------------------------------------------------- building content in memory


def _doc(kind: str, id_: str, rel: str, data: dict[str, Any], group: str | None = None) -> model.Document:
    return model.Document(kind=kind, id=id_, path=f"content/{rel}", rel=rel, data=data, group=group)


def make_content(
    records: list[dict[str, Any]],
    *,
    target: float | None = None,
    partners: dict[str, str] | None = None,
    challenge_title: str = "Wohnraum",
    indicator_title: str = "Wohneinheiten",
    unit: str = "WE",
) -> model.Content:
    """A network with challenges ``a`` (Kennzahl ``we``, ``target``) and ``b`` (Kennzahl ``t``)."""
    partners = partners or {"p1": "Stadt Eins", "p2": "Stadt Zwei", "p3": "Kreis Drei"}
    challenge: dict[str, Any] = {"id": "a", "titel": challenge_title, "kennzahl": "we", "zieljahr": 2040}
    if target is not None:
        challenge["zielwert"] = target
    net = {
        "name": "Netz",
        "herausforderungen": [challenge, {"id": "b", "titel": "Klima", "kennzahl": "t"}],
        "kennzahlen": [
            {"id": "we", "titel": indicator_title, "einheit": unit},
            {"id": "t", "titel": "CO₂", "einheit": "t"},
            {"id": "ha", "titel": "Fläche", "einheit": "ha"},
        ],
    }
    content = model.Content(root="content", netzwerk=_doc("netzwerk", "netzwerk", "netzwerk.yaml", net))
    for pid, name in partners.items():
        content.partner[pid] = _doc("partner", pid, f"partner/{pid}.yaml", {"name": name, "art": "stadt"})
    for i, r in enumerate(records):
        rid = r.get("id", f"r{i}")
        lead = r.get("federfuehrung", "p1")
        data = {
            "titel": r.get("titel", f"Eintrag {i}"),
            "federfuehrung": lead,
            "status": r.get("status", "planung"),
        }
        data |= {k: v for k, v in r.items() if k not in ("id", "titel", "federfuehrung", "status")}
        content.records[rid] = _doc("projekt", rid, f"projekte/{lead}/{rid}.md", data, group=lead)
    return content


def random_records(
    rng: random.Random, n: int, *, challenges: tuple[str, ...] = ("a", "b")
) -> list[dict[str, Any]]:
    records = []
    for i in range(n):
        value = rng.choice([rng.randint(0, 5000), round(rng.uniform(0, 900), 2), 0])
        records.append({
            "id": f"r{i}", "titel": f"Projekt {i}", "status": rng.choice(STATUSES),
            "federfuehrung": rng.choice(["p1", "p2", "p3"]),
            "herausforderungen": rng.sample(challenges, rng.randint(1, len(challenges))),
            "kennzahlen": {"we": value} | ({"ha": rng.randint(1, 90)} if rng.random() < 0.5 else {}),
        })  # fmt: skip
    return records


# ---------------------------------------------------------------- reading the output


def svgs(html_text: str) -> list[Any]:
    """Every ``<svg>`` in ``html_text``, parsed as XML (the output must be well-formed)."""
    return [ElementTree.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", html_text, re.S)]


def bars(root: Any) -> list[Any]:
    return [r for r in root.iter(f"{SVG}rect") if "regio-balken" in r.get("class", "").split()]


def viewbox_width(root: Any) -> float:
    return float(root.get("viewBox").split()[2])


class Tables(HTMLParser):
    """Cells of every table: (row class, row data-status, first cell text, data-wert values)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.tables: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts = 0
        self.events: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append((tag, values))
        self.events += [k for k in values if k.startswith("on")]
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self.tables.append(values.get("class") or "")
        if tag == "tr":
            self.rows.append({"table": self.tables[-1] if self.tables else "", "class": values.get("class"),
                              "status": values.get("data-status"), "werte": []})  # fmt: skip
        if tag == "td" and "data-wert" in values and self.rows:
            self.rows[-1]["werte"].append(float(values["data-wert"] or 0))


def parse(html_text: str) -> Tables:
    parser = Tables()
    parser.feed(html_text)
    parser.close()
    return parser


# ---------------------------------------------------------------- the properties


@pytest.mark.parametrize("seed", range(40))
def test_bars_are_value_over_target_on_one_fixed_scale(seed: int) -> None:
    rng = random.Random(20261201 + seed)
    records = random_records(rng, rng.randint(1, 9))
    target = rng.choice([rng.randint(1, 4000), rng.randint(5000, 60000), round(rng.uniform(1, 50), 1)])
    data = charts.challenge_progress(make_content(records, target=target), "a")
    assert data is not None and data["zielwert"] == target
    (root,) = svgs(charts.progress_svg(data))
    scale = [r for r in root.iter(f"{SVG}rect") if "regio-skala" in r.get("class", "").split()]
    assert len(scale) == 1 and float(scale[0].get("data-ziel")) == target
    target_px = float(scale[0].get("width"))
    counted = sum(r["kennzahlen"]["we"] for r in records if r["status"] not in charts.NOT_COUNTED)
    stopped = sum(r["kennzahlen"]["we"] for r in records if r["status"] in charts.NOT_COUNTED)
    # the target's width is the whole track unless the values pass the target
    exact_px = charts.TRACK * target / max(target, counted, stopped)
    assert target_px == pytest.approx(exact_px, abs=TOLERANCE)
    target_px = exact_px  # the drawn width is rounded to 0.01: ×value/target would magnify that
    drawn = bars(root)
    assert drawn, "with a target there is always a bar (possibly of width 0)"
    for rect in drawn:
        value, ziel = float(rect.get("data-wert")), float(rect.get("data-ziel"))
        assert ziel == target
        assert float(rect.get("width")) == pytest.approx(target_px * value / target, abs=TOLERANCE)
    # the stacked counted segments together: value / target of the target's width
    counted_px = sum(float(r.get("width")) for r in drawn if r.get("data-status") not in charts.NOT_COUNTED)
    assert counted_px == pytest.approx(target_px * counted / target, abs=TOLERANCE)
    assert counted_px <= charts.TRACK + TOLERANCE


@pytest.mark.parametrize("seed", range(40))
def test_a_single_value_without_target_never_fills_the_scale(seed: int) -> None:
    rng = random.Random(7000 + seed)
    value = rng.choice([1, rng.randint(1, 10**6), round(rng.uniform(0.1, 99), 2)])
    status = rng.choice(STATUSES)
    records = [{"status": status, "herausforderungen": ["a"], "kennzahlen": {"we": value}}]
    # sometimes a second record with 0: still a single non-zero value
    if rng.random() < 0.5:
        records.append({"status": rng.choice(STATUSES), "herausforderungen": ["a"], "kennzahlen": {"we": 0}})
    data = charts.challenge_progress(make_content(records), "a")
    assert data is not None and data["zielwert"] is None
    output = charts.progress_html(data) + charts.partner_html(data)
    for root in svgs(output):
        for rect in bars(root):
            assert float(rect.get("width")) < charts.TRACK - TOLERANCE, "a lone value fills the scale"
    assert charts.NO_TARGET_LABEL in output


@pytest.mark.parametrize("seed", range(30))
def test_without_target_bars_are_shares_of_the_sum_and_none_fills(seed: int) -> None:
    rng = random.Random(9100 + seed)
    records = random_records(rng, rng.randint(2, 8), challenges=("a",))
    data = charts.challenge_progress(make_content(records), "a")
    assert data is not None
    (root,) = svgs(charts.progress_svg(data))
    whole = sum(r["kennzahlen"]["we"] for r in records)
    nonzero = {r["status"] for r in records if r["kennzahlen"]["we"]}
    drawn = bars(root)
    if len(nonzero) < 2:
        assert drawn == []
    for rect in drawn:
        assert rect.get("data-ziel") == ""
        width = float(rect.get("width"))
        assert width == pytest.approx(charts.TRACK * float(rect.get("data-wert")) / whole, abs=TOLERANCE)
        assert width < charts.TRACK - TOLERANCE


@pytest.mark.parametrize("seed", range(30))
def test_sums_equal_the_table(seed: int) -> None:
    rng = random.Random(3300 + seed)
    records = random_records(rng, rng.randint(1, 10))
    target = rng.choice([None, rng.randint(100, 9000)])
    data = charts.challenge_progress(make_content(records, target=target), "a")
    assert data is not None
    counted = sum(r["kennzahlen"]["we"] for r in records if r["status"] not in charts.NOT_COUNTED)
    stopped = sum(r["kennzahlen"]["we"] for r in records if r["status"] in charts.NOT_COUNTED)
    assert data["wert"] == pytest.approx(counted) and data["nicht_gezaehlt"] == pytest.approx(stopped)
    if target:
        assert data["prozent"] == pytest.approx(round(100 * counted / target, 1))
    tables = parse(charts.progress_html(data) + charts.partner_html(data))
    progress = [r for r in tables.rows if "regio-fortschritt-tabelle" in r["table"]]
    by_status = {r["status"]: r["werte"][0] for r in progress if r["status"]}
    total_row = next(r for r in progress if r["class"] == "regio-summe")
    assert total_row["werte"] == [pytest.approx(counted)]
    assert sum(v for s, v in by_status.items() if s not in charts.NOT_COUNTED) == pytest.approx(counted)
    assert sum(v for s, v in by_status.items() if s in charts.NOT_COUNTED) == pytest.approx(stopped)
    for status in by_status:
        expected = sum(r["kennzahlen"]["we"] for r in records if r["status"] == status)
        assert by_status[status] == pytest.approx(expected)
    # the records table lists every record that reports the Kennzahl, with its value
    listed = [r for r in tables.rows if "regio-meldungen" in r["table"] and r["werte"]]
    assert sorted(v for r in listed for v in r["werte"]) == pytest.approx(
        sorted(r["kennzahlen"]["we"] for r in records)
    )
    # the partner table adds up to the counted value
    partner_rows = [r for r in tables.rows if "regio-partnertabelle" in r["table"] and r["werte"]]
    assert sum(v for r in partner_rows for v in r["werte"]) == pytest.approx(counted)


def test_records_of_another_challenge_reporting_the_kennzahl_count() -> None:
    records = [
        {"id": "klima", "titel": "Klimaquartier", "status": "umsetzung", "herausforderungen": ["b"],
         "kennzahlen": {"we": 120, "t": 50}},
        {"id": "wohnen", "titel": "Wohnquartier", "status": "planung", "herausforderungen": ["a"],
         "kennzahlen": {"we": 300}},
        {"id": "ohne", "titel": "Ohne Zahl", "status": "planung", "herausforderungen": ["a"]},
    ]  # fmt: skip
    data = charts.challenge_progress(make_content(records, target=1000), "a")
    assert data is not None
    assert data["wert"] == 420
    listed = {r["id"]: r for r in data["eintraege"]}
    assert set(listed) == {"klima", "wohnen"}
    assert listed["klima"]["zugeordnet"] is False and listed["wohnen"]["zugeordnet"] is True
    assert listed["klima"]["docname"] == "projekte/p1/klima"
    html_text = charts.progress_html(data, links={"projekte/p1/klima": "../projekte/p1/klima.html"})
    assert '<a href="../projekte/p1/klima.html">Klimaquartier</a>' in html_text
    assert "nein, einer anderen Herausforderung" in html_text
    assert "auch solche, die einer anderen Herausforderung zugeordnet sind" in html_text
    # on the other challenge's page only the records tagged to it add their other Kennzahlen
    other = charts.challenge_progress(make_content(records, target=1000), "b")
    assert other is not None and other["wert"] == 50
    assert [k["id"] for k in other["weitere"]] == ["we"] and other["weitere"][0]["wert"] == 120


def test_only_the_own_kennzahl_is_measured_others_are_a_separate_list() -> None:
    records = [{"status": "umsetzung", "herausforderungen": ["a"], "kennzahlen": {"we": 10, "ha": 4, "t": 2}}]
    data = charts.challenge_progress(make_content(records, target=100), "a")
    assert data is not None
    main = charts.progress_html(data)
    assert "Fläche" not in main and "CO₂" not in main
    others = charts.others_html(data)
    assert [k["id"] for k in data["weitere"]] == ["t", "ha"]  # in the registry's order
    assert "ohne Zielwert" in others and "<svg" not in others and "regio-balken" not in others


def test_ruhend_and_abgebrochen_do_not_count_and_are_shown_apart() -> None:
    records = [
        {"status": "umsetzung", "herausforderungen": ["a"], "kennzahlen": {"we": 100}},
        {"status": "ruhend", "herausforderungen": ["a"], "kennzahlen": {"we": 40}},
        {"status": "abgebrochen", "herausforderungen": ["a"], "kennzahlen": {"we": 60}},
    ]
    data = charts.challenge_progress(make_content(records, target=400), "a")
    assert data is not None
    assert (data["wert"], data["nicht_gezaehlt"], data["prozent"]) == (100, 100, 25.0)
    assert [p["wert"] for p in data["partner"]] == [100]
    output = charts.progress_html(data)
    assert "Nicht gezählt (ruhend oder abgebrochen)" in output
    (root,) = svgs(charts.progress_svg(data))
    statuses = [r.get("data-status") for r in bars(root)]
    assert statuses == ["umsetzung", "ruhend", "abgebrochen"]


def test_status_order_and_labels() -> None:
    records = [{"status": s, "herausforderungen": ["a"], "kennzahlen": {"we": 1}} for s in reversed(STATUSES)]
    data = charts.challenge_progress(make_content(records), "a", status_labels={"idee": "Idee (Entwurf)"})
    assert data is not None
    assert [s["status"] for s in data["status"]] == STATUSES
    assert "Idee (Entwurf)" in charts.progress_html(data)


def test_examples_are_counted_and_the_page_says_so() -> None:
    records = [{"status": "planung", "beispiel": True, "herausforderungen": ["a"], "kennzahlen": {"we": 5}}]
    data = charts.challenge_progress(make_content(records), "a")
    assert data is not None and data["wert"] == 5 and data["beispiele"] == 1
    assert "ein Beispieleintrag" in charts.progress_html(data)


def test_intern_free_input_stays_intern_free() -> None:
    records = [
        {"id": "offen", "titel": "Öffentlich", "herausforderungen": ["a"], "kennzahlen": {"we": 10}},
        {"id": "geheim", "titel": "Geheimprojekt", "sichtbarkeit": "intern", "herausforderungen": ["a"],
         "kennzahlen": {"we": 999, "ha": 7}},
    ]  # fmt: skip
    visible = make_content(records, target=100).visible(intern=False)
    data = charts.challenge_progress(visible, "a")
    assert data is not None and data["wert"] == 10
    dumped = json.dumps(data, ensure_ascii=False)
    output = charts.progress_html(data) + charts.partner_html(data) + charts.others_html(data)
    for text in (dumped, output):
        assert "geheim" not in text.lower() and "999" not in text
    assert data["weitere"] == []


def test_unknown_challenge_and_challenge_without_kennzahl() -> None:
    content = make_content([{"herausforderungen": ["a"], "kennzahlen": {"we": 1}}])
    assert charts.challenge_progress(content, "nichts") is None
    content.netzwerk.data["herausforderungen"].append({"id": "c", "titel": "Ohne"})  # type: ignore[union-attr]
    data = charts.challenge_progress(content, "c")
    assert data is not None and data["kennzahl"] is None
    assert charts.progress_html(data) == "" and charts.partner_html(data) == ""


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_value_is_escaped(hostile: str) -> None:
    records = [
        {"id": "x", "titel": hostile, "status": "umsetzung", "herausforderungen": ["a"],
         "kennzahlen": {"we": 10, "ha": 3}, "federfuehrung": "p1"},
        {"id": "y", "titel": "Zwei", "status": "planung", "herausforderungen": ["a"], "kennzahlen": {"we": 5},
         "federfuehrung": "p2"},
    ]  # fmt: skip
    for target in (None, 50):
        content = make_content(
            records, target=target, partners={"p1": hostile, "p2": "Zwei"},
            challenge_title=hostile, indicator_title=hostile, unit=hostile,
        )  # fmt: skip
        data = charts.challenge_progress(content, "a", status_labels={"planung": hostile})
        assert data is not None
        output = (
            charts.progress_html(data, links={"projekte/p1/x": hostile})
            + charts.progress_html(data, small=True)
            + charts.partner_html(data)
            + charts.others_html(data)
        )
        tables = parse(output)
        assert tables.scripts == 0 and tables.events == []
        assert all(tag not in ("img", "script") for tag, _ in tables.tags)
        for root in svgs(output):  # well-formed XML, and safe by the publish-time judge
            assert svg.problems(ElementTree.tostring(root)) == []
        assert hostile not in output


def test_svg_passes_the_svg_judge_and_the_page_audit(tmp_path: Path) -> None:
    rng = random.Random(42)
    records = random_records(rng, 8)
    data = charts.challenge_progress(make_content(records, target=12000), "a")
    assert data is not None
    output = charts.progress_html(data) + charts.partner_html(data) + charts.others_html(data)
    for raw in re.findall(r"<svg\b.*?</svg>", output, re.S):
        assert svg.problems(raw.encode()) == []
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f"<!DOCTYPE html><html lang='de'><body>{output}</body></html>")
    (site / "grafik.svg").write_text(re.findall(r"<svg\b.*?</svg>", output, re.S)[0])
    (tmp_path / "content").mkdir()
    assert audit.audit_site(site, content_root=tmp_path / "content") == []


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_status_colours_contrast_and_patterns() -> None:
    for status, colour in charts.STATUS_COLOURS.items():
        ratio = (1.05) / (_luminance(colour) + 0.05)
        assert ratio >= 3, f"{status}: {colour} has only {ratio:.2f}:1 against white"
    # without colour: each status has its own pattern (one may be plain) and a legend label
    patterns = [charts.STATUS_PATTERNS[s] for s in STATUSES]
    assert len(set(patterns)) == len(patterns)
    records = [{"status": s, "herausforderungen": ["a"], "kennzahlen": {"we": 1}} for s in STATUSES]
    data = charts.challenge_progress(make_content(records, target=10), "a")
    assert data is not None
    (root,) = svgs(charts.progress_svg(data))
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for label in ("Idee", "Planung", "Umsetzung", "Abgeschlossen", "Verstetigt", "Ruhend", "Abgebrochen"):
        assert label in texts
    ids = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    used = {re.sub(r"^url\(#(.*)\)$", r"\1", r.get("fill")) for r in root.iter(f"{SVG}rect")
            if r.get("fill", "").startswith("url(")}  # fmt: skip
    assert used and used <= ids


def test_accessible_svg_and_german_numbers() -> None:
    records = [{"status": "umsetzung", "herausforderungen": ["a"], "kennzahlen": {"we": 12345.5}}]
    data = charts.challenge_progress(make_content(records, target=150000), "a")
    assert data is not None
    output = charts.progress_html(data)
    assert output.startswith('<figure class="regio-fortschritt"') and "<figcaption>" in output
    (root,) = svgs(output)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}desc").get("id") == desc_id
    assert "12.345,5" in output and "150.000" in output and "8,2 %" in output
    assert "<table" in output


# ---------------------------------------------------------------- in the built handbook
# (needs the planner's `fortschritt` context and `{regio-fortschritt}` in the templates)


def test_built_challenge_page_draws_value_over_target(basis_site: Path) -> None:
    page = (basis_site / "herausforderungen" / "wohnraum.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="regio-fortschritt".*?</figure>', page, re.S)
    assert figures, "the challenge page shows its progress"
    (root,) = svgs(figures[0])
    scale = next(r for r in root.iter(f"{SVG}rect") if "regio-skala" in r.get("class", "").split())
    assert float(scale.get("data-ziel")) == 5000
    drawn = bars(root)
    assert [(float(r.get("data-wert")), float(r.get("data-ziel"))) for r in drawn] == [(450, 5000)]
    assert float(drawn[0].get("width")) == pytest.approx(
        float(scale.get("width")) * 450 / 5000, abs=TOLERANCE
    )
    assert "450 WE von 5.000 WE (9 %)" in page and "<table" in figures[0]
    # the records counted are linked, relative to the page, to pages that exist
    hrefs = re.findall(r'<tr data-eintrag="[^"]*"><th scope="row"><a href="([^"]+)"', page)
    assert hrefs and all((basis_site / "herausforderungen" / h).resolve().is_file() for h in hrefs)
    assert "intern" not in " ".join(hrefs)


def test_built_start_page_shows_each_challenge_small(basis_site: Path) -> None:
    page = (basis_site / "index.html").read_text(encoding="utf-8")
    small = re.findall(r'<figure class="regio-fortschritt regio-fortschritt-klein".*?</figure>', page, re.S)
    assert len(small) == 2
    for figure in small:
        href = re.search(r'<figcaption><strong><a href="([^"]+)"', figure)
        assert href and (basis_site / href.group(1)).is_file()
