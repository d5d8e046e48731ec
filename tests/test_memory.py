"""Every process of a build collects garbage at the builder's thresholds (curriculum.memory), and the
processes that build outputs side by side are forked from one that imported Sphinx once."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from curriculum.build import PRELOADED, sphinx_processes
from curriculum.memory import THRESHOLDS

from .conftest import copy_sample


def test_a_build_process_collects_garbage_less_often_than_python_by_default() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", "import gc, curriculum.sphinxrun; print(gc.get_threshold())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip() == str(THRESHOLDS)


def test_the_processes_that_build_outputs_side_by_side_do_too() -> None:
    processes = sphinx_processes(1)  # forked from a server that imported the builder
    try:
        assert processes.submit(gc.get_threshold).result(timeout=120) == THRESHOLDS
    finally:
        processes.shutdown()


def test_the_processes_that_build_outputs_side_by_side_import_sphinx_once() -> None:
    """The server they are forked from has imported every extension an application sets up."""
    assert "curriculum.preload" in PRELOADED
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys, curriculum.preload\n"
                "from sphinx.application import builtin_extensions\n"
                "from curriculum.sphinxconf import EXTENSIONS\n"
                "print(sorted((set(builtin_extensions) | set(EXTENSIONS)) - set(sys.modules)))"
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip() == "[]"


def test_nor_what_their_builders_import_on_first_use() -> None:
    """Typst, pikepdf and the rules reference are there before a builder asks for them."""
    from curriculum.preload import ON_FIRST_USE

    processes = sphinx_processes(1)
    try:
        missing = processes.submit(eval, f"[m for m in {ON_FIRST_USE!r} if m not in __import__('sys').modules]")
        assert missing.result(timeout=120) == []
    finally:
        processes.shutdown()


SHARED_MODEL = """
import sys
from pathlib import Path
from curriculum.build import sphinx_processes

root = Path(sys.argv[1])
ask = f"__import__('curriculum.model', fromlist=['_']).kept_curriculum(__import__('pathlib').Path({str(root)!r}))"
processes = sphinx_processes(1, root)
try:
    before = processes.submit(eval, f"sorted(({ask}).chapters)").result(timeout=120)
    chapter = next((root / "handbook").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\\nOne more line.\\n", encoding="utf-8")
    after = processes.submit(eval, f"{ask} is None").result(timeout=120)
finally:
    processes.shutdown()
print(bool(before), after)
"""


def test_and_they_share_the_model_their_server_loaded_while_the_sources_are_unchanged(tmp_path: Path) -> None:
    """The model is loaded once for every builder forked; a builder after an edit loads its own."""
    project = copy_sample(tmp_path / "course")
    shown = subprocess.run(
        [sys.executable, "-c", SHARED_MODEL, str(project)], capture_output=True, text=True, check=True
    ).stdout
    assert shown.split() == ["True", "True"]
