"""The builder's tests name only their fixtures: the repository's own curriculum is read by
``test_content.py`` alone, so removing that curriculum breaks only its content tests.

The names guarded are the ids of this curriculum's chapters (pages with learning outcomes),
exercises and learning outcomes, and its slug, read from the repository; a name that a fixture curriculum also uses (``statements``,
``glossary``) is the fixture's and is allowed.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from curriculum.model import load_curriculum
from curriculum.project import ProjectError, load_project

from .conftest import ROOT

TESTS = ROOT / "tests"
#: The test modules allowed to read the repository's curriculum.
CONTENT_TESTS = {"test_content.py"}
#: The folders of the tests' own curricula and projects.
FIXTURE_TREES = ("curricula", "fixtures", "roots")


def curriculum_names(root: Path) -> set[str]:
    """The ids of ``root``'s chapters, exercises and learning outcomes, and its slug."""
    curriculum = load_curriculum(root)
    chapters = {id for id, chapter in curriculum.chapters.items() if chapter.learning_outcomes}
    names = {*chapters, *curriculum.exercises, *curriculum.learning_outcomes}
    with contextlib.suppress(ProjectError):  # a fixture without settings has no slug
        names.add(load_project(root).slug)
    return names


def fixture_names() -> set[str]:
    """The names of every curriculum and project among the tests' fixtures."""
    names: set[str] = set()
    for tree in FIXTURE_TREES:
        for handbook in (TESTS / tree).rglob("handbook"):
            if handbook.is_dir():
                names |= curriculum_names(handbook.parent)
    return names


def pattern(name: str) -> re.Pattern[str]:
    """``name`` as an id: a hyphenated name anywhere as a whole token; a one-word name only where
    it is used as an id (quoted, a path part, a file or outcome name), not as an English word."""
    token = re.escape(name)
    suffix = r"(?:-(?:[a-z]{2}|\d+))?"  # a handout's language (draft-en.pdf), an outcome's number
    if "-" in name:
        return re.compile(rf"(?<![\w-]){token}{suffix}(?![\w-])")
    return re.compile(rf"""(?<![\w-]){token}(?=\.(?:md|html|po|pdf)\b|-\d|-[a-z]{{2}}\.)|["'/]{token}{suffix}["'/.]""")


def named(names: set[str], modules: list[Path]) -> list[str]:
    """``module:line: name`` for each guarded name a test module uses."""
    patterns = {name: pattern(name) for name in sorted(names)}
    found = []
    for module in modules:
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{module.name}:{number}: {name}" for name, regex in patterns.items() if regex.search(line)]
    return found


def guarded_names() -> set[str]:
    return curriculum_names(ROOT) - fixture_names()


#: Reading the repository's curriculum: loading, copying or checking the root, or opening its
#: sources (the trainer pages, which document the builder, excepted).
READS = re.compile(
    r"""(?:load_curriculum|copy_sources|check_curriculum|run_curriculum)\(ROOT\b|cwd=ROOT\b"""
    r"""|ROOT / "(?:handbook|exercises|locales)"(?! / "trainer")"""
)


def builder_tests() -> list[Path]:
    return sorted(p for p in TESTS.glob("*.py") if p.name not in CONTENT_TESTS)


def test_no_builder_test_names_the_repository_curriculum() -> None:
    assert not named(guarded_names(), builder_tests()), "use the sample curriculum (tests/curricula/sample) instead"


def test_no_builder_test_reads_the_repository_curriculum() -> None:
    found = [
        f"{module.name}:{number}: {line.strip()}"
        for module in builder_tests()
        if module != Path(__file__)
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1)
        if READS.search(line)
    ]
    assert not found, "build or load the sample curriculum (conftest SAMPLE, copy_sample) instead"


def test_the_guard_sees_the_names(tmp_path: Path) -> None:
    """Not vacuous: a module naming a chapter, an exercise and the slug is reported; English is not."""
    names = {"harbour-talks", "annals", "sea-game", "made-up-course"}
    module = tmp_path / "test_x.py"
    module.write_text(
        'page = "handbook/annals.html"\nhandout = "sea-game-en.pdf"\nslug = "made-up-course"\n'
        "# the annals of the chapter, and the harbour-talkshow draft\n",
        encoding="utf-8",
    )
    assert named(names, [module]) == [
        "test_x.py:1: annals",
        "test_x.py:2: sea-game",
        "test_x.py:3: made-up-course",
    ]
    if any((ROOT / "handbook").glob("*.md")):  # while the repository carries its curriculum
        assert len(guarded_names()) > 30, "the repository's curriculum was not read"
