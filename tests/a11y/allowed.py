"""The ONE place where an axe-core finding on the site may be allowed, each with its reason.

``tests/test_accessibility.py`` fails on every WCAG 2.0/2.1 A and AA violation that axe-core
reports (and on every colour-contrast check that axe could not complete), except the ones
listed here. Keys are ``(rule id, CSS selector)`` as axe reports the node (``node.target``
joined with spaces), or ``(rule id, "*")`` for every node of that rule. Values give the reason.

Fix what we can instead (``tools/curriculum/static/curriculum.css``, the templates in
``tools/curriculum/templates/``, the Sphinx extension). Allow only what is the theme's own and
cannot be fixed from outside it, and say why.

Fixed rather than allowed (for the record):

- ``label-content-name-mismatch`` on pydata-sphinx-theme's search button (visible text
  "Search Ctrl+K", accessible name "Search"): overridden by
  ``tools/curriculum/templates/search-button-field.html``, whose name comes from its content.
- ``color-contrast`` could not be completed on the language switch, pushed half under the site
  header because the article header stacked its items: ``curriculum.css`` lays them in a row.
"""

from __future__ import annotations

ALLOWED: dict[tuple[str, str], str] = {}
