"""Jinja2 for MyST: every ``{{ value }}`` is escaped for Markdown.

Templates produce MyST Markdown (with sphinx-design directives), which the
Sphinx integration parses like any page. Values from contributions are data,
never markup: ``finalize`` backslash-escapes Markdown punctuation in every
printed value, unless it is marked safe with :class:`markupsafe.Markup`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$:\"'&=%@/])")


def md_escape(value: object) -> str:
    """Escape a plain value so that MyST shows it literally, on one line."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    text = " ".join(str(value).split())
    return _PUNCT.sub(r"\\\1", text)


def markdown_text(value: object) -> Markup:
    """A value as literal Markdown text (one line): what ``|e`` means in these templates."""
    return Markup(md_escape(value))


def _finalize(value: object) -> Markup:
    # With autoescape on, Jinja returns macro output as Markup; everything else
    # printed is data and is escaped here for Markdown (not for HTML).
    if isinstance(value, Markup):
        return value
    return Markup(md_escape(value))


def join(values: object, separator: str = "") -> Markup:
    """``join`` that escapes each item for Markdown (Jinja's escapes for HTML)."""
    escaped_separator = _PUNCT.sub(r"\\\1", separator)
    return Markup(escaped_separator).join(
        v if isinstance(v, Markup) else Markup(md_escape(v)) for v in values or ()
    )


def date_de(value: object) -> str:
    """``2026-03-15`` → ``15.03.2026``; ``2025-04`` → ``04/2025``; ``2025`` → ``2025``."""
    text = str(value or "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text).strftime("%d.%m.%Y")
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text[5:7]}/{text[:4]}"
    return text


def number_de(value: object) -> str:
    """German number format: 1.234,5."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        # two decimals, or as many significant digits as a small value needs (0,0001 stays 0,0001)
        digits = 2 if abs(value) >= 0.01 else min(12, 1 - int(f"{abs(value):e}".split("e")[1]) + 1)
        text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def xref(kind: str, target: str) -> Markup:
    """A link to a regiodocs object by id; the title is filled in when resolved."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", target):
        return Markup(md_escape(target))
    return Markup(f"{{regio:{kind}}}`{target}`")


def role_text(value: object) -> Markup:
    """Text placed inside a role or directive option: one line, no backticks or angle brackets."""
    text = " ".join(str(value or "").split())
    return Markup(re.sub(r"[`<>]", "", text))


def option(value: object) -> Markup:
    """A directive option's value: one line, double-quoted as YAML reads it (``"Zitat"`` stays)."""
    return Markup(json.dumps(" ".join(str(value or "").split()), ensure_ascii=False))


def partner_name(pid: str, names: dict[str, str]) -> str:
    return names.get(pid, pid)


def weblink(text: object, url: str) -> Markup:
    """A link to an external page; only http(s) (the check refuses anything else)."""
    if not re.match(r"^https?://", str(url)) or re.search(r"[\s\\<>`]", str(url)):
        return Markup(md_escape(text))  # not a link we can write safely (the check refuses it)
    target = str(url).replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return Markup(f"[{md_escape(text)}](<{target}>)")


def code_spans(text: object) -> Markup:
    """Trusted prose (the schemas' descriptions) with its ``code`` spans as code, the rest as text."""
    parts = str(text or "").split("`")
    if len(parts) % 2 == 0:  # an unclosed backtick: all text
        return Markup(md_escape(str(text or "")))
    return Markup(
        "".join(md_escape(part) if i % 2 == 0 else f"``{role_text(part)}``" for i, part in enumerate(parts))
    )


def host(url: object) -> str:
    """``https://www.land.nrw/foerderung/…`` → ``www.land.nrw``: where a long link leads, in short."""
    return urlsplit(str(url or "")).hostname or ""


def spelled_email(address: str) -> str:
    """``a@b.de`` → ``a (at) b (punkt) de``: readable and read aloud, not harvested by bots."""
    local, _, domain = str(address).partition("@")
    return f"{local} (at) {domain.replace('.', ' (punkt) ')}"


def mail(address: str) -> Markup:
    """An e-mail address written for people, not for harvesting bots (pages, exports alike)."""
    return Markup(md_escape(spelled_email(address)))


def download(text: object, path: str) -> Markup:
    return Markup(f"{{download}}`{role_text(text)} </{role_text(path)}>`")


def medien(path: str) -> Markup:
    return Markup(f"/{role_text(path)}")


@cache
def environment(search_path: Sequence[str]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search_path)),
        finalize=_finalize,
        undefined=jinja2.ChainableUndefined,
        autoescape=True,  # macros return Markup; finalize escapes data for Markdown
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date_de=date_de,
        number_de=number_de,
        md=md_escape,
        role_text=role_text,
        option=option,
        partner_name=partner_name,
        join=join,
        host=host,
        code_spans=code_spans,
        # the templates write Markdown, never HTML: `e` escapes for Markdown (one line) too
        e=markdown_text,
        escape=markdown_text,
    )
    env.globals.update(xref=xref, weblink=weblink, mail=mail, download=download, medien=medien)
    return env


def templates_hash(search_path: Sequence[str]) -> str:
    """A hash over every template, so that a template change rebuilds its pages."""
    digest = hashlib.sha256()
    for folder in search_path:
        for path in sorted(Path(folder).rglob("*.j2")):
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
