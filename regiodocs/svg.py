"""SVG graphics from contributions: what would make one unsafe to publish.

An SVG file is a document, not a picture: opened on its own (or through a link
to the media file) a browser runs its scripts, event attributes and links, and
fetches what it references. :func:`problems` parses the file with defusedxml
(no DTD, no entities, nothing external) and walks it in one pass; every reason
is German and names its line. The rules, each refusing:

- no DTD (``<!DOCTYPE …>``), no entities, well-formed XML, ``<svg>`` outermost;
- no ``script``, ``foreignObject``, ``handler`` or XHTML element, in any namespace;
- no event attribute (``on…``, any case);
- ``href``, ``xlink:href`` and ``src`` (any namespace) only as a local fragment
  (``#kennung``), so ``<use>``, ``<image>``, ``<a>``, ``<feImage>`` … never point outside;
- no ``set``/``animate…`` whose ``attributeName`` is a link or an event attribute;
- in ``style`` elements and every SVG attribute value (not the inert metadata of
  editors such as ``inkscape:…``): ``url(…)`` only to ``#…``, no
  ``@import``, no ``javascript:``/``vbscript:``, no ``expression(``, ``-moz-binding``
  or ``behavior`` and no CSS escapes (``\\``) that could hide them;
- no ``<?xml-stylesheet …?>``.
"""

from __future__ import annotations

import re
from typing import Any

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml import ElementTree as _defused

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: Reasons are capped: a hostile file can hold thousands of the same problem.
MAX_REASONS = 20

_ELEMENTS = {
    "script": "SVG-Grafiken dürfen kein Skript enthalten",
    "foreignobject": "es bettet HTML in die Grafik ein",
    "handler": "es führt Skript aus",
    "listener": "es verbindet Ereignisse mit Skript",
}
_ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion", "animatecolor"}
_LINKS = {"href", "src"}
_URL = re.compile(r"url\s*\(\s*(['\"]?)([^'\")]*)", re.IGNORECASE)
_CSS_RULES = (
    (re.compile(r"@import", re.IGNORECASE), "`@import` lädt fremde Stile nach"),
    (re.compile(r"image-set\s*\(|image\s*\(|cross-fade\s*\(", re.IGNORECASE),
     "`image-set(…)`, `image(…)` und `cross-fade(…)` laden Bilder"),
    (re.compile(r"(?:https?:)?//", re.IGNORECASE), "eine Adresse (`//…`) lädt etwas von außerhalb"),
    (re.compile(r"expression\s*\(", re.IGNORECASE), "`expression(…)` führt Skript aus"),
    (re.compile(r"-moz-binding|behavior\s*:", re.IGNORECASE),
     "Bindungen (`-moz-binding`, `behavior`) führen Skript aus"),
    (re.compile(r"\\"), "CSS-Escapes (`\\`) sind nicht erlaubt, weil sie Verweise verstecken können"),
)  # fmt: skip
_SCHEMES = re.compile(r"(?:java|vb)script:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\x00-\x1f]+")
_FIX = "Speichern Sie die Grafik ohne Skripte und fremde Verweise (z. B. als „Optimiertes SVG“) oder als PNG."


def problems(data: bytes) -> list[str]:
    """Why the SVG ``data`` is unsafe to publish, in German (``Zeile N: …``); empty means safe."""
    return [f"Zeile {line}: {reason}" if line else reason for line, reason in located(data)]


def located(data: bytes) -> list[tuple[int, str]]:
    """The same reasons as :func:`problems` as ``(line, reason)``; line 0: the whole file."""
    scan = _Scan()
    parser = _defused.DefusedXMLParser(
        target=scan, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    scan.parser = parser
    try:
        parser.feed(data)
        parser.close()
    except DTDForbidden:
        scan.add(
            "Die Grafik enthält eine Dokumenttyp-Angabe (`<!DOCTYPE …>`, oft mit Entitäten "
            "`<!ENTITY …>`). Das ist nicht erlaubt: Entfernen Sie die `<!DOCTYPE …>`-Angabe oder "
            "speichern Sie die Grafik als „Optimiertes SVG“.",
            line=False,
        )
    except EntitiesForbidden:
        scan.add(
            "Die Grafik definiert Entitäten (`<!ENTITY …>`). Das ist nicht erlaubt, weil sie "
            "Daten nachladen oder aufblähen können. Speichern Sie die Grafik ohne sie.",
            line=False,
        )
    except DefusedXmlException:
        scan.add("Die Grafik verweist auf externe Daten oder Entitäten. " + _FIX, line=False)
    except _defused.ParseError as err:
        line, column = getattr(err, "position", (0, 0))
        scan.add(
            f"Die Datei ist kein gültiges SVG (XML-Fehler in Zeile {line}, Spalte {column + 1}). "
            "Speichern Sie sie im Grafikprogramm neu als SVG.",
            line=False,
        )
    except Exception as err:  # expat: unknown encodings and the like; never a traceback
        scan.add(f"Die Datei kann nicht als SVG gelesen werden ({type(err).__name__}). {_FIX}", line=False)
    else:
        if scan.root is None:
            scan.add("Die Datei enthält keine Grafik (kein `<svg>`-Element).", line=False)
    return scan.reasons


def _split(name: str) -> tuple[str, str]:
    """``{namespace}local`` → (namespace, local)."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _short(value: str, limit: int = 60) -> str:
    text = _INVISIBLE.sub(" ", value).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Scan:
    """The parser's target: checks every element, attribute, text of ``<style>`` and PI."""

    def __init__(self) -> None:
        self.parser: Any = None
        self.reasons: list[tuple[int, str]] = []
        self.root: str | None = None
        self.depth = 0
        self.style_depth = 0
        self.style_text: list[str] = []
        self.style_line = 0

    # ------------------------------------------------------------ reporting

    def line(self) -> int:
        expat = getattr(self.parser, "parser", None)
        return int(getattr(expat, "CurrentLineNumber", 0) or 0)

    def add(self, reason: str, *, line: bool | int = True) -> None:
        found = (self.line() if line is True else int(line), reason)
        if found not in self.reasons and len(self.reasons) < MAX_REASONS:
            self.reasons.append(found)

    # ------------------------------------------------------------ parser target

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        namespace, local = _split(tag)
        name = local.lower()
        if self.depth == 0:
            self.root = local
            if name != "svg" or namespace not in (SVG_NS, ""):
                self.add(
                    f"Die Datei ist keine SVG-Grafik: das äußerste Element ist `<{local}>` statt `<svg>`."
                )
        self.depth += 1
        if name in _ELEMENTS:
            self.add(f"Das Element `<{local}>` ist nicht erlaubt: {_ELEMENTS[name]}. {_FIX}")
        elif namespace == XHTML_NS:
            self.add(f"Das HTML-Element `<{local}>` ist in SVG-Grafiken nicht erlaubt. {_FIX}")
        for key, value in attrs.items():
            self.attribute(local, key, value)
        if name in _ANIMATIONS:
            target = attrs.get("attributeName", "").strip()
            plain = target.rpartition(":")[2].lower()
            if plain in _LINKS or plain.startswith("on"):
                self.add(
                    f'`<{local} attributeName="{_short(target)}">` ist nicht erlaubt: eine Animation '
                    "darf keine Verweise und keine Ereignis-Attribute ändern."
                )
        if name == "style":
            if self.style_depth == 0:
                self.style_line = self.line()
            self.style_depth += 1

    def attribute(self, element: str, key: str, value: str) -> None:
        namespace, local = _split(key)
        shown = f"xlink:{local}" if namespace == "http://www.w3.org/1999/xlink" else local
        name = local.lower()
        if name.startswith("on"):
            self.add(
                f"Das Attribut `{shown}` an `<{element}>` ist nicht erlaubt: Ereignis-Attribute "
                f"(`on…`) führen Skript aus. {_FIX}"
            )
            return
        if name in _LINKS and _SCHEMES.search(_INVISIBLE.sub("", value)):
            self.add(f"`<{element} {shown}>` enthält `javascript:`; das ist nicht erlaubt. {_FIX}")
            return
        if name in _LINKS and not value.strip().startswith("#"):
            self.add(
                f'`<{element} {shown}="{_short(value)}">` verweist aus der Grafik hinaus. Erlaubt sind '
                "nur Verweise innerhalb der Grafik (`#kennung`); eingebettete oder fremde Bilder, "
                f"Links und Schriften nicht. {_FIX}"
            )
            return
        if namespace not in ("", SVG_NS):
            return  # metadata of editors (inkscape:, sodipodi:, …): never interpreted by a browser
        self.css(value, f"Das Attribut `{shown}` an `<{element}>`", line=True)

    def css(self, text: str, where: str, *, line: bool | int) -> None:
        """Rules for style text and attribute values (where CSS and URLs can hide)."""
        for match in _URL.finditer(text):
            target = match.group(2).strip()
            if not target.startswith("#"):
                self.add(
                    f"{where} verweist mit `url({_short(target)})` aus der Grafik hinaus; erlaubt ist "
                    f"nur `url(#kennung)`. {_FIX}",
                    line=line,
                )
        if _SCHEMES.search(_INVISIBLE.sub("", text)):
            self.add(f"{where} enthält `javascript:`; das ist nicht erlaubt. {_FIX}", line=line)
        for pattern, reason in _CSS_RULES:
            if pattern.search(text):
                self.add(f"{where} ist nicht erlaubt: {reason}. {_FIX}", line=line)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if _split(tag)[1].lower() == "style":
            self.style_depth -= 1
            if self.style_depth == 0:
                self.css("".join(self.style_text), "Der Stil (`<style>`)", line=self.style_line or True)
                self.style_text = []

    def data(self, text: str) -> None:
        if self.style_depth:
            self.style_text.append(text)

    def pi(self, target: str, text: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.add(f"`<?xml-stylesheet …?>` ist nicht erlaubt: es lädt fremde Stile. {_FIX}")

    def close(self) -> None:
        return None
