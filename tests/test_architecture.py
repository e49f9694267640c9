"""ARCHITECTURE.md stays true: its import contracts hold, and its module table matches the code.

- ``.importlinter`` (import-linter) holds the layers and the forbidden imports.
- The table "Modules and what each may import" names every module under ``regiodocs/``, only
  modules that exist, and for each exactly the regiodocs modules and the third-party
  packages it imports (measured with grimp, lazy imports included).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "regiodocs"
DOCUMENT = ROOT / "ARCHITECTURE.md"
SUBPACKAGES = ("editions", "schemas", "search", "sphinxext")

#: How the table names third-party packages → their import names.
EXTERNAL = {
    "PyYAML": "yaml",
    "Jinja2": "jinja2",
    "MarkupSafe": "markupsafe",
    "jsonschema": "jsonschema",
    "defusedxml": "defusedxml",
    "sphinx-autobuild": "sphinx_autobuild",
    "sphinx-design": "sphinx_design",
    "Sphinx": "sphinx",
    "docutils": "docutils",
    "MyST": "myst_parser",
    "markdown-it": "markdown_it",
    "Pygments": "pygments",
    "snowballstemmer": "snowballstemmer",
    "wordfreq": "wordfreq",
    "email-validator": "email_validator",
    "phonenumbers": "phonenumbers",
    "openpyxl": "openpyxl",
    "WeasyPrint": "weasyprint",
    "feedgen": "feedgen",
    "icalendar": "icalendar",
}


def _rows() -> dict[str, tuple[str, str]]:
    """``module`` → (job, may import), from the table in ARCHITECTURE.md."""
    text = DOCUMENT.read_text(encoding="utf-8")
    section = text.split("## Modules and what each may import", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`").removesuffix("/*").removesuffix("/")
        assert name not in rows, f"{name} twice in the table"
        rows[name] = (cells[1], cells[2])
    return rows


def _unit(module: str) -> str:
    """The table row a module belongs to: ``regiodocs.search.index`` → ``search``."""
    parts = module.split(".")
    return "regiodocs" if len(parts) == 1 else parts[1]


def _allowed(cell: str) -> tuple[set[str], set[str]]:
    """Regiodocs modules (dotted, below ``regiodocs``) and import names of third-party packages."""
    internal = set(re.findall(r"`([a-z_][a-z_.]*)`", cell))
    rest = re.sub(r"`[^`]*`", " ", cell)
    external = {
        name for word, name in EXTERNAL.items() if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", rest)
    }
    return internal, external


def _covers(allowed: str, target: str) -> bool:
    """Does a row's ``allowed`` (``search``, ``editions.review``, ``regiodocs``) cover ``target``?"""
    if allowed == "regiodocs":
        return target == "regiodocs"
    return target == f"regiodocs.{allowed}" or target.startswith(f"regiodocs.{allowed}.")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("regiodocs", include_external_packages=True, cache_dir=None)


def test_the_import_contracts_hold():
    # in a process of its own: import-linter configures logging globally, which would silence
    # the warnings of every Sphinx application the later tests start in this process
    command = [str(Path(sys.executable).with_name("lint-imports")), "--config", str(ROOT / ".importlinter")]
    result = subprocess.run([*command, "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 7 kept, 0 broken." in result.stdout


def test_the_table_names_every_module_and_only_modules_that_exist():
    rows = _rows()
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"} | {"regiodocs"}
    modules |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert set(SUBPACKAGES) <= modules
    assert sorted(modules - set(rows)) == [], "modules missing in ARCHITECTURE.md's table"
    assert sorted(set(rows) - modules) == [], "ARCHITECTURE.md's table names modules that do not exist"
    # the modules of a package are named in its row (sphinxext's in its own section)
    text = DOCUMENT.read_text(encoding="utf-8")
    integration = text.split("## Sphinx integration", 1)[1].split("\n## ", 1)[0]
    for package in ("editions", "search", "sphinxext"):
        for path in sorted((PACKAGE / package).glob("*.py")):
            if path.stem == "__init__":
                continue
            if package == "sphinxext":
                assert f"`{path.name}`" in integration, f"{package}/{path.name} not described"
            else:
                assert f"`{path.stem}`" in rows[package][0], f"{package}/{path.name} not in its row"


def test_the_table_says_exactly_what_each_module_imports(graph: grimp.ImportGraph):
    rows = _rows()
    imported: dict[str, set[str]] = {name: set() for name in rows}
    for module in graph.modules:
        if module.split(".")[0] != "regiodocs":
            continue
        unit = _unit(module)
        for target in graph.find_modules_directly_imported_by(module):
            top = target.split(".")[0]
            if top != "regiodocs" and top in sys.stdlib_module_names:
                continue
            if top == "regiodocs" and _unit(target) == unit:
                continue
            imported[unit].add(target)
    wrong = []
    for name, (_job, cell) in sorted(rows.items()):
        internal, external = _allowed(cell)
        actual = imported[name]
        for target in sorted(actual):
            allowed = any(_covers(a, target) for a in internal) or target in external
            if not allowed:
                wrong.append(f"{name} imports {target}, not in its row")
        for a in sorted(internal):
            if not any(_covers(a, t) for t in actual):
                wrong.append(f"{name}: its row names `{a}`, which it does not import")
        for package in sorted(external - actual):
            wrong.append(f"{name}: its row names {package}, which it does not import")
    assert wrong == [], "ARCHITECTURE.md's table is wrong:\n" + "\n".join(wrong)


def test_the_stop_words_are_sphinx_s_german_list():
    """search keeps its own copy (no Sphinx import); it must stay Sphinx's (and suche.js's)."""
    from sphinx.search.de import SearchGerman

    from regiodocs.search import analyse

    assert frozenset(SearchGerman.stopwords) == analyse.STOPWORDS


def test_an_intern_build_passes_its_review_into_sphinx(basis_intern_site: Path):
    """building computes the offline review and hands it over as ``regiodocs_bericht``."""
    review = basis_intern_site.parent / f"{basis_intern_site.name}-arbeit" / "intern" / "bericht.json"
    assert review.is_file()
    assert "Internes Vorhaben Flächentausch" in review.read_text(encoding="utf-8")
