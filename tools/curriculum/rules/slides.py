"""SLIDE: what a ``{slide}`` block holds fits a slide.

The budget (:data:`curriculum.slides.BUDGET`) is what can be read from the back of a room at
slide size: at most 60 words and 8 lines (paragraphs or list items) a slide, and tables of at
most 6 body rows by 4 columns. Slides the builder makes itself (the fallback, key points,
sources, exercises) keep to it by construction.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..slides import BUDGET, measure_tokens
from .context import Context
from .registry import Finding, check, family, rule
from .samples import in_chapter, slide_block

family("SLIDE", "Slides")

OVERFLOW = rule(
    "SLIDE001",
    "slide-overflows",
    "warning",
    "A `{slide}` block holds more than a slide can show.",
    f"""
    A slide is read from the back of a room: at most {BUDGET.words} words and {BUDGET.lines} lines
    (paragraphs or list items) a slide, tables of at most {BUDGET.rows} rows by {BUDGET.columns}
    columns (table cells are not counted as words). The PDF deck sets an overfull slide in
    smaller type, which the back of the room cannot read.

    **Fix:** keep the slide to the chapter's key sentences or list items, or split it into two
    `{{slide}}` blocks. Mark a shortened selection `:slides-only:` so the chapter keeps its full
    text; reuse the chapter's own sentences, so the translation is reused too.
    """,
    why="The back of the room cannot read an overfull slide, and the PDF deck sets it in smaller type still.",
    example=in_chapter(slide_block(9)),
    fixed=in_chapter(slide_block(3)),
)


@check(OVERFLOW)
def slide_budget(context: Context) -> Iterator[Finding]:
    for chapter in context.chapters():
        for block in context.markup(chapter, "directive"):
            if block.name != "slide":
                continue
            problems = measure_tokens(context.curriculum.parse(block.text)).problems()
            if problems:
                yield OVERFLOW.at(chapter.path, block.position, f"slide '{block.target}' holds {'; '.join(problems)}")
