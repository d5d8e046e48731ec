"""FM: front matter of exercises (contract v1) and chapters (learning outcomes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..model import CHAPTER_FIELDS, EXERCISE_FIELDS, KEBAB, Document, FieldSpec
from .context import Context
from .registry import Finding, check, did_you_mean, family, rule
from .samples import AGENDA, CHAPTER, EXERCISE, EXERCISE_FRONT, changed, retitled

family("FM", "Front matter")

#: Keys Sphinx and MyST read from any document's front matter.
SPHINX_KEYS = ("myst", "orphan", "nosearch", "nocomments", "tocdepth", "html_meta")
START = (1, 1)

MISSING = rule(
    "FM001",
    "missing-front-matter",
    "error",
    "An exercise has no front matter.",
    """
    Every exercise starts with a YAML front-matter block between two lines `---`, holding
    its id, title, type, duration, grouping and objectives (contract v1).

    **Fix:** add the block as the very first lines of the file:

    ```yaml
    ---
    id: three-minute-statement
    title: Deliver a three-minute statement
    type: presentation
    duration: 60
    grouping: individual
    objectives: [statements-2]
    ---
    ```
    """,
    why=(
        "Without its front matter the exercise has no id, type or duration: the agenda cannot schedule "
        "it and its handout cannot be made."
    ),
    example=changed(EXERCISE, (f"---\n{EXERCISE_FRONT}---\n\n", "")),
    fixed=EXERCISE,
)
INVALID_YAML = rule(
    "FM002",
    "invalid-yaml",
    "error",
    "The front matter is not valid YAML.",
    """
    The block between the two `---` lines could not be read as YAML, or it is not closed by a
    second `---` line. The finding points at the line where YAML gave up, which is often just
    after the real mistake.

    **Fix:** look for a missing space after a colon, a tab used for indentation, a value with
    a colon that needs quotes (`title: "Forum: the process"`), or an unclosed `[` or quote.
    """,
    why=(
        "A block that YAML cannot read is lost as a whole: none of its keys reach the agenda, the handouts or "
        "the build."
    ),
    example=changed(EXERCISE, ("title: Introductions", "title: Introductions: who we are")),
    fixed=retitled('"Introductions: who we are"', "Introductions: who we are"),
)
NOT_MAPPING = rule(
    "FM003",
    "front-matter-not-mapping",
    "error",
    "The front matter is valid YAML but not a mapping of keys to values.",
    """
    Front matter must be `key: value` lines. A list (`- item`) or a single value at the top
    level cannot hold the contract's keys.

    **Fix:** write one `key: value` line per setting.
    """,
    why="The keys the agenda and the handouts need cannot be read from a list, so the exercise has none of them.",
    example=changed(EXERCISE, (EXERCISE_FRONT, "- introductions\n- discussion\n- 20\n")),
    fixed=EXERCISE,
)
MISSING_KEY = rule(
    "FM004",
    "missing-key",
    "error",
    "A required front-matter key is missing.",
    """
    An exercise needs `id`, `title`, `type`, `duration`, `grouping` and `objectives`.
    The finding points at the opening `---` and names the missing key.

    **Fix:** add the key with a value of the right kind (see `curriculum check --list-rules`
    and the exercise contract).
    """,
    why="The agenda, the handouts and the materials list read these keys; without one the exercise cannot be printed.",
    example=changed(EXERCISE, ("grouping: plenary\n", "")),
    fixed=EXERCISE,
)
WRONG_TYPE = rule(
    "FM005",
    "wrong-type",
    "error",
    "A front-matter value has the wrong type.",
    """
    `duration` and `time_limit` are whole numbers of minutes; `id`, `title`, `type` and
    `grouping` are text; `objectives` and `materials` are lists of text; a chapter's
    `learning_outcomes` is a mapping of ids to text.

    **Fix:** write `duration: 45`, not `duration: 45 min`; write `objectives: [forum-1]`,
    not `objectives: forum-1`.
    """,
    why=(
        "The agenda adds up durations and the handouts list objectives; text where a number belongs "
        "cannot be added up, a single value cannot be listed."
    ),
    example=changed(EXERCISE, ("duration: 20", "duration: 20 minutes")),
    fixed=EXERCISE,
)
INVALID_VALUE = rule(
    "FM006",
    "invalid-value",
    "error",
    "A front-matter value is not allowed.",
    """
    `type` and `grouping` take one of a fixed set of values; numbers of minutes are at least
    1; text and required lists are not empty.

    **Fix:** use one of the values the message lists (it suggests the closest one).
    """,
    why="Handouts, copy counts and the trainer's agenda are worked out from these values; others mean nothing to them.",
    example=changed(EXERCISE, ("grouping: plenary", "grouping: plenum")),
    fixed=EXERCISE,
)
UNKNOWN_KEY = rule(
    "FM007",
    "unknown-key",
    "error",
    "The front matter has a key the contract does not define.",
    """
    Unknown keys are usually misspellings (`objective:` for `objectives:`), and a misspelt
    optional key would otherwise be ignored in silence.

    **Fix:** correct the spelling (the message suggests the closest known key) or remove
    the key.
    """,
    why=(
        "The setting meant is not applied: a misspelt `materials` leaves the room checklist without the "
        "exercise's needs."
    ),
    example=changed(EXERCISE, ("---\n\n", "materals: [flip chart]\n---\n\n")),
    fixed=changed(EXERCISE, ("---\n\n", "materials: [flip chart]\n---\n\n")),
)
ID_MISMATCH = rule(
    "FM008",
    "id-mismatch",
    "error",
    "An exercise's id is not its file name.",
    """
    The id names the exercise in the agenda, in links and in handout file names, so it must
    equal the file name without `.md`.

    **Fix:** rename the file to `<id>.md` or change the id to the file name.
    """,
    why="The agenda and links find the exercise by its id, the build by its file name; one of them points nowhere.",
    example=changed(EXERCISE, ("id: introductions", "id: introduction-round")),
    fixed=EXERCISE,
)
NOT_KEBAB = rule(
    "FM009",
    "id-not-kebab-case",
    "error",
    "An exercise id or chapter file name is not lowercase kebab-case.",
    """
    Ids become file names and web addresses: lowercase letters and digits, words joined by
    single hyphens (`three-minute-statement`).

    **Fix:** rename, for example `Three_Minute_Statement` to `three-minute-statement`.
    """,
    why="Capitals, spaces and underscores make addresses and file names that differ between systems, and links break.",
    example=changed(EXERCISE, ("id: introductions", "id: Introductions")),
    fixed=EXERCISE,
)
DUPLICATE_ID = rule(
    "FM010",
    "duplicate-id",
    "error",
    "Two exercises declare the same id.",
    """
    Each exercise id must be unique in the curriculum; the agenda and links could not tell
    the two apart.

    **Fix:** give one of the exercises a new id and rename its file to match.
    """,
    why="The agenda would schedule, and links would open, whichever of the two exercises happened to be found first.",
    example=retitled("Warm-up", path="exercises/warm-up.md"),
    fixed=(
        changed(retitled("Warm-up", path="exercises/warm-up.md"), ("id: introductions", "id: warm-up")),
        changed(
            AGENDA,
            ('"10:00"', '"10:20"'),
            ("- exercise: introductions\n", "- exercise: introductions\n      - exercise: warm-up\n"),
        ),
    ),
)
OUTCOME_ID = rule(
    "FM011",
    "outcome-id-not-kebab-case",
    "error",
    "A learning-outcome id is not lowercase kebab-case.",
    """
    Learning-outcome ids are named by exercises' `objectives` and become link targets
    (`outcome-<id>`).

    **Fix:** use lowercase letters, digits and single hyphens, such as `forum-1`.
    """,
    why=(
        "Exercises and links name outcomes by id; an id that is not kebab-case makes a target that differs "
        "between systems."
    ),
    example=changed(CHAPTER, ("introduction-1:", "Introduction_1:")),
    fixed=CHAPTER,
)
OUTCOME_TEXT = rule(
    "FM012",
    "empty-outcome",
    "error",
    "A learning outcome has no text.",
    """
    Each entry of `learning_outcomes` maps an id to what a participant can do after the
    chapter; the text is printed under the chapter's title.

    **Fix:** write the outcome as text: `forum-1: Describe the origin of the Regional Forum`.
    """,
    why=(
        "The chapter would promise an outcome without saying what it is, and the evaluation form would ask "
        "about nothing."
    ),
    example=changed(CHAPTER, (": Describe what the course covers", ":")),
    fixed=CHAPTER,
)

KIND_NAMES: dict[type, str] = {str: "text", int: "a whole number", list: "a list", dict: "a mapping"}


def describe(value: object) -> str:
    """How a YAML value reads to an author: ``text 'sixty'``, ``a list``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str):
        return f"text '{value}'"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value}"
    return KIND_NAMES.get(type(value), type(value).__name__)


def has_kind(value: object, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return kind is bool
    return isinstance(value, kind)


def front_matter_problems(document: Document, required: bool) -> Iterator[Finding]:
    for problem in document.problems:
        if problem.kind in {"yaml", "front-matter-type"}:
            chosen = INVALID_YAML if problem.kind == "yaml" else NOT_MAPPING
            yield chosen.at(document.path, (problem.line, problem.column), problem.message)
    if required and not document.markdown.has_front_matter and not document.problems:
        yield MISSING.at(document.path, START, "the exercise has no front matter (a block between two '---' lines)")


def check_fields(document: Document, fields: tuple[FieldSpec, ...], extra: tuple[str, ...] = ()) -> Iterator[Finding]:
    """Unknown keys, then each field's presence, type and value."""
    front = document.front_matter
    specs = {spec.name: spec for spec in fields}
    path = document.path
    for key in front.data:
        if str(key) not in specs and str(key) not in extra:
            hint = did_you_mean(key, [*specs, *extra])
            yield UNKNOWN_KEY.at(path, front.where(str(key)), f"unknown front-matter key '{key}'{hint}")
    for spec in fields:
        if spec.name not in front.data:
            if spec.required:
                yield MISSING_KEY.at(path, START, f"front matter is missing the required key '{spec.name}'")
            continue
        yield from check_value(document, spec, front.data[spec.name])


def swallowed_line(document: Document, line: int, item: str) -> int | None:
    """The line of a ``- item`` that YAML read as the continuation of the item on ``line``."""
    if " - " not in item:
        return None
    lines = document.markdown.file.text.split("\n")
    start = lines[line - 1] if 0 < line <= len(lines) else ""
    for number in range(line + 1, min(line + 4, len(lines) + 1)):
        text = lines[number - 1]
        if text.lstrip().startswith("- ") and len(text) - len(text.lstrip()) > len(start) - len(start.lstrip()):
            return number
    return None


def check_value(document: Document, spec: FieldSpec, value: object) -> Iterator[Finding]:
    path, where, name = document.path, document.front_matter.where, spec.name
    if not has_kind(value, spec.kind):
        expected = KIND_NAMES.get(spec.kind, str(spec.kind)) if isinstance(spec.kind, type) else "a value"
        yield WRONG_TYPE.at(path, where(name), f"'{name}' must be {expected}, found {describe(value)}")
        return
    if isinstance(value, list):
        if spec.required and not value:
            yield INVALID_VALUE.at(path, where(name), f"'{name}' is empty; list at least one item")
        for index, item in enumerate(value):
            if spec.item_kind and not has_kind(item, spec.item_kind):
                yield WRONG_TYPE.at(
                    path,
                    where(name, index),
                    f"'{name}' item {index + 1} must be {KIND_NAMES[spec.item_kind]}, found {describe(item)}",
                )
            elif isinstance(item, str) and not item.strip():
                yield INVALID_VALUE.at(path, where(name, index), f"'{name}' item {index + 1} is empty")
            elif isinstance(item, str) and (swallowed := swallowed_line(document, where(name, index)[0], item)):
                yield INVALID_YAML.at(
                    path,
                    (swallowed, 1),
                    f"line {swallowed} is indented more than the list item above it, so YAML joined the two "
                    f"into one item '{item}'; start every '- ' item in the same column",
                )
    elif isinstance(value, str):
        if not value.strip():
            yield INVALID_VALUE.at(path, where(name), f"'{name}' is empty")
        elif spec.choices and value not in spec.choices:
            yield INVALID_VALUE.at(
                path,
                where(name),
                f"'{name}' is '{value}', not one of {', '.join(spec.choices)}{did_you_mean(value, spec.choices)}",
            )
    elif isinstance(value, int) and value < 1:
        yield INVALID_VALUE.at(path, where(name), f"'{name}' is {value}; it must be at least 1 minute")


@check(
    MISSING,
    INVALID_YAML,
    NOT_MAPPING,
    MISSING_KEY,
    WRONG_TYPE,
    INVALID_VALUE,
    UNKNOWN_KEY,
    ID_MISMATCH,
    NOT_KEBAB,
    OUTCOME_ID,
    OUTCOME_TEXT,
)
def front_matter(context: Context) -> Iterator[Finding]:
    yield from exercise_front_matter(context)
    yield from chapter_front_matter(context)


def exercise_front_matter(context: Context) -> Iterator[Finding]:
    for exercise in context.exercises():
        yield from front_matter_problems(exercise, required=True)
        if exercise.markdown.front_matter is None:
            continue
        yield from check_fields(exercise, EXERCISE_FIELDS)
        declared = exercise.exercise_id
        if declared and declared.strip():
            position = exercise.front_matter.where("id")
            if not KEBAB.match(declared):
                yield NOT_KEBAB.at(exercise.path, position, f"id '{declared}' is not lowercase kebab-case")
            if declared != exercise.id:
                yield ID_MISMATCH.at(
                    exercise.path,
                    position,
                    f"id '{declared}' does not match the file name '{exercise.path.name}'",
                )


@check(DUPLICATE_ID)
def unique_exercise_ids(context: Context) -> Iterator[Finding]:
    first: dict[str, Document] = {}
    # The exercise whose file name is its id owns the id; the others repeat it.
    for exercise in sorted(context.exercises(), key=lambda e: e.exercise_id != e.id):
        declared = exercise.exercise_id
        if not declared:
            continue
        if declared in first:
            other = first[declared].path.relative_to(context.curriculum.root).as_posix()
            yield DUPLICATE_ID.at(
                exercise.path, exercise.front_matter.where("id"), f"id '{declared}' is already used by {other}"
            )
        else:
            first[declared] = exercise


def chapter_front_matter(context: Context) -> Iterator[Finding]:
    for chapter in context.chapters():
        yield from front_matter_problems(chapter, required=False)
        if not KEBAB.match(chapter.id):
            yield NOT_KEBAB.at(chapter.path, START, f"chapter file name '{chapter.id}' is not lowercase kebab-case")
        if chapter.markdown.front_matter is None:
            continue
        yield from check_fields(chapter, CHAPTER_FIELDS, SPHINX_KEYS)
        outcomes = chapter.value("learning_outcomes", dict) or {}
        for key, text in outcomes.items():
            position = chapter.front_matter.where("learning_outcomes", str(key))
            if not KEBAB.match(str(key)):
                yield OUTCOME_ID.at(chapter.path, position, f"learning-outcome id '{key}' is not lowercase kebab-case")
            if not isinstance(text, str) or not text.strip():
                yield OUTCOME_TEXT.at(
                    chapter.path, position, f"learning outcome '{key}' must be text, found {describe(text)}"
                )
