"""The output audit's verdict cache and process pool: never a file passes that would fail."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hostile import PAYLOADS_INLINE, PAYLOADS_URL

from regiodocs import audit

PAGE = "<!DOCTYPE html>\n<html><head>{head}</head>\n<body>\n{body}\n</body></html>\n"
OWN = '<script src="_static/eigen.js"></script>'


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / "_static").mkdir(parents=True)
    (site / "_static" / "eigen.js").write_text("/* eigen */\n", encoding="utf-8")
    for rel, html in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(html, encoding="utf-8")
    return site


def _audit(site: Path, cache: Path | None = None, workers: int | None = 1) -> list[str]:
    return audit.audit_site(site, content_root=site.parent / "content", cache=cache, workers=workers)


def test_a_page_changed_after_a_clean_verdict_is_judged_again(tmp_path: Path):
    site = _site(tmp_path, {"seite.html": PAGE.format(head=OWN, body="<p>Text</p>")})
    cache = tmp_path / "urteile.json"
    assert _audit(site, cache) == []
    assert cache.is_file()
    (site / "seite.html").write_text(PAGE.format(head=OWN, body="<p>Text</p><script>alert(1)</script>"))
    assert _audit(site, cache) == ["seite.html:4: Unbekanntes eingebettetes Skript: 'alert(1)'"]


def test_a_deleted_script_target_makes_a_cached_page_fail_again(tmp_path: Path):
    site = _site(tmp_path, {"a/seite.html": PAGE.format(head=OWN.replace('"_', '"../_'), body="x")})
    cache = tmp_path / "urteile.json"
    assert _audit(site, cache) == []
    (site / "_static" / "eigen.js").unlink()
    expected = ["a/seite.html:2: <script src='../_static/eigen.js'> lädt kein Skript des Handbuchs."]
    assert _audit(site, cache) == expected == _audit(site)


def test_a_copy_that_no_longer_matches_a_medium_fails_with_a_cache(tmp_path: Path):
    site = _site(tmp_path, {"seite.html": PAGE.format(head="", body="x")})
    media = tmp_path / "content" / "medien"
    media.mkdir(parents=True)
    (media / "plan.pdf").write_bytes(b"%PDF plan")
    (site / "_downloads").mkdir()
    (site / "_downloads" / "plan.pdf").write_bytes(b"%PDF plan")
    cache = tmp_path / "urteile.json"
    assert _audit(site, cache) == []
    (media / "plan.pdf").write_bytes(b"%PDF anders")
    assert _audit(site, cache) == ["_downloads/plan.pdf: diese Datei stammt nicht aus `content/medien/`."]


@pytest.mark.parametrize(
    "stored",
    [
        b"{kein json",
        b"[]",
        b'{"schluessel": "alt", "dateien": {}}',
        b'{"schluessel": "KEY", "dateien": {"seite.html": ["HASH", [[1, 2, 3]]]}}',
        b'{"schluessel": "KEY", "dateien": {"seite.html": ["HASH", [[1, "x"]]]}}',
        b'{"schluessel": "KEY", "dateien": {"seite.html": "HASH"}}',
        b'{"schluessel": "KEY", "dateien": []}',
        b"\xff\xfe",
    ],
)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(stored: bytes, tmp_path: Path):
    import hashlib

    html = PAGE.format(head="", body="<iframe src=/x></iframe>")
    site = _site(tmp_path, {"seite.html": html})
    digest = hashlib.sha256(html.encode()).hexdigest()
    cache = tmp_path / "urteile.json"
    cache.write_bytes(stored.replace(b"KEY", audit._cache_key().encode()).replace(b"HASH", digest.encode()))
    expected = _audit(site)
    assert expected == ["seite.html:4: Element <iframe> ist nicht erlaubt."]
    assert _audit(site, cache) == expected
    assert json.loads(cache.read_bytes())["dateien"]["seite.html"][0] == digest
    assert _audit(site, cache) == expected  # and the rewritten cache says the same


def test_a_verdict_of_other_code_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    site = _site(tmp_path, {"seite.html": PAGE.format(head="", body="<iframe src=/x></iframe>")})
    cache = tmp_path / "urteile.json"
    _audit(site, cache)
    stored = json.loads(cache.read_bytes())
    stored["dateien"]["seite.html"][1] = []  # a forged clean verdict ...
    stored["schluessel"] = "andere Version"  # ... of another audit
    cache.write_text(json.dumps(stored))
    assert _audit(site, cache) != []


def _random_site(rng: random.Random, tmp_path: Path, n: int) -> Path:
    """A site of random pages: hostile snippets, own and foreign scripts, SVG, search files."""
    snippets = [
        OWN,
        '<script src="_static/fehlt.js"></script>',
        '<script src="../_static/eigen.js"></script>',
        '<script src="/_static/eigen.js"></script>',
        '<script src="https://evil.example/a.js"></script>',
        '<script src="_images/eigen.js"></script>',
        '<script type="application/json">{"a": 1}</script>',
        '<script type="application/json">{a}</script>',
        '<script>document.body.dataset.theme = localStorage.getItem("theme") || "auto";</script>',
        "<script/>alert(1)</script>",
        "<style>body{background:url(https://evil.example/p.png)}</style>",
        "<style>p{color:red}</style>",
        '<link rel="stylesheet" href="https://evil.example/a.css">',
        '<link rel="stylesheet" href="_static/a.css">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<form action="https://evil.example/"></form>',
        '<div style="background:url(//evil.example/p.png)">x</div>',
        "<p>harmlos &amp; schön</p>",
        "<!-- <script>alert(1)</script> -->",
        "<textarea><script>alert(1)</script></textarea>",
        "\r\n<p>\rZeile</p>\r\n",
        "<object data=x></object>",
        *[f'<a href="{url}">x</a>' for url in PAYLOADS_URL],
        *[p for p in PAYLOADS_INLINE if p.startswith("<")],
    ]
    site = tmp_path / f"site{rng.randrange(10**9)}"
    (site / "_static").mkdir(parents=True)
    (site / "_static" / "eigen.js").write_text("/* eigen */\n")
    (site / "_suche").mkdir()
    (site / "_suche" / "index.js").write_text('regioSuche.index({"a": [1]});\n')
    (site / "_suche" / "teil-1.js").write_text(rng.choice(["regioSuche.teil([1]);", "alert(1);"]))
    (site / "_images").mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg"{}/>'
    (site / "_images" / "bild.svg").write_text(svg.format(rng.choice(["", ' onload="x"'])))
    for i in range(n):
        folder = rng.choice(["", "a/", "a/b/"])
        parts = [rng.choice(snippets).replace("{n}", str(i)) for _ in range(rng.randint(0, 6))]
        head = "".join(rng.choice([OWN, "", '<script src="_static/fehlt.js"></script>']) for _ in range(2))
        html = PAGE.format(head=head, body="\n".join(parts))
        if rng.random() < 0.2:
            html = html[: rng.randrange(len(html))]  # cut off, e.g. inside a <script>
        (site / folder).mkdir(parents=True, exist_ok=True)
        (site / folder / f"seite-{i}.html").write_bytes(html.encode() + rng.choice([b"", b"\xff"]))
    return site


def _mutate(rng: random.Random, site: Path) -> None:
    pages = sorted(p for p in site.rglob("*.html") if not p.is_symlink())
    for page in rng.sample(pages, k=min(3, len(pages))):
        choice = rng.randrange(4)
        if choice == 0:
            page.write_text(page.read_text(errors="replace") + "<script>alert(2)</script>")
        elif choice == 1:
            page.write_text(PAGE.format(head=OWN, body="<p>sauber</p>"))
        elif choice == 2:
            page.unlink()
        else:  # the same bytes elsewhere: its relative script paths point elsewhere
            folder = site / rng.choice(["", "a", "a/b", "c"])
            folder.mkdir(exist_ok=True)
            shutil.move(page, folder / f"verschoben-{page.name}")
    if rng.random() < 0.5:
        (site / "_static" / "eigen.js").unlink(missing_ok=True)
    if rng.random() < 0.3:
        (site / "_static" / "fehlt.js").write_text("/* jetzt da */")
    link = site / "a" / "verweis.html"
    if rng.random() < 0.2 and not link.is_symlink():
        link.parent.mkdir(exist_ok=True)
        link.symlink_to(site / "_static" / "eigen.js")


@pytest.mark.parametrize("seed", range(12))
def test_cached_and_uncached_audits_say_the_same(seed: int, tmp_path: Path):
    rng = random.Random(seed)
    site = _random_site(rng, tmp_path, n=rng.randint(5, 40))
    cache = tmp_path / "urteile.json"
    plain = _audit(site)
    assert plain, "the grammar should always yield something to refuse"
    assert _audit(site, cache) == plain  # cold
    assert _audit(site, cache) == plain  # warm: nothing parsed again
    for _round in range(3):
        _mutate(rng, site)
        plain = _audit(site)
        assert _audit(site, cache) == plain


def test_the_process_pool_says_what_one_process_says(tmp_path: Path):
    site = _random_site(random.Random(99), tmp_path, n=80)
    assert _audit(site, workers=2) == _audit(site, workers=1) != []


KILLED_AUDIT = """
import sys
from pathlib import Path
from regiodocs import audit
from regiodocs.publication import locked
with locked(Path(sys.argv[1]), 0):
    print("gesperrt", flush=True)
    audit.audit_site(Path(sys.argv[2]), content_root=Path(sys.argv[3]), workers=2)
"""


def _children(pid: int) -> set[int]:
    found = set()
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat_file.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_build_killed_while_its_pool_judges_leaves_no_worker_holding_its_lock(tmp_path: Path):
    import fcntl
    import os
    import signal
    import subprocess
    import sys
    import time

    body = "<p>" + "Ein Absatz mit <a href='seite.html'>Verweis</a>. " * 600 + "</p>"
    site = _site(tmp_path, {f"s/{i}.html": PAGE.format(head=OWN, body=body) for i in range(800)})
    lock = tmp_path / ".sperre"
    build = subprocess.Popen(
        [sys.executable, "-c", KILLED_AUDIT, str(lock), str(site), str(tmp_path / "content")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert build.stdout is not None and build.stdout.readline() == "gesperrt\n"
    deadline = time.monotonic() + 60
    while len(workers := _children(build.pid)) < 2 and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(workers) >= 2, "the pool did not start"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]  # the workers died with the build
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the next build gets the lock
    finally:
        os.close(fd)


def test_the_cache_key_names_the_code_that_was_imported_not_what_is_on_the_disk_later(tmp_path: Path):
    import subprocess
    import sys

    package = tmp_path / "regiodocs"
    shutil.copytree(Path(audit.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    script = (
        "import sys; from pathlib import Path; from regiodocs import audit\n"
        f"assert Path(audit.__file__).is_relative_to({str(package)!r}), audit.__file__\n"
        "before = audit._cache_key()\n"
        "Path(audit.__file__).write_text(Path(audit.__file__).read_text() + '\\n# Aenderung\\n')\n"
        "print(before == audit._cache_key())\n"
    )
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    # cwd: `python -c` puts the working folder first on sys.path, which would be the real package
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "True"
    fresh = subprocess.run(
        [sys.executable, "-c", "from regiodocs import audit; print(audit._cache_key())"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert fresh.stdout.strip() != audit._cache_key()  # the changed file is other code


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"schluessel": ' + "[" * 50_000])
def test_a_cache_too_deep_to_read_is_ignored(tmp_path: Path, text: str):
    site = _site(tmp_path, {"seite.html": PAGE.format(head="", body="<p onclick='x'>Text</p>")})
    cache = tmp_path / "urteile.json"
    cache.write_text(text, encoding="utf-8")
    assert _audit(site, cache) == ["seite.html:4: Ereignis-Attribut onclick= an <p>."]
