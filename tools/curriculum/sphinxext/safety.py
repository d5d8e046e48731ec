"""Safe content: no raw output and no file insertion, whatever the source says.

The checker refuses raw HTML, ``{raw}``, ``{eval-rst}`` and includes that leave the
repository (SAFE rules). The build enforces the same independently: docutils'
``raw_enabled`` and ``file_insertion_enabled`` are off for content, and any raw
node left (MyST turns HTML blocks into raw nodes) is removed unless its file is
listed in ``allow_raw_html`` under ``[tool.curriculum]``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

if TYPE_CHECKING:
    from ..project import Project

logger = logging.getLogger(__name__)


@functools.cache
def settings(srcdir: Path) -> Project:
    """The project's ``[tool.curriculum]`` settings, read once per build process."""
    from ..project import load_project

    return load_project(srcdir)


class StripRaw(SphinxTransform):
    """Remove raw nodes from documents not allowed to carry raw HTML."""

    # 200: after translation (20), so raw markup a translation brings in is removed too.
    default_priority = 200

    def apply(self, **kwargs: object) -> None:
        relative = Path(self.env.doc2path(self.env.docname)).relative_to(self.env.srcdir)
        if settings(Path(self.env.srcdir)).raw_html_allowed(relative):
            return
        for node in list(self.document.findall(nodes.raw)):
            logger.info(
                "removed raw %s from %s",
                node.get("format", "output"),
                relative,
                location=node,
                type="curriculum",
                subtype="raw",
            )
            node.parent.remove(node)


def disable_raw_and_insertion(app: Sphinx) -> None:
    """docutils settings for every document: no raw directive, no file insertion."""
    overrides = dict(app.env.settings)
    overrides.update(raw_enabled=False, file_insertion_enabled=False)
    app.env.settings = overrides


def setup(app: Sphinx) -> None:
    app.add_transform(StripRaw)
    app.connect("builder-inited", disable_raw_and_insertion)
