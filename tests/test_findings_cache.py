"""The checker's findings are kept between runs while nothing they come from changes
(curriculum.findings): ``make`` checks once, and the builds that follow read them back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from curriculum.findings import FILE, cached_findings
from curriculum.model import load_curriculum
from curriculum.rules import check_curriculum, load_config

from .conftest import copy_sample, run_curriculum


def test_findings_are_read_back_until_a_source_changes(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "course")
    runs = []

    def check() -> list:
        runs.append(1)
        return check_curriculum(load_curriculum(root), load_config(root))

    first = cached_findings(root, check)
    assert cached_findings(root, check) == first and len(runs) == 1
    # the same size, written at once: only the content tells the edit apart
    chapter = next((root / "handbook").glob("*.md"))
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("a", "b", 1), encoding="utf-8")
    assert (root / FILE).is_file()
    cached_findings(root, check)
    assert len(runs) == 2
    (root / FILE).write_text("{not json", encoding="utf-8")  # unreadable: checked again
    cached_findings(root, check)
    assert len(runs) == 3


@pytest.mark.slow
def test_a_build_after_check_reports_the_findings_check_kept(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "course")
    assert run_curriculum(root, "check").returncode == 0
    kept = (root / FILE).read_text(encoding="utf-8")
    # a finding that only the kept file holds: the build reports it, so it read the file
    planted = kept.replace(
        '"findings": []',
        '"findings": [{"path": "handbook/index.md", "line": 1, "column": 1, '
        '"code": "SEC001", "name": "planted", "severity": "error", "message": "PLANTED"}]',
    )
    assert planted != kept, kept[:200]
    (root / FILE).write_text(planted, encoding="utf-8")
    result = run_curriculum(root, "build", "--lang", "en", "--edition", "participant", "--format", "html")
    assert result.returncode != 0 and "PLANTED" in result.stdout + result.stderr


#: Run in a process of its own: check_ahead forks, and starts nothing while other threads run
#: (as pytest's may, once a browser has been started).
AHEAD = """
import sys, time
from pathlib import Path
from curriculum.findings import Finding, cached_findings, check_ahead, reap

root = Path(sys.argv[1])
planted = Finding(Path("handbook/index.md"), 1, 1, "SEC001", "planted", "error", "PLANTED")

def slow_check():
    time.sleep(1)  # long enough for the reader below to arrive first
    return [planted]

def never():
    raise AssertionError("checked again instead of waiting for the check started ahead")

child = check_ahead(root, slow_check)
assert child is not None, "no check started"
assert cached_findings(root, never) == [planted]
reap(child)
assert check_ahead(root, slow_check) is None, "started again though kept"
print("waited")
"""


def test_a_check_started_ahead_is_waited_for_not_repeated(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "course")
    result = subprocess.run([sys.executable, "-c", AHEAD, str(root)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "waited", result.stderr
