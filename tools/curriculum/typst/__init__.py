"""The PDF route: Typst markup (:mod:`.writer`, ``book.typ``) compiled by the ``typst`` wheel.

PDF/UA-1, A4, with the fonts shipped in ``curriculum/fonts`` only (system fonts ignored,
no packages fetched). Builds are reproducible: the document date comes from
``SOURCE_DATE_EPOCH`` when it is set.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..atomic import atomic_path

TEMPLATE = Path(__file__).parent / "book.typ"
FONTS = Path(__file__).parent.parent / "fonts"


class TypstCompileError(Exception):
    """Typst refused the generated markup; the message names the place."""


def epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def typst_date() -> str:
    """The document date as a Typst ``datetime`` from SOURCE_DATE_EPOCH (UTC), else ``none``.

    Without SOURCE_DATE_EPOCH the PDF carries no date, so that rebuilding unchanged sources
    gives the same bytes.
    """
    stamp = epoch()
    if stamp is None:
        return "none"
    when = datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)
    return (
        f"datetime(year: {when.year}, month: {when.month}, day: {when.day}, "
        f"hour: {when.hour}, minute: {when.minute}, second: {when.second})"
    )


class Compiler:
    """One Typst compiler (fonts loaded once) for every PDF of a build."""

    def __init__(self, root: Path) -> None:
        import typst

        self.root = root
        # the shipped fonts only: neither the system's nor the ones built into Typst
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS)])
        self.compiler = typst.Compiler(root=str(root), font_paths=fonts, ignore_system_fonts=True)

    def write_pdf(
        self, source: Path, pdf_path: Path, link_texts: dict[str, str] | None = None, footnote: str = "Footnote"
    ) -> int:
        """Compile ``source`` to ``pdf_path`` (written whole or not at all); returns the page count."""
        import typst

        stamp = epoch()
        with atomic_path(pdf_path) as partial:
            try:
                self.compiler.compile(
                    input=str(source),
                    output=str(partial),
                    pdf_standards=["ua-1"],
                    timestamp=stamp if stamp is not None else None,
                )
            except typst.TypstError as error:
                hints = "; ".join(getattr(error, "hints", []) or [])
                raise TypstCompileError(
                    f"{source.name}: {getattr(error, 'message', error)}"
                    f"{' (' + hints + ')' if hints else ''}\n{getattr(error, 'diagnostic', '')}"
                ) from error
            return describe_links(partial, link_texts or {}, footnote)


#: Files a generated source refers to: the template it imports and the images it shows.
REFERENCED = re.compile(r'"((?:\.\./)*(?:[\w.-]+/)*[\w.-]+\.(?:typ|png|jpe?g|gif|svg))"')


def inputs_digest(source: Path, root: Path, *extra: str) -> str:
    """A hash of everything a PDF is made from: its Typst source, the files the source names
    (template, images), the fonts, the Typst version, the document date and ``extra`` words
    the PDF is given afterwards."""
    import typst

    digest = hashlib.sha256(f"{getattr(typst, '__version__', '')}\0{epoch()}\0{extra}\0".encode())
    text = source.read_bytes()
    digest.update(text)
    for name in sorted(set(REFERENCED.findall(text.decode("utf-8", "replace")))):
        path = (source.parent / name).resolve()
        if path.is_file() and path.is_relative_to(root.resolve()):
            digest.update(f"\0{name}\0".encode() + path.read_bytes())
    for font in sorted(FONTS.glob("*.ttf")):
        stat = font.stat()
        digest.update(f"\0{font.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


#: One PDF to make: the Typst source, the PDF, and its external links (URL -> link text).
Job = tuple[Path, Path, dict[str, str]]


class PdfWriter:
    """Compiles PDFs as they are handed over, one per core at once, so that a builder can go on
    writing the next sources meanwhile (Typst's worker threads lay out without Python's lock;
    the thread driving a compile takes it now and then, and waits while Python is busy).

    A PDF whose inputs are those it was last made from is left as it is. A Typst compiler is
    not shared between threads: each thread keeps its own. :meth:`wait` calls ``done`` with
    each PDF in the order they were handed over; the first error stops the rest and is raised.
    """

    def __init__(
        self,
        root: Path,
        done: Callable[[Path], None] = lambda pdf: None,
        footnote: str = "Footnote",
        jobs: Sequence[Job] = (),
    ) -> None:
        self.root, self.done, self.footnote = root, done, footnote
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1))
        self.futures: list[Future[Path]] = []
        for job in jobs:  # the ones known already
            self.submit(job)

    def submit(self, job: Job) -> None:
        """Start compiling ``job`` (hand over the longest first: the book)."""
        self.futures.append(self.pool.submit(self._write, job))

    def _write(self, job: Job) -> Path:
        source, pdf, _links = job
        stamp = pdf.with_name(f"{pdf.name}.inputs")
        digest = inputs_digest(source, self.root, self.footnote)
        if pdf.is_file() and stamp.is_file() and stamp.read_text() == digest:
            return pdf  # made from these very inputs last time: not laid out again
        compiler = getattr(self.local, "compiler", None)
        if compiler is None:
            compiler = self.local.compiler = Compiler(self.root)
        compiler.write_pdf(*job, footnote=self.footnote)
        stamp.write_text(digest)
        return pdf

    def wait(self) -> None:
        """Every PDF handed over, written (or the first error raised, the rest cancelled)."""
        try:
            for future in self.futures:
                self.done(future.result())
        finally:
            self.close()

    def close(self) -> None:
        """Cancel what has not started (a builder that failed meanwhile); let the rest end."""
        for future in self.futures:
            future.cancel()
        self.pool.shutdown(wait=False)


def describe_links(path: Path, link_texts: dict[str, str], footnote: str = "Footnote") -> int:
    """Give each web link annotation its link text as /Contents (Typst writes the bare URL),
    and each footnote marker's link "<footnote> N" (Typst writes the number alone).

    PDF/UA asks for a description of each link annotation; a bare URL is read out
    letter by letter, a bare number says nothing. Returns the page count.
    """
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        changed = False
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if str(annotation.get("/Subtype")) != "/Link":
                    continue
                action = annotation.get("/A")
                if action is not None and "/URI" in action:
                    words = link_texts.get(str(action.URI))
                else:  # a link inside the document: only a footnote marker's is a bare number
                    number = str(annotation.get("/Contents", "")).strip()
                    words = f"{footnote} {number}" if number.isdigit() else None
                if words and str(annotation.get("/Contents", "")) != words:
                    annotation.Contents = pikepdf.String(words)
                    changed = True
        pages = len(pdf.pages)
        if changed:
            # the XMP's PDF version is Typst's, as the file's stays: pikepdf's check of it would
            # rewrite the metadata, a third of a second for a long book. The tags' thousands of
            # small objects go in compressed object streams: a book is half the size.
            pdf.save(
                path,
                deterministic_id=True,
                fix_metadata_version=False,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
    return pages
