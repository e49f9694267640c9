"""How a parallel build hands pages to its worker processes while writing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sphinx.errors import SphinxParallelError
from sphinx.util.parallel import ParallelTasks, make_chunks

from regiodocs.sphinxext import workers


def test_write_chunks_keep_sphinxs_order_and_end_before_too_many_doctree_bytes(tmp_path: Path):
    sizes = [100] * 40 + [2_500_000] * 7 + [100] * 40 + [9_000_000] + [100] * 5
    pages = [f"seite-{i:03}" for i in range(len(sizes))]
    for page, size in zip(pages, sizes, strict=True):
        (tmp_path / f"{page}.doctree").write_bytes(b"x" * size)
    chunks = workers.read_chunks(make_chunks)
    workers._writing[0] = tmp_path
    try:
        written = chunks(pages, 1)
    finally:
        workers._writing[0] = None
    most = len(make_chunks(pages, 1)[0])
    assert [page for chunk in written for page in chunk] == pages
    assert all(0 < len(chunk) <= most for chunk in written)
    for chunk in written:
        total = sum(sizes[pages.index(page)] for page in chunk)
        assert total <= workers.WRITE_CHUNK_BYTES or len(chunk) == 1, chunk
    # the seven big pages are spread over chunks of at most two
    big = [sum(sizes[pages.index(p)] == 2_500_000 for p in chunk) for chunk in written]
    assert max(big) == workers.WRITE_CHUNK_BYTES // 2_500_000
    assert chunks(pages, 1) == make_chunks(pages, 1)  # not writing: Sphinx's own


def _slow(number: int) -> int:
    time.sleep(0.05)
    return number * 2


def _fails(_number: int) -> int:
    raise RuntimeError("kaputt")


def test_the_main_process_waits_while_a_chunk_is_queued_and_every_result_arrives():
    workers.install_bounded_queue()
    tasks = ParallelTasks(1)
    results: list[int] = []
    waiting: list[int] = []
    for number in range(6):
        tasks.add_task(_slow, number, lambda arg, result: results.append(result))
        waiting.append(len(tasks._precvs_waiting))
    tasks.join()
    assert waiting == [workers.WAITING_CHUNKS] * 6
    assert sorted(results) == [0, 2, 4, 6, 8, 10]


def test_a_task_that_failed_while_the_next_chunk_was_resolved_stops_the_others_and_is_raised():
    workers.install_bounded_queue()
    tasks = ParallelTasks(1)
    with pytest.raises(SphinxParallelError, match="kaputt"):
        tasks.add_task(_fails, 1)
        time.sleep(0.3)  # the main process resolves the next chunk; the failure is in by then
        tasks.add_task(_slow, 2)
        tasks.add_task(_slow, 3)
        tasks.join()
    assert tasks._precvs == {}


def _killed(_number: int) -> int:
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer does
    return 0


def test_a_worker_killed_while_the_next_chunk_was_resolved_is_raised():
    workers.install_bounded_queue()
    tasks = ParallelTasks(1)
    with pytest.raises(EOFError):
        tasks.add_task(_killed, 1)
        time.sleep(0.3)
        tasks.add_task(_slow, 2)
        tasks.join()


def test_a_serial_read_keeps_doctrees_only_within_its_budget_of_file_bytes(tmp_path: Path):
    buffer = workers.ReadBuffer(90)
    cache: dict[str, object] = {}
    for name, size in [("a", 50), ("b", 30), ("c", 10), ("d", 40), ("e", 1)]:
        (tmp_path / f"{name}.doctree").write_bytes(b"x" * size)
        cache[name] = object()  # read, as Sphinx's write_doctree caches it
        buffer.trim(cache, tmp_path)
    assert sorted(cache) == ["a", "b", "c"]  # 50 + 30 + 10 = 90; d or e would pass it
    assert buffer.held == 90
