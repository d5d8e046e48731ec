"""Outputs are built lane by lane, the longest chain of work first (curriculum.schedule)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from curriculum.build import Target, estimated_cost, lanes
from curriculum.project import Project
from curriculum.schedule import run_lanes


def record(fails: frozenset[str] = frozenset(), workers: int = 1, **lanes: list[tuple[str, float]]) -> list[str]:
    """Run lanes of (name, cost) jobs; the names in the order they started."""
    started: list[str] = []
    lock = threading.Lock()

    def run(job: tuple[str, float]) -> bool:
        with lock:
            started.append(job[0])
        return job[0] not in fails

    run_lanes(list(lanes.values()), workers, run, cost=lambda job: job[1])
    return started


def test_the_lane_with_the_longest_chain_starts_first() -> None:
    started = record(
        short=[("short site", 1.0), ("short pdf", 0.5)],
        long=[("long site", 1.5), ("long pdf", 2.0)],  # 3.5 in all: before the short lane's 1.5
    )
    # once its head is built, the long lane's pdf (2.0) goes before the short lane (1.5 in all)
    assert started == ["long site", "long pdf", "short site", "short pdf"]


def test_the_others_of_a_lane_wait_for_its_head_and_then_run_side_by_side() -> None:
    head_done = threading.Event()
    together = threading.Barrier(2, timeout=10)
    seen: list[str] = []

    def run(job: str) -> bool:
        if job == "site":
            head_done.set()
        else:
            assert head_done.is_set(), f"{job} started before the lane's head was built"
            together.wait()  # both others run at the same time, or this times out
        seen.append(job)
        return True

    run_lanes([["site", "pdf", "slides"]], 2, run, cost=lambda job: 1.0)
    assert seen[0] == "site" and sorted(seen[1:]) == ["pdf", "slides"]


def test_when_a_head_fails_the_next_output_of_its_lane_reads_again() -> None:
    started = record(frozenset({"site"}), lane=[("site", 1.0), ("pdf", 1.0), ("slides", 0.5)])
    assert started == ["site", "pdf", "slides"]  # pdf heads the rest, slides waits for it


def test_a_lane_within_a_lane_starts_once_the_head_has_run_even_when_it_failed() -> None:
    for fails in (frozenset(), frozenset({"trainer site"})):
        started = record(
            fails,
            trainer=[
                ("trainer site", 1.2),
                ("trainer pdf", 1.0),
                [("participant site", 1.0), ("participant pdf", 0.8)],
            ],
            other=[("other site", 0.1)],
        )
        # the nested lane's chain counts in its parent's (1.2 + 1.8): the trainer's lane first
        assert started[0] == "trainer site"
        assert started.index("participant site") < started.index("participant pdf")
        assert sorted(started) == sorted(
            ["trainer site", "trainer pdf", "participant site", "participant pdf", "other site"]
        )


def test_a_crash_in_a_job_is_raised_once_the_workers_stop() -> None:
    def run(job: str) -> bool:
        raise RuntimeError(f"broke on {job}")

    with pytest.raises(RuntimeError, match="broke on a"):
        run_lanes([["a", "b"]], 2, run, cost=lambda job: 1.0)


def test_translated_and_trainer_outputs_are_estimated_to_cost_more(tmp_path: Path) -> None:
    project = Project(root=tmp_path, languages=("en", "ar"))
    targets = [
        Target(lang, ed, fmt) for lang in ("en", "ar") for ed in ("participant", "trainer") for fmt in ("html", "pdf")
    ]
    by_lane = {(t.lang, t.edition): [t] for t in targets if t.format == "html"}
    for target in targets:
        if target.format != "html":
            by_lane[(target.lang, target.edition)].append(target)
    chain = {key: sum(estimated_cost(project, t) for t in lane) for key, lane in by_lane.items()}
    assert max(chain, key=chain.get) == ("ar", "trainer")
    assert min(chain, key=chain.get) == ("en", "participant")


def test_a_languages_participant_lane_waits_for_its_trainers_first_output() -> None:
    targets = [
        Target(lang, ed, fmt) for lang in ("en", "ar") for fmt in ("html", "pdf") for ed in ("participant", "trainer")
    ]
    assert lanes(targets) == [
        [
            Target("en", "trainer", "html"),
            Target("en", "trainer", "pdf"),
            [Target("en", "participant", "html"), Target("en", "participant", "pdf")],
        ],
        [
            Target("ar", "trainer", "html"),
            Target("ar", "trainer", "pdf"),
            [Target("ar", "participant", "html"), Target("ar", "participant", "pdf")],
        ],
    ]
    alone = [Target("en", "participant", "html"), Target("en", "participant", "pdf")]
    assert lanes(alone) == [alone]
