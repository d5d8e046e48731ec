"""The builder's Sphinx configuration, made from the project description.

A curriculum needs no ``conf.py``: everything Sphinx needs comes from
``[tool.curriculum]``. A curriculum's own ``conf.py``, where present, overrides any
value here and may add extensions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .project import BUILD_DIR, CHAPTER_DIR, DATA_DIR, EXERCISE_DIR, LOCALES_DIR, ROOT_DOC, Project, direction

#: The Sphinx builder that writes the decks (:mod:`curriculum.sphinxext.slides`).
SLIDES_BUILDER = "curriculum-slides"
#: Where the decks' builder writes their PDFs, inside its output folder.
PDF_FOLDER = "_pdf"
#: The MyST syntax extensions curricula are written with (the checker parses with the same).
MYST_EXTENSIONS = ("colon_fence", "deflist", "attrs_inline", "attrs_block", "substitution")
#: sphinx-revealjs: the decks' builder derives from its builder; loaded for every build, so the
#: site, the books and the decks of an edition read their documents once, into one environment.
EXTENSIONS = ("myst_parser", "sphinx_revealjs", "curriculum.sphinxext")
#: Hosts whose repository button sphinx-book-theme knows; other hosts get a plain footer link.
BUTTON_HOSTS = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket"}


def repository_options(address: str) -> dict[str, Any]:
    """Theme options for the repository button: only for a host the theme knows."""
    provider = BUTTON_HOSTS.get(urlparse(address).netloc.lower()) if address else None
    if provider is None:
        return {"use_repository_button": False}
    return {"repository_url": address, "repository_provider": provider, "use_repository_button": True}


def configuration(project: Project, language: str, edition: str) -> dict[str, Any]:
    """Every Sphinx setting for one language and edition of ``project``."""
    author = project.author or project.organisation or "the authors"
    footer = ""
    if project.repository and not repository_options(project.repository)["use_repository_button"]:
        footer = f'<a href="{project.repository}">{project.repository}</a>'
    config: dict[str, Any] = {
        "project": project.title,
        "author": author,
        "copyright": f"%Y, {author}",
        "root_doc": ROOT_DOC,
        "extensions": list(EXTENSIONS),
        # Only the curriculum is source: README, tests, tools, builds and caches never are.
        "include_patterns": [f"{CHAPTER_DIR}/**", f"{EXERCISE_DIR}/**"],
        "exclude_patterns": [BUILD_DIR, ".venv", f"{DATA_DIR}/**"],
        "myst_enable_extensions": list(MYST_EXTENSIONS),
        "myst_heading_anchors": 3,
        "myst_footnote_transition": False,
        "language": language,
        "locale_dirs": [f"{LOCALES_DIR}/"],
        "gettext_compact": False,
        "gettext_uuid": False,
        "gettext_location": True,
        "nitpicky": True,
        "html_theme": "sphinx_book_theme",
        "html_title": project.title,
        "html_last_updated_fmt": "%d %B %Y",
        "html_copy_source": False,
        "html_show_sourcelink": False,
        # what the theme would otherwise set while the builder starts, after Sphinx has compared
        # the configuration with the saved one: set here, a build with nothing new reads as unchanged
        "html_permalinks_icon": "#",
        # a list of this application's own: the theme appends its folder to it, and Sphinx's
        # default list is shared by every application of the process (serve has several)
        "templates_path": [],
        "html_sourcelink_suffix": "",
        "html_theme_options": {
            **repository_options(project.repository),
            "use_source_button": False,
            "use_edit_page_button": False,
            "use_issues_button": False,
            "use_download_button": True,
            "home_page_in_toc": True,
            "show_toc_level": 2,
            "extra_footer": footer,
        },
        "curriculum_edition": edition,
        "curriculum_slug": project.slug,
        "curriculum_subtitle": project.subtitle,
        "curriculum_organisation": project.organisation,
        "curriculum_repository": project.repository,
        "curriculum_languages": list(project.languages),
        "curriculum_edition_names": dict(project.edition_names),
        "curriculum_logo": str(project.logo or ""),
    }
    if project.logo is not None:
        config["html_logo"] = str(project.logo)
    config.update(deck_settings(language, edition))
    return config


def deck_settings(language: str, edition: str) -> dict[str, Any]:
    """reveal.js's settings for the decks (:mod:`curriculum.sphinxext.slides`). They are
    settings Sphinx compares to decide whether to read every document again, so every build
    of an edition sets them alike, the decks' and the others'."""
    from .paths import PACKAGE_DIR, STATIC_DIR

    return {
        # the deck's files beside the site's own (curriculum.css)
        "revealjs_static_path": [str(STATIC_DIR), str(PACKAGE_DIR / "slides" / "static")],
        "revealjs_style_theme": "curriculum-slides.css",
        "revealjs_script_conf": {
            "hash": True,
            "center": False,
            "transition": "none",
            "width": 1280,
            "height": 720,
            "margin": 0.04,
            "rtl": direction(language) == "rtl",
            "slideNumber": "c/t",
            "showNotes": False,
        },
        "revealjs_script_plugins": (
            [{"name": "RevealNotes", "src": "revealjs/plugin/notes/notes.js"}] if edition == "trainer" else []
        ),
    }


def with_overrides(config: dict[str, Any], conf_py: Path, tags: Any) -> dict[str, Any]:
    """``config`` with the values a curriculum's own ``conf.py`` sets (extensions are added)."""
    from sphinx.config import eval_config_file

    own = {
        k: v
        for k, v in eval_config_file(conf_py, tags).items()
        if not k.startswith("_") and not callable(v) and not hasattr(v, "__file__")
    }
    extensions = [*config["extensions"], *(e for e in own.pop("extensions", []) if e not in config["extensions"])]
    return {**config, **own, "extensions": extensions}
