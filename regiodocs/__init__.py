"""regiodocs: the handbook of a regional planning network, validated and built with Sphinx."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point (``extensions = ["regiodocs"]``)."""
    from .sphinxext.extension import setup_extension

    setup_extension(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
