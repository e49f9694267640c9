"""Building an edition of the site: Sphinx into a work folder, then publish atomically.

Sphinx builds into ``_build/.arbeit/<ausgabe>/`` (kept between builds, so
incremental builds stay fast). Only a build without errors or warnings is
copied to its public place, and the switch is a rename: a failed build never
leaves a half-written site where a good one was.
"""

from __future__ import annotations

import os
import runpy
import shutil
import sys
from pathlib import Path

from sphinx.cmd.build import build_main

from . import checks, report


def build(
    project_root: Path,
    *,
    content: Path,
    intern: bool = False,
    outdir: Path | None = None,
    jobs: str = "auto",
    quiet: bool = False,
    workdir: Path | None = None,
    extra: list[str] | None = None,
    builder: str = "html",
) -> int:
    """Check, run Sphinx into the work folder, publish to ``outdir``; 0 on success.

    ``builder`` is a Sphinx builder name; ``simplepdf`` builds the print
    edition (see :mod:`regiodocs.editions.pdf`).
    """
    edition = "intern" if intern else "html"
    work = (workdir or project_root / "_build" / ".arbeit").resolve() / edition
    final = (outdir or project_root / "_build" / edition).resolve()
    args = [
        "-b", builder, "-c", str(project_root), "-d", str(work / "doctrees"),
        "-W", "--keep-going", "-j", str(jobs),
        "-D", f"regiodocs_inhalt={content.resolve()}",
        "-D", f"regiodocs_intern={int(intern)}",
        *(["-q"] if quiet else []), *(extra or []),
        str(work / "quellen"), str(work / builder),
    ]  # fmt: skip
    # the same check as `regiodocs check`, reported plainly before Sphinx starts
    result = checks.check(content, project_root, safe_mode=_safe_mode(project_root, extra or []))
    if result.errors:
        sys.stderr.write(report.text(result.errors))
        print(f"regiodocs: Bau abgebrochen. {final} bleibt unverändert.", file=sys.stderr)
        return 1
    (work / "quellen").mkdir(parents=True, exist_ok=True)
    status = build_main(args)
    if status != 0:
        print(f"regiodocs: Bau fehlgeschlagen. {final} bleibt unverändert.", file=sys.stderr)
        return 1
    publish(work / builder, final)
    if not quiet and builder == "html":
        print(f"regiodocs: Handbuch gebaut: {final / 'index.html'}")
    return 0


def _safe_mode(project_root: Path, extra: list[str]) -> bool:
    """Safe mode as conf.py (or a ``-D regiodocs_sicher=…`` override) sets it."""
    value: object = runpy.run_path(str(project_root / "conf.py")).get("regiodocs_sicher", True)
    for setting in extra:
        if setting.startswith("regiodocs_sicher="):
            value = setting.partition("=")[2]
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "nein", "no")
    return bool(value)


def publish(built: Path, final: Path) -> None:
    """Replace ``final`` by a copy of ``built``; readers never see a half-copied folder."""
    fresh = final.with_name(final.name + ".neu")
    old = final.with_name(final.name + ".alt")
    for leftover in (fresh, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(built, fresh, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    if final.exists():
        os.replace(final, old)
    os.replace(fresh, final)
    if old.exists():
        shutil.rmtree(old)
