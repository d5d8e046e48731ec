"""``curriculum build``: every language x edition x format, each built atomically.

Each output is built by Sphinx (``-W --keep-going -n``) in its own working folder
under ``_build/.work`` (kept between builds, so rebuilds are incremental), then
moved into place whole: a failed build leaves the previous site and PDFs as they
were.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .atomic import atomic_path, write_atomic
from .digest import salted, sources_digest
from .findings import Finding, check_ahead, reap
from .project import (
    BUILD_DIR,
    EDITIONS,
    EXERCISE_DIR,
    SOURCES,
    Project,
    ProjectError,
    direction,
    language_name,
)
from .schedule import Lane, run_lanes
from .sphinxconf import PDF_FOLDER, SLIDES_BUILDER

FORMATS = ("html", "pdf", "slides")


@dataclass(frozen=True)
class Target:
    """One output: a site or a set of PDFs, for one language and edition."""

    lang: str
    edition: str
    format: str
    #: ``--exercise``: only this exercise's handout (participant PDFs), in the same working folder
    exercise: str = ""

    @property
    def name(self) -> str:
        return f"{self.format}-{self.edition}-{self.lang}"

    @property
    def builder(self) -> str:
        return {"html": "html", "slides": SLIDES_BUILDER}.get(self.format, "handbook-pdf")

    def doctrees(self, root: Path) -> Path:
        """The Sphinx environment it is read into: one per language and edition, shared by
        the site, the PDFs and the decks."""
        return root / BUILD_DIR / ".doctrees" / f"{self.lang}-{self.edition}"

    def destination(self, root: Path) -> Path:
        """Where the finished output lives (a folder for sites, the PDF folder for PDFs)."""
        build = root / BUILD_DIR
        if self.format == "pdf":
            return build / "pdf"
        if self.format == "slides":  # the published decks are the trainer's (with speaker notes)
            return build / ("slides" if self.edition == "trainer" else "slides-participant") / self.lang
        site = "html" if self.edition == "participant" else "html-trainer"
        return build / site / self.lang


def copy_sources(root: Path, destination: Path) -> Path:
    """Copy the curriculum sources of ``root`` (not its builds) into ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


class BuildError(Exception):
    """A target failed; the message says which and why."""


def plan(
    project: Project, lang: str = "all", edition: str = "all", fmt: str = "all", exercise: str | None = None
) -> list[Target]:
    """The outputs to build; a language must be one the project lists.

    With ``exercise``, only that exercise's handouts: the participant PDFs, in each language.
    """
    langs = list(project.languages) if lang == "all" else [project.require_language(lang)]
    if exercise is not None:
        if not (project.root / EXERCISE_DIR / f"{exercise}.md").is_file():
            raise ProjectError(f"no exercise '{exercise}' (there is no {EXERCISE_DIR}/{exercise}.md)")
        if fmt == "html" or edition == "trainer":
            raise ProjectError(
                "--exercise builds handouts: participant PDFs only (leave out --format html and --edition trainer)"
            )
        return [Target(lang, "participant", "pdf", exercise) for lang in langs]
    editions = EDITIONS if edition == "all" else (edition,)
    formats = FORMATS if fmt == "all" else (fmt,)
    return [
        Target(lang, e, f)
        for lang in langs
        for f in formats
        for e in editions
        if not (f == "slides" and edition == "all" and e != "trainer")
    ]


#: What the processes that build outputs side by side import once, before they are forked.
PRELOADED = ["curriculum.sphinxrun", "curriculum.preload", "curriculum.sphinxext", "sphinx_book_theme"]
#: Names, for :mod:`curriculum.preload`, the curriculum whose model the server loads for them.
PRELOAD_ROOT_VARIABLE = "CURRICULUM_PRELOAD_ROOT"


def sphinx_processes(count: int, root: Path | None = None) -> ProcessPoolExecutor:
    """Processes to build outputs side by side, one output each (Sphinx's translations are per
    process). Each is forked from a server that has imported Sphinx and the extensions once
    (about 0.8 s a process saved), and loaded the model of the curriculum at ``root``; where
    processes cannot be forked, each starts afresh."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if isinstance(context, multiprocessing.context.ForkServerContext):
        from multiprocessing import forkserver

        context.set_forkserver_preload(PRELOADED)
        # the server starts now, told the curriculum by its environment (only it is told)
        saved = os.environ.get(PRELOAD_ROOT_VARIABLE)
        os.environ[PRELOAD_ROOT_VARIABLE] = str(root or "")
        try:
            forkserver.ensure_running()
        finally:
            if saved is None:
                os.environ.pop(PRELOAD_ROOT_VARIABLE)
            else:
                os.environ[PRELOAD_ROOT_VARIABLE] = saved
    return ProcessPoolExecutor(max_workers=count, mp_context=context, max_tasks_per_child=1)


def run_sphinx(
    root: Path, target: Target, processes: ProcessPoolExecutor | None = None, shared: Path | None = None
) -> Path:
    """Build ``target`` in its working folder, in this process or in one of ``processes``,
    sharing what it reads with the other edition in ``shared``; returns that folder, or raises
    BuildError.

    Sphinx reads in one process (its ``-j 2`` was measured slower for a site of this size);
    an output built alone writes its pages with every core, outputs built side by side one each.
    """
    from . import sphinxrun

    work = root / BUILD_DIR / ".work" / target.name
    work.mkdir(parents=True, exist_ok=True)
    arguments = (root, target.lang, target.edition, target.builder, work, target.doctrees(root))
    if processes is None:
        problems = sphinxrun.run(*arguments, exercise=target.exercise, shared=shared, writers=os.cpu_count() or 1)
    else:
        try:
            problems = processes.submit(sphinxrun.run, *arguments, exercise=target.exercise, shared=shared).result()
        except BrokenProcessPool as error:  # the process died (out of memory, a crash in C)
            problems = [f"the Sphinx process ended abruptly: {error}"]
    if problems:
        # Sphinx saved what it read, mistakes and all, and would not read it again: the next
        # build must, to find them again (and not publish them)
        (target.doctrees(root) / "environment.pickle").unlink(missing_ok=True)
        raise BuildError("\n".join(problems[-40:]))
    return work


#: What a build leaves in its folder that is not part of the site (glob patterns, any part).
UNPUBLISHED = (".buildinfo*", ".doctrees", "*.part")


def unchanged(built: Path | str, published: Path | str) -> bool:
    """Sphinx has not rewritten ``built`` since it was published as ``published``: same size
    and time (a published copy keeps the built file's time)."""
    try:
        new, old = os.stat(built), os.stat(published)
    except OSError:
        return False
    return (new.st_size, new.st_mtime_ns) == (old.st_size, old.st_mtime_ns)


def replace_tree(source: Path, destination: Path, ignore: tuple[str, ...] = ()) -> None:
    """Copy ``source`` over ``destination`` so that readers see the old or the new tree, whole.

    A file Sphinx did not rewrite is not copied again: the new tree links the published file.
    Links never point into ``source``, where the next build rewrites files in place.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    fresh = destination.with_name(f".{destination.name}.new")
    stale = destination.with_name(f".{destination.name}.old")
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)

    def publish(built: str, target: str) -> str:
        published = destination / Path(built).relative_to(source)
        if unchanged(built, published):
            with contextlib.suppress(OSError):
                os.link(published, target)
                return target
        return shutil.copy2(built, target)

    shutil.copytree(source, fresh, ignore=shutil.ignore_patterns(*UNPUBLISHED, *ignore), copy_function=publish)
    if destination.exists():
        destination.rename(stale)
    fresh.rename(destination)
    shutil.rmtree(stale, ignore_errors=True)


def publish_pdfs(work: Path, destination: Path) -> list[Path]:
    """Move each finished PDF into place with an atomic rename."""
    published = []
    for pdf in sorted(work.rglob("*.pdf")):
        target = destination / pdf.relative_to(work)
        with atomic_path(target) as partial:
            shutil.copy2(pdf, partial)
        published.append(target)
    return published


def icon(project: Project, site: Path) -> str:
    """The language index's favicon link: the icon the source language's site publishes
    (the logo when it is an icon format, else the builder's ``favicon.svg``; see sphinxext/site.py)."""
    from .paths import FAVICON, ICON_SUFFIXES

    logo = project.logo
    name = logo.name if logo is not None and logo.suffix.lower() in ICON_SUFFIXES else FAVICON.name
    return f'<link rel="icon" href="{site.name}/_static/{name}">' if (site / "_static" / name).is_file() else ""


def write_site_index(project: Project) -> None:
    """``_build/html/index.html`` (and the trainer site's) leads to the source language's
    start page and lists every language."""
    from html import escape

    for site in ("html", "html-trainer"):
        folder = project.root / BUILD_DIR / site
        if not folder.is_dir():
            continue
        source = project.source_language
        items = "".join(
            f'<li><a href="{lang}/index.html" lang="{lang}" dir="{direction(lang)}" hreflang="{lang}">'
            f"{escape(language_name(lang))}</a></li>"
            for lang in project.languages
            if (folder / lang).is_dir()
        )
        page = (
            f'<!DOCTYPE html>\n<html lang="{source}" dir="{direction(source)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={source}/index.html">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{icon(project, folder / source)}'
            f"<title>{escape(project.title)}</title></head><body><main><h1>{escape(project.title)}</h1>"
            f"<ul>{items}</ul></main></body></html>\n"
        )
        write_atomic(folder / "index.html", page)


def inputs_digest(sources: str, target: Target) -> str:
    """A hash of everything an output is made from: ``sources``
    (:func:`curriculum.digest.sources_digest`) and the output itself.

    Any change rebuilds (Sphinx's own incremental build then decides what to re-read);
    no change means the published output is already the one these inputs make.
    """
    return salted(sources, target.name)


def stamp_path(project: Project, target: Target) -> Path:
    """Where the digest of the inputs an output was last built from is kept."""
    only = f"-{target.exercise}" if target.exercise else ""  # one handout is not the whole set
    return project.root / BUILD_DIR / ".work" / f"{target.name}{only}.inputs"


def up_to_date(project: Project, target: Target, digest: str) -> bool:
    stamp = stamp_path(project, target)
    return target.destination(project.root).exists() and stamp.is_file() and stamp.read_text() == digest


def build_one(
    project: Project,
    target: Target,
    digest: str,
    processes: ProcessPoolExecutor | None = None,
    shared: Path | None = None,
) -> str:
    """Build and publish ``target`` (or leave it when its inputs, ``digest``, have not changed);
    what to show."""
    root = project.root
    if up_to_date(project, target, digest):
        return "up to date"
    work = run_sphinx(root, target, processes, shared)
    destination = target.destination(root)
    if target.format == "html":
        replace_tree(work, destination)
        shown = os.path.relpath(destination, root)
    elif target.format == "slides":
        replace_tree(work, destination, ignore=(PDF_FOLDER,))
        count = len(publish_pdfs(work / PDF_FOLDER, root / BUILD_DIR / "pdf" / "slides"))
        shown = f"decks in {os.path.relpath(destination, root)}, {count} PDF files in {BUILD_DIR}/pdf/slides"
    else:
        count = len(publish_pdfs(work, destination))
        shown = f"{count} PDF files in {os.path.relpath(destination, root)}"
    stamp_path(project, target).write_text(digest)
    return shown


def lanes(targets: list[Target]) -> list[Lane]:
    """Targets that share a Sphinx environment (same language and edition) form a lane: the
    first reads the environment, then the others are built side by side; lanes run side by side
    (:func:`curriculum.schedule.run_lanes`). A language's participant lane starts once its
    trainer lane's first output has read the pages it takes (:func:`shared_reads`)."""
    grouped: dict[tuple[str, str], Lane] = {}
    for target in targets:
        grouped.setdefault((target.lang, target.edition), []).append(target)
    for lang, edition in list(grouped):
        if edition != "trainer" and (first := grouped.get((lang, "trainer"))) is not None:
            first.append(grouped.pop((lang, edition)))
    return list(grouped.values())


def shared_reads(root: Path, lang: str) -> Path:
    """Where the editions of ``lang`` share the pages they read, for the length of one build
    (:mod:`curriculum.sphinxext.shared`)."""
    return root / BUILD_DIR / ".doctrees" / ".shared" / lang


#: The work of an output, relative to the source language's participant site, as measured on
#: this builder's first curriculum (its Arabic sites took 1.5 times their English ones, the
#: trainer's editions about 1.2 times the participant's): only the order of outputs depends on it.
FORMAT_COST = {"html": 1.0, "pdf": 0.8, "slides": 0.6}
TRANSLATED_COST = 1.5
TRAINER_COST = 1.2


def estimated_cost(project: Project, target: Target) -> float:
    """How much work ``target`` is, roughly, so that the longest chains of outputs start first."""
    cost = FORMAT_COST.get(target.format, 1.0)
    if target.lang != project.source_language:
        cost *= TRANSLATED_COST
    if target.edition == "trainer":
        cost *= TRAINER_COST
    return cost


def whole_check(root: Path) -> list[Finding]:
    """The project's rules over the whole curriculum: what every build reports."""
    from .model import load_curriculum
    from .rules import check_curriculum, load_config

    return check_curriculum(load_curriculum(root), load_config(root))


def build(project: Project, targets: Iterable[Target], log=print, jobs: int | None = None) -> list[str]:
    """Build every target, at most ``jobs`` at once (one per core by default); one line per
    output as it finishes, then a total. Returns the names of failed targets."""
    import threading

    from .project import interface_warning

    targets = list(targets)
    for lang in sorted({t.lang for t in targets}):
        if warning := interface_warning(lang):
            log(warning)
    failed: list[str] = []
    untouched: set[str] = set()  # outputs left as they were (up to date)
    finished = 0
    lock = threading.Lock()
    started = time.perf_counter()

    cores = jobs or os.cpu_count() or 1
    groups = lanes(targets)
    workers = max(1, min(cores, len(targets)))

    # one output is built in this process, on the main thread; several, each in a process of its own
    alone = len(targets) == 1
    # every build reports the checker's findings: worked out once, on a core of their own, while
    # Sphinx reads (before any thread starts: the checker is forked)
    sources = sources_digest(project.root)
    digests = {target: inputs_digest(sources, target) for target in targets}
    stale = [target for target in targets if not up_to_date(project, target, digests[target])]
    outdated = bool(stale)
    checker = check_ahead(project.root, partial(whole_check, project.root), sources) if outdated else None

    # started only for work to do: the server imports Sphinx and loads the model (a second or so)
    processes = sphinx_processes(workers, project.root) if outdated and not alone else None
    # the editions of a language both to be built read each page once between them
    editions: dict[str, set[str]] = {}
    for target in stale:
        editions.setdefault(target.lang, set()).add(target.edition)
    shared = {lang: shared_reads(project.root, lang) for lang, built in editions.items() if len(built) > 1}
    for folder in shared.values():  # what an interrupted build left there
        shutil.rmtree(folder, ignore_errors=True)

    def run_target(target: Target) -> bool:
        """Build one output and say so; whether it was built."""
        nonlocal finished
        clock = time.perf_counter()
        try:
            shown, error = build_one(project, target, digests[target], processes, shared.get(target.lang)), None
        except BuildError as problem:
            shown, error = "", problem
        with lock:  # whole lines, in the order outputs finish
            finished += 1
            only = f" · {target.exercise}" if target.exercise else ""
            head = f"[{finished}/{len(targets)}] {target.format} · {target.edition} · {target.lang}{only}"
            if error is not None:
                failed.append(target.name)
                log(f"{head} FAILED after {time.perf_counter() - clock:.1f} s")
                log(str(error), file=sys.stderr)
            else:
                if shown == "up to date":
                    untouched.add(target.name)
                log(
                    f"{head} {'' if shown == 'up to date' else f'done in {time.perf_counter() - clock:.1f} s -> '}"
                    f"{shown}"
                )
        return error is None

    try:
        if alone:
            run_target(targets[0])
        else:
            run_lanes(groups, workers, run_target, partial(estimated_cost, project))
    finally:
        for folder in shared.values():
            shutil.rmtree(folder, ignore_errors=True)
    if processes is not None:
        processes.shutdown()
    reap(checker)
    write_site_index(project)
    fresh = f" ({current} up to date)" if (current := sum(1 for t in targets if t.name in untouched)) else ""
    log(
        f"{len(targets) - len(failed)} of {len(targets)} outputs built{fresh} in {time.perf_counter() - started:.1f} s"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return failed
