"""Publishing a built site: the published version always equals what was built.

An incremental publish hard-links the files the current version holds unchanged; these tests
prove that sharing never lets a later build reach a published file, and that after any
sequence of edits the published site is byte for byte the built one.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from regiodocs import publication


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part in publication.NOT_PUBLISHED for part in p.relative_to(root).parts)
    }


def make_site(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def published(final: Path) -> Path:
    return final.parent / os.readlink(final)


def test_an_unchanged_file_is_shared_with_the_published_version_and_a_changed_one_is_copied(tmp_path: Path):
    built, final = tmp_path / "arbeit", tmp_path / "html"
    make_site(built, {"index.html": "<p>Start</p>", "a/b.html": "<p>B</p>", "_static/x.css": "p{}"})
    publication.publish(built, final)
    first = published(final)
    inode = {name: (first / name).stat().st_ino for name in ("index.html", "a/b.html", "_static/x.css")}
    (built / "a" / "b.html").write_text("<p>B, neu</p>", encoding="utf-8")
    publication.publish(built, final)
    second = published(final)
    assert second != first and not first.exists()  # the old version is gone, its links are not
    assert (second / "index.html").stat().st_ino == inode["index.html"]
    assert (second / "_static" / "x.css").stat().st_ino == inode["_static/x.css"]
    assert (second / "a" / "b.html").stat().st_ino != inode["a/b.html"]
    assert tree(second) == tree(built)


def test_a_build_that_rewrites_a_file_in_place_never_changes_the_published_site(tmp_path: Path):
    built, final = tmp_path / "arbeit", tmp_path / "html"
    make_site(built, {"index.html": "<p>Start</p>", "seite.html": "<p>alt</p>"})
    publication.publish(built, final)
    publication.publish(built, final)  # everything linked from the first version
    with open(built / "seite.html", "r+", encoding="utf-8") as handle:  # in place, as Sphinx writes
        handle.write("<p>neu</p>")
    assert (published(final) / "seite.html").read_text(encoding="utf-8") == "<p>alt</p>"


def test_a_file_of_the_same_size_written_again_is_published_with_its_new_content(tmp_path: Path):
    built, final = tmp_path / "arbeit", tmp_path / "html"
    make_site(built, {"seite.html": "<p>eins</p>"})
    publication.publish(built, final)
    before = (built / "seite.html").stat().st_mtime_ns
    (built / "seite.html").write_text("<p>zwei</p>", encoding="utf-8")
    os.utime(built / "seite.html", ns=(before + 1_000, before + 1_000))  # a later write, same size
    publication.publish(built, final)
    assert (published(final) / "seite.html").read_text(encoding="utf-8") == "<p>zwei</p>"


def test_after_random_edits_the_published_site_is_the_built_one_byte_for_byte(tmp_path: Path):
    rng = random.Random(20261201)
    built, final = tmp_path / "arbeit", tmp_path / "html"
    names = [f"{folder}/{stem}.html" for folder in ("", "a", "a/b", "_static") for stem in "pqrs"]
    make_site(built, {name.lstrip("/"): f"<p>{name}</p>" for name in names[:8]})
    (built / ".doctrees").mkdir()
    (built / ".doctrees" / "env.pickle").write_bytes(b"nicht veroeffentlicht")
    for step in range(40):
        for _ in range(rng.randint(1, 4)):
            name = rng.choice(names).lstrip("/")
            path = built / name
            action = rng.choice(["write", "write", "delete", "chmod"])
            if action == "delete" and path.exists():
                path.unlink()
            elif action == "chmod" and path.exists():
                path.chmod(0o600 if path.stat().st_mode & 0o044 else 0o644)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"<p>{name} {step} {rng.random()}</p>", encoding="utf-8")
        publication.publish(built, final)
        site = published(final)
        assert tree(site) == tree(built), step
        for path in site.rglob("*"):
            if path.is_file():
                assert path.stat().st_mode == (built / path.relative_to(site)).stat().st_mode, (step, path)
        assert not (site / ".doctrees").exists()


def test_a_changed_file_with_its_source_time_kept_is_published_with_its_new_content(tmp_path: Path):
    """Sphinx copies static files with their source's time; a package may keep size and time."""
    built, final = tmp_path / "arbeit", tmp_path / "html"
    make_site(built, {"_static/x.js": "var v='9.0.4';"})
    os.utime(built / "_static" / "x.js", ns=(1, 10**9))
    publication.publish(built, final)
    (built / "_static" / "x.js").write_text("var v='9.0.5';", encoding="utf-8")
    os.utime(built / "_static" / "x.js", ns=(1, 10**9))
    publication.publish(built, final)
    assert (published(final) / "_static" / "x.js").read_text(encoding="utf-8") == "var v='9.0.5';"


def test_a_published_file_edited_by_hand_is_replaced_by_the_built_one(tmp_path: Path):
    built, final = tmp_path / "arbeit", tmp_path / "html"
    make_site(built, {"seite.html": "<p>gebaut</p>"})
    publication.publish(built, final)
    page = published(final) / "seite.html"
    times = page.stat()
    page.write_text("<p>HAND!!</p>", encoding="utf-8")  # the same size
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    publication.publish(built, final)
    assert (published(final) / "seite.html").read_text(encoding="utf-8") == "<p>gebaut</p>"
