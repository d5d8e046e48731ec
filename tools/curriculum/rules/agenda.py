"""AG: the agenda (``handbook/agenda.yml``) is well formed, complete and fits each day."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import (
    AGENDA_DAY_KEYS,
    AGENDA_FILE,
    AGENDA_ITEM_KEYS,
    AGENDA_KIND_NAMES,
    AGENDA_KINDS,
    AGENDA_ROOT_KEYS,
    Agenda,
    Day,
    format_time,
    parse_time,
)
from ..source import KeyPath, YamlDocument
from .context import Context
from .frontmatter import describe
from .registry import Finding, Rule, check, did_you_mean, family, rule
from .samples import AGENDA, changed

family("AG", "Agenda")

# the agenda's vocabulary comes from the model (one contract for the loader, the checker and the schema)
ROOT_KEYS = tuple(AGENDA_ROOT_KEYS)
DAY_KEYS = tuple(AGENDA_DAY_KEYS)
ITEM_KEYS = AGENDA_ITEM_KEYS
KINDS = AGENDA_KIND_NAMES
TIMED = frozenset(kind.name for kind in AGENDA_KINDS if kind.timed)
KIND_LIST = ", ".join(f"'{k}'" for k in KINDS[:-1]) + f" or '{KINDS[-1]}'"

INVALID_AGENDA = rule(
    "AG001",
    "invalid-agenda-yaml",
    "error",
    "The agenda is not valid YAML, or not a mapping.",
    """
    `handbook/agenda.yml` is YAML: a `title` and a list of `days`. The finding points at the
    line where YAML gave up.

    **Fix:** look for a missing space after a colon, tabs, or text with a colon that needs
    quotes.
    """,
    why="A YAML mistake loses the whole agenda: no day can be timed, no exercise scheduled, and the build fails.",
    example=changed(AGENDA, ("title: One-day course", "title: Course: day one")),
    fixed=changed(AGENDA, ("title: One-day course", 'title: "Course: day one"')),
)
STRUCTURE = rule(
    "AG002",
    "agenda-structure",
    "error",
    "The agenda's days or items are not shaped as the format requires.",
    """
    The agenda has `days`, a list; each day has `title`, `start`, `end` and `items`, a list;
    each item is exactly one of `chapter: ID` (with `minutes`), `exercise: ID` (its minutes
    come from the exercise's `duration`), `break: TEXT` (with `minutes`) or `session: TEXT`
    (with `minutes`: a session that is neither a chapter nor an exercise, such as a wrap-up
    or a guest speaker), and may have `notes` and `closing: true` (the item that closes the
    day).

    **Fix:** follow the shape in the message; unknown keys get a "did you mean".
    """,
    why="An item of the wrong shape cannot be timed or placed, so the day's times and the trainer's agenda are wrong.",
    example=changed(AGENDA, ("minutes: 30", "minuts: 30")),
    fixed=AGENDA,
)
INVALID_TIME = rule(
    "AG003",
    "invalid-time",
    "error",
    'A day\'s start or end is not a time like "09:00".',
    """
    Times are 24-hour clock times in quotes: `start: "09:00"`. Without quotes YAML reads
    `9:00` as a number, and `9` would mean nine minutes after midnight.

    **Fix:** write the time as `"HH:MM"` in quotes.
    """,
    why="A time YAML reads as a number, or one that is not a time at all, makes every time of the day wrong.",
    example=changed(AGENDA, ('start: "09:00"', "start: 9:00")),
    fixed=AGENDA,
)
DAY_ORDER = rule(
    "AG004",
    "day-ends-before-start",
    "error",
    "A day ends before (or when) it starts.",
    """
    A day's `end` must be later than its `start`.

    **Fix:** correct the times (they use the 24-hour clock: `"16:30"`, not `"4:30"`).
    """,
    why="No item fits into a day that ends before it starts, so the day's times mean nothing.",
    example=changed(AGENDA, ('end: "10:00"', 'end: "08:00"')),
    fixed=AGENDA,
)
UNKNOWN_CHAPTER = rule(
    "AG005",
    "unknown-chapter",
    "error",
    "An agenda item names a chapter that is not in the book.",
    """
    `chapter:` takes the id of a chapter of the course: its file name in `handbook/`
    without `.md`, for a page that declares `learning_outcomes`. The glossary, templates,
    references and other annexes are pages of the book, not sessions of the course.

    **Fix:** correct the id (the message suggests the closest).
    """,
    why="The session cannot be linked to a chapter, and the chapter meant is left without a slot.",
    example=changed(AGENDA, ("chapter: introduction", "chapter: intro")),
    fixed=AGENDA,
)
UNKNOWN_EXERCISE = rule(
    "AG006",
    "unknown-exercise",
    "error",
    "An agenda item names an exercise that does not exist.",
    """
    `exercise:` takes an exercise's `id`, which is also its file name in `exercises/`.

    **Fix:** correct the id (the message suggests the closest), or write the exercise.
    """,
    why="The session has no exercise behind it: no duration, no handout, no trainer notes.",
    example=changed(AGENDA, ("exercise: introductions", "exercise: introduction")),
    fixed=AGENDA,
)
MISSING_MINUTES = rule(
    "AG007",
    "missing-minutes",
    "error",
    "A chapter, break or session item has no (valid) minutes.",
    """
    Chapters, breaks and sessions take the time the agenda gives them: `minutes: 30`, a
    whole number of at least 1.

    **Fix:** add or correct `minutes`.
    """,
    why="Without minutes the item has no length, so every later time of the day is wrong.",
    example=changed(AGENDA, ("        minutes: 30\n", "")),
    fixed=AGENDA,
)
OVERRUN = rule(
    "AG008",
    "day-overrun",
    "error",
    "A day's items do not fit between its start and end.",
    """
    The items of a day, one after another from its start, must end by the day's end.
    Exercises take their `duration`; chapters and breaks their `minutes`. The finding
    points at the first item that ends too late.

    **Fix:** shorten items, move one to another day, or change the day's times.
    """,
    why="The day cannot be delivered as printed: the last sessions would be cut or run late.",
    example=changed(AGENDA, ('end: "10:00"', 'end: "09:50"')),
    fixed=AGENDA,
)
SCHEDULED_TWICE = rule(
    "AG009",
    "exercise-scheduled-twice",
    "error",
    "An exercise appears in the agenda more than once.",
    """
    Each exercise is run once in the course.

    **Fix:** remove the second occurrence (or write a second exercise).
    """,
    why="The second run takes time the exercise only needs once, and the agenda shows it twice.",
    example=changed(
        AGENDA, ('"10:00"', '"10:20"'), ("      - exercise: introductions\n", "      - exercise: introductions\n" * 2)
    ),
    fixed=AGENDA,
)
UNSCHEDULED = rule(
    "AG010",
    "exercise-not-scheduled",
    "warning",
    "An exercise does not appear in the agenda.",
    """
    Every exercise should have its place in the course. The finding points at the
    exercise's id.

    **Fix:** add `- exercise: ID` to a day of `handbook/agenda.yml`, or remove the exercise.
    """,
    why="An exercise that is in no session is never run, although its handout is printed.",
    example=changed(AGENDA, ("      - exercise: introductions\n", ""), ("minutes: 10", "minutes: 30")),
    fixed=AGENDA,
)


CHAPTER_UNSCHEDULED = rule(
    "AG011",
    "chapter-not-scheduled",
    "error",
    "A chapter of the course has no slot in the agenda.",
    """
    Every chapter of the course (a page of `handbook/` that declares `learning_outcomes`) is
    taught in some session, so the agenda, the coverage matrix and the trainer's timings
    agree with the book. The finding points at the chapter's title.

    **Fix:** add `- chapter: ID` with its `minutes` to a day of `handbook/agenda.yml`, or, if
    the page is not taught, remove its `learning_outcomes`.
    """,
    why="A chapter without a session is never taught, and the agenda, the coverage matrix and the book disagree.",
    example=changed(AGENDA, ("chapter: introduction", "session: Opening")),
    fixed=AGENDA,
)


@check(
    INVALID_AGENDA,
    STRUCTURE,
    INVALID_TIME,
    DAY_ORDER,
    UNKNOWN_CHAPTER,
    UNKNOWN_EXERCISE,
    MISSING_MINUTES,
    OVERRUN,
    SCHEDULED_TWICE,
    UNSCHEDULED,
    CHAPTER_UNSCHEDULED,
)
def agenda(context: Context) -> Iterator[Finding]:
    agenda = context.curriculum.agenda
    if agenda is None:
        return
    for problem in agenda.problems:
        if problem.kind in {"yaml", "front-matter-type"}:
            yield INVALID_AGENDA.at(agenda.path, (problem.line, problem.column), problem.message)
    if agenda.problems:
        return
    checker = _AgendaChecker(context, agenda)
    yield from checker.structure()
    for day in agenda.days:
        yield from checker.overrun(day)
    yield from checker.unscheduled()


class _AgendaChecker:
    def __init__(self, context: Context, agenda: Agenda) -> None:
        self.context = context
        self.agenda = agenda
        self.document: YamlDocument = agenda.document
        self.exercises = context.curriculum.exercise_by_id()
        self.scheduled: dict[str, KeyPath] = {}
        self.chapters: set[str] = set()

    def at(self, chosen: Rule, path: KeyPath, message: str) -> Finding:
        return chosen.at(self.agenda.path, self.document.where(*path), message)

    def unknown_keys(
        self, mapping: dict[object, object], path: KeyPath, known: tuple[str, ...], what: str
    ) -> Iterator[Finding]:
        for key in mapping:
            if str(key) not in known:
                yield self.at(STRUCTURE, (*path, str(key)), f"unknown {what} key '{key}'{did_you_mean(key, known)}")

    def structure(self) -> Iterator[Finding]:
        data = self.document.data
        yield from self.unknown_keys(data, (), ROOT_KEYS, "agenda")
        days = data.get("days")
        if not isinstance(days, list) or not days:
            yield self.at(STRUCTURE, ("days",), "the agenda needs 'days', a list of days")
            return
        for index, day in enumerate(days):
            path: KeyPath = ("days", index)
            if not isinstance(day, dict):
                yield self.at(STRUCTURE, path, f"day {index + 1} must be a mapping with title, start, end and items")
                continue
            yield from self.unknown_keys(day, path, DAY_KEYS, "day")
            yield from self.times(day, path)
            items = day.get("items")
            if not isinstance(items, list) or not items:
                yield self.at(STRUCTURE, (*path, "items"), f"day {index + 1} needs 'items', a list of items")
                continue
            for number, item in enumerate(items):
                yield from self.item(item, (*path, "items", number))

    def times(self, day: dict[object, object], path: KeyPath) -> Iterator[Finding]:
        found = {}
        for key in ("start", "end"):
            value = day.get(key)
            minutes = parse_time(value)
            if key not in day:
                yield self.at(INVALID_TIME, path, f"the day has no '{key}' time; add {key}: \"HH:MM\"")
            elif not isinstance(value, str) or minutes is None:
                example = format_time(minutes) if minutes is not None else "09:00"
                yield self.at(
                    INVALID_TIME,
                    (*path, key),
                    f"'{key}' must be a time in quotes like \"{example}\", found {describe(value)}",
                )
            else:
                found[key] = minutes
        if len(found) == 2 and found["start"] >= found["end"]:
            yield self.at(
                DAY_ORDER,
                (*path, "end"),
                f"the day ends at {format_time(found['end'])}, not after its start at {format_time(found['start'])}",
            )

    def item(self, item: object, path: KeyPath) -> Iterator[Finding]:
        if not isinstance(item, dict):
            yield self.at(STRUCTURE, path, f"an item must be a mapping: one of {KIND_LIST}")
            return
        kinds = [kind for kind in KINDS if kind in item]
        yield from self.unknown_keys(item, path, ITEM_KEYS, "item")
        if len(kinds) != 1:
            found = " and ".join(f"'{kind}'" for kind in kinds) or "none of them"
            yield self.at(STRUCTURE, path, f"an item is exactly one of {KIND_LIST}; found {found}")
            return
        kind = kinds[0]
        ref = item[kind]
        if "closing" in item and not isinstance(item["closing"], bool):
            yield self.at(
                STRUCTURE, (*path, "closing"), f"'closing' is true or false, found {describe(item['closing'])}"
            )
        if kind == "chapter":
            chapters = {c.id: c for c in self.context.course_chapters()}
            if isinstance(ref, str) and ref in chapters:
                self.chapters.add(ref)
            elif isinstance(ref, str) and ref in self.context.curriculum.chapters:
                yield self.at(
                    UNKNOWN_CHAPTER,
                    (*path, kind),
                    f"'{ref}' is a page of the book, not a chapter of the course (it declares no "
                    f"learning_outcomes){did_you_mean(ref, chapters)}",
                )
            else:
                yield self.at(
                    UNKNOWN_CHAPTER, (*path, kind), f"no chapter '{ref}' in handbook/{did_you_mean(ref, chapters)}"
                )
        elif kind == "exercise":
            if not isinstance(ref, str) or ref not in self.exercises:
                yield self.at(
                    UNKNOWN_EXERCISE,
                    (*path, kind),
                    f"no exercise '{ref}' in exercises/{did_you_mean(ref, self.exercises)}",
                )
            elif ref in self.scheduled:
                line = self.document.where(*self.scheduled[ref])[0]
                yield self.at(SCHEDULED_TWICE, (*path, kind), f"exercise '{ref}' is already scheduled on line {line}")
            else:
                self.scheduled[ref] = (*path, kind)
            if "minutes" in item:
                yield self.at(
                    STRUCTURE,
                    (*path, "minutes"),
                    "an exercise's minutes come from its 'duration'; remove 'minutes' here",
                )
            return
        minutes = item.get("minutes")
        if "minutes" not in item:
            yield self.at(MISSING_MINUTES, path, f"this {kind} item needs 'minutes'")
        elif not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
            yield self.at(
                MISSING_MINUTES,
                (*path, "minutes"),
                f"'minutes' must be a whole number of at least 1, found {describe(minutes)}",
            )

    def overrun(self, day: Day) -> Iterator[Finding]:
        if day.start is None or day.end is None or day.start >= day.end:
            return
        for item in day.items:
            if item.start is None or item.minutes is None or item.minutes < 1:
                return
            ends = item.start + item.minutes
            if ends > day.end:
                total = sum(i.minutes or 0 for i in day.items)
                known = all(i.minutes for i in day.items)
                excess = (
                    f"; the day's items take {total} minutes, {total - (day.end - day.start)} more than it has"
                    if known
                    else ""
                )
                yield OVERRUN.at(
                    self.agenda.path,
                    (item.line, item.column),
                    f"'{item.kind}: {item.ref}' ends at {format_time(ends)}, after {day.title} ends at "
                    f"{format_time(day.end)}{excess}",
                )
                return

    def unscheduled(self) -> Iterator[Finding]:
        if not isinstance(self.document.data.get("days"), list):
            return
        for chapter in self.context.course_chapters():
            if chapter.id not in self.chapters:
                title = chapter.title
                yield CHAPTER_UNSCHEDULED.at(
                    chapter.path,
                    (title.line, 1) if title else (1, 1),
                    f"chapter '{chapter.id}' has no slot in the agenda; add '- chapter: {chapter.id}' with its "
                    f"minutes to {AGENDA_FILE}",
                )
        for exercise in self.context.exercises():
            key = exercise.exercise_id or exercise.id
            if key not in self.scheduled:
                position = exercise.front_matter.where("id") if exercise.markdown.front_matter else (1, 1)
                yield UNSCHEDULED.at(
                    exercise.path,
                    position,
                    f"exercise '{key}' is not in the agenda (handbook/agenda.yml)",
                )
