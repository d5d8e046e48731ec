"""Shared fixtures: the sample curriculum (``tests/curricula/sample``), copied and built once per session.

The builder's tests build the sample, never the repository's own curriculum, whose content has
its tests in ``test_content.py``."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curriculum.build import copy_sources
from curriculum.project import load_project

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
#: The small curriculum made for the builder's tests: en + ar, four chapters, five exercises, two days.
SAMPLE = ROOT / "tests" / "curricula" / "sample"
#: Its slug: the names of its PDFs.
SLUG = load_project(SAMPLE).slug
#: Debian's Chromium, which `.ci/run` installs; Playwright drives it and never downloads a browser.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def copy_sample(destination: Path) -> Path:
    """A copy of the sample curriculum's sources (not its builds) in ``destination``."""
    return copy_sources(SAMPLE, destination)


def run_curriculum(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "curriculum", *args], cwd=project, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample curriculum built in English: both editions, site, PDFs and slides."""
    project = copy_sample(tmp_path_factory.mktemp("sample"))
    result = run_curriculum(project, "build", "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Test projects for ``sphinx.testing`` (``@pytest.mark.sphinx(testroot=...)``)."""
    return ROOT / "tests" / "roots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session (Playwright's sync API allows one driver at a time)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: `pip install -e '.[test]'`", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium`", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
