"""Build benchmark: prints figures (it asserts nothing).

Every figure is also given as a ratio against a bare ``sphinx-build`` of the same tree
(MyST-Parser only, one process), measured in the same run, so the figures survive a noisy
machine: the site cold, the site after a one-word edit, every output of the course cold, a
no-op build, the pages per second of each book's Typst layout, and of the English trainer's
handbook as built (cold from the sources, after its site as ``make`` builds it). The figures
marked * are the fastest of five runs (the site's) or three (the others), theirs and bare
Sphinx's alike, taken in turn; their ratios are the median of the runs' ratios, each of our runs
against the bare run just before it (the machine's speed drifts: two fastest runs may come
from two moments), with the range of those ratios. Every output's figure comes with the work it took, the CPU
seconds of every core together (Linux): the build keeps both cores busy, so what it takes is
its work divided by the cores (the work moves with the machine's speed too: compare a change
with the code before it in turn, not across runs). Then ``curriculum serve``: from saving a
chapter to the served page showing the edit. Runs on a copy of the curriculum; ``bench.py serve`` gives the serve
figure alone.

Cold means the project has no builds (``_build`` removed); what is derived from installed
files alone stays, for bare Sphinx and for us alike: Python's bytecode, and our sites' compiled
theme templates in the user's cache (:func:`curriculum.paths.user_cache`).
"""

from __future__ import annotations

import compileall
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from curriculum.build import copy_sources
from curriculum.typst import Compiler

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "handbook/statements.md"
#: How many times the figures marked * are measured (the fastest counts): the site's, a few
#: seconds each, more often (on a shared machine their ratios moved by a sixth between runs).
RUNS = 3
SITE_RUNS = 5


def run(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def ours(project: Path, *args: str) -> float:
    return run([sys.executable, "-m", "curriculum", "build", *args], project)


def bare(project: Path, out: str) -> float:
    """Plain Sphinx with MyST-Parser on the same tree: our directives are unknown to it (warnings)."""
    conf = project / "_bench_conf"
    conf.mkdir(exist_ok=True)
    (conf / "conf.py").write_text(
        'extensions = ["myst_parser"]\nroot_doc = "handbook/index"\n'
        'include_patterns = ["handbook/**", "exercises/**"]\nexclude_patterns = ["_build", "handbook/data/**"]\n'
        'myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline", "attrs_block", "substitution"]\n'
        'suppress_warnings = ["myst", "docutils", "toc"]\n'
    )
    return run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-c",
            str(conf),
            "-d",
            f"_bench/{out}.doctrees",
            ".",
            f"_bench/{out}",
        ],
        project,
    )


def edit(project: Path, words: str) -> None:
    chapter = project / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def line(label: str, seconds: float, reference: float, extra: str = "") -> None:
    print(f"{label:<48}{seconds:7.1f} s   {seconds / reference:5.2f}x bare Sphinx{extra}")


def paired_line(label: str, ours: list[float], theirs: list[float]) -> None:
    """The fastest of our runs, and its ratio to bare Sphinx's run by run: the median of the
    ratios of runs taken one right after the other (each pair shares the machine's moment; the
    fastest of each side may come from two moments), with their range."""
    ratios = sorted(o / t for o, t in zip(ours, theirs, strict=True))
    spread = f"   (runs {ratios[0]:.2f}x to {ratios[-1]:.2f}x)" if len(ratios) > 1 else ""
    print(f"{label:<48}{min(ours):7.1f} s   {statistics.median(ratios):5.2f}x bare Sphinx{spread}")


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def serve_to_page(project: Path, saves: int = 3) -> list[float]:
    """Seconds from saving a chapter to the page ``curriculum serve`` serves showing the edit,
    for each of ``saves`` saves (the server started once, its first build not counted)."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "curriculum", "serve", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()
    try:
        address = None
        deadline = time.monotonic() + 300
        while address is None and time.monotonic() < deadline:
            address = re.match(r"^Serving (http://\S+/) ", lines.get(timeout=300))
        if address is None:
            sys.exit("curriculum serve never started")
        page = f"{address[1]}{CHAPTER.removesuffix('.md')}.html"
        times = []
        for save in range(saves):
            time.sleep(2)  # let the previous rebuild's checker finish
            word = f"Servemarker{save}x{time.monotonic_ns()}"
            started = time.perf_counter()
            edit(project, word)
            while word not in page_text(page):
                if time.perf_counter() - started > 120:
                    sys.exit(f"the served page never showed the edit {word}")
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
        return times
    finally:
        process.terminate()
        process.wait(timeout=30)


def serve_figure(folder: Path) -> None:
    times = serve_to_page(copy_sources(ROOT, folder / "serve"))
    shown = ", ".join(f"{t:.2f}" for t in times)
    print(f"{'serve: save to page updated (goal < 1.5 s)':<48}{statistics.median(times):7.2f} s   median of {shown}")


def typst_seconds(source: Path) -> float:
    """How long Typst takes to lay out ``source`` (its fonts loaded first, as in a build)."""
    compiler = Compiler(source.parent)
    started = time.perf_counter()
    compiler.write_pdf(source, source.with_name("bench.pdf"))
    return time.perf_counter() - started


def forget(project: Path, *outputs: str) -> None:
    """Undo ``project``'s builds of ``outputs`` (all of them when none is named), so that the
    next build makes them again; the Sphinx environments stay unless everything goes."""
    build = project / "_build"
    if not outputs:
        shutil.rmtree(build, ignore_errors=True)
        shutil.rmtree(project / "_bench", ignore_errors=True)
    for name in outputs:
        shutil.rmtree(build / ".work" / name, ignore_errors=True)
        (build / ".work" / f"{name}.inputs").unlink(missing_ok=True)


def busy() -> float:
    """Seconds the machine's cores have spent working since it started, all together (from
    Linux's ``/proc/stat``: user, system and interrupt time); 0 where that is not known."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def with_work(measure: Callable[[], float], kept: list[float]) -> Callable[[], float]:
    """``measure``, keeping in ``kept`` the CPU seconds the machine worked while it ran."""

    def measured() -> float:
        before = busy()
        seconds = measure()
        kept.append(busy() - before)
        return seconds

    return measured


def paired(runs: int, *measures: Callable[[], float]) -> list[list[float]]:
    """``runs`` measurements of each of ``measures``, taken in turn (A, B, A, B, ...), so that a
    machine whose speed drifts weighs on both sides of a ratio alike."""
    times: list[list[float]] = [[] for _ in measures]
    for _ in range(runs):
        for kept, measure in zip(times, measures, strict=True):
            kept.append(measure())
    return times


def main() -> None:
    if sys.argv[1:] == ["serve"]:
        with tempfile.TemporaryDirectory() as folder:
            serve_figure(Path(folder))
        return
    # the builder's bytecode written, as Python writes it on first import and pip at install
    # (Sphinx's is): a PYTHONDONTWRITEBYTECODE environment would otherwise compile it per process
    compileall.compile_dir(ROOT / "tools" / "curriculum", quiet=1)
    print(f"Best of {SITE_RUNS} runs (the site's figures) or {RUNS} (the others) where marked *.")
    with tempfile.TemporaryDirectory() as folder:
        project = copy_sources(ROOT, Path(folder) / "course")
        site = ("--lang", "en", "--edition", "participant", "--format", "html")

        def cold(command: Callable[[], float]) -> Callable[[], float]:
            return lambda: (forget(project), command())[1]

        def after_edit(command: Callable[[], float]) -> Callable[[], float]:
            return lambda: (edit(project, f"One more sentence {time.monotonic_ns()}."), command())[1]

        bare_cold, ours_cold = paired(
            SITE_RUNS, cold(lambda: bare(project, "cold")), cold(lambda: ours(project, *site))
        )
        bare(project, "cold")
        bare_warm, ours_warm = paired(
            SITE_RUNS, after_edit(lambda: bare(project, "cold")), after_edit(lambda: ours(project, *site))
        )
        print(f"{'bare sphinx-build, site cold *':<48}{min(bare_cold):7.1f} s")
        print(f"{'bare sphinx-build, one-chapter edit *':<48}{min(bare_warm):7.1f} s")
        paired_line("site cold (goal <= 0.9x) *", ours_cold, bare_cold)
        paired_line("site after a one-chapter edit (goal <= 1.0x) *", ours_warm, bare_warm)

        every = copy_sources(ROOT, Path(folder) / "every")
        # every language, edition and format, cold; bare Sphinx measured in turn with it
        bare_work: list[float] = []
        our_work: list[float] = []
        bare_beside, everything = paired(
            RUNS,
            with_work(cold(lambda: bare(project, "cold")), bare_work),
            with_work(lambda: (forget(every), ours(every))[1], our_work),
        )
        noop = ours(every)
        print(f"{'bare sphinx-build, site cold, beside it *':<48}{min(bare_beside):7.1f} s")
        paired_line("every output of the course (goal <= 6x) *", everything, bare_beside)
        if min(bare_work) > 0:
            work = statistics.median(o / t for o, t in zip(our_work, bare_work, strict=True))
            print(
                f"{'  its work, every core together *':<48}{min(our_work):7.1f} s   {work:5.2f}x bare Sphinx's"
                f" ({min(our_work) / min(everything):.1f} cores busy)"
            )
        print(f"{'no-op build (goal < 5 s)':<48}{noop:7.1f} s")

        for pdf in sorted((every / "_build" / "pdf").glob("*.pdf")):
            pages = len(PdfReader(pdf).pages)
            source = next((every / "_build" / ".work").glob(f"pdf-*/{pdf.stem}.typ"))
            seconds = typst_seconds(source)  # the first layout of it in this process (Typst memoizes)
            print(f"  {pdf.name:<42}{pages:5d} pages, Typst {seconds:4.1f} s = {pages / seconds:5.1f} pages/s")
        fresh = copy_sources(ROOT, Path(folder) / "fresh")
        trainer = ("--lang", "en", "--edition", "trainer")
        pdf_time = ours(fresh, *trainer, "--format", "pdf")
        book = next((fresh / "_build" / "pdf").glob("*-trainer-en.pdf"))
        pages = len(PdfReader(book).pages)
        rate = f"   {pages / pdf_time:.1f} pages/s ({pages} pages)"
        line("trainer's handbook (en), cold from sources", pdf_time, min(bare_cold), rate)
        # as `make` builds it: after the trainer site, whose doctrees it shares (nothing re-read)
        after = copy_sources(ROOT, Path(folder) / "after")
        ours(after, *trainer, "--format", "html")
        (stages,) = paired(RUNS, lambda: (forget(after, "pdf-trainer-en"), ours(after, *trainer, "--format", "pdf"))[1])
        stage = min(stages)
        line("trainer's handbook (en), after its site *", stage, min(bare_cold), f"   {pages / stage:.1f} pages/s")
        serve_figure(Path(folder))


if __name__ == "__main__":
    main()
