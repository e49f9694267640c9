"""The command line speaks German and every hint it prints runs as printed."""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from regiodocs import cli, report
from regiodocs.findings import Code, Finding, Severity

from conftest import FIXTURES, ROOT, run_regiodocs, strict_env

ENGLISH = (
    "usage:", "positional arguments", "options:", "optional arguments", "show this help",
    "show program", "error:", "invalid choice", "the following arguments", "unrecognized arguments",
    "expected one argument", "choose from", "Warnung(en)", "interner Fehler",
)  # fmt: skip


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    with cli.german_argparse():
        parser = cli._parser()
    found = {"": parser}
    todo = [("", parser)]
    while todo:
        prefix, current = todo.pop()
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    key = f"{prefix} {name}".strip()
                    found[key] = sub
                    todo.append((key, sub))
    return found


def test_every_help_text_is_german_and_every_argument_is_explained():
    commands = _subcommands()
    assert {"check", "build", "new", "new projekt", "serve", "release", "diff", "druck", "bericht"} <= set(
        commands
    )
    for name, parser in commands.items():
        with cli.german_argparse():
            text = parser.format_help()
        assert text.startswith("Aufruf: regiodocs"), (name, text)
        assert not [w for w in ENGLISH if w in text], (name, text)
        unexplained = [
            a.option_strings or a.dest
            for a in parser._actions
            if not a.help and not isinstance(a, argparse._SubParsersAction)
        ]
        assert unexplained == [], (name, unexplained)


def test_argparse_is_german_only_while_regiodocs_parses():
    before = argparse._("usage: ")  # type: ignore[attr-defined]
    with cli.german_argparse():
        assert argparse._("usage: ") == "Aufruf: "  # type: ignore[attr-defined]
    assert argparse._("usage: ") == before == "usage: "  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check", "--format", "pdf"], "'pdf' ist nicht möglich (möglich sind: 'text'"),
        (["relase"], "'relase' ist nicht möglich"),
        (["diff", "2026-1"], "diese Angaben fehlen: BIS"),
        (["check", "--gibts-nicht"], "unbekannte Angaben: --gibts-nicht"),
        (["build", "-D"], "-D: erwartet einen Wert"),
    ],
)
def test_usage_errors_are_german_and_name_a_help_command_that_runs(args: list[str], words: str):
    result = run_regiodocs(*args)
    assert result.returncode == 2
    assert words in result.stderr, result.stderr
    assert not [w for w in ENGLISH if w in result.stderr], result.stderr
    hint = re.search(r"^Hilfe: (.+)$", result.stderr, re.M)
    assert hint, result.stderr
    shown = subprocess.run(
        shlex.split(hint.group(1)), cwd=ROOT, capture_output=True, text=True, timeout=60, env=strict_env()
    )
    assert shown.returncode == 0 and shown.stdout.startswith("Aufruf: regiodocs"), shown.stderr


def test_counts_are_singular_and_plural():
    assert report.count(1, "Warnung", "Warnungen") == "1 Warnung"
    assert report.count(2, "Warnung", "Warnungen") == "2 Warnungen"
    assert report.count(0, "Warnung", "Warnungen") == "0 Warnungen"
    assert report.count(1, "Fehler") == "1 Fehler"

    def finding(severity: Severity) -> Finding:
        return Finding("content/x.md", 1, 1, Code.MEDIA_UNUSED, "Text.", severity)

    one = report.text([finding(Severity.ERROR), finding(Severity.WARNING)])
    assert one.splitlines()[-1] == "1 Fehler, 1 Warnung."
    two = report.text([finding(Severity.WARNING), finding(Severity.WARNING)])
    assert two.splitlines()[-1] == "0 Fehler, 2 Warnungen."


def test_the_printed_command_is_the_one_that_runs_here(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # the venv is not on the PATH: its path is printed
    assert report.command("check", "a b") == ".venv/bin/regiodocs check 'a b'"
    monkeypatch.setenv("PATH", f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin")  # activated venv
    assert report.command("check") == "regiodocs check"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert report.command("check") == f"{ROOT / '.venv' / 'bin' / 'regiodocs'} check"


@pytest.mark.parametrize(
    "folder",
    ["content", "inhalte", "../anderswo/content"],
    ids=["default-folder", "other-folder", "folder-outside-the-working-folder"],
)
def test_every_next_step_of_new_runs_as_printed(tmp_path: Path, folder: str):
    """Wherever the content folder is, the printed check reads that folder and that file."""
    work = tmp_path / "arbeit"
    work.mkdir()
    shutil.copytree(FIXTURES / "basis", work / folder)
    result = subprocess.run(
        [str(ROOT / ".venv/bin/regiodocs"), "new", "foerderprogramm", "--titel", "Neues Programm",
         "--keine-fragen", "--inhalt", folder],
        cwd=work, capture_output=True, text=True, timeout=120, env=strict_env({"PATH": "/usr/bin:/bin"}),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    created = (work / folder / "foerderung/neues-programm.yaml").resolve()
    assert created.is_file()
    check = re.search(r"Prüfen: (.+)$", result.stdout, re.M)
    assert check, result.stdout
    words = shlex.split(check.group(1))
    assert words[:2] == [str(ROOT / ".venv/bin/regiodocs"), "check"]
    assert (work / words[-1]).resolve() == created  # the file as typed in the working folder
    ran = subprocess.run(words, cwd=work, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    reported = {line.split(":")[0] for line in ran.stdout.splitlines() if "RD101" in line}
    assert reported and {(work / r).resolve() for r in reported} == {created}, ran.stdout
    serve = re.search(r"Ansehen: (.+?) \(Vorschau", result.stdout)
    assert serve, result.stdout
    served = shlex.split(serve.group(1))
    assert Path(served[0]).is_file() and served[1] == "serve"
    if folder != "content":  # the preview must show the same folder
        assert (work / served[served.index("--inhalt") + 1]).resolve() == (work / folder).resolve()


def test_no_hint_in_the_code_names_a_bare_regiodocs_command():
    """Hints are built with report.command(); a literal `regiodocs check …` does not run (no PATH)."""
    offenders = []
    package = ROOT / "regiodocs"
    files = [package / "cli.py", package / "scaffold.py", *(package / "editions").glob("*.py")]
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.split("  # ")[0].strip()
            if stripped.startswith(("#", '"""', "``")) or "``regiodocs" in line:
                continue
            if re.search(r"""["'][^"']*\bregiodocs (check|build|serve|new|release|druck|bericht)\b""", line):
                if "`regiodocs check`" in line and "Lehnt ab" in line:  # the help text names the command
                    continue
                offenders.append(f"{path.name}:{number}: {stripped}")
    assert offenders == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["schemas", "--ziel", "{datei}"], "Zielordner `{datei}` ist eine Datei, kein Ordner"),
        (["schemas", "--ziel", "{datei}/unter"], "`{datei}` ist eine Datei, kein Ordner"),
        (["bericht", "--ohne-links", "--ziel", "{ordner}"], "Zieldatei `{ordner}` ist ein Ordner"),
        (["bericht", "--ohne-links", "--ziel", "{datei}/bericht.txt"], "`{datei}` ist eine Datei"),
        (["druck", "--ziel", "{ordner}"], "Geben Sie einen Dateinamen an, z. B. `{ordner}/handbuch.pdf`"),
        (["release", "2026-9", "--ziel", "{datei}"], "Zielordner `{datei}` ist eine Datei"),
        (["build", "--ziel", "{datei}/html"], "`{datei}` ist eine Datei, kein Ordner"),
        (["build", "--ziel", "{schleife}/html"], "führt über einen Verweis (Symlink), der im Kreis zeigt"),
        (["bericht", "--ohne-links", "--ziel", "{schleife}/b.txt"], "der im Kreis zeigt"),
        (["schemas", "--ziel", "/proc/regiodocs-schemas"], "In /proc kann nicht geschrieben werden"),
        (["druck", "--ziel", "/proc/handbuch.pdf"], "In /proc kann nicht geschrieben werden"),
        (["build", "--arbeit", "{datei}"],
         "Arbeitsordner `{datei}` ist eine Datei, kein Ordner. Wählen Sie einen Ordner (--arbeit)"),
    ],
    ids=["schemas-file", "schemas-below-file", "bericht-folder", "bericht-below-file", "druck-folder",
         "release-file", "build-below-file", "build-loop", "bericht-loop", "schemas-unwritable",
         "druck-unwritable", "build-workdir-file"],
)  # fmt: skip
def test_a_target_that_cannot_be_written_is_a_wrong_call_named_in_german(
    tmp_path: Path, words: list[str], expected: str
):
    """A mistyped --ziel is the caller's mistake (exit 2, the path named), never a program error."""
    datei, ordner, schleife = tmp_path / "datei", tmp_path / "ordner", tmp_path / "schleife"
    datei.write_text("schon da\n", encoding="utf-8")
    ordner.mkdir()
    schleife.symlink_to(tmp_path / "zurueck")
    (tmp_path / "zurueck").symlink_to(schleife)
    filled = [w.format(datei=datei, ordner=ordner, schleife=schleife) for w in words]
    result = run_regiodocs(*filled)
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected.format(datei=datei, ordner=ordner, schleife=schleife) in result.stderr, result.stderr
    assert "Programmfehler" not in result.stderr and "Traceback" not in result.stderr
    assert datei.read_text(encoding="utf-8") == "schon da\n" and list(ordner.iterdir()) == []


def test_exit_codes_tell_content_problems_wrong_calls_bugs_and_interruptions_apart(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    assert (cli.EXIT_OK, cli.EXIT_PROBLEMS, cli.EXIT_USAGE, cli.EXIT_BUG, cli.EXIT_INTERRUPTED) == (
        0,
        1,
        2,
        3,
        130,
    )

    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_check", interrupted)
    assert cli.main(["check"]) == cli.EXIT_INTERRUPTED == 130
    assert "Abgebrochen" in capsys.readouterr().err


# ---------------------------------------------------------------- leaving the process

_RUN = """
import atexit, sys, threading, time
from regiodocs import cli

def main():
    atexit.register(lambda: print("Abschluss gelaufen", file=sys.stderr))
    sys.stdout.write("x" * 300_000)  # more than a pipe holds: written before the exit
    if sys.argv[1] == "faden":
        threading.Thread(target=lambda: (time.sleep(0.3), print("Faden fertig", flush=True))).start()
    return 5

cli.main = main
cli.run()
"""


@pytest.mark.parametrize("thread", ["ohne", "faden"])
def test_the_entry_point_exits_with_mains_status_after_all_output_and_exit_handlers(thread: str):
    """``regiodocs`` (the console script and ``python -m``) leaves without the interpreter's
    teardown, but only after the exit handlers ran and every byte is written; a thread that
    still runs is waited for."""
    import sys

    result = subprocess.run(
        [sys.executable, "-c", _RUN, thread], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 5
    assert result.stdout.startswith("x" * 300_000)
    assert result.stdout.removeprefix("x" * 300_000) == ("Faden fertig\n" if thread == "faden" else "")
    assert result.stderr == "Abschluss gelaufen\n"


def test_python_m_regiodocs_and_the_console_script_use_the_same_entry_point():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["regiodocs"] == "regiodocs.cli:run"
    assert (ROOT / "regiodocs/__main__.py").read_text(encoding="utf-8") == "from .cli import run\n\nrun()\n"


def check_writing_to(stdout: Any, *, buffered: bool) -> subprocess.CompletedProcess[str]:
    """``regiodocs check content`` with its output on ``stdout``, written at the end or at once."""
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "regiodocs", "check", "content"],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.parametrize("buffered", [True, False], ids=["gepuffert", "ungepuffert"])
def test_output_that_cannot_be_written_is_reported_in_german_and_fails_the_command(buffered: bool):
    """A full disk under a redirected output (here ``/dev/full``) loses what ``regiodocs check``
    printed: that is said in German and the command fails, whether the output is written at the
    end (buffered) or at once, instead of a silent success or a traceback."""

    with open("/dev/full", "w") as full:
        result = check_writing_to(full, buffered=buffered)
    assert result.returncode == cli.EXIT_PROBLEMS
    assert "Kein Platz mehr auf dem Datenträger" in result.stderr
    assert "Traceback" not in result.stderr and "Programmfehler" not in result.stderr


@pytest.mark.parametrize("buffered", [True, False], ids=["gepuffert", "ungepuffert"])
def test_a_reader_that_left_early_is_no_program_error(buffered: bool):
    """``regiodocs check | head``: the reader closes the pipe. The command says nothing more (no
    traceback, no "Programmfehler" with a log file to send in)."""
    import os

    read, write = os.pipe()
    os.close(read)
    try:
        result = check_writing_to(write, buffered=buffered)
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode in (cli.EXIT_OK, cli.EXIT_PROBLEMS)


def test_a_command_run_with_its_output_closed_ends_without_a_traceback():
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "regiodocs", "check", "content"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        cwd=ROOT,
        preexec_fn=lambda: __import__("os").close(1),
    )
    assert "Traceback" not in result.stderr
    assert result.returncode in (cli.EXIT_OK, cli.EXIT_PROBLEMS)
