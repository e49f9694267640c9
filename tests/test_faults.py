"""Every failure of ``regiodocs build`` ends in short German text, and publishing never has a gap.

Real processes and real file systems throughout: concurrent builds, a full
disk and a read-only folder (small ``tmpfs`` mounts; without the right to
mount, those tests are skipped loudly), a publish killed at every line, and a
true bug that names its log file.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from regiodocs import failures, publication

from conftest import FIXTURES, ROOT, TODAY, build_site, copy_tree, run_regiodocs, strict_env

RECORD = "projekte/alpha/radweg-nord.md"


def loud_skip(reason: str) -> None:
    print(f"\n!!! ÜBERSPRUNGEN: {reason} !!!", file=sys.stderr)
    pytest.skip(f"!!! ÜBERSPRUNGEN: {reason} !!!")


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (a symlink at ``root`` itself is followed): relative path → bytes."""
    files = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def assert_german_only(stderr: str) -> None:
    """No traceback and no English error text: every line on stderr is one of regiodocs'."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "no message at all"
    assert all(line.startswith("regiodocs: ") for line in lines), stderr


def assert_published(final: Path, work: Path) -> None:
    """``final`` is regiodocs' symlink to one complete copy of the built site; nothing else is left."""
    versions = publication.versions_folder(final)
    assert final.is_symlink(), final
    target = os.readlink(final)
    assert re.fullmatch(rf"{re.escape(versions.name)}/\d+", target), target
    expected = tree(work / "html" / "html")
    expected.pop(".buildinfo", None)
    assert tree(final) == expected
    assert entries(versions) == {publication.LOCK_FILE, target.rpartition("/")[2]}
    leftovers = {n for n in entries(final.parent) if n.startswith((f"{final.name}.", f".{final.name}."))}
    assert leftovers == {versions.name}, leftovers


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a content file in one step (a running build never reads half a file)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(tmp, path)


def build_args(content: Path, out: Path, work: Path, jobs: str = "1") -> list[str]:
    return [
        "build", "--inhalt", str(content), "--ziel", str(out), "--arbeit", str(work),
        "-j", jobs, "-q", "-D", f"regiodocs_heute={TODAY}",
    ]  # fmt: skip


def start_build(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = strict_env(env)
    return subprocess.Popen(
        [sys.executable, "-m", "regiodocs", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_lock(process: subprocess.Popen[str], lock: Path) -> None:
    """Until ``process`` holds ``lock`` (its pid is in the file)."""
    deadline = time.monotonic() + 120
    while not (lock.exists() and lock.read_text(encoding="ascii").strip() == str(process.pid)):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.02)


# ---------------------------------------------------------------- mounts


def mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """An empty, small tmpfs (2 MiB; resize it with :func:`remount`); skipped loudly without mount."""
    point = tmp_path / "datentraeger"
    point.mkdir()
    if shutil.which("mount") is None:
        loud_skip("`mount` fehlt: Volle-Platte- und Schreibschutz-Tests brauchen ein tmpfs")
    done = mount("-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(point))
    if done.returncode != 0:
        loud_skip(f"tmpfs lässt sich nicht einhängen (root nötig): {done.stderr.strip()}")
    try:
        yield point
    finally:
        if mount("-o", "remount,rw", str(point)).returncode == 0:
            for item in point.iterdir():
                publication.remove(item, ignore_errors=True)
        if subprocess.run(["umount", str(point)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def remount(point: Path, options: str) -> None:
    done = mount("-o", f"remount,{options}", str(point))
    assert done.returncode == 0, done.stderr


def free_bytes(point: Path) -> int:
    stats = os.statvfs(point)
    return stats.f_bavail * stats.f_frsize


def used_bytes(point: Path) -> int:
    stats = os.statvfs(point)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


# ---------------------------------------------------------------- one build at a time


@pytest.mark.parametrize("shared", ["arbeit-und-ziel", "nur-ziel"])
def test_second_build_refuses_in_german_and_the_first_publishes_a_complete_site(tmp_path: Path, shared: str):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")  # big enough to take a while
    out, work = tmp_path / "html", tmp_path / "arbeit"
    first = start_build(*build_args(content, out, work))
    wait_for_lock(first, work / "html" / publication.LOCK_FILE)
    # same output; with "nur-ziel" its own work folder, so that only the output's lock stops it
    second_work = work if shared == "arbeit-und-ziel" else tmp_path / "arbeit-2"
    second = run_regiodocs(*build_args(content, out, second_work))
    assert first.poll() is None, "the first build ended before the second one tried: test proves nothing"
    assert second.returncode == 1, second.stdout + second.stderr
    assert_german_only(second.stderr)
    used = work / "html" if shared == "arbeit-und-ziel" else publication.versions_folder(out)
    assert (
        f"regiodocs: Ein anderer Bau läuft gerade (Prozess {first.pid}) und benutzt {used}. "
        "Warten Sie, bis er fertig ist, und starten Sie dann erneut"
    ) in second.stderr
    stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stdout + stderr
    assert_published(out, work)


def test_second_build_waits_when_asked_and_then_publishes(tmp_path: Path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    out, work = tmp_path / "html", tmp_path / "arbeit"
    first = start_build(*build_args(content, out, work))
    wait_for_lock(first, work / "html" / publication.LOCK_FILE)
    second = run_regiodocs(*build_args(content, out, work), env={publication.WAIT_VARIABLE: "300"})
    stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stdout + stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stderr == (
        f"regiodocs: Ein anderer Bau läuft gerade (Prozess {first.pid}); "
        "warte bis zu 300 Sekunden, bis er fertig ist …\n"
    )
    assert_published(out, work)
    assert os.readlink(out).endswith("/2")  # published after the first build's version 1


def test_killed_build_blocks_nothing_and_the_next_one_removes_every_leftover(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    out, work = tmp_path / "html", tmp_path / "arbeit"
    build_site(content, out, work=work)
    versions = publication.versions_folder(out)
    current = os.readlink(out).rpartition("/")[2]
    # what killed runs leave: staging and stale versions, a temporary link, folders of old regiodocs
    (versions / "99.neu" / "sub").mkdir(parents=True)
    (versions / "99.neu" / "sub" / "halb.html").write_text("halb", encoding="utf-8")
    (versions / "98").mkdir()
    os.symlink(f"{versions.name}/98", versions / ".verweis-4242")
    for legacy in ("html.neu", "html.alt"):
        (tmp_path / legacy).mkdir()
        (tmp_path / legacy / "index.html").write_text("alt", encoding="utf-8")
    killed = start_build(*build_args(content, out, work))
    wait_for_lock(killed, work / "html" / publication.LOCK_FILE)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    assert os.readlink(out).rpartition("/")[2] == current  # still the old site
    started = time.monotonic()
    again = build_site(content, out, work=work, check=False)
    assert again.returncode == 0, again.stdout + again.stderr  # the lock died with its holder
    assert time.monotonic() - started < 120
    assert_published(out, work)
    assert not (tmp_path / "html.neu").exists() and not (tmp_path / "html.alt").exists()


# ---------------------------------------------------------------- full disk, read-only, no permission


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_full_disk_during_the_sphinx_build_is_reported_in_german_and_leaves_no_files(
    tmpfs: Path, tmp_path: Path, jobs: str
):
    content = copy_tree("basis", tmp_path / "content")
    free_before = free_bytes(tmpfs)
    out, work = tmpfs / "html", tmpfs / "arbeit"
    result = run_regiodocs(*build_args(content, out, work, jobs))
    assert result.returncode == 1, result.stdout + result.stderr
    assert_german_only(result.stderr)
    message = re.search(r"regiodocs: Kein Platz mehr auf dem Datenträger \((.+?)\)\. (.*)", result.stderr)
    assert message, result.stderr
    assert message.group(1).startswith(str(tmpfs)), message.group(1)
    assert message.group(2) == (
        "Geben Sie Speicherplatz frei (z. B. alte Bauten unter _build löschen) und starten Sie dann "
        f"erneut. {out} bleibt unverändert."
    )
    # this run's files are gone (the two lock files remain: 4 KiB each on tmpfs)
    files = {p.relative_to(tmpfs).as_posix() for p in tmpfs.rglob("*") if not p.is_dir()}
    assert files == {"arbeit/html/.sperre", ".html.staende/.sperre"}
    assert free_bytes(tmpfs) >= free_before - 2 * 4096
    assert not out.exists() and not out.is_symlink()


def test_full_disk_while_publishing_keeps_the_published_site_and_frees_the_space(tmpfs: Path, tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    out, work = tmpfs / "html", tmp_path / "arbeit"  # the work folder has room: publishing fills the disk
    remount(tmpfs, "size=64m")
    first = build_site(content, out, work=work)
    assert first.returncode == 0
    site = tree(out)
    used = used_bytes(tmpfs)
    # room for a few KB: unchanged files are hard-linked from the published version, the pages
    # the edit rewrote must be copied and do not fit
    remount(tmpfs, f"size={(used + 16 * 1024) // 1024}k")
    free_before = free_bytes(tmpfs)
    edit(content / RECORD, "titel: Radschnellweg Nord", "titel: Radschnellweg Nord Neufassung")

    failed = build_site(content, out, work=work, check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert_german_only(failed.stderr)
    assert re.search(
        rf"^regiodocs: Kein Platz mehr auf dem Datenträger \({re.escape(str(tmpfs))}/[^)]+\)\. "
        rf"Geben Sie Speicherplatz frei .* {re.escape(str(out))} bleibt unverändert\.$",
        failed.stderr,
        re.M,
    ), failed.stderr
    assert tree(out) == site  # the published site, byte for byte
    assert free_bytes(tmpfs) == free_before  # the half copy is gone
    assert entries(publication.versions_folder(out)) == {
        publication.LOCK_FILE,
        os.readlink(out).rpartition("/")[2],
    }

    remount(tmpfs, f"size={3 * used // 1024}k")
    build_site(content, out, work=work)
    assert_published(out, work)
    assert "Neufassung" in (out / "projekte/alpha/radweg-nord.html").read_text(encoding="utf-8")
    assert used_bytes(tmpfs) <= used + 64 * 1024  # the old version went after the switch


def test_read_only_output_folder_is_reported_in_german_and_the_site_stays(tmpfs: Path, tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    out, work = tmpfs / "html", tmp_path / "arbeit"
    remount(tmpfs, "size=64m")
    build_site(content, out, work=work)
    site = tree(out)
    remount(tmpfs, "ro")  # chmod does not stop root; a read-only mount stops everyone
    edit(content / RECORD, "titel: Radschnellweg Nord", "titel: Radschnellweg Nord Neufassung")
    failed = build_site(content, out, work=work, check=False)
    assert failed.returncode == 2, failed.stdout + failed.stderr  # a target that cannot be written
    assert_german_only(failed.stderr)
    assert re.search(
        rf"^regiodocs: Der Ordner {re.escape(str(tmpfs))}\S* ist schreibgeschützt\. Heben Sie den "
        rf"Schreibschutz auf oder wählen Sie einen beschreibbaren Ordner \(z\. B\. mit --ziel\)\. "
        rf"{re.escape(str(out))} bleibt unverändert\.$",
        failed.stderr,
        re.M,
    ), failed.stderr
    assert tree(out) == site


def test_output_folder_without_permission_is_reported_in_german(tmp_path: Path):
    # root may write anywhere: as root the build runs as `nobody` (setpriv), else chmod is enough
    as_root = os.geteuid() == 0
    if as_root and shutil.which("setpriv") is None:
        loud_skip("als root ohne `setpriv` lässt sich fehlende Schreibberechtigung nicht prüfen")
    base = Path(tempfile.mkdtemp(prefix="regiodocs-rechte-", dir="/tmp" if as_root else None))
    try:
        base.chmod(0o755)
        content = shutil.copytree(FIXTURES / "basis", base / "content")
        work, parent = base / "arbeit", base / "oeffentlich"
        work.mkdir()
        parent.mkdir()
        command = [sys.executable, "-m", "regiodocs", *build_args(content, parent / "html", work)]
        if as_root:
            os.chown(work, 65534, 65534)  # nobody may write its work folder, not the output's parent
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        else:
            parent.chmod(0o555)
        env = strict_env({"PYTHONDONTWRITEBYTECODE": "1", "HOME": str(work)})
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 2, result.stdout + result.stderr  # checked before any work
        assert_german_only(result.stderr)
        assert (
            f"regiodocs: Keine Berechtigung für {parent}. Prüfen Sie die Zugriffsrechte oder wählen Sie "
            "einen Ordner, in den Sie schreiben dürfen (z. B. mit --ziel). "
            f"{parent / 'html'} bleibt unverändert."
        ) in result.stderr, result.stderr
        assert entries(parent) == set()
    finally:
        with contextlib.suppress(OSError):
            (base / "oeffentlich").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------- killed at every line of publish

HARNESS = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path

    sys.path.insert(0, sys.argv[4])
    from regiodocs import publication

    built, final, kill_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    source = os.path.abspath(publication.__file__)
    count = 0

    def line(frame, event, arg):
        global count
        if event == "line":
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return line

    def call(frame, event, arg):  # every function of publication.py that publish runs
        return line if os.path.abspath(frame.f_code.co_filename) == source else None

    sys.settrace(call)
    publication.publish(built, final)
    sys.settrace(None)
    print("LINES", count)
    """
)


def site_tree(root: Path, marker: str, pages: list[str]) -> Path:
    root.mkdir(parents=True)
    (root / "stand.txt").write_text(marker, encoding="utf-8")
    for page in pages:
        (root / page).parent.mkdir(parents=True, exist_ok=True)
        (root / page).write_text(f"<p>{marker}: {page}</p>", encoding="utf-8")
    (root / ".buildinfo").write_text("not published", encoding="utf-8")
    return root


def can_exchange(folder: Path) -> bool:
    first, second = folder / "tausch-a", folder / "tausch-b"
    first.mkdir()
    second.symlink_to("tausch-a")
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    try:
        return function(-100, os.fsencode(first), -100, os.fsencode(second), 2) == 0
    finally:
        for path in (first, second):
            publication.remove(path)


@pytest.mark.parametrize("before", ["verweis", "ordner-alter-fassung"])
def test_publish_killed_at_every_line_leaves_the_old_or_the_new_site_and_the_next_run_cleans_up(
    tmp_path: Path, before: str
):
    """SIGKILL at the k-th line publish runs in publication.py, for every k: never a gap, never debris.

    ``verweis``: the site was published by this regiodocs (a symlink); ``ordner-alter-fassung``:
    it is still the real folder an older regiodocs published (the one-time migration).
    """
    if before == "ordner-alter-fassung" and not can_exchange(tmp_path):
        loud_skip("Dateisystem kann nicht tauschen (renameat2): die Umstellung hätte einen Moment Lücke")
    old_site = site_tree(tmp_path / "alt", "alt", ["index.html", "projekte/a.html", "weg.html"])
    new_site = site_tree(tmp_path / "neu", "neu", ["index.html", "projekte/a.html", "projekte/b.html"])
    expected = {name: tree(site) for name, site in (("alt", old_site), ("neu", new_site))}
    for files in expected.values():
        files.pop(".buildinfo")
    harness = tmp_path / "harness.py"
    harness.write_text(HARNESS, encoding="utf-8")

    def attempt(kill_at: int) -> tuple[int, str]:
        """A fresh folder with the old site published, then a publish killed at line ``kill_at``."""
        folder = tmp_path / f"lauf-{kill_at}"
        folder.mkdir()
        final = folder / "html"
        if before == "verweis":
            publication.publish(old_site, final)
        else:
            shutil.copytree(old_site, final, ignore=shutil.ignore_patterns(".buildinfo"))
        done = subprocess.run(
            [sys.executable, str(harness), str(new_site), str(final), str(kill_at), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode == -signal.SIGKILL:
            found = tree(final)  # resolves the public path now: it must be one complete site
            state = next((name for name, files in expected.items() if files == found), None)
            assert state is not None, f"killed at line {kill_at}: {final} is neither site: {sorted(found)}"
            publication.publish(new_site, final)  # the next run: not blocked, and it clears up
        else:
            assert done.returncode == 0, done.stderr
            state = "fertig"
        assert tree(final) == expected["neu"]
        versions = publication.versions_folder(final)
        assert entries(folder) == {"html", versions.name}, (kill_at, entries(folder))
        assert entries(versions) == {publication.LOCK_FILE, os.readlink(final).rpartition("/")[2]}, kill_at
        shutil.rmtree(folder)
        return kill_at, state if state != "fertig" else done.stdout

    outcomes: dict[int, str] = {}
    finished: str | None = None
    batch = 8
    with concurrent.futures.ThreadPoolExecutor(batch) as pool:
        start = 1
        while finished is None:
            assert start < 5000, "publish never finished"
            for kill_at, state in pool.map(attempt, range(start, start + batch)):
                if state.startswith("LINES"):
                    finished = finished or state
                else:
                    outcomes[kill_at] = state
            start += batch
    lines = int(finished.split()[1])
    killed = {k: s for k, s in outcomes.items() if k <= lines}
    assert sorted(killed) == list(range(1, lines + 1))  # killed at every line publish runs …
    assert len(killed) >= 40, lines  # … and that is a real number of chances to break it
    states = list(killed.values())
    # first the old site, from the switch on the new one: exactly one switch, never back
    switch = states.index("neu")
    assert states[:switch] == ["alt"] * switch and states[switch:] == ["neu"] * (len(states) - switch)
    assert switch > 10, "killed before the copy began? the copy must take many lines"


# ---------------------------------------------------------------- true bugs

BUG = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    from regiodocs import checks, cli
    from regiodocs.sphinxext import publishing

    def broken(*args, **kwargs):
        raise RuntimeError("absichtlich kaputt")

    def broken_handler(app, exception):  # the extension's build-finished handler, in the site build
        if exception is None and not getattr(app.config, "regiodocs_pruefung", False):
            broken()

    if sys.argv[2] == "check":
        checks.check = broken  # a bug in `regiodocs check`
    else:
        publishing.publish_extras = broken_handler  # a bug inside the Sphinx build
    sys.exit(cli.main(sys.argv[3:]))
    """
)


@pytest.mark.parametrize("where", ["check", "sphinx"])
def test_internal_error_names_a_log_file_with_the_traceback(tmp_path: Path, where: str):
    script = tmp_path / "bug.py"
    script.write_text(BUG, encoding="utf-8")
    content = copy_tree("basis", tmp_path / "content")
    out = tmp_path / "html"
    if where == "check":
        project = tmp_path / "projekt"  # a project folder with `_build/`: the log goes there
        (project / "_build").mkdir(parents=True)
        args = ["check", "--inhalt", str(content)]
    else:
        project = tmp_path / "anderswo"  # no project here: the log goes to the temporary folder
        project.mkdir()
        args = build_args(content, out, tmp_path / "arbeit")
    temp = tmp_path / "temp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, str(script), str(ROOT), where, *args],
        cwd=project,
        env=strict_env({"TMPDIR": str(temp)}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 3, result.stdout + result.stderr  # a bug: neither content nor call
    assert_german_only(result.stderr)
    message = re.fullmatch(
        r"regiodocs: Unerwarteter Programmfehler \(RuntimeError\) – das liegt nicht an Ihren Inhalten\. "
        r"Bitte schicken Sie die Protokolldatei (/\S+/regiodocs-fehler-\d{8}-\d{6}-\d+\.log) an die "
        r"Geschäftsstelle; darin steht der genaue Ablauf\.\n",
        result.stderr,
    )
    assert message, result.stderr
    log = Path(message.group(1))
    assert log.parent == ((project / "_build") if where == "check" else temp).resolve()
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: absichtlich kaputt" in text
    assert f"Aufruf: regiodocs {' '.join(args)}" in text
    if where == "sphinx":
        assert "'build-finished' threw" in text  # the note names the Sphinx event whose handler failed
        assert not out.exists() and not out.is_symlink()


def test_file_system_errors_are_found_behind_sphinx_and_shutil_wrappers():
    from sphinx.errors import ExtensionError, SphinxParallelError

    full = OSError(errno.ENOSPC, "No space left on device")
    wrapped = ExtensionError("Handler threw", full)
    assert failures.file_system_cause(wrapped) is full
    parallel = SphinxParallelError(
        "PermissionError: [Errno 13] Permission denied: '/srv/handbuch/x.html'", "Traceback …"
    )
    cause = failures.file_system_cause(parallel)
    assert (cause.errno, cause.filename) == (errno.EACCES, "/srv/handbuch/x.html")
    copy = shutil.Error([("/a", "/b/c", "[Errno 30] Read-only file system: '/b/c'")])
    cause = failures.file_system_cause(copy)
    assert (cause.errno, cause.filename) == (errno.EROFS, "/b/c")
    assert failures.file_system_cause(ValueError("[Errno 2] No such file or directory: '/x'")) is None
    assert failures.os_error_message(FileNotFoundError(errno.ENOENT, "nope", "/x")) is None
