"""The ``handbook-pdf`` builder: the whole book as one print HTML page, then PDF.

It assembles the documents like ``singlehtml``, makes every id unique across the
merged document (``singlehtml`` ids are unique only per document, which breaks
TOC page numbers and links), renders each document into its own ``<article>``,
wraps them with a cover page and a table of contents, and hands the page to
WeasyPrint (:mod:`curriculum.pdf`). The participant edition also gets one
handout per exercise.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinx.util.display import progress_message
from sphinx.util.i18n import format_date
from sphinx.util.nodes import inline_all_toctrees

from .. import pdf
from ..model import EXERCISE_DIR, load_exercise
from .i18n import _, direction, edition_name

logger = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent.parent / "templates"


@dataclass
class Article:
    """One document of the book, rendered."""

    docname: str
    anchor: str
    title: str
    part: str
    html: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)  # (anchor, title)


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
                mapping.update(zip(((docname, old) for old in node["ids"]), new))
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
                target, _hash, anchor = uri[len("#document-"):].partition("#")
                node["refuri"] = "#" + (mapping.get((target, anchor), anchor) if anchor else f"document-{target}")


class HandbookPDFBuilder(SingleFileHTMLBuilder):
    """Build the handbook (and, for participants, the handouts) as tagged A4 PDFs."""

    name = "handbook-pdf"
    epilog = "The PDF files are in %(outdir)s."
    search = False
    copysource = False

    def init(self) -> None:
        super().init()
        self.articles: list[Article] = []
        self.queue: list[tuple[Path, Path]] = []  # (print HTML, PDF) pairs to render

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
        with progress_message("assembling the book"):
            root = self.config.root_doc
            if only:  # `--exercise ID`: that exercise's document alone, as the book would hold it
                root = f"{EXERCISE_DIR}/{only}"
                if root not in self.env.all_docs:
                    logger.warning("no handout for exercise '%s': it is not a document of the book", only)
                    return
            tree = self.env.get_doctree(root)
            tree = inline_all_toctrees(self, set(), root, tree, lambda s: s, [root])
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
        with progress_message("rendering the print page"):
            parts = self.part_titles()
            self.articles = [self.render(start, parts) for start in tree.findall(addnodes.start_of_file)
                             if start.parent is not None]
            self.write_book()

    def render(self, start: addnodes.start_of_file, parts: dict[str, str]) -> Article:
        docname = start["docname"]
        sections = [s for s in start.children if isinstance(s, nodes.section)]
        chapter = sections[0] if sections else None
        title = chapter[0].astext() if chapter is not None and len(chapter) else docname
        anchor = chapter["ids"][0] if chapter is not None and chapter["ids"] else f"document-{docname}"
        article = Article(docname, anchor, title, parts.get(docname, ""))
        if chapter is not None and not docname.startswith(EXERCISE_DIR + "/"):
            for sub in chapter.children:
                if isinstance(sub, nodes.section) and sub["ids"]:
                    article.sections.append((sub["ids"][0], sub[0].astext()))
        document = new_document(docname, self.docsettings)
        document.extend(start.children)
        for nested in list(document.findall(addnodes.start_of_file)):
            nested.parent.remove(nested)  # a document inlined twice is printed once
        document.settings = self.docsettings
        self.secnumbers = {}
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        self.imgpath = "_images"
        self.dlpath = "_downloads"
        self.current_docname = docname
        self.post_process_images(document)
        visitor = self.create_translator(document, self)
        document.walkabout(visitor)
        article.html = "".join(visitor.fragment)
        return article

    # --- writing ---------------------------------------------------------------------------

    def template(self, name: str) -> jinja2.Template:
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        return environment.get_template(name)

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
            "handout_label": _("Handout"),
        }

    def write_book(self) -> None:
        context = self.common_context()
        only = self.config.curriculum_only_exercise
        if only:  # `curriculum build --exercise ID`: that handout alone, no book, no other handout
            self.queue = [self.write_handout(article, context) for article in self.articles
                          if article.docname == f"{EXERCISE_DIR}/{only}"]
            if not self.queue:
                logger.warning("no handout for exercise '%s': it is in no toctree of the book", only)
            return
        slug = self.config.curriculum_slug
        name = f"{slug}-{context['edition']}-{context['lang']}"
        html_path = Path(self.outdir) / f"{name}.html"
        html_path.write_text(self.template("book.html").render(articles=self.articles, **context), encoding="utf-8")
        self.queue = [(html_path, Path(self.outdir) / f"{name}.pdf")]
        if context["edition"] == "participant":
            for article in self.articles:
                if article.docname.startswith(EXERCISE_DIR + "/"):
                    self.queue.append(self.write_handout(article, context))

    def write_handout(self, article: Article, context: dict[str, Any]) -> tuple[Path, Path]:
        exercise = load_exercise(Path(self.env.doc2path(article.docname)))
        exercise_id = exercise.exercise_id or exercise.id
        folder = Path(self.outdir) / "handouts"
        folder.mkdir(exist_ok=True)
        html_path = folder / f"{exercise_id}-{context['lang']}.html"
        html = self.template("handout.html").render(
            article=article, ruled=exercise.type == "drafting", notes_label=_("Notes"), **context
        )
        # handouts live one folder down: point images and fonts there too
        html_path.write_text(html.replace('src="_images/', 'src="../_images/'), encoding="utf-8")
        return html_path, folder / f"{exercise_id}-{context['lang']}.pdf"

    def finish(self) -> None:
        self.copy_image_files()
        total = len(self.queue)
        for number, (html_path, pdf_path) in enumerate(self.queue, 1):
            with progress_message(f"writing PDF {number}/{total}: {pdf_path.name}"):
                pdf.write_pdf(html_path, pdf_path)


def setup(app: Sphinx) -> None:
    app.add_builder(HandbookPDFBuilder)
