"""The theme's "does this template render empty?" check, left out where it cannot be.

pydata-sphinx-theme (under sphinx-book-theme) renders every template of every page section
once more to drop those that render nothing, and so renders most templates twice per page
(the book's sidebar and the article's header buttons are a tenth of a second each for a
site of forty pages). Its own two slowest templates it exempts by name. Here any template
is exempt that writes markup unconditionally, at its top level: whatever the page, it is
not empty. Which templates those are is read from their source, once per build.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, TemplateError, nodes
from sphinx.application import Sphinx


def writes_markup(environment: Environment, name: str) -> bool:
    """Whether template ``name`` writes non-blank text whatever its context: text at its top
    level, outside any condition, loop or block (and it extends no other template)."""
    try:
        source, _filename, _uptodate = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
        body = environment.parse(source).body
    except (TemplateError, AttributeError, OSError):
        return False
    if any(isinstance(node, nodes.Extends) for node in body):
        return False  # its own top level is not what it renders
    return any(
        isinstance(node, nodes.Output)
        and any(isinstance(part, nodes.TemplateData) and part.data.strip() for part in node.nodes)
        for node in body
    )


def skip_what_writes_markup(check: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """``check`` (pydata-sphinx-theme's ``_update_and_remove_templates``) not rendering the
    templates that always write markup to see whether they are empty."""
    # by the templates' environment (one per build: a template may change between two) and name
    known: weakref.WeakKeyDictionary[Environment, dict[str, bool]] = weakref.WeakKeyDictionary()

    def update_and_remove_templates(
        app: Sphinx, context: dict[str, Any], templates: list[str] | str, section: str, **options: Any
    ) -> list[str]:
        environment = app.builder.templates.environment
        names = [t.strip() for t in templates.split(",")] if isinstance(templates, str) else list(templates)
        exempt = list(options.pop("templates_skip_empty_check", None) or [])
        seen = known.setdefault(environment, {})
        for name in names:
            full = name if os.path.splitext(name)[1] else f"{name}.html"  # as the theme names it
            if full not in seen:
                seen[full] = writes_markup(environment, full)
            if seen[full]:
                exempt.append(full)
        return check(app=app, context=context, templates=templates, section=section, templates_skip_empty_check=exempt)

    update_and_remove_templates.upstream = check  # type: ignore[attr-defined]
    return update_and_remove_templates


def setup(app: Sphinx) -> None:
    try:
        from pydata_sphinx_theme import utils
    except ImportError:  # another theme: nothing to spare
        return
    check = getattr(utils, "_update_and_remove_templates", None)
    if callable(check) and not hasattr(check, "upstream"):
        utils._update_and_remove_templates = skip_what_writes_markup(check)
