"""Every rule's documented example fires it, and the files under "Use instead" correct it.

Each rule carries an ``example`` (files that make it fire) and ``fixed`` (the same files
corrected), shown by ``curriculum check --explain`` and the rules page. Both are written
over a new curriculum (``curriculum init``, English and French) and checked in-process:
the example must raise the rule; the corrected files must not, nor anything the example
did not (most leave the curriculum clean; a new file may still lack its toctree entry).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum import source
from curriculum.init import create
from curriculum.model import load_curriculum
from curriculum.rules import RULES, Finding, check_curriculum, load_config
from curriculum.rules.registry import Samples

#: Rules no file can trigger, and how the test makes them fire instead.
#: FILE005: no input is known to crash the installed Markdown parser (a crash is its bug),
#: so the parser is made to fail on the example's text, as it would on a real crash.
SIMULATED = {"FILE005"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("base") / "course"
    create(root, "Training Curriculum", ["en", "fr"])
    return root


def curriculum_with(base: Path, destination: Path, samples: Samples) -> Path:
    """A copy of the new curriculum with ``samples`` written over it."""
    shutil.copytree(base, destination)
    for sample in samples:
        target = destination / sample.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(sample.text.encode(sample.encoding))
    return destination


def check(root: Path) -> list[Finding]:
    return check_curriculum(load_curriculum(root, cached=False), load_config(root))


def lines(findings: list[Finding]) -> list[str]:
    return [f"{f.path.as_posix()}:{f.line}: {f.code} {f.message}" for f in findings]


@pytest.fixture
def crash_on_examples(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Markdown parser fails on the text of the simulated rules' examples."""
    texts = [sample.text for code in SIMULATED for sample in RULES[code].example]
    real = source.markdown_parser

    class Crashing:
        def __init__(self) -> None:
            self.parser = real()

        def parse(self, text: str) -> object:
            if any(text.strip() and text.strip() in example for example in texts):
                raise RecursionError("maximum recursion depth exceeded")
            return self.parser.parse(text)

    monkeypatch.setattr(source, "markdown_parser", Crashing)
    yield


def test_the_new_curriculum_is_clean(base: Path) -> None:
    assert check(base) == []


@pytest.mark.usefixtures("crash_on_examples")
@pytest.mark.parametrize("code", list(RULES))
def test_example_fires_and_use_instead_is_clean(code: str, base: Path, tmp_path: Path) -> None:
    rule = RULES[code]
    assert rule.example and rule.fixed, f"{code} needs an example and the files to use instead"
    example = check(curriculum_with(base, tmp_path / "example", rule.example))
    assert code in {f.code for f in example}, f"{code}'s example does not fire it: {lines(example)}"
    fixed = check(curriculum_with(base, tmp_path / "fixed", rule.fixed))
    assert code not in {f.code for f in fixed}, f"{code}'s 'Use instead' still fires it: {lines(fixed)}"
    # the correction brings no mistake of its own (a new exercise may still need its agenda slot)
    before = {(f.path, f.code) for f in example}
    new = [f for f in fixed if (f.path, f.code) not in before]
    assert not new, f"{code}'s 'Use instead' brings new findings: {lines(new)}"
