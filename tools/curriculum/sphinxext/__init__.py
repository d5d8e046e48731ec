"""The curriculum Sphinx extension.

Registers the directives curriculum authors use (``trainer-note``, ``activity``, ``timeline``,
``meeting-diagram``, ``agenda``, ``learning-outcomes``), renders exercises as
structured blocks, removes trainer-only material from the participant edition,
reports the checker's findings as Sphinx warnings, and adds the ``handbook-pdf``
builder (the assembled book as Typst markup, compiled to PDF/UA-1 by Typst).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from .. import __version__
from ..model import (
    CHAPTER_DIR,
    EXERCISE_DIR,
    Chapter,
    Curriculum,
    Exercise,
    kept_curriculum,
    load_chapter,
    load_curriculum,
    load_exercise,
)
from ..paths import PACKAGE_DIR, STATIC_DIR
from ..project import DEFAULT_EDITION_NAMES, EDITIONS
from . import (
    activities,
    agenda,
    assets,
    checks,
    coverage,
    editions,
    exercises,
    figures,
    i18n,
    languages,
    navigation,
    outcomes,
    parser,
    pdfbuilder,
    safety,
    shared,
    sidebar,
    site,
    slides,
    summaries,
    templates,
    toctree,
    trainer_pages,
    translated,
)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("curriculum_edition", "participant", "env", str)
    app.add_config_value("curriculum_slug", "handbook", "env", str)
    app.add_config_value("curriculum_subtitle", "", "env", str)
    app.add_config_value("curriculum_organisation", "", "env", str)
    app.add_config_value("curriculum_repository", "", "html", str)
    app.add_config_value("curriculum_languages", ["en"], "html", list)
    app.add_config_value("curriculum_edition_names", dict(DEFAULT_EDITION_NAMES), "env", dict)
    app.add_config_value("curriculum_logo", "", "env", str)
    # `curriculum build --exercise ID`: the PDF builder writes that exercise's handout only
    # (no rebuild: the doctrees are the same)
    app.add_config_value("curriculum_only_exercise", "", "", str)
    # `curriculum serve` runs the checker itself: its findings as build warnings would repeat it
    app.add_config_value("curriculum_report_findings", True, "", bool)

    for module in (
        parser,
        translated,
        i18n,
        languages,
        safety,
        editions,
        shared,
        trainer_pages,
        outcomes,
        exercises,
        coverage,
        figures,
        activities,
        agenda,
        checks,
        navigation,
        summaries,
        toctree,
        sidebar,
        templates,
        site,
        assets,
        pdfbuilder,
        slides,
    ):
        module.setup(app)

    app.add_css_file("curriculum.css")
    # config-inited, not builder-inited: Sphinx compares the configuration with the saved one
    # between the two, so a value changed later reads as "the configuration has changed" next time
    app.connect("config-inited", _add_static_path)
    app.connect("env-before-read-docs", _load_for_many)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": code_version(),
    }


def curriculum_of(app: Sphinx) -> Curriculum:
    """The curriculum model, loaded once per Sphinx application (once per build where the
    application lives on: :func:`forget_curriculum`) and shared by the directives, the in-build
    checker, the coverage matrix, the kit and the slides (the sources do not change during a build);
    in a process forked to build one of several outputs, the one its server loaded for them all."""
    loaded: Curriculum | None = getattr(app, "_curriculum_model", None)
    if loaded is None:
        loaded = kept_curriculum(Path(app.srcdir)) or load_curriculum(Path(app.srcdir))
        app._curriculum_model = loaded  # type: ignore[attr-defined]
    return loaded


#: How many documents a build reads before the whole model is worth loading.
FEW = 3


def document_model(app: Sphinx, docname: str) -> Chapter | Exercise | None:
    """The model of one chapter, page or exercise being read: from the whole model when the
    build has loaded it, else from its own file, read once per build (an edit re-reads a page
    or two: parsing the whole curriculum for them would cost more than the edit)."""
    exercise = docname.startswith(f"{EXERCISE_DIR}/")
    if not exercise and not docname.startswith(f"{CHAPTER_DIR}/"):
        return None
    name = docname.split("/", 1)[1]
    loaded: Curriculum | None = getattr(app, "_curriculum_model", None)
    if loaded is not None:
        found = loaded.exercises.get(name) if exercise else loaded.chapters.get(name) or loaded.pages.get(name)
        if found is not None:
            return found
    read: dict[str, Chapter | Exercise] = app.__dict__.setdefault("_curriculum_documents", {})
    if docname not in read:
        path = Path(app.env.doc2path(docname))
        read[docname] = load_exercise(path) if exercise else load_chapter(path, name=name)
    return read[docname]


def _load_for_many(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """``env-before-read-docs``: reading more than a few documents, load the whole model first
    (the agenda needs it anyway) rather than each page parsing its own file again."""
    if len(docnames) > FEW:
        curriculum_of(app)


def forget_curriculum(app: Sphinx) -> None:
    """Drop the cached model: the next :func:`curriculum_of` reads the sources again (an
    application kept alive between builds, as ``curriculum serve`` keeps one, calls this first)."""
    app._curriculum_model = None  # type: ignore[attr-defined]
    app.__dict__.pop("_curriculum_documents", None)


def code_version() -> int:
    """A number that changes whenever the code that shapes doctrees changes.

    Sphinx re-reads every document when an extension's ``env_version`` changes, so
    cached doctrees never outlive the code that made them.
    """
    digest = hashlib.sha256()
    package = PACKAGE_DIR
    for path in sorted([*package.glob("*.py"), *package.glob("sphinxext/*.py"), *package.glob("locale/*/*/*.po")]):
        digest.update(path.read_bytes())
    return int(digest.hexdigest()[:12], 16)


def _add_static_path(app: Sphinx, config: Any) -> None:
    static = str(STATIC_DIR)
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]


def edition(app: Sphinx) -> str:
    """The edition being built (``participant`` unless configured otherwise)."""
    value: Any = app.config.curriculum_edition
    return value if value in EDITIONS else "participant"
