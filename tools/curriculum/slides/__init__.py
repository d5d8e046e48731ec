"""Slide decks: one per chapter, planned from the source, filled from the translated doctree.

The *plan* of a deck (how many slides of which kind) comes from the chapter's Markdown
and the agenda only, so every language has the same slides and the checker can measure
them without running Sphinx. The builder (:mod:`curriculum.sphinxext.slides`) fills the
plan from the chapter's translated doctree.

A deck is, in order:

1. a title slide (book, chapter, edition, date);
2. the learning outcomes;
3. the author's ``{slide}`` blocks, or, in a chapter without any, one slide per H2
   section (the fallback): its first paragraph(s) or its first list, cut to the budget;
4. the "Key points" list, split over as many slides as the budget asks;
5. the "Sources" list, :data:`SOURCES_PER_SLIDE` to a slide;
6. one slide per exercise the agenda schedules after the chapter (until the next
   chapter): title, timing, grouping and the instructions in short.

The budget (:data:`BUDGET`) is what fits at slide size and can be read from the back of
a room: at most 60 words and 8 lines (paragraphs or list items) a slide; tables at most
6 body rows by 4 columns (their cells are not counted as words). Generated slides keep to
it by construction; ``{slide}`` blocks are measured by the checker (SLIDE001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from ..model import WORD, Agenda, Chapter, Curriculum
from ..source import inline_text, markdown_parser


@dataclass(frozen=True)
class Budget:
    words: int = 60
    lines: int = 8
    rows: int = 6
    columns: int = 4


BUDGET = Budget()
#: Sources listed on one slide (titles only fit a slide, not the notes after them).
SOURCES_PER_SLIDE = 6
#: H2 sections the deck shows in its own way (matched on the source's English titles).
KEY_POINTS = "Key points"
SOURCES = "Sources"
SLIDE_DIRECTIVE = re.compile(r"^\{slide\}\s*(.*)$")


@dataclass
class Measure:
    """What a piece of slide content holds, against the budget."""

    words: int = 0
    lines: int = 0
    tables: list[tuple[int, int, int]] = field(default_factory=list)  # (line, body rows, columns)

    def problems(self, budget: Budget = BUDGET) -> list[str]:
        found = []
        if self.words > budget.words:
            found.append(f"{self.words} words (at most {budget.words})")
        if self.lines > budget.lines:
            found.append(f"{self.lines} lines or list items (at most {budget.lines})")
        for _line, rows, columns in self.tables:
            if rows > budget.rows or columns > budget.columns:
                found.append(f"a table of {rows} rows x {columns} columns (at most {budget.rows} x {budget.columns})")
        return found


@dataclass
class SlideBlock:
    """An author's ``{slide}`` block."""

    title: str
    line: int
    column: int
    slides_only: bool
    measure: Measure


@dataclass
class DeckPlan:
    chapter: str
    outcomes: int
    blocks: list[SlideBlock]
    sections: list[str]  # fallback: the H2 titles that get a slide each (when there are no blocks)
    key_points: list[list[int]]  # item indexes of the Key points list, one list per slide
    sources: list[list[int]]
    exercises: list[str]

    @property
    def content_slides(self) -> int:
        return len(self.blocks) if self.blocks else len(self.sections)

    @property
    def count(self) -> int:
        """Slides in the deck: title + outcomes + content + key points + sources + exercises."""
        return (1 + (1 if self.outcomes else 0) + self.content_slides + len(self.key_points)
                + len(self.sources) + len(self.exercises))


def measure_tokens(tokens: list[Token]) -> Measure:
    """Words, lines and tables of MyST block tokens (a ``{slide}`` block's content)."""
    found = Measure()
    in_table = 0
    rows = columns = 0
    table_line = 0
    depth = 0  # list nesting
    for token in tokens:
        if token.type == "table_open":
            in_table, rows, columns = 1, 0, 0
            table_line = (token.map[0] + 1) if token.map else 0
        elif token.type == "table_close":
            found.tables.append((table_line, rows, columns))
            in_table = 0
        elif in_table:
            if token.type == "tbody_open":
                in_table = 2  # body rows from here
            elif token.type == "tr_open" and in_table == 2:
                rows += 1
            elif token.type in {"th_open", "td_open"} and rows == 0 and in_table == 1:
                columns += 1
            continue
        elif token.type in {"bullet_list_open", "ordered_list_open"}:
            depth += 1
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            depth -= 1
        elif token.type == "list_item_open" or (token.type == "paragraph_open" and depth == 0):
            found.lines += 1
        elif token.type in {"fence", "colon_fence"} and token.info.strip().startswith("{"):
            found.lines += 1  # a figure or other block: one line of its own
        if token.type == "inline":
            found.words += len(WORD.findall(inline_text(token)))
    return found


def h2_sections(tokens: list[Token]) -> list[tuple[str, list[Token]]]:
    """The H2 sections of a chapter: title and tokens up to the next H2 (or H1)."""
    sections: list[tuple[str, list[Token]]] = []
    current: list[Token] | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h1", "h2"}:
            current = None
            if token.tag == "h2":
                current = []
                sections.append((inline_text(tokens[index + 1]).strip(), current))
            continue
        if current is not None:
            current.append(token)
    return sections


def top_items(tokens: list[Token]) -> list[int]:
    """Word counts of the items of the first top-level list in ``tokens``."""
    items: list[int] = []
    depth = 0
    for token in tokens:
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            depth += 1
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            depth -= 1
            if depth == 0:
                break
        elif token.type == "list_item_open" and depth == 1:
            items.append(0)
        elif token.type == "inline" and items:
            items[-1] += len(WORD.findall(inline_text(token)))
    return items


def chunk(words: list[int], budget: Budget = BUDGET) -> list[list[int]]:
    """Item indexes grouped into slides of at most ``budget.lines`` items and ``budget.words``
    words (an item longer than the budget gets a slide of its own)."""
    slides: list[list[int]] = []
    total = 0
    for index, count in enumerate(words):
        if not slides or len(slides[-1]) >= budget.lines or total + count > budget.words:
            slides.append([])
            total = 0
        slides[-1].append(index)
        total += count
    return slides


def slide_blocks(chapter: Chapter, parse=None) -> list[SlideBlock]:
    """The ``{slide}`` blocks of a chapter, in order, measured."""
    from ..rules.markup import locate

    parse = parse or markdown_parser().parse
    return [SlideBlock(element.target, element.line, element.column, "slides-only" in element.options,
                       measure_tokens(parse(element.text)))
            for element in locate(chapter, parse) if element.kind == "directive" and element.name == "slide"]


def session_exercises(agenda: Agenda | None, chapter: str) -> list[str]:
    """Exercise ids scheduled after ``chapter`` in the agenda, until the next chapter."""
    if agenda is None:
        return []
    found: list[str] = []
    collecting = False
    for day in agenda.days:
        for item in day.items:
            if item.kind == "chapter":
                if collecting:
                    return found
                collecting = item.ref == chapter
            elif item.kind == "exercise" and collecting:
                found.append(item.ref)
    return found


def plan_deck(chapter: Chapter, agenda: Agenda | None, parse=None) -> DeckPlan:
    """The slides of ``chapter``'s deck (see the module's documentation)."""
    sections = h2_sections(chapter.tokens)
    titles = [title for title, _tokens in sections]
    key = next((tokens for title, tokens in sections if title == KEY_POINTS), [])
    sources = next((tokens for title, tokens in sections if title == SOURCES), [])
    source_count = len(top_items(sources))
    return DeckPlan(
        chapter=chapter.id,
        outcomes=len(chapter.learning_outcomes),
        blocks=slide_blocks(chapter, parse),
        sections=[t for t in titles if t not in {KEY_POINTS, SOURCES}],
        key_points=chunk(top_items(key)),
        sources=[list(range(i, min(i + SOURCES_PER_SLIDE, source_count)))
                 for i in range(0, source_count, SOURCES_PER_SLIDE)],
        exercises=session_exercises(agenda, chapter.id),
    )


def deck_chapters(curriculum: Curriculum) -> list[Chapter]:
    """The chapters that get a deck: those that declare learning outcomes."""
    return [c for c in curriculum.chapters.values() if c.learning_outcomes]


def plan_decks(root: Path) -> dict[str, DeckPlan]:
    from ..model import load_curriculum

    curriculum = load_curriculum(root)
    return {c.id: plan_deck(c, curriculum.agenda, curriculum.parse) for c in deck_chapters(curriculum)}
