"""What a build prints: what a contributor needs, not the tools' internals."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, copy_tree, run_regiodocs


def test_a_build_prints_progress_and_result_but_no_configuration_dumps(tmp_path: Path) -> None:
    content = copy_tree("basis", tmp_path / "content")
    out = tmp_path / "html"
    args = ["build", "--inhalt", str(content), "--ziel", str(out), "--arbeit", str(tmp_path / "arbeit")]
    result = run_regiodocs(*args, "-j", "1", "-D", f"regiodocs_heute={TODAY}")
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert "regiodocs: Handbuch gebaut:" in log
    assert "reading sources" in log  # Sphinx's progress stays
    assert "myst v" not in log  # MyST's whole configuration, once per build
    assert "MdParserConfig" not in log
    assert "Writing evaluated template result" not in log
