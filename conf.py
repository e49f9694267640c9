# Sphinx configuration of the RegioNetzWerk handbook.
# Content lives in content/ and is turned into pages by the regiodocs extension;
# build with `make html` (= `regiodocs build`), not with sphinx-build directly.

from pathlib import Path

project = "Handbuch RegioNetzWerk"
author = "Geschäftsstelle RegioNetzWerk"
copyright = "RegioNetzWerk, Inhalte unter CC BY 4.0"
language = "de"

extensions = ["myst_parser", "sphinx_design", "regiodocs"]

# regiodocs: content folder and safe mode (only the Geschäftsstelle may change these)
regiodocs_inhalt = "content"
regiodocs_sicher = True

# The web editor (/admin/, Decap CMS): "auto" publishes it only when a GitLab backend is
# configured – regiodocs_cms_repo (project path, "gruppe/projekt" as GitLab shows it) and
# regiodocs_cms_app_id (id of the GitLab OAuth application, PKCE) here, or as CI variables
# (GitLab CI's CI_PROJECT_PATH, REGIODOCS_CMS_APP_ID). True: always (the release refuses it
# unconfigured, RD404); False: never. `regiodocs serve` always starts the local editor.
regiodocs_cms = "auto"

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3
myst_url_schemes = ["http", "https", "mailto", "tel"]  # tel: for the contact boxes
suppress_warnings = ["myst.header"]

root_doc = "index"
templates_path: list[str] = []  # the theme brings its templates (regiodocs/theme/regiodocs)
exclude_patterns: list[str] = []

# The handbook's own theme on KERN UX (regiodocs/theme/regiodocs, vendored from node_modules).
# A sister network sets its colour (hex) here and its logo as html_logo (beside its name).
html_theme = "regiodocs"
html_theme_options = {"farbe": "#1a4f8b"}
html_logo = "templates/marke/regionetzwerk.svg"  # the network's mark beside its name (no text: the name is)
html_title = "Handbuch RegioNetzWerk"
html_short_title = "RegioNetzWerk"
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_permalinks_icon = "¶"
html_use_index = False  # no (empty) Stichwortverzeichnis
html_domain_indices = False

# German strings missing from Sphinx's own catalog (compiled by Sphinx at build time).
locale_dirs = [str(Path(__file__).resolve().parent / "locale")]

# The print edition (`regiodocs druck`, the PDF of `regiodocs release`) is built with the tag
# `druck` and the builder `simplepdf` (sphinx-simplepdf: one HTML page → WeasyPrint, no LaTeX).
# Cover, contents and print stylesheet come with regiodocs; the colours are the handbook's.
if tags.has("druck"):  # noqa: F821 – Sphinx puts `tags` into conf.py's namespace
    from regiodocs.editions.pdf import ASSETS, CSS

    extensions.append("sphinx_simplepdf")
    html_theme_options = {}  # sphinx-simplepdf brings its own theme, without the options above
    html_logo = None  # its sidebar would link the logo to the build folder (file:// in the PDF)
    templates_path.insert(0, str(ASSETS))
    html_static_path = [str(ASSETS / "static")]
    html_css_files = [CSS]
    simplepdf_use_weasyprint_api = True
    simplepdf_vars = {
        "primary": "#1a4f8b",
        "primary-opaque": "rgba(26, 79, 139, .5)",
        "cover-bg": "#1a4f8b",
        "links": "#1a4f8b",
    }
