"""The files rules' examples are made of: pages of a new curriculum, each small, and changes to them.

Every example is written over a curriculum begun with ``curriculum init`` (English and
French); these are its exercise, chapter, glossary and agenda reduced to what a page
needs, so that an example shows one mistake and nothing else. ``changed`` makes the
mistake (or its correction) as a replacement of a few words.
"""

from __future__ import annotations

from .registry import Sample

EXERCISE = Sample(
    "exercises/introductions.md",
    """\
---
id: introductions
title: Introductions
type: discussion
duration: 20
grouping: plenary
objectives: [introduction-1]
---

# Introductions

## Instructions

Say your name and one thing you expect from the course.

## Trainer notes

Write each expectation on the flip chart.

## Debrief

Read the expectations back.
""",
)
#: The exercise's front matter, between its two '---' lines.
EXERCISE_FRONT = EXERCISE.text.split("---\n")[1]
CHAPTER = Sample(
    "handbook/introduction.md",
    """\
---
learning_outcomes:
  introduction-1: Describe what the course covers
---

# Introduction

## Introduction

This chapter opens the course.

## Key points

- The course is one day long.

## Sources

- The course description.
""",
)
GLOSSARY = Sample(
    "handbook/glossary.md",
    """\
# Glossary

:::{glossary}
Agenda
  The timetable of the course: each session with its start time and length.
:::
""",
)
AGENDA = Sample(
    "handbook/agenda.yml",
    """\
title: One-day course
days:
  - title: Day 1
    start: "09:00"
    end: "10:00"
    items:
      - chapter: introduction
        minutes: 30
      - exercise: introductions
      - session: Wrap-up
        minutes: 10
        closing: true
""",
)
INDEX = Sample(
    "handbook/index.md",
    """\
# Training Curriculum

Start with the [introduction](introduction.md).

```{toctree}
:caption: Chapters

introduction
```

```{toctree}
:caption: Exercises

../exercises/introductions
```

```{toctree}
:caption: Annexes

agenda
glossary
```
""",
)
TERMBASE = Sample(
    "locales/fr/terms.yml",
    """\
terms:
  - en: agenda
    approved: [programme]
    forbidden: [ordre du jour]
""",
)
ROOM = Sample(
    "handbook/images/room.svg",
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n',
)
#: A statement of 114 words, and one of 41 (at 100 words a minute: over and within one minute).
LONG_ANSWER = """\
Good morning, everyone, and thank you for coming. Over the next day we will look at how
the sessions fit together, what each chapter asks of you and how the exercises let you
practise. Please keep your phones silent, take part in every discussion and ask whenever
something is unclear. The trainers will keep to the agenda, and we will close with a short
evaluation so that the next course can be better. If you need anything during the day,
speak to the organisers at the desk by the door. Lunch is served at one o'clock in the
hall next door, and coffee is available all morning. Thank you, and welcome to the course."""
SHORT_ANSWER = """\
Good morning, everyone, and thank you for coming. Today we will see how the sessions fit
together and practise in every exercise. Please take part and ask whenever something is
unclear; we close with a short evaluation. Welcome to the course."""


def changed(sample: Sample, *edits: tuple[str, str], path: str = "") -> Sample:
    """``sample`` with each ``(old, new)`` replaced once, saved as ``path`` when given."""
    text = sample.text
    for old, new in edits:
        if old not in text:
            raise ValueError(f"{sample.path} has no {old!r} to change")
        text = text.replace(old, new, 1)
    return Sample(path or sample.path, text, sample.encoding)


def retitled(title: str, heading: str = "", path: str = "") -> Sample:
    """The exercise with the front-matter ``title`` and the ``#`` heading (the title, unless given)."""
    return changed(
        EXERCISE, ("title: Introductions", f"title: {title}"), ("# Introductions", f"# {heading or title}"), path=path
    )


def glossary(paragraph: str) -> Sample:
    """The glossary with ``paragraph`` under its title."""
    return changed(GLOSSARY, ("# Glossary\n", f"# Glossary\n\n{paragraph}\n"))


def timed(setting: str, answer: str) -> Sample:
    """The exercise as a presentation with one more front-matter ``setting`` and a model answer."""
    return changed(
        EXERCISE,
        ("type: discussion\n", "type: presentation\n"),
        ("grouping: plenary\n", f"grouping: individual\n{setting}\n"),
        ("## Debrief", f"## Model answer\n\n{answer}\n\n## Debrief"),
    )


def po_file(*messages: tuple[str, str] | tuple[str, str, str], name: str = "glossary") -> Sample:
    """The French catalogue of ``handbook/<name>.md`` with ``(msgid, msgstr[, flag])`` messages."""
    text = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n'
    for msgid, msgstr, *flag in messages:
        text += "\n" + "".join(f"#, {f}\n" for f in flag) + f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'
    return Sample(f"locales/fr/LC_MESSAGES/handbook/{name}.po", text)


def in_chapter(block: str) -> Sample:
    """The chapter with ``block`` before its key points."""
    return changed(CHAPTER, ("## Key points", f"{block}\n\n## Key points"))


def activity_block(minutes: str) -> str:
    """A timed activity of the trainer's, ``minutes`` long."""
    return f":::{{activity}} Expectations\n:minutes: {minutes}\n\nAsk each participant what they expect.\n:::"


def slide_block(items: int) -> str:
    """A slide listing ``items`` sessions of the day."""
    sessions = "".join(f"- Session {number}: practice and questions\n" for number in range(1, items + 1))
    return f":::{{slide}} The day\n{sessions}:::"
