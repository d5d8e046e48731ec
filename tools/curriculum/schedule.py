"""Running lanes of jobs on a few workers, the longest chain of work first.

A lane is a list of jobs whose first makes what the others need (for ``curriculum build``, the
Sphinx environment of one language and edition): once it has succeeded the others may run
side by side; when it failed, the next one takes its place. Of the jobs ready to run, a free
worker takes the one that heads the longest chain of work still to do (list scheduling by
critical path), so that the lane that will take longest is not started last.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

Job = TypeVar("Job")


def run_lanes(
    lanes: Sequence[Sequence[Job]], workers: int, run: Callable[[Job], bool], cost: Callable[[Job], float]
) -> None:
    """Run every job of ``lanes`` with ``run`` (which says whether it succeeded) on ``workers``
    threads; ``cost`` estimates a job's work, in any unit."""
    ready: list[tuple[float, int, list[Job]]] = []  # (minus the chain's cost, order given, lane)
    order = itertools.count()
    running = 0
    changed = threading.Condition()
    crashed: list[BaseException] = []  # raised by ``run``: raised again once the workers stop

    def offer(lane: list[Job]) -> None:
        head, *others = lane
        chain = cost(head) + max(map(cost, others), default=0.0)
        heapq.heappush(ready, (-chain, next(order), lane))

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
                    if succeeded:
                        for other in others:
                            offer([other])
                    elif others:  # what the head was to make for them, the next makes again
                        offer(others)
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
