"""Benchmark ``curriculum check``: the real curriculum and a generated one of 1,000 exercises.

Prints figures only (wall time including interpreter start-up, best of several runs,
and files per second); the aims are under 0.3 s and under 2 s. Run from anywhere:
``python tools/bench_check.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
sys.path.insert(0, str(TOOLS))

from curriculum.check import count_files  # noqa: E402
from curriculum.findings import FILE as FINDINGS  # noqa: E402
from curriculum.model import load_curriculum  # noqa: E402
from curriculum.rules import check_curriculum, load_config  # noqa: E402

CHAPTERS, EXERCISES, PER_DAY = 50, 1000, 20


def generate(root: Path) -> None:
    """A valid curriculum of 50 chapters (two outcomes each) and 1,000 small exercises."""
    (root / "handbook").mkdir(parents=True)
    (root / "exercises").mkdir()
    (root / "pyproject.toml").write_text("[tool.curriculum]\nwords_per_minute = 100\n")
    (root / "handbook/glossary.md").write_text(
        "# Glossary\n\n:::{glossary}\nDialogue\n  A regular meeting of governments.\n\n"
        "Focal point\n  The official who is the contact point.\n:::\n"
    )
    paragraph = (
        "A {term}`Dialogue` brings governments together to talk about migration. Each country names "
        "a {term}`Focal point`. See [the glossary](glossary.md) and [IOM](https://www.iom.int). "
    )
    for c in range(CHAPTERS):
        (root / f"handbook/chapter-{c}.md").write_text(
            f"---\nlearning_outcomes:\n  ch{c}-1: Describe topic {c}\n  ch{c}-2: Explain topic {c}\n---\n\n"
            f"# Chapter {c}\n\n## Introduction\n\n{paragraph * 3}\n\n## Details\n\n### Part one\n\n{paragraph * 3}\n\n"
            f":::{{trainer-note}}\nAsk about topic {c}.\n:::\n\n## Key points\n\n- One.\n- Two.\n- Three.\n"
            f"\n## Sources\n\n- IOM, *Topic {c}*, 2024.\n"
        )
    answer = paragraph.replace("(glossary.md)", "(../handbook/glossary.md)")
    items = []
    for e in range(EXERCISES):
        c = e % CHAPTERS
        (root / f"exercises/exercise-{e}.md").write_text(
            f"---\nid: exercise-{e}\ntitle: Exercise {e}\ntype: presentation\nduration: 20\ngrouping: pairs\n"
            f"objectives: [ch{c}-1, ch{c}-2]\nmaterials: [timer]\ntime_limit: 3\n---\n\n# Exercise {e}\n\n"
            f"## Purpose\n\nPractise topic {c} from [chapter {c}](../handbook/chapter-{c}.md).\n\n"
            f"## Instructions\n\n1. Read the {{term}}`Dialogue` entry.\n2. Prepare a statement.\n3. Deliver it.\n\n"
            f"## Trainer notes\n\nTime each speaker; watch for {{term}}`Focal point` roles.\n\n"
            f"## Model answer\n\n{answer * 2}\n\n## Debrief\n\nAsk what helped.\n"
        )
        items.append(f"      - exercise: exercise-{e}\n")
    days = []
    for d in range(0, EXERCISES, PER_DAY):
        chunk = "".join(items[d : d + PER_DAY])
        days.append(f'  - title: Day {d // PER_DAY + 1}\n    start: "08:00"\n    end: "15:00"\n    items:\n{chunk}')
    chapters = "".join(f"      - chapter: chapter-{c}\n        minutes: 10\n" for c in range(CHAPTERS))
    days.append(f'  - title: Reading day\n    start: "08:00"\n    end: "17:00"\n    items:\n{chapters}')
    (root / "handbook/agenda.yml").write_text("title: Generated course\ndays:\n" + "".join(days))
    chapter_list = "".join(f"chapter-{c}\n" for c in range(CHAPTERS))
    exercise_list = "".join(f"../exercises/exercise-{e}\n" for e in range(EXERCISES))
    (root / "handbook/index.md").write_text(
        f"# Generated course\n\n```{{toctree}}\n{chapter_list}glossary\n```\n\n```{{toctree}}\n{exercise_list}```\n"
    )


def wall(root: Path, runs: int, kept: bool = False) -> tuple[float, float, float, int]:
    """Best and median wall time of ``python -m curriculum.check`` on ``root``, its best CPU time
    (user + system, which other load on the machine disturbs less) and its exit status. The
    findings a run keeps are dropped before the next, so that each checks, unless ``kept``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(TOOLS), os.environ.get("PYTHONPATH")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as installed: with compiled bytecode
    times, cpu, status = [], [], 0
    for run in range(runs + 1):  # the first run warms the bytecode and file caches and is not counted
        if not kept:
            (root / FINDINGS).unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        status = subprocess.run(
            [sys.executable, "-m", "curriculum.check", "--root", str(root)], env=env, capture_output=True
        ).returncode
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run:
            times.append(elapsed)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(times), statistics.median(times), min(cpu), status


def in_process(root: Path) -> tuple[float, float, int, int]:
    """Seconds to load and to check ``root`` in this process, files and findings."""
    start = time.perf_counter()
    curriculum = load_curriculum(root)
    loaded = time.perf_counter()
    findings = check_curriculum(curriculum, load_config(root))
    return loaded - start, time.perf_counter() - loaded, count_files(curriculum, None), len(findings)


def report(name: str, root: Path, runs: int, aim: float) -> None:
    load, rules, files, findings = in_process(root)
    best, median, cpu, status = wall(root, runs)
    print(f"{name}: {files} files, {findings} findings (exit {status})")
    print(
        f"  wall time with start-up: best {best:.3f} s, median {median:.3f} s (aim < {aim} s), "
        f"{files / best:,.0f} files/s; CPU time {cpu:.3f} s"
    )
    print(f"  in process: load {load:.3f} s + rules {rules:.3f} s")
    best, median, cpu, status = wall(root, runs, kept=True)
    print(f"  nothing changed since the last check (findings kept): best {best:.3f} s, median {median:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    report(f"real curriculum ({ROOT})", ROOT, args.runs, 0.3)
    with tempfile.TemporaryDirectory() as directory:
        generate(Path(directory))
        report(
            f"generated curriculum ({EXERCISES} exercises, {CHAPTERS} chapters)",
            Path(directory),
            max(1, args.runs // 2),
            2.0,
        )


if __name__ == "__main__":
    main()
