"""TIME: timed deliveries fit their time limit."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import WORD, Catalogue, Exercise
from .context import Context
from .registry import Finding, check, family, rule
from .samples import LONG_ANSWER, SHORT_ANSWER, timed

family("TIME", "Timed deliveries")

ANSWER_TOO_LONG = rule(
    "TIME001",
    "model-answer-too-long",
    "error",
    "A timed exercise's model answer cannot be delivered within its time limit.",
    """
    Where an exercise sets `time_limit`, its `## Model answer` must fit the limit when read
    at the configured speaking rate (`words_per_minute` in `[tool.curriculum]`, default 100
    words a minute, the pace interpreters ask for in read statements). Every word of the
    section counts; roles and markup do not. Each translation's model answer is held to the
    limit at its own language's rate (`[tool.curriculum.words_per_minute]`, e.g. `ar = 85`),
    and the finding is located in that language's catalogue.

    **Fix:** shorten the model answer to the number of words the message gives, or raise
    `time_limit` if the exercise allows it.
    """,
    why="A model answer that cannot be delivered in the time allowed shows participants an answer they could not give.",
    example=timed("time_limit: 1", LONG_ANSWER),
    fixed=timed("time_limit: 1", SHORT_ANSWER),
)
LIMIT_OVER_DURATION = rule(
    "TIME002",
    "time-limit-exceeds-duration",
    "error",
    "An exercise's time limit is longer than the exercise.",
    """
    `time_limit` is the time allowed for one delivery inside the exercise; it cannot exceed
    the exercise's `duration`.

    **Fix:** correct `time_limit` or `duration`.
    """,
    why="No delivery can outlast the exercise it belongs to, so one of the two numbers is wrong, and the day's timing.",
    example=timed("time_limit: 30", SHORT_ANSWER),
    fixed=timed("time_limit: 1", SHORT_ANSWER),
)


@check(ANSWER_TOO_LONG, LIMIT_OVER_DURATION)
def deliveries(context: Context) -> Iterator[Finding]:
    """Time limits, and model answers (source and translations) that fit them."""
    yield from timed_deliveries(context)
    yield from translated_deliveries(context)


def timed_deliveries(context: Context) -> Iterator[Finding]:
    rate = context.project.words_per_minute()
    for exercise in context.exercises():
        limit = exercise.time_limit
        if limit is None or limit < 1:
            continue
        duration = exercise.duration
        if duration is not None and limit > duration:
            yield LIMIT_OVER_DURATION.at(
                exercise.path,
                exercise.front_matter.where("time_limit"),
                f"time_limit {limit} is longer than the exercise's duration {duration}",
            )
        answer = exercise.section("Model answer")
        if answer is None:
            continue
        words, allowed = answer.words, limit * rate
        if words > allowed:
            yield ANSWER_TOO_LONG.at(
                exercise.path,
                (answer.line, context.column(exercise, answer.line)),
                f"the model answer has {words} words; a {limit}-minute delivery at {rate} words a minute "
                f"allows {allowed} ({words - allowed} too many)",
            )


OUTSIDE_BRIEF = rule(
    "TIME003",
    "model-answer-outside-brief",
    "error",
    "A model answer is longer or shorter than the product the exercise asks for.",
    """
    An exercise can state the size of what participants produce, as a range of words:
    `product: {words: [250, 300]}`. The `## Model answer` must meet the same brief, so
    that trainers show participants an answer that does what was asked. A translation's
    model answer is held to the range scaled by the ratio of its language's speaking rate
    to the source language's (at 85 against 100 words a minute, 250–300 becomes 213–255).

    **Fix:** lengthen or shorten the model answer to the range, or correct `product`.
    `product` must be a mapping with `words: [MIN, MAX]`, two whole numbers, MIN ≤ MAX.
    """,
    why="Trainers would show participants a model answer that does not do what the brief asked of them.",
    example=timed("product: {words: [30, 50]}", "Good morning and welcome. Please take part and ask questions."),
    fixed=timed("product: {words: [30, 50]}", SHORT_ANSWER),
)


def translated_answer(exercise: Exercise, catalogue: Catalogue) -> tuple[int, int] | None:
    """(words, first .po line) of the translated model answer, if every part is translated."""
    lines = exercise.section_lines("Model answer")
    if lines is None:
        return None
    name = f"{exercise.path.parent.name}/{exercise.path.name}"
    messages = [
        m for m in catalogue.messages if any(source.endswith(name) and line in lines for source, line in m.locations)
    ]
    # the heading itself is a message too; it is not part of the answer
    body = [m for m in messages if m.id.strip() != "Model answer"]
    if not body or any(not m.string or m.fuzzy for m in body):
        return None
    return sum(len(WORD.findall(m.string)) for m in body), body[0].line


def catalogues_of(context: Context, exercise: Exercise) -> Iterator[Catalogue]:
    suffix = f"{exercise.path.parent.name}/{exercise.path.stem}.po"
    for catalogue in context.curriculum.catalogues:
        if catalogue.path.as_posix().endswith(suffix) and not catalogue.problems:
            yield catalogue


def translated_deliveries(context: Context) -> Iterator[Finding]:
    """TIME001 for each translation, at that language's speaking rate."""
    for exercise in context.exercises():
        limit = exercise.time_limit
        if limit is None or limit < 1:
            continue
        for catalogue in catalogues_of(context, exercise):
            found = translated_answer(exercise, catalogue)
            if found is None:
                continue
            words, line = found
            rate = context.project.words_per_minute(catalogue.language)
            if words > limit * rate:
                yield ANSWER_TOO_LONG.at(
                    catalogue.path,
                    (line, 1),
                    f"the {catalogue.language} model answer of {exercise.id} has {words} words; a {limit}-minute "
                    f"delivery at {rate} words a minute allows {limit * rate} ({words - limit * rate} too many)",
                )


@check(OUTSIDE_BRIEF)
def briefs(context: Context) -> Iterator[Finding]:
    source_rate = context.project.words_per_minute()
    for exercise in context.exercises():
        if "product" not in exercise.front_matter.data:
            continue
        where = exercise.front_matter.where("product")
        size = exercise.product_words
        if size is None:
            yield OUTSIDE_BRIEF.at(exercise.path, where, "product must be {words: [MIN, MAX]} with 0 < MIN <= MAX")
            continue
        answer = exercise.section("Model answer")
        if answer is None:
            continue
        low, high = size
        if not low <= answer.words <= high:
            yield OUTSIDE_BRIEF.at(
                exercise.path,
                (answer.line, context.column(exercise, answer.line)),
                f"the model answer has {answer.words} words; the exercise asks for {low}–{high}",
            )
        for catalogue in catalogues_of(context, exercise):
            found = translated_answer(exercise, catalogue)
            if found is None:
                continue
            words, line = found
            scale = context.project.words_per_minute(catalogue.language) / source_rate
            lo, hi = round(low * scale), round(high * scale)
            if not lo <= words <= hi:
                yield OUTSIDE_BRIEF.at(
                    catalogue.path,
                    (line, 1),
                    f"the {catalogue.language} model answer of {exercise.id} has {words} words; "
                    f"the brief in {catalogue.language} is {lo}–{hi}",
                )
