"""Contributing: `regiodocs new`, schemas for editors, the web editor, CI files, `regiodocs serve`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

from regiodocs import checks, cli, cms, loading, model, scaffold, schema
from regiodocs.findings import Code

from conftest import FIXTURES, ROOT, TODAY, run_regiodocs, strict_env

#: A GitLab OAuth application id as GitLab shows it (64 hex digits).
APP_ID = "9c1b5e0d7a3f48e2b6c4d1a08f7e3b25c6d9a0e1f4b7c2d5a8e3f6b9c0d1e2f3"

BIN = Path(sys.executable).parent
# Answers for every record type that fit the fixture network (partners alpha/beta, platform mobil).
ANSWERS = {
    "projekt": ["--titel", "Straßenbäume für Süd: Über den Rhein",
                "--kurzbeschreibung", "Bäume, Schatten, Wege.",
                "--federfuehrung", "alpha", "--handlungsfelder", "mobilitaet,siedlungsentwicklung",
                "--status", "planung", "--organisation", "Stadt Alpha, Grünflächenamt",
                "--email", "gruen@alpha.example.org"],
    "praxis": ["--titel", "Mobilitätskonzept im B-Plan", "--kurzbeschreibung", "Was sich bewährt hat.",
               "--partner", "alpha", "--partner", "beta", "--handlungsfelder", "mobilitaet",
               "--reifegrad", "erprobt", "--uebertragbarkeit", "hoch", "--organisation", "Kreis Beta",
               "--telefon", "02131 90-0"],
    "ergebnis": ["--plattform", "mobil", "--datum", "2026-03-04", "--titel", "Sitzung zu Radpendelrouten",
                 "--kurzbeschreibung", "Routen abgestimmt."],
    "foerderprogramm": ["--titel", "Förderung „Nahmobilität“ 2027", "--geber", "Land NRW",
                        "--kurzbeschreibung", "Zuschüsse für Rad- und Fußwege.",
                        "--handlungsfelder", "mobilitaet",
                        "--url", "https://www.example.org/foerderung"],
    "veranstaltung": ["--titel", "RegioSalon: Pendeln", "--format", "regiosalon", "--datum", "2026-05-06",
                      "--kurzbeschreibung", "Austausch über Pendelwege."],
}  # fmt: skip
EXPECTED = {
    "projekt": "projekte/alpha/strassenbaeume-fuer-sued-ueber-den-rhein.md",
    "praxis": "praxis/mobilitaetskonzept-im-b-plan.md",
    "ergebnis": "ergebnisse/mobil/sitzung-zu-radpendelrouten-2026-03.md",
    "foerderprogramm": "foerderung/foerderung-nahmobilitaet-2027.yaml",
    "veranstaltung": "veranstaltungen/regiosalon-pendeln-2026-05.md",
}
SCHEMA_CODES = {
    "RD101",
    "RD102",
    "RD103",
    "RD104",
    "RD105",
    "RD106",
    "RD107",
    "RD108",
    "RD205",
    "RD206",
    "RD209",
}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return shutil.copytree(FIXTURES / "basis", tmp_path / "content")


def new(content: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    if stdin is None:
        return run_regiodocs("new", *args, "--inhalt", str(content))
    return subprocess.run(
        [sys.executable, "-m", "regiodocs", "new", *args, "--inhalt", str(content), "--fragen"],
        input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT,
        env=strict_env(),
    )  # fmt: skip


# ---------------------------------------------------------------- regiodocs new


@pytest.mark.parametrize("typ", [t.name for t in model.RECORD_TYPES])
def test_new_writes_a_record_of_each_type_that_passes_the_check(content: Path, typ: str):
    result = new(content, typ, *ANSWERS[typ], "--keine-fragen")
    assert result.returncode == 0, result.stderr
    written = content / EXPECTED[typ]
    assert written.is_file(), result.stdout
    assert "besteht die Prüfung" in result.stdout
    check = run_regiodocs("check", "--inhalt", str(content), "--strict")
    if schema.sections(typ):  # the template's recommended sections are still to be written (RD215)
        assert check.returncode == 1 and set(re.findall(r"RD\d+", check.stdout)) == {"RD215"}, check.stdout
        assert "Vor dem Einreichen noch zu tun" in result.stdout
    else:
        assert check.returncode == 0, check.stdout
    record = loading.load(content, content.parent)[0].records[written.stem]
    assert record.data["stand"] == time.strftime("%Y-%m-%d")
    assert record.data["titel"] == ANSWERS[typ][ANSWERS[typ].index("--titel") + 1]


@pytest.mark.parametrize("typ", [t.name for t in model.RECORD_TYPES])
def test_new_explains_every_schema_field_in_comments(content: Path, typ: str):
    run_regiodocs("new", typ, *ANSWERS[typ], "--keine-fragen", "--inhalt", str(content), check=True)
    text = (content / EXPECTED[typ]).read_text(encoding="utf-8")
    for key, prop in schema.schema(typ)["properties"].items():
        node, _ = schema.resolve(prop, f"{typ}.schema.json")
        title = prop.get("title") or node.get("title")
        if key != model.BODY_FIELD:
            assert re.search(rf"^# ?{re.escape(key)}:|^{re.escape(key)}:", text, re.M), key
            assert f"# {title} – " in text, title


def test_new_without_answers_leaves_required_fields_for_the_check_to_name(content: Path):
    result = new(content, "projekt", "--titel", "Nur ein Titel", "--federfuehrung", "beta", "--keine-fragen")
    assert result.returncode == 0, result.stderr
    required = set(schema.schema("projekt")["required"]) - {"titel", "stand", "federfuehrung"}
    check = run_regiodocs("check", "--inhalt", str(content))
    assert check.returncode == 1
    named = set(re.findall(r"RD101 Fehler: Das Pflichtfeld `(\w+)` fehlt\.", check.stdout))
    assert named == required, check.stdout
    assert all("nur-ein-titel.md" in line for line in check.stdout.splitlines()[:-1])
    assert "Noch zu tun" in result.stdout and "RD101" in result.stdout


def test_new_asks_in_german_and_asks_again_after_a_wrong_answer(content: Path):
    typed = "\n".join([
        "Radweg an der Erft",  # titel
        "Eine Radverbindung.",  # kurzbeschreibung
        "2",  # federfuehrung: number of `beta`
        "mobilitaet, 1",  # handlungsfelder: id and number
        "geplant",  # status: not allowed …
        "planung",  # … asked again
        "Kreis Beta",  # organisation
        "rad@beta.example.org",  # email (telefon is then not asked)
    ]) + "\n"  # fmt: skip
    result = new(content, "projekt", stdin=typed)
    assert result.returncode == 0, result.stderr
    assert "Federführung – Kennung des federführenden Partners" in result.stdout
    assert "`geplant` ist für „Status“ nicht möglich" in result.stdout
    assert "Bitte noch einmal" in result.stdout and "Telefon" not in result.stdout
    data = loading.load(content, content.parent)[0].records["radweg-an-der-erft"].data
    assert data["federfuehrung"] == "beta" and data["status"] == "planung"
    assert data["handlungsfelder"] == ["mobilitaet", "siedlungsentwicklung"]
    assert data["kontakt"] == [{"organisation": "Kreis Beta", "email": "rad@beta.example.org"}]
    assert (content / "projekte/beta/radweg-an-der-erft.md").is_file()


def test_new_refuses_an_unusable_answer_and_writes_nothing(content: Path):
    before = sorted(p for p in content.rglob("*"))
    bad = new(content, "projekt", "--titel", "X", "--status", "geplant", "--keine-fragen")
    assert bad.returncode == 2 and "`geplant` ist für „Status“ nicht möglich" in bad.stderr
    unknown = new(content, "projekt", "--titel", "X", "--federfuehrung", "gamma", "--keine-fragen")
    assert unknown.returncode == 2 and "`alpha`, `beta`" in unknown.stderr
    too_long = new(content, "veranstaltung", "--titel", "x" * 121, "--keine-fragen")
    assert too_long.returncode == 2 and "höchstens 120" in too_long.stderr
    nowhere = new(content, "projekt", "--titel", "Ohne Partner", "--keine-fragen")
    assert nowhere.returncode == 2 and "--federfuehrung" in nowhere.stderr
    assert sorted(p for p in content.rglob("*")) == before
    assert "Traceback" not in bad.stderr + unknown.stderr + too_long.stderr + nowhere.stderr


def test_ids_come_from_the_title_transliterated_and_never_collide(content: Path):
    assert scaffold.make_id("Straßenbäume in Düsseldorf-Süd", set()) == "strassenbaeume-in-duesseldorf-sued"
    assert scaffold.make_id("Café & Öko: 100 %", {"cafe-oeko-100"}) == "cafe-oeko-100-2"
    assert len(scaffold.make_id("Sehr langer Titel " * 10, set())) <= scaffold.MAX_ID
    assert scaffold.make_id("Radweg Nord", {"radweg-nord"}) == "radweg-nord-2"
    first = new(content, "veranstaltung", *ANSWERS["veranstaltung"], "--keine-fragen")
    second = new(content, "veranstaltung", *ANSWERS["veranstaltung"], "--keine-fragen")
    assert first.returncode == second.returncode == 0
    assert (content / "veranstaltungen/regiosalon-pendeln-2026-05-2.md").is_file()
    taken = new(content, "veranstaltung", "--titel", "X", "--kennung", "radweg-nord", "--keine-fragen")
    assert taken.returncode == 2 and "schon vergeben" in taken.stderr


def test_new_yaml_profile_names_its_schema_for_the_editor(content: Path):
    run_regiodocs("new", "projekt", *ANSWERS["projekt"], "--yaml", "--keine-fragen", "--inhalt", str(content),
                  check=True)  # fmt: skip
    path = content / EXPECTED["projekt"].replace(".md", ".yaml")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match and not match.group(1).startswith("/")
    assert (path.parent / match.group(1)).resolve() == (ROOT / "regiodocs/schemas/projekt.schema.json")
    assert run_regiodocs("check", "--inhalt", str(content)).returncode == 0


def test_values_that_need_quoting_read_back_unchanged():
    for value in ["Radweg: Nord", "# kein Kommentar", "ja", "no", "0123", "2026-03-15", "'zitiert'", " Rand ",
                  "a - b", "[Liste]", "{x}", "Straße & Bäume", "- Strich", "Zeile\nZwei",
                  "x" * 130 + " y"]:  # fmt: skip
        text = scaffold.block("wert", value) + "\n"
        assert loading.yamlio.parse(text).data == {"wert": value}, text


# ---------------------------------------------------------------- schemas for editors and the site


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture network built with a configured GitLab backend: the site publishes /admin/
    (without one, ``regiodocs_cms = "auto"`` leaves it out: tests/test_web_editor.py)."""
    from conftest import build_site, copy_tree

    base = tmp_path_factory.mktemp("editor")
    configured = ["-D", "regiodocs_cms_repo=netzwerk/handbuch", "-D", f"regiodocs_cms_app_id={APP_ID}"]
    build_site(copy_tree("basis", base / "content"), base / "html", extra=configured)
    return base / "html"


def test_site_publishes_the_editor_schemas_and_the_web_editor(editor_site: Path):
    basis_site = editor_site
    for file, data in cms.editor_schemas().items():
        assert json.loads((basis_site / "schemas" / file).read_text(encoding="utf-8")) == data
    index = (basis_site / "admin/index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in index and "http" not in index
    assert "Merge Request" in index and "Geschäftsstelle" in index and "regiodocs check" in index
    script = basis_site / "admin" / "decap-cms.js"
    assert script.stat().st_size > 1_000_000, "the CMS bundle is vendored, not fetched from a CDN"
    config = yaml.safe_load((basis_site / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "de"
    assert config["backend"]["name"] == "gitlab" and config["backend"]["auth_type"] == "pkce"
    everything = (basis_site / "admin/config.yml").read_text(encoding="utf-8")
    assert "intern-vorhaben" not in everything and "Geheimwortzebra" not in everything


def _trees(tmp: Path) -> Iterator[tuple[str, Path]]:
    yield "basis", FIXTURES / "basis"
    for case in sorted([*(FIXTURES / "gueltig").iterdir(), *(FIXTURES / "defekte").iterdir()]):
        if not case.is_dir():
            continue
        root = shutil.copytree(FIXTURES / "basis", tmp / case.name / "content")
        for file in case.rglob("*"):
            if file.is_file() and file.name != "erwartet.yaml":
                target = root / file.relative_to(case)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
        yield case.name, root


def _editor_codes(error: dict[str, object]) -> set[str]:
    """The regiodocs code a draft-07 validator's message stands for."""
    message, path = str(error["message"]), str(error["path"])
    deep = error.get("best_deep_match")
    if isinstance(deep, dict):
        message = f"{message} / {deep['message']}"
    if "einwilligung" in message or path.endswith("einwilligung"):
        return {"RD209"}
    if "koordinaten" in path and ("minimum" in message or "maximum" in message):
        return {"RD205"}
    if "does not match" in message:
        pattern = message.rsplit(" does not match ", 1)[1].strip("'")
        by_pattern = {p: f for f, (p, _m) in cms.FORMAT_PATTERNS.items()}
        fmt = by_pattern.get(pattern.replace("\\\\", "\\"))
        return {"RD206" if fmt == "http-url" else "RD106" if fmt else "RD107"}
    table = [("is a required property", "RD101"), ("not valid under any", "RD101"),
             ("Additional properties", "RD102"), ("is not of type", "RD103"), ("is not one of", "RD104"),
             ("too long", "RD105"), ("too short", "RD105"), ("non-unique", "RD105"),
             ("should be non-empty", "RD105"), ("is not a 'date'", "RD106"), ("is not a 'email'", "RD107"),
             ("minimum", "RD108"), ("maximum", "RD108")]  # fmt: skip
    return {code for text, code in table if text in message}


def test_exported_schemas_judge_every_fixture_like_the_check(basis_site: Path, tmp_path: Path):
    verdicts: dict[str, set[str]] = {}  # instance file → schema-level codes from regiodocs check
    by_kind: dict[str, list[str]] = {}
    for name, root in _trees(tmp_path / "trees"):
        result = checks.check(root, root.parent, today=checks.dt.date.fromisoformat(TODAY))
        for doc in [*result.content.documents(), *result.content.duplicates]:
            if doc.kind == "seite":
                continue
            instance = tmp_path / "instanzen" / name / f"{doc.rel}.json"
            instance.parent.mkdir(parents=True, exist_ok=True)
            instance.write_text(json.dumps(doc.data, ensure_ascii=False), encoding="utf-8")
            by_kind.setdefault(doc.kind, []).append(str(instance))
            codes = {f.code.value for f in result.findings if f.file == doc.path}
            verdicts[str(instance)] = codes & SCHEMA_CODES
    editor: dict[str, set[str]] = {file: set() for file in verdicts}
    for kind, files in by_kind.items():
        run = subprocess.run(
            [str(BIN / "check-jsonschema"), "--output-format", "json",
             "--schemafile", str(basis_site / "schemas" / f"{kind}.schema.json"), *files],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        report = json.loads(run.stdout)
        assert not report.get("parse_errors"), report["parse_errors"]
        for error in report["errors"]:
            editor[error["filename"]] |= _editor_codes(error)
    assert len(verdicts) > 500 and any(verdicts.values())
    disagreements = {
        f"{Path(file).relative_to(tmp_path / 'instanzen')}: check {sorted(verdicts[file])}, "
        f"Editor {sorted(editor[file])}"
        for file in verdicts
        if verdicts[file] != editor[file]
    }
    assert not disagreements, "\n".join(sorted(disagreements))


def test_vscode_validates_each_kind_of_yaml_file_with_its_schema():
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    mapped = {Path(file).name.removesuffix(".schema.json"): globs for file, globs in mapping.items()}
    for file in mapping:
        assert (ROOT / file).is_file(), file
    files = [p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*.yaml")]
    for rel in files:
        slot = loading.classify(rel)
        assert not isinstance(slot, str), rel
        hits = [kind for kind, globs in mapped.items() if any(fnmatch(f"content/{rel}", g) for g in globs)]
        assert hits == [slot.kind], rel
    profiles = {t.name for t in model.RECORD_TYPES} | {"partner", "plattform", "netzwerk"}
    assert profiles <= set(mapped)


# ---------------------------------------------------------------- the web editor's configuration


def _schema_fields(node: dict[str, object], base: str, content: model.Content, prefix: str = "") -> set[str]:
    """Every field path and allowed value a schema defines, as ``path`` and ``path=value``."""
    node, base = schema.resolve(node, base)  # type: ignore[arg-type]
    found: set[str] = set()
    for key, prop in dict(node.get("properties", {})).items():  # type: ignore[arg-type]
        path = f"{prefix}{key}"
        found.add(path)
        sub, sub_base = schema.resolve(prop, base)
        items = sub.get("items")
        ref = prop.get("x-verweis") or sub.get("x-verweis")
        if isinstance(items, dict):
            item, item_base = schema.resolve(items, sub_base)
            ref = ref or items.get("x-verweis") or item.get("x-verweis")
            found |= _schema_fields(item, item_base, content, f"{path}.") if "properties" in item else set()
            sub = item if "enum" in item else sub
        if "properties" in sub:
            found |= _schema_fields(sub, sub_base, content, f"{path}.")
        names = sub.get("propertyNames")
        if isinstance(names, dict):
            kind = names.get("x-verweis")
            found |= {f"{path}.{key}" for key, _t in model.vocabulary(content, kind)}
        values = (
            list(sub.get("enum", [])) + [k for k, _t in model.vocabulary(content, ref)]
            if ref
            else sub.get("enum")
        )
        found |= {f"{path}={v}" for v in values or []}
        found |= {f"{path}={v}" for v in (prop.get("x-auch") or sub.get("x-auch") or [])}
    return found


def _cms_fields(fields: list[dict[str, object]], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for f in fields:
        path = f"{prefix}{f['name']}"
        found.add(path)
        found |= {f"{path}={o['value']}" for o in f.get("options", [])}  # type: ignore[union-attr]
        found |= _cms_fields(f.get("fields", []), f"{path}.")  # type: ignore[arg-type]
    return found


def test_web_editor_config_covers_every_schema_field_and_vocabulary():
    content = checks.check(ROOT / "content", ROOT).content.visible(intern=False)
    config = cms.config(content, cms.Backend())
    by_name = {c["name"]: c for c in config["collections"]}
    for rtype in model.RECORD_TYPES:
        wanted = _schema_fields(schema.schema(rtype.name), f"{rtype.name}.schema.json", content)
        other = "md" if rtype.name == "foerderprogramm" else "yaml"
        for name in (rtype.name, f"{rtype.name}-{other}"):
            collection = by_name[name]
            got = _cms_fields(collection["fields"]) - {"body"}
            expected = wanted - ({model.BODY_FIELD} if collection["extension"] == "md" else set())
            assert got == expected, (
                f"{name}: fehlt {sorted(expected - got)}, zu viel {sorted(got - expected)}"
            )
            assert collection["folder"] == f"content/{rtype.folder}"
            if rtype.group_field:
                assert collection["path"] == "{{" + rtype.group_field + "}}/{{slug}}"
            body = "body" if collection["extension"] == "md" else model.BODY_FIELD
            assert (
                collection["fields"][-1]["widget"] == "markdown" and collection["fields"][-1]["name"] == body
            )
    labels = [f["label"] for c in config["collections"] for f in c["fields"]]
    assert "Federführung" in labels and "Kontakt" in labels


def test_web_editor_widgets_follow_types_and_formats():
    content = checks.check(FIXTURES / "basis", FIXTURES).content
    fields = {f["name"]: f for f in cms.config(content, cms.Backend())["collections"][0]["fields"]}
    assert fields["stand"]["widget"] == "datetime" and fields["stand"]["format"] == "YYYY-MM-DD"
    assert (
        fields["status"]["widget"] == "select"
        and {"label": "Planung", "value": "planung"} in fields["status"]["options"]
    )
    assert fields["handlungsfelder"]["multiple"] is True and fields["handlungsfelder"]["min"] == 1
    assert fields["kosten_eur"]["value_type"] == "int"
    assert fields["beginn"]["pattern"][0] == cms.FORMAT_PATTERNS["jahr-monat"][0]
    assert [f["name"] for f in fields["kennzahlen"]["fields"]] == ["wohneinheiten", "radwege_km"]
    kontakt = {f["name"]: f for f in fields["kontakt"]["fields"]}
    assert kontakt["organisation"]["required"] is True and fields["kontakt"]["min"] == 1
    dokumente = {f["name"]: f for f in fields["dokumente"]["fields"]}
    assert dokumente["datei"]["widget"] == "file"


# Values each format must accept and refuse, judged as the web editor judges them.
FORMAT_SAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "date": (["2026-03-15", "1999-12-31", "2024-02-29"],
             ["2026-13-01", "2026-00-10", "2026-03-32", "2026-3-15", "15.03.2026", "2026-03-15 ",
              "x2026-03-15", "2026-03-15\n"]),
    "jahr-monat": (["2025", "2025-04", "2025-12"], ["2025-13", "2025-4", "25", "2025-04-01", "April 2025"]),
    "jahr": (["2019", "0000"], ["19", "20190", "2019-01", " 2019"]),
    "frist": (["laufend", "2027-06-30"], ["Laufend", "laufend!", "bald", "2027-06", "2027-06-31x"]),
    "http-url": (["https://www.example.org/foerderung", "http://example.org", "https://a.example/x?y=1#z"],
                 ["ftp://example.org", "www.example.org", "https://", "https://exa mple.org",
                  "javascript:alert(1)", "https:///pfad"]),
    "email": (["stadtplanung@example.org", "a.b@c"], ["stadtplanung", "a@b@c", "a b@c.de", "@example.org"]),
}  # fmt: skip
# The not-only-spaces pattern of text fields (with a length limit of 5): accept and refuse.
BLANK_SAMPLES = (["x", " x ", "Maß", "a\nb"], ["", "   ", "\u200b", " \ufeff ", "\t\n", "sechs!"])


def _decap_test(cases: list[tuple[str, str]]) -> list[bool]:
    """``RegExp(pattern).test(value)`` in node: exactly how Decap CMS judges a field's ``pattern``."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node fehlt: die Muster des Web-Editors lassen sich nicht wie im Browser prüfen")
        pytest.skip("!!! node fehlt: Muster nur mit regress (ECMAScript) geprüft !!!")
    script = "const c = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
    script += "console.log(JSON.stringify(c.map(([p, v]) => RegExp(p).test(v))));"
    run = subprocess.run(
        [node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _pattern_cases() -> list[tuple[str, str, bool, str]]:
    """(pattern, value, expected, label) for every format and the not-only-spaces pattern."""
    cases = []
    for fmt, (good, bad) in FORMAT_SAMPLES.items():
        pattern = cms.FORMAT_PATTERNS[fmt][0]
        cases += [(pattern, v, True, fmt) for v in good] + [(pattern, v, False, fmt) for v in bad]
    content = checks.check(FIXTURES / "basis", FIXTURES).content
    blank = [
        f["pattern"][0]
        for c in cms.config(content, cms.Backend())["collections"]
        for f in c["fields"]
        if isinstance(f.get("pattern"), list) and schema.BLANK_PATTERN in f["pattern"][0]
    ]
    assert blank, "no text field refuses blank values in the web editor"
    limited = re.sub(r"\{0,\d+\}", "{0,5}", blank[0])  # the same pattern, limit 5 for the samples
    good, bad = BLANK_SAMPLES
    cases += [(limited, v, True, "text") for v in good] + [(limited, v, False, "text") for v in bad]
    return cases


def test_editor_patterns_accept_and_refuse_as_an_ecmascript_engine_judges_them():
    """The patterns are ECMAScript (Decap CMS, yaml-language-server), not Python: judged by regress."""
    import regress  # Rust ECMAScript engine, as check-jsonschema uses for `pattern`

    wrong = [
        f"{label}: {value!r} {'abgelehnt' if expected else 'angenommen'}"
        for pattern, value, expected, label in _pattern_cases()
        if (regress.Regex(pattern).find(value) is not None) != expected
    ]
    assert not wrong, "\n".join(wrong)


def test_editor_patterns_accept_and_refuse_in_javascript_as_decap_cms_applies_them():
    cases = _pattern_cases()
    verdicts = _decap_test([(pattern, value) for pattern, value, _e, _l in cases])
    wrong = [
        f"{label}: {value!r} {'abgelehnt' if expected else 'angenommen'}"
        for (_p, value, expected, label), verdict in zip(cases, verdicts, strict=True)
        if verdict != expected
    ]
    assert not wrong, "\n".join(wrong)


def test_backend_comes_from_gitlab_ci_and_can_be_overridden(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CI_PROJECT_PATH", "rnw/handbuch")
    monkeypatch.setenv("CI_SERVER_URL", "https://gitlab.opencode.de")
    monkeypatch.setenv("REGIODOCS_CMS_APP_ID", APP_ID)
    backend = cms.Backend.from_environment(branch="redaktion").as_config()
    assert backend["repo"] == "rnw/handbuch" and backend["base_url"] == "https://gitlab.opencode.de"
    assert backend["app_id"] == APP_ID and backend["branch"] == "redaktion"


@pytest.mark.browser
def test_web_editor_loads_its_config_in_german_without_third_parties(
    editor_site: Path, tmp_path: Path, chromium: object
):
    from browser import open_page, serve

    site = shutil.copytree(editor_site / "admin", tmp_path / "site" / "admin")
    config = yaml.safe_load((site / "config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}  # Decap's in-memory backend: no server needed
    (site / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with serve(site.parent) as url, open_page(chromium, url + "admin/") as visit:
        visit.page.get_by_role("button", name="Web-Editor öffnen").click()  # the German start screen
        visit.page.get_by_role("button", name=re.compile("Login|Anmelden", re.I)).click()
        visit.page.goto(url + "admin/#/collections/projekt/new")
        visit.page.get_by_text("Federführung", exact=False).first.wait_for()
        text = visit.page.inner_text("body")
        assert "KONTAKT" in text.upper() and "Speichern" in text
        assert "Fehler beim Laden" not in text and "Error loading" not in text
        assert not visit.blocked, visit.blocked
        assert not visit.errors, visit.errors


# ---------------------------------------------------------------- CI, hooks, guide


def _commands(lines: list[str]) -> Iterator[list[str]]:
    for line in lines:
        for part in re.split(r"&&|\|\||;", line):
            words = part.split()
            if words and words[0] in ("make", ".venv/bin/regiodocs", "regiodocs"):
                yield words


def _assert_exists(words: list[str]) -> None:
    if words[0] == "make":
        dry = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True)
        assert dry.returncode == 0, f"make {words[1:]}: {dry.stderr}"
        return
    args = words[1:]
    args = args[: args.index(">")] if ">" in args else args
    parser = cli._parser()
    choices = next(a.choices for a in parser._actions if a.dest == "command")
    assert args[0] in choices, words
    parser.parse_args(args)  # exits (fails the test) on an unknown option


def test_gitlab_ci_is_valid_and_runs_existing_commands():
    run = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci",
         "--data-transform", "gitlab-ci",
         str(ROOT / ".gitlab-ci.yml")], capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    ci = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    lines = [line for job in ci.values() if isinstance(job, dict) for line in job.get("script", [])]
    commands = list(_commands(lines))
    assert {"check", "html", "test"} <= {w[1] for w in commands if len(w) > 1} | {w[1] for w in commands}
    for words in commands:
        _assert_exists(words)
    assert ci["pruefen"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert any("--format gitlab" in line for line in ci["pruefen"]["script"])


def test_github_workflow_is_valid_and_runs_existing_commands():
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert workflows
    for schema_name in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        tool = str(BIN / "check-jsonschema")
        run = subprocess.run([tool, "--builtin-schema", schema_name, *map(str, workflows)],
                             capture_output=True, text=True)  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
    steps = [
        s for w in workflows for job in yaml.safe_load(w.read_text())["jobs"].values() for s in job["steps"]
    ]
    lines = [line for s in steps for line in str(s.get("run", "")).splitlines()]
    for words in _commands(lines):
        _assert_exists(words)
    assert any("--format github" in line for line in lines)
    assert any(str(s.get("uses", "")).startswith("actions/upload-artifact") for s in steps)


def test_pre_commit_hooks_run_existing_commands():
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    shared = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in local["repos"] for h in repo["hooks"]] + shared
    for hook in hooks:
        assert hook["id"] and hook["name"] and hook["entry"]
        re.compile(hook["files"])
        words = hook["entry"].split()
        if words[0].endswith("regiodocs"):
            _assert_exists([".venv/bin/regiodocs", *words[1:]])
        else:
            assert (ROOT / words[0]).name in {p.name for p in BIN.iterdir()}, words
    assert re.search(hooks[0]["files"], "content/projekte/neuss/x.md")


def test_pull_request_template_has_a_german_checklist():
    text = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 5 and "regiodocs check" in text and "einwilligung" in text


def test_contributing_guide_explains_every_check_code_and_three_paths():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [code.value for code in Code if code.value not in text]
    assert not missing, missing
    for words in (
        "Web-Editor",
        "regiodocs new projekt",
        "Geschäftsstelle",
        "regiodocs serve",
        "Merge-Request",
    ):
        assert words in text, words


# ---------------------------------------------------------------- regiodocs serve


def test_serve_prints_the_url_and_rebuilds_after_a_save(content: Path, tmp_path: Path):
    from regiodocs.preview import free_port

    port = free_port(18_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "regiodocs", "serve", "--inhalt", str(content), "--port", str(port),
         "--arbeit", str(tmp_path / "arbeit"), "--heute", TODAY],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=strict_env(),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        said = [process.stdout.readline() for _ in range(3)]  # the editor's note may come first
        assert any(f"http://127.0.0.1:{port}/" in line for line in said), said
        page = f"http://127.0.0.1:{port}/projekte/alpha/radweg-nord.html"
        assert "Radschnellweg Nord" in _wait_for(page, "Radschnellweg Nord")
        record = content / "projekte/alpha/radweg-nord.md"
        record.write_text(record.read_text(encoding="utf-8").replace("Radschnellweg Nord", "Radweg Nordost"),
                          encoding="utf-8")  # fmt: skip
        assert "Radweg Nordost" in _wait_for(page, "Radweg Nordost")
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(url: str, text: str, timeout: float = 120) -> str:
    deadline, body = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(1)
    return body
