"""Running lanes of jobs on a few workers, the longest chain of work first.

A lane is a list of jobs whose first makes what the others need (for ``curriculum build``, the
Sphinx environment of one language and edition): once it has succeeded the others may run
side by side; when it failed, the next one takes its place. A lane may also hold lanes, which
start once its head has run (whether it succeeded or not: for ``curriculum build``, the other
edition of a language, which takes what the first read). Of the jobs ready to run, a free
worker takes the one that heads the longest chain of work still to do (list scheduling by
critical path), so that the lane that will take longest is not started last.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Job = TypeVar("Job")
#: A head job, then jobs and lanes that wait for it (a lane is a list; a job is not).
Lane = list[Any]


def run_lanes(lanes: Sequence[Lane], workers: int, run: Callable[[Job], bool], cost: Callable[[Job], float]) -> None:
    """Run every job of ``lanes`` with ``run`` (which says whether it succeeded) on ``workers``
    threads; ``cost`` estimates a job's work, in any unit."""
    ready: list[tuple[float, int, Lane]] = []  # (minus the chain's cost, order given, lane)
    order = itertools.count()
    running = 0
    changed = threading.Condition()
    crashed: list[BaseException] = []  # raised by ``run``: raised again once the workers stop

    def chain(item: Job | Lane) -> float:
        """The work of a job, or of a lane's longest chain."""
        if not isinstance(item, list):
            return cost(item)
        head, *others = item
        return cost(head) + max(map(chain, others), default=0.0)

    def offer(lane: Lane) -> None:
        heapq.heappush(ready, (-chain(lane), next(order), lane))

    def work() -> None:
        nonlocal running
        while True:
            with changed:
                while not ready and running and not crashed:  # a running head may make jobs ready
                    changed.wait()
                if not ready or crashed:
                    return
                _chain, _order, (head, *others) = heapq.heappop(ready)
                running += 1
            succeeded = False
            try:
                succeeded = run(head)
            except BaseException as error:
                crashed.append(error)
            finally:
                with changed:
                    running -= 1
                    jobs = [other for other in others if not isinstance(other, list)]
                    for lane in (other for other in others if isinstance(other, list)):
                        offer(lane)
                    if succeeded:
                        for job in jobs:
                            offer([job])
                    elif jobs:  # what the head was to make for them, the next makes again
                        offer(jobs)
                    changed.notify_all()

    for lane in lanes:
        if lane:
            offer(list(lane))
    threads = [threading.Thread(target=work, name=f"lane-worker-{n}") for n in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashed:
        raise crashed[0]
