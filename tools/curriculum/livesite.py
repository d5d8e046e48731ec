"""One Sphinx application kept alive between rebuilds, for ``curriculum serve``.

Making an application (extensions, theme, the pickled environment) costs more than an
incremental rebuild, so the preview makes one and calls ``app.build()`` again after each
save: Sphinx re-reads the changed documents and those that depend on them, and writes
what changed. What a long-lived application has to be told, and this module tells it:

- the curriculum model it caches (``sphinxext.curriculum_of``) is dropped before each build;
- gettext caches a catalogue for the life of the process: the translations of a changed
  ``.po`` are forgotten, so the ``.mo`` Sphinx compiles from it is read again;
- the settings (``pyproject.toml``, ``conf.py`` and the book settings' ``sphinx.po``) are read
  when the application is made: when they change, the next build makes a new one;
- a build that raises leaves an environment Sphinx itself discards: the application goes, and
  the next build makes a new one.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import Target
from .project import LOCALES_DIR, SETTINGS_FILE

#: Files read when the application is made (besides the book settings' catalogue).
SETTINGS = (SETTINGS_FILE, "conf.py")


@dataclass
class Outcome:
    """What one build did."""

    #: True when Sphinx finished writing (warnings or not); False when it raised.
    finished: bool
    #: Sphinx's warnings and errors, one line each, or the exception that stopped the build.
    problems: list[str] = field(default_factory=list)
    #: The documents read in this build.
    read: list[str] = field(default_factory=list)
    #: True when this build made a new application.
    fresh: bool = False
    seconds: float = 0.0


class LiveSite:
    """One language and edition of a curriculum's site, built by one long-lived Sphinx application."""

    def __init__(self, root: Path, target: Target, outdir: Path, doctrees: Path, overrides: dict[str, Any]) -> None:
        self.root = root
        self.target = target
        self.outdir = outdir
        self.doctrees = doctrees
        self.overrides = overrides
        self.app: Any = None
        self._settings = ""
        self._warnings = io.StringIO()
        self._namespace = ExitStack()
        self._read: list[str] = []
        #: What the last build did.
        self.last = Outcome(False)

    def catalogues(self) -> Path:
        return self.root / LOCALES_DIR / self.target.lang / "LC_MESSAGES"

    def settings_digest(self) -> str:
        """A digest of what the application reads when it is made."""
        digest = hashlib.sha256()
        for path in [*(self.root / name for name in SETTINGS), self.catalogues() / "sphinx.po"]:
            digest.update(f"{path}\0".encode() + (path.read_bytes() if path.is_file() else b"\0absent"))
        return digest.hexdigest()

    def build(self, changed: tuple[Path, ...] = ()) -> Outcome:
        """Build incrementally, making the application first when there is none or the settings changed."""
        from .sphinxext import forget_curriculum

        started = time.perf_counter()
        fresh = False
        self._warnings.seek(0)
        self._warnings.truncate()
        self._read = []
        try:
            settings = self.settings_digest()
            if self.app is None or settings != self._settings:
                self.close()
                self.app, fresh = self._make_app(), True
                self._settings = settings
            else:
                for path in changed:
                    forget_catalogue(path, self.catalogues())
                forget_curriculum(self.app)
                self.app.statuscode, self.app._warncount = 0, 0  # counted per build, not per application
            self.app.build()
        except Exception as error:  # the preview goes on: the error is shown, the last good site kept
            self.close()
            problems = [*self.problems(), f"{type(error).__name__}: {str(error).strip()}"]
            self.last = Outcome(False, problems, self._read, fresh, time.perf_counter() - started)
        else:
            self.last = Outcome(True, self.problems(), self._read, fresh, time.perf_counter() - started)
        return self.last

    def _make_app(self) -> Any:
        from sphinx.util.docutils import docutils_namespace

        from .sphinxrun import make_app

        # the application registers directives and roles with docutils for its whole life
        self._namespace.enter_context(docutils_namespace())
        app = make_app(
            self.root,
            self.target.lang,
            self.target.edition,
            self.target.builder,
            self.outdir,
            self.doctrees,
            warning=self._warnings,
            overrides=self.overrides,
        )
        app.connect("env-before-read-docs", self._note_read)
        return app

    def _note_read(self, app: Any, env: Any, docnames: list[str]) -> None:
        self._read = list(docnames)

    def curriculum(self) -> Any:
        """The curriculum model: the one the last build read, else the sources read now."""
        from .model import load_curriculum
        from .sphinxext import curriculum_of

        return curriculum_of(self.app) if self.app is not None else load_curriculum(self.root)

    def problems(self) -> list[str]:
        """This build's warnings, one line each."""
        from .sphinxrun import warning_lines

        return warning_lines(self._warnings)

    def close(self) -> None:
        """Let the application go, with the directives and translations it registered
        process-wide (the next build makes a new one)."""
        self.app = None
        self._namespace.close()
        self._namespace = ExitStack()
        forget_translations(self.root / LOCALES_DIR)


def forget_catalogue(po: Path, catalogues: Path) -> None:
    """Forget the cached translations of the document catalogue ``po`` (under ``catalogues``),
    so the next build reads the ``.mo`` Sphinx compiles from it."""
    from sphinx.locale import translators

    if po.suffix != ".po" or not po.is_relative_to(catalogues):
        return
    domain = po.relative_to(catalogues).with_suffix("").as_posix()
    translators.pop(("general", domain), None)
    _forget_mo_files(lambda mo: mo == os.path.abspath(po.with_suffix(".mo")))


def forget_translations(locales: Path) -> None:
    """Forget every cached translation: Sphinx's, and gettext's of the catalogues under ``locales``."""
    from sphinx.locale import translators

    translators.clear()
    prefix = os.path.abspath(locales) + os.sep
    _forget_mo_files(lambda mo: mo.startswith(prefix))


def _forget_mo_files(matches: Any) -> None:
    import gettext

    cache: dict[tuple[Any, str], Any] = getattr(gettext, "_translations", {})
    for key in [key for key in cache if matches(key[1])]:
        del cache[key]
