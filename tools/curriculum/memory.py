"""How the builder's processes collect garbage: less often than Python does by default.

A build allocates millions of objects that live until it ends (doctrees, tokens, the model).
Python's cyclic collector runs after every 700 new objects and goes through the young ones
each time, and through all of them every so often, finding almost nothing to free: a quarter
to a third of a build's time (measured on the Arabic trainer's site: 7.8 to 10.9 s with the
default, 5.9 to 6.9 s with these thresholds, 5.8 to 7.7 s with no collection at all, which
took 50 MB more; these take 16 MB more). The thresholds are those mypy uses for the same reason.
"""

from __future__ import annotations

import gc

#: New objects between collections of the youngest generation, then how many of those before
#: one of the middle, and how many of those before a whole collection (Python's: 700, 10, 10).
THRESHOLDS = (200_000, 30, 30)


def collect_less_often() -> None:
    """Let this process (and those it forks) collect garbage at :data:`THRESHOLDS`."""
    gc.set_threshold(*THRESHOLDS)
