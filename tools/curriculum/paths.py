"""Where the package's own files are: the folders it ships beside its code."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
#: The site's static files (stylesheet, scripts, fonts, favicon), published with every site and deck.
STATIC_DIR = PACKAGE_DIR / "static"
#: Templates: the site theme's, ``curriculum new``'s and ``curriculum init``'s.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: The builder's interface catalogues (covers, "Contents", labels): ``<lang>/LC_MESSAGES/curriculum.po``.
INTERFACE_LOCALE_DIR = PACKAGE_DIR / "locale"
#: The site's icon when the curriculum's logo cannot serve as one.
FAVICON = STATIC_DIR / "favicon.svg"
#: Logo formats a browser shows as a site icon.
ICON_SUFFIXES = {".svg", ".png", ".ico", ".gif"}
