"""How a parallel build spreads its pages over worker processes.

Sphinx forks read workers for any number of pages, in small chunks, and each worker sends the
whole environment back pickled for the main process to load and merge. Here a few pages (an
edit) are read in the main process, and many pages in one chunk per worker. While writing, the
main process resolves a chunk of pages while a worker writes the one before; here it waits
once a chunk is queued, instead of holding every resolved page of the build at once.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from pathlib import Path
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
    """Sphinx's ``make_chunks`` with chunks for reading and writing cut for these pages.

    Reading: each read worker gets one chunk, every ``nproc``-th page. Sphinx reads in chunks
    of about √(pages/workers × 10) pages (73 at 1,000 records), each in a new forked process
    that sends the whole environment back pickled, which the main process loads and merges: at
    1,000 records 15 environments, a third of the reading time on two cores (measured: reading
    24.5 s → 16.5 s). Taking every ``nproc``-th page mixes the costly overviews and the records
    evenly over the workers.

    Writing: Sphinx's chunks in their order, but a chunk ends before its pickled doctrees pass
    ``WRITE_CHUNK_BYTES``. The main process resolves a chunk while a worker writes the one
    before, so it holds two chunks at once; the overviews sort next to each other (the seven
    partner pages of a 3,000-record build are 2 MB pickled each, tens of MB resolved).
    """

    def make_chunks(arguments: Sequence[Any], nproc: int, maxbatch: int = 10) -> list[Any]:
        if _writing[0] is not None and arguments:
            return _by_size(arguments, len(original(arguments, nproc, maxbatch)[0]), _writing[0])
        if not _reading[0] or nproc < 2 or len(arguments) < nproc:
            return original(arguments, nproc, maxbatch)
        return [list(arguments[i::nproc]) for i in range(nproc)]

    make_chunks.regiodocs_chunks = True  # type: ignore[attr-defined]
    return make_chunks


#: While writing, a chunk's pickled doctrees stay below this (unless one page alone is more).
WRITE_CHUNK_BYTES = 6_000_000

_writing: list[Path | None] = [None]  # the doctree folder, between write-started and the end


def doctree_bytes(doctrees: Path, page: str) -> int:
    """The size of a page's doctree file; 0 if there is none (nothing to hold or read again)."""
    try:
        return (doctrees / f"{page}.doctree").stat().st_size
    except OSError:
        return 0


def _by_size(pages: Sequence[str], most: int, doctrees: Path) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for page in pages:
        bytes_ = doctree_bytes(doctrees, page)
        if chunks[-1] and (size + bytes_ > WRITE_CHUNK_BYTES or len(chunks[-1]) >= most):
            chunks.append([])
            size = 0
        chunks[-1].append(page)
        size += bytes_
    return chunks


def _not_writing(app: Any, *args: Any) -> None:
    """``builder-inited`` and ``build-finished``: not writing (also after an interrupted build)."""
    _writing[0] = None


def _write_started(app: Any, builder: Any) -> None:
    _writing[0] = Path(builder.env.doctreedir)


def install_read_chunks() -> None:
    import sphinx.builders

    current = sphinx.builders.make_chunks
    if not getattr(current, "regiodocs_chunks", False):
        sphinx.builders.make_chunks = read_chunks(current)  # type: ignore[assignment]


# ---------------------------------------------------------------- memory while writing

#: Chunks of resolved pages that may wait for a free write worker. Sphinx queues every chunk
#: at once: the main process resolves faster than one worker writes, so it held the resolved
#: doctrees of most of the build (a 3,000-record build grew from 0.7 to 1.4 GB while writing,
#: and every worker forked from it). With none waiting, the main process still resolves the
#: next chunk while the workers write.
WAITING_CHUNKS = 0


def add_task(
    self: Any, task_func: Callable[..., Any], arg: Any = None, result_func: Callable[..., Any] | None = None
) -> None:
    """``ParallelTasks.add_task`` that returns only when at most ``WAITING_CHUNKS`` tasks wait,
    and raises a task's failure.

    The first lines are Sphinx 9's own. Sphinx's version stops the workers when a task failed
    but carries on without the failure, so a worker that failed (or was killed) while the
    main process resolved the next chunk lost its pages without a word; here it raises.
    """
    tid = self._taskid
    self._taskid += 1
    self._result_funcs[tid] = result_func or (lambda arg, result: None)
    self._args[tid] = arg
    receive, send = multiprocessing.Pipe(False)
    process = multiprocessing.get_context("fork").Process(target=self._process, args=(send, task_func, arg))
    self._procs[tid] = process
    self._precvs_waiting[tid] = receive
    try:
        self._join_one()
        while len(self._precvs_waiting) > WAITING_CHUNKS:
            if not self._join_one():
                time.sleep(0.01)
    except BaseException:
        self.terminate()
        raise


add_task.regiodocs_bounded = True  # type: ignore[attr-defined]


def install_bounded_queue() -> None:
    from sphinx.util.parallel import ParallelTasks

    if not getattr(ParallelTasks.add_task, "regiodocs_bounded", False):
        ParallelTasks.add_task = add_task  # type: ignore[method-assign]


def _forget_pickled_doctree(app: Any, doctree: Any, docname: str) -> None:
    """``doctree-resolved``: drop the doctree's file bytes, which Sphinx's ``get_doctree`` keeps
    for the whole build (160 MB at 3,000 records); a later ``get_doctree`` reads the file again."""
    app.env._pickled_doctree_cache.pop(docname, None)


#: A serial build keeps every doctree it read until it writes it (Sphinx's
#: ``env._write_doc_doctree_cache``): 1.4 GB at 3,000 records. Kept are the first pages read
#: (reading and writing go in sorted order) up to this many bytes of pickled doctree (config
#: ``regiodocs_lesepuffer``); the others are read from their files again when written.
KEEP_READ_BYTES = 40_000_000


class ReadBuffer:
    """The doctrees a serial read keeps for writing, within a budget of doctree file bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.held = 0
        self.kept: set[str] = set()

    def trim(self, cache: dict[str, Any], doctrees: Path) -> None:
        """Account for the pages ``cache`` got since the last call; drop those over budget."""
        for name in [name for name in cache if name not in self.kept]:
            size = doctree_bytes(doctrees, name)
            if self.held + size > self.budget:
                del cache[name]
            else:
                self.kept.add(name)
                self.held += size


def _start_read_buffer(app: Any, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``."""
    app._regiodocs_read_buffer = ReadBuffer(app.config.regiodocs_lesepuffer)


def _trim_read_buffer(app: Any, *args: Any) -> None:
    """``source-read`` (the page before has been read and cached) and ``env-updated``."""
    buffer = getattr(app, "_regiodocs_read_buffer", None)
    if buffer is not None:
        buffer.trim(app.env._write_doc_doctree_cache, Path(app.env.doctreedir))


def setup_workers(app: Any) -> None:
    app.add_config_value("regiodocs_lesepuffer", KEEP_READ_BYTES, "", types=(int,))
    app.connect("env-before-read-docs", _start_read_buffer)
    app.connect("source-read", _trim_read_buffer)
    app.connect("env-updated", _trim_read_buffer)
    install_read_chunks()
    install_bounded_queue()
    app.connect("doctree-resolved", _forget_pickled_doctree)
    app.connect("write-started", _write_started)
    app.connect("builder-inited", _not_writing)
    app.connect("build-finished", _not_writing)
    app.connect("env-before-read-docs", _read_few_here)
    app.connect("env-updated", _parallel_again, priority=0)
    app.connect("build-finished", _parallel_again, priority=0)
