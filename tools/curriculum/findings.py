"""Findings (what the checker reports: :class:`Finding`), and the whole curriculum's findings
kept between runs while nothing they come from changes.

``make`` runs ``curriculum check`` and then builds every output, and each output's Sphinx
build reports the same findings (:mod:`curriculum.sphinxext.checks`). The findings of the
project's own rule selection over the whole curriculum depend only on the sources, the
settings and the builder's code (:func:`curriculum.digest.sources_digest`): the first run
keeps them in ``_build/.work/findings.json`` with that digest, and later runs with the same
digest read them instead of checking again.

A build that finds none kept starts the check in a child process (:func:`check_ahead`) while
Sphinx reads; whoever needs the findings waits for it (a lock on ``findings.lock``), so the
outputs built side by side check once between them.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .atomic import write_atomic
from .digest import salted, sources_digest
from .project import BUILD_DIR

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One mistake: where it is (1-based line and column), which rule, what to do."""

    path: Path
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path.as_posix(), self.line, self.column, self.code, self.message)


FILE = Path(BUILD_DIR) / ".work" / "findings.json"
LOCK = FILE.with_suffix(".lock")

Check = Callable[[], list[Finding]]


def _kept(root: Path, digest: str) -> list[Finding] | None:
    try:
        kept = json.loads((root / FILE).read_text(encoding="utf-8"))
        if kept["digest"] == digest:
            return [Finding(**{**finding, "path": Path(finding["path"])}) for finding in kept["findings"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none kept, or unreadable
    return None


def _check_and_keep(root: Path, digest: str, check: Check) -> list[Finding]:
    findings = check()
    rows = [{**finding.__dict__, "path": finding.path.as_posix()} for finding in findings]
    with contextlib.suppress(OSError):  # a read-only project is checked every time
        write_atomic(root / FILE, json.dumps({"digest": digest, "findings": rows}, ensure_ascii=False))
    return findings


@contextlib.contextmanager
def _lock(root: Path, exclusive: bool) -> Iterator[int | None]:
    """The findings' lock (None where locks or the folder are not to be had)."""
    try:
        import fcntl

        (root / LOCK).parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except (ImportError, OSError):
        yield None
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield descriptor
    finally:
        os.close(descriptor)


def cached_findings(root: Path, check: Check) -> list[Finding]:
    """``check()``, or the findings it returned last time when no input has changed since
    (waiting for a check started ahead to end)."""
    digest = salted(sources_digest(root), "findings")
    with _lock(root, exclusive=False):
        kept = _kept(root, digest)
    return kept if kept is not None else _check_and_keep(root, digest, check)


def check_ahead(root: Path, check: Check, sources: str | None = None) -> int | None:
    """Unless the findings are kept already, start ``check`` in a child process that keeps
    them, holding the lock until it has; returns its process id (for :func:`reap`).
    ``sources``: the sources' digest, when the caller has it already.

    Not started while other threads run: a forked child has only the caller's thread, and a
    lock another one held would stay held in it for ever."""
    import threading

    digest = salted(sources or sources_digest(root), "findings")
    if not hasattr(os, "fork") or threading.active_count() > 1 or _kept(root, digest) is not None:
        return None
    with _lock(root, exclusive=True) as held:
        if held is None:
            return None
        child = os.fork()  # the child shares the locked descriptor: the lock is its until it ends
        if child == 0:
            try:
                _check_and_keep(root, digest, check)
            finally:
                os._exit(0)
    return child


def reap(child: int | None) -> None:
    """Wait for a child of :func:`check_ahead` (it has ended by the time its findings were read)."""
    if child is not None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)
