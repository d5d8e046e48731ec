"""Learning outcomes: a block under each chapter's title, and a label per outcome.

Each outcome gets the label ``outcome-<id>`` so that exercises (and authors, with
``{ref}`outcome-statements-2```) link to it; the link text is the outcome itself.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..model import CHAPTER_DIR, Chapter
from .i18n import _


def outcome_label(outcome_id: str) -> str:
    return f"outcome-{outcome_id}"


def first_section(document: nodes.document) -> nodes.section | None:
    return next(iter(document.findall(nodes.section)), None)


class LearningOutcomesBlock(SphinxTransform):
    """Insert the chapter's learning outcomes under its title (before translation)."""

    # 15: before Sphinx's Locale transform (20), so the outcomes are translated with the page.
    default_priority = 15

    def apply(self, **kwargs: object) -> None:
        docname = self.env.docname
        if not docname.startswith(CHAPTER_DIR + "/"):
            return
        from . import document_model

        chapter = document_model(self.app, docname)
        if not isinstance(chapter, Chapter):
            return
        path, outcomes = chapter.path, chapter.learning_outcomes
        section = first_section(self.document)
        if not outcomes or section is None:
            return
        block = nodes.container(classes=["learning-outcomes"])
        block += nodes.rubric("", _("Learning outcomes"))
        block += nodes.paragraph("", _("After this chapter you will be able to:"))
        items = nodes.bullet_list()
        for outcome in outcomes:
            paragraph = nodes.paragraph(outcome.text, outcome.text)
            paragraph.source, paragraph.line = str(path), outcome.line
            item = nodes.list_item("", paragraph, ids=[outcome_label(outcome.id)])
            item["outcome"] = outcome.id
            items += item
        block += items
        section.insert(1, block)


def register_labels(app: Sphinx, doctree: nodes.document) -> None:
    """Make each outcome a ``{ref}`` target whose default text is the outcome."""
    std = app.env.domains.standard_domain
    for item in doctree.findall(nodes.list_item):
        if "outcome" in item:
            label = outcome_label(item["outcome"])
            std.labels[label] = (app.env.docname, label, item.astext())
            std.anonlabels[label] = (app.env.docname, label)


def setup(app: Sphinx) -> None:
    app.add_transform(LearningOutcomesBlock)
    app.connect("doctree-read", register_labels)
