"""FILE: every curriculum file can be read as UTF-8 text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..source import Problem
from .context import Context
from .registry import Finding, Sample, check, family, rule
from .samples import GLOSSARY, glossary

family("FILE", "Files")

BINARY = rule(
    "FILE001",
    "binary-file",
    "error",
    "A curriculum file is binary, not text.",
    """
    Chapters, exercises and the agenda are plain text. The file contains NUL bytes, so it
    is probably an image, a word-processor document or a file damaged on copying.

    **Fix:** replace it with the MyST Markdown (or YAML) text, or move the binary file out
    of `handbook/` and `exercises/`.
    """,
    why="The build cannot read a binary page and fails on it; nor can the checker say what the page should hold.",
    example=Sample("handbook/glossary.md", "%PDF-1.7\n\x00\x00\x00\x00\n"),
    fixed=GLOSSARY,
)
NOT_UTF8 = rule(
    "FILE002",
    "not-utf8",
    "error",
    "A curriculum file is not valid UTF-8 text.",
    """
    Every file must be saved as UTF-8 so that Arabic, accents and typographic quotes survive
    the build. The finding points at the first byte that is not UTF-8.

    **Fix:** open the file in your editor and save it again with the encoding "UTF-8".
    """,
    why=(
        "Sphinx reads every page as UTF-8 and stops at the first byte that is not, so the build fails; "
        "accented letters come out garbled wherever the file is read otherwise."
    ),
    example=Sample(GLOSSARY.path, glossary("Café breaks are in the agenda.").text, encoding="latin-1"),
    fixed=glossary("Café breaks are in the agenda."),
)
EMPTY = rule(
    "FILE003",
    "empty-file",
    "error",
    "A curriculum file is empty.",
    """
    The file has no content (or only blank lines), so it has no front matter and no title.

    **Fix:** write the content, start from `curriculum new exercise ID`, or delete the file.
    """,
    why="An empty page has no title to show in the table of contents, and the build fails on it.",
    example=Sample("handbook/glossary.md", "\n"),
    fixed=GLOSSARY,
)
UNREADABLE = rule(
    "FILE004",
    "unreadable-file",
    "error",
    "A curriculum file cannot be read at all.",
    """
    The file system refused to read the file: a folder named like a page (`exercises/x.md/`),
    a file without read permission, or a broken link.

    **Fix:** give the file read permission, or rename the folder or remove the broken link.
    """,
    why="The build stops on a page it cannot read, so nothing of the book is produced.",
    example=Sample("exercises/warm-up.md/notes.txt", "Ideas for a warm-up exercise.\n"),
    fixed=Sample("handbook/data/warm-up-notes.txt", "Ideas for a warm-up exercise.\n"),
)
UNPARSABLE = rule(
    "FILE005",
    "unparsable-markdown",
    "error",
    "The Markdown parser failed on a file.",
    """
    The file is text, but the MyST parser stopped with an error, so none of its content can
    be checked or built. This is a bug in a parser; the message names its error.

    **Fix:** simplify the construct the error points at (deeply nested lists or quotes are
    the usual cause) and report the file to the builder's maintainers.
    """,
    why="None of the file's content can be checked, and the Sphinx build fails on the same parser error.",
    example=glossary("> " * 40 + "Quoted."),
    fixed=glossary("> Quoted."),
)
RULE_BY_KIND = {
    "binary": BINARY,
    "encoding": NOT_UTF8,
    "empty": EMPTY,
    "unreadable": UNREADABLE,
    "unparsable": UNPARSABLE,
}


def file_problems(path: Path, problems: list[Problem]) -> Iterator[Finding]:
    for problem in problems:
        if problem.kind in RULE_BY_KIND:
            yield RULE_BY_KIND[problem.kind].at(path, (problem.line, problem.column), problem.message)


@check(BINARY, NOT_UTF8, EMPTY, UNREADABLE, UNPARSABLE)
def unreadable_files(context: Context) -> Iterator[Finding]:
    curriculum = context.curriculum
    for document in curriculum.documents:
        yield from file_problems(document.path, document.problems)
    if curriculum.agenda is not None:
        yield from file_problems(curriculum.agenda.path, curriculum.agenda.problems)
    for catalogue in curriculum.catalogues:
        yield from file_problems(catalogue.path, catalogue.problems)
