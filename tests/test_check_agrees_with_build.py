"""A clean check means a clean build (issue 14): the corpus of broken projects.

Each case overlays ``tests/fixtures/checker/broken/<case>`` on a copy of the valid fixture.
The check half asserts that ``curriculum check`` fails with the expected codes at the
expected places (the ``EXPECTED`` table of ``test_rules``). The build half runs Sphinx
in-process (``make_app``, builder ``dummy``, strict ``-W --keep-going -n``):

- for a *build* case the build fails on its own: every warning of the checker inside the
  build (type ``curriculum``) is suppressed, so only Sphinx, MyST and docutils judge;
- for a *contract* case (a rule of the course, such as the chapter frame, that Sphinx does
  not know) the build fails because the build runs the same rules, with that code.

The valid project passes both ways.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from curriculum.model import load_curriculum
from curriculum.rules import RULES, check_curriculum, load_config

from .test_rules import BROKEN, EXPECTED, VALID, located

#: Cases the Sphinx build rejects by itself (checker warnings suppressed), and what it says.
BUILD_CASES: dict[str, str] = {
    "FILE001-binary-file": "UnicodeDecodeError",
    "FILE002-not-utf8": "UnicodeDecodeError",
    "FILE003-empty-file": "isn't included in any toctree",
    "FM002-invalid-yaml": "Malformed YAML",
    "FM002-unclosed-front-matter": "may not begin with a transition",
    "FM002-indented-key": "Malformed YAML",
    "FM002-unclosed-quote": "Malformed YAML",
    "FM002-tab-indentation": "Malformed YAML",
    "FM002-no-space-after-colon": "Malformed YAML",
    "FM003-front-matter-not-mapping": "YAML is not a dict",
    "REF001-unknown-objective": "undefined label",
    "REF004-broken-anchor": "local id not found",
    "REF004-broken-link": "cross-reference target not found",
    "REF004-link-suggests-nearest-page": "cross-reference target not found",
    "REF004-missing-image": "image file not readable",
    "REF004-missing-include": "File insertion disabled",
    "REF005-unknown-document": "unknown document",
    "REF005-unknown-toctree-entry": "nonexisting document",
    "REF006-term-in-trainer-note": "term not in glossary",
    "REF007-unknown-reference": "undefined label",
    "REF008-not-in-toctree": "isn't included in any toctree",
    "REF008-trainer-page-not-listed": "isn't included in any toctree",
    "REF009-duplicate-label": "duplicate label",
    "REF010-duplicate-term": "duplicate term description",
    "SAFE002-raw-directive": '"raw" directive disabled',
    "SAFE004-include-outside-project": 'Directive "include" disabled',
    "SAFE005-file-insertion": "File insertion disabled",
    "SEC006-missing-title": "Document headings start at H2",
    "SEC009-heading-level-jump": "Non-consecutive header level increase",
}
#: Rules of the course that Sphinx does not know: the build fails because it runs them.
CONTRACT_CASES = (
    "AG005-unknown-chapter",
    "AG011-chapter-not-scheduled",
    "FM002-swallowed-list-item",
    "SEC001-missing-section",
    "SEC011-missing-chapter-section",
    "SEC012-chapter-section-order",
)
CORPUS = sorted([*BUILD_CASES, *CONTRACT_CASES])
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def project(destination: Path, case: str | None) -> Path:
    root = destination / "project"
    shutil.copytree(VALID, root)
    if case:
        shutil.copytree(BROKEN / case, root, dirs_exist_ok=True)
    return root


def build(root: Path, *, checker: bool) -> tuple[bool, str]:
    """(failed, warnings) of a strict dummy build; ``checker=False`` hides the checker's warnings."""
    from sphinx.util.docutils import docutils_namespace

    from curriculum.sphinxrun import make_app

    warnings = io.StringIO()
    overrides = {} if checker else {"suppress_warnings": [f"curriculum.{code}" for code in RULES]}
    out = root.parent / "_out"
    try:
        with docutils_namespace():
            app = make_app(
                root,
                "en",
                "trainer",
                "dummy",
                out / "dummy",
                out / "doctrees",
                status=io.StringIO(),
                warning=warnings,
                overrides=overrides,
            )
            app.build()
    except Exception as error:  # Sphinx gives up on a file it cannot decode
        return True, f"{type(error).__name__}: {error}"
    return app.statuscode != 0, ANSI.sub("", warnings.getvalue())


def test_the_corpus_is_large_and_covers_the_issue() -> None:
    assert len(CORPUS) >= 30
    assert set(CORPUS) <= set(EXPECTED)
    named = {case.split("-", 1)[0] for case in CORPUS}
    assert {"REF005", "REF006", "REF007", "REF008", "REF009", "REF010", "AG005", "AG011", "SEC011"} <= named


@pytest.mark.parametrize("case", CORPUS)
def test_check_fails_at_the_expected_place(case: str, tmp_path: Path) -> None:
    root = project(tmp_path, case)
    findings = check_curriculum(load_curriculum(root), load_config(root))
    assert located(findings) == EXPECTED[case]
    assert any(f.severity == "error" for f in findings)


def test_valid_project_passes_the_check_and_the_build(tmp_path: Path) -> None:
    root = project(tmp_path, None)
    assert check_curriculum(load_curriculum(root), load_config(root)) == []
    failed, warnings = build(root, checker=True)
    assert not failed, warnings


@pytest.mark.parametrize("case", sorted(BUILD_CASES))
def test_sphinx_rejects_the_build_case_on_its_own(case: str, tmp_path: Path) -> None:
    failed, warnings = build(project(tmp_path, case), checker=False)
    assert failed and BUILD_CASES[case] in warnings, warnings


@pytest.mark.parametrize("case", CONTRACT_CASES)
def test_the_build_rejects_the_contract_case_with_the_same_code(case: str, tmp_path: Path) -> None:
    failed, warnings = build(project(tmp_path, case), checker=True)
    codes = {line.rsplit(" ", 1)[1] for line in EXPECTED[case]}
    assert failed and all(f"[curriculum.{code}]" in warnings for code in codes), warnings
