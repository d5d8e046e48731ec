"""``curriculum new exercise ID`` and ``curriculum new chapter ID``: start a file from a template.

The new file is structurally valid (front matter, title, every required section);
what the author must still write is marked with :data:`PLACEHOLDER`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from string import Template

from .model import CHAPTER_DIR, EXERCISE_DIR, EXERCISE_TYPES, GROUPINGS, KEBAB, PLACEHOLDER, load_curriculum
from .paths import TEMPLATES_DIR

#: The marker in front of every piece of text the author must replace.
KINDS = ("exercise", "chapter")
#: The objective a new exercise names when no chapter declares a learning outcome yet.
NO_OUTCOME = "todo"


class ScaffoldError(Exception):
    """The file cannot be created; the message says why, in one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``curriculum new``."""
    parser.add_argument("kind", choices=KINDS, help="what to create")
    parser.add_argument("id", metavar="ID", help="lowercase kebab-case id, which is also the file name")


def run(args: argparse.Namespace, root: Path) -> int:
    """Create the file, print it and the next steps; 2 with one line on stderr if refused."""
    root = root.resolve()
    try:
        path = create(root, args.kind, args.id)
    except ScaffoldError as error:
        print(f"curriculum new: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"curriculum new: error: cannot write the file: {error}", file=sys.stderr)
        return 2
    relative = path.relative_to(root).as_posix()
    print(f"Created {relative}")
    print("Next steps:")
    for number, step in enumerate(next_steps(args.kind, args.id, relative), 1):
        print(f"  {number}. {step}")
    return 0


def create(root: Path, kind: str, ident: str) -> Path:
    """Write ``exercises/ID.md`` or ``handbook/ID.md`` from its template; returns the path."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}'; use one of {', '.join(KINDS)}")
    if not KEBAB.fullmatch(ident):
        raise ScaffoldError(f"{ident!r} is not a lowercase kebab-case id (for example 'three-minute-statement')")
    root = root.resolve()
    folder = root / (EXERCISE_DIR if kind == "exercise" else CHAPTER_DIR)
    if not (root / CHAPTER_DIR).is_dir():
        raise ScaffoldError(f"'{root}' has no {CHAPTER_DIR}/ folder; run this in the curriculum's folder")
    path = folder / f"{ident}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists")
    text = render(root, kind, ident)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists") from None
    return path


def render(root: Path, kind: str, ident: str) -> str:
    """The template for ``kind`` filled in for ``ident``, in the curriculum at ``root``."""
    curriculum = load_curriculum(root)
    if kind == "exercise":
        if ident in curriculum.exercise_by_id():
            raise ScaffoldError(f"an exercise already declares the id '{ident}'")
        values = {
            "id": ident,
            "type": _default("discussion", EXERCISE_TYPES),
            "types": " | ".join(EXERCISE_TYPES),
            "grouping": _default("small-groups", GROUPINGS),
            "groupings": " | ".join(GROUPINGS),
            "objective": next(iter(curriculum.learning_outcomes), NO_OUTCOME),
        }
    else:
        declared = curriculum.learning_outcomes
        number = 1
        while f"{ident}-{number}" in declared:
            number += 1
        values = {"id": ident, "outcome": f"{ident}-{number}"}
    template = (TEMPLATES_DIR / f"new-{kind}.md").read_text(encoding="utf-8")
    return Template(template).substitute(values)


def next_steps(kind: str, ident: str, relative: str) -> list[str]:
    """What the author does after creating ``relative``."""
    fill = f"Replace every '{PLACEHOLDER}' in {relative} with your text."
    check = "Run 'curriculum check' and fix what it reports; preview with 'curriculum serve'."
    if kind == "exercise":
        return [
            fill,
            f"Add '../{EXERCISE_DIR}/{ident}' to the Exercises toctree in {CHAPTER_DIR}/index.md.",
            f"Schedule it in {CHAPTER_DIR}/agenda.yml: '- exercise: {ident}' (its minutes come from 'duration').",
            check,
        ]
    return [
        fill,
        f"Add '{ident}' to the Chapters toctree in {CHAPTER_DIR}/index.md.",
        f"Give it a slot in {CHAPTER_DIR}/agenda.yml: '- chapter: {ident}' with 'minutes: 30'.",
        "Name its learning outcome in the 'objectives' of an exercise that practises it.",
        check,
    ]


def _default(preferred: str, choices: tuple[str, ...]) -> str:
    return preferred if preferred in choices else choices[0]
