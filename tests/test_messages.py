"""Mistakes contributors make get German messages at file:line, not the tools' English."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from regiodocs import checks

from conftest import FIXTURES, ROOT, TODAY

FRONT = "---\ntitel: Hinweise\n---\n\n"
CASES = {
    # name: (body, line of the finding, German words it must hold)
    "anzahl-null": (":::{regio-liste}\n:anzahl: 0\n:::\n", 6, "`:anzahl:` der Direktive `regio-liste`"),
    "darstellung": (
        ":::{regio-liste}\n:darstellung: liste\n:::\n",
        6,
        'erlaubt sind "karten" oder "tabelle"',
    ),
    "fussnote": (
        "Text.\n\n[^a]: Eine Fußnote ohne Verweis.\n",
        7,
        "Eine Fußnote wird im Text nicht verwendet",
    ),
    "argument-fehlt": ("```{admonition}\nText\n```\n", 5, "Der Direktive `admonition` fehlt ihr Argument"),
    "bild-ohne-datei": ("```{image}\n```\n", 5, "Der Direktive `image` fehlt ihr Argument"),
    "zeilenangabe": (
        "```{code-block} python\n:emphasize-lines: x\nprint(1)\n```\n",
        5,
        "Die Zeilenangabe `x` ist ungültig",
    ),
    "tabellenzeilen": (
        "```{list-table}\n* - a\n  - b\n* - c\n```\n",
        5,
        "hat Zeile 2 nicht so viele Zellen wie die erste (1 statt 2)",
    ),
    "keine-tabelle": ("```{table} Titel\nnur Text\n```\n", 5, "In `table` steht genau eine Tabelle"),
    "zu-viele-argumente": (
        "```{code-block} yaml Beispiel\na: 1\n```\n",
        5,
        "steht in derselben Zeile nur ein Wert (z. B. die Sprache eines Code-Blocks), hier stehen 2",
    ),
    "raster": ("```{grid} 1 2 3\n```\n", 5, "1 oder 4 Spaltenzahlen"),
}
ENGLISH = ("must be positive", "unknown; choose", "is not referenced", "Invalid option", "did not find")
#: English words no German message holds (Sphinx's and docutils' own wording)
ENGLISH_WORDS = re.compile(
    r"\b(the|must|should|expected|required|supplied|allowed|invalid|error|found|none|directive|parsing|"
    r"spec|row|items|values?)\b",
    re.IGNORECASE,
)


def _check(tmp_path: Path, name: str, text: str) -> list:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    (content / "seiten" / f"{name}.md").write_text(text, encoding="utf-8")
    result = checks.check(content, ROOT, today=dt.date.fromisoformat(TODAY))
    return [f for f in result.errors if f.file.endswith(f"{name}.md")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_mistake_in_a_body_is_reported_in_german(tmp_path: Path, name: str) -> None:
    body, line, expected = CASES[name]
    found = _check(tmp_path, name, FRONT + body)
    assert len(found) == 1, found
    assert found[0].line == line
    assert expected in found[0].message
    assert not any(word in found[0].message for word in ENGLISH), found[0].message
    assert not ENGLISH_WORDS.search(found[0].message), found[0].message


def test_an_unclosed_yaml_list_is_explained_in_german(tmp_path: Path) -> None:
    found = _check(tmp_path, "liste", "---\ntitel: Hinweise\nreihenfolge: [1, 2\n---\n\nText.\n")
    assert [f.code.value for f in found] == ["RD003"]
    assert "nicht richtig geschlossen" in found[0].message
    assert not any(word in found[0].message for word in ENGLISH), found[0].message


def test_an_image_with_a_caption_as_content_is_explained_in_german(tmp_path: Path) -> None:
    found = _check(
        tmp_path, "bild", FRONT + "```{image} /medien/fehlt.png\n:alt: Plan\nBildunterschrift\n```\n"
    )
    markup = [f for f in found if f.code.value == "RD303"]
    assert [f.line for f in markup] == [5], found
    assert "Die Direktive `image` darf keinen Inhalt haben" in markup[0].message
    assert not ENGLISH_WORDS.search(markup[0].message), markup[0].message
