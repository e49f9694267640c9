"""regiodocs' settings as every front door reads them: one place, one meaning.

- :func:`as_bool`: a setting's string (``-D regiodocs_intern=1``, ``ja``, ``false``) as a
  boolean; anything else is refused, never guessed.
- :func:`build_date`: ``regiodocs_heute`` or ``SOURCE_DATE_EPOCH`` or today.
- :func:`project_root`: the folder with ``conf.py`` a command works on.
- :func:`conf_values`: values of ``conf.py`` with ``-D`` overrides, read by Sphinx's own
  configuration reader (``sphinx.config.Config.read``) – regiodocs never executes
  ``conf.py`` itself. Sphinx is imported only there.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

TRUE_WORDS = frozenset({"1", "true", "ja", "yes", "on", "an"})
FALSE_WORDS = frozenset({"0", "false", "nein", "no", "off", "aus"})


def as_bool(value: object, *, name: str = "Die Einstellung") -> bool:
    """``value`` as a boolean: ``True``/``False``, 1/0, or one of :data:`TRUE_WORDS`/:data:`FALSE_WORDS`.

    Any other value raises :class:`ValueError` with a German message naming ``name``
    (a typo in ``regiodocs_sicher`` must not turn safe mode off, nor on).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"{name} erwartet ja oder nein (1/0, true/false), nicht `{value}`.")


def build_date(heute: str | None = None) -> dt.date:
    """The build date: ``heute`` (YYYY-MM-DD) if given, else ``SOURCE_DATE_EPOCH``, else today."""
    if heute:
        return dt.date.fromisoformat(heute)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def project_root(cwd: Path | None = None) -> Path:
    """The current folder if it has a ``conf.py``, else the checkout regiodocs runs from."""
    here = cwd if cwd is not None else Path.cwd()
    return here if (here / "conf.py").exists() else Path(__file__).resolve().parent.parent


def conf_values(
    project_root: Path,
    defaults: Mapping[str, Any],
    *,
    overrides: Mapping[str, str] | None = None,
    tags: Sequence[str] = (),
) -> dict[str, Any]:
    """The values named in ``defaults`` as the build sees them: ``-D`` override, conf.py or default.

    Sphinx's :class:`~sphinx.config.Config` reads ``conf.py`` (with ``tags``) and resolves
    overrides exactly as ``sphinx-build`` does; unknown names are declared with their default
    first, like an extension's ``add_config_value``.
    """
    from sphinx.config import Config
    from sphinx.util.tags import Tags

    config = Config.read(project_root, overrides=dict(overrides or {}), tags=Tags(tags))
    for name, default in defaults.items():
        if name not in config.values:
            config.add(name, default, "env", (type(default), str))
    return {name: config[name] for name in defaults}


def safe_mode(project_root: Path, overrides: Mapping[str, str] | None = None) -> bool:
    """Safe mode as conf.py (or a ``-D regiodocs_sicher=…`` override) sets it; default on."""
    value = conf_values(project_root, {"regiodocs_sicher": True}, overrides=overrides)["regiodocs_sicher"]
    return as_bool(value, name="regiodocs_sicher")
