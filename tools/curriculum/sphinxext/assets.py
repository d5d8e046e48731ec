"""The site's static files: those for readers only, copied again only when they changed.

Sphinx copies the themes' static folders (all but dot files) into ``_static/`` at every build.
What the themes keep there that is not for readers is left out: sphinx-book-theme's interface
translations (92 files in 92 folders; Sphinx reads them from the installed package), the themes'
Jinja macros (``webpack-macros.html``, unrendered) and the source maps of their minified scripts
and styles (3.4 MB): a site is 3.9 MB, not 8. Where a copy is there already, Sphinx compares it
with its source byte for byte; a copy Sphinx made keeps its source's size and modification
time, so one that has both is taken as current without reading either (as rsync decides):
a one-page rebuild's copying took 46 ms, now 30. Templates (``*_t``) are rendered as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders import html
from sphinx.util import fileutil, osutil
from sphinx.util.matching import Matcher

Copy = Callable[..., None]


def unless_copied(copyfile: Copy) -> Copy:
    """``copyfile`` (Sphinx's), skipping a destination with its source's size and time."""

    def copy(source: str | os.PathLike[str], dest: str | os.PathLike[str], **options: Any) -> None:
        with contextlib.suppress(OSError):  # no copy yet (or no source): as Sphinx does
            original, copied = os.stat(source), os.stat(dest)
            if (original.st_size, original.st_mtime_ns) == (copied.st_size, copied.st_mtime_ns):
                return
        copyfile(source, dest, **options)

    return copy


#: What of the themes' static folders is not copied: Sphinx's dot files, and what is not for readers.
NOT_FOR_READERS = Matcher(
    ["**/.*", "**/locales", "**/locales/**", "**/webpack-macros.html", "**/sbt-webpack-macros.html", "**.map"]
)
#: The modules whose ``copyfile`` (Sphinx's) copies the static files: the assets' and the
#: HTML builder's own (the search stemmers, the favicon).
COPYING = (fileutil, html)


def copy_static_files_quickly(app: Sphinx) -> None:
    """``builder-inited``: the HTML builder copies the static files for readers, each by
    :func:`unless_copied`."""
    builder: Any = app.builder
    upstream = getattr(builder, "copy_static_files", None)
    if upstream is None or getattr(upstream, "quick", False):
        return

    def copy_static_files() -> None:
        copyfile, excluded = osutil.copyfile, html.DOTFILES
        # replaced for this call only (on the builder's own thread, before pages are written):
        # DOTFILES is what the builder leaves out of the themes' static folders
        html.DOTFILES = NOT_FOR_READERS
        for module in COPYING:
            module.copyfile = unless_copied(copyfile)  # type: ignore[attr-defined]
        try:
            upstream()
        finally:
            html.DOTFILES = excluded
            for module in COPYING:
                module.copyfile = copyfile  # type: ignore[attr-defined]

    copy_static_files.quick = True  # type: ignore[attr-defined]
    builder.copy_static_files = copy_static_files


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", copy_static_files_quickly)
