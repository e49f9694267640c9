"""How a parallel build spreads its pages over worker processes.

Sphinx forks read workers for any number of pages, in small chunks, and each worker sends the
whole environment back pickled for the main process to load and merge. Here a few pages (an
edit) are read in the main process, and many pages in one chunk per worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: Fewer pages than this to read (an edit): read them in this process. Sphinx forks for any
#: number and each worker sends the whole environment back pickled (about a second per worker
#: at 1,000 records), which costs more than reading a few pages.
SERIAL_READ_BELOW = 40


def _read_few_here(app: Any, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: few pages to read are read serially; writing stays parallel."""
    if app.parallel > 1 and len(docnames) < SERIAL_READ_BELOW:
        app._regiodocs_parallel, app.parallel = app.parallel, 1
    _reading[0] = True


def _parallel_again(app: Any, *args: Any) -> None:
    """``env-updated`` (after reading, before writing) and ``build-finished``: ``-j`` as given."""
    _reading[0] = False
    saved = getattr(app, "_regiodocs_parallel", None)
    if saved is not None:
        app.parallel = saved
        app._regiodocs_parallel = None


_reading = [False]  # between env-before-read-docs and env-updated: Sphinx splits pages to read


def read_chunks(original: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    """Sphinx's ``make_chunks`` that gives each read worker one chunk: every ``nproc``-th page.

    Sphinx reads in chunks of about √(pages/workers × 10) pages (73 at 1,000 records), each in
    a new forked process that sends the whole environment back pickled, which the main process
    loads and merges: at 1,000 records 15 environments, a third of the reading time on two
    cores (measured: reading 24.5 s → 16.5 s). Taking every ``nproc``-th page mixes the costly
    overviews and the records evenly over the workers. Writing keeps Sphinx's chunks: there the
    main process resolves a chunk while a worker writes the one before.
    """

    def make_chunks(arguments: Sequence[Any], nproc: int, maxbatch: int = 10) -> list[Any]:
        if not _reading[0] or nproc < 2 or len(arguments) < nproc:
            return original(arguments, nproc, maxbatch)
        return [list(arguments[i::nproc]) for i in range(nproc)]

    make_chunks.regiodocs_chunks = True  # type: ignore[attr-defined]
    return make_chunks


def install_read_chunks() -> None:
    import sphinx.builders

    current = sphinx.builders.make_chunks
    if not getattr(current, "regiodocs_chunks", False):
        sphinx.builders.make_chunks = read_chunks(current)  # type: ignore[assignment]


def setup_workers(app: Any) -> None:
    install_read_chunks()
    app.connect("env-before-read-docs", _read_few_here)
    app.connect("env-updated", _parallel_again, priority=0)
    app.connect("build-finished", _parallel_again, priority=0)
