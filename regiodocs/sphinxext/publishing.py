"""What the site publishes besides its pages: the schemas and the web editor.

At ``build-finished`` (HTML builds only) this writes into the output:

- ``schemas/*.schema.json`` – the editor-ready JSON Schemas (:func:`regiodocs.cms.editor_schemas`),
  a stable address for editors and other tools;
- ``admin/`` – Decap CMS: ``index.html``, ``config.yml`` generated from the schemas and the
  edition's content (an intern record never appears in the public edition's choices), and
  the CMS JavaScript vendored from npm (``node_modules/decap-cms/dist``), so the site loads
  nothing from third parties.

The backend comes from ``regiodocs_cms_*`` settings (conf.py or ``-D``), with GitLab CI's
variables as defaults (:meth:`regiodocs.cms.Backend.from_environment`).
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .. import cms
from .state import get_state, has_state

logger = logging.getLogger(__name__)

CMS_DIST = Path("node_modules") / "decap-cms" / "dist"
CMS_SCRIPT = "decap-cms.js"
SETTINGS = ("backend", "repo", "branch", "base_url", "api_root", "app_id", "site_url")

INDEX_HTML = """<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Web-Editor – {project}</title>
</head>
<body>
  <noscript>Der Web-Editor braucht JavaScript. Alternativ: Beitrag als Datei einreichen
  (siehe CONTRIBUTING.md).</noscript>
  {script}
</body>
</html>
"""
MISSING_HTML = (
    "<p>Der Web-Editor ist in dieser Ausgabe nicht enthalten: beim Bau fehlte "
    "<code>node_modules/decap-cms</code> (einmal <code>npm ci</code> ausführen).</p>"
)


def setup_publishing(app: Sphinx) -> None:
    app.add_config_value("regiodocs_cms", True, "", types=(bool, str))
    for name in SETTINGS:
        app.add_config_value(f"regiodocs_cms_{name}", "", "", types=(str,))
    app.connect("build-finished", publish_extras)


def backend(app: Sphinx) -> cms.Backend:
    values = {name: str(getattr(app.config, f"regiodocs_cms_{name}") or "") for name in SETTINGS}
    values["name"] = values.pop("backend")
    return cms.Backend.from_environment(**values)


def publish_extras(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    cms.write_schemas(outdir / "schemas")
    enabled = app.config.regiodocs_cms
    if isinstance(enabled, str):
        enabled = enabled.strip().lower() not in ("0", "false", "nein", "no")
    if not enabled or not has_state(app):
        return
    admin = outdir / "admin"
    admin.mkdir(exist_ok=True)
    content = get_state(app).content
    _write(admin / "config.yml", cms.dump(cms.config(content, backend(app))))
    dist = Path(app.confdir) / CMS_DIST
    if (dist / CMS_SCRIPT).is_file():
        _vendor(dist, admin)
        script = f'<script src="{CMS_SCRIPT}"></script>'
    else:
        logger.info("regiodocs: Web-Editor ohne Decap CMS gebaut (%s fehlt; npm ci ausführen).", dist)
        script = MISSING_HTML
    _write(admin / "index.html", INDEX_HTML.format(project=app.config.project, script=script))


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
