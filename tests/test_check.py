"""`regiodocs check`: the defect corpus, equivalence of .md and .yaml, report formats."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from regiodocs import checks, loading

from conftest import FIXTURES, ROOT, run_regiodocs

TODAY = dt.date(2026, 11, 22)
CASES = sorted(p for p in (FIXTURES / "defekte").iterdir() if p.is_dir())
VALID = sorted(p for p in (FIXTURES / "gueltig").iterdir() if p.is_dir())


def overlay(case: Path, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    for file in case.rglob("*"):
        if file.is_file() and file.name != "erwartet.yaml":
            target = content / file.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
    return content


def test_fixture_network_is_clean():
    result = checks.check(FIXTURES / "basis", FIXTURES, today=TODAY)
    assert result.findings == []


def test_shipped_content_is_clean():
    result = checks.check(ROOT / "content", ROOT, today=TODAY)
    assert result.errors == [], "\n".join(f"{f.file}:{f.line} {f.message}" for f in result.errors)


def test_second_network_checks_without_code_change():
    result = checks.check(FIXTURES / "lhsr", FIXTURES, today=TODAY)
    assert result.errors == []
    assert set(result.content.partner) == {"duesseldorf", "kreis-mettmann", "rhein-kreis-neuss"}
    assert result.content.netzwerk.data["bezeichnungen"]["handlungsfelder"] == "Zukunftsfelder"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_defect_is_the_only_cause_of_the_failure(case: Path, tmp_path: Path):
    """Undo the case's files (basis version back, added files removed): the check passes again."""
    content = overlay(case, tmp_path)
    assert checks.check(content, tmp_path, today=TODAY).errors, "the case must fail"
    for file in case.rglob("*"):
        if file.is_file() and file.name != "erwartet.yaml":
            rel = file.relative_to(case)
            if (FIXTURES / "basis" / rel).is_file():
                shutil.copyfile(FIXTURES / "basis" / rel, content / rel)
            else:
                (content / rel).unlink()
    result = checks.check(content, tmp_path, today=TODAY)
    assert result.errors == [], [(f.file, f.line, f.code.value) for f in result.errors]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_defect_is_reported_at_its_file_and_line(case: Path, tmp_path: Path):
    expected = yaml.safe_load((case / "erwartet.yaml").read_text(encoding="utf-8"))
    content = overlay(case, tmp_path)
    result = checks.check(content, tmp_path, today=TODAY)
    wanted = f"content/{expected['datei']}"
    hits = [
        f
        for f in result.errors
        if (f.file, f.line, f.code.value) == (wanted, expected["zeile"], expected["code"])
    ]
    listing = "\n".join(f"{f.file}:{f.line} {f.code.value} {f.message}" for f in result.findings)
    assert hits, f"expected {expected['code']} at {wanted}:{expected['zeile']}, got:\n{listing}"
    assert all(f.file == wanted for f in result.errors), listing
    assert all((f.message and f.message[0].isupper()) or f.message.startswith("`") for f in hits)


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_edge_cases_pass(case: Path, tmp_path: Path):
    result = checks.check(overlay(case, tmp_path), tmp_path, today=TODAY)
    assert result.errors == []


def test_yaml_tags_never_execute(tmp_path: Path):
    marker = tmp_path / "pwned"
    content = overlay(FIXTURES / "defekte" / "12-python-tag", tmp_path)
    (content / "projekte" / "beta" / "zweiter.yaml").write_text(
        f'!!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    result = checks.check(content, tmp_path, today=TODAY)
    assert not marker.exists()
    assert any(f.code.value == "RD005" for f in result.errors)


def test_same_record_as_markdown_and_yaml_is_the_same_record(tmp_path: Path):
    front = {
        "titel": "Radweg Süd",
        "kurzbeschreibung": "Ein Radweg.",
        "federfuehrung": "alpha",
        "handlungsfelder": ["mobilitaet"],
        "status": "planung",
        "beginn": 2025,
        "kontakt": [{"organisation": "Stadt Alpha", "email": "rad@example.org"}],
        "stand": "2026-03-15",
    }
    body = "## Ausgangslage\n\nViele Pendler:innen fahren **Rad**.\n"
    folder = tmp_path / "content" / "projekte" / "alpha"
    shutil.copytree(FIXTURES / "basis", tmp_path / "content", dirs_exist_ok=True)
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    (folder / "radweg-sued.md").write_text(f"---\n{text}---\n{body}", encoding="utf-8")
    md, _ = loading.load(tmp_path / "content", tmp_path)
    (folder / "radweg-sued.md").unlink()
    (folder / "radweg-sued.yaml").write_text(
        yaml.safe_dump({**front, "beschreibung": body}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    yml, _ = loading.load(tmp_path / "content", tmp_path)
    a, b = md.records["radweg-sued"], yml.records["radweg-sued"]
    assert a.data == {k: v for k, v in b.data.items() if k != "beschreibung"}
    assert a.body.strip() == b.body.strip()


def test_cli_exit_codes_and_formats(tmp_path: Path):
    clean = run_regiodocs("check", "--inhalt", str(FIXTURES / "basis"))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    content = overlay(FIXTURES / "defekte" / "03-status-geplant", tmp_path)
    text = run_regiodocs("check", "--inhalt", str(content))
    assert text.returncode == 1
    assert "RD104" in text.stdout and "status-geplant.md:6:" in text.stdout
    as_json = json.loads(run_regiodocs("check", "--inhalt", str(content), "--format", "json").stdout)
    assert {"file", "line", "column", "code", "severity", "message"} <= set(as_json[0])
    github = run_regiodocs("check", "--inhalt", str(content), "--format", "github").stdout
    assert github.startswith("::error file=") and ",line=6," in github
    gitlab = json.loads(run_regiodocs("check", "--inhalt", str(content), "--format", "gitlab").stdout)
    assert gitlab[0]["location"]["lines"]["begin"] == 6 and gitlab[0]["fingerprint"]
    usage = run_regiodocs("check", "--format", "pdf")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_check_can_report_on_selected_paths_only(tmp_path: Path):
    content = overlay(FIXTURES / "defekte" / "03-status-geplant", tmp_path)
    other = run_regiodocs("check", "--inhalt", str(content), str(content / "praxis"))
    assert other.returncode == 0
    same = run_regiodocs("check", "--inhalt", str(content), str(content / "projekte"))
    assert same.returncode == 1


def test_unused_media_warns_but_only_fails_when_strict(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    (content / "medien" / "uebrig.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert run_regiodocs("check", "--inhalt", str(content)).returncode == 0
    strict = run_regiodocs("check", "--inhalt", str(content), "--strict")
    assert strict.returncode == 1 and "RD212" in strict.stdout


def test_checking_one_file_still_sees_the_rest_of_the_tree(tmp_path: Path):
    content = overlay(FIXTURES / "defekte" / "23-verweis-auf-intern", tmp_path)
    changed = content / "projekte" / "beta" / "verweis-intern.yaml"
    result = run_regiodocs("check", "--inhalt", str(content), str(changed))
    assert result.returncode == 1 and "RD210" in result.stdout  # intern target read shallowly
    clean = run_regiodocs("check", "--inhalt", str(content), str(content / "praxis" / "gute-sache.md"))
    assert clean.returncode == 0, clean.stdout


def test_selective_check_agrees_with_the_full_check_on_every_defect(tmp_path: Path):
    for case in CASES:
        expected = yaml.safe_load((case / "erwartet.yaml").read_text(encoding="utf-8"))
        target = tmp_path / case.name
        content = overlay(case, target)
        file = content / expected["datei"]
        if not file.is_file():
            continue
        full = checks.check(content, target, today=TODAY)
        rel = expected["datei"]
        selective = checks.check(content, target, today=TODAY, only={rel})
        want = {(f.line, f.code) for f in full.errors if f.file.endswith(rel)}
        got = {(f.line, f.code) for f in selective.errors if f.file.endswith(rel)}
        assert got == want, case.name
