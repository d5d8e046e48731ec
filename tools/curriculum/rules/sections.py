"""SEC: titles, heading levels and the exercise sections of contract v1."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import ANSWERED_TYPES, CHAPTER_SECTIONS, EXERCISE_SECTIONS, PLACEHOLDER, SECTION_SPECS, Document, Exercise
from .context import Context
from .registry import Finding, check, did_you_mean, family, rule
from .samples import CHAPTER, EXERCISE, changed, retitled

family("SEC", "Sections and headings")

ORDER = {spec.name: rank for rank, spec in enumerate(EXERCISE_SECTIONS)}
CONTRACT = ", ".join(f"'{spec.name}'" for spec in EXERCISE_SECTIONS)

MISSING_SECTION = rule(
    "SEC001",
    "missing-section",
    "error",
    "An exercise lacks a required section.",
    f"""
    Every exercise has `## Instructions`, `## Trainer notes` and `## Debrief`; drafting,
    presentation and quiz exercises also have `## Model answer`. The finding points at the
    exercise's title and names the section and where it goes.

    **Fix:** add the section, in this order: {CONTRACT}.
    """,
    why=(
        "The build sorts each section into the participant or the trainer edition; a missing one leaves a "
        "gap in the handout or in the trainer's handbook."
    ),
    example=changed(EXERCISE, ("\n## Debrief\n\nRead the expectations back.\n", "")),
    fixed=EXERCISE,
)
UNKNOWN_SECTION = rule(
    "SEC002",
    "unknown-section",
    "error",
    "An exercise has a second-level heading the contract does not define.",
    f"""
    The build sorts exercise sections into participant and trainer material by their exact
    names, so an unknown `##` heading cannot be placed (and could leak trainer material).
    The known names are {CONTRACT}.

    **Fix:** correct the name (the message suggests the closest), or make the heading a `###`
    inside one of the known sections.
    """,
    why="A section the build cannot place may end up in the wrong edition: trainer notes in the participants' handout.",
    example=changed(EXERCISE, ("## Debrief", "## Tips\n\nKeep each introduction short.\n\n## Debrief")),
    fixed=changed(EXERCISE, ("## Debrief", "### Tips\n\nKeep each introduction short.\n\n## Debrief")),
)
ORDER_RULE = rule(
    "SEC003",
    "section-order",
    "error",
    "Exercise sections are not in the contract's order.",
    f"""
    Participants and trainers find their way around exercises because the sections always
    come in the same order: {CONTRACT}.

    **Fix:** move the section the message names to its place.
    """,
    why="Readers of the handout and of the trainer's handbook look for each section where every other exercise has it.",
    example=changed(
        EXERCISE,
        ("\n## Debrief\n\nRead the expectations back.\n", ""),
        ("## Trainer notes", "## Debrief\n\nRead the expectations back.\n\n## Trainer notes"),
    ),
    fixed=EXERCISE,
)
EMPTY_SECTION = rule(
    "SEC004",
    "empty-section",
    "error",
    "An exercise section has no content.",
    """
    An empty section prints as a heading with nothing under it.

    **Fix:** write the section, or remove it if it is optional (`Purpose`, `Materials`, and
    `Model answer` for types that do not require one).
    """,
    why=(
        "A heading with nothing under it looks like a printing error and leaves the trainer without what it should say."
    ),
    example=changed(EXERCISE, ("Write each expectation on the flip chart.\n\n", "")),
    fixed=EXERCISE,
)
DUPLICATE_SECTION = rule(
    "SEC005",
    "duplicate-section",
    "error",
    "An exercise has the same section twice.",
    """
    Each contract section appears at most once.

    **Fix:** merge the two sections into one.
    """,
    why="The second copy splits what belongs together, and the handout shows the same heading twice.",
    example=changed(EXERCISE, ("## Trainer notes", "## Instructions\n\nListen to the others.\n\n## Trainer notes")),
    fixed=changed(EXERCISE, ("the course.\n", "the course. Listen to the others.\n")),
)
MISSING_TITLE = rule(
    "SEC006",
    "missing-title",
    "error",
    "A chapter or exercise has no `#` title.",
    """
    The first-level heading is the document's title in the table of contents, the PDF
    bookmarks and the running headers.

    **Fix:** add one line `# Title` after the front matter (for exercises, equal to `title`).
    """,
    why="Without a title the page has no name in the table of contents, the bookmarks or the running headers.",
    example=changed(EXERCISE, ("# Introductions\n\n", "")),
    fixed=EXERCISE,
)
MULTIPLE_TITLES = rule(
    "SEC007",
    "multiple-titles",
    "error",
    "A chapter or exercise has more than one `#` title.",
    """
    A second first-level heading starts a new document in the table of contents and breaks
    the single-page PDF.

    **Fix:** make the extra heading a `##` (or `###`) heading.
    """,
    why="Each `#` heading is an entry of its own in the table of contents, so one page reads as two.",
    example=changed(
        EXERCISE, ("## Trainer notes", "# Round two\n\nSay what you hope to leave with.\n\n## Trainer notes")
    ),
    fixed=changed(
        EXERCISE, ("## Trainer notes", "### Round two\n\nSay what you hope to leave with.\n\n## Trainer notes")
    ),
)
TITLE_MISMATCH = rule(
    "SEC008",
    "title-mismatch",
    "error",
    "An exercise's `#` title is not its front-matter `title`.",
    """
    The agenda, handouts and lists of exercises use the front-matter title; the page shows
    the heading. They must be the same text.

    **Fix:** make the `#` heading and `title:` identical.
    """,
    why=(
        "The agenda and the handout would name the exercise one way and the page another, and readers could "
        "not match them."
    ),
    example=changed(EXERCISE, ("# Introductions", "# Getting to know each other")),
    fixed=retitled("Getting to know each other"),
)
LEVEL_JUMP = rule(
    "SEC009",
    "heading-level-jump",
    "error",
    "A heading skips a level (for example `#` then `###`).",
    """
    Skipped levels break the document outline that screen readers, PDF bookmarks and the
    table of contents rely on.

    **Fix:** use the next level down: `#`, then `##`, then `###`.
    """,
    why="Screen readers, PDF bookmarks and the table of contents show a skipped level as a missing section.",
    example=changed(EXERCISE, ("## Trainer notes", "#### In a large group\n\nSay your name only.\n\n## Trainer notes")),
    fixed=changed(EXERCISE, ("## Trainer notes", "### In a large group\n\nSay your name only.\n\n## Trainer notes")),
)


CHAPTER_SECTION_MISSING = rule(
    "SEC011",
    "missing-chapter-section",
    "error",
    "A chapter lacks `## Introduction`, `## Key points` or `## Sources`.",
    """
    A chapter of the course (a page of `handbook/` that declares `learning_outcomes`) has
    the same frame, so participants always know where to start and what to take away:

    - `# Title`, then `## Introduction` as its first section;
    - the chapter's own sections, named freely;
    - `## Key points`, a short list of what to remember;
    - `## Sources`, last: where the facts come from.

    The index, agenda, glossary, templates, references and trainer pages are not chapters
    and have no required sections. The finding points at the chapter's title.

    **Fix:** add the missing section where the frame puts it.
    """,
    why=(
        "Participants expect every chapter to open with what it is about and to close with what to remember "
        "and its sources."
    ),
    example=changed(CHAPTER, ("\n## Sources\n\n- The course description.\n", "")),
    fixed=CHAPTER,
)
CHAPTER_SECTION_ORDER = rule(
    "SEC012",
    "chapter-section-order",
    "error",
    "A chapter's `## Introduction` is not first, or `## Key points` and `## Sources` do not close it.",
    """
    `## Introduction` is a chapter's first `##` section; `## Key points` and then
    `## Sources` are its last two (see SEC011 for the whole frame).

    **Fix:** move the section the message names to its place.
    """,
    why="A frame whose parts move about no longer tells readers where a chapter starts and what to take from it.",
    example=changed(CHAPTER, ("## Introduction\n", "## The day\n\nOne day of sessions.\n\n## Introduction\n")),
    fixed=changed(CHAPTER, ("## Key points", "## The day\n\nOne day of sessions.\n\n## Key points")),
)


@check(CHAPTER_SECTION_MISSING, CHAPTER_SECTION_ORDER)
def chapter_sections(context: Context) -> Iterator[Finding]:
    first, *closing = CHAPTER_SECTIONS
    for chapter in context.course_chapters():
        if not parsed(chapter):
            continue
        sections = chapter.h2_titles
        names = [h.title for h in sections]
        title = chapter.title
        where = (title.line, 1) if title else (chapter.markdown.body_start, 1)
        missing = [name for name in CHAPTER_SECTIONS if name not in names]
        for name in missing:
            place = {
                first: "as the first '##' section",
                closing[0]: "before '## Sources' at the end",
                closing[1]: "as the last section",
            }[name]
            hint = did_you_mean(name, names)
            yield CHAPTER_SECTION_MISSING.at(
                chapter.path, where, f"the chapter has no '## {name}' section; add it {place}{hint}"
            )
        if missing:
            continue
        expected = {first: 0, closing[0]: len(names) - 2, closing[1]: len(names) - 1}
        for name, index in expected.items():
            found = names.index(name)
            if found != index:
                heading = sections[found]
                place = (
                    "the first '##' section"
                    if name == first
                    else "followed only by '## Sources'"
                    if name == closing[0]
                    else "the last section"
                )
                yield CHAPTER_SECTION_ORDER.at(
                    chapter.path, (heading.line, context.column(chapter, heading.line)), f"'## {name}' must be {place}"
                )
                break


@check(MISSING_TITLE, MULTIPLE_TITLES, LEVEL_JUMP)
def titles_and_levels(context: Context) -> Iterator[Finding]:
    for document in context.documents():
        yield from heading_findings(context, document)


def parsed(document: Document) -> bool:
    """Whether the body was read (it is not when the front matter is left open)."""
    return bool(document.tokens) or not document.problems


def heading_findings(context: Context, document: Document) -> Iterator[Finding]:
    if not parsed(document):
        return
    path = document.path
    titles = [h for h in document.headings if h.level == 1]
    if not titles:
        yield MISSING_TITLE.at(path, (document.markdown.body_start, 1), "no '#' title; add one after the front matter")
    for extra in titles[1:]:
        yield MULTIPLE_TITLES.at(
            path,
            (extra.line, context.column(document, extra.line)),
            f"second '#' title '{extra.title}'; a file has one title (the first is on line {titles[0].line})",
        )
    previous = 1
    for heading in document.headings:
        if heading.level > previous + 1:
            yield LEVEL_JUMP.at(
                path,
                (heading.line, context.column(document, heading.line)),
                f"heading level {heading.level} follows level {previous}; use '{'#' * (previous + 1)} {heading.title}'",
            )
        previous = heading.level


@check(MISSING_SECTION, UNKNOWN_SECTION, ORDER_RULE, EMPTY_SECTION, DUPLICATE_SECTION, TITLE_MISMATCH)
def exercise_sections(context: Context) -> Iterator[Finding]:
    for exercise in context.exercises():
        yield from section_findings(context, exercise)


def section_findings(context: Context, exercise: Exercise) -> Iterator[Finding]:
    if not parsed(exercise):
        return
    path = exercise.path
    title = exercise.title
    declared = exercise.value("title", str)
    if title is not None and declared and declared.strip() != title.title:
        yield TITLE_MISMATCH.at(
            path,
            (title.line, context.column(exercise, title.line)),
            f"title '{title.title}' differs from the front-matter title '{declared.strip()}'",
        )
    seen: dict[str, int] = {}
    latest: str | None = None
    for section in exercise.sections:
        position = (section.line, context.column(exercise, section.line))
        if section.spec is None:
            hint = did_you_mean(section.title, SECTION_SPECS)
            yield UNKNOWN_SECTION.at(path, position, f"unknown section '## {section.title}'{hint}")
            continue
        if section.title in seen:
            yield DUPLICATE_SECTION.at(
                path, position, f"'## {section.title}' appears again (first on line {seen[section.title]})"
            )
            continue
        seen[section.title] = section.line
        if latest is not None and ORDER[section.title] < ORDER[latest]:
            yield ORDER_RULE.at(path, position, f"'## {section.title}' must come before '## {latest}'")
        else:
            latest = section.title
        if section.empty:
            yield EMPTY_SECTION.at(path, position, f"section '## {section.title}' is empty")
    anchor = (title.line, context.column(exercise, title.line)) if title else (exercise.markdown.body_start, 1)
    for spec in EXERCISE_SECTIONS:
        required = spec.required or (spec.name == "Model answer" and exercise.type in ANSWERED_TYPES)
        if required and spec.name not in seen:
            reason = "" if spec.required else f"; {exercise.type} exercises need one"
            yield MISSING_SECTION.at(
                path, anchor, f"missing section '## {spec.name}'{placement(spec.name, seen)}{reason}"
            )


def placement(name: str, present: dict[str, int]) -> str:
    """Where a missing section goes, relative to the sections that are there."""
    before = [n for n in present if ORDER[n] < ORDER[name]]
    after = [n for n in present if ORDER[n] > ORDER[name]]
    if before:
        return f" (after '## {max(before, key=ORDER.__getitem__)}')"
    if after:
        return f" (before '## {min(after, key=ORDER.__getitem__)}')"
    return ""


PLACEHOLDER_TEXT = rule(
    "SEC010",
    "placeholder-text",
    "error",
    f"The file still contains a `{PLACEHOLDER}` placeholder.",
    f"""
    `curriculum new` marks what the author must write with `{PLACEHOLDER}`, in the text and in
    the front matter's comments. A file that still has one is not finished.

    **Fix:** replace each `{PLACEHOLDER}` with the real text (and delete the comment lines that
    list the allowed values, once you have chosen).
    """,
    why="A placeholder left in the text is printed as it is in the handouts and the handbook.",
    example=changed(EXERCISE, ("Say your name", "TODO: say what participants do. Say your name")),
    fixed=EXERCISE,
)


@check(PLACEHOLDER_TEXT)
def placeholders(context: Context) -> Iterator[Finding]:
    marker = re.compile(r"(?<!`)" + re.escape(PLACEHOLDER))  # `TODO:` in code is about the marker
    for document in context.documents():
        code = context.code_lines(document)  # a code block shows the marker, it does not leave one
        for number, line in enumerate(document.markdown.file.text.split("\n"), 1):
            found = marker.search(line)
            if found and number not in code:
                yield PLACEHOLDER_TEXT.at(
                    document.path, (number, found.start() + 1), f"placeholder '{line.strip()[:60]}' left to fill"
                )
