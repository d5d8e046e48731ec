"""The ``handbook-pdf`` builder: the whole book as Typst markup, then PDF.

It assembles the documents like ``singlehtml``, makes every id unique across the
merged document (``singlehtml`` ids are unique only per document, which breaks
TOC page numbers and links), writes each document as Typst markup
(:mod:`curriculum.typst.writer`), wraps them with a cover page, a table of contents
and part dividers (``book.typ``), and compiles the book with Typst
(:mod:`curriculum.typst`). The participant edition also gets one handout per exercise, the
trainer edition the trainer's kit (:mod:`curriculum.kit`).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.display import progress_message
from sphinx.util.i18n import format_date

from .. import typst as typesetting
from ..kit import KitData, write_kit
from ..kit import collect as collect_kit
from ..model import EXERCISE_DIR
from ..typst.writer import Translation, UnknownNode, known_ids, string, translate
from .i18n import _, direction, edition_name

logger = logging.getLogger(__name__)


@dataclass
class Article:
    """One document of the book, as Typst markup."""

    docname: str
    anchor: str
    title: str
    part: str
    document: Any = None
    typst: str = ""
    urls: dict[str, str] = field(default_factory=dict)
    contents: list[str] = field(default_factory=list)  # its entries in the book's contents


def id_prefix(docname: str) -> str:
    return docname.replace("/", "--")


def make_ids_unique(tree: nodes.Element) -> None:
    """Prefix every id with its document's name and repoint links to match.

    Ids are rewritten inside each ``start_of_file`` node; ``refid`` links keep to
    their own document and ``#document-X#id`` links (what ``singlehtml`` makes of
    cross-document references) become ``#X--id``.
    """
    mapping: dict[tuple[str, str], str] = {}
    files = list(tree.findall(addnodes.start_of_file))
    for start in files:
        docname = start["docname"]
        for node in start.findall(nodes.Element):
            if node.get("ids"):
                new = [f"{id_prefix(docname)}--{old}" for old in node["ids"]]
                mapping.update(zip(((docname, old) for old in node["ids"]), new, strict=True))
                node["ids"] = new
    for start in files:
        docname = start["docname"]
        for node in start.findall(nodes.Element):
            if "refid" in node:
                node["refid"] = mapping.get((docname, node["refid"]), node["refid"])
            if node.get("backrefs"):
                node["backrefs"] = [mapping.get((docname, ref), ref) for ref in node["backrefs"]]
            uri = node.get("refuri", "")
            if isinstance(node, nodes.reference) and uri.startswith("#document-"):
                target, _hash, anchor = uri[len("#document-") :].partition("#")
                node["refuri"] = "#" + (mapping.get((target, anchor), anchor) if anchor else f"document-{target}")


def inline_all_toctrees(env: Any, docname: str, tree: nodes.document, traversed: list[str]) -> nodes.document:
    """Sphinx's ``inline_all_toctrees`` (each toctree replaced by the documents it lists, each
    in a ``start_of_file``), without its copy of every tree: each comes fresh from
    ``env.get_doctree`` and is no one else's (the copies were a third of assembling a book)."""
    for toctree in list(tree.findall(addnodes.toctree)):
        inlined = []
        for included in map(str, toctree["includefiles"]):
            if included in traversed:
                continue
            traversed.append(included)
            try:
                subtree = inline_all_toctrees(env, included, env.get_doctree(included), traversed)
            except Exception:
                logger.warning(
                    "toctree contains ref to nonexisting file %r",
                    included,
                    location=docname,
                    type="toc",
                    subtype="not_readable",
                )
                continue
            start = addnodes.start_of_file(docname=included)
            start.children = subtree.children
            for section in start.findall(nodes.section):
                section.setdefault("docname", included)
            inlined.append(start)
        toctree.parent.replace(toctree, inlined)
    return tree


class HandbookPDFBuilder(SingleFileHTMLBuilder):
    """Build the handbook (and, for participants, the handouts) as tagged A4 PDFs."""

    name = "handbook-pdf"
    epilog = "The PDF files are in %(outdir)s."
    search = False
    copysource = False

    def init(self) -> None:
        super().init()
        self.articles: list[Article] = []
        #: doctrees loaded for the kit, which the book's assembly then takes
        self.loaded: dict[str, nodes.document] = {}
        self.pdfs = pdf_writer(Path(self.outdir))  # compiles each PDF as soon as its source is written

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        return "basic", {}

    # --- assembling ------------------------------------------------------------------------

    def part_titles(self) -> dict[str, str]:
        """Each included document's part: the caption of the root toctree that lists it."""
        parts: dict[str, str] = {}
        root = self.env.get_doctree(self.config.root_doc)
        for toctree in root.findall(addnodes.toctree):
            for _title, docname in toctree["entries"]:
                parts[docname] = toctree.get("caption") or ""
        return parts

    def write_documents(self, _docnames: Set[str]) -> None:
        for stale in Path(self.outdir).rglob("*.pdf"):
            stale.unlink()  # the output folder holds this build's PDFs only
        self.prepare_writing(self.env.all_docs.keys())
        only = self.config.curriculum_only_exercise
        if self.config.curriculum_edition == "trainer" and not only:
            with progress_message("reading the trainer's kit"):
                self.kit = self.read_kit()
        with progress_message("assembling the book"):
            root = self.config.root_doc
            if only:  # `--exercise ID`: that exercise's document alone, as the book would hold it
                root = f"{EXERCISE_DIR}/{only}"
                if root not in self.env.all_docs:
                    logger.warning("no handout for exercise '%s': it is not a document of the book", only)
                    return
            with self.kit_doctrees_reused():
                tree = self.env.get_doctree(root)
                tree = inline_all_toctrees(self.env, root, tree, [root])
            if only:
                start = addnodes.start_of_file(docname=root)
                start.extend(list(tree.children))
                tree.clear()
                tree += start
            tree["docname"] = root
            self.env.resolve_references(tree, root, self)
            make_ids_unique(tree)
            self.env.toc_secnumbers = self.assemble_toc_secnumbers()
            self.env.toc_fignumbers = self.assemble_toc_fignumbers()
        with progress_message("writing the book as Typst markup"):
            parts = self.part_titles()
            self.book_ids = known_ids(tree)
            self.articles_so_far = [self.anchor_of(start) for start in tree.findall(addnodes.start_of_file)]
            self.articles = [
                self.render(start, parts) for start in tree.findall(addnodes.start_of_file) if start.parent is not None
            ]
            self.write_book()

    @contextlib.contextmanager
    def kit_doctrees_reused(self) -> Iterator[None]:
        """While the book is assembled, the environment hands out the doctrees the kit read
        instead of loading them again (the kit keeps only their text)."""
        env = self.env

        def get_doctree(docname: str) -> nodes.document:
            loaded = self.loaded.pop(docname, None)
            return loaded if loaded is not None else type(env).get_doctree(env, docname)

        env.get_doctree = get_doctree  # type: ignore[method-assign]
        try:
            yield
        finally:
            del env.get_doctree
            self.loaded.clear()

    def read_kit(self) -> KitData:
        """What the trainer's kit shows. Read before the book is assembled, from the same
        doctrees, each loaded once (about 40 ms each for the Arabic book)."""

        def doctree(docname: str) -> nodes.document | None:
            if docname not in self.env.all_docs:
                return None
            if docname not in self.loaded:
                self.loaded[docname] = self.env.get_doctree(docname)
            return self.loaded[docname]

        return collect_kit(self.env, self.config.language or "en", lambda message: str(_(message)), doctree)

    def anchor_of(self, start: addnodes.start_of_file) -> Article:
        sections = [s for s in start.children if isinstance(s, nodes.section)]
        chapter = sections[0] if sections else None
        anchor = chapter["ids"][0] if chapter is not None and chapter["ids"] else f"document-{start['docname']}"
        return Article(start["docname"], anchor, "", "")

    def render(self, start: addnodes.start_of_file, parts: dict[str, str]) -> Article:
        docname = start["docname"]
        sections = [s for s in start.children if isinstance(s, nodes.section)]
        chapter = sections[0] if sections else None
        title = chapter[0].astext() if chapter is not None and len(chapter) else docname
        anchor = chapter["ids"][0] if chapter is not None and chapter["ids"] else f"document-{docname}"
        article = Article(docname, anchor, title, parts.get(docname, ""))
        document = new_document(docname, self.docsettings)
        document.extend(start.children)
        for nested in list(document.findall(addnodes.start_of_file)):
            nested.parent.remove(nested)  # a document inlined twice is printed once
        document.settings = self.docsettings
        self.current_docname = docname
        self.post_process_images(document)
        article.document = document
        if not self.config.curriculum_only_exercise:  # `--exercise ID` writes the handout alone
            article.typst, article.urls, article.contents = self.translate(document, docname, self.book_ids, "")
        return article

    def translate(self, document: nodes.document, docname: str, ids: set[str], up: str) -> Translation:
        """Typst markup for one document; an unknown node type stops the build."""

        def warn(message: str, node: nodes.Node) -> None:
            logger.warning(message, location=node)

        try:
            aliases = {f"document-{a.docname}": a.anchor for a in self.articles_so_far}
            return translate(
                document,
                language=self.config.language or "en",
                known_ids=ids,
                aliases=aliases,
                images={uri: f"{up}_images/{name}" for uri, name in self.images.items()},
                exercise=docname.startswith(EXERCISE_DIR + "/"),
                warn=warn if not up else None,
            )
        except UnknownNode as error:
            raise ExtensionError(f"{docname}: {error}") from error

    # --- writing ---------------------------------------------------------------------------

    def common_context(self) -> dict[str, Any]:
        language = self.config.language or "en"
        edition = self.config.curriculum_edition
        return {
            "lang": language,
            "dir": direction(language),
            "title": self.config.project,
            "subtitle": self.config.curriculum_subtitle,
            "organisation": self.config.curriculum_organisation,
            "edition": edition,
            "edition_label": edition_name(self.config),
            "date": format_date("%B %Y", language=language),
            "date_label": _("Edition of %s"),
            "contents_label": _("Contents"),
            "page_label": _("Page"),
            "of_label": _("of"),
            "page_short": _("p."),
            "handout_label": _("Handout"),
        }

    def preamble(self, context: dict[str, Any], up: str, function: str, doc_title: str, title: str) -> str:
        # the trainer's handbook says so on every page (the site does in its banner and titles)
        mark = (
            f", edition-mark: {string(str(_('Trainer edition')))}"
            if (function == "book" and context["edition"] == "trainer")
            else ""
        )
        return (
            f'#import "{up}book.typ": *\n'
            f"#let page-ref(target) = context [ (#{string(context['page_short'])}~#locate(target).page())]\n"
            f"#show: {function}.with(title: {string(title)}, doc-title: {string(doc_title)}, "
            f"lang: {string(context['lang'])}, date: {typesetting.typst_date()}, "
            f"page-label: {string(context['page_label'])}, of-label: {string(context['of_label'])}{mark})\n\n"
        )

    def write_book(self) -> None:
        context = self.common_context()
        # what every source refers to, in place before the first compile starts
        shutil.copyfile(typesetting.TEMPLATE, Path(self.outdir) / "book.typ")  # books and handouts import it
        self.copy_image_files()
        only = self.config.curriculum_only_exercise
        if only:  # `curriculum build --exercise ID`: that handout alone, no book, no other handout
            for article in self.articles:
                if article.docname == f"{EXERCISE_DIR}/{only}":
                    self.pdfs.submit(self.write_handout(article, context))
            if not self.pdfs.futures:
                logger.warning("no handout for exercise '%s': it is in no toctree of the book", only)
            return
        slug = self.config.curriculum_slug
        name = f"{slug}-{context['edition']}-{context['lang']}"
        logo = "none"
        if self.config.curriculum_logo:  # the project's logo, on the cover (set in [tool.curriculum])
            source_logo = Path(self.config.curriculum_logo)
            shutil.copyfile(source_logo, Path(self.outdir) / f"logo{source_logo.suffix}")
            logo = string(f"logo{source_logo.suffix}")
        # the contents, written out here rather than left to Typst's outline: its length is then
        # known from the first layout pass, and the book settles in two passes instead of three
        parts: dict[str, list[str]] = {}
        for article in self.articles:
            parts.setdefault(article.part, []).extend(article.contents)
        contents = "".join(
            f"({string(part) if part else 'none'}, ({''.join(e + ', ' for e in entries)})), "
            for part, entries in parts.items()
        )
        lines = [
            self.preamble(context, "", "book", f"{context['title']} — {context['edition_label']}", context["title"]),
            (
                f"#cover(lang: {string(context['lang'])}, title: {string(context['title'])}, "
                f"subtitle: {string(context['subtitle'])}, organisation: {string(context['organisation'])}, "
                f"edition-label: {string(context['edition_label'])}, "
                f"date-line: {string(context['date_label'] % context['date'])}, logo: {logo}, "
                f"logo-alt: {string(context['organisation'] or context['title'])})\n"
            ),
            f"#page(header: none)[#contents(title: {string(context['contents_label'])}, parts: ({contents}))]\n",
        ]
        seen = None
        urls: dict[str, str] = {}
        for article in self.articles:
            if article.part and article.part != seen:
                lines.append(f"#part-divider({string(article.part)})\n")
                seen = article.part
            lines.append("#pagebreak(weak: true)\n")
            lines.append(article.typst)
            urls.update(article.urls)
        source = Path(self.outdir) / f"{name}.typ"
        source.write_text("".join(lines), encoding="utf-8")
        # the book, the longest, is laid out while the handouts or the kit are written
        self.pdfs.submit((source, Path(self.outdir) / f"{name}.pdf", urls))
        if context["edition"] == "participant":
            for article in self.articles:
                if article.docname.startswith(EXERCISE_DIR + "/"):
                    self.pdfs.submit(self.write_handout(article, context))
        else:  # the trainer's kit (tests, answer key, evaluation, attendance, certificates, materials)
            kit = write_kit(
                self.kit,
                Path(self.outdir),
                context["lang"],
                slug,
                lambda message: str(_(message)),
                lambda doc_title: self.preamble(context, "../", "handout", doc_title, context["title"]),
            )
            for job in kit:
                self.pdfs.submit(job)

    def write_handout(self, article: Article, context: dict[str, Any]) -> typesetting.Job:
        from . import curriculum_of

        exercise = curriculum_of(self.app).exercises[Path(article.docname).name]
        exercise_id = exercise.exercise_id or exercise.id
        folder = Path(self.outdir) / "handouts"
        folder.mkdir(exist_ok=True)
        translation = self.translate(article.document, article.docname, known_ids(article.document), "../")
        markup, urls = translation.typst, translation.urls
        notes_label = _("Notes")  # not inside the f-string: message extraction reads plain calls only
        notes = f"#notes-space({string(notes_label)})\n" if exercise.type == "drafting" else ""
        source = folder / f"{exercise_id}-{context['lang']}.typ"
        source.write_text(
            self.preamble(context, "../", "handout", f"{context['handout_label']}: {article.title}", context["title"])
            + markup
            + notes,
            encoding="utf-8",
        )
        return source, folder / f"{exercise_id}-{context['lang']}.pdf", urls

    def finish(self) -> None:
        finish_pdfs(self.pdfs, "PDF files")

    def cleanup(self) -> None:
        self.pdfs.close()  # a build that failed before finish: no compile left waiting
        super().cleanup()


def pdf_writer(outdir: Path, jobs: list[typesetting.Job] | None = None) -> typesetting.PdfWriter:
    """A :class:`curriculum.typst.PdfWriter` that names each PDF as it is written."""
    return typesetting.PdfWriter(outdir, lambda pdf: logger.info("%s", pdf.name), str(_("Footnote")), jobs or [])


def finish_pdfs(writer: typesetting.PdfWriter, what: str) -> None:
    """Wait for every PDF ``writer`` was given; a Typst error stops the build."""
    with progress_message(f"writing {len(writer.futures)} {what}"):
        try:
            writer.wait()
        except typesetting.TypstCompileError as error:
            raise ExtensionError(str(error)) from error


def compile_pdfs(outdir: Path, jobs: list[typesetting.Job], what: str) -> None:
    """Compile ``jobs``; a Typst error stops the build."""
    finish_pdfs(pdf_writer(outdir, jobs), what)


def setup(app: Sphinx) -> None:
    app.add_builder(HandbookPDFBuilder)
