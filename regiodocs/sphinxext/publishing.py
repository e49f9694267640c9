"""What the site publishes besides its pages: the schemas and the web editor.

At ``build-finished`` (HTML builds only) this writes into the output:

- ``schemas/*.schema.json`` – the editor-ready JSON Schemas (:func:`regiodocs.cms.editor_schemas`),
  a stable address for editors and other tools;
- ``admin/`` – the web editor (Decap CMS): a German start screen (``index.html`` with
  ``regiodocs-editor.js``: what happens on "Speichern"/"Veröffentlichen", who reviews),
  ``config.yml`` generated from the schemas and the edition's content (an intern record
  never appears in the public edition's choices), and the CMS JavaScript vendored from npm
  (``node_modules/decap-cms/dist``), so the editor loads nothing from third parties.

Whether ``admin/`` is published is ``regiodocs_cms``: ``"auto"`` (the shipped conf.py) – only
when a GitLab backend is configured (:attr:`regiodocs.cms.Backend.configured`: repository and
application id from ``regiodocs_cms_*`` in conf.py or ``-D``, or the CI variables
:meth:`regiodocs.cms.Backend.from_environment` reads) –, ``True`` always (unconfigured: a
warning here, RD404 in the release gate), ``False`` never. ``regiodocs_cms_lokal`` (set by
``regiodocs serve``) is the address of a running ``decap-server``: the editor then works on the
checkout's working tree. A build without the editor removes an ``admin/`` of an earlier build
from its output folder (incremental = clean). A build that should publish the editor but lacks
``node_modules/decap-cms`` warns (under ``-W``: fails).
"""

from __future__ import annotations

import filecmp
import html
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .. import cms
from .state import get_state, has_state

logger = logging.getLogger(__name__)

CMS_DIST = Path("node_modules") / "decap-cms" / "dist"
CMS_SCRIPT = "decap-cms.js"
START_SCRIPT = "regiodocs-editor.js"
ADMIN = "admin"

INDEX_HTML = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Web-Editor – {project}</title>
  <style>
    body {{ margin: 0; font-family: "Fira Sans", system-ui, sans-serif; color: #1b1b1b; }}
    .regio-editor-start {{ max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; line-height: 1.5; }}
    .regio-editor-start h1 {{ font-size: 1.75rem; margin: 0 0 .5rem; }}
    .regio-editor-start h2 {{ font-size: 1.2rem; margin: 1.5rem 0 .25rem; }}
    .regio-editor-start .regio-editor-modus {{ padding: .75rem 1rem; border-left: .3rem solid #1a4f8b;
      background: #eef3f9; }}
    .regio-editor-start button {{ font: inherit; font-size: 1.1rem; margin-top: 1.5rem; padding: .6rem 1.4rem;
      color: #fff; background: #1a4f8b; border: 0; border-radius: .25rem; cursor: pointer; }}
    .regio-editor-start button:focus-visible {{ outline: 3px solid #f5a300; outline-offset: 2px; }}
    .regio-editor-hilfe {{ position: fixed; right: .5rem; bottom: .5rem; z-index: 400; max-width: 28rem;
      padding: .4rem .75rem; font-size: .85rem; background: #fff; border: 1px solid #5a6470;
      border-radius: .25rem; box-shadow: 0 1px 4px rgba(0,0,0,.2); color: #1b1b1b; }}
    [hidden] {{ display: none !important; }}
  </style>
</head>
<body>
  <main class="regio-editor-start" id="regio-editor-start">
    <h1>Web-Editor des Handbuchs</h1>
    <p>Hier können Sie Einträge des Handbuchs „{project}“ im Browser anlegen und ändern – ohne
    Programmierkenntnisse. Das Formular kennt alle Felder, erklärt sie und prüft Pflichtangaben
    und Formate, bevor Sie speichern.</p>
    <p class="regio-editor-modus">{mode}</p>
    <h2>Was beim Speichern passiert</h2>
    {saving}
    <h2>Wer prüft</h2>
    {review}
    <h2>Andere Wege</h2>
    <p>Sie können Beiträge auch als Datei einreichen oder der Geschäftsstelle schicken; wie, steht
    auf der Seite <a href="../seiten/mitmachen.html">Mitmachen</a>. Welche Felder es gibt, beschreibt
    die <a href="../feldreferenz.html">Feldreferenz</a>.</p>
    <noscript><p><strong>Der Web-Editor braucht JavaScript.</strong> Ohne JavaScript reichen Sie
    Beiträge bitte als Datei ein (siehe Mitmachen).</p></noscript>
    {action}
  </main>
  <aside class="regio-editor-hilfe" id="regio-editor-hilfe" hidden aria-label="Hinweis zum Web-Editor">
    {hint}
  </aside>
  <script src="{start_script}"></script>
  {script}
</body>
</html>
"""
#: The start screen's texts: (mode, saving, review, hint) for the local editor and for GitLab.
LOCAL_TEXTS = (
    "<strong>Lokaler Editor:</strong> Er läuft mit <code>regiodocs serve</code> auf Ihrem Rechner und "
    "schreibt direkt in den Ordner <code>{folder}/</code> Ihrer Arbeitskopie. Es ist keine Anmeldung "
    "nötig; nichts verlässt Ihren Rechner.",
    "<p>Mit <strong>„Veröffentlichen“</strong> (bzw. „Jetzt veröffentlichen“) schreibt der Editor den "
    "Eintrag sofort als Datei in <code>{folder}/</code> der Arbeitskopie, z. B. "
    "<code>{folder}/projekte/&lt;partner&gt;/&lt;kennung&gt;.md</code>. Die Vorschau baut sich daraufhin "
    "neu; Fehler erscheinen im Terminal von <code>regiodocs serve</code>. Veröffentlicht im Handbuch ist "
    "damit noch nichts: Die Datei ist eine Änderung in Ihrer Arbeitskopie.</p>",
    "<p>Prüfen Sie die Datei vor dem Einreichen mit <code>make check</code>. Danach reichen Sie sie "
    "als Merge Request ein: Die automatische Prüfung (<code>regiodocs check</code>) läuft in der CI, "
    "und die Geschäftsstelle sieht den Beitrag durch, bevor er im Handbuch erscheint.</p>",
    "Lokaler Editor: „Veröffentlichen“ schreibt die Datei in <code>{folder}/</code> Ihrer Arbeitskopie. "
    "Prüfen: <code>make check</code>.",
)
GITLAB_TEXTS = (
    "<strong>Anmeldung mit GitLab:</strong> Sie melden sich mit Ihrem Konto bei {server} an. Ihre "
    "Änderungen gehen als Vorschlag an das Handbuch, nicht direkt in die veröffentlichte Fassung.",
    "<p><strong>„Speichern“</strong> legt Ihren Entwurf als eigenen Zweig an und öffnet dafür einen "
    "<strong>Merge Request</strong>; Sie können ihn später weiter bearbeiten (Übersicht "
    "„Arbeitsablauf“). Mit dem Status „Bereit“ melden Sie der Geschäftsstelle, dass der Beitrag "
    "fertig ist. <strong>„Veröffentlichen“</strong> übernimmt einen Beitrag in das Handbuch – das "
    "tut die Geschäftsstelle nach ihrer Durchsicht.</p>",
    "<p>Zu jedem Merge Request läuft in der CI die automatische Prüfung (<code>regiodocs check</code>): "
    "Sie meldet fehlende Pflichtfelder, unbekannte Kennungen oder ungültige Daten mit Datei und Zeile. "
    "Die <strong>Geschäftsstelle</strong> sieht jeden Beitrag durch und übernimmt ihn; erst dann "
    "erscheint er in der nächsten Ausgabe des Handbuchs.</p>",
    "„Speichern“ öffnet einen Merge Request; die Geschäftsstelle prüft ihn, bevor er erscheint.",
)
ACTION_HTML = '<button type="button" id="regio-editor-oeffnen">Web-Editor öffnen</button>'
MISSING_HTML = (
    "<p><strong>Der Web-Editor ist in dieser Ausgabe nicht enthalten:</strong> beim Bau fehlte "
    "<code>node_modules/decap-cms</code> (einmal <code>npm ci</code> ausführen).</p>"
)
#: Opens the CMS on the button (Decap waits for ``CMS.init()``: ``CMS_MANUAL_INIT``) and, before
#: every save, drops what a form leaves empty (a field typed into and cleared is ``""`` to Decap,
#: an untouched list ``[]``): ``regiodocs check`` refuses empty values, an absent optional field
#: is fine. Decap's data is Immutable.js (``map``/``filter``/``size``). No inline code (audit).
START_JS = """// regiodocs: the web editor's German start screen; Decap CMS starts on "Web-Editor öffnen".
window.CMS_MANUAL_INIT = true;
(function () {
  function isCollection(value) {
    return value !== null && typeof value === "object" && typeof value.toJS === "function"
      && typeof value.filter === "function";
  }
  function isEmpty(value) {
    return value === null || value === undefined || (typeof value === "string" && value.trim() === "")
      || (isCollection(value) && value.size === 0);
  }
  function prune(value) {  // empty strings, lists and groups out, at every depth
    if (!isCollection(value)) { return value; }
    return value.map(prune).filter(function (item) { return !isEmpty(item); });
  }
  function open() {
    if (!window.CMS) { return; }
    document.getElementById("regio-editor-start").hidden = true;
    document.getElementById("regio-editor-hilfe").hidden = false;
    window.CMS.registerEventListener({
      name: "preSave",
      handler: function (event) { return prune(event.entry.get("data")); },
    });
    window.CMS.init();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("regio-editor-oeffnen");
    if (!button) { return; }
    button.addEventListener("click", open);
    if (window.location.hash.length > 2) { open(); }  // a link into the editor (#/collections/…)
  });
})();
"""


def setup_publishing(app: Sphinx) -> None:
    # True/False or "auto"; a conf.py without the setting means on (as the release gate reads it)
    app.add_config_value("regiodocs_cms", True, "", types=(bool, str))
    for name in cms.BACKEND_SETTINGS:
        app.add_config_value(f"regiodocs_cms_{name}", "", "", types=(str,))
    app.add_config_value("regiodocs_cms_lokal", "", "", types=(str,))  # decap-server's API (serve)
    app.connect("build-finished", publish_extras)


def backend(app: Sphinx) -> cms.Backend:
    """The web editor's backend from ``regiodocs_cms_*`` (:func:`regiodocs.cms.backend`)."""
    return cms.backend({name: getattr(app.config, f"regiodocs_cms_{name}") for name in cms.BACKEND_SETTINGS})


def content_folder(app: Sphinx) -> str:
    """The content folder relative to the checkout (conf.py's folder), as the backend writes it."""
    root = (Path(app.confdir) / str(app.config.regiodocs_inhalt)).resolve()
    try:
        return root.relative_to(Path(app.confdir).resolve()).as_posix()
    except ValueError:  # a content folder outside the checkout (tests): the usual layout
        return "content"


def publish_extras(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    cms.write_schemas(outdir / "schemas")
    local = str(app.config.regiodocs_cms_lokal or "").strip()
    chosen = backend(app)
    try:
        forced = True if local else cms.switched_on(app.config.regiodocs_cms)
    except ValueError as err:
        logger.warning(
            "regiodocs: %s Der Web-Editor wird nicht gebaut.", err, type="regiodocs", subtype="cms"
        )
        forced = False
    if not has_state(app):
        return
    if not cms.editor_enabled(forced, chosen):
        _remove(outdir / ADMIN)  # an earlier build's editor must not survive (incremental = clean)
        return
    if forced and not local and not chosen.configured:
        logger.warning(
            "regiodocs: Der Web-Editor ist eingeschaltet (regiodocs_cms = True), aber nicht eingerichtet: "
            "%s. Die Anmeldung „Mit GitLab einloggen“ endete in einem Fehler. Tragen Sie die echten "
            'Werte in conf.py ein (oder als CI-Variablen) oder setzen Sie regiodocs_cms = "auto".',
            " und ".join(chosen.problems().values()),
            type="regiodocs",
            subtype="cms",
        )
    admin = outdir / ADMIN
    admin.mkdir(exist_ok=True)
    # the local decap-server is rooted at the content folder (it may write nothing else)
    folder = "" if local else content_folder(app)
    content = get_state(app).content
    _write(admin / "config.yml", cms.dump(cms.config(content, chosen, local=local, folder=folder)))
    _write(admin / START_SCRIPT, START_JS)
    dist = Path(app.confdir) / CMS_DIST
    if (dist / CMS_SCRIPT).is_file():
        _vendor(dist, admin)
        script, action = f'<script src="{CMS_SCRIPT}"></script>', ACTION_HTML
    else:
        logger.warning(
            "regiodocs: Der Web-Editor (/admin/) kann nicht gebaut werden: %s fehlt. Einmal `npm ci` "
            "ausführen – oder den Web-Editor abschalten (regiodocs_cms = False, "
            'oder "auto" ohne GitLab-Angaben).',
            dist,
            type="regiodocs",
            subtype="cms",
        )
        script, action = "", MISSING_HTML
    texts = LOCAL_TEXTS if local else GITLAB_TEXTS
    server = html.escape(chosen.base_url or "gitlab.com")
    shown = html.escape(content_folder(app))  # the folder as the partner knows it (content/)
    mode, saving, review, hint = (t.format(folder=shown, server=server) for t in texts)
    page = INDEX_HTML.format(
        project=html.escape(str(app.config.project)),
        mode=mode,
        saving=saving,
        review=review,
        hint=hint,
        action=action,
        start_script=START_SCRIPT,
        script=script,
    )
    _write(admin / "index.html", page)


def _remove(admin: Path) -> None:
    if admin.is_symlink() or admin.is_file():
        admin.unlink()
    elif admin.is_dir():
        shutil.rmtree(admin)


def _write(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _vendor(dist: Path, admin: Path) -> None:
    """Copy the CMS bundle, its lazily loaded chunks and licences; no source maps."""
    for source in sorted(dist.iterdir()):
        name = source.name
        wanted = name == CMS_SCRIPT or name.endswith((".decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt"))
        target = admin / name
        if wanted and source.is_file() and not (target.exists() and filecmp.cmp(source, target)):
            shutil.copyfile(source, target)
