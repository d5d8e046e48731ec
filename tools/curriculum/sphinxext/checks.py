"""The checker's findings as Sphinx warnings, so a ``-W`` build fails on a broken file.

The same rules as ``curriculum check`` run once per build, after all documents are
read (or their findings are read back, when nothing has changed since ``check`` or another
build ran them: :mod:`curriculum.findings`); each finding is logged at its file and line with type ``curriculum`` and
the rule's code as subtype (``suppress_warnings = ["curriculum.SEC001"]`` works).
Error findings are Sphinx warnings; warning findings (an outcome not yet practised,
a fuzzy translation) are reported without failing a ``-W`` build.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def report_findings(app: Sphinx, env: BuildEnvironment) -> None:
    from ..findings import cached_findings
    from ..rules import check_curriculum, load_config
    from . import curriculum_of

    if not app.config.curriculum_report_findings:
        return
    root = Path(app.srcdir)
    findings = cached_findings(root, lambda: check_curriculum(curriculum_of(app), load_config(root)))
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


def setup(app: Sphinx) -> None:
    app.connect("env-check-consistency", report_findings)
