"""Editions: trainer-only material, and its removal from the participant edition.

Trainer-only material is any node with the class ``trainer-only``: the trainer
sections of exercises and ``{trainer-note}`` blocks. The participant edition drops
those nodes from the doctree while it is read, so they never reach a page, the
search index, the single-page HTML or a PDF.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective

from .i18n import _

TRAINER_ONLY = "trainer-only"


class TrainerNoteDirective(SphinxDirective):
    """``{trainer-note}``: guidance for the trainer, left out of the participant edition."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        node = nodes.admonition(classes=["trainer-note", TRAINER_ONLY])
        self.set_source_info(node)
        title_text = self.arguments[0] if self.arguments else _("Trainer note")
        title = nodes.title(title_text, title_text)
        self.set_source_info(title)
        node += title
        node += self.parse_content_to_nodes(allow_section_headings=False)
        return [node]


class RemoveTrainerOnly(SphinxTransform):
    """Drop trainer-only nodes when building the participant edition."""

    # 810: after every transform that marks nodes trainer-only (ExerciseBlock and
    # LearningOutcomesBlock at 15, the directives while parsing) and after translation (20),
    # so that nothing added later can bring trainer material back; before the domains (850)
    # collect labels and terms, the coverage matrix and the writers, which must never see it.
    # Everything before it reads the same in both editions, which share it (:mod:`.shared`):
    # so it comes after the text's own transforms (footnotes' documents, comments, smart quotes
    # at 750), which act on each paragraph alone, and before those of the document's layout
    # (decorations at 820, transitions at 830).
    default_priority = 810

    def apply(self, **kwargs: object) -> None:
        if self.config.curriculum_edition == "trainer":
            return
        for node in list(self.document.findall(nodes.Element)):
            if TRAINER_ONLY in node.get("classes", ()) and node.parent is not None:
                node.parent.remove(node)


def drop_source_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """Sources are never published (they hold trainer material): no "download source" link."""
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"] = [b for b in button["buttons"] if b.get("label") != "download-source-button"]


def mark_trainer_edition(app: Sphinx, config: Config) -> None:
    """The trainer site says so on every page: a banner above the page and in each ``<title>``.

    Runs after the book settings are translated (priority 100), so the marked title is too.
    """
    if config.curriculum_edition != "trainer":
        return
    label = str(_("Trainer edition"))
    warning = str(_("With trainer notes and model answers: not for participants."))
    config.html_title = f"{config.html_title or config.project} · {label}"
    if config.html_theme not in {"sphinx_book_theme", "pydata_sphinx_theme"}:
        return  # the banner is the theme's announcement bar
    options = dict(config.html_theme_options)
    options["announcement"] = f'<strong class="trainer-edition-badge">{escape(label)}</strong> · {escape(warning)}'
    config.html_theme_options = options


def setup(app: Sphinx) -> None:
    app.connect("config-inited", mark_trainer_edition, priority=200)
    app.add_directive("trainer-note", TrainerNoteDirective)
    app.add_transform(RemoveTrainerOnly)
    app.connect("html-page-context", drop_source_download, priority=900)
