"""The trainer's kit: print-ready A4 PDFs generated from the curriculum, per language.

Built by the ``handbook-pdf`` builder in the trainer edition, next to the handbook, and
compiled by the same Typst engine (PDF/UA-1, shipped fonts, title and language set).
Each kind is ``kit/<slug>-<kind>-<lang>.pdf``:

``pre-test`` / ``post-test``
    A knowledge test drawn from the quizzes (the quiz convention of
    :data:`curriculum.model.QUIZ_QUESTIONS`): every second question of the course's
    quizzes, in agenda order. Both tests ask the same questions in the same order, so
    that each participant's gain can be compared question by question.
``answer-key``
    The short answer (the bold opening of each model answer) of every test question,
    and the quiz each comes from. Trainer only.
``evaluation``
    One "I can ..." self-rating line per learning outcome, one rating per session of
    the agenda, and open questions.
``attendance``
    One sheet per day: the date (``dates`` in ``[tool.curriculum]``, or a blank line),
    the day's sessions, and a signature column for the morning and the afternoon.
``certificates``
    One page per participant of ``participants.csv`` (a ``name`` column), or one with a
    blank name line; title, organisation, dates and the course's hours (the agenda's
    minutes without breaks).
``materials``
    Every exercise's materials, grouped by day and session, with the copies to print:
    one per participant, per pair, per group of ``group_size``, or one for the room.

Text comes from the built doctrees, so a translated build gets translated outcomes,
questions and session names; the structure (what is a question, an answer, a session)
comes from the model.
"""

from __future__ import annotations

import csv
import datetime
import math
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes

from ..model import CHAPTER_DIR, EXERCISE_DIR, Exercise
from ..project import N_, direction, load_project
from ..typst import Job
from ..typst.writer import escape, string

KINDS = ("pre-test", "post-test", "answer-key", "evaluation", "attendance", "certificates", "materials")
PARTICIPANTS_FILE = "participants.csv"
TEMPLATE = Path(__file__).parent / "kit.typ"
RTL_LETTERS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LATIN = re.compile(r"[A-Za-z]")


#: Every interface string of the kit, marked for the catalogue (several are used inside
#: f-strings, where the extractor does not look); translated where they are shown.
MESSAGES = (
    N_("%d (one per participant)"),
    N_("%d (one per pair)"),
    N_("%d (one per group)"),
    N_("%d (one for the room)"),
    N_("Name"),
    N_("Date"),
    N_("Answer every question in a few words. Do not open the handbook. You have about ten minutes."),
    N_("question %d"),
    N_("Pre-course test"),
    N_("Post-course test"),
    N_("Answer key: pre-course and post-course tests"),
    N_(
        "Trainer only. The pre-course and post-course tests ask the same questions in the same order; compare each participant’s two scores question by question. One point per question; half a point when only part of an answer is right."
    ),
    N_("Answer key"),
    N_("Course evaluation"),
    N_("Circle one number on each line: 1 = not at all, 5 = fully. The form is anonymous."),
    N_("What I can do now"),
    N_("After this course"),
    N_("I can: %s"),
    N_("The sessions"),
    N_("How useful was this session?"),
    N_("Open questions"),
    N_("What was most useful to you, and why?"),
    N_("What would you change in the course?"),
    N_("What will you do differently at your next dialogue meeting?"),
    N_("Attendance sheet"),
    N_("Hours"),
    N_("Sessions"),
    N_("Institution"),
    N_("Morning signature"),
    N_("Afternoon signature"),
    N_("Attendance sheets"),
    N_("Certificate of attendance"),
    N_("This is to certify that"),
    N_("attended the course"),
    N_("%s hours"),
    N_("Dates"),
    N_("Signature of the trainer"),
    N_("Certificates of attendance"),
    N_("Materials and room checklist"),
    N_(
        "Copies assume %(people)d participants (participants.csv, or the participants setting) and groups of %(size)d (the group_size setting). Tick each line when it is ready."
    ),
    N_(
        "Room: tables for small groups, a flipchart and markers, a projector, a timer and a bell, name plates for the simulated meeting."
    ),
    N_("Session"),
    N_("Materials"),
    N_("Copies"),
    N_("Ready"),
)


@dataclass
class Question:
    quiz: str  # the quiz's title
    number: int  # its number in the quiz
    text: str
    answer: str


@dataclass
class Session:
    start: str
    title: str
    minutes: int
    kind: str
    ref: str


@dataclass
class KitDay:
    title: str
    start: str
    end: str
    date: str
    sessions: list[Session] = field(default_factory=list)


@dataclass
class KitData:
    lang: str
    title: str
    organisation: str
    outcomes: list[str]
    questions: list[Question]
    days: list[KitDay]
    participants: list[str]
    hours: float
    materials: list[tuple[str, Session, str, str]]  # (day title, session, materials, copies)
    group_size: int
    expected: int


def _text(node: nodes.Node) -> str:
    return re.sub(r"\s+", " ", node.astext()).strip()


def _section(doctree: nodes.document, cls: str) -> nodes.section | None:
    return next((s for s in doctree.findall(nodes.section) if cls in s.get("classes", ())), None)


def _numbered(section: nodes.section | None) -> list[nodes.list_item]:
    if section is None:
        return []
    found = next((e for e in section.findall(nodes.enumerated_list)), None)
    return [item for item in found.children if isinstance(item, nodes.list_item)] if found is not None else []


def _short(item: nodes.list_item) -> str:
    paragraph = next((c for c in item.children if isinstance(c, nodes.paragraph)), None)
    children = (
        [c for c in paragraph.children if not (isinstance(c, nodes.Text) and not c.strip())]
        if paragraph is not None
        else []
    )
    if children and isinstance(children[0], nodes.strong):
        return _text(children[0])
    return _text(item)


def load_participants(root: Path) -> list[str]:
    """Names from ``participants.csv`` (its ``name`` column, any case), in file order."""
    path = root / PARTICIPANTS_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        key = next((f for f in reader.fieldnames or [] if f.strip().lower() == "name"), None)
        if key is None:
            return []
        return [row[key].strip() for row in reader if (row.get(key) or "").strip()]


def copies(grouping: str, people: int, group_size: int) -> tuple[int, str]:
    """How many copies an exercise's materials need, and the rule used."""
    if grouping == "individual":
        return people, "participant"
    if grouping == "pairs":
        return math.ceil(people / 2), "pair"
    if grouping == "small-groups":
        return math.ceil(people / group_size), "group"
    return 1, "room"


#: A document's doctree as read (None for a document the edition does not have); the kit only reads it.
Doctrees = Callable[[str], nodes.document | None]


def collect(env: Any, lang: str, translate: Any, doctree: Doctrees) -> KitData:
    """What the kit shows, from the built doctrees of ``env`` (translated; read with
    ``doctree``) and the model."""
    root = Path(env.srcdir)
    project = load_project(root)
    from ..sphinxext import curriculum_of

    curriculum = curriculum_of(env.app)
    agenda = curriculum.agenda
    exercises = curriculum.exercise_by_id()

    def title(docname: str, fallback: str) -> str:
        return _text(env.titles[docname]) if docname in env.titles else fallback

    names: dict[str, str] = {}
    agenda_tree = doctree(f"{CHAPTER_DIR}/agenda")
    if agenda_tree is not None:
        for row in agenda_tree.findall(nodes.row):
            if "agenda_item" in row and len(row.children) > 1:
                cell = row.children[1]
                first = next(iter(cell.findall(nodes.paragraph)), None)
                names[row["agenda_item"]] = _text(first if first is not None else cell)

    days: list[KitDay] = []
    chapter_order: list[str] = []
    quiz_order: list[Exercise] = []
    materials: list[tuple[str, Session, str, str]] = []
    participants = load_participants(root)
    people = len(participants) or project.participants
    minutes_taught = 0
    for number, day in enumerate(agenda.days if agenda else []):
        date = project.dates[number] if number < len(project.dates) else ""
        kit_day = KitDay(day.title, _time(day.start), _time(day.end), date)
        for index, item in enumerate(day.items):
            if item.kind == "chapter":
                docname = f"{CHAPTER_DIR}/{item.ref}"
                name = title(docname, item.ref)
                chapter_order.append(item.ref)
            elif item.kind == "exercise":
                docname = f"{EXERCISE_DIR}/{item.ref}"
                name = title(docname, item.ref)
                exercise = exercises.get(item.ref)
                if exercise is not None and exercise.type == "quiz":
                    quiz_order.append(exercise)
            else:
                name = names.get(f"{number}.{index}", item.ref)
            session = Session(_time(item.start), name, item.minutes or 0, item.kind, item.ref)
            kit_day.sessions.append(session)
            if item.kind != "break":
                minutes_taught += item.minutes or 0
            if item.kind == "exercise" and item.ref in exercises and exercises[item.ref].materials:
                exercise = exercises[item.ref]
                materials.append(
                    (
                        day.title,
                        session,
                        _materials_text(doctree(f"{EXERCISE_DIR}/{exercise.id}"), exercise),
                        _copies_text(exercise, people, project.group_size, translate),
                    )
                )
        days.append(kit_day)

    outcomes: list[str] = []
    for chapter_id in dict.fromkeys(chapter_order):
        tree = doctree(f"{CHAPTER_DIR}/{chapter_id}")
        chapter = curriculum.chapters.get(chapter_id)
        translated = (
            {item["outcome"]: _text(item) for item in tree.findall(nodes.list_item) if "outcome" in item}
            if tree is not None
            else {}
        )
        for outcome in chapter.learning_outcomes if chapter else []:
            outcomes.append(translated.get(outcome.id, outcome.text))

    bank: list[Question] = []
    for exercise in quiz_order:
        tree = doctree(f"{EXERCISE_DIR}/{exercise.id}")
        quiz_title = title(f"{EXERCISE_DIR}/{exercise.id}", exercise.id)
        model_items = exercise.quiz_items
        questions = _numbered(_section(tree, "exercise-materials")) if tree is not None else []
        answers = _numbered(_section(tree, "exercise-model-answer")) if tree is not None else []
        for position, quiz_item in enumerate(model_items):
            text = _text(questions[position]) if position < len(questions) else quiz_item.question
            answer = _short(answers[position]) if position < len(answers) else quiz_item.short_answer
            bank.append(Question(quiz_title, position + 1, text, answer))
    return KitData(
        lang=lang,
        title=env.config.project,
        organisation=env.config.curriculum_organisation,
        outcomes=outcomes,
        questions=bank[::2],
        days=days,
        participants=participants,
        hours=minutes_taught / 60,
        materials=materials,
        group_size=project.group_size,
        expected=people,
    )


def _time(minutes: int | None) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}" if minutes is not None else ""


def _materials_text(tree: nodes.document | None, exercise: Exercise) -> str:
    if tree is not None:
        for summary in tree.findall(nodes.field_list):
            if "exercise-summary" not in summary.get("classes", ()):
                continue
            fields = [f for f in summary.children if isinstance(f, nodes.field)]
            for found in fields:
                body = found.children[1]
                if exercise.path.name and _text(body) and found is fields[-1]:
                    return _text(body)
    return ", ".join(exercise.materials)


def _copies_text(exercise: Exercise, people: int, group_size: int, translate: Any) -> str:
    count, unit = copies(exercise.value("grouping", str) or "plenary", people, group_size)
    labels = {
        "participant": translate("%d (one per participant)"),
        "pair": translate("%d (one per pair)"),
        "group": translate("%d (one per group)"),
        "room": translate("%d (one for the room)"),
    }
    return labels[unit] % count


# --- Typst markup ------------------------------------------------------------------------------


class Markup:
    """Typst markup helpers for one language (English passages tagged in RTL books)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rtl = direction(lang) == "rtl"

    def text(self, value: str) -> str:
        """Escaped text; in a right-to-left kit, text without any RTL letter is set as English."""
        if self.rtl and value and LATIN.search(value) and not RTL_LETTERS.search(value):
            return f"#en[{escape(value)}]"
        return escape(value)

    def content(self, value: str) -> str:
        return f"[{self.text(value)}]"


def format_date(value: str, lang: str) -> str:
    if not value:
        return ""
    from babel.dates import format_date as babel_format

    try:
        return babel_format(datetime.date.fromisoformat(value), format="long", locale=lang)
    except Exception:  # an unknown locale: the ISO date
        return value


def documents(data: KitData, _: Any) -> dict[str, tuple[str, str]]:
    """Each kind's (document title, Typst body)."""
    m = Markup(data.lang)
    docs: dict[str, tuple[str, str]] = {}

    # tests
    def test(kind_title: str, with_answers: bool) -> str:
        lines = [
            f"= {m.text(kind_title)}\n",
            f"#kit-blanks({m.content(_('Name'))}, {m.content(_('Date'))})\n",
            f"#kit-instructions[{m.text(_('Answer every question in a few words. Do not open the handbook. You have about ten minutes.'))}]\n",
        ]
        if with_answers:
            lines = lines[:1]
        for number, question in enumerate(data.questions, 1):
            if with_answers:
                lines.append(
                    f"#kit-answer({number}, {m.content(question.text)}, {m.content(question.answer)}, "
                    f"{m.content(question.quiz + ' · ' + (_('question %d') % question.number))})\n"
                )
            else:
                lines.append(f"#kit-question({number}, {m.content(question.text)})\n")
        return "".join(lines)

    docs["pre-test"] = (_("Pre-course test"), test(_("Pre-course test"), False))
    docs["post-test"] = (_("Post-course test"), test(_("Post-course test"), False))
    key = test(_("Answer key: pre-course and post-course tests"), True)
    key += f"#kit-instructions[{m.text(_('Trainer only. The pre-course and post-course tests ask the same questions in the same order; compare each participant’s two scores question by question. One point per question; half a point when only part of an answer is right.'))}]\n"
    docs["answer-key"] = (_("Answer key"), key)

    # evaluation
    scale = ", ".join(m.content(str(n)) for n in range(1, 6))
    lines = [
        f"= {m.text(_('Course evaluation'))}\n",
        f"#kit-instructions[{m.text(_('Circle one number on each line: 1 = not at all, 5 = fully. The form is anonymous.'))}]\n",
        f"== {m.text(_('What I can do now'))}\n",
        f"#kit-ratings({m.content(_('After this course'))}, ({scale}), "
        + "".join(f"{m.content(_('I can: %s') % _lower(o, data.lang))}, " for o in data.outcomes)
        + ")\n",
        f"== {m.text(_('The sessions'))}\n",
        f"#kit-ratings({m.content(_('How useful was this session?'))}, ({scale}), "
        + "".join(f"{m.content(f'{s.start} {s.title}')}, " for d in data.days for s in d.sessions if s.kind != "break")
        + ")\n",
        f"== {m.text(_('Open questions'))}\n",
    ]
    for question in (
        _("What was most useful to you, and why?"),
        _("What would you change in the course?"),
        _("What will you do differently at your next dialogue meeting?"),
    ):
        lines.append(f"#kit-open({m.content(question)})\n")
    docs["evaluation"] = (_("Course evaluation"), "".join(lines))

    # attendance
    lines = []
    for number, day in enumerate(data.days):
        if number:
            lines.append("#pagebreak()\n")
        date = format_date(day.date, data.lang)
        lines.append(f"= {m.text(_('Attendance sheet') + ': ' + day.title)}\n")
        lines.append(
            f"#kit-fields({m.content(_('Date'))}, {m.content(date)}, "
            f"{m.content(_('Hours'))}, {m.content(f'{day.start}–{day.end}')})\n"
        )
        sessions = "; ".join(f"{s.start} {s.title}" for s in day.sessions if s.kind != "break")
        lines.append(f"#kit-small[{m.text(_('Sessions') + ': ' + sessions)}]\n")
        lines_wanted = max(len(data.participants), data.expected)
        names = "".join(
            f"{m.content(data.participants[i] if i < len(data.participants) else '')}, " for i in range(lines_wanted)
        )
        lines.append(
            f"#kit-attendance(({m.content('#')}, {m.content(_('Name'))}, {m.content(_('Institution'))}, "
            f"{m.content(_('Morning signature'))}, {m.content(_('Afternoon signature'))}), ({names}))\n"
        )
    docs["attendance"] = (_("Attendance sheets"), "".join(lines))

    # certificates
    dates = [format_date(d.date, data.lang) for d in data.days if d.date]
    period = " – ".join([dates[0], dates[-1]]) if len(dates) > 1 else (dates[0] if dates else "")
    hours = f"{data.hours:g}"
    lines = []
    for number, name in enumerate(data.participants or [""]):
        if number:
            lines.append("#pagebreak()\n")
        lines.append(
            f"#kit-certificate(heading: {m.content(_('Certificate of attendance'))}, "
            f"intro: {m.content(_('This is to certify that'))}, name: {m.content(name)}, "
            f"attended: {m.content(_('attended the course'))}, title: {m.content(data.title)}, "
            f"details: {m.content((_('%s hours') % hours) + (' · ' + period if period else ''))}, "
            f"date-line: {m.content(_('Dates') + ': ' + period) if period else m.content(_('Dates') + ':')}, "
            f"organisation: {m.content(data.organisation)}, signature: {m.content(_('Signature of the trainer'))}, "
            f"signed: {m.content(_('Date') + ':')})\n"
        )
    docs["certificates"] = (_("Certificates of attendance"), "".join(lines))

    # materials
    lines = [
        f"= {m.text(_('Materials and room checklist'))}\n",
        f"#kit-instructions[{m.text(_('Copies assume %(people)d participants (participants.csv, or the participants setting) and groups of %(size)d (the group_size setting). Tick each line when it is ready.') % {'people': data.expected, 'size': data.group_size})}]\n",
        f"#kit-instructions[{m.text(_('Room: tables for small groups, a flipchart and markers, a projector, a timer and a bell, name plates for the simulated meeting.'))}]\n",
    ]
    current = None
    rows: list[str] = []
    for day_title, session, text, count in data.materials:
        if day_title != current:
            if rows:
                lines.append(_materials_table(m, rows, _))
                rows = []
            lines.append(f"== {m.text(day_title)}\n")
            current = day_title
        rows.append(
            f"{m.content(session.start + ' ' + session.title)}, {m.content(text)}, {m.content(count)}, [#tick], "
        )
    if rows:
        lines.append(_materials_table(m, rows, _))
    docs["materials"] = (_("Materials and room checklist"), "".join(lines))
    return docs


def _materials_table(m: Markup, rows: list[str], _: Any) -> str:
    return (
        f"#kit-table(({m.content(_('Session'))}, {m.content(_('Materials'))}, {m.content(_('Copies'))}, "
        f"{m.content(_('Ready'))}), ({''.join(rows)}))\n"
    )


def _lower(text: str, lang: str) -> str:
    """An outcome after "I can": its first letter in lower case where the script has case."""
    if lang.split("_")[0] in {"en", "fr", "es", "pt", "it", "de"} and text[:1].isupper() and not text[1:2].isupper():
        return text[0].lower() + text[1:]
    return text


def write_kit(data: KitData, outdir: Path, lang: str, slug: str, translate: Any, preamble: Any) -> list[Job]:
    """Write the kit's Typst sources into ``outdir/kit``; returns (source, PDF, link texts) to compile."""
    folder = outdir / "kit"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(TEMPLATE, folder / "kit.typ")
    queue: list[Job] = []
    for kind, (doc_title, body) in documents(data, translate).items():
        source = folder / f"{slug}-{kind}-{lang}.typ"
        source.write_text(preamble(doc_title) + '#import "kit.typ": *\n\n' + body, encoding="utf-8")
        queue.append((source, folder / f"{slug}-{kind}-{lang}.pdf", {}))
    return queue


__all__ = ["KINDS", "KitData", "collect", "copies", "documents", "load_participants", "string", "write_kit"]
