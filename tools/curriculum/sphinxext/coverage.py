"""Exercise numbers and the learning-outcome coverage matrix.

Exercises are numbered in the order the root toctree lists them ("Exercise 7"),
filled in when pages are resolved. ``{coverage-matrix}`` draws outcomes against
exercises from the model, so it can never disagree with the front matter.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..model import EXERCISE_DIR, load_curriculum
from .i18n import _
from .outcomes import outcome_label


class exercise_number(nodes.Inline, nodes.TextElement):
    """Placeholder for "Exercise N", resolved once the toctree order is known."""


def exercise_order(env: BuildEnvironment) -> list[str]:
    """Exercise docnames in reading order of the toctrees, from the root document."""
    order: list[str] = []

    def walk(docname: str, seen: set[str]) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child in seen:
                continue
            seen.add(child)
            if child.startswith(EXERCISE_DIR + "/"):
                order.append(child)
            walk(child, seen)

    walk(env.config.root_doc, set())
    return order


def fill_numbers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    order = exercise_order(app.env)
    for node in list(doctree.findall(exercise_number)):
        target = node["docname"]
        text = _("Exercise %d") % (order.index(target) + 1) if target in order else _("Exercise")
        node.replace_self(nodes.inline(text, text, classes=["exercise-number"]))


class CoverageMatrixDirective(SphinxDirective):
    """``{coverage-matrix}``: which exercise practises which learning outcome."""

    def run(self) -> list[nodes.Node]:
        curriculum = load_curriculum(Path(self.env.srcdir))
        for document in curriculum.documents:
            self.env.note_dependency(str(document.path))
        order = {name: i for i, name in enumerate(exercise_order(self.env))}
        exercises = sorted(curriculum.exercises.values(), key=lambda e: order.get(f"{EXERCISE_DIR}/{e.id}", len(order)))
        outcomes = list(curriculum.learning_outcomes.values())
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
        for outcome in outcomes:
            row = nodes.row()
            ref = addnodes.pending_xref("", nodes.inline("", outcome.id), refdomain="std", reftype="ref",
                                        reftarget=outcome_label(outcome.id), refexplicit=False)
            row += nodes.entry("", nodes.paragraph("", "", nodes.strong("", outcome.id + " "), ref))
            for exercise in exercises:
                mark = "●" if outcome.id in exercise.objectives else ""
                row += nodes.entry("", nodes.paragraph("", mark), classes=["covered"] if mark else [])
            body += row
        group += body
        legend = nodes.enumerated_list(classes=["coverage-legend"])
        for exercise in exercises:
            ref = addnodes.pending_xref("", nodes.inline("", exercise.id), refdomain="std", reftype="doc",
                                        reftarget=f"/{EXERCISE_DIR}/{exercise.id}", refexplicit=False)
            legend += nodes.list_item("", nodes.paragraph("", "", ref))
        return [table, nodes.rubric("", _("Exercises")), legend]


def setup(app: Sphinx) -> None:
    app.add_node(exercise_number)
    app.add_directive("coverage-matrix", CoverageMatrixDirective)
    app.connect("doctree-resolved", fill_numbers)
