"""The checker's findings as Sphinx warnings, so a ``-W`` build fails on a broken file.

The same rules as ``curriculum check`` run once per build and are reported as it finishes,
at each finding's file and line, with type ``curriculum`` and the rule's code as subtype
(``suppress_warnings = ["curriculum.SEC001"]`` works). A build usually reads them back
(:mod:`curriculum.findings`): kept from ``check`` or another build when nothing has changed,
or from the check it started ahead in a process of its own, which has the whole read and
write to end in.
Error findings are Sphinx warnings; warning findings (an outcome not yet practised,
a fuzzy translation) are reported without failing a ``-W`` build.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.application import Sphinx
from sphinx.util import logging

if TYPE_CHECKING:
    from ..findings import Finding

logger = logging.getLogger(__name__)


def report_findings(app: Sphinx, error: Exception | None) -> None:
    from ..findings import cached_findings

    if error is not None or not app.config.curriculum_report_findings:
        return
    root = Path(app.srcdir)
    findings = cached_findings(root, lambda: check(app, root))
    for finding in findings:
        # errors fail a -W build; warnings (e.g. a fuzzy translation) are shown, not fatal
        log = logger.warning if finding.severity == "error" else logger.info
        log(
            "%s %s",
            finding.code,
            finding.message,
            location=f"{root / finding.path}:{finding.line}",
            type="curriculum",
            subtype=finding.code,
        )


def check(app: Sphinx, root: Path) -> list[Finding]:
    """The rules over the curriculum this build loaded: when no check has kept its findings (the
    rules are imported only then: 13 to 20 ms a process that an author's rebuild need not spend)."""
    from ..rules import check_curriculum, load_config
    from . import curriculum_of

    return check_curriculum(curriculum_of(app), load_config(root))


def setup(app: Sphinx) -> None:
    # Warnings logged as the build finishes still fail a -W build (Sphinx counts them after);
    # logged there, the check started ahead has the whole write to end in, not just the read.
    app.connect("build-finished", report_findings)
