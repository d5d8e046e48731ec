"""Pages for trainers only: ``handbook/trainer/``, and the generated rules reference.

The participant edition excludes ``handbook/trainer/`` altogether, and
``{trainer-toctree}`` lists those pages in the trainer edition only. A page whose
first line is ``% curriculum:rules`` is replaced by the checker's rule registry,
so the rules reference can never drift from the code.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.other import TocTree

from ..model import RULES_MARKER, TOKEN_CACHE_DIR, rules_page
from ..source import TokenCache
from .shared import read_per_edition

TRAINER_PAGES = "handbook/trainer/**"


class TrainerTocTree(TocTree):
    """A toctree that exists only in the trainer edition."""

    def run(self) -> list[nodes.Node]:
        read_per_edition(self.env)
        if self.config.curriculum_edition != "trainer":
            return []
        return super().run()


def exclude_trainer_pages(app: Sphinx, config: Config) -> None:
    if config.curriculum_edition != "trainer":
        config.exclude_patterns = [*config.exclude_patterns, TRAINER_PAGES]


def generate_rules_page(app: Sphinx, docname: str, source: list[str]) -> None:
    if source and source[0].lstrip().startswith(RULES_MARKER):
        source[0] = rules_page(TokenCache(Path(app.srcdir) / TOKEN_CACHE_DIR))


def setup(app: Sphinx) -> None:
    app.add_directive("trainer-toctree", TrainerTocTree)
    app.connect("config-inited", exclude_trainer_pages)
    app.connect("source-read", generate_rules_page)
