"""The site's static files are copied again only when they changed (curriculum.sphinxext.assets)."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest

from curriculum.sphinxext.assets import unless_copied

from .conftest import copy_sample
from .test_shared_reads import build_site


def test_a_copy_with_its_sources_size_and_time_is_not_made_again(tmp_path: Path) -> None:
    copied: list[str] = []

    def copyfile(source: Path, dest: Path, **options: object) -> None:
        copied.append(dest.name)
        dest.write_bytes(source.read_bytes())
        os.utime(dest, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns))

    source, dest = tmp_path / "theme.css", tmp_path / "copy.css"
    source.write_text("a { color: red }")
    copy = unless_copied(copyfile)
    copy(source, dest)  # no copy yet
    copy(source, dest)  # the copy is current
    assert copied == ["copy.css"]
    source.write_text("a { color: blue }")  # same size, a new time
    copy(source, dest)
    assert copied == ["copy.css", "copy.css"] and dest.read_text() == "a { color: blue }"


@pytest.mark.slow  # builds the sample's site twice
def test_a_rebuild_does_not_read_the_static_files_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_sample(tmp_path / "course")
    build_site(project, "en", "participant", tmp_path / "site", None)
    compared: list[str] = []
    compare = filecmp.cmp

    def spy(first: str, second: str, shallow: bool = True) -> bool:
        compared.append(os.path.basename(second))
        return compare(first, second, shallow)

    monkeypatch.setattr(filecmp, "cmp", spy)
    chapter = next((project / "handbook").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    build_site(project, "en", "participant", tmp_path / "site", None)
    assert (tmp_path / "site" / "_static" / "curriculum.css").is_file()
    assert compared == []
