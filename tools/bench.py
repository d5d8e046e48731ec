"""Build benchmark: prints figures (it asserts nothing).

Cold HTML build, rebuild after touching one chapter, PDF build and pages per second (the
whole build and the Typst compile alone),
on a copy of the curriculum in a temporary folder.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from curriculum.build import copy_sources
from curriculum.typst import Compiler

ROOT = Path(__file__).resolve().parent.parent


def timed(project: Path, *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "curriculum", "build", *args], cwd=project,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(f"build failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = copy_sources(ROOT, Path(folder))
        html = ("--lang", "en", "--edition", "participant", "--format", "html")
        cold = timed(project, *html)
        chapter = project / "handbook" / "statements.md"
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        warm = timed(project, *html)
        pdf_time = timed(project, "--lang", "en", "--edition", "trainer", "--format", "pdf")
        pdf = next((project / "_build" / "pdf").glob("*-trainer-en.pdf"))
        pages = len(PdfReader(pdf).pages)
        print(f"HTML site, cold build:           {cold:6.1f} s")
        print(f"HTML site, one chapter touched:  {warm:6.1f} s")
        source = next((project / "_build" / ".work" / "pdf-trainer-en").glob("*-trainer-en.typ"))
        compiler = Compiler(source.parent)  # fonts loaded once, as in a build
        started = time.perf_counter()
        compiler.write_pdf(source, source.with_name("bench.pdf"))
        typst_time = time.perf_counter() - started
        print(f"trainer PDF (en), cold:          {pdf_time:6.1f} s  ({pages} pages, {pages / pdf_time:.1f} pages/s)")
        print(f"  of which the Typst compile:    {typst_time:6.1f} s  ({pages / typst_time:.1f} pages/s)")


if __name__ == "__main__":
    main()
