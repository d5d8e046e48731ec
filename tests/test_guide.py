"""The authoring guide's examples are checked: the good ones pass, the broken ones fail as shown.

``handbook/trainer/authoring.md`` marks its examples with a class on a ``{code-block}``
whose caption is the file's path in a curriculum:

- ``:class: checked-example``: a whole file that must pass ``curriculum check``;
- ``:class: checked-broken``: a whole file with mistakes, followed by
- ``:class: checked-findings``: exactly the finding lines the checker prints for it.

The good examples are written together into a copy of the valid fixture project (the
chapter and exercise are listed in its toctree; an agenda keeps the fixture's own day
after the example's days, so the fixture's exercises stay scheduled). Each broken example
is then written over that project, and its findings must be exactly the documented lines.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from curriculum.model import AGENDA_FILE, load_curriculum
from curriculum.report import as_text
from curriculum.rules import RULES, Finding, check_curriculum, load_config

from .conftest import ROOT

GUIDE = ROOT / "handbook" / "trainer" / "authoring.md"
VALID = Path(__file__).parent / "fixtures" / "checker" / "valid"

#: A fenced ``{code-block}`` with its options and body (MyST: options, a blank line, content).
BLOCK = re.compile(
    r"^(?P<fence>`{3,}|~{3,})\{code-block\}[ \t]*(?P<language>[^\n]*)\n"
    r"(?P<options>(?:[ \t]*:[\w-]+:[^\n]*\n)*)"
    r"(?:[ \t]*\n)?"
    r"(?P<body>.*?)"
    r"^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
OPTION = re.compile(r"^[ \t]*:([\w-]+):[ \t]*(.*?)[ \t]*$", re.MULTILINE)
KINDS = ("checked-example", "checked-broken", "checked-findings")
FINDING_LINE = re.compile(r"^\S+:\d+:\d+: [A-Z0-9]+ .+$")


@dataclass(frozen=True)
class Block:
    kind: str
    path: str
    body: str
    line: int  # where the block starts in the guide, for messages

    def __str__(self) -> str:
        return f"authoring.md:{self.line} ({self.path or self.kind})"


def guide_blocks(text: str) -> list[Block]:
    """Every marked code block of the guide, in order."""
    blocks = []
    for match in BLOCK.finditer(text):
        options = dict(OPTION.findall(match["options"]))
        classes = options.get("class", "").split()
        kinds = [c for c in classes if c in KINDS]
        if not kinds:
            continue
        assert len(kinds) == 1, f"a code block has two example classes: {classes}"
        line = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(kinds[0], options.get("caption", ""), match["body"], line))
    return blocks


def split_examples(blocks: list[Block]) -> tuple[list[Block], list[tuple[Block, Block]]]:
    """The good examples, and each broken example paired with the findings that follow it."""
    good: list[Block] = []
    broken: list[tuple[Block, Block]] = []
    pending: Block | None = None
    for block in blocks:
        if block.kind == "checked-findings":
            assert pending is not None, f"{block}: findings without a broken example before them"
            broken.append((pending, block))
            pending = None
            continue
        assert pending is None, f"{pending}: a broken example needs a checked-findings block after it"
        if block.kind == "checked-broken":
            pending = block
        else:
            good.append(block)
    assert pending is None, f"{pending}: a broken example needs a checked-findings block after it"
    return good, broken


BLOCKS = guide_blocks(GUIDE.read_text(encoding="utf-8"))
GOOD, BROKEN = split_examples(BLOCKS)


def write_example(root: Path, block: Block) -> None:
    """Write an example where its caption says; an agenda keeps the fixture's day after its own."""
    assert block.path and not Path(block.path).is_absolute() and ".." not in Path(block.path).parts, (
        f"{block}: the caption must be the file's path in the curriculum"
    )
    text = block.body
    if block.path == AGENDA_FILE:
        assert "\n  - title:" in text, f"{block}: days are expected at two spaces' indentation"
        fixture_days = (VALID / AGENDA_FILE).read_text(encoding="utf-8").split("days:\n", 1)[1]
        text = text.rstrip("\n") + "\n" + fixture_days
    target = root / block.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def list_in_toctree(root: Path, block: Block) -> None:
    """Add an example chapter or exercise to the fixture's toctree, as the guide tells authors to."""
    path = Path(block.path)
    if path.suffix != ".md":
        return
    entry = {"handbook": path.stem, "exercises": f"../exercises/{path.stem}"}.get(path.parent.as_posix())
    if entry:
        index = root / "handbook" / "index.md"
        text = index.read_text(encoding="utf-8")
        if f"\n{entry}\n" not in text:
            index.write_text(text.replace("\nglossary\n", f"\nglossary\n{entry}\n", 1), encoding="utf-8")


def good_project(destination: Path) -> Path:
    root = destination / "project"
    shutil.copytree(VALID, root)
    for block in GOOD:
        write_example(root, block)
        list_in_toctree(root, block)
    return root


def check(root: Path) -> list[Finding]:
    return check_curriculum(load_curriculum(root), load_config(root))


def finding_lines(findings: list[Finding]) -> list[str]:
    """The lines ``curriculum check`` prints for ``findings``, without its summary line."""
    return as_text(findings, 0).splitlines()[:-1]


# --- the guide's examples -------------------------------------------------------------------


def test_the_guide_has_every_kind_of_example() -> None:
    paths = [Path(block.path) for block in GOOD]
    assert any(p.parent.as_posix() == "handbook" and p.suffix == ".md" for p in paths), "no example chapter"
    assert any(p.parent.as_posix() == "exercises" for p in paths), "no example exercise"
    assert AGENDA_FILE in {p.as_posix() for p in paths}, "no example agenda"
    assert any(p.suffix == ".po" for p in paths), "no example catalogue"
    assert len(paths) == len(set(paths)), "two good examples for the same file"
    assert len(BROKEN) >= 3, "the guide shows at least three broken examples"


def test_good_examples_pass_the_checker(tmp_path: Path) -> None:
    root = good_project(tmp_path)
    assert finding_lines(check(root)) == []


def test_the_example_exercise_is_scheduled_and_practises_the_example_outcomes(tmp_path: Path) -> None:
    """Zero findings could also mean an example was not read: make sure each one counted."""
    curriculum = load_curriculum(good_project(tmp_path))
    for block in GOOD:
        path = Path(block.path)
        if path.parent.as_posix() == "exercises":
            exercise = curriculum.exercises[path.stem]
            assert exercise.exercise_id == path.stem and exercise.sections, block
            scheduled = {item.ref for day in curriculum.agenda.days for item in day.items if item.kind == "exercise"}
            assert path.stem in scheduled, f"{block}: not in the example agenda"
        elif path.parent.as_posix() == "handbook" and path.suffix == ".md":
            assert curriculum.chapters[path.stem].learning_outcomes, f"{block}: declares no learning outcome"
    catalogues = {c.path.relative_to(curriculum.root).as_posix(): c for c in curriculum.catalogues}
    for block in GOOD:
        if block.path.endswith(".po"):
            assert any(m.string for m in catalogues[block.path].messages), f"{block}: translates nothing"


@pytest.mark.parametrize(("broken", "documented"), BROKEN, ids=[f"line-{b.line}-{b.path}" for b, _ in BROKEN])
def test_broken_example_gives_the_documented_findings(broken: Block, documented: Block, tmp_path: Path) -> None:
    expected = [line for line in documented.body.splitlines() if line.strip()]
    assert expected, f"{documented}: no findings documented"
    assert all(FINDING_LINE.match(line) for line in expected), f"{documented}: not all lines are findings"
    root = good_project(tmp_path)
    write_example(root, broken)
    list_in_toctree(root, broken)
    assert finding_lines(check(root)) == expected


# --- the guide itself -----------------------------------------------------------------------


def test_the_guide_names_only_existing_rules() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"\b(?:FILE|FM|SEC|REF|AG|TIME|SAFE|A11Y|PO)\d{3}\b", text))
    assert named and named <= set(RULES), sorted(named - set(RULES))
