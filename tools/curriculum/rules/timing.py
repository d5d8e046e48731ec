"""TIME: timed deliveries fit their time limit."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .registry import Finding, check, family, rule

family("TIME", "Timed deliveries")

ANSWER_TOO_LONG = rule(
    "TIME001", "model-answer-too-long", "error",
    "A timed exercise's model answer cannot be delivered within its time limit.",
    """
    Where an exercise sets `time_limit`, its `## Model answer` must fit the limit when read
    at the configured speaking rate (`words_per_minute` in `[tool.curriculum]`, default 100
    words a minute, the pace interpreters ask for in read statements). Every word of the
    section counts; roles and markup do not.

    **Fix:** shorten the model answer to the number of words the message gives, or raise
    `time_limit` if the exercise allows it.
    """,
)
LIMIT_OVER_DURATION = rule(
    "TIME002", "time-limit-exceeds-duration", "error",
    "An exercise's time limit is longer than the exercise.",
    """
    `time_limit` is the time allowed for one delivery inside the exercise; it cannot exceed
    the exercise's `duration`.

    **Fix:** correct `time_limit` or `duration`.
    """,
)


@check
def timed_deliveries(context: Context) -> Iterator[Finding]:
    rate = context.config.words_per_minute
    for exercise in context.exercises():
        limit = exercise.time_limit
        if limit is None or limit < 1:
            continue
        duration = exercise.duration
        if duration is not None and limit > duration:
            yield LIMIT_OVER_DURATION.at(
                exercise.path, exercise.front_matter.where("time_limit"),
                f"time_limit {limit} is longer than the exercise's duration {duration}",
            )
        answer = exercise.section("Model answer")
        if answer is None:
            continue
        words, allowed = answer.words, limit * rate
        if words > allowed:
            yield ANSWER_TOO_LONG.at(
                exercise.path, (answer.line, context.column(exercise, answer.line)),
                f"the model answer has {words} words; a {limit}-minute delivery at {rate} words a minute "
                f"allows {allowed} ({words - allowed} too many)",
            )
