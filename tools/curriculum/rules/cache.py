"""The whole curriculum's findings, kept between runs while nothing they come from changes.

``make`` runs ``curriculum check`` and then builds every output, and each output's Sphinx
build reports the same findings (:mod:`curriculum.sphinxext.checks`). The findings of the
project's own rule selection over the whole curriculum depend only on the sources, the
settings and the builder's code (:func:`curriculum.digest.sources_digest`): the first run
keeps them in ``_build/.work/findings.json`` with that digest, and later runs with the same
digest read them instead of checking again.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

from ..atomic import write_atomic
from ..digest import sources_digest
from ..project import BUILD_DIR
from .registry import Finding

FILE = Path(BUILD_DIR) / ".work" / "findings.json"


def cached_findings(root: Path, check: Callable[[], list[Finding]]) -> list[Finding]:
    """``check()``, or the findings it returned last time when no input has changed since."""
    path, digest = root / FILE, sources_digest(root, "findings")
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["digest"] == digest:
            return [Finding(**{**finding, "path": Path(finding["path"])}) for finding in kept["findings"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none kept, or unreadable: check
    findings = check()
    rows = [{**finding.__dict__, "path": finding.path.as_posix()} for finding in findings]
    with contextlib.suppress(OSError):  # a read-only project is checked every time
        write_atomic(path, json.dumps({"digest": digest, "findings": rows}, ensure_ascii=False))
    return findings
