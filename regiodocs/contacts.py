"""Contact data a planner can trust: e-mail addresses, telephone numbers and web addresses.

Pure functions, no I/O: each ``*_problem`` returns a German reason why a value is
not usable (``None``: it is), so the schema check can say what is wrong at the
value's line. :func:`tel_uri` normalises a German telephone number for a
``tel:`` link (E.164, RFC 3966).

- E-mail: syntax only (``email-validator``, no DNS look-up: a check must work offline).
- Telephone: ``phonenumbers`` with region ``DE`` (``02131 90-0`` is a Neuss number; short
  numbers such as the Behördennummer ``115`` as they are dialled); dashes and narrow spaces
  copied from a letter (``0211 89–0``) count as ``-`` and spaces; letters are refused
  (``phonenumbers`` would read them as a keypad's digits).
- Web addresses: parsed with :func:`urllib.parse.urlsplit`: ``http``/``https`` with a host.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import phonenumbers

REGION = "DE"
#: What a telephone number may be written with: digits, spaces, + ( ) / - and dots.
_PHONE_CHARACTERS = re.compile(r"^[+(0-9][0-9 ()/.\-]*$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)

#: email-validator's English reasons → German (first match wins; {0} is the quoted character).
_EMAIL_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"must have exactly one @-sign|must have an @-sign", "Eine E-Mail-Adresse hat genau ein @."),
        (r"There must be something before the @-sign", "Vor dem @ fehlt der Name des Postfachs."),
        (r"There must be something after the @-sign", "Nach dem @ fehlt die Domain, z. B. `neuss.de`."),
        (r"after the @-sign contains invalid characters: (.+)\.$", "Nach dem @ {0}."),
        (r"invalid characters before the @-sign: (.+)\.$", "Vor dem @ {0}."),
        (r"contains unsafe characters: (.+)\.$", "In der Adresse {0}."),
        (r"after the @-sign is not valid\. It should have a period",
         "Nach dem @ fehlt ein Punkt, z. B. `neuss.de`."),
        (r"two periods in a row", "Zwei Punkte hintereinander sind nicht erlaubt."),
        (r"cannot (?:start|end) with a period",
         "Vor und nach dem @ darf die Adresse nicht mit einem Punkt beginnen oder enden."),
        (r"too long", "Die Adresse ist zu lang."),
        (r"special-use or reserved name", "Diese Domain ist für Tests reserviert und nicht erreichbar."),
        (r"cannot (?:start|end) with a hyphen|cannot have a hyphen",
         "Ein Teil der Domain beginnt oder endet mit einem Bindestrich."),
    )
)  # fmt: skip
_CHARACTER_NAMES = {
    "SPACE": "ein Leerzeichen", "U+0009": "ein Tabulator", "U+00A0": "ein geschütztes Leerzeichen",
    "NO-BREAK SPACE": "ein geschütztes Leerzeichen", "NARROW NO-BREAK SPACE": "ein schmales Leerzeichen",
    "ZERO WIDTH SPACE": "ein unsichtbares Leerzeichen", "SOFT HYPHEN": "ein weiches Trennzeichen",
    "U+202F": "ein schmales Leerzeichen", "U+200B": "ein unsichtbares Leerzeichen",
    "','": "ein Komma", "';'": "ein Semikolon",
}  # fmt: skip


def _characters(listing: str) -> tuple[str, int]:
    """email-validator's list of characters (``',', SPACE, U+0009``) in German, and how many."""
    names = []
    for item in (part.strip() for part in listing.split(", ")):
        if item in _CHARACTER_NAMES:
            names.append(_CHARACTER_NAMES[item])
        elif item.startswith("U+") or (item.isupper() and len(item) > 1):
            names.append("ein unsichtbares Sonderzeichen")
        else:
            names.append(f"`{item[1:-1] if len(item) >= 3 and item[0] == item[-1] == chr(39) else item}`")
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]
    return text, len(names)


@functools.cache
def _email() -> ModuleType:
    """email-validator, imported on first use (compiling its patterns costs a check of one file)."""
    import email_validator

    return email_validator


@functools.cache
def _phones() -> ModuleType:
    """phonenumbers, imported on first use."""
    import phonenumbers

    return phonenumbers


def email_problem(address: str) -> str | None:
    """Why ``address`` is not a valid e-mail address (syntax only), in German; ``None``: valid."""
    try:
        _email().validate_email(address, check_deliverability=False)
    except _email().EmailNotValidError as err:
        reason = str(err)
        for pattern, text in _EMAIL_REASONS:
            match = pattern.search(reason)
            if match:
                if match.groups():
                    names, count = _characters(match.group(1))
                    verb = "steht ein unerlaubtes Zeichen" if count == 1 else "stehen unerlaubte Zeichen"
                    german = text.format(f"{verb}: {names}")
                else:
                    german = text
                break
        else:
            german = "Prüfen Sie die Schreibweise."
        if address != address.strip():
            german += " Am Anfang oder Ende steht ein Leerzeichen zu viel."
        local, at, domain = address.strip().rpartition("@")
        guess = f"{local}@{domain.replace(',', '.')}"
        if at and "," in domain and "@" not in local and _email_valid(guess):
            german += f" Meinten Sie `{guess}`?"
        return german
    return None


def _email_valid(address: str) -> bool:
    try:
        _email().validate_email(address, check_deliverability=False)
    except _email().EmailNotValidError:
        return False
    return True


#: Typographic variants a number copied from a letter or a web page has: dashes, narrow spaces.
_TYPOGRAPHY = str.maketrans({"\u2013": "-", "\u2012": "-", "\u2011": "-", "\u2010": "-",
                             "\u00a0": " ", "\u202f": " ", "\u2009": " "})  # fmt: skip


def _plain(number: str) -> str:
    return number.strip().translate(_TYPOGRAPHY)


def _parsed_phone(number: str) -> phonenumbers.PhoneNumber | None:
    text = _plain(number)
    if not _PHONE_CHARACTERS.match(text):
        return None
    try:
        parsed = _phones().parse(text, REGION)
    except _phones().NumberParseException:
        return None
    if _short(text, parsed):
        return parsed
    if sum(c.isdigit() for c in text) < 5:
        return None
    return parsed if _phones().is_valid_number(parsed) else None


def _digits(text: str) -> str:
    """A short number's digits: ``116 117`` → ``116117`` (written with spaces or dashes)."""
    return re.sub(r"[ \-/.]", "", text)


def _short(text: str, parsed: phonenumbers.PhoneNumber) -> bool:
    """A German short number dialled as it is: 115 (Behördennummer), 116 117, 110, 112."""
    digits = _digits(text)
    return (
        digits.isdigit() and len(digits) <= 6 and _phones().is_valid_short_number_for_region(parsed, REGION)
    )


def phone_problem(number: str) -> str | None:
    """Why ``number`` is not a telephone number that can be dialled, in German; ``None``: it is."""
    text = _plain(number)
    if not _PHONE_CHARACTERS.match(text):
        return (
            "Eine Telefonnummer besteht aus Ziffern (mit Leerzeichen, `-`, `/`, Klammern oder `+` "
            "gegliedert); Buchstaben und Zusätze wie „Zentrale“ gehören in `funktion`."
        )
    if _parsed_phone(text) is None:
        return (
            "Diese Nummer gibt es so nicht (zu kurz, zu lang oder ohne gültige Vorwahl). Schreiben Sie "
            "sie mit Vorwahl, z. B. `02131 90-0` oder `+49 2131 90-0`."
        )
    return None


def phone_e164(number: str) -> str | None:
    """``02131 90-0`` → ``+492131900`` (E.164); a German short number as it is dialled (``115``,
    ``116117``: no E.164 form); ``None`` if it is no valid telephone number."""
    parsed = _parsed_phone(number)
    if parsed is None:
        return None
    if _short(_plain(number), parsed):
        return _digits(_plain(number))
    return _phones().format_number(parsed, _phones().PhoneNumberFormat.E164)


def tel_uri(number: str) -> str | None:
    """The ``tel:`` link of a telephone number (RFC 3966, E.164): ``02131 90-0`` → ``tel:+492131900``.

    ``None`` if the number is not valid (the check refuses it, so published records always
    have one). Meant for the page plan (site) and the templates' contact box.
    """
    e164 = phone_e164(number)
    if e164 is None:
        return None
    # a short number is local (RFC 3966: with its context, the country)
    return f"tel:{e164}" if e164.startswith("+") else f"tel:{e164};phone-context=+49"


def _private(host: str) -> bool:
    """An address of a private or link-local network (IPv4 or IPv6), or the name ``localhost``."""
    import ipaddress

    if host.lower().rstrip(".") == "localhost" or host.lower().rstrip(".").endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    # a loopback address (127.0.0.1) is left alone: link checks are tested against local servers
    return (address.is_private or address.is_link_local or address.is_reserved) and not address.is_loopback


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable web address, in German; ``None``: ``http(s)://`` with a valid host."""
    if url != url.strip() or any(c.isspace() for c in url):
        return "Eine Webadresse enthält keine Leerzeichen oder Zeilenumbrüche."
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port  # raises ValueError for a port that is no number or out of range
    except ValueError:
        return "Die Adresse lässt sich nicht lesen (Klammern oder Port nach dem Doppelpunkt prüfen)."
    del port
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme and re.match(r"(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/|$)", url, re.IGNORECASE):
            return f"Meinten Sie `https://{url}`?"
        return "Erlaubt sind nur Adressen, die mit https:// oder http:// beginnen."
    host = parts.hostname or ""
    if not host:
        return "Nach https:// fehlt der Name der Website, z. B. `https://www.neuss.de/`."
    if parts.username is not None or parts.password is not None:
        return (
            "Die Adresse enthält Anmeldedaten (`name:passwort@`). Sie gehören nie in einen Link: "
            "löschen Sie den Teil vor dem @."
        )
    if _private(host):
        return (
            f"`{host}` ist eine Adresse eines internen Netzes (Intranet): Leser:innen außerhalb "
            "erreichen sie nicht. Verlinken Sie eine öffentliche Seite."
        )
    if "\\" in url:
        return "Eine Webadresse enthält keinen umgekehrten Schrägstrich (`\\`); gemeint ist `/`."
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return f"Der Name der Website `{host}` ist ungültig."
    if host.startswith("[") or ":" in host:  # an IPv6 literal
        return None
    labels = ascii_host.rstrip(".").split(".")
    if len(labels) < 2:
        return f"Der Name der Website `{host}` ist unvollständig: es fehlt die Endung, z. B. `{host}.de`."
    if not all(_HOST_LABEL.match(label) for label in labels):
        return (
            f"Der Name der Website `{host}` enthält unerlaubte Zeichen (z. B. ein Komma statt eines Punkts)."
        )
    return None
