"""``{agenda}``: the course timetable, with times computed from durations.

Both editions show time, session and duration; the trainer edition adds each
slot's facilitation notes and lists each chapter's timed activities with their minutes.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..model import AGENDA_FILE, CHAPTER_DIR, EXERCISE_DIR, AgendaItem, Chapter, Day, format_time
from .activities import activity_label
from .exercises import minutes_label
from .i18n import _
from .shared import read_per_edition
from .summaries import summarises


class AgendaDirective(SphinxDirective):
    """Render ``handbook/agenda.yml`` as one table per day."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        from . import curriculum_of

        root = Path(self.env.srcdir)
        curriculum = curriculum_of(self.env.app)
        agenda = curriculum.agenda
        relative = self.arguments[0] if self.arguments else AGENDA_FILE
        self.env.note_dependency(str(root / relative))
        # durations and activities: read again when they change, not at every edit of a chapter
        summarises(self.env, [*curriculum.chapters.values(), *curriculum.exercises.values()])
        if agenda is None or agenda.problems or not agenda.days:
            raise self.error(f"{relative}: no readable agenda (run `curriculum check`)")
        read_per_edition(self.env)  # the trainer's agenda has a column more
        trainer = self.config.curriculum_edition == "trainer"
        self.chapters = curriculum.chapters
        result: list[nodes.Node] = []
        for number, day in enumerate(agenda.days):
            result += self.day(day, trainer, number)
        return result

    def day(self, day: Day, trainer: bool, number: int = 0) -> list[nodes.Node]:
        heading = nodes.rubric("", "", classes=["agenda-day"])
        heading += self.text(day.title, nodes.inline)
        if day.start is not None and day.end is not None:
            heading += nodes.inline("", f" {format_time(day.start)}–{format_time(day.end)}")
        columns = [_("Time"), _("Session"), _("Duration")] + ([_("Facilitation notes")] if trainer else [])
        table = nodes.table(classes=["agenda-table"])
        group = nodes.tgroup(cols=len(columns))
        table += group
        for width in [12, 48, 14, 40][: len(columns)]:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += nodes.row("", *(nodes.entry("", nodes.paragraph("", c)) for c in columns))
        group += head
        body = nodes.tbody()
        for index, item in enumerate(day.items):
            session = self.session(item)
            if trainer and item.kind == "chapter" and item.ref in self.chapters:
                session = self.with_activities(session, self.chapters[item.ref])
            cells = [
                nodes.paragraph("", format_time(item.start) if item.start is not None else ""),
                session,
                nodes.paragraph("", minutes_label(item.minutes) if item.minutes is not None else ""),
            ]
            if trainer:
                cells.append(self.text(item.notes) if item.notes else nodes.paragraph())
            classes = [f"agenda-{item.kind}"] + (["agenda-closing"] if item.closing else [])
            row = nodes.row("", *(nodes.entry("", c) for c in cells), classes=classes)
            row["agenda_item"] = f"{number}.{index}"  # the kit finds each session's translated name by it
            body += row
        group += body
        return [heading, table]

    def with_activities(self, session: nodes.Element, chapter: Chapter) -> nodes.Element:
        """The session cell followed by the chapter's activities, each with its minutes."""
        if not chapter.activities:
            return session
        cell = nodes.container(classes=["agenda-session"])
        cell += session
        items = nodes.bullet_list(classes=["agenda-activities"])
        for activity in chapter.activities:
            paragraph = nodes.paragraph()
            paragraph += self.text(activity.title, nodes.inline)
            label = activity_label(activity.minutes)
            paragraph += nodes.inline("", f" ({label})", classes=["agenda-activity-minutes"])
            items += nodes.list_item("", paragraph)
        cell += items
        return cell

    def session(self, item: AgendaItem) -> nodes.Element:
        if item.kind in {"break", "session"}:
            return self.text(item.ref)
        folder = CHAPTER_DIR if item.kind == "chapter" else EXERCISE_DIR
        ref = addnodes.pending_xref(
            "",
            nodes.inline("", item.ref),
            refdomain="std",
            reftype="doc",
            reftarget=f"/{folder}/{item.ref}",
            refexplicit=False,
            refwarn=True,
        )
        paragraph = nodes.paragraph()
        if item.kind == "exercise":
            paragraph += nodes.inline("", _("Exercise") + ": ", classes=["agenda-kind"])
        paragraph += ref
        return paragraph

    def text(self, text: str, kind: type[nodes.TextElement] = nodes.paragraph) -> nodes.TextElement:
        node = kind(text, text)
        self.set_source_info(node)
        return node


def setup(app: Sphinx) -> None:
    app.add_directive("agenda", AgendaDirective)
