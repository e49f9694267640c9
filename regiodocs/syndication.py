"""The audit's judges of the written Atom feeds (``.atom``) and calendars (``.ics``).

The build writes both from the typed content through feedgen and icalendar; these judges read
what was written, as the audit reads every HTML page, so that a bug that let a contributed
value through would stop the publication instead of reaching subscribers:

- A feed must be well-formed XML without a DTD or entities (defusedxml); every ``href``,
  ``src`` and ``xml:base`` is a relative link of the handbook or an https/http address
  (:func:`regiodocs.safety.link_allowed` without ``mailto:``); no text construct is HTML, XHTML
  or another markup type (the handbook writes plain text: a reader would render markup).
- A calendar must be UTF-8 with CRLF line ends only (a lone CR or LF is a line a parser may
  split differently: an injected property); every URI property (``URL``, ``ATTACH``, ``IMAGE``,
  ``SOURCE``, ``CONFERENCE``, ``TZURL``) and every ``ALTREP``/``DIR`` parameter is an https/http
  address or relative; no HTML (``X-ALT-DESC``, ``STYLED-DESCRIPTION``, ``FMTTYPE=text/html``).

Pure: bytes in, German reasons out.
"""

from __future__ import annotations

import re

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as _defused

from . import safety

_LINK_ATTRIBUTES = ("href", "src", "{http://www.w3.org/XML/1998/namespace}base")
#: Atom's text constructs (RFC 4287 3.1, 4.1.3): ``type`` says how a reader renders them.
_TEXT_CONSTRUCTS = frozenset({"title", "subtitle", "summary", "content", "rights"})
_URI_PROPERTIES = frozenset({"URL", "ATTACH", "IMAGE", "SOURCE", "CONFERENCE", "TZURL"})
_ONLY = "erlaubt sind nur Seiten des Handbuchs und http(s)-Adressen."
#: Properties whose value a calendar application renders as HTML.
_HTML_PROPERTIES = frozenset({"X-ALT-DESC", "STYLED-DESCRIPTION"})
_NAME = re.compile(r"^([A-Za-z0-9-]+)")


def _web_or_relative(url: str) -> bool:
    return safety.link_allowed(url) and safety.scheme(url) in (None, "http", "https")


def atom_problems(data: bytes) -> list[str]:
    """Why the Atom feed ``data`` must not be published, in German; empty means it may."""
    try:
        root = _defused.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (_defused.ParseError, DefusedXmlException, ValueError):
        return ["Der Feed ist kein sauberes XML oder enthält eine DTD oder Entitäten."]
    found = []
    for element in root.iter():
        tag = str(element.tag).rpartition("}")[2]
        for name in _LINK_ATTRIBUTES:
            value = element.get(name)
            if value is not None and not _web_or_relative(value):
                found.append(
                    f"<{tag}> verweist auf {value!r}: nur Seiten des Handbuchs oder http(s)-Adressen."
                )
        kind = (element.get("type") or "").strip().lower()
        if tag in _TEXT_CONSTRUCTS and ("html" in kind or kind.endswith("xml")):
            found.append(f"<{tag}> enthält HTML: ein Feed des Handbuchs enthält nur Text.")
    return found


def calendar_problems(data: bytes) -> list[str]:
    """Why the iCalendar file ``data`` must not be published, in German; empty means it may."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ["Der Kalender ist nicht UTF-8."]
    found = []
    if re.search(r"\r(?!\n)|(?<!\r)\n", text):
        found.append("Der Kalender hat ein Zeilenende ohne CRLF: eine eingeschleuste Zeile.")
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    for line in unfolded.split("\r\n"):
        name = _NAME.match(line)
        if name is None:
            continue
        prop = name.group(1).upper()
        params, value = _split(line)
        if prop in _HTML_PROPERTIES or re.search(r"FMTTYPE=\"?[^;:\"]*html", params, re.I):
            found.append(f"{prop} enthält HTML: ein Kalender des Handbuchs enthält nur Text.")
        for link in re.findall(r"(?:ALTREP|DIR)=\"([^\"]*)\"", params, re.I):
            if not _web_or_relative(link):
                found.append(f"{prop} verweist auf {link!r}: {_ONLY}")
        if prop in _URI_PROPERTIES and not _web_or_relative(value):
            found.append(f"{prop} verweist auf {value!r}: {_ONLY}")
    return found


def _split(line: str) -> tuple[str, str]:
    """A content line's parameters and value: split at the first ``:`` outside a quoted
    parameter value."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1 :]
    return line, ""
