"""``curriculum build``: every language x edition x format, each built atomically.

Each output is built by Sphinx (``-W --keep-going -n``) in its own working folder
under ``_build/.work`` (kept between builds, so rebuilds are incremental), then
moved into place whole: a failed build leaves the previous site and PDFs as they
were.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .project import BUILD_DIR, EDITIONS, EXERCISE_DIR, SOURCES, Project, ProjectError, direction, load_project
from .sphinxext.languages import language_name

FORMATS = ("html", "pdf")


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
        return "html" if self.format == "html" else "handbook-pdf"

    def destination(self, root: Path) -> Path:
        """Where the finished output lives (a folder for sites, the PDF folder for PDFs)."""
        build = root / BUILD_DIR
        if self.format == "pdf":
            return build / "pdf"
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


def plan(project: Project, lang: str = "all", edition: str = "all", fmt: str = "all",
         exercise: str | None = None) -> list[Target]:
    """The outputs to build; a language must be one the project lists.

    With ``exercise``, only that exercise's handouts: the participant PDFs, in each language.
    """
    langs = list(project.languages) if lang == "all" else [project.require_language(lang)]
    if exercise is not None:
        if not (project.root / EXERCISE_DIR / f"{exercise}.md").is_file():
            raise ProjectError(f"no exercise '{exercise}' (there is no {EXERCISE_DIR}/{exercise}.md)")
        if fmt == "html" or edition == "trainer":
            raise ProjectError("--exercise builds handouts: participant PDFs only (leave out --format html "
                               "and --edition trainer)")
        return [Target(l, "participant", "pdf", exercise) for l in langs]
    editions = EDITIONS if edition == "all" else (edition,)
    formats = FORMATS if fmt == "all" else (fmt,)
    return [Target(l, e, f) for l in langs for f in formats for e in editions]


def sphinx_runner() -> list[str]:
    """The command that runs Sphinx for one output (:mod:`curriculum.sphinxrun`)."""
    return [sys.executable, "-m", "curriculum.sphinxrun"]


def sphinx_command(root: Path, target: Target, outdir: Path) -> list[str]:
    doctrees = root / BUILD_DIR / ".doctrees" / f"{target.lang}-{target.edition}"
    return [
        *sphinx_runner(), "--lang", target.lang, "--edition", target.edition,
        "--builder", target.builder, "--doctrees", str(doctrees),
        *(["--exercise", target.exercise] if target.exercise else []), str(root), str(outdir),
    ]


def run_sphinx(root: Path, target: Target) -> Path:
    """Build ``target`` in its working folder; returns that folder, or raises BuildError."""
    work = root / BUILD_DIR / ".work" / target.name
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    result = subprocess.run(sphinx_command(root, target, work), cwd=root, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if line.strip()]
        raise BuildError("\n".join(problems[-40:]) or f"sphinx exited with {result.returncode}")
    return work


def replace_tree(source: Path, destination: Path) -> None:
    """Copy ``source`` over ``destination`` so that readers see the old or the new tree, whole."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fresh = destination.with_name(f".{destination.name}.new")
    stale = destination.with_name(f".{destination.name}.old")
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(source, fresh, ignore=shutil.ignore_patterns(".buildinfo*", ".doctrees", "*.part"))
    if destination.exists():
        destination.rename(stale)
    fresh.rename(destination)
    shutil.rmtree(stale, ignore_errors=True)


def publish_pdfs(work: Path, destination: Path) -> list[Path]:
    """Move each finished PDF into place with an atomic rename."""
    published = []
    for pdf in sorted(work.rglob("*.pdf")):
        target = destination / pdf.relative_to(work)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copy2(pdf, partial)
        os.replace(partial, target)
        published.append(target)
    return published


def icon(project: Project, site: Path) -> str:
    """The language index's favicon link: the icon the source language's site publishes
    (the logo when it is an icon format, else the builder's ``favicon.svg``; see sphinxext/site.py)."""
    from .sphinxext.site import FAVICON, ICON_SUFFIXES

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
            for lang in project.languages if (folder / lang).is_dir()
        )
        page = (
            f'<!DOCTYPE html>\n<html lang="{source}" dir="{direction(source)}"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={source}/index.html">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{icon(project, folder / source)}'
            f"<title>{escape(project.title)}</title></head><body><main><h1>{escape(project.title)}</h1>"
            f"<ul>{items}</ul></main></body></html>\n"
        )
        partial = folder / "index.html.part"
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, folder / "index.html")


def build(project: Project, targets: Iterable[Target], log=print) -> list[str]:
    """Build each target, report progress; returns the names of failed targets."""
    from .sphinxext.i18n import LOCALE_DIR

    root = project.root
    targets = list(targets)
    for lang in sorted({t.lang for t in targets}):
        if lang.split("_")[0] != "en" and not (LOCALE_DIR / lang.split("_")[0]).is_dir():
            log(f"warning: no interface strings for '{lang}': labels such as 'Contents' stay in English "
                "(the builder ships en, ar and fr)")
    failed: list[str] = []
    started = time.perf_counter()
    for number, target in enumerate(targets, 1):
        only = f" · {target.exercise}" if target.exercise else ""
        log(f"[{number}/{len(targets)}] {target.format} · {target.edition} · {target.lang}{only} ...", end=" ", flush=True)
        clock = time.perf_counter()
        try:
            work = run_sphinx(root, target)
            destination = target.destination(root)
            if target.format == "html":
                replace_tree(work, destination)
                shown = destination
            else:
                count = len(publish_pdfs(work, destination))
                shown = f"{count} PDF files in {os.path.relpath(destination, root)}"
        except BuildError as error:
            failed.append(target.name)
            log(f"FAILED after {time.perf_counter() - clock:.1f} s")
            log(str(error), file=sys.stderr)
            continue
        log(f"done in {time.perf_counter() - clock:.1f} s -> {os.path.relpath(shown, root) if isinstance(shown, Path) else shown}")
    write_site_index(project)
    log(f"{len(targets) - len(failed)} of {len(targets)} outputs built in {time.perf_counter() - started:.1f} s"
        + (f"; failed: {', '.join(failed)}" if failed else ""))
    return failed
