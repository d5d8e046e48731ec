"""The one place that runs Sphinx: one language and edition of a curriculum, one builder.

``curriculum build`` calls :func:`run`: in its own process for a single output, in a process
of its own for each of several (Sphinx's translations are per process). ``translate`` runs
``python -m curriculum.sphinxrun``, ``serve`` calls :func:`make_app`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from .memory import collect_less_often
from .project import EDITIONS, load_project
from .sphinxconf import configuration, with_overrides


class ImportedOnFirstUse(ModuleType):
    """Stands in for a module in ``sys.modules`` until one of its names is used."""

    def __getattr__(self, name: str) -> Any:  # only names the stand-in lacks: the module's
        import importlib

        module = sys.modules.get(self.__name__)
        if module is self:
            del sys.modules[self.__name__]
            module = importlib.import_module(self.__name__)
        return getattr(module, name)


def import_soupsieve_when_used() -> None:
    """soupsieve, BeautifulSoup's CSS selectors, compiles its selector grammar as it is
    imported: 45 ms in every process, and the theme imports it with BeautifulSoup. Nothing the
    builder does selects with CSS (:mod:`curriculum.sphinxext.sidebar`), so it is imported
    when first used, if ever."""
    if "soupsieve" not in sys.modules:
        sys.modules["soupsieve"] = ImportedOnFirstUse("soupsieve")


def write_catalogues_whole() -> None:
    """Sphinx compiles a curriculum's ``.po`` files to ``.mo`` beside them as a build starts,
    writing each in place: two builds of one language side by side (the site and the PDFs of
    two editions) could read a catalogue the other was half way through writing, and show
    English where a translation was. Here each is written under a name of its own and then
    put in place whole."""
    import os

    from sphinx.util.i18n import CatalogInfo

    write_mo = CatalogInfo.write_mo
    if getattr(write_mo, "upstream", None) is not None:
        return

    class Partial(CatalogInfo):
        """The catalogue, its ``.mo`` written under another name."""

        __slots__ = ("partial",)
        partial: Path

        def __init__(self, catalogue: CatalogInfo, partial: Path) -> None:
            super().__init__(catalogue.base_dir, catalogue.domain, catalogue.charset)
            self.partial = partial

        @property
        def mo_path(self) -> Any:
            return self.partial

    def write_whole(self: CatalogInfo, locale: str, use_fuzzy: bool = False) -> None:
        target = Path(self.mo_path)
        # a .mo name: ignored like the others by git and by the digest of the sources
        partial = target.with_suffix(f".{os.getpid()}.mo")
        try:
            write_mo(Partial(self, partial), locale, use_fuzzy)
            if partial.exists():  # Sphinx warns and writes nothing when a .po is unreadable
                os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)

    write_whole.upstream = write_mo  # type: ignore[attr-defined]
    CatalogInfo.write_mo = write_whole  # type: ignore[method-assign]


# before anything imports the theme or starts an application: every build starts from this
# module (in a process of its own for each of several outputs, forked from one that imported it)
import_soupsieve_when_used()
collect_less_often()
write_catalogues_whole()


def make_app(
    root: Path,
    language: str,
    edition: str,
    builder: str,
    outdir: Path,
    doctrees: Path,
    *,
    strict: bool = True,
    status: IO[str] | None = None,
    warning: IO[str] | None = None,
    overrides: dict[str, Any] | None = None,
    writers: int = 1,
) -> Any:
    """A Sphinx application for ``root`` configured from its project description.

    ``strict`` is ``-W --keep-going -n``: every warning fails the build, after all are shown.
    ``writers`` > 1: the site's pages, once read, are written by that many processes beside
    this one, which resolves them (Sphinx reads in one process: its parallel reading was
    measured slower here, pages read elsewhere being loaded from disk again to be written).
    """
    from sphinx.application import Sphinx
    from sphinx.util.tags import Tags

    project = load_project(root)
    project.require_language(language)
    config = configuration(project, language, edition)
    own = root / "conf.py"
    if own.is_file():
        config = with_overrides(config, own, Tags())
    config.update(overrides or {})
    app = Sphinx(
        str(root),
        None,
        str(outdir),
        str(doctrees),
        builder,
        confoverrides=config,
        status=status,
        warning=warning if warning is not None else sys.stderr,
        warningiserror=strict,
        keep_going=strict,
    )
    if writers > 1 and builder == "html":
        write_in_parallel(app, writers)
    return app


#: Fewer pages than this are written faster in this process than by processes forked for them.
MANY_PAGES = 8


def write_in_parallel(app: Any, writers: int) -> None:
    """Have ``app`` write its pages with ``writers`` processes beside its own, when there are
    many (an edit rewrites two or three)."""
    # Sphinx decides between reading and writing whether it may write in parallel
    app.connect("env-updated", lambda app, env: setattr(app, "parallel", writers + 1))
    builder = app.builder
    write_documents = builder.write_documents

    def write_some_in_parallel(docnames: Any) -> None:
        builder.parallel_ok = builder.parallel_ok and len(docnames) >= MANY_PAGES
        write_documents(docnames)

    builder.write_documents = write_some_in_parallel


def run(
    root: Path,
    language: str,
    edition: str,
    builder: str,
    outdir: Path,
    doctrees: Path,
    *,
    strict: bool = True,
    exercise: str = "",
    shared: Path | None = None,
    writers: int = 1,
) -> list[str]:
    """Build once in this process; returns the problems that failed it (empty when it succeeded),
    each in one line, no traceback. ``shared``: the folder where the editions of the language
    share the pages they read (:mod:`curriculum.sphinxext.shared`)."""
    import io
    import warnings

    from sphinx.errors import SphinxError

    from .project import ProjectError

    messages = io.StringIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the themes' and extensions', not ours to fix
            app = make_app(
                root.resolve(),
                language,
                edition,
                builder,
                outdir,
                doctrees,
                strict=strict,
                warning=messages,
                overrides={"curriculum_only_exercise": exercise, "curriculum_shared_reads": str(shared or "")},
                writers=writers,
            )
            app.build()
    except (SphinxError, ProjectError) as error:
        return [*warning_lines(messages), f"{type(error).__name__}: {error}"]
    except Exception as error:  # a bug: still one line, under the output's name
        return [*warning_lines(messages), f"internal error: {type(error).__name__}: {error}"]
    if app.statuscode:
        return warning_lines(messages) or [f"Sphinx ended with status {app.statuscode}"]
    return []


def warning_lines(stream: Any) -> list[str]:
    """What Sphinx wrote to ``stream`` (a ``StringIO``), one line each, without colours."""
    from sphinx.util.console import strip_colors  # Sphinx colours its warnings for a terminal

    return [strip_colors(line) for line in stream.getvalue().splitlines() if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m curriculum.sphinxrun", description=__doc__.splitlines()[0])
    parser.add_argument("--lang", required=True)
    parser.add_argument("--edition", choices=EDITIONS, required=True)
    parser.add_argument("--builder", required=True)
    parser.add_argument("--doctrees", type=Path, required=True)
    parser.add_argument("--lenient", action="store_true", help="do not fail on warnings")
    parser.add_argument("--exercise", help="handbook-pdf: this exercise's handout only (curriculum_only_exercise)")
    parser.add_argument("root", type=Path)
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    problems = run(
        args.root,
        args.lang,
        args.edition,
        args.builder,
        args.outdir,
        args.doctrees,
        strict=not args.lenient,
        exercise=args.exercise or "",
    )
    for line in problems:
        print(line, file=sys.stderr)
    return 2 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
