"""Quality gates: reproducible builds, no network at build time, robustness."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from curriculum.model import load_catalogue, load_curriculum
from curriculum.rules import check_curriculum

from .conftest import copy_sample

#: Real builds of the sample curriculum: the slow tier (`make test`, not `make test-fast`).
pytestmark = pytest.mark.slow

EPOCH = "1700000000"
PARTICIPANT_EN = ("build", "--lang", "en", "--edition", "participant")


def build(project: Path, *args: str, prefix: tuple[str, ...] = (), **env: str) -> subprocess.CompletedProcess[str]:
    command = [*prefix, sys.executable, "-m", "curriculum", *args]
    return subprocess.run(
        command, cwd=project, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env}
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    digests = []
    for name in ("first", "second"):
        project = copy_sample(tmp_path / name)
        result = build(project, *PARTICIPANT_EN)
        assert result.returncode == 0, result.stderr
        digests.append({**tree_digest(project / "_build" / "html"), **tree_digest(project / "_build" / "pdf")})
    first, second = digests
    assert any(name.endswith(".pdf") for name in first) and any(name.endswith(".html") for name in first)
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, differing[:10]


def test_build_needs_no_network(tmp_path: Path) -> None:
    """Build in a network namespace with no interfaces up, then look for remote resources."""
    assert subprocess.run(["unshare", "--net", "true"]).returncode == 0, "cannot create a network namespace"
    project = copy_sample(tmp_path / "offline")
    result = build(project, *PARTICIPANT_EN, "--format", "html", prefix=("unshare", "--net", "--"))
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "_build" / "html" / "en"
    remote = re.compile(
        r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']https?://|url\(\s*["']?https?://|@import\s+["']?https?://"""
    )
    for path in [*site.rglob("*.html"), *site.rglob("*.css"), *site.rglob("*.js")]:
        assert not remote.search(path.read_text(encoding="utf-8", errors="replace")), path


def outputs(project: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Digests of the published site and of each published PDF."""
    pdfs = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (project / "_build" / "pdf").rglob("*.pdf")}
    return tree_digest(project / "_build" / "html" / "en"), pdfs


def test_interrupted_build_leaves_previous_outputs_whole(tmp_path: Path) -> None:
    """Killed at any stage, a build leaves each output old or new, never half-written."""
    project = copy_sample(tmp_path / "project")
    assert build(project, *PARTICIPANT_EN).returncode == 0
    old_site, old_pdfs = outputs(project)
    chapter = project / "handbook" / "about.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    states = []
    for delay in (0.5, 1.5, 3.0, 5.0):  # while Sphinx reads, writes, Typst compiles, files move
        process = subprocess.Popen(
            [sys.executable, "-m", "curriculum", *PARTICIPANT_EN],
            cwd=project,
            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        states.append(outputs(project))
        for pdf in (project / "_build" / "pdf").rglob("*.pdf"):
            assert len(PdfReader(pdf).pages) >= 1, pdf
    assert build(project, *PARTICIPANT_EN).returncode == 0
    new_site, new_pdfs = outputs(project)
    assert new_site != old_site
    for site, pdfs in states:
        assert site in (old_site, new_site), sorted(n for n in site if site[n] != new_site.get(n))[:8]
        assert pdfs.keys() == old_pdfs.keys()
        assert all(digest in (old_pdfs[name], new_pdfs[name]) for name, digest in pdfs.items())


PO_LINES = st.sampled_from(
    [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=utf-8\\n"',
        "#, fuzzy",
        "#: ../../a.md:3",
        'msgid "A {term}`Chair` speaks."',
        'msgstr "يتحدث {term}`الرئيس <Chair>`."',
        'msgstr "بلا دور"',
        'msgid "[link](https://example.org)"',
        'msgstr "[رابط](https://example.org/other)"',
        '"continued"',
        'msgid_plural "%d things"',
        'msgstr[0] "x"',
        '#~ msgid "old"',
        '"unterminated',
        "garbage line",
        "",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(PO_LINES | st.text(max_size=40), max_size=30))
def test_any_catalogue_gets_findings_or_passes(tmp_path_factory, lines: list[str]) -> None:
    root = tmp_path_factory.mktemp("po")
    path = root / "locales" / "ar" / "LC_MESSAGES" / "handbook" / "a.po"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    catalogue = load_catalogue(path, "ar")
    assert all(message.line >= 1 for message in catalogue.messages)
    check_curriculum(load_curriculum(root))  # never raises


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_catalogue_get_findings_or_pass(tmp_path_factory, data: bytes) -> None:
    root = tmp_path_factory.mktemp("pobytes")
    path = root / "locales" / "ar" / "LC_MESSAGES" / "a.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    check_curriculum(load_curriculum(root))
