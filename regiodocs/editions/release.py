"""``regiodocs release <ausgabe>``: publish an edition without ever breaking the one online.

An edition is built completely in a staging folder next to the editions
(``_build/ausgaben/.bau-<ausgabe>/``): print edition, open data, citation, the
HTML site with its "Was ist neu" page and edition switcher, and the manifest.
Only then is it moved into place with one rename, and ``aktuell`` – a symlink
– is switched with ``os.replace`` of a new symlink. A failed, refused or
interrupted release leaves every published edition and ``aktuell`` as they
were; leftovers of a killed run are removed by the next one.

Builds are reproducible: with the same content, date and ``SOURCE_DATE_EPOCH``
every file of an edition is byte-identical (file times are set to the epoch).
Without ``SOURCE_DATE_EPOCH`` the epoch is midnight (UTC) of the release date.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import checks, model, report, settings, site, topics
from ..findings import Severity
from . import diff as diffs
from . import exports, gate, manifest, news, pdf
from .manifest import CURRENT, EditionError, dumps, write_atomic

REQUIRED_PAGES = gate.REQUIRED_PAGES
STAGING_PREFIX = ".bau-"
LOCK_FILE = ".sperre"
TAG_PREFIX = "ausgabe-"


#: Where a test release (``--probe``) goes below ZIEL: apart from the editions, which it never
#: joins (no ``aktuell``, not listed, not the predecessor of the next edition).
PROBE_FOLDER = "probeausgaben"


@dataclass
class Options:
    ausgabe: str
    content: Path
    project_root: Path
    ziel: Path  # the editions' folder, _build/ausgaben
    heute: dt.date
    epoch: int
    beispiele_erlauben: bool = False
    pdf: bool = True
    git_tag: bool = True
    basis_url: str | None = None
    nur_pruefen: bool = False
    jobs: str = "auto"
    probe: bool = False  # a deliberate test release: the gate's findings are notes, output is marked
    pruefen: bool = False  # only the Veröffentlichungsprüfung (regiodocs release --pruefen)


def say(text: str) -> None:
    print(f"regiodocs: {text}", flush=True)


def again(opts: Options, *extra: str, drop: tuple[str, ...] = ()) -> str:
    """This release as a command that runs as printed, with ``extra`` flags added."""
    words = ["release", *([opts.ausgabe] if opts.ausgabe else [])]
    cwd = Path.cwd()
    for flag, value, default in (
        ("--inhalt", opts.content, cwd / "content"),
        ("--ziel", opts.ziel, cwd / "_build" / "ausgaben"),
    ):
        if value != default.resolve():
            words += [flag, os.path.relpath(value) if value.is_relative_to(cwd) else str(value)]
    flags = {
        "--beispiele-erlauben": opts.beispiele_erlauben,
        "--ohne-pdf": not opts.pdf,
        "--ohne-tag": not opts.git_tag,
        "--nur-pruefen": opts.nur_pruefen,
        "--probe": opts.probe,
    }
    words += [flag for flag, on in flags.items() if on and flag not in drop and flag not in extra]
    if opts.basis_url:
        words += ["--basis-url", opts.basis_url]
    return report.command(*words, *extra)


def default_epoch(today: dt.date | None) -> tuple[dt.date, int]:
    """The release date and ``SOURCE_DATE_EPOCH``: from the environment, else midnight UTC of ``today``."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and not env.strip().isdigit():
        raise EditionError(
            f"SOURCE_DATE_EPOCH ist `{env}`, erwartet sind ganze Sekunden seit 1970 (z. B. "
            "`1795651200`). Setzen Sie den Wert richtig oder entfernen Sie ihn."
        )
    if env:
        epoch = int(env)
        day = today or dt.datetime.fromtimestamp(epoch, dt.UTC).date()
        return day, epoch
    day = today or dt.date.today()
    return day, int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


# ---------------------------------------------------------------- preflight


def preflight(opts: Options) -> list[str]:
    """German reasons why this edition's name cannot be used (empty: go)."""
    problems = []
    name = opts.ausgabe
    if (
        not manifest.NAME.match(name)
        or name in (CURRENT, PROBE_FOLDER)
        or name.startswith(".")
        or ".." in name
    ):
        problems.append(
            f"`{name}` ist kein gültiger Name für eine Ausgabe: Buchstaben, Ziffern, `.`, `_` und `-`, "
            f"z. B. `2026-2`; `{CURRENT}` ist reserviert."
        )
    elif (opts.ziel / name).exists() and not opts.probe:  # a probe replaces an earlier probe
        problems.append(
            f"Die Ausgabe {name} gibt es schon ({opts.ziel / name}). Ausgaben sind unveränderlich: "
            "wählen Sie einen neuen Namen, z. B. mit angehängtem Buchstaben."
        )
    if opts.basis_url is not None and topics.safe_base(opts.basis_url) is None:
        problems.append(
            f"`--basis-url {opts.basis_url!r}` ist keine Web-Adresse: erwartet wird eine https- (oder "
            "http-)Adresse mit Rechnername, ohne Leerzeichen, Anführungszeichen oder spitze Klammern, "
            "z. B. `https://handbuch.regionetzwerk.de/ausgaben/`."
        )
    return problems


def _refusal(opts: Options, found: list[Any]) -> str:
    text = (
        f"Die Veröffentlichungsprüfung lehnt ab: {gate.summary(found)} (Stellen oben, jeweils mit dem, "
        f"was zu tun ist). Erneut prüfen: {again(opts, '--pruefen', drop=('--nur-pruefen',))}"
    )
    text += f"\n  Zum Ansehen ohne Veröffentlichung: {again(opts, '--probe')}"
    if any(f.code.value == "RD402" for f in found):
        text += f"\n  Bewusst mit Beispiel-Einträgen: {again(opts, '--beispiele-erlauben')}"
    return text


def _report_gate(opts: Options, found: list[Any]) -> int:
    """``--pruefen``: the gate's findings, and whether a release would go through."""
    if found:
        sys.stdout.write(report.text(found))
        say(f"Veröffentlichungsprüfung: {gate.summary(found)}. So würde keine Ausgabe veröffentlicht.")
        return 1
    examples = "Beispiel-Einträge zugelassen" if opts.beispiele_erlauben else "keine Beispiel-Einträge"
    say(f"Veröffentlichungsprüfung bestanden: keine Platzhalter, {examples}, Pflichtseiten "
        "vollständig, Web-Editor eingerichtet oder abgeschaltet.")  # fmt: skip
    return 0


# ---------------------------------------------------------------- git


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=check)


def git_checkout(path: Path) -> Path | None:
    """The top folder of the git checkout that holds ``path``, if any."""
    if shutil.which("git") is None:
        return None
    try:
        result = _git(path, "rev-parse", "--show-toplevel", check=False)
    except OSError:
        return None
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def git_preflight(opts: Options, repo: Path) -> tuple[list[str], dict[str, Any]]:
    """Problems that stop tagging, and the source description for the manifest."""
    problems = []
    head = _git(repo, "rev-parse", "HEAD", check=False)
    if head.returncode != 0:
        return ["Das git-Repository hat noch keinen Commit; committen Sie den Inhalt zuerst."], {}
    dirty = _git(repo, "status", "--porcelain", "--", str(opts.content.resolve()), check=False).stdout.strip()
    tag = TAG_PREFIX + opts.ausgabe
    quelle: dict[str, Any] = {"commit": head.stdout.strip(), "tag": tag if opts.git_tag else None}
    if not opts.git_tag:
        quelle["nicht_eingecheckt"] = bool(dirty)
        return problems, quelle
    if dirty:
        problems.append(
            "Der Inhalt hat nicht eingecheckte Änderungen; eine Ausgabe muss aus einem Commit "
            f"nachvollziehbar sein:\n{dirty}\n  Committen Sie sie (git add, git commit), oder "
            f"veröffentlichen Sie ohne git-Tag: {again(opts, '--ohne-tag')}"
        )
    if _git(repo, "rev-parse", "-q", "--verify", f"refs/tags/{tag}", check=False).returncode == 0:
        problems.append(f"Das git-Tag `{tag}` gibt es schon. Wählen Sie einen anderen Namen für die Ausgabe.")
    if _git(repo, "var", "GIT_COMMITTER_IDENT", check=False).returncode != 0:
        problems.append(
            'git kennt keinen Namen und keine E-Mail für das Tag: git config user.name "Vorname Name" '
            'und git config user.email "adresse@beispiel.de" ausführen, oder ohne Tag veröffentlichen: '
            + again(opts, "--ohne-tag")
        )
    return problems, quelle


# ---------------------------------------------------------------- folders


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """One release at a time per editions folder (released by the OS if the process dies)."""
    root.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    with (root / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            raise EditionError(f"Unter {root} läuft gerade eine andere Veröffentlichung.") from err
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(root: Path) -> None:
    """Staging folders and temporary links of releases that were killed."""
    for path in root.iterdir():
        if path.name.startswith(STAGING_PREFIX) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.name.startswith(f".{CURRENT}.") and path.is_symlink():
            path.unlink()


def switch_current(root: Path, name: str) -> None:
    """Point ``aktuell`` at edition ``name`` atomically (a new symlink replaces the old one)."""
    link = root / CURRENT
    if link.exists() and not link.is_symlink():
        raise EditionError(
            f"{link} ist ein Ordner, kein Verweis; bitte entfernen und erneut veröffentlichen."
        )
    fresh = root / f".{CURRENT}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        fresh.unlink()
    os.symlink(name, fresh, target_is_directory=True)
    os.replace(fresh, link)


def set_times(folder: Path, epoch: int) -> None:
    """File times of an edition: the epoch, so that archives of it are reproducible too."""
    for path in sorted(folder.rglob("*"), reverse=True):
        os.utime(path, (epoch, epoch), follow_symlinks=False)
    os.utime(folder, (epoch, epoch))


def write_index(root: Path) -> None:
    """``ausgaben/index.html`` and ``ausgaben/ausgaben.json``: every edition, newest first."""
    editions = manifest.editions(root)
    current = manifest.current(root)
    listing = [
        {
            "ausgabe": e.name,
            "datum": e.datum,
            "pfad": f"{e.name}/",
            "aktuell": bool(current and current.name == e.name),
        }
        for e in reversed(editions)
    ]
    write_atomic(root / "ausgaben.json", dumps(listing))
    rows = "\n".join(
        f'<li><a href="{html.escape(e["pfad"])}index.html">Ausgabe {html.escape(e["ausgabe"])}</a>'
        f" vom {html.escape(_german(e['datum']))}{' (aktuell)' if e['aktuell'] else ''}</li>"
        for e in listing
    )
    page = f"""<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ausgaben des Handbuchs</title></head>
<body>
<main>
<h1>Ausgaben des Handbuchs</h1>
<p><a href="{CURRENT}/index.html">Zur aktuellen Ausgabe</a></p>
<ul>
{rows}
</ul>
</main>
</body>
</html>
"""
    write_atomic(root / "index.html", page)


def _shown(path: Path) -> str:
    """A path as a user types it here: relative to the current folder if below it."""
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)


def _german(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d.%m.%Y")
    except ValueError:
        return iso


# ---------------------------------------------------------------- release


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def release(opts: Options) -> int:
    """Publish edition ``opts.ausgabe``; 0 on success, 1 when refused or failed."""
    result = checks.check(
        opts.content,
        opts.project_root,
        today=opts.heute,
        safe_mode=settings.safe_mode(opts.project_root),  # conf.py, read by Sphinx
    )
    if result.errors:
        sys.stderr.write(report.text(result.errors))
        say(f"Veröffentlichung abgelehnt: die Prüfung meldet {report.count(len(result.errors), 'Fehler')}.")
        say(f"Einzeln prüfen: {report.command('check', '--inhalt', _shown(opts.content))}")
        return 1
    content = result.content
    try:
        found = gate.check(content, gate.rules(opts.project_root), demo_allowed=opts.beispiele_erlauben)
    except (ValueError, re.error) as err:  # a setting in conf.py that cannot be used
        raise EditionError(f"conf.py: {err}") from err
    if opts.pruefen:
        return _report_gate(opts, found)
    if opts.probe:  # a test release is never an edition: its own folder, no tag, no `aktuell` of ZIEL
        opts.git_tag = False
        opts.ziel = opts.ziel / PROBE_FOLDER
        say(f"Probeausgabe nach {_shown(opts.ziel / opts.ausgabe)} (nicht unter den Ausgaben in "
            f"{_shown(opts.ziel.parent)}; eine frühere Probe dieses Namens wird ersetzt).")  # fmt: skip
    problems = preflight(opts)
    repo = git_checkout(opts.content) if opts.content.exists() else None
    quelle: dict[str, Any] | None = None
    if repo is not None:
        git_problems, quelle = git_preflight(opts, repo)
        problems += git_problems
    if found and opts.probe:
        notes = [dataclasses.replace(f, severity=Severity.WARNING) for f in found]  # go through
        sys.stderr.write(report.text(notes))
        say(f"Probeausgabe: trotz {gate.summary(found, dative=True)} – jede Seite und jede Datei "
            f"trägt den Hinweis „{gate.PROBE_TEXT}“.")  # fmt: skip
    elif found:
        sys.stderr.write(report.text(found))
        problems.append(_refusal(opts, found))
    if problems:
        for problem in problems:
            print(f"regiodocs: {problem}", file=sys.stderr)
        say("Veröffentlichung abgelehnt. Die veröffentlichten Ausgaben bleiben unverändert.")
        return 1

    with locked(opts.ziel):
        remove_leftovers(opts.ziel)
        if opts.probe and (opts.ziel / opts.ausgabe).is_dir():  # an earlier probe of that name
            shutil.rmtree(opts.ziel / opts.ausgabe)
        if (opts.ziel / opts.ausgabe).exists():  # published meanwhile by another run
            raise EditionError(f"Die Ausgabe {opts.ausgabe} gibt es schon ({opts.ziel / opts.ausgabe}).")
        editions = manifest.editions(opts.ziel)
        previous = manifest.current(opts.ziel) or (editions[-1] if editions else None)
        before = manifest.read(previous.manifest_path) if previous else None
        number = max((e.nummer for e in editions), default=0) + 1
        new = manifest.build(
            content,
            ausgabe=opts.ausgabe,
            datum=opts.heute,
            nummer=number,
            vorgaenger=previous.name if previous else None,
            epoch=opts.epoch,
            quelle=quelle,
        )
        changes = diffs.diff(before, new)
        say(diffs.headline(changes))
        if quelle is not None and quelle.get("tag"):
            say(
                f"Nach dem Bau wird das git-Tag `{quelle['tag']}` auf Commit {quelle['commit'][:12]} "
                f"gesetzt. Ohne Tag: {again(opts, '--ohne-tag')}"
            )
        if opts.nur_pruefen:
            sys.stdout.write(diffs.render_text(changes))
            say("Nur geprüft (--nur-pruefen): nichts veröffentlicht.")
            return 0
        staging = opts.ziel / f"{STAGING_PREFIX}{opts.ausgabe}"
        try:
            with _environment("SOURCE_DATE_EPOCH", str(opts.epoch)):
                status = _build(opts, content, new, changes, editions, staging)
            if status != 0:
                say("Veröffentlichung fehlgeschlagen. Die veröffentlichten Ausgaben bleiben unverändert.")
                return 1
            # `ausgabe` is building's public symlink; the edition is the real folder behind it
            os.replace((staging / "ausgabe").resolve(), opts.ziel / opts.ausgabe)
            switch_current(opts.ziel, opts.ausgabe)
            write_index(opts.ziel)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    target = opts.ziel / opts.ausgabe
    if opts.probe:  # opts.ziel is the probes' own folder: the editions and their `aktuell` are untouched
        say(f"Probeausgabe {opts.ausgabe} zum Ansehen: {target} – nicht veröffentlicht, die Ausgaben und "
            f"ihr `{CURRENT}` bleiben, wie sie sind.")  # fmt: skip
    else:
        say(f"Ausgabe {opts.ausgabe} veröffentlicht: {target} ({CURRENT} → {opts.ausgabe}).")
    if repo is not None and opts.git_tag:
        tag = TAG_PREFIX + opts.ausgabe
        message = f"Ausgabe {opts.ausgabe} des Handbuchs ({opts.heute.strftime('%d.%m.%Y')})"
        done = _git(repo, "tag", "-a", tag, "-m", message, check=False)
        if done.returncode != 0:
            say(f"Das git-Tag `{tag}` konnte nicht gesetzt werden: {done.stderr.strip()}")
            say(f"Bitte nachholen: git tag -a {tag} {new['quelle']['commit']} -m '{message}'")
            return 1
        say(f"git-Tag `{tag}` gesetzt (Commit {new['quelle']['commit'][:12]}).")
    return 0


def _build(
    opts: Options,
    content: model.Content,
    new: dict[str, Any],
    changes: dict[str, Any],
    editions: list[manifest.Edition],
    staging: Path,
) -> int:
    """Everything of the edition, in ``staging/ausgabe``; nothing outside ``staging``."""
    from ..building import build

    if staging.exists():
        shutil.rmtree(staging)
    extra_dir, meta = staging / "extra", staging / "meta"
    meta.mkdir(parents=True)
    info = exports.edition_info(content, opts.ausgabe, opts.heute, opts.basis_url)
    info.probe = opts.probe
    downloads: list[exports.Download] = []

    if opts.pdf:
        file = f"druck/handbuch-{opts.ausgabe}.pdf"
        data = pdf.print_data(
            content, pdf.Selection(), ausgabe=opts.ausgabe, datum=opts.heute, online=info.edition_url
        )
        if opts.probe:  # on the cover and in every page's footer
            data["ausgabe_text"] = f"{data['ausgabe_text']} – {exports.PROBE_TEXT}"
        say(f"Druckfassung: {data['anzahl_text']} …")
        status = pdf.build_pdf(
            opts.project_root, opts.content, extra_dir / file, data, jobs=opts.jobs, workdir=staging / "druck"
        )
        if status != 0:
            return status
        pdf_download = exports.Download("Druckfassung (PDF)", file, "PDF", "application/pdf")
        info.extra_downloads.append(pdf_download.to_data())
    info.extra_downloads += [d.to_data() for d in subscription_downloads(content)]
    say("Offene Daten …")
    downloads += exports.write(extra_dir, content, info)
    if opts.pdf:
        downloads.insert(0, pdf_download)
    write_atomic(extra_dir / exports.CITATION_FILE, exports.citation(info))
    downloads.append(
        exports.Download("Zitierangaben (CITATION.cff)", exports.CITATION_FILE, "CFF", "text/plain")
    )

    sidebar = {"Druckfassung (PDF)", "Alle Einträge (JSON)", "Übersicht aller Einträge (CSV)"}
    edition_data = {
        "name": opts.ausgabe,
        "datum": opts.heute.isoformat(),
        "datum_text": opts.heute.strftime("%d.%m.%Y"),
        "aenderungen": True,
        # every file with format, size, record count and licence: `daten/index.html` lists them
        "downloads": [
            d | {"seitenleiste": d["titel"] in sidebar} for d in exports.described(downloads, extra_dir, info)
        ],
        "daten": {
            "dcat": f"{exports.FOLDER}/{exports.DCAT_FILE}",
            "liesmich": f"{exports.FOLDER}/{exports.README_FILE}",
            "csvw": f"{exports.FOLDER}/{exports.CSVW_FILE}",
            "lizenz": info.lizenz,
            "lizenz_url": exports.LICENCES.get(info.lizenz, ("", ""))[1],
        },
        "jsonld": exports.schema_org(info, downloads),
        # a test release: the theme shows `probe_hinweis` as a banner on every page
        "probe": opts.probe,
        "probe_hinweis": exports.PROBE_TEXT if opts.probe else "",
    }
    listing = [{"name": e.name, "datum": e.datum, "datum_text": _german(e.datum)} for e in editions] + [
        {"name": opts.ausgabe, "datum": opts.heute.isoformat(), "datum_text": opts.heute.strftime("%d.%m.%Y")}
    ]
    # every record's history over the editions: the Atom feeds' dates and changes
    history = news.history(
        [manifest.read(e.manifest_path) for e in editions] + [new],
        basis_url=info.edition_url,
    )
    if opts.basis_url and not opts.probe:  # subscriptions follow the newest edition
        history["abo_url"] = f"{opts.basis_url.rstrip('/')}/{CURRENT}/"
    files = {
        "ausgabedaten": edition_data,
        "ausgaben": listing,
        "aenderungen": changes,
        "neuigkeiten": history,
    }
    for name, value in files.items():
        (meta / f"{name}.json").write_text(dumps(value), encoding="utf-8")

    say("Website …")
    defines = [f"regiodocs_{name}={meta / f'{name}.json'}" for name in files]
    defines += [f"regiodocs_ausgabe={opts.ausgabe}", f"regiodocs_heute={opts.heute.isoformat()}"]
    status = build(
        opts.project_root,
        content=opts.content,
        outdir=staging / "ausgabe",
        workdir=staging / "arbeit",
        jobs=opts.jobs,
        quiet=True,
        extra=[arg for pair in defines for arg in ("-D", pair)],
    )
    if status != 0:
        return status
    site_dir = (staging / "ausgabe").resolve()  # building publishes a symlink to this folder
    _move_into(extra_dir, site_dir)
    write_atomic(site_dir / manifest.FILE, dumps(new | ({"probe": exports.PROBE_TEXT} if opts.probe else {})))
    set_times(site_dir, opts.epoch)
    return 0


def subscription_downloads(content: model.Content) -> list[exports.Download]:
    """The whole handbook's Atom feed and calendar (written by the build), for the DCAT metadata."""
    public = content.visible(intern=False)
    everything = topics.Topic(topics.ALL, "Alle Einträge", topics.ALL)
    found = [exports.Download("Neuigkeiten (Atom-Feed)", everything.feed_path, "Atom", topics.FEED_TYPE)]
    if topics.dated(public, intern=False, docname_of=site.record_docname):
        found.append(
            exports.Download(
                "Termine (iCalendar)", everything.calendar_path, "iCalendar", topics.CALENDAR_TYPE
            )
        )
    return found


def _move_into(source: Path, site_dir: Path) -> None:
    """Move the edition's files into the built site; a folder the site has too (``daten/``, whose
    ``index.html`` is the handbook's Open Data page) is merged, a file it has is never replaced."""
    for item in sorted(source.rglob("*")):
        if item.is_dir():
            continue
        destination = site_dir / item.relative_to(source)
        if destination.exists():
            raise EditionError(f"{destination} gibt es in der Website schon; die Ausgabe wäre mehrdeutig.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(item), destination)
