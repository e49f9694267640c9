"""Shared fixtures: fixture content trees and real builds of them (subprocess)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """One cache folder for the session (its builds share dictionary stems and verdicts),
    removed after it: the tests leave nothing in the user's ``~/.cache/regiodocs``."""
    if not os.environ.get("REGIODOCS_CACHE"):
        folder = tempfile.mkdtemp(prefix="regiodocs-test-cache-")
        os.environ["REGIODOCS_CACHE"] = folder
        config.regiodocs_cache = folder  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = getattr(config, "regiodocs_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = "2026-11-22"  # fixed build date: fixtures are judged against it
#: Subprocesses (check, build, release, …) turn Sphinx's deprecations into errors, like the
#: ``filterwarnings`` of pytest in pyproject.toml does for this process. PYTHONWARNINGS is read
#: before site-packages can be imported ("error::sphinx.deprecation.…" is "Invalid -W option
#: ignored"), so the built-in bases are named: RemovedInSphinx10Warning is a
#: DeprecationWarning, RemovedInSphinx11Warning a PendingDeprecationWarning.
#: One exception, outside regiodocs: sphinx-simplepdf 1.7 (the print edition) reads the
#: deprecated ``Builder.app`` (sphinx_simplepdf/builders/simplepdf.py:36); later entries win.
THIRD_PARTY_DEPRECATIONS = ("ignore::PendingDeprecationWarning:sphinx_simplepdf.builders.simplepdf",)
STRICT_WARNINGS = ",".join(
    ("error::DeprecationWarning", "error::PendingDeprecationWarning", *THIRD_PARTY_DEPRECATIONS)
)


def strict_env(extra: dict[str, str] | None = None, unset: tuple[str, ...] = ()) -> dict[str, str]:
    """This process's environment for a subprocess: Sphinx deprecations are errors there."""
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return env | {"PYTHONWARNINGS": STRICT_WARNINGS} | (extra or {})


def run_regiodocs(
    *args: str,
    cwd: Path = ROOT,
    check: bool = False,
    env: dict[str, str] | None = None,
    unset: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """``python -m regiodocs ARGS`` in a fresh process (``env`` added, ``unset`` removed).

    Sphinx's deprecation warnings are errors in that process (:data:`STRICT_WARNINGS`).
    """
    env = strict_env(env, unset)
    result = subprocess.run(
        [sys.executable, "-m", "regiodocs", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"regiodocs {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def build_site(
    content: Path,
    out: Path,
    *,
    intern: bool = False,
    jobs: str = "1",
    work: Path | None = None,
    check: bool = True,
    extra: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    args = [
        "build",
        "--inhalt",
        str(content),
        "--ziel",
        str(out),
        "-j",
        jobs,
        "-q",
        "--arbeit",
        str(work or out.parent / f"{out.name}-arbeit"),
        "-D",
        f"regiodocs_heute={TODAY}",
    ]
    if intern:
        args.append("--intern")
    return run_regiodocs(*args, *(extra or []), check=check)


def copy_tree(name: str, target: Path) -> Path:
    shutil.copytree(FIXTURES / name, target)
    return target


#: The legal pages every public edition needs (the release gate refuses an edition without them).
LEGAL_PAGES = ("impressum", "datenschutz", "barrierefreiheit")
#: A real-looking domain for the fixtures' addresses: ``example.org`` and the names reserved for
#: examples and tests (``.example``, ``.test``, ``.invalid``, ``.localhost``) are placeholders.
CLEAN_DOMAIN = "regiotestnetz-nrw.de"


def clean_tree(target: Path, page: str) -> Path:
    """The basis network as the release gate passes it: addresses under :data:`CLEAN_DOMAIN` and
    the legal pages, each with the text ``page`` (``{title}``: the page's title)."""
    shutil.copytree(FIXTURES / "basis", target)
    for path in target.rglob("*"):
        if path.suffix in (".md", ".yaml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("example.org", CLEAN_DOMAIN), encoding="utf-8")
    for name in LEGAL_PAGES:
        text = page.format(title=name.capitalize())
        (target / "seiten" / f"{name}.md").write_text(text, encoding="utf-8")
    return target


def built_fixture(factory: pytest.TempPathFactory, name: str, *, intern: bool = False) -> Path:
    """A copy of ``tests/fixtures/<name>`` built into a fresh temporary folder."""
    base = factory.mktemp(f"{name}-intern" if intern else name)
    out = base / ("intern" if intern else "html")
    build_site(copy_tree(name, base / "content"), out, intern=intern)
    return out


@pytest.fixture(scope="session")
def basis_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture network, built once (public edition)."""
    return built_fixture(tmp_path_factory, "basis")


@pytest.fixture(scope="session")
def basis_intern_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_fixture(tmp_path_factory, "basis", intern=True)


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content/ of the RegioNetzWerk, built once."""
    base = tmp_path_factory.mktemp("shipped")
    build_site(ROOT / "content", base / "html")
    return base / "html"


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for every browser test (Playwright's sync API allows one per process).

    Without Chromium, Playwright or axe-core the browser tests are skipped with a loud reason;
    under CI (``CI=true``) that is a failure instead.
    """
    from browser import find_chromium, launch_chromium, require_browser_parts

    require_browser_parts()
    executable = find_chromium()
    assert executable is not None
    with launch_chromium(executable) as browser:
        yield browser
