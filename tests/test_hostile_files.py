"""Hostile files: links, pipes and sockets, absurd numbers, blank texts, unsafe SVG, CSV formulas.

Every case is a real file in a copy of ``tests/fixtures/basis``, checked in full
(``checks.check``) and, for the file system cases, also by ``python -m regiodocs
check`` in a fresh process: an error at the right file and line with a German
message, never a hang, never a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import random
import shutil
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from regiodocs import checks, loading, schema
from regiodocs.editions import cells, exports
from regiodocs.findings import Finding

from conftest import FIXTURES, run_regiodocs

TODAY = dt.date(2026, 11, 22)

RECORD = """---
titel: {titel}
kurzbeschreibung: {kurzbeschreibung}
federfuehrung: alpha
handlungsfelder: [mobilitaet]
status: idee
kennzahlen:
  radwege_km: {radwege_km}
kosten_eur: {kosten_eur}
foerderung:
  - name: Eigenmittel
    betrag_eur: {betrag_eur}
kontakt:
  - organisation: {organisation}
    email: a@example.org
stand: 2026-01-01
---
Text.
"""
DEFAULTS = {
    "titel": "Feindlicher Beitrag",
    "kurzbeschreibung": "Ein Beitrag mit Tücken.",
    "radwege_km": "12.5",
    "kosten_eur": "1000",
    "betrag_eur": "500",
    "organisation": "Stadt Alpha",
}
#: The line of each field in RECORD.
LINES = {
    key: next(i for i, line in enumerate(RECORD.splitlines(), 1) if f"{{{key}}}" in line) for key in DEFAULTS
}


@contextlib.contextmanager
def deadline(seconds: int = 30) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading blocks until a writer comes)."""

    def expired(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"Die Prüfung hing länger als {seconds} s.")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    return content


def check(content: Path, tmp_path: Path, **kwargs: object) -> checks.Result:
    with deadline():
        return checks.check(content, tmp_path, today=TODAY, **kwargs)  # type: ignore[arg-type]


def listing(findings: list[Finding]) -> str:
    return "\n".join(f"{f.file}:{f.line} {f.code.value} {f.message}" for f in findings)


def hit(result: checks.Result, file: str, line: int, code: str) -> Finding:
    """The one error at ``file:line`` with ``code``; the listing on failure."""
    found = [f for f in result.errors if (f.file, f.line, f.code.value) == (file, line, code)]
    assert found, f"erwartet {code} in {file}:{line}, gefunden:\n{listing(result.findings)}"
    finding = found[0]
    assert finding.message[0].isupper() or finding.message.startswith("`"), finding.message
    return finding


def write_record(content: Path, name: str = "angriff", **fields: str) -> tuple[Path, str]:
    path = content / "projekte" / "alpha" / f"{name}.md"
    path.write_text(RECORD.format(**(DEFAULTS | fields)), encoding="utf-8")
    return path, f"content/projekte/alpha/{name}.md"


# ---------------------------------------------------------------- the file system is read, never followed


def _file_link(content: Path) -> str:
    os.symlink("radweg-nord.md", content / "projekte/alpha/verknuepft.md")
    return "projekte/alpha/verknuepft.md"


def _dir_link(content: Path) -> str:
    os.symlink("alpha", content / "projekte/gamma", target_is_directory=True)
    return "projekte/gamma"


def _dangling_link(content: Path) -> str:
    os.symlink("gibt-es-nicht.md", content / "projekte/alpha/ins-leere.md")
    return "projekte/alpha/ins-leere.md"


def _passwd_link(content: Path) -> str:
    os.symlink("/etc/passwd", content / "medien/passwort.txt")
    return "medien/passwort.txt"


def _fifo_record(content: Path) -> str:
    os.mkfifo(content / "projekte/alpha/rohr.md")
    return "projekte/alpha/rohr.md"


def _fifo_media(content: Path) -> str:
    os.mkfifo(content / "medien/rohr.pdf")
    return "medien/rohr.pdf"


def _socket(content: Path) -> str:
    folder = content / "praxis"
    here = Path.cwd()
    os.chdir(folder)  # a socket path is limited to ~107 bytes: bind by a short relative name
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind("dose.md")
    finally:
        os.chdir(here)
    return "praxis/dose.md"


SPECIAL = {
    "symlink-datei": (_file_link, "Verknüpfung (Symlink)"),
    "symlink-ordner": (_dir_link, "Verknüpfung (Symlink)"),
    "symlink-ins-leere": (_dangling_link, "Verknüpfung (Symlink)"),
    "symlink-etc-passwd": (_passwd_link, "Verknüpfung (Symlink)"),
    "fifo-projekt": (_fifo_record, "benannte Pipe (FIFO)"),
    "fifo-medien": (_fifo_media, "benannte Pipe (FIFO)"),
    "unix-socket": (_socket, "Socket"),
}


@pytest.mark.parametrize("case", sorted(SPECIAL))
def test_links_and_special_files_are_refused_not_followed(case: str, tmp_path: Path):
    make, words = SPECIAL[case]
    content = make_content(tmp_path)
    rel = make(content)
    result = check(content, tmp_path)
    finding = hit(result, f"content/{rel}", 1, "RD013")
    assert words in finding.message and "Legen Sie die Datei" in finding.message
    assert "root:x:0" not in listing(result.findings)
    assert rel not in result.content.media
    loaded = {d.rel for d in [*result.content.documents(), *result.content.duplicates]}
    assert not any(path == rel or path.startswith(f"{rel}/") for path in loaded)
    others = [f for f in result.errors if f.file != f"content/{rel}"]
    assert others == [], listing(others)  # nothing else is disturbed


def test_media_link_to_etc_passwd_used_by_a_record_is_missing_not_read(tmp_path: Path):
    content = make_content(tmp_path)
    _passwd_link(content)
    record = content / "projekte/alpha/radweg-nord.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("datei: medien/plan.pdf", "datei: medien/passwort.txt"),
        encoding="utf-8",
    )
    result = check(content, tmp_path)
    hit(result, "content/medien/passwort.txt", 1, "RD013")
    line = record.read_text(encoding="utf-8").splitlines().index("    datei: medien/passwort.txt") + 1
    hit(result, "content/projekte/alpha/radweg-nord.md", line, "RD208")
    assert "root:" not in listing(result.findings)


def test_selective_check_never_opens_a_fifo_in_the_rest_of_the_tree(tmp_path: Path):
    content = make_content(tmp_path)
    os.mkfifo(content / "praxis/rohr.md")
    result = check(content, tmp_path, only={"projekte/alpha/radweg-nord.md"})
    hit(result, "content/praxis/rohr.md", 1, "RD013")


def test_symlinked_content_root_is_resolved_once(tmp_path: Path):
    content = make_content(tmp_path)
    link = tmp_path / "verknuepfter-inhalt"
    os.symlink(content, link, target_is_directory=True)
    result = check(link, tmp_path)
    assert result.errors == [], listing(result.errors)
    assert "radweg-nord" in result.content.records


def test_control_characters_in_a_file_name_are_refused(tmp_path: Path):
    content = make_content(tmp_path)
    (content / "medien" / "zeile\nRD000 gefälscht.pdf").write_bytes(b"%PDF-1.4\n")
    result = check(content, tmp_path)
    finding = hit(result, "content/medien/zeile\ufffdRD000 gefälscht.pdf", 1, "RD013")
    assert "Steuerzeichen" in finding.message


def test_reading_refuses_what_the_walk_did_not_see(tmp_path: Path):
    """A symlink or FIFO that appears after the walk: O_NOFOLLOW and fstat refuse it."""
    target = tmp_path / "echt.md"
    target.write_text("---\ntitel: x\n---\n", encoding="utf-8")
    os.symlink(target, tmp_path / "link.md")
    os.mkfifo(tmp_path / "rohr.md")
    with deadline(), pytest.raises(loading.Unreadable, match="Symlink"):
        loading.read_bytes(tmp_path / "link.md")
    with deadline(), pytest.raises(loading.Unreadable, match="FIFO"):
        loading.read_bytes(tmp_path / "rohr.md")
    assert loading.read_bytes(target, limit=4) == b"---\nt"  # at most limit + 1 bytes


CLI_CASES = {"symlink-datei": _file_link, "symlink-ins-leere": _dangling_link, "fifo-projekt": _fifo_record}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_reports_links_and_fifos_without_hanging_or_traceback(case: str, tmp_path: Path):
    content = make_content(tmp_path)
    rel = CLI_CASES[case](content)
    result = run_regiodocs("check", "--inhalt", str(content))  # run_regiodocs has a timeout
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{content / rel}:1:1: RD013" in result.stdout, output
    assert "Verknüpfung (Symlink)" in output or "benannte Pipe (FIFO)" in output
    assert "interner Fehler" not in output and "Traceback" not in output


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kosten_eur", "9" * 5000),
        ("kosten_eur", "-" + "1" * 5000),
        ("radwege_km", "1" * 4000 + ".5"),
        ("betrag_eur", "0x" + "f" * 5000),
    ],
    ids=["5000-ziffern", "5000-ziffern-negativ", "4000-ziffern-komma", "hex"],
)
def test_absurdly_long_numbers_are_a_finding_not_an_internal_error(field: str, value: str, tmp_path: Path):
    content = make_content(tmp_path)
    _path, shown = write_record(content, **{field: value})
    finding = hit(check(content, tmp_path), shown, LINES[field], "RD109")
    assert "Zeichen lang" in finding.message and "Anführungszeichen" in finding.message


def test_a_star_beside_a_control_character_is_a_finding_not_an_internal_error(tmp_path: Path):
    # the alias scan ran before the control-character check, and PyYAML's reader error escaped
    content = make_content(tmp_path)
    _path, shown = write_record(content, titel="Stern * und \x1b Escape")
    findings = check(content, tmp_path).findings
    assert [(f.file, f.code.value) for f in findings if f.file == shown] == [(shown, "RD001")]


NOT_FINITE = ["1e999", "-1e999", "1e400", ".inf", "-.inf", ".nan", ".NaN", ".Inf"]


@pytest.mark.parametrize("field", ["radwege_km", "kosten_eur", "betrag_eur"])
@pytest.mark.parametrize("value", NOT_FINITE)
def test_infinite_and_nan_numbers_are_refused(field: str, value: str, tmp_path: Path):
    content = make_content(tmp_path)
    _path, shown = write_record(content, **{field: value})
    result = check(content, tmp_path)
    finding = hit(result, shown, LINES[field], "RD109")
    assert "Zahl" in finding.message and "z. B. `450`" in finding.message
    assert [f for f in result.errors if f.file == shown and f.line == LINES[field]] == [finding]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("kosten_eur", "2000000000000", "ist größer als erlaubt (höchstens 1.000.000.000.000)"),
        ("betrag_eur", "1000000000001", "ist größer als erlaubt (höchstens 1.000.000.000.000)"),
        ("kosten_eur", "-1", "ist kleiner als erlaubt (mindestens 0)"),
        ("radwege_km", "1e10", "ist größer als erlaubt (höchstens 1.000.000.000)"),
        ("radwege_km", "-3.5", "ist kleiner als erlaubt (mindestens 0)"),
    ],
)
def test_numbers_out_of_range_are_refused_with_the_bound(field: str, value: str, words: str, tmp_path: Path):
    content = make_content(tmp_path)
    _path, shown = write_record(content, **{field: value})
    finding = hit(check(content, tmp_path), shown, LINES[field], "RD109")
    assert words in finding.message, finding.message


def test_registry_numbers_out_of_range_are_refused(tmp_path: Path):
    content = make_content(tmp_path)
    partner = content / "partner" / "alpha.yaml"
    partner.write_text(
        partner.read_text(encoding="utf-8").replace("einwohner: 120000", "einwohner: 1e999"), encoding="utf-8"
    )
    netzwerk = content / "netzwerk.yaml"
    text = netzwerk.read_text(encoding="utf-8").replace("zieljahr: 2040", "zieljahr: 1800")
    netzwerk.write_text(text.replace("zielwert: 5000", "zielwert: .nan"), encoding="utf-8")
    result = check(content, tmp_path)
    lines = text.splitlines()
    hit(result, "content/partner/alpha.yaml", 4, "RD109")
    low = hit(result, "content/netzwerk.yaml", lines.index("    zieljahr: 1800") + 1, "RD109")
    assert "mindestens 2000" in low.message
    hit(result, "content/netzwerk.yaml", lines.index("    zielwert: 5000") + 1, "RD109")


def _unbounded(node: object, where: str) -> Iterator[str]:
    if isinstance(node, dict):
        lower = {"minimum", "exclusiveMinimum"} & set(node)
        upper = {"maximum", "exclusiveMaximum"} & set(node)
        if node.get("type") in ("number", "integer") and not (lower and upper):
            yield where
        for key, value in node.items():
            yield from _unbounded(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _unbounded(value, f"{where}/{index}")


def test_every_numeric_field_is_bounded_and_the_schemas_stay_draft_07():
    import jsonschema

    unbounded = []
    for file in sorted((Path(schema.__file__).parent / "schemas").glob("*.schema.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(data)
        unbounded += _unbounded(data, file.name)
    assert unbounded == []


# ---------------------------------------------------------------- blank texts


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("titel", '"   "'),
        ("kurzbeschreibung", '"\\t \\u3000"'),
        ("kurzbeschreibung", '"\\u200b"'),
        ("organisation", "' '"),
    ],
    ids=["titel-leerzeichen", "kurzbeschreibung-tab-ideografisch", "nullbreite", "organisation"],
)
def test_texts_of_only_spaces_are_refused(field: str, value: str, tmp_path: Path):
    content = make_content(tmp_path)
    _path, shown = write_record(content, **{field: value})
    result = check(content, tmp_path)
    finding = hit(result, shown, LINES[field], "RD110")
    assert "besteht nur aus Leerzeichen" in finding.message and "Pflichtfeld" in finding.message
    assert [f.code.value for f in result.errors if f.file == shown] == ["RD110"]


def test_blank_texts_in_yaml_records_and_lists_are_refused(tmp_path: Path):
    content = make_content(tmp_path)
    record = content / "projekte" / "beta" / "quartier-sued.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace("titel: Quartier Süd\n", 'titel: "  "\n')
    text = text.replace("schlagworte: [Wohnen, Flächenrecycling]", 'schlagworte: [Wohnen, "  "]')
    text = text.replace("  gemeinde: Beta-Süd", "  gemeinde: ' '")
    record.write_text(text, encoding="utf-8")
    result = check(content, tmp_path)
    lines = text.splitlines()
    shown = "content/projekte/beta/quartier-sued.yaml"
    hit(result, shown, lines.index('titel: "  "') + 1, "RD110")
    item = hit(result, shown, lines.index('schlagworte: [Wohnen, "  "]') + 1, "RD110")
    assert "Listeneintrag" in item.message
    optional = hit(result, shown, lines.index("  gemeinde: ' '") + 1, "RD110")
    assert "lassen Sie das Feld weg" in optional.message


def test_an_empty_text_is_one_finding_not_two(tmp_path: Path):
    content = make_content(tmp_path)
    _path, shown = write_record(content, titel='""')
    result = check(content, tmp_path)
    assert [f.code.value for f in result.errors if f.file == shown] == ["RD105"]


# ---------------------------------------------------------------- visibility in the quick check


def _spellings(rng: random.Random, intern: bool) -> str:
    """One random valid YAML spelling of ``sichtbarkeit: <value>`` as a block-mapping entry."""
    word = "intern" if intern else "oeffentlich"
    key = rng.choice(
        ["sichtbarkeit", '"sichtbarkeit"', "'sichtbarkeit'", '"sichtbark\\x65it"', '"\\u0073ichtbarkeit"']
    )
    value = rng.choice(
        [word, f'"{word}"', f"'{word}'", f"!!str {word}", f"|-\n  {word}", f">-\n  {word}",
         f'"{word[:-1]}\\x{ord(word[-1]):02x}"']
    )  # fmt: skip
    colon = rng.choice([": ", ":   ", " : ", ":\t"])
    comment = rng.choice(["", "  # Kommentar", " #sichtbarkeit: intern"]) if "\n" not in value else ""
    if rng.random() < 0.15:  # an explicit key
        return f"? {key}\n: {value}"
    return f"{key}{colon}{value}{comment}"


def _front(rng: random.Random, visibility: str | None) -> str:
    entries = [
        "titel: Eintrag",
        "kurzbeschreibung: Ein Eintrag.",
        "federfuehrung: alpha",
        "handlungsfelder: [mobilitaet]",
        "status: idee",
        "stand: 2026-01-01",
    ]
    decoys = ["# sichtbarkeit: intern", "ort: {gemeinde: Alpha, sichtbarkeit: intern}",
              "schlagworte: [sichtbarkeit, intern]", 'extern: ["sichtbarkeit: intern"]']  # fmt: skip
    entries += rng.sample(decoys, rng.randint(0, 2))
    if rng.random() < 0.1:  # a long front matter: `sichtbarkeit` far beyond the first 8 KB
        entries.insert(0, "notizen:\n" + "".join(f"  - Wort {i}\n" for i in range(900)).rstrip("\n"))
    rng.shuffle(entries)
    if visibility is not None:
        entries.insert(rng.randrange(len(entries) + 1), visibility)
    if visibility is not None and "\n" not in visibility and rng.random() < 0.2:
        flow = [e for e in entries if "\n" not in e and not e.lstrip().startswith(("#", "?"))]
        flow = [e.split("  #")[0].split(" #")[0] if not e.startswith("ort") else e for e in flow]
        return "{" + ",\n  ".join(flow) + "}\n"  # one flow mapping over several lines
    return "\n".join(entries) + "\n"


def test_quick_check_reads_visibility_exactly_as_the_full_check(tmp_path: Path):
    rng = random.Random(20261122)
    content = make_content(tmp_path)
    folder = content / "projekte" / "alpha"
    for index in range(240):
        choice = rng.random()
        visibility = None if choice < 0.2 else _spellings(rng, intern=choice < 0.6)
        front = _front(rng, visibility)
        body = rng.choice(["Text.\n", "sichtbarkeit: intern\n", "---\nsichtbarkeit: intern\n"])
        if rng.random() < 0.3:
            text = front  # a .yaml record: the front matter alone
            name = f"p-{index:03}.yaml"
        else:
            text = f"---\n{front}---\n{body}"
            name = f"p-{index:03}.md"
        if rng.random() < 0.3:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        if rng.random() < 0.2:
            data = b"\xef\xbb\xbf" + data
        (folder / name).write_bytes(data)
    with deadline(120):
        full, _ = loading.load(content, tmp_path)
        quick, _ = loading.load(content, tmp_path, only={"praxis/gute-sache.md"})
    generated = {f"p-{i:03}" for i in range(240)}
    assert generated <= set(full.records), sorted(generated - set(full.records))[:5]
    intern = {i for i in generated if not full.records[i].public}
    assert 60 < len(intern) < 180  # the generator produced both kinds
    assert all(quick.records[i].shallow for i in generated)
    assert {i for i in generated if not quick.records[i].public} == intern


def test_quick_check_sees_an_intern_target_written_with_a_comment(tmp_path: Path):
    content = make_content(tmp_path)
    target = content / "projekte" / "alpha" / "intern-vorhaben.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("sichtbarkeit: intern\n", "sichtbarkeit: intern  # noch nicht\n"), "utf-8")
    (content / "praxis" / "verweis.md").write_text(
        "---\ntitel: Verweis\nkurzbeschreibung: Verweist.\npartner: [alpha]\nhandlungsfelder: [mobilitaet]\n"
        "reifegrad: erprobt\nuebertragbarkeit: hoch\nkontakt:\n  - organisation: Stadt Alpha\n"
        "    email: a@example.org\nverwandt: [intern-vorhaben]\nstand: 2026-01-01\n---\nText.\n",
        encoding="utf-8",
    )
    quick = check(content, tmp_path, only={"praxis/verweis.md"})
    assert quick.content.records["intern-vorhaben"].shallow
    for result in (quick, check(content, tmp_path)):
        hit(result, "content/praxis/verweis.md", 11, "RD210")


# ---------------------------------------------------------------- SVG


@pytest.fixture
def svg():
    try:
        from regiodocs import svg
    except ImportError as err:  # defusedxml belongs to the locked requirements
        if os.environ.get("CI"):
            raise
        pytest.skip(f"defusedxml fehlt: {err}")
    return svg


XLINK = "http://www.w3.org/1999/xlink"
HEAD = f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="{XLINK}" viewBox="0 0 10 10">\n'
CLEAN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n' + HEAD + '<defs><linearGradient id="g"><stop offset="0"/>'
    "</linearGradient></defs>\n<style>rect { fill: url(#g); }</style>\n"
    '<rect width="10" height="10" style="stroke: url( \'#g\' )" filter="url(#g)"/>\n'
    '<use xlink:href="#g"/><a href="#g"><text>Legende – äöü</text></a>\n'
    '<animate attributeName="opacity" from="0" to="1" dur="1s"/>\n</svg>\n'
)
UNSAFE = {
    "script": (HEAD + "<script>alert(1)</script>\n</svg>", 2, "<script>"),
    "script-andere-namensraum": (
        HEAD + '<x:script xmlns:x="urn:x">alert(1)</x:script>\n</svg>',
        2,
        "<script>",
    ),
    "onload": ('<svg xmlns="http://www.w3.org/2000/svg"\n OnLoad="alert(1)"/>', 1, "`OnLoad`"),
    "foreignObject": (
        HEAD + '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>',
        2,
        "<foreignObject>",
    ),
    "image-extern": (
        HEAD + '<image href="https://tracker.example/p.png"/></svg>',
        2,
        "verweist aus der Grafik",
    ),
    "use-extern": (HEAD + '<use xlink:href="other.svg#a"/></svg>', 2, "verweist aus der Grafik"),
    "a-javascript": (
        HEAD + '<a xlink:href=" java\tscript:alert(1)"><text>x</text></a></svg>',
        2,
        "javascript:",
    ),
    "entity-bombe": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>',
        0,
        "<!DOCTYPE",
    ),
    "style-url-http": (
        HEAD + "<style>\n@font-face { src: url(http://evil.example/f.woff) }\n</style></svg>",
        2,
        "url(http://evil.example/f.woff)",
    ),
    "style-attribut-url": (HEAD + "<rect style=\"fill: URL('https://x.example/y')\"/></svg>", 2, "url("),
    "style-import": (HEAD + '<style>@import "https://x.example/a.css";</style></svg>', 2, "@import"),
    "set-href": (
        HEAD + '<a><set attributeName="xlink:href" to="https://x.example"/></a></svg>',
        2,
        "attributeName",
    ),
    "animate-onclick": (HEAD + '<animate attributeName="onclick" to="alert(1)"/></svg>', 2, "attributeName"),
    "xml-stylesheet": (
        '<?xml-stylesheet href="https://x.example/a.css"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        1,
        "xml-stylesheet",
    ),
    "kaputt": (HEAD + "<g></svg>", 0, "kein gültiges SVG"),
    "kein-svg": ('<html xmlns="http://www.w3.org/1999/xhtml"/>', 1, "keine SVG-Grafik"),
}


def test_a_clean_svg_passes(svg):
    assert svg.problems(CLEAN.encode("utf-8")) == []
    assert svg.problems(CLEAN.replace("UTF-8", "UTF-16").encode("utf-16")) == []


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_unsafe_svg_is_refused_with_a_german_reason_and_line(svg, case: str):
    text, line, words = UNSAFE[case]
    with deadline(10):
        found = svg.located(text.encode("utf-8"))
    assert found, case
    assert any(at == line and words in reason for at, reason in found), found
    reasons = svg.problems(text.encode("utf-8"))
    assert all(r.startswith(("Zeile ", "Die ")) for r in reasons), reasons
    assert len(reasons) == len(found)


def test_many_problems_are_capped(svg):
    text = HEAD + "".join(f'<rect onclick="a{i}()"/>\n' for i in range(500)) + "</svg>"
    assert len(svg.problems(text.encode("utf-8"))) == svg.MAX_REASONS


# ---------------------------------------------------------------- CSV injection


HOSTILE_TITLES = [
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "+1",
    "-1+2",
    "\t=1",
    "\r=1",
    "'=schon mit Apostroph",
    "'",
    "''=1",
    "Ganz normal",
    "-",
]


def test_csv_cells_that_start_a_formula_are_neutralised_and_read_back_exactly(tmp_path: Path):
    columns = exports.columns("projekt", [{"id": "radwege_km", "titel": "Radwege", "einheit": "km"}])
    records = [
        {
            "id": f"p{i}",
            "titel": title,
            "schlagworte": [title, "=2+3", "ok"],
            "kennzahlen": {"radwege_km": -3.5 if i % 2 else -3},
            "kosten_eur": -3,
            "kontakt": [{"organisation": title, "email": "a (at) b (punkt) de"}],
        }
        for i, title in enumerate(HOSTILE_TITLES)
    ]
    edition = exports.Edition("2026-1", TODAY, {"name": "Netz", "lizenz": "CC-BY-4.0"}, [], [])
    folder = tmp_path / "daten"
    folder.mkdir()
    rows = [exports.row(r, columns) for r in records]
    (folder / "projekte.csv").write_text(
        exports.csv_text([c.name for c in columns], rows), encoding="utf-8", newline=""
    )
    meta = exports.csvw([("projekte.csv", "Projekte", columns)], edition)
    (folder / exports.CSVW_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert exports.read_csv(folder / "projekte.csv") == records  # exactly, every hostile title
    with (folder / "projekte.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    for row in table:
        for name, cell in row.items():
            if name in ("kennzahlen.radwege_km", "kosten_eur"):
                assert cell in ("-3", "-3.5")  # numbers stay numbers
            else:
                assert not cell.startswith(cells.FORMULA_START), (name, cell)
    assert table[0]["titel"] == "'" + HOSTILE_TITLES[0]
    assert table[6]["titel"] == "''=schon mit Apostroph" and table[9]["titel"] == "Ganz normal"
    assert exports.CSV_INJECTION_RULE in json.dumps(meta, ensure_ascii=False)
    assert exports.CSV_INJECTION_RULE in exports.readme([("projekte.csv", "Projekte", columns)], edition, 1)
