"""Slide decks: one per chapter, planned from the source, filled from the translated doctree.

The *plan* of a deck (how many slides of which kind) comes from the chapter's Markdown
and the agenda only, so every language has the same slides and the checker can measure
them without running Sphinx. The builder (:mod:`curriculum.sphinxext.slides`) fills the
plan from the chapter's translated doctree.

A deck is, in order:

1. a title slide (book, chapter, edition, date);
2. the learning outcomes;
3. per H2 section, the author's ``{slide}`` blocks in it, or, in a section without any,
   the fallback: its opening list (with a short lead paragraph) or its opening paragraph(s), in
   full, continued over as many slides as the budget asks ("Title (1/2)", "Title (2/2)"):
   nothing is cut off silently;
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
#: Where a text may be split between two slides: after a sentence (Latin and Arabic marks).
SENTENCE_END = re.compile(r"(?<=[.!?؟;:])\s+")
#: A paragraph before a section's opening list is shown with it when it is this short.
LEAD_WORDS = 20


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


@dataclass(frozen=True)
class Piece:
    """Part of a fallback slide: an opening block of a section (by index), whole, or some of
    its list items, or part ``k`` of ``n`` of its text (split at sentences)."""

    block: int
    items: tuple[int, ...] | None = None
    part: tuple[int, int] | None = None


@dataclass(frozen=True)
class Block:
    """An opening block of a section, as the plan sees it (the same in every language)."""

    kind: str  # "paragraph" or "list"
    words: int
    items: tuple[int, ...] = ()  # a list: the words of each item
    sentences: tuple[int, ...] = ()  # a paragraph: the words of each sentence


@dataclass
class SectionPlan:
    """The fallback slides of one H2 section: ``descend`` times into its first subsection (a
    section that opens with one), then ``pages``, a list of pieces per slide."""

    title: str
    descend: int
    pages: list[list[Piece]]
    #: the section's ``{slide}`` blocks: when there are any, they are its slides (no fallback)
    blocks: list[SlideBlock] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.blocks) if self.blocks else len(self.pages)


@dataclass
class DeckPlan:
    chapter: str
    outcomes: int
    blocks: list[SlideBlock]  # every {slide} block of the chapter
    sections: list[SectionPlan]  # per H2 section: its {slide} blocks, or the fallback
    key_points: list[list[int]]  # item indexes of the Key points list, one list per slide
    sources: list[list[int]]
    exercises: list[str]

    @property
    def content_slides(self) -> int:
        return len(self.blocks) - sum(len(s.blocks) for s in self.sections) + sum(s.count for s in self.sections)

    @property
    def other_blocks(self) -> list[SlideBlock]:
        """``{slide}`` blocks outside the content sections (before the first H2, in Key points or
        Sources): shown after the content sections."""
        inside = {id(b) for s in self.sections for b in s.blocks}
        return [b for b in self.blocks if id(b) not in inside]

    @property
    def count(self) -> int:
        """Slides in the deck: title + outcomes + content + key points + sources + exercises."""
        return (
            1
            + (1 if self.outcomes else 0)
            + self.content_slides
            + len(self.key_points)
            + len(self.sources)
            + len(self.exercises)
        )


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


def chunk(
    words: list[int] | tuple[int, ...], budget: Budget = BUDGET, used: tuple[int, int] = (0, 0)
) -> list[list[int]]:
    """Item indexes grouped into slides of at most ``budget.lines`` items and ``budget.words``
    words (an item longer than the budget gets a slide of its own). ``used``: the words and
    lines the first slide already holds (a lead paragraph)."""
    slides: list[list[int]] = [[]]
    total, lines = used
    for index, count in enumerate(words):
        if slides[-1] and (lines >= budget.lines or total + count > budget.words):
            slides.append([])
            total = lines = 0
        slides[-1].append(index)
        total += count
        lines += 1
    return slides if slides[0] else slides[1:]


def balanced(
    words: list[int] | tuple[int, ...], budget: Budget = BUDGET, used: tuple[int, int] = (0, 0)
) -> list[list[int]]:
    """As many slides as :func:`chunk` makes, the items shared out evenly between them (the
    fullest slide as light as it can be): no slide left with one item at the end."""
    greedy = chunk(words, budget, used)
    slides = len(greedy)
    if slides <= 1:
        return greedy
    counts = list(words)
    counts[0] += used[0]
    n_items = len(counts)
    best: dict[tuple[int, int], tuple[int, list[int]]] = {}

    def solve(start: int, left: int) -> tuple[int, list[int]]:
        """(heaviest slide, slide sizes) for items[start:] over ``left`` slides."""
        if left == 1:
            rest = n_items - start
            if rest > budget.lines - (used[1] if start == 0 else 0):
                return (10**9, [])
            return (sum(counts[start:]), [rest])
        key = (start, left)
        if key not in best:
            found: tuple[int, list[int]] = (10**9, [])
            limit = budget.lines - (used[1] if start == 0 else 0)
            for size in range(1, min(limit, n_items - start - left + 1) + 1):
                weight, sizes = solve(start + size, left - 1)
                candidate = (max(weight, sum(counts[start : start + size])), [size, *sizes])
                if candidate[0] < found[0]:
                    found = candidate
            best[key] = found
        return best[key]

    _weight, sizes = solve(0, slides)
    if not sizes:
        return greedy
    result, start = [], 0
    for size in sizes:
        result.append(list(range(start, start + size)))
        start += size
    return result


def split_points(sentences: list[int] | tuple[int, ...], parts: int) -> list[int]:
    """Where to cut a text of sentences (their word counts) into ``parts`` slides of about the
    same length: the sentence indexes that start parts 2..n. When there are fewer sentence ends
    than cuts, the remaining cuts fall at words (the builder's :func:`split_text`)."""
    total = sum(sentences) or 1
    ends = [sum(sentences[: i + 1]) for i in range(len(sentences) - 1)]  # words before sentence i+1
    points: list[int] = []
    for k in range(1, parts):
        goal = total * k / parts
        candidates = [i + 1 for i, end in enumerate(ends) if not points or i + 1 > points[-1]]
        if not candidates:
            break
        points.append(min(candidates, key=lambda i: abs(ends[i - 1] - goal)))
    return points


def split_text(text: str, parts: int) -> list[str]:
    """``text`` cut into ``parts`` pieces of about the same length, at sentence ends where it
    can (at words otherwise): every word is kept."""
    text = " ".join(text.split())
    if parts <= 1:
        return [text]
    sentences = SENTENCE_END.split(text)
    counts = [len(WORD.findall(s)) for s in sentences]
    points = split_points(counts, parts)
    pieces = [" ".join(sentences[a:b]) for a, b in zip([0, *points], [*points, len(sentences)], strict=True)]
    while len(pieces) < parts:  # too few sentences: halve the longest piece at a space
        longest = max(range(len(pieces)), key=lambda i: len(pieces[i].split()))
        words_ = pieces[longest].split()
        if len(words_) < 2:
            pieces.append("")
            continue
        half = len(words_) // 2
        pieces[longest : longest + 1] = [" ".join(words_[:half]), " ".join(words_[half:])]
    return pieces


def summary_pages(blocks: list[Block], budget: Budget = BUDGET, lead_words: int = LEAD_WORDS) -> list[list[Piece]]:
    """The slides that show a section's opening blocks: its first list (among the first three
    blocks), with the paragraph before it when that is short, split by items; else the opening
    paragraphs that fit one slide, or a first paragraph too long for one, split at sentences.
    Always at least one slide (maybe empty: the section's title alone)."""
    lists = [i for i, b in enumerate(blocks[:3]) if b.kind == "list"]
    if lists:
        index = lists[0]
        lead = index - 1 if index and blocks[index - 1].words <= lead_words else None
        used = (blocks[lead].words, 1) if lead is not None else (0, 0)
        pages = [[Piece(index, items=tuple(indexes))] for indexes in balanced(blocks[index].items, budget, used)]
        pages = pages or [[]]
        if lead is not None:
            pages[0].insert(0, Piece(lead))
        return pages
    picked: list[Piece] = []
    total = 0
    for index, block in enumerate(blocks):
        if not picked and block.words > budget.words:
            parts = len(chunk(block.sentences, budget)) if block.sentences else 1
            parts = max(parts, -(-block.words // budget.words))
            return [[Piece(index, part=(k, parts))] for k in range(1, parts + 1)]
        if total + block.words > budget.words or len(picked) >= budget.lines:
            break
        picked.append(Piece(index))
        total += block.words
    return [picked]


def _fence_name(token: Token) -> str:
    match = re.match(r"^\{([\w-]+)\}", token.info.strip())
    return match.group(1) if match else ""


#: Blocks the fallback passes over (they are not shown, and do not end a section's opening).
SKIPPED_FENCES = {"trainer-note"}


def opening_blocks(tokens: list[Token], level: int = 2) -> tuple[int, list[Block]]:
    """A section's opening paragraphs and lists (up to its first other block or heading), from
    its tokens; a section that opens with a subsection is read from that subsection (the
    first number: how many levels down)."""
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            if blocks:
                break
            depth = int(token.tag[1])
            end = next(
                (
                    j
                    for j in range(index + 3, len(tokens))
                    if tokens[j].type == "heading_open" and int(tokens[j].tag[1]) <= depth
                ),
                len(tokens),
            )
            down, inner = opening_blocks(tokens[index + 3 : end], depth)
            return down + 1, inner
        if token.type in {"colon_fence", "fence"} and _fence_name(token) in SKIPPED_FENCES:
            index += 1
            continue
        if token.type in {"myst_target", "myst_line_comment", "html_block"}:
            index += 1
            continue
        if token.type == "paragraph_open":
            text = inline_text(tokens[index + 1])
            sentences = tuple(len(WORD.findall(s)) for s in SENTENCE_END.split(" ".join(text.split())))
            blocks.append(Block("paragraph", sum(sentences), sentences=sentences))
            index += 3
            continue
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            end = index + 1
            depth = 1
            while depth:
                if tokens[end].type in {"bullet_list_open", "ordered_list_open"}:
                    depth += 1
                elif tokens[end].type in {"bullet_list_close", "ordered_list_close"}:
                    depth -= 1
                end += 1
            items = tuple(top_items(tokens[index:end]))
            blocks.append(Block("list", sum(items), items=items))
            index = end
            continue
        break
    return 0, blocks


def slide_blocks(chapter: Chapter, parse=None) -> list[SlideBlock]:
    """The ``{slide}`` blocks of a chapter, in order, measured."""
    from ..rules.markup import locate

    parse = parse or markdown_parser().parse
    return [
        SlideBlock(
            element.target,
            element.line,
            element.column,
            "slides-only" in element.options,
            measure_tokens(parse(element.text)),
        )
        for element in locate(chapter, parse)
        if element.kind == "directive" and element.name == "slide"
    ]


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
    key = next((tokens for title, tokens in sections if title == KEY_POINTS), [])
    sources = next((tokens for title, tokens in sections if title == SOURCES), [])
    source_count = len(top_items(sources))
    blocks = slide_blocks(chapter, parse)
    starts = [(tokens[0].map[0] + 1) if tokens and tokens[0].map else 0 for _title, tokens in sections]
    ends = [*starts[1:], 10**9]
    planned = []
    for (title, tokens), start, end in zip(sections, starts, ends, strict=True):
        if title in {KEY_POINTS, SOURCES}:
            continue
        planned.append(SectionPlan(title, *_section_pages(tokens), blocks=[b for b in blocks if start <= b.line < end]))
    return DeckPlan(
        chapter=chapter.id,
        outcomes=len(chapter.learning_outcomes),
        blocks=blocks,
        sections=planned,
        key_points=chunk(top_items(key)),
        sources=[
            list(range(i, min(i + SOURCES_PER_SLIDE, source_count))) for i in range(0, source_count, SOURCES_PER_SLIDE)
        ],
        exercises=session_exercises(agenda, chapter.id),
    )


def _section_pages(tokens: list[Token]) -> tuple[int, list[list[Piece]]]:
    start = next((i + 1 for i, t in enumerate(tokens[:3]) if t.type == "heading_close"), 0)  # past the title
    descend, blocks = opening_blocks(tokens[start:])
    return descend, summary_pages(blocks)


def deck_chapters(curriculum: Curriculum) -> list[Chapter]:
    """The chapters that get a deck: those that declare learning outcomes."""
    return [c for c in curriculum.chapters.values() if c.learning_outcomes]


def plan_decks(root: Path) -> dict[str, DeckPlan]:
    from ..model import load_curriculum

    curriculum = load_curriculum(root)
    return {c.id: plan_deck(c, curriculum.agenda, curriculum.parse) for c in deck_chapters(curriculum)}
