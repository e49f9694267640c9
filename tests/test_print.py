"""The print edition of the shipped handbook, judged in the PDF WeasyPrint wrote.

The fixtures of test_editions.py are short; the shipped records are long enough for a record's
heading to fall near a page end, which is where a contents page number can go wrong.
"""

from __future__ import annotations

import re
import statistics
from typing import Any

import pypdf
import pytest

from conftest import ROOT, run_regiodocs


def outline_pages(reader: pypdf.PdfReader, outline: list[Any]) -> list[tuple[str, int]]:
    """(bookmark title, page number from 1) for every bookmark, nested ones too, in order."""
    found: list[tuple[str, int]] = []
    for item in outline:
        if isinstance(item, list):
            found += outline_pages(reader, item)
        else:
            found.append((" ".join(str(item.title).split()), reader.get_destination_page_number(item) + 1))
    return found


@pytest.fixture(scope="module")
def shipped_pdf(tmp_path_factory: pytest.TempPathFactory) -> pypdf.PdfReader:
    target = tmp_path_factory.mktemp("druck") / "handbuch.pdf"
    run_regiodocs("druck", "--heute", "2026-12-01", "--ziel", str(target), "-j", "1", check=True)
    return pypdf.PdfReader(target)


def test_each_contents_page_number_is_the_page_its_record_heading_is_on(shipped_pdf: pypdf.PdfReader):
    reader = shipped_pdf
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    contents = pages[1]
    assert "Inhaltsverzeichnis" in contents
    numbers = [int(n) for n in re.findall(r"\b(\d{1,3})\b", contents.split("Inhaltsverzeichnis")[0])]
    # the records are the bookmarks one level below the record types, in print order
    bookmarks = outline_pages(reader, reader.outline)
    titles = _printed_titles()
    starts = [next(page for title, page in bookmarks if title == wanted) for wanted in titles]
    assert numbers == starts, list(zip(titles, numbers, starts, strict=False))


def _printed_titles() -> list[str]:
    """The public records' titles in print order, as `regiodocs druck` selects them."""
    from regiodocs import loading
    from regiodocs.editions import pdf, records

    content = loading.load(ROOT / "content")
    content = content[0] if isinstance(content, tuple) else content
    return [" ".join(r.title.split()) for r in pdf.Selection().select(records.records(content))]


def test_no_page_is_half_empty_and_the_back_cover_is_the_colophon(shipped_pdf: pypdf.PdfReader):
    pages = [" ".join(page.extract_text().split()) for page in shipped_pdf.pages]
    inner = pages[2:-1]  # between the contents and the back cover
    median = statistics.median(len(page) for page in inner)
    short = [number for number, page in enumerate(inner, 3) if len(page) < 0.5 * median]
    assert short == [], f"pages less than half as full as the others: {short}"
    assert not any("Lage in der Region" in page for page in pages)  # no map on paper: no heading either
    back = pages[-1]
    assert back.startswith("Impressum dieser Druckfassung"), back
    assert "Herausgegeben von RegioNetzWerk" in back and "Stand: 01.12.2026" in back
    assert "CC BY 4.0" in back and "creativecommons.org/licenses/" in back
    assert "Copyright" not in back  # not sphinx-simplepdf's copyright line alone


def test_records_of_a_type_are_printed_in_the_order_a_reader_counts():
    from regiodocs.editions.pdf import _natural

    titles = ["Quartier 10", "Quartier 2", "quartier 1", "Ärztehaus", "Quartier 1b"]
    expected = ["Ärztehaus", "quartier 1", "Quartier 1b", "Quartier 2", "Quartier 10"]
    assert sorted(titles, key=_natural) == expected
