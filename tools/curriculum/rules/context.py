"""What the rules share while checking one curriculum: the model, the settings, caches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..model import Chapter, Curriculum, Document, Exercise, LearningOutcome
from ..project import Project
from .config import Config
from .markup import Element, locate

GLOSSARY = "glossary"
#: Directives whose content is code, shown as it is.
CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode"})
#: Labels Sphinx defines in every project.
STANDARD_LABELS = frozenset({"genindex", "modindex", "search"})


@dataclass
class Context:
    curriculum: Curriculum
    config: Config = field(default_factory=Config)
    anchors: dict[Path, frozenset[str]] = field(default_factory=dict, repr=False)
    _files: dict[Path, bool] = field(default_factory=dict, repr=False)
    _markup: dict[int, list[Element]] = field(default_factory=dict, repr=False)

    @property
    def project(self) -> Project:
        """The project's settings (``[tool.curriculum]``)."""
        return self.config.project

    def chapters(self) -> Iterator[Chapter]:
        """Chapters whose file could be read as text."""
        return (c for c in self.curriculum.chapters.values() if c.markdown.file.readable)

    def pages(self) -> Iterator[Chapter]:
        """Pages in folders under ``handbook/`` (the trainer pages) that could be read."""
        return (p for p in self.curriculum.pages.values() if p.markdown.file.readable)

    def course_chapters(self) -> Iterator[Chapter]:
        """The chapters of the course: pages of ``handbook/`` that declare learning outcomes."""
        return (c for c in self.chapters() if c.is_course_chapter)

    def exercises(self) -> Iterator[Exercise]:
        """Exercises whose file could be read as text."""
        return (e for e in self.curriculum.exercises.values() if e.markdown.file.readable)

    def documents(self) -> Iterator[Document]:
        yield from self.chapters()
        yield from self.pages()
        yield from self.exercises()

    def relative(self, path: Path) -> Path:
        """``path`` relative to the project root (as given when it lies outside)."""
        try:
            return path.relative_to(self.curriculum.root)
        except ValueError:
            return path

    def document_at(self, path: Path) -> Document | None:
        """The chapter or exercise read from ``path`` (absolute), if any."""
        return self._by_path.get(path)

    @cached_property
    def _by_path(self) -> dict[Path, Document]:
        return {document.path: document for document in self.curriculum.documents}

    def is_file(self, path: Path) -> bool:
        """Whether ``path`` is an existing file (asked of the file system once per path)."""
        found = self._files.get(path)
        if found is None:
            found = self._files[path] = path.is_file()
        return found

    def markup(self, document: Document, kind: str | None = None) -> list[Element]:
        """The located markup of ``document`` (of one ``kind`` if given), computed once."""
        elements = self._markup.get(id(document))
        if elements is None:
            elements = self._markup[id(document)] = locate(document, self.curriculum.parse)
        return elements if kind is None else [e for e in elements if e.kind == kind]

    def code_lines(self, document: Document) -> frozenset[int]:
        """The lines of ``document`` inside code blocks (fenced, indented or ``{code-block}``)."""
        lines: set[int] = set()
        for token in document.markdown.tokens:
            if token.type not in {"fence", "code_block"} or not token.map:
                continue
            info = token.info.strip()
            directive = info[1 : info.index("}")] if info.startswith("{") and "}" in info else None
            if directive is None or directive in CODE_DIRECTIVES:
                lines.update(range(token.map[0] + 1, token.map[1] + 1))
        return frozenset(lines)

    def column(self, document: Document, line: int) -> int:
        """The column of the first non-blank character of ``line``."""
        lines = document.markdown.file.text.split("\n", line)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return len(text) - len(text.lstrip()) + 1

    @cached_property
    def outcomes(self) -> dict[str, LearningOutcome]:
        return self.curriculum.learning_outcomes

    @cached_property
    def glossary_terms(self) -> set[str] | None:
        """Terms defined by ``{glossary}`` blocks in the glossary chapter, if it exists."""
        chapter = self.curriculum.chapters.get(GLOSSARY)
        if chapter is None:
            return None
        terms: set[str] = set()
        for block in self.markup(chapter, "directive"):
            if block.name == "glossary":
                terms.update(line.strip() for line in block.text.split("\n") if line.strip() and not line[0].isspace())
        return terms

    @cached_property
    def labels(self) -> set[str]:
        """Every ``{ref}`` target: outcome labels, ``(label)=`` targets, Sphinx's own."""
        labels = {f"outcome-{key}".lower() for key in self.outcomes}
        for document in self.documents():
            labels.update(t.target.strip().lower() for t in self.markup(document, "target"))
        return labels | STANDARD_LABELS

    @cached_property
    def practised(self) -> set[str]:
        """Learning-outcome ids named by at least one exercise."""
        return {objective for exercise in self.exercises() for objective in exercise.objectives}
