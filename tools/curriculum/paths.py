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


def user_cache(name: str) -> Path | None:
    """``name``'s folder in the user's cache (``$XDG_CACHE_HOME/curriculum``, else
    ``~/.cache/curriculum``), made if need be; None where it cannot be made (a read-only home).

    Only for what is derived from installed files alone (the themes' compiled templates), which
    every project on the machine may share, as Python shares the bytecode of what it imports;
    never for what a curriculum's own text makes.
    """
    import os

    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folder = Path(base) / "curriculum" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
