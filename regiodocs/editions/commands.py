"""Subcommands ``release``, ``diff``, ``druck`` and ``bericht`` (listed in ``cli.COMMAND_MODULES``).

Thin: parse, call the steps in this package, print German messages. Sphinx and
WeasyPrint are imported only inside the functions that build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from .. import report, settings
from ..failures import target_problem
from ..findings import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

CONTENT_STATE = "inhalt"  # `regiodocs diff aktuell inhalt`: compare with the content of today


def add_command(commands: Any) -> None:
    release = commands.add_parser(
        "release",
        help="Eine Ausgabe veröffentlichen (Website, offene Daten, Druckfassung, Manifest).",
        description=(
            "Baut die öffentliche Ausgabe AUSGABE nach ZIEL/AUSGABE und stellt ZIEL/aktuell darauf um. "
            "Lehnt ab, solange die Prüfung der Inhalte Fehler meldet oder die Veröffentlichungsprüfung "
            "etwas findet: Platzhalter (Beispieladressen, „Platzhalter“, „BITTE …“, [eckige Klammern]), "
            "Beispiel-Einträge, fehlende oder als Entwurf gekennzeichnete Pflichtseiten (Impressum, "
            "Datenschutz, Barrierefreiheit) und einen eingeschalteten, aber nicht eingerichteten "
            "Web-Editor. Bricht die Veröffentlichung ab, bleiben alle Ausgaben und `aktuell` unverändert. "
            "In einem git-Checkout wird die Ausgabe mit dem Tag ausgabe-AUSGABE markiert."
        ),
    )
    release.add_argument(
        "ausgabe", metavar="AUSGABE", nargs="?", default=None, help="Name der Ausgabe, z. B. 2026-2"
    )
    _content_arguments(release)
    release.add_argument("--ziel", default="_build/ausgaben", metavar="ORDNER", help="Ordner der Ausgaben")
    release.add_argument(
        "--beispiele-erlauben", action="store_true", help="auch mit Beispiel-Einträgen (beispiel: true)"
    )
    release.add_argument("--ohne-pdf", action="store_true", help="ohne Druckfassung (schneller)")
    release.add_argument("--ohne-tag", action="store_true", help="kein git-Tag setzen")
    release.add_argument(
        "--basis-url",
        default=None,
        metavar="URL",
        help="Adresse des Ausgaben-Ordners im Netz (für Metadaten)",
    )
    release.add_argument(
        "--nur-pruefen", action="store_true", help="alles prüfen und die Änderungen zeigen, nichts bauen"
    )
    release.add_argument(
        "--pruefen",
        action="store_true",
        help="nur die Veröffentlichungsprüfung (Platzhalter, Beispiele, Pflichtseiten, Web-Editor)",
    )
    release.add_argument(
        "--probe",
        action="store_true",
        help="Probeausgabe: trotz Funden der Veröffentlichungsprüfung bauen; jede Seite und jede Datei "
        "trägt den Hinweis „Probeausgabe – nicht veröffentlichen“ (kein git-Tag)",
    )
    release.add_argument("-j", "--jobs", default="auto", help="parallele Prozesse (Standard: auto)")
    release.set_defaults(func=_release)

    diff = commands.add_parser(
        "diff",
        help="Änderungen zwischen zwei Ausgaben zeigen.",
        description=(
            "VON und BIS sind Namen von Ausgaben, `aktuell`, ein Ausgabe-Ordner, eine manifest.json "
            f"oder `{CONTENT_STATE}` (der heutige Inhalt)."
        ),
    )
    diff.add_argument("von", metavar="VON", help="ältere Ausgabe, z. B. 2026-1")
    diff.add_argument("bis", metavar="BIS", help=f"neuere Ausgabe, z. B. aktuell oder {CONTENT_STATE}")
    diff.add_argument("--ausgaben", default="_build/ausgaben", metavar="ORDNER", help="Ordner der Ausgaben")
    _content_arguments(diff)
    diff.add_argument("--format", choices=("text", "json"), default="text", help="Ausgabe (Standard: text)")
    diff.set_defaults(func=_diff)

    druck = commands.add_parser(
        "druck",
        help="Druckfassung (PDF) des Handbuchs oder einer Auswahl bauen.",
        description=(
            "Ohne Auswahl: alle öffentlichen Einträge. Mehrere Angaben derselben Art gelten als „oder“, "
            "verschiedene Arten als „und“, z. B. --plattform nachhaltige-mobilitaet --typ ergebnis."
        ),
    )
    _content_arguments(druck)
    druck.add_argument("--ziel", default=None, metavar="DATEI", help="PDF-Datei (Standard: _build/druck/…)")
    druck.add_argument("--typ", action="append", default=[], metavar="TYP", help="z. B. projekt, ergebnis")
    druck.add_argument(
        "--plattform", action="append", default=[], metavar="KENNUNG", help="nur diese Plattform"
    )
    druck.add_argument("--partner", action="append", default=[], metavar="KENNUNG", help="nur dieser Partner")
    druck.add_argument(
        "--handlungsfeld", action="append", default=[], metavar="KENNUNG", help="nur dieses Handlungsfeld"
    )
    druck.add_argument("--eintrag", action="append", default=[], metavar="KENNUNG", help="nur dieser Eintrag")
    druck.add_argument("--titel", default=None, help="Titel auf dem Umschlag")
    druck.add_argument("--ausgabe", default=None, help="Name der Ausgabe auf dem Umschlag")
    druck.add_argument("-j", "--jobs", default="auto", help="parallele Prozesse (Standard: auto)")
    druck.set_defaults(func=_print)

    bericht = commands.add_parser(
        "bericht",
        help="Prüfbericht: alte Einträge, überfällige Vereinbarungen, fehlende Kontakte, kaputte Links.",
    )
    _content_arguments(bericht)
    bericht.add_argument("--ohne-links", action="store_true", help="externe Links nicht prüfen (offline)")
    bericht.add_argument("--zeitlimit", type=float, default=10.0, metavar="SEKUNDEN", help="je Link")
    bericht.add_argument(
        "--format", choices=("text", "json"), default="text", help="Ausgabe (Standard: text)"
    )
    bericht.add_argument("--ziel", default=None, metavar="DATEI", help="in eine Datei schreiben")
    bericht.add_argument("--streng", action="store_true", help="Rückgabewert 1, wenn etwas zu tun ist")
    bericht.set_defaults(func=_report)


def _content_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--inhalt", default="content", metavar="ORDNER", help="Inhaltsordner")
    parser.add_argument(
        "--heute",
        default=None,
        metavar="JJJJ-MM-TT",
        help="Stichtag (Standard: SOURCE_DATE_EPOCH oder heute)",
    )


def _today(args: argparse.Namespace) -> dt.date | None:
    if not args.heute:
        return None
    try:
        return dt.date.fromisoformat(args.heute)
    except ValueError:
        raise SystemExit(_usage(f"--heute {args.heute} ist kein Datum JJJJ-MM-TT.")) from None


def _usage(message: str) -> int:
    print(f"regiodocs: {message}", file=sys.stderr)
    return EXIT_USAGE


def _content(args: argparse.Namespace) -> Path | None:
    root = Path(args.inhalt)
    return root if root.is_dir() else None


def _checked(root: Path, today: dt.date) -> Any:
    from .. import checks, report

    result = checks.check(root, settings.project_root(), today=today)
    if result.errors:
        sys.stderr.write(report.text(result.errors))
        count = report.count(len(result.errors), "Fehler")
        print(f"regiodocs: Die Prüfung meldet {count}. Einzeln prüfen: "
              f"{report.command('check', '--inhalt', str(root))}", file=sys.stderr)  # fmt: skip
        return None
    return result.content


# ---------------------------------------------------------------- release


def _release(args: argparse.Namespace) -> int:
    from .manifest import EditionError
    from .release import Options, default_epoch, release

    root = _content(args)
    if root is None:
        return _usage(f"Inhaltsordner `{args.inhalt}` nicht gefunden.")
    if args.ausgabe is None and not args.pruefen:
        example, only = report.command("release", "2026-2"), report.command("release", "--pruefen")
        return _usage(f"Bitte den Namen der Ausgabe angeben, z. B. {example} (oder nur prüfen: {only}).")
    problem = target_problem(Path(args.ziel), folder=True)
    if problem:
        return _usage(problem)
    try:
        today, epoch = default_epoch(_today(args))
    except EditionError as err:
        return _usage(str(err))
    options = Options(
        ausgabe=args.ausgabe or "",
        content=root.resolve(),
        project_root=settings.project_root(),
        ziel=Path(args.ziel).resolve(),
        heute=today,
        epoch=epoch,
        beispiele_erlauben=args.beispiele_erlauben,
        pdf=not args.ohne_pdf,
        git_tag=not args.ohne_tag,
        basis_url=args.basis_url,
        nur_pruefen=args.nur_pruefen,
        jobs=args.jobs,
        probe=args.probe,
        pruefen=args.pruefen,
    )
    try:
        return release(options)
    except EditionError as err:
        print(f"regiodocs: {err}", file=sys.stderr)
        return EXIT_PROBLEMS


def _checked_content(args: argparse.Namespace) -> tuple[Path, Any, dt.date] | int:
    """The checked content and today's date for a command, or the exit code to return."""
    from .manifest import EditionError
    from .release import default_epoch

    root = _content(args)
    if root is None:
        return _usage(f"Inhaltsordner `{args.inhalt}` nicht gefunden.")
    try:
        today, _epoch = default_epoch(_today(args))
    except EditionError as err:
        return _usage(str(err))
    content = _checked(root, today)
    if content is None:
        return EXIT_PROBLEMS
    return root, content, today


# ---------------------------------------------------------------- diff


def _diff(args: argparse.Namespace) -> int:
    from . import diff, manifest
    from .release import default_epoch

    editions = Path(args.ausgaben)
    sides = []
    try:
        for spec in (args.von, args.bis):
            if spec == CONTENT_STATE:
                root = _content(args)
                if root is None:
                    return _usage(f"Inhaltsordner `{args.inhalt}` nicht gefunden.")
                today, epoch = default_epoch(_today(args))
                content = _checked(root, today)
                if content is None:
                    return EXIT_PROBLEMS
                sides.append(
                    manifest.build(content, ausgabe="", datum=today, nummer=0, vorgaenger=None, epoch=epoch)
                )
            else:
                sides.append(manifest.resolve(spec, editions))
    except manifest.EditionError as err:
        print(f"regiodocs: {err}", file=sys.stderr)
        return EXIT_USAGE
    result = diff.diff(sides[0], sides[1])
    if args.format == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(diff.render_text(result))
    return EXIT_OK


# ---------------------------------------------------------------- print


def _print(args: argparse.Namespace) -> int:
    from . import pdf
    from .manifest import EditionError

    loaded = _checked_content(args)
    if isinstance(loaded, int):
        return loaded
    root, content, today = loaded
    selection = pdf.Selection(
        typen=args.typ,
        plattformen=args.plattform,
        partner=args.partner,
        handlungsfelder=args.handlungsfeld,
        eintraege=args.eintrag,
    )
    try:
        selection.check(content)
        data = pdf.print_data(content, selection, ausgabe=args.ausgabe, datum=today, titel=args.titel)
        if args.ziel:
            target = Path(args.ziel)
            problem = target_problem(target, folder=False, example="handbuch.pdf")
            if problem:
                raise EditionError(problem)
        else:
            from ..site import slug

            name = slug(f"{data['titel']} {data['untertitel'] if not selection.everything else ''}")
            target = Path("_build/druck") / f"{name}.pdf"
        status = pdf.build_pdf(settings.project_root(), root, target.resolve(), data, jobs=args.jobs)
    except EditionError as err:
        print(f"regiodocs: {err}", file=sys.stderr)
        return EXIT_USAGE
    if status != 0:
        print("regiodocs: Druckfassung fehlgeschlagen.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"regiodocs: Druckfassung ({data['anzahl_text']}): {target}")
    return EXIT_OK


# ---------------------------------------------------------------- report


def _report(args: argparse.Namespace) -> int:
    from . import review
    from .manifest import dumps, write_atomic

    problem = target_problem(Path(args.ziel), folder=False, example="pruefbericht.txt") if args.ziel else None
    if problem:
        return _usage(problem)
    loaded = _checked_content(args)
    if isinstance(loaded, int):
        return loaded
    _root, content, today = loaded
    data = review.review(content, today=today, links=not args.ohne_links, timeout=args.zeitlimit).to_data()
    text = dumps(data) if args.format == "json" else review.render_text(data)
    if args.ziel:
        write_atomic(Path(args.ziel), text)
        print(f"regiodocs: Prüfbericht geschrieben: {args.ziel}")
    else:
        sys.stdout.write(text)
    return EXIT_PROBLEMS if args.streng and review.problems(data) else EXIT_OK
