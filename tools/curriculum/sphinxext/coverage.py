"""Exercise numbers and the learning-outcome coverage matrix.

Exercises are numbered in the order the root toctree lists them ("Exercise 7"),
filled in when pages are resolved. ``{coverage-matrix}`` draws outcomes against
exercises from the model, so it can never disagree with the front matter.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..model import EXERCISE_DIR
from .i18n import _
from .outcomes import outcome_label
from .summaries import summarises


class exercise_number(nodes.Inline, nodes.TextElement):
    """Placeholder for "Exercise N", resolved once the toctree order is known."""


def reading_order(env: BuildEnvironment) -> list[str]:
    """Every docname in the order the toctrees list them, from the root document."""
    order: list[str] = []

    def walk(docname: str) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child not in order:
                order.append(child)
                walk(child)

    walk(env.config.root_doc)
    return order


def exercise_order(env: BuildEnvironment) -> list[str]:
    return [name for name in reading_order(env) if name.startswith(EXERCISE_DIR + "/")]


class coverage_matrix(nodes.General, nodes.Element):
    """Placeholder for the matrix, drawn once the toctree order is known."""


def fill_numbers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Resolve exercise numbers and coverage matrices on each page."""
    order = exercise_order(app.env)
    for node in list(doctree.findall(exercise_number)):
        target = node["docname"]
        text = _("Exercise %d") % (order.index(target) + 1) if target in order else _("Exercise")
        node.replace_self(nodes.inline(text, text, classes=["exercise-number"]))
    for node in list(doctree.findall(coverage_matrix)):
        node.replace_self(draw_matrix(app, docname))


class CoverageMatrixDirective(SphinxDirective):
    """``{coverage-matrix}``: which exercise practises which learning outcome."""

    def run(self) -> list[nodes.Node]:
        from . import curriculum_of

        # outcomes and objectives: read again when they change, not at every edit of a chapter
        curriculum = curriculum_of(self.env.app)
        summarises(self.env, [*curriculum.chapters.values(), *curriculum.exercises.values()])
        return [coverage_matrix()]


def draw_matrix(app: Sphinx, docname: str) -> list[nodes.Node]:
    """Outcomes (rows, in chapter order) against exercises (columns, in course order)."""
    from . import curriculum_of

    curriculum = curriculum_of(app)
    position = {name: i for i, name in enumerate(reading_order(app.env))}
    last = len(position)
    exercises = sorted(curriculum.exercises.values(), key=lambda e: position.get(f"{EXERCISE_DIR}/{e.id}", last))
    chapters = sorted(curriculum.chapters.values(), key=lambda c: position.get(f"handbook/{c.id}", last))
    outcomes = [outcome for chapter in chapters for outcome in chapter.learning_outcomes]
    table = nodes.table(classes=["coverage-matrix"])
    group = nodes.tgroup(cols=len(exercises) + 1)
    table += group
    group += nodes.colspec(colwidth=40)
    for _exercise in exercises:
        group += nodes.colspec(colwidth=3)
    head = nodes.row()
    head += nodes.entry("", nodes.paragraph("", _("Learning outcome")))
    for number, _exercise in enumerate(exercises, 1):
        head += nodes.entry("", nodes.paragraph("", str(number)))
    group += nodes.thead("", head)
    body = nodes.tbody()
    std = app.env.domains.standard_domain
    for outcome in outcomes:
        row = nodes.row()
        label = outcome_label(outcome.id)
        target, anchor, text = std.labels.get(label, (None, "", outcome.text))
        title = (
            nodes.reference(
                "", text, internal=True, refuri=app.builder.get_relative_uri(docname, target) + "#" + anchor
            )
            if target
            else nodes.inline("", text)
        )
        row += nodes.entry("", nodes.paragraph("", "", nodes.strong("", outcome.id + " "), title))
        for exercise in exercises:
            mark = "•" if outcome.id in exercise.objectives else ""
            row += nodes.entry("", nodes.paragraph("", mark), classes=["covered"] if mark else [])
        body += row
    group += body
    legend = nodes.enumerated_list(classes=["coverage-legend"])
    for exercise in exercises:
        target = f"{EXERCISE_DIR}/{exercise.id}"
        title = app.env.titles[target].astext() if target in app.env.titles else exercise.id
        link = nodes.reference("", title, internal=True, refuri=app.builder.get_relative_uri(docname, target))
        legend += nodes.list_item("", nodes.paragraph("", "", link))
    return [table, nodes.rubric("", _("Exercises")), legend]


def setup(app: Sphinx) -> None:
    app.add_node(exercise_number)
    app.add_node(coverage_matrix)
    app.add_directive("coverage-matrix", CoverageMatrixDirective)
    app.connect("doctree-resolved", fill_numbers)
