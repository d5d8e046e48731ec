"""AG (continued): the timetable adds up. A chapter's timed activities fit its agenda slot,
every activity has its minutes, and each day is filled to its end and closed.

Activities are the trainer-only ``:::{activity} Title`` blocks of a chapter, each with
``:minutes: N`` (see :func:`curriculum.model.find_activities`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Agenda, AgendaItem, Day, format_time
from .context import Context
from .registry import Finding, check, rule
from .samples import AGENDA, activity_block, changed, in_chapter

ACTIVITIES_EXCEED_SLOT = rule(
    "AG012",
    "activities-exceed-slot",
    "error",
    "A chapter's timed activities take more minutes than its agenda slot.",
    """
    A chapter's slot in `handbook/agenda.yml` (`chapter: ID` with `minutes`) is all the time
    the trainer has for it: the presentation and every `{activity}` of its trainer notes.
    When the activities alone add up to more than the slot, the course runs late. The
    finding points at the first activity that does not fit, and gives the running total
    and the slot. A chapter in the agenda twice has the sum of its slots.

    **Fix:** cut or merge activities (shorten their `:minutes:`), move practice into an
    exercise of its own, or give the chapter a longer slot in the agenda (the day must
    still fit).
    """,
    why="The slot cannot hold the chapter's own activities, so the course runs late or activities are dropped.",
    example=in_chapter(activity_block("40")),
    fixed=in_chapter(activity_block("20")),
)
ACTIVITY_MINUTES = rule(
    "AG013",
    "activity-without-minutes",
    "error",
    "An `{activity}` has no `:minutes:`, or they are not a whole number of at least 1.",
    """
    Every timed activity says how long it takes, so that the checker can add up the
    chapter's slot and the trainer's agenda can show it:

    ```markdown
    :::{activity} Sort the dialogues
    :minutes: 10

    1. Hand out the cards ...
    :::
    ```

    **Fix:** add `:minutes: N` as the first line of the activity, with N a whole number.
    """,
    why="An activity without a length cannot be added up, so nobody can tell whether the chapter fits its slot.",
    example=in_chapter(activity_block("about ten")),
    fixed=in_chapter(activity_block("10")),
)
UNALLOCATED_TIME = rule(
    "AG014",
    "unallocated-time",
    "warning",
    "A day's items end before the day's end, leaving time nobody planned.",
    """
    The items of a day, one after another from its start, should fill the day up to its
    `end`: time left over is time the trainer has to fill on the spot. The finding points
    at the day and says how many minutes are left.

    **Fix:** give the time to an item (practice first), add a `session:` item (a wrap-up,
    questions, a guest speaker) with `minutes`, or bring the day's `end` forward.
    """,
    why="Time nobody planned is filled on the spot, or the day ends early without anyone deciding it.",
    example=changed(AGENDA, ('end: "10:00"', 'end: "10:30"')),
    fixed=AGENDA,
)
NO_CLOSING = rule(
    "AG015",
    "day-without-closing",
    "warning",
    "A day has no closing item (`closing: true`).",
    """
    Each day ends with a planned close: a wrap-up of the day, or the course's evaluation
    on the last day. Mark that item with `closing: true`; the trainer's agenda shows it as
    the day's close.

    **Fix:** add `closing: true` to the day's last item, or add one, for example
    `- session: Day 1 wrap-up` with `minutes: 10` and `closing: true`.
    """,
    why="Without a planned close the day stops wherever the last session ends, with no summary and no evaluation.",
    example=changed(AGENDA, ("\n        closing: true", "")),
    fixed=AGENDA,
)


@check(ACTIVITIES_EXCEED_SLOT, ACTIVITY_MINUTES, UNALLOCATED_TIME, NO_CLOSING)
def activities(context: Context) -> Iterator[Finding]:
    agenda = context.curriculum.agenda
    slots = chapter_slots(agenda) if agenda is not None and not agenda.problems else {}
    for chapter in context.chapters():
        used = 0
        reported = False
        items = slots.get(chapter.id, [])
        slot = sum(item.minutes or 0 for item in items)
        for activity in chapter.activities:
            if activity.minutes is None:
                found = "no ':minutes:'" if activity.raw_minutes is None else f"':minutes: {activity.raw_minutes}'"
                yield ACTIVITY_MINUTES.at(
                    chapter.path,
                    (activity.line, activity.column),
                    f"activity '{activity.title}' has {found}; give it ':minutes: N', a whole number of at least 1",
                )
                continue
            used += activity.minutes
            if items and all(item.minutes for item in items) and used > slot and not reported:
                reported = True
                lines = ", ".join(str(item.line) for item in items)
                yield ACTIVITIES_EXCEED_SLOT.at(
                    chapter.path,
                    (activity.line, activity.column),
                    f"activity '{activity.title}' ({activity.minutes} min) brings the chapter's activities to "
                    f"{used} minutes, over its {slot}-minute slot in the agenda (handbook/agenda.yml line {lines}) "
                    f"by {used - slot}",
                )
    if agenda is None or agenda.problems:
        return
    for day in agenda.days:
        yield from day_findings(agenda, day)


def chapter_slots(agenda: Agenda) -> dict[str, list[AgendaItem]]:
    """Each chapter's agenda items (a chapter may be scheduled more than once)."""
    slots: dict[str, list[AgendaItem]] = {}
    for day in agenda.days:
        for item in day.items:
            if item.kind == "chapter":
                slots.setdefault(item.ref, []).append(item)
    return slots


def day_findings(agenda: Agenda, day: Day) -> Iterator[Finding]:
    if not day.items:
        return
    if not any(item.closing for item in day.items):
        yield NO_CLOSING.at(
            agenda.path,
            (day.line, day.column),
            f"{day.title} has no closing item; mark its last item with 'closing: true'",
        )
    if day.start is None or day.end is None or day.start >= day.end:
        return
    if any(not item.minutes for item in day.items):
        return
    ends = day.start + sum(item.minutes or 0 for item in day.items)
    if ends < day.end:
        yield UNALLOCATED_TIME.at(
            agenda.path,
            (day.line, day.column),
            f"{day.title}'s items end at {format_time(ends)}, {day.end - ends} minutes before the day ends at "
            f"{format_time(day.end)}",
        )
