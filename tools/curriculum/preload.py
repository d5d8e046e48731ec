"""What every Sphinx application of a build imports, imported as this module is.

The process that forks the builders of outputs built side by side imports it once
(:data:`curriculum.build.PRELOADED`), so that no builder imports them again: Sphinx's own
extensions, which every application sets up, and the builder's (about 0.08 s a builder);
then what the builders import when they first need it: the rules reference every model has,
Typst and pikepdf for the PDFs (about 0.06 s a builder of PDFs or decks). And, where the
build names it (:data:`curriculum.build.PRELOAD_ROOT_VARIABLE`), the curriculum's model, which
every builder needs (about 0.2 s a builder): each forked builder has it while the sources are
unchanged.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from pathlib import Path

from sphinx.application import builtin_extensions

from .build import PRELOAD_ROOT_VARIABLE
from .model import keep_curriculum
from .sphinxconf import EXTENSIONS

#: Imported by the builders on first use, not by setting up an application.
ON_FIRST_USE = ("curriculum.rules.docs", "typst", "pikepdf")

for _name in (*builtin_extensions, *EXTENSIONS, *ON_FIRST_USE):
    importlib.import_module(_name)

if _root := os.environ.get(PRELOAD_ROOT_VARIABLE):
    with contextlib.suppress(Exception):  # never the server's end: each builder loads its own
        keep_curriculum(Path(_root))
