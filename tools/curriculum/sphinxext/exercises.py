"""Exercises rendered as structured blocks.

An exercise page gets a summary under its title (type, duration, grouping,
objectives linked to the chapters' learning outcomes, materials), its sections
are classed by audience, and trainer sections are marked trainer-only.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..model import EXERCISE_DIR, SECTION_SPECS, Audience, Exercise
from .coverage import exercise_number
from .editions import TRAINER_ONLY
from .i18n import _, ngettext
from .outcomes import first_section, outcome_label


def type_label(kind: str) -> str:
    labels = {
        "discussion": _("Discussion"),
        "drafting": _("Drafting"),
        "presentation": _("Presentation"),
        "role-play": _("Role play"),
        "case-study": _("Case study"),
        "quiz": _("Quiz"),
        "reflection": _("Reflection"),
    }
    return labels.get(kind, kind)


def grouping_label(kind: str) -> str:
    labels = {
        "individual": _("Individual"),
        "pairs": _("Pairs"),
        "small-groups": _("Small groups"),
        "plenary": _("Plenary"),
    }
    return labels.get(kind, kind)


def minutes_label(minutes: int) -> str:
    return ngettext("%d minute", "%d minutes", minutes) % minutes


class ExerciseBlock(SphinxTransform):
    """Class the sections of an exercise and add its summary (before translation)."""

    # 15: before Sphinx's Locale transform (20), so the summary's labels are translated like
    # any text, and long before RemoveTrainerOnly (810), which relies on the ``trainer-only``
    # class this transform puts on the trainer sections: run it later and the participant
    # edition would keep the model answers.
    default_priority = 15

    def apply(self, **kwargs: object) -> None:
        docname = self.env.docname
        if not docname.startswith(EXERCISE_DIR + "/"):
            return
        from . import document_model

        exercise = document_model(self.app, docname)
        if not isinstance(exercise, Exercise):
            return
        section = first_section(self.document)
        if section is None:
            return
        section["classes"] += ["exercise", f"exercise-{exercise.type or 'unknown'}"]
        for child in section.findall(nodes.section):
            if child.parent is not section:
                continue
            spec = SECTION_SPECS.get(child[0].astext().strip()) if len(child) else None
            if spec is None:
                continue
            child["classes"].append("exercise-" + spec.name.lower().replace(" ", "-"))
            if spec.audience is Audience.TRAINER:
                child["classes"] += ["trainer-section", TRAINER_ONLY]
        section.insert(1, self.summary(exercise))
        number = nodes.paragraph("", "", exercise_number(docname=docname), classes=["exercise-number-line"])
        section.insert(1, number)

    def summary(self, exercise: Exercise) -> nodes.Element:
        fields = nodes.field_list(classes=["exercise-summary"])

        def add(name: str, *body: nodes.Node) -> None:
            fields.append(nodes.field("", nodes.field_name("", name), nodes.field_body("", *body)))

        if exercise.type:
            add(_("Type"), nodes.paragraph("", type_label(exercise.type)))
        if exercise.duration is not None:
            add(_("Duration"), nodes.paragraph("", minutes_label(exercise.duration)))
        if exercise.time_limit is not None:
            add(_("Time limit"), nodes.paragraph("", minutes_label(exercise.time_limit)))
        grouping = exercise.value("grouping", str)
        if grouping:
            add(_("Grouping"), nodes.paragraph("", grouping_label(grouping)))
        if exercise.objectives:
            items = nodes.bullet_list()
            for objective in exercise.objectives:
                ref = addnodes.pending_xref(
                    "",
                    nodes.inline("", objective),
                    refdomain="std",
                    reftype="ref",
                    reftarget=outcome_label(objective),
                    refexplicit=False,
                    refwarn=True,
                )
                items += nodes.list_item("", nodes.paragraph("", "", ref))
            add(_("Objectives"), items)
        if exercise.materials:
            text = ", ".join(exercise.materials)
            materials = nodes.paragraph(text, text)  # with a source, so it is translated like prose
            materials.source, materials.line = str(exercise.path), exercise.front_matter.where("materials")[0]
            add(_("Materials"), materials)
        return fields


def setup(app: Sphinx) -> None:
    app.add_transform(ExerciseBlock)
