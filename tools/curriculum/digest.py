"""What a curriculum's outputs are made from, as one hash: its sources and settings (by
content) and the builder's own code, templates and fonts (by size and modification time)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from .paths import PACKAGE_DIR
from .project import SOURCES

SKIPPED = {".pyc", ".mo"}  # compiled from files that are hashed


def files(base: Path) -> list[Path]:
    found = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base] if base.is_file() else []
    return [p for p in found if p.suffix not in SKIPPED and "__pycache__" not in p.parts]


def sources_digest(root: Path) -> str:
    """A hash that changes when any source of ``root`` or any file of the builder changes.

    Sources count by content: an edit within the file system's clock tick that keeps the
    size would slip past a size and time.
    """
    digest = hashlib.sha256(f"{sys.version}\n".encode())
    for path in (p for name in SOURCES for p in files(root / name)):
        digest.update(f"{path}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in files(PACKAGE_DIR):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def salted(sources: str, salt: str) -> str:
    """The sources' digest made particular to one thing made from them (an output's name), so
    that the sources are hashed once for all of them."""
    return hashlib.sha256(f"{salt}\0{sources}".encode()).hexdigest()
