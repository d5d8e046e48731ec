"""What every Sphinx application of a build imports, imported as this module is.

The process that forks the builders of outputs built side by side imports it once
(:data:`curriculum.build.PRELOADED`), so that no builder imports them again: Sphinx's own
extensions, which every application sets up, and the builder's (about 0.08 s a builder).
"""

from __future__ import annotations

import importlib

from sphinx.application import builtin_extensions

from .sphinxconf import EXTENSIONS

for _name in (*builtin_extensions, *EXTENSIONS):
    importlib.import_module(_name)
