"""The curriculum model: chapters, exercises and the agenda as typed objects.

One parser for the whole curriculum. :mod:`curriculum.rules` checks these objects
and the Sphinx extension renders them; neither reads the files another way.
Loading never raises on bad content: what cannot be understood is left ``None``
and the reason is recorded as a :class:`~curriculum.source.Problem`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .project import AGENDA_FILE, CHAPTER_DIR, EXERCISE_DIR, LOCALES_DIR
from .source import (
    KeyPath,
    MarkdownFile,
    Problem,
    TextFile,
    TokenCache,
    YamlDocument,
    inline_text,
    load_yaml,
    markdown_parser,
    parse_markdown,
    read_markdown,
    read_text,
)

#: Marks text an author must still write (the scaffolds leave it; the checker names it).
PLACEHOLDER = "TODO:"
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

EXERCISE_TYPES = ("discussion", "drafting", "presentation", "role-play", "case-study", "quiz", "reflection")
GROUPINGS = ("individual", "pairs", "small-groups", "plenary")
#: Exercise types whose model answer is required.
ANSWERED_TYPES = frozenset({"drafting", "presentation", "quiz"})


class Audience(str, Enum):
    """Who may read a section."""

    PARTICIPANT = "participant"
    TRAINER = "trainer"


@dataclass(frozen=True)
class SectionSpec:
    """A known exercise section, in the order the contract fixes."""

    name: str
    audience: Audience
    required: bool


EXERCISE_SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("Purpose", Audience.PARTICIPANT, False),
    SectionSpec("Instructions", Audience.PARTICIPANT, True),
    SectionSpec("Materials", Audience.PARTICIPANT, False),
    SectionSpec("Trainer notes", Audience.TRAINER, True),
    SectionSpec("Model answer", Audience.TRAINER, False),
    SectionSpec("Debrief", Audience.TRAINER, True),
)
SECTION_SPECS = {spec.name: spec for spec in EXERCISE_SECTIONS}
TRAINER_SECTIONS = frozenset(s.name for s in EXERCISE_SECTIONS if s.audience is Audience.TRAINER)


@dataclass(frozen=True)
class FieldSpec:
    """A front-matter key: its Python type and, for enumerations, its choices."""

    name: str
    kind: type | tuple[type, ...]
    required: bool
    description: str
    choices: tuple[str, ...] = ()
    item_kind: type | None = None


EXERCISE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", str, True, "lowercase kebab-case, equal to the file name"),
    FieldSpec("title", str, True, "the exercise's title, equal to its H1"),
    FieldSpec("type", str, True, "the kind of activity", EXERCISE_TYPES),
    FieldSpec("duration", int, True, "whole minutes the exercise takes in the course"),
    FieldSpec("grouping", str, True, "how participants work", GROUPINGS),
    FieldSpec("objectives", list, True, "learning-outcome ids declared by chapters", item_kind=str),
    FieldSpec("materials", list, False, "what the exercise needs", item_kind=str),
    FieldSpec("time_limit", int, False, "minutes allowed for a timed delivery"),
    FieldSpec(
        "product",
        dict,
        False,
        "the size of what participants produce, e.g. {words: [250, 300]}; the model answer must fit it",
    ),
)
CHAPTER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("learning_outcomes", dict, False, "learning-outcome ids mapped to what a participant can do"),
)


@dataclass
class Heading:
    level: int
    title: str
    line: int
    column: int = 1


@dataclass
class Section:
    """An H2 section of an exercise, with its tokens up to the next H2."""

    title: str
    line: int
    tokens: list[Token] = field(default_factory=list)

    @property
    def spec(self) -> SectionSpec | None:
        return SECTION_SPECS.get(self.title)

    @property
    def words(self) -> int:
        """Words a reader would say: text of every inline, roles and markup stripped."""
        return sum(len(WORD.findall(inline_text(t))) for t in self.tokens if t.type == "inline")

    @property
    def empty(self) -> bool:
        return not any(t.type != "inline" or t.content.strip() for t in self.tokens)


@dataclass
class Document:
    """What chapters and exercises share: the file, its headings, its front matter."""

    markdown: MarkdownFile
    headings: list[Heading] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.markdown.path

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def front_matter(self) -> YamlDocument:
        return self.markdown.front_matter or YamlDocument()

    @property
    def problems(self) -> list[Problem]:
        return self.markdown.problems

    @property
    def tokens(self) -> list[Token]:
        return self.markdown.tokens

    @property
    def title(self) -> Heading | None:
        return next((h for h in self.headings if h.level == 1), None)

    def value(self, key: str, kind: type | tuple[type, ...]) -> Any:
        """A front-matter value when it has the expected type, else ``None``."""
        value = self.front_matter.data.get(key)
        if isinstance(value, bool) and kind is int:
            return None
        return value if isinstance(value, kind) else None


@dataclass
class LearningOutcome:
    id: str
    text: str
    chapter: str
    line: int
    column: int


#: The sections a chapter has, in this order (``Key points`` and ``Sources`` close it).
CHAPTER_SECTIONS = ("Introduction", "Key points", "Sources")

#: A fenced directive's opening: ``{name} argument``.
DIRECTIVE = re.compile(r"^\{([^\s{}]+)\}\s*(.*)$")
DIRECTIVE_OPTION = re.compile(r"^:([\w-]+):\s?(.*)$")
#: The trainer-only directive for a timed activity in a chapter.
ACTIVITY_DIRECTIVE = "activity"


@dataclass
class Activity:
    """A timed activity (``:::{activity} Title`` with ``:minutes: N``) in a chapter's trainer notes."""

    title: str
    minutes: int | None  # None when ``:minutes:`` is missing or not a whole number of at least 1
    raw_minutes: str | None  # what the author wrote (None when absent)
    line: int
    column: int = 1


def parse_minutes(value: str | None) -> int | None:
    """``"10"`` as 10; anything that is not a whole number of at least 1 as ``None``."""
    if value is None or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if number >= 1 else None


def split_options(body: str) -> tuple[dict[str, str], str, int]:
    """A directive body's options (``:key: value`` lines or a YAML block), its content,
    and how many lines the options took."""
    lines = body.split("\n")
    options: dict[str, str] = {}
    used = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                if key.strip():
                    options[key.strip()] = value.strip()
            used = end + 1
    else:
        while used < len(lines) and (match := DIRECTIVE_OPTION.match(lines[used])):
            options[match[1]] = match[2].strip()
            used += 1
    return options, "\n".join(lines[used:]), used


def find_activities(tokens: list[Token], offset: int = 0, depth: int = 0) -> list[Activity]:
    """Every ``{activity}`` among ``tokens``, nested ones (in a ``{trainer-note}``, say) included."""
    found: list[Activity] = []
    for token in tokens:
        if token.type not in {"fence", "colon_fence"} or token.map is None:
            continue
        match = DIRECTIVE.match(token.info.strip())
        if not match:
            continue
        line = token.map[0] + offset + 1
        options, content, used = split_options(token.content)
        if match[1] == ACTIVITY_DIRECTIVE:
            raw = options.get("minutes")
            found.append(Activity(match[2].strip(), parse_minutes(raw), raw, line))
        elif depth < 3 and token.type == "colon_fence" and content.strip():
            found.extend(find_activities(markdown_parser().parse(content), line + used, depth + 1))
    return found


@dataclass
class Chapter(Document):
    """A page of the handbook; a *chapter* of the course when it declares learning outcomes."""

    #: The Sphinx document name relative to ``handbook/`` (``trainer/authoring``).
    name: str = ""

    @property
    def is_course_chapter(self) -> bool:
        """Whether this page is a chapter of the course: it declares ``learning_outcomes``.

        Only course chapters are scheduled in the agenda and follow the chapter contract;
        the index, the agenda page, the glossary, templates, references and trainer pages
        are other pages of the book.
        """
        return "/" not in self.name and isinstance(self.front_matter.data.get("learning_outcomes"), dict)

    @property
    def h2_titles(self) -> list[Heading]:
        return [h for h in self.headings if h.level == 2]

    @property
    def activities(self) -> list[Activity]:
        """The chapter's timed activities, in order."""
        return find_activities(self.tokens)

    @property
    def learning_outcomes(self) -> list[LearningOutcome]:
        declared = self.value("learning_outcomes", dict) or {}
        return [
            LearningOutcome(str(key), str(text), self.id, *self.front_matter.where("learning_outcomes", key))
            for key, text in declared.items()
        ]


@dataclass
class Exercise(Document):
    sections: list[Section] = field(default_factory=list)

    @property
    def exercise_id(self) -> str | None:
        return self.value("id", str)

    @property
    def type(self) -> str | None:
        value = self.value("type", str)
        return value if value in EXERCISE_TYPES else None

    @property
    def duration(self) -> int | None:
        return self.value("duration", int)

    @property
    def time_limit(self) -> int | None:
        return self.value("time_limit", int)

    @property
    def objectives(self) -> list[str]:
        return [o for o in self.value("objectives", list) or [] if isinstance(o, str)]

    @property
    def materials(self) -> list[str]:
        return [str(m) for m in self.value("materials", list) or []]

    @property
    def product_words(self) -> tuple[int, int] | None:
        """The word range the exercise asks for (``product: {words: [MIN, MAX]}``), if valid."""
        product = self.value("product", dict) or {}
        words = product.get("words")
        if (
            isinstance(words, list)
            and len(words) == 2
            and all(isinstance(w, int) and not isinstance(w, bool) for w in words)
            and 0 < words[0] <= words[1]
        ):
            return words[0], words[1]
        return None

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.title == name), None)

    @property
    def quiz_items(self) -> list[QuizItem]:
        """A quiz's questions with their answers (the quiz convention, see :data:`QUIZ_QUESTIONS`)."""
        if self.type != "quiz":
            return []
        questions = numbered_items(self.section(QUIZ_QUESTIONS))
        answers = numbered_items(self.section(QUIZ_ANSWERS))
        return [
            QuizItem(question, *(answers[index][1:] if index < len(answers) else ("", "")), line)
            for index, (line, question, _short) in enumerate(questions)
        ]

    def section_lines(self, name: str) -> range | None:
        """The source lines a section spans, its heading included."""
        for index, section in enumerate(self.sections):
            if section.title == name:
                end = self.sections[index + 1].line if index + 1 < len(self.sections) else 10**9
                return range(section.line, end)
        return None


#: The quiz convention: a quiz exercise's questions are the numbered list of its
#: Materials section (the quiz sheet), and its answers the numbered list of its Model
#: answer section, in the same order; each answer opens with the short answer in bold,
#: followed by the explanation. The kit's tests and answer key are drawn from these lists.
QUIZ_QUESTIONS = "Materials"
QUIZ_ANSWERS = "Model answer"


@dataclass
class QuizItem:
    question: str
    answer: str  # the whole answer, explanation included
    short_answer: str  # the bold opening, or the whole answer when there is none
    line: int


def numbered_items(section: Section | None) -> list[tuple[int, str, str]]:
    """(line, text, bold opening) of each item of the section's first top-level numbered list."""
    if section is None:
        return []
    found: list[tuple[int, str, str]] = []
    depth = 0
    inside = False
    for token in section.tokens:
        if token.type in {"ordered_list_open", "bullet_list_open"}:
            depth += 1
            if depth == 1 and token.type == "ordered_list_open" and not found:
                inside = True
            continue
        if token.type in {"ordered_list_close", "bullet_list_close"}:
            depth -= 1
            if depth == 0 and inside:
                break
            continue
        if inside and depth == 1 and token.type == "inline":
            children = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
            strong = ""
            if children and children[0].type == "strong_open":
                closing = next((i for i, c in enumerate(children) if c.type == "strong_close"), len(children))
                strong = "".join(c.content for c in children[1:closing])
            text = inline_text(token).strip()
            if found and found[-1][0] == (token.map[0] + 1 if token.map else 0):
                continue
            found.append((token.map[0] + 1 if token.map else 0, text, strong.strip() or text))
    return found


def _headings(tokens: list[Token]) -> list[Heading]:
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.map:
            found.append(Heading(int(token.tag[1]), inline_text(tokens[index + 1]).strip(), token.map[0] + 1))
    return found


def _sections(tokens: list[Token]) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h1", "h2"}:
            current = None
            if token.tag == "h2" and token.map:
                current = Section(inline_text(tokens[index + 1]).strip(), token.map[0] + 1)
                sections.append(current)
            continue
        if (
            current is not None
            and token.type != "heading_close"
            and not (index and tokens[index - 1].type == "heading_open" and tokens[index - 1].tag in {"h1", "h2"})
        ):
            current.tokens.append(token)
    return sections


#: A page whose first line is this is generated at build time from the rule registry.
RULES_MARKER = "% curriculum:rules"


def rules_page(cache: TokenCache | None = None) -> str:
    """The page of checker rules, generated from the rule registry (its examples highlighted:
    a tenth of a second), kept in ``cache`` under the registry's code and Pygments' version."""

    def make() -> str:
        from .rules.docs import rules_markdown  # the rules, imported only to write the page

        return rules_markdown()

    if cache is None:
        return make()
    return cache.kept(f"rules page\0{_rules_page_maker()}", make)


@functools.cache  # the code does not change while the program runs
def _rules_page_maker() -> str:
    """What the rules page depends on: the rule registry's code and Pygments' version."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("pygments").encode())
    for code in sorted((Path(__file__).parent / "rules").glob("*.py")):
        digest.update(code.read_bytes())
    return digest.hexdigest()


def load_chapter(path: Path, cache: TokenCache | None = None, name: str = "") -> Chapter:
    markdown = read_markdown(path, cache)
    if markdown.file.text.lstrip().startswith(RULES_MARKER):  # the page the build generates is what gets checked
        markdown = parse_markdown(TextFile(path, rules_page(cache)), cache)
    return Chapter(markdown, _headings(markdown.tokens), name=name or path.stem)


def load_exercise(path: Path, cache: TokenCache | None = None) -> Exercise:
    markdown = read_markdown(path, cache)
    return Exercise(markdown, _headings(markdown.tokens), _sections(markdown.tokens))


# --- the agenda -----------------------------------------------------------------------------

TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class ItemKind:
    """A kind of agenda item: what its key names, and whether the agenda gives its minutes."""

    name: str
    refers_to: str  # "chapter" | "exercise" | "text": what the key's value is
    timed: bool  # True: the item takes `minutes`; False: minutes come from elsewhere
    description: str


#: The agenda's vocabulary, defined once: the checker (rules/agenda.py), the schema
#: (schema.py) and the loader below all derive from these tables.
AGENDA_KINDS: tuple[ItemKind, ...] = (
    ItemKind("chapter", "chapter", True, "a chapter's id: its file name in handbook/ without .md"),
    ItemKind("exercise", "exercise", False, "an exercise's id; its minutes come from the exercise's duration"),
    ItemKind("break", "text", True, "what the break is, such as Coffee break"),
    ItemKind(
        "session",
        "text",
        True,
        "a session that is neither a chapter nor an exercise, such as Day 1 wrap-up or a guest speaker",
    ),
)
AGENDA_KIND_NAMES: tuple[str, ...] = tuple(kind.name for kind in AGENDA_KINDS)
AGENDA_ITEM_OPTIONS: dict[str, str] = {
    "minutes": "whole minutes the slot takes",
    "notes": "a facilitation note for the trainer",
    "closing": "true on the item that closes the day (a wrap-up, an evaluation)",
}
AGENDA_ROOT_KEYS: dict[str, str] = {"title": "the agenda's title", "days": "the days of the course, in order"}
AGENDA_DAY_KEYS: dict[str, str] = {
    "title": "the day's title, such as Day 1",
    "start": 'when the day starts, a 24-hour time in quotes: "09:00"',
    "end": 'when the day ends, a 24-hour time in quotes: "16:30"',
    "items": "the day's slots, one after another from its start",
}
AGENDA_ITEM_KEYS: tuple[str, ...] = (*AGENDA_KIND_NAMES, *AGENDA_ITEM_OPTIONS)


@dataclass
class AgendaItem:
    """A slot: a chapter (with minutes), an exercise (minutes from the exercise), a break or a session."""

    kind: str  # one of AGENDA_KIND_NAMES, or "" when not understood
    ref: str
    minutes: int | None
    notes: str
    path: KeyPath
    line: int
    column: int
    start: int | None = None  # minutes after midnight, filled in by Agenda.schedule
    closing: bool = False


@dataclass
class Day:
    title: str
    start: int | None
    end: int | None
    items: list[AgendaItem]
    path: KeyPath
    line: int
    column: int


@dataclass
class Agenda:
    path: Path
    title: str = ""
    days: list[Day] = field(default_factory=list)
    document: YamlDocument = field(default_factory=YamlDocument)
    problems: list[Problem] = field(default_factory=list)

    def schedule(self, exercises: dict[str, Exercise]) -> None:
        """Compute each item's start time from the day's start and the durations before it."""
        for day in self.days:
            clock = day.start
            for item in day.items:
                item.start = clock
                if item.kind == "exercise" and item.ref in exercises:
                    item.minutes = exercises[item.ref].duration
                clock = clock + item.minutes if clock is not None and item.minutes is not None else None


def parse_time(value: object) -> int | None:
    """``"09:30"`` as minutes after midnight.

    YAML 1.1 reads an unquoted ``9:30`` as the sexagesimal number 9 * 60 + 30 = 570,
    which is already minutes after midnight, so such numbers are accepted too.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value < 24 * 60 else None
    match = TIME.match(str(value).strip()) if isinstance(value, str) else None
    return int(match[1]) * 60 + int(match[2]) if match else None


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def load_agenda(path: Path) -> Agenda:
    agenda = Agenda(path)
    file = read_text(path)
    agenda.problems.extend(file.problems)
    if not file.readable:
        return agenda
    document, problem = load_yaml(file.text)
    if problem or document is None:
        agenda.problems.append(problem or Problem("yaml", "invalid agenda"))
        return agenda
    agenda.document = document
    data = document.data
    agenda.title = str(data.get("title", ""))
    days = data.get("days")
    if not isinstance(days, list):
        return agenda
    for d, day in enumerate(days):
        if not isinstance(day, dict):
            continue
        items = []
        for i, item in enumerate(day.get("items") or [] if isinstance(day.get("items"), list) else []):
            items.append(_agenda_item(item, ("days", d, "items", i), document))
        agenda.days.append(
            Day(
                str(day.get("title", f"Day {d + 1}")),
                parse_time(day.get("start")),
                parse_time(day.get("end")),
                items,
                ("days", d),
                *document.where("days", d),
            )
        )
    return agenda


def _agenda_item(item: object, path: KeyPath, document: YamlDocument) -> AgendaItem:
    line, column = document.where(*path)
    if not isinstance(item, dict):
        return AgendaItem("", "", None, "", path, line, column)
    kind = next((k for k in AGENDA_KIND_NAMES if k in item), "")
    minutes = item.get("minutes")
    minutes = minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else None
    return AgendaItem(
        kind,
        str(item.get(kind, "")),
        minutes,
        str(item.get("notes", "") or ""),
        path,
        line,
        column,
        closing=item.get("closing") is True,
    )


# --- translation catalogues ---------------------------------------------------------------


@dataclass
class Message:
    """One translatable message of a catalogue."""

    id: str
    string: str
    fuzzy: bool
    line: int
    #: Where the message comes from: (source path as written, line), from ``#:`` comments.
    locations: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Catalogue:
    """A gettext catalogue (``locales/<lang>/LC_MESSAGES/<docname>.po``)."""

    path: Path
    language: str
    messages: list[Message] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


#: A line of an entry: a keyword and a string, or a string continuing the keyword above.
PO_LINE = re.compile(r'^(?:(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$')


def load_catalogue(path: Path, language: str) -> Catalogue:
    """Read a ``.po`` file with Babel; a malformed line is recorded as a problem, never raised."""
    from babel.messages.pofile import PoFileError, read_po

    catalogue = Catalogue(path, language)
    file = read_text(path)
    catalogue.problems.extend(file.problems)
    if not file.readable:
        return catalogue
    lines = file.text.split("\n")
    problem = _po_syntax_problem(lines)
    readable = lines if problem is None else lines[: problem.line - 1]  # the messages before it still count
    try:
        messages = list(read_po(readable, abort_invalid=True))
    except PoFileError as error:  # Babel counts lines from 0
        messages, problem = [], problem or _po_problem(str(error), error.lineno + 1, error.line)
    except Exception as error:  # a catalogue Babel cannot read at all: a finding, not a traceback
        messages, problem = [], problem or _po_problem(f"{type(error).__name__}: {error}", 1, lines[0])
    if problem is not None:
        catalogue.problems.append(problem)
    for message in messages:
        msgid = _singular(message.id)
        if msgid:  # the header has none
            located = [(source, line) for source, line in message.locations if line is not None]
            catalogue.messages.append(
                Message(msgid, _singular(message.string), message.fuzzy, message.lineno or 1, located)
            )
    return catalogue


def _singular(text: str | Sequence[str] | None) -> str:
    """A message's text, or of a plural message the first form."""
    if isinstance(text, str):
        return text
    return text[0] if text else ""


def _po_problem(reason: str, line: int, text: str) -> Problem:
    return Problem("catalogue", f"malformed catalogue: cannot read '{text.strip()[:40]}' ({reason})", line)


def _po_syntax_problem(lines: list[str]) -> Problem | None:
    """The first line Babel would read past in silence: an unclosed string, a stray line, or a
    ``msgstr`` with no ``msgid`` in its entry (Babel drops such entries without a word)."""
    keyword = ""  # the keyword the current line continues
    has_msgid = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            if stripped.startswith("#") and not stripped.startswith("#~") and keyword.startswith("msgstr"):
                has_msgid = False  # a comment after a translation starts the next entry
            continue
        match = PO_LINE.match(stripped)
        if match is None or not (match[1] or keyword):
            return _po_problem("not a keyword and a quoted string", number, stripped)
        if match[1] in {"msgid", "msgctxt"} and keyword.startswith("msgstr"):
            has_msgid = False
        keyword = match[1] or keyword
        has_msgid = has_msgid or keyword == "msgid"
        if keyword.startswith("msgstr") and not has_msgid:
            return _po_problem("a msgstr without its msgid", number, stripped)
    return None


@dataclass
class Term:
    """A key term and its approved translations (``locales/<lang>/terms.yml``)."""

    en: str
    approved: list[str]
    forbidden: list[str]
    line: int


@dataclass
class Termbase:
    path: Path
    language: str
    terms: list[Term] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


TERMBASE_FILE = "terms.yml"


def load_termbase(path: Path, language: str) -> Termbase:
    """Read a termbase; entries that cannot be understood are recorded as problems."""
    termbase = Termbase(path, language)
    file = read_text(path)
    termbase.problems.extend(file.problems)
    if not file.readable:
        return termbase
    document, problem = load_yaml(file.text)
    if problem or document is None:
        termbase.problems.append(problem or Problem("yaml", "invalid YAML", 1))
        return termbase
    entries = document.data.get("terms")
    if not isinstance(entries, list):
        termbase.problems.append(Problem("termbase", "a termbase needs a list of `terms`", 1))
        return termbase
    for index, entry in enumerate(entries):
        line = document.where("terms", index)[0]
        approved = entry.get("approved") if isinstance(entry, dict) else None
        forbidden = entry.get("forbidden", []) if isinstance(entry, dict) else None
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("en"), str)
            or not isinstance(approved, list)
            or not approved
            or not isinstance(forbidden, list)
        ):
            termbase.problems.append(Problem("termbase", "a term needs `en` and a list of `approved` forms", line))
            continue
        termbase.terms.append(Term(entry["en"], [str(a) for a in approved], [str(f) for f in forbidden], line))
    return termbase


def load_catalogues(root: Path, cache: TokenCache | None = None) -> list[Catalogue]:
    """Every catalogue under ``locales/<lang>/LC_MESSAGES`` (kept in ``cache`` between runs:
    Babel reading them was a fifth of a check)."""
    found = []
    for folder in sorted((root / LOCALES_DIR).glob("*/LC_MESSAGES")):
        language = folder.parent.name
        for path in sorted(folder.rglob("*.po")):
            read = functools.partial(load_catalogue, path, language)
            key = _catalogue_key(path, language)
            found.append(cache.kept(key, read) if cache is not None and key is not None else read())
    return found


def _catalogue_key(path: Path, language: str) -> str | None:
    """Everything a catalogue as read depends on: its place, its bytes, Babel and this module's
    code (None when it cannot be read: load_catalogue reports that)."""
    try:
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return f"catalogue\0{_catalogue_reader()}\0{path}\0{language}\0{content}"


@functools.cache  # the code does not change while the program runs
def _catalogue_reader() -> str:
    """What reads a catalogue: Babel's version and this module's code."""
    from importlib.metadata import version

    return f"{version('babel')}\0{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}"


# --- the whole curriculum -------------------------------------------------------------------


@dataclass
class Curriculum:
    """Every chapter, exercise and the agenda of one project."""

    root: Path
    chapters: dict[str, Chapter] = field(default_factory=dict)
    #: Pages in folders under ``handbook/`` (``trainer/authoring``), by their name there.
    pages: dict[str, Chapter] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    agenda: Agenda | None = None
    cache: TokenCache | None = None

    # read when first asked for: a build of the site or a book needs neither, the checker both
    @functools.cached_property
    def catalogues(self) -> list[Catalogue]:
        """Every translation catalogue under ``locales/``."""
        return load_catalogues(self.root, self.cache)

    @functools.cached_property
    def termbases(self) -> dict[str, Termbase]:
        """Each language's approved terms (``locales/<lang>/terms.yml``), by language."""
        return {
            path.parent.name: load_termbase(path, path.parent.name)
            for path in sorted((self.root / LOCALES_DIR).glob(f"*/{TERMBASE_FILE}"))
        }

    def parse(self, text: str) -> list[Token]:
        """MyST block tokens of ``text`` (a directive's body, say), cached like the files."""
        return self.cache.parse(text) if self.cache else markdown_parser().parse(text)

    @property
    def documents(self) -> list[Document]:
        return [*self.chapters.values(), *self.pages.values(), *self.exercises.values()]

    @property
    def learning_outcomes(self) -> dict[str, LearningOutcome]:
        """Every declared outcome by id (the first declaration wins)."""
        outcomes: dict[str, LearningOutcome] = {}
        for chapter in self.chapters.values():
            for outcome in chapter.learning_outcomes:
                outcomes.setdefault(outcome.id, outcome)
        return outcomes

    def exercise_by_id(self) -> dict[str, Exercise]:
        """Exercises by their declared ``id`` (falling back to the file name)."""
        return {(e.exercise_id or e.id): e for e in self.exercises.values()}


#: The folder of ``handbook/`` that holds data files, not pages (the build excludes it).
DATA_FOLDER = "data"

#: Where parsed Markdown is cached between runs (``make clean`` removes it).
TOKEN_CACHE_DIR = "_build/.cache/tokens"


#: The model :func:`keep_curriculum` loaded: its folder, the digest of the sources it was read
#: from, and the model.
_kept: tuple[Path, str, Curriculum] | None = None


def keep_curriculum(root: Path) -> None:
    """Load ``root``'s model now, for the processes forked from this one to share
    (:func:`kept_curriculum`); a folder that is not a curriculum is left alone."""
    from .digest import sources_digest

    global _kept
    root = root.resolve()
    if (root / CHAPTER_DIR).is_dir():
        _kept = (root, sources_digest(root), load_curriculum(root))


def kept_curriculum(root: Path) -> Curriculum | None:
    """The model :func:`keep_curriculum` loaded, if it is ``root``'s and nothing it was read
    from has changed since; None otherwise."""
    from .digest import sources_digest

    if _kept is None or _kept[0] != root.resolve():
        return None
    return _kept[2] if sources_digest(_kept[0]) == _kept[1] else None


def load_curriculum(root: Path, *, cached: bool = True) -> Curriculum:
    """Load every chapter (``handbook/*.md``), exercise (``exercises/*.md``) and the agenda."""
    root = root.resolve()
    cache = TokenCache(root / TOKEN_CACHE_DIR) if cached else None
    curriculum = Curriculum(root, cache=cache)
    handbook = root / CHAPTER_DIR
    for path in sorted(handbook.rglob("*.md")):
        name = path.relative_to(handbook).with_suffix("").as_posix()
        if name.startswith(f"{DATA_FOLDER}/") or any(part.startswith((".", "_")) for part in Path(name).parts):
            continue
        if "/" in name:
            curriculum.pages[name] = load_chapter(path, cache, name)
        else:
            curriculum.chapters[name] = load_chapter(path, cache, name)
    for path in sorted((root / EXERCISE_DIR).glob("*.md")):
        curriculum.exercises[path.stem] = load_exercise(path, cache)
    agenda_path = root / AGENDA_FILE
    if agenda_path.exists():
        curriculum.agenda = load_agenda(agenda_path)
        curriculum.agenda.schedule(curriculum.exercise_by_id())
    return curriculum
