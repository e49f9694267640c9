"""Strict YAML: YAML 1.2 core scalars, no tags, no aliases, positions kept.

PyYAML's ``safe_load`` follows YAML 1.1 (``no`` is ``False``, ``0123`` is 83,
dates become ``datetime.date``) and keeps the last of two duplicate keys. Here
the C parser composes the node tree with our own YAML 1.2 core resolver, and a
small walk turns nodes into plain Python values while recording where each
value and key stands in the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import yaml
from yaml.resolver import BaseResolver

try:  # the C parser (libyaml) is much faster; fall back to the pure-Python one
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the libyaml build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_DEPTH = 20
#: Longest number scalar, in characters: far beyond any sensible value (10^12 has 13
#: digits), far below Python's limit for turning digits into an ``int`` (4,300).
MAX_NUMBER_LENGTH = 50

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

# YAML 1.2 core schema, but numbers with leading zeros stay strings (content
# model) and booleans are true/false in any case.
_INT = re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+)$"
)  # .inf and .nan stay strings: JSON has no place for them
_BOOL = re.compile(r"^(?i:true|false)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")


class _CoreResolver(BaseResolver):
    pass


_CoreResolver.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    (BOOL, _BOOL, "tTfF"),
    (INT, _INT, "-+0123456789"),
    (FLOAT, _FLOAT, "-+0123456789."),
    (NULL, _NULL, ["~", "n", "N", ""]),
):
    _CoreResolver.add_implicit_resolver(_tag, _regexp, list(_first))


class _Loader(_Parser, _CoreResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _CoreResolver.__init__(self)


Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Pos:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Parsed:
    """A YAML document as plain data, with positions for every value and key."""

    data: object
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)
    #: Where the lines of a text value stand: ``(offset in the value, line, column)``, one entry per
    #: source line that holds some of its text (a block scalar's text starts below its key).
    texts: dict[Path, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)

    def text_position(self, path: Path, offset: int) -> Pos:
        """Where the character at ``offset`` of the text value at ``path`` stands in the file."""
        segments = self.texts.get(tuple(path))
        if not segments:
            return self.position(path)
        starts = [start for start, _line, _column in segments]
        start, line, column = segments[max(0, bisect.bisect_right(starts, offset) - 1)]
        return Pos(line, column + max(0, offset - start))

    def position(self, path: Path, *, key: bool = False) -> Pos:
        """Where ``path`` stands; falls back to the nearest known parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Pos(1, 1))


#: Characters no text may hold: C0 control characters and DEL (TAB, LF and CR lay out lines), the C1
#: range of old code pages (NEL included: YAML would read it as a line break), the line and
#: paragraph separators (U+2028/9: lines that are none for anyone else), the bidirectional
#: overrides and isolates (they reorder what a reader sees: "Trojan Source") and the
#: noncharacters (XML, hence XLSX, cannot hold U+FFFE/U+FFFF).
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BEL (Signalton)", 0x08: "BS (Rückschritt)", 0x0B: "VT (vertikaler Tabulator)",
    0x0C: "FF (Seitenvorschub)", 0x1B: "ESC (Escape)", 0x7F: "DEL (Löschzeichen)",
    0x85: "NEL (Zeilenende eines alten Zeichensatzes)", 0x2028: "ein Zeilentrenner",
    0x2029: "ein Absatztrenner", 0x202E: "eine Umkehr der Schreibrichtung",
    0xFFFE: "ein Nicht-Zeichen", 0xFFFF: "ein Nicht-Zeichen",
}  # fmt: skip


def control_message(char: str) -> str:
    """The German message about a control character in a text."""
    code = f"U+{ord(char):04X}"
    name = _CONTROL_NAMES.get(ord(char))
    if name is None and (0x202A <= ord(char) <= 0x202E or 0x2066 <= ord(char) <= 0x2069):
        name = "eine Steuerung der Schreibrichtung"
    shown = f"{name}, {code}" if name else code
    return (
        f"Hier steht ein unsichtbares Steuerzeichen ({shown}). Es kommt oft beim Kopieren aus einem "
        "anderen Programm mit und macht Tabellen und Exporte unbrauchbar. Löschen Sie es (in YAML auch "
        "eine Schreibweise wie `\\e` oder `\\v` in Anführungszeichen)."
    )


class YamlError(Exception):
    """A problem reading YAML. ``kind`` names the check code family."""

    def __init__(self, kind: str, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.kind = kind  # syntax | duplicate | tag | limit | number | control
        self.message = message
        self.line = line
        self.column = column


def _pos(node: yaml.Node, offset: int) -> Pos:
    mark = node.start_mark
    return Pos(mark.line + 1 + offset, mark.column + 1)


def parse(text: str, *, line_offset: int = 0) -> Parsed:
    """Parse one YAML document strictly.

    ``line_offset`` is added to every line (front matter starts below ``---``).
    Raises :class:`YamlError` with a German message.
    """
    control = CONTROL.search(text)
    if control:  # the YAML reader refuses it too, but names no line
        before = text[: control.start()]
        line = before.count("\n") + 1 + line_offset
        raise YamlError(
            "control", control_message(control.group()), line, control.start() - before.rfind("\n")
        )
    if "*" in text:
        _refuse_aliases(text, line_offset)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, line_offset) from None
    except yaml.YAMLError as err:  # pragma: no cover - no mark: rare
        raise YamlError("syntax", f"YAML-Syntaxfehler: {err}", 1 + line_offset) from None
    finally:
        loader.dispose()
    parsed = Parsed(data=None)
    if node is None:
        return parsed
    parsed.values[()] = Pos(1 + line_offset, 1)
    parsed.data = _build(node, (), parsed, offset=line_offset, depth=0, source=text)
    return parsed


def _refuse_aliases(text: str, offset: int) -> None:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise YamlError(
                    "limit",
                    "Anker und Verweise (`&name`, `*name`) sind nicht erlaubt. "
                    "Schreiben Sie den Wert bitte aus.",
                    mark.line + 1 + offset,
                    mark.column + 1,
                )
    except yaml.YAMLError:
        return  # the syntax error is reported by the real parse


def _syntax_error(err: yaml.MarkedYAMLError, offset: int) -> YamlError:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 + offset if mark else 1 + offset
    column = mark.column + 1 if mark else 1
    problem = err.problem or ""
    if "\\t" in problem or "'\\t'" in repr(problem) or "tab" in problem:
        message = "Tabulatorzeichen sind in YAML nicht erlaubt. Rücken Sie bitte mit Leerzeichen ein."
    elif "could not find expected ':'" in problem:
        message = (
            "Hier fehlt ein Doppelpunkt nach dem Feldnamen (`feld: wert`), "
            "oder eine Zeile ist falsch eingerückt."
        )
    elif "mapping values are not allowed" in problem:
        message = (
            "Ein Doppelpunkt steht an einer Stelle, an der er nicht erlaubt ist. "
            'Setzen Sie Texte mit Doppelpunkt bitte in Anführungszeichen ("…").'
        )
    elif "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        close = "]" if "']'" in problem else "}"
        message = (
            f"Eine Liste in eckigen oder geschweiften Klammern ist nicht richtig geschlossen: Einträge "
            f"werden mit Komma getrennt, am Ende steht `{close}`. Texte mit Komma oder Doppelpunkt "
            'setzen Sie in Anführungszeichen ("…").'
        )
    elif "found unexpected end of stream" in problem or "found unexpected end" in problem:
        message = "Ein Anführungszeichen (\"…\" oder '…') wird nicht geschlossen."
    elif "found character that cannot start any token" in problem:
        message = (
            "Ein Wert beginnt mit einem Zeichen, das YAML hier nicht erlaubt (z. B. `@` oder `%`). "
            'Setzen Sie den Wert in Anführungszeichen ("…").'
        )
    else:  # the rest: PyYAML's English words, named as such inside a German sentence
        message = (
            f"Die YAML-Struktur ist fehlerhaft (Meldung des YAML-Lesers: „{problem or err}“). "
            "Prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen."
        )
    return YamlError("syntax", message, line, column)


def _build(node: yaml.Node, path: Path, parsed: Parsed, *, offset: int, depth: int, source: str) -> object:
    if depth > MAX_DEPTH:
        pos = _pos(node, offset)
        raise YamlError(
            "limit",
            f"Die Daten sind tiefer als {MAX_DEPTH} Ebenen verschachtelt.",
            pos.line,
            pos.column,
        )
    parsed.values.setdefault(path, _pos(node, offset))
    if isinstance(node, yaml.MappingNode):
        if node.tag != MAP:
            raise _tag_error(node, offset)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                pos = _pos(key_node, offset)
                raise YamlError("syntax", "Feldnamen müssen einfache Texte sein.", pos.line, pos.column)
            key = _scalar(key_node, offset)
            key_text = str(key) if not isinstance(key, str) else key
            if key_text in result:
                pos = _pos(key_node, offset)
                first = parsed.keys[(*path, key_text)]
                raise YamlError(
                    "duplicate",
                    f"Das Feld `{key_text}` steht doppelt (zuerst in Zeile {first.line}). "
                    "Löschen Sie eine der beiden Zeilen.",
                    pos.line,
                    pos.column,
                )
            child = (*path, key_text)
            parsed.keys[child] = _pos(key_node, offset)
            parsed.values[child] = _pos(value_node, offset)
            result[key_text] = _build(
                value_node, child, parsed, offset=offset, depth=depth + 1, source=source
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != SEQ:
            raise _tag_error(node, offset)
        return [
            _build(item, (*path, index), parsed, offset=offset, depth=depth + 1, source=source)
            for index, item in enumerate(node.value)
        ]
    value = _scalar(node, offset)
    if isinstance(value, str) and value:
        parsed.texts[path] = _segments(node, value, source, offset)
    return value


def _segments(node: yaml.Node, value: str, source: str, offset: int) -> tuple[tuple[int, int, int], ...]:
    """``(offset in value, line, column)`` for each source line of a scalar that holds its text.

    Each line's text is found in the value in order (in a double-quoted scalar: up to its first
    escape, ``\\e``); a line that starts with an escape counts to the line before it.
    """
    start, end = node.start_mark, node.end_mark
    first = (start.line + 1 + offset, start.column + 1)
    if start.line == end.line and node.style not in ("|", ">"):
        quoted = 1 if node.style in ('"', "'") else 0
        return ((0, first[0], first[1] + quoted),)
    found: list[tuple[int, int, int]] = []
    cursor = 0
    for number, line in enumerate(source[start.index : end.index].split("\n")):
        column = start.column if number == 0 else 0
        if number == 0 and node.style in ("|", ">"):
            continue  # the header (`|`, `>-`, a comment): the text starts below
        text = line.lstrip()
        column += len(line) - len(text)
        if number == 0 and node.style in ('"', "'"):
            text, column = text[1:], column + 1
        text = text.rstrip()
        if node.style in ('"', "'") and text.endswith(node.style):
            text = text[:-1]
        if node.style == "'":
            text = text.replace("''", "'")
        if node.style == '"' and "\\" in text:
            text = text.split("\\")[0]  # the part before an escape is as written
        at = value.find(text, cursor) if text else -1
        if at < 0:
            continue
        found.append((at, start.line + 1 + offset + number, column + 1))
        cursor = at + len(text)
    return tuple(found) or ((0, first[0], first[1]),)


def _scalar(node: yaml.Node, offset: int) -> object:
    tag, value = node.tag, node.value
    if tag == STR or tag == "!":
        return value
    if tag == BOOL and _BOOL.match(value):
        return value.lower() == "true"
    if tag == NULL and _NULL.match(value):
        return None
    if tag in (INT, FLOAT) and len(value) > MAX_NUMBER_LENGTH:
        raise _long_number(node, offset)
    if tag == INT and _INT.match(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if tag == FLOAT and _FLOAT.match(value):
        return float(value)  # 1e999 becomes inf: refused by the schema check (RD109)
    raise _tag_error(node, offset)


def _long_number(node: yaml.Node, offset: int) -> YamlError:
    pos = _pos(node, offset)
    return YamlError(
        "number",
        f"Diese Zahl ist {len(node.value)} Zeichen lang; erlaubt sind höchstens "
        f"{MAX_NUMBER_LENGTH}. Schreiben Sie eine gewöhnliche Zahl (z. B. `1200000`) oder, "
        'wenn ein Text gemeint ist, setzen Sie ihn in Anführungszeichen ("…").',
        pos.line,
        pos.column,
    )


def _tag_error(node: yaml.Node, offset: int) -> YamlError:
    pos = _pos(node, offset)
    return YamlError(
        "tag",
        f"Das YAML-Tag `{node.tag}` ist nicht erlaubt. Schreiben Sie nur einfache "
        "Werte, Listen und Felder, ohne `!`-Angaben.",
        pos.line,
        pos.column,
    )
