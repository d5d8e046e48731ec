"""STYLE: participant text states facts, not the authors' research trail."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Audience, Document, Exercise
from .context import Context
from .registry import Finding, check, family, rule
from .samples import glossary

family("STYLE", "Content style")

#: Phrases that tell readers how the authors searched, not what is known.
TRAIL = re.compile(
    r"\b(stored cop(?:y|ies)|could not (?:confirm|find|verify)|secondary source|not (?:been )?verified|"
    r"\[?unverified\]?|the copy we read)\b",
    re.IGNORECASE,
)
CODE = re.compile(r"`+[^`]*`+")
#: Blocks only trainers read; the trail may be named there, briefly.
TRAINER_BLOCKS = frozenset({"trainer-note", "activity"})

RESEARCH_TRAIL = rule(
    "STYLE001",
    "research-trail",
    "warning",
    "Participant text describes the authors' research instead of stating the fact.",
    """
    Participants need the fact, the date it was true and its source, not the search that
    found it: `stored copy`, `could not confirm`, `secondary source`, `[UNVERIFIED]`
    (phrases in code, like these, are not prose and are not flagged).
    Chapters (outside `{trainer-note}` and `{activity}` blocks) and the participant sections
    of exercises are checked.

    **Fix:** state the fact with the month and year it was true ("as of April 2025") and its source; where a point is
    genuinely unconfirmed, say so once, briefly, in a `{trainer-note}` or in the references.
    """,
    why="Participants need the fact, when it was true and its source; the authors' search for it only casts doubt.",
    example=glossary("The start times come from a stored copy of last year's programme."),
    fixed=glossary("The start times are those of the programme of June 2026."),
)


def trainer_lines(context: Context, document: Document) -> set[int]:
    """The lines of ``document`` only trainers read."""
    lines: set[int] = set()
    for block in context.markup(document):
        if block.kind == "directive" and block.name in TRAINER_BLOCKS:
            end = (block.body_line or block.line) + block.text.count("\n") + 1
            lines.update(range(block.line, end + 1))
    if isinstance(document, Exercise):
        for section in document.sections:
            spec = section.spec
            span = document.section_lines(section.title)
            if spec is not None and spec.audience is Audience.TRAINER and span is not None:
                last = document.markdown.file.text.count("\n") + 1  # the last section runs to the end
                lines.update(range(span.start, min(span.stop, last + 1)))
    return lines


@check(RESEARCH_TRAIL)
def research_trail(context: Context) -> Iterator[Finding]:
    for document in context.documents():
        if "trainer" in document.path.relative_to(context.curriculum.root).parts[:-1]:
            continue  # pages only the trainer edition has
        hidden = trainer_lines(context, document) | context.code_lines(document)
        lines = document.markdown.file.text.split("\n")
        body_start = 0  # the front matter, between two '---' lines, is not prose
        if lines and lines[0].strip() == "---":
            body_start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        for number, text in enumerate(lines, 1):
            if number <= body_start or number in hidden:
                continue
            prose = CODE.sub(lambda code: " " * len(code[0]), text)  # code spans are not prose
            for match in TRAIL.finditer(prose):
                yield RESEARCH_TRAIL.at(
                    document.path,
                    (number, match.start() + 1),
                    f"'{match[0]}' in participant text: state the fact, its date and its source",
                )
