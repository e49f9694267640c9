"""The code hash covers every file the package ships: a changed tool invalidates what it made."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

HASH = "from regiodocs.codehash import code_hash; print(code_hash())"


def hash_of(root: Path) -> str:
    run = subprocess.run(
        [sys.executable, "-c", HASH], cwd=root, env={"PYTHONPATH": str(root)}, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.parametrize(
    ("relative", "old", "new"),
    [
        ("schemas/veranstaltung.schema.json", '"Workshop"', '"Werkstatt"'),  # a label in calendars
        ("theme/regiodocs/static/regiodocs.css", "}", "} /* */"),
        ("editions/druck/cover.html", "<", "<!-- --><"),
        ("model.py", "\n", "\n# edited\n"),
    ],
)
def test_an_edit_of_any_shipped_file_changes_the_code_hash(tmp_path: Path, relative: str, old: str, new: str):
    shutil.copytree(ROOT / "regiodocs", tmp_path / "regiodocs", ignore=shutil.ignore_patterns("__pycache__"))
    before = hash_of(tmp_path)
    assert before == hash_of(tmp_path), "the hash is not stable"
    path = tmp_path / "regiodocs" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, "fixture changed"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert hash_of(tmp_path) != before


def test_compiled_bytecode_does_not_change_the_code_hash(tmp_path: Path):
    shutil.copytree(ROOT / "regiodocs", tmp_path / "regiodocs", ignore=shutil.ignore_patterns("__pycache__"))
    before = hash_of(tmp_path)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tmp_path / "regiodocs")], check=True)
    assert any((tmp_path / "regiodocs").rglob("__pycache__/*.pyc"))
    assert hash_of(tmp_path) == before


def test_an_editors_leftovers_do_not_change_the_code_hash(tmp_path: Path):
    shutil.copytree(ROOT / "regiodocs", tmp_path / "regiodocs", ignore=shutil.ignore_patterns("__pycache__"))
    before = hash_of(tmp_path)
    for name in (".model.py.swp", "model.py~", "#model.py#", ".DS_Store", "schemas/.x.json.swp"):
        (tmp_path / "regiodocs" / name).write_text("x", encoding="utf-8")
    assert hash_of(tmp_path) == before
