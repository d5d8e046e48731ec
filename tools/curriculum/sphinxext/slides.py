"""Slides: the ``{slide}`` directive and the ``curriculum-slides`` builder.

``:::{slide} Title`` … ``:::`` marks chapter content for the chapter's deck. Its content
stays in the chapter page and the books as normal content (the title is not shown there);
with the ``:slides-only:`` flag the block appears in the deck only (use it for a shorter
selection of the chapter's own sentences, list items or table rows: the same words get the
same translation). A chapter without ``{slide}`` blocks gets one slide per H2 section
(see :mod:`curriculum.slides`).

The builder writes, per chapter with learning outcomes, a reveal.js deck
``<chapter-id>.html`` (sphinx-revealjs ships reveal.js; nothing is fetched) and the same
deck as a 16:9 PDF through the Typst route (``_pdf/<chapter-id>-<lang>.pdf``). Both come
from the chapter's translated doctree. Speaker notes (the trainer notes of the chapter and
of each exercise) are written in the trainer edition only, as ``<aside class="notes">``
for reveal.js's speaker view; the participant edition has none, and the PDF has none.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.display import progress_message
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import format_date

from .. import typst as typesetting
from ..model import CHAPTER_DIR, EXERCISE_DIR, WORD
from ..paths import PACKAGE_DIR
from ..project import direction
from ..slides import (
    BUDGET,
    SENTENCE_END,
    DeckPlan,
    Piece,
    SectionPlan,
    h2_sections,
    plan_deck,
    split_text,
)
from ..sphinxconf import PDF_FOLDER, SLIDES_BUILDER
from .editions import TRAINER_ONLY
from .i18n import _, edition_name
from .pdfbuilder import compile_pdfs

logger = logging.getLogger(__name__)

#: The decks' own files: reveal.js's stylesheet and the slides' Typst template.
DECK_DIR = PACKAGE_DIR / "slides"
#: The faces the HTML decks load (shipped, never fetched).
DECK_FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")
#: What reveal.js's builder changes in the configuration when it starts.
ADJUSTED_SETTINGS = ("revealjs_static_path", "revealjs_script_conf", "html_static_path")
#: From ``_build/slides/<lang>/`` to where ``curriculum build`` publishes the PDFs.
PDF_FOLDER_PUBLISHED = "../../pdf/slides/"


class slide(nodes.General, nodes.Element):
    """A ``{slide}`` block: a title node, then the slide's content."""


class slide_title(nodes.Part, nodes.TextElement):
    """A slide's title. Not a ``nodes.title``: Sphinx re-parses a translated title as a heading,
    and MyST would then replace the page's heading anchors with the slide's."""


class slide_notes(nodes.General, nodes.Element):
    """Speaker notes of a slide (trainer decks only)."""


class SlideDirective(SphinxDirective):
    """``:::{slide} Title``: content for the chapter's deck (shown in the chapter too)."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"slides-only": directives.flag}

    def run(self) -> list[nodes.Node]:
        node = slide(classes=["slide"])
        node["slides_only"] = "slides-only" in self.options
        self.set_source_info(node)
        title_nodes, _messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
        title = slide_title(self.arguments[0], "", *title_nodes)
        self.set_source_info(title)
        node += title
        node += self.parse_content_to_nodes(allow_section_headings=False)
        return [node]


def unwrap_slides(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Outside the decks a ``{slide}`` block is its content (``:slides-only:``: nothing)."""
    if app.builder.name == SlidesBuilder.name:
        return
    for node in list(doctree.findall(slide)):
        if node.parent is None:
            continue
        if node.get("slides_only"):
            node.parent.remove(node)
        else:
            node.replace_self(node.children[1:] or [nodes.comment()])


def chapter_has_deck(app: Sphinx, docname: str) -> bool:
    """A chapter has a deck when it declares learning outcomes."""
    from . import curriculum_of

    if not docname.startswith(CHAPTER_DIR + "/"):
        return False
    chapter = curriculum_of(app).chapters.get(docname.split("/", 1)[1])
    return chapter is not None and bool(chapter.learning_outcomes)


def add_slides_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Trainer site only: a "Slides" link at the top of each chapter that has a deck."""
    if app.builder.name != "html" or app.config.curriculum_edition != "trainer" or not chapter_has_deck(app, docname):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    lang = app.config.language or "en"
    chapter = docname.split("/", 1)[1]
    # _build/html-trainer/<lang>/handbook/<id>.html -> _build/slides/<lang>/<id>.html
    uri = f"../../../slides/{lang}/{chapter}.html"
    text = str(_("Slides"))
    link = nodes.reference(text, text, refuri=uri, classes=["slides-button"])
    section.insert(1, nodes.paragraph("", "", link, classes=["slides-link"]))


def visit_slide_notes(self: Any, node: nodes.Element) -> None:
    self.body.append('<aside class="notes">\n')


def depart_slide_notes(self: Any, node: nodes.Element) -> None:
    self.body.append("</aside>\n")


def visit_slide_html(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode  # never reaches a page: unwrapped on doctree-resolved


# --- building decks from doctrees --------------------------------------------------------------


def words(node: nodes.Node) -> int:
    return len(WORD.findall(node.astext()))


def clean(node: nodes.Node) -> nodes.Node:
    """A copy of ``node`` fit for a deck: no links into the site, no ids, no trainer-only parts."""
    copy = node.deepcopy()
    if isinstance(copy, nodes.Element):
        for element in list(copy.findall(nodes.Element)):
            if element.parent is None and element is not copy:
                continue
            if TRAINER_ONLY in element.get("classes", ()) and element is not copy and element.parent is not None:
                element.parent.remove(element)
                continue
            if isinstance(element, nodes.footnote_reference) and element.parent is not None:
                element.parent.remove(element)
                continue
            if isinstance(element, nodes.target) and element.parent is not None:
                element.parent.remove(element)
                continue
            if isinstance(element, nodes.reference):
                uri = element.get("refuri", "")
                if not re.match(r"^(https?:|mailto:)", uri) and element.parent is not None:
                    element.replace_self(nodes.inline("", "", *element.children, classes=element.get("classes", [])))
                    continue
            element["ids"] = []
            element["names"] = []
            element["backrefs"] = []
    return copy


def cut_paragraph(paragraph: nodes.paragraph, budget: int) -> nodes.paragraph:
    """The paragraph's first whole sentences within ``budget`` words (plain text)."""
    text = " ".join(paragraph.astext().split())
    kept: list[str] = []
    count = 0
    for sentence in SENTENCE_END.split(text):
        n = len(WORD.findall(sentence))
        if count + n > budget:
            break
        kept.append(sentence)
        count += n
    if not kept:  # one long sentence: its first words
        found = list(WORD.finditer(text))
        kept = [text[: found[budget - 1].end()] + " …"] if len(found) >= budget else [text]
    else:
        kept[-1] = kept[-1] + (" …" if count < words(paragraph) else "")
    result = " ".join(kept)
    kept_classes = [c for c in paragraph.get("classes", []) if c.startswith("language-")]
    return nodes.paragraph(result, result, classes=kept_classes)


def cut_list(node: nodes.Element, budget: int) -> nodes.Element:
    copy = node.copy()
    total = 0
    for item in node.children:
        if not isinstance(item, nodes.list_item):
            continue
        n = words(item)
        if len(copy) >= BUDGET.lines or (len(copy) and total + n > budget):
            break
        if n > budget:
            first = item.next_node(nodes.paragraph)
            if first is None:
                break
            copy += nodes.list_item("", cut_paragraph(first, budget))
            total += budget
            break
        copy += clean(item)
        total += n
    return copy


def summary_of(container: nodes.Element, budget: int = BUDGET.words) -> list[nodes.Node]:
    """The first paragraph(s) or the first list of a section, cut to ``budget``.

    A list among the section's opening blocks wins (with the paragraph before it when that is
    short): lists are what slides are made of.
    """
    blocks: list[nodes.Node] = []
    for child in container.children:
        if isinstance(child, nodes.title) or TRAINER_ONLY in child.get("classes", ()):
            continue
        if not isinstance(child, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list)):
            if isinstance(child, nodes.section) and not blocks:
                return summary_of(child, budget)
            break
        blocks.append(child)
    lists = [i for i, b in enumerate(blocks[:3]) if isinstance(b, (nodes.bullet_list, nodes.enumerated_list))]
    if lists:
        index = lists[0]
        lead = blocks[index - 1] if index and words(blocks[index - 1]) <= 20 else None
        picked: list[nodes.Node] = [clean(lead)] if lead is not None else []
        return [*picked, cut_list(blocks[index], budget - (words(lead) if lead is not None else 0))]
    picked = []
    total = 0
    for block in blocks:
        n = words(block)
        if not picked and n > budget:
            return [cut_paragraph(block, budget)]
        if total + n > budget:
            break
        picked.append(clean(block))
        total += n
    return picked


def opening_nodes(container: nodes.Element, descend: int = 0) -> list[nodes.Element]:
    """A section's opening paragraphs and lists, as :func:`curriculum.slides.opening_blocks`
    reads them in the source (``descend`` levels into the first subsection first)."""
    for _level in range(descend):
        container = next((c for c in container.children if isinstance(c, nodes.section)), None)
        if container is None:
            return []
    blocks: list[nodes.Element] = []
    for child in container.children:
        if isinstance(child, (nodes.title, nodes.target, nodes.comment)) or TRAINER_ONLY in child.get("classes", ()):
            continue
        if not isinstance(child, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list)):
            break
        blocks.append(child)
    return blocks


def piece_nodes(blocks: list[nodes.Element], piece: Piece) -> list[nodes.Node]:
    """What a :class:`~curriculum.slides.Piece` of a fallback slide shows, from the translated
    blocks: the whole block, some of its list items (numbering continued) or part of its text."""
    if piece.block >= len(blocks):
        return []
    block = blocks[piece.block]
    if piece.items is not None:
        items = [i for i in block.children if isinstance(i, nodes.list_item)]
        copy = block.copy()
        copy["ids"], copy["names"] = [], []
        if isinstance(block, nodes.enumerated_list) and piece.items:
            copy["start"] = block.get("start", 1) + piece.items[0]
        copy.extend(clean(items[i]) for i in piece.items if i < len(items))
        return [copy]
    if piece.part is not None:
        number, parts = piece.part
        pieces = split_text(block.astext(), parts)
        text = pieces[number - 1] if number <= len(pieces) else ""
        kept = [c for c in block.get("classes", []) if c.startswith("language-")]
        return [nodes.paragraph(text, text, classes=kept)]
    return [clean(block)]


def trainer_notes_in(node: nodes.Element) -> list[nodes.Node]:
    """The trainer-note blocks under ``node`` (not inside an exercise's trainer sections)."""
    notes = []
    for element in node.findall(nodes.Element):
        if "trainer-note" in element.get("classes", ()):
            body = [clean(c) for c in element.children if not isinstance(c, nodes.title)]
            notes.extend(body)
    return notes


def number_runs(slides: list[Slide]) -> None:
    """Consecutive ``{slide}`` blocks with the same title: "Title (1/2)", "Title (2/2)"."""
    start = 0
    while start < len(slides):
        end = start + 1
        text = nodes.Element("", *[c.deepcopy() for c in slides[start].title]).astext()
        while (
            end < len(slides)
            and slides[end].kind == slides[start].kind == "content"
            and nodes.Element("", *[c.deepcopy() for c in slides[end].title]).astext() == text
        ):
            end += 1
        if end - start > 1:
            for number, item in enumerate(slides[start:end], 1):
                item.title = [*item.title, nodes.Text(f" ({number}/{end - start})")]
        start = end


class Slide:
    def __init__(
        self, kind: str, title: list[nodes.Node] | str, body: list[nodes.Node], notes: list[nodes.Node] | None = None
    ) -> None:
        self.kind = kind
        self.title = [nodes.Text(title)] if isinstance(title, str) else title
        self.body = body
        self.notes = notes or []


from sphinx.builders.html import StandaloneHTMLBuilder  # noqa: E402

try:  # sphinx-revealjs: the reveal.js builder and its files (reveal.js, the notes plugin)
    from sphinx_revealjs.builders import RevealjsHTMLBuilder as _DeckBase
    from sphinx_revealjs.writers import RevealjsSlideTranslator as _DeckTranslatorBase
except ImportError:  # pragma: no cover - a dependency; the html builder keeps the other outputs working
    _DeckBase = StandaloneHTMLBuilder
    from sphinx.writers.html5 import HTML5Translator as _DeckTranslatorBase


class DeckTranslator(_DeckTranslatorBase):
    """One ``<section>`` per slide (reveal.js's horizontal slides), headings from ``<h2>``."""

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1
        self.body.append(self.starttag(node, "section", ""))

    def depart_section(self, node: nodes.section) -> None:
        self.section_level -= 1
        self.body.append("</section>\n")


class SlidesBuilder(_DeckBase):
    """The chapters' slide decks: reveal.js HTML and 16:9 PDF, one of each per chapter."""

    name = SLIDES_BUILDER
    epilog = "The slide decks are in %(outdir)s."
    default_translator_class = DeckTranslator
    search = False
    copysource = False

    def init(self) -> None:
        # reveal.js's builder adjusts these settings for itself (adds its folder, a default):
        # the environment, shared with the site and the books, keeps them as every build sets them
        configured = {name: copy.deepcopy(getattr(self.config, name)) for name in ADJUSTED_SETTINGS}
        self.config.revealjs_theme_options = {}
        super().init()
        self.deck_static_path: list[str] = list(self.config.html_static_path)  # with reveal.js's own
        for name, value in configured.items():
            setattr(self.config, name, value)
        from . import curriculum_of

        curriculum = curriculum_of(self.app)
        self.curriculum = curriculum
        self.plans: dict[str, DeckPlan] = {
            c.id: plan_deck(c, curriculum.agenda, curriculum.parse)
            for c in curriculum.chapters.values()
            if c.learning_outcomes
        }
        self.pdf_queue: list[typesetting.Job] = []
        self.titles: dict[str, str] = {}

    def copy_html_static_files(self, context: dict[str, Any]) -> None:
        configured = self.config.html_static_path
        self.config.html_static_path = self.deck_static_path
        try:
            super().copy_html_static_files(context)
        finally:
            self.config.html_static_path = configured

    def get_asset_paths(self) -> list[str]:
        # asked while reveal.js's builder starts too, before the deck's folders are set aside
        return [*self.config.html_extra_path, *getattr(self, "deck_static_path", self.config.html_static_path)]

    # one page per chapter with a deck, at the top of the output folder
    def get_outdated_docs(self):
        return [f"{CHAPTER_DIR}/{chapter}" for chapter in self.plans]

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        if docname.startswith(CHAPTER_DIR + "/") and docname.split("/", 1)[1] in self.plans:
            return docname.split("/", 1)[1] + ".html"
        return docname + ".html"

    def get_output_path(self, page_name: str, /) -> Path:
        return Path(self.outdir, self.get_target_uri(page_name))

    def gen_indices(self) -> None:
        pass

    def gen_pages_from_extensions(self) -> None:
        pass

    def gen_additional_pages(self) -> None:
        pass

    def dump_inventory(self) -> None:
        pass

    def handle_finish(self) -> None:
        pass

    def update_page_context(self, pagename: str, templatename: str, ctx: dict, event_arg: Any) -> None:
        super().update_page_context(pagename, templatename, ctx, event_arg)
        ctx["title"] = f"{ctx.get('title', '')} — {self.config.project}"

    def write_documents(self, _docnames: Any) -> None:
        for stale in Path(self.outdir).glob("*.html"):
            stale.unlink()
        pdf_dir = Path(self.outdir) / PDF_FOLDER
        shutil.rmtree(pdf_dir, ignore_errors=True)
        pdf_dir.mkdir(parents=True)
        for name in ("book.typ", "slides.typ"):
            source = typesetting.TEMPLATE if name == "book.typ" else DECK_DIR / "slides.typ"
            shutil.copyfile(source, pdf_dir / name)
        for chapter in sorted(self.plans):
            docname = f"{CHAPTER_DIR}/{chapter}"
            with progress_message(f"deck {chapter}"):
                doctree = self.env.get_and_resolve_doctree(docname, self)
                slides = self.deck(chapter, doctree)
                self.titles[chapter] = nodes.Element("", *[c.deepcopy() for c in slides[0].title]).astext()
                expected = self.plans[chapter].count
                if len(slides) != expected:
                    logger.warning(
                        f"deck {chapter}: {len(slides)} slides made, the plan has {expected}", location=docname
                    )
                document = self.deck_document(docname, slides)
                self.write_doc_serialized(docname, document)
                self.write_doc(docname, document)
                self.pdf_queue.append(self.write_typst(chapter, slides, pdf_dir))

    # --- the deck ----------------------------------------------------------------------------

    def deck(self, chapter: str, doctree: nodes.document) -> list[Slide]:
        plan = self.plans[chapter]
        trainer = self.config.curriculum_edition == "trainer"
        section = next(iter(doctree.findall(nodes.section)), None)
        if section is None:
            return []
        chapter_title = [clean(c) for c in section[0].children] if len(section) else []
        date = format_date("%B %Y", language=self.config.language or "en")
        slides: list[Slide] = [
            Slide(
                "title",
                chapter_title,
                [
                    nodes.paragraph("", self.config.project, classes=["deck-book"]),
                    nodes.paragraph("", edition_name(self.config), classes=["deck-edition"]),
                    nodes.paragraph("", date, classes=["deck-date"]),
                ],
            )
        ]
        outcomes = next((c for c in section.findall(nodes.container) if "learning-outcomes" in c["classes"]), None)
        if plan.outcomes and outcomes is not None:
            rubric = outcomes.next_node(nodes.rubric)
            lists = [clean(c) for c in outcomes.children if isinstance(c, nodes.bullet_list)]
            slides.append(Slide("outcomes", rubric.astext() if rubric else str(_("Learning outcomes")), lists))
        h2 = [c for c in section.children if isinstance(c, nodes.section)]
        source_titles = [title for title, _tokens in h2_sections(self.curriculum.chapters[chapter].tokens)]
        by_title = dict(zip(source_titles, h2, strict=True)) if len(source_titles) == len(h2) else {}
        section_of: dict[int, int] = {}  # id(H2 section) -> index of the slide made from it
        blocks_in: dict[int, list[slide]] = {}  # id(H2 section) -> its {slide} blocks
        for block in section.findall(slide):
            parent = block.parent
            while parent is not None and not (isinstance(parent, nodes.section) and parent in h2):
                parent = parent.parent
            blocks_in.setdefault(id(parent) if parent is not None else 0, []).append(block)
        planned_titles = {p.title for p in plan.sections}
        for planned in plan.sections:
            part = by_title.get(planned.title)
            if part is None:
                continue
            section_of[id(part)] = len(slides)
            if planned.blocks:
                slides.extend(self.block_slide(block, trainer) for block in blocks_in.get(id(part), []))
            else:
                slides.extend(self.fallback_slides(part, planned))
        for key, found in blocks_in.items():  # blocks outside the content sections
            if key == 0 or not any(id(part) == key for title, part in by_title.items() if title in planned_titles):
                slides.extend(self.block_slide(block, trainer) for block in found)
        number_runs(slides)
        key_section = by_title.get("Key points")
        first_key = len(slides)
        if key_section is not None:
            items = [i for i in (key_section.next_node(nodes.bullet_list) or []) if isinstance(i, nodes.list_item)]
            for number, indexes in enumerate(plan.key_points):
                title = key_section[0].astext() + (
                    f" ({number + 1}/{len(plan.key_points)})" if len(plan.key_points) > 1 else ""
                )
                body = nodes.bullet_list()
                body.extend(clean(items[i]) for i in indexes if i < len(items))
                slides.append(Slide("key-points", title, [body]))
        sources_section = by_title.get("Sources")
        if sources_section is not None:
            items = [i for i in (sources_section.next_node(nodes.bullet_list) or []) if isinstance(i, nodes.list_item)]
            for number, indexes in enumerate(plan.sources):
                title = sources_section[0].astext() + (
                    f" ({number + 1}/{len(plan.sources)})" if len(plan.sources) > 1 else ""
                )
                body = nodes.bullet_list(classes=["deck-sources"])
                for i in indexes:
                    if i < len(items):
                        body += nodes.list_item("", self.source_line(items[i]))
                slides.append(Slide("sources", title, [body]))
        if trainer:  # each trainer note goes to the slide made from its section, else to the key points
            inside = {id(n) for b in section.findall(slide) for n in b.findall(nodes.Element)}
            for part in h2:
                notes = [
                    clean(c)
                    for note in part.findall(nodes.Element)
                    if "trainer-note" in note.get("classes", ()) and id(note) not in inside
                    for c in note.children
                    if not isinstance(c, nodes.title)
                ]
                if notes:
                    target = section_of.get(id(part), first_key if first_key < len(slides) else len(slides) - 1)
                    slides[target].notes.extend(notes)
        slides.extend(self.exercise_slide(exercise, trainer) for exercise in plan.exercises)
        return slides

    @staticmethod
    def block_slide(block: slide, trainer: bool) -> Slide:
        title = [clean(c) for c in block[0].children]
        body = [clean(c) for c in block.children[1:] if TRAINER_ONLY not in c.get("classes", ())]
        return Slide("content", title, body, trainer_notes_in(block) if trainer else [])

    @staticmethod
    def fallback_slides(part: nodes.section, planned: SectionPlan) -> list[Slide]:
        """A section's slides when the chapter has no ``{slide}`` blocks: its opening blocks
        over ``planned.pages`` slides, "Title (1/2)", "Title (2/2)" when there are several."""
        blocks = opening_nodes(part, planned.descend)
        made = []
        for number, pieces in enumerate(planned.pages, 1):
            title = [clean(c) for c in part[0].children]
            if len(planned.pages) > 1:
                title.append(nodes.Text(f" ({number}/{len(planned.pages)})"))
            made.append(Slide("content", title, [n for piece in pieces for n in piece_nodes(blocks, piece)]))
        return made

    def source_line(self, item: nodes.list_item) -> nodes.paragraph:
        """A source's title, linked (the comment after it stays in the chapter)."""
        paragraph = item.next_node(nodes.paragraph)
        if paragraph is None:
            return nodes.paragraph("", item.astext())
        link = paragraph.next_node(nodes.reference)
        if link is not None and re.match(r"^https?:", link.get("refuri", "")):
            return nodes.paragraph("", "", clean(link), classes=paragraph.get("classes", []))
        return clean(paragraph)

    def exercise_slide(self, exercise_id: str, trainer: bool) -> Slide:
        docname = f"{EXERCISE_DIR}/{exercise_id}"
        if docname not in self.env.found_docs:
            return Slide("exercise", exercise_id, [])
        tree = self.env.get_and_resolve_doctree(docname, self)
        section = next(iter(tree.findall(nodes.section)))
        title = [nodes.Text(f"{_('Exercise')}: "), *(clean(c) for c in section[0].children)]
        body: list[nodes.Node] = []
        summary = next((f for f in section.findall(nodes.field_list) if "exercise-summary" in f["classes"]), None)
        if summary is not None:
            wanted = {str(_("Duration")), str(_("Time limit")), str(_("Grouping"))}
            fields = nodes.field_list(classes=["exercise-summary", "deck-summary"])
            fields.extend(
                clean(f) for f in summary.children if isinstance(f, nodes.field) and f[0].astext().strip() in wanted
            )
            body.append(fields)
        parts = {tuple(s["classes"]): s for s in section.children if isinstance(s, nodes.section)}
        instructions = next((s for k, s in parts.items() if "exercise-instructions" in k), None)
        if instructions is not None:
            body.extend(summary_of(instructions, BUDGET.words - 15))
        notes: list[nodes.Node] = []
        if trainer:
            trainer_notes = next((s for k, s in parts.items() if "exercise-trainer-notes" in k), None)
            if trainer_notes is not None:
                notes = [c.deepcopy() for c in trainer_notes.children if not isinstance(c, nodes.title)]
                notes = [clean(n) if not isinstance(n, nodes.Element) else self.keep_trainer(n) for n in notes]
        return Slide("exercise", title, body, notes)

    @staticmethod
    def keep_trainer(node: nodes.Element) -> nodes.Element:
        """Notes are trainer material: keep it, but drop links into the site and ids."""
        for element in list(node.findall(nodes.Element)):
            if (
                isinstance(element, nodes.reference)
                and element.parent is not None
                and not re.match(r"^(https?:|mailto:)", element.get("refuri", ""))
            ):
                element.replace_self(nodes.inline("", "", *element.children))
                continue
            element["ids"] = []
        return node

    def deck_document(self, docname: str, slides: list[Slide]) -> nodes.document:
        document = new_document(docname, self.docsettings)
        trainer = self.config.curriculum_edition == "trainer"
        for number, item in enumerate(slides, 1):
            section = nodes.section(ids=[f"slide-{number}"], classes=["deck-slide", f"deck-{item.kind}"])
            section += nodes.title("", "", *item.title)
            section.extend(item.body)
            if trainer and item.notes:
                section += slide_notes("", *item.notes)
            document += section
        return document

    # --- the PDF -------------------------------------------------------------------------------

    def typst_of(self, children: list[nodes.Node]) -> tuple[str, dict[str, str]]:
        """Typst markup for ``children`` and their external links (URL -> link text)."""
        from ..typst.writer import translate

        document = new_document("slide", self.docsettings)
        document.extend(c.deepcopy() for c in children)
        translation = translate(
            document,
            language=self.config.language or "en",
            known_ids=set(),
            images={uri: f"../_images/{name}" for uri, name in self.images.items()},
        )
        return translation.typst, translation.urls

    def write_typst(self, chapter: str, slides: list[Slide], folder: Path) -> typesetting.Job:
        from ..typst.writer import string

        language = self.config.language or "en"
        urls: dict[str, str] = {}
        chapter_title = slides[0].title
        doc_title = nodes.Element("", *chapter_title).astext() + " — " + self.config.project
        lines = [
            '#import "slides.typ": *\n',
            (
                f"#show: deck.with(lang: {string(language)}, doc-title: {string(doc_title)}, "
                f"date: {typesetting.typst_date()})\n\n"
            ),
        ]
        for number, item in enumerate(slides, 1):
            heading, _u = self.typst_of([nodes.paragraph("", "", *[c.deepcopy() for c in item.title])])
            body, found = self.typst_of(item.body)
            urls.update(found)
            if item.kind == "title":
                book, edition, date = (p.astext() for p in item.body)
                lines.append(
                    f"#title-slide(book: {string(book)}, edition: {string(edition)}, date: {string(date)})"
                    f"[{heading.strip()}]\n\n"
                )
            else:
                lines.append(f"#slide(kind: {string(item.kind)}, number: {number})[{heading.strip()}][\n{body}]\n\n")
        source = folder / f"{chapter}-{language}.typ"
        source.write_text("".join(lines), encoding="utf-8")
        return source, folder / f"{chapter}-{language}.pdf", urls

    def finish(self) -> None:
        super().finish()
        fonts = Path(self.outdir) / "_static" / "fonts"
        fonts.mkdir(parents=True, exist_ok=True)
        for name in DECK_FONTS:
            shutil.copyfile(typesetting.FONTS / name, fonts / name)
        shutil.copyfile(typesetting.FONTS / "OFL.txt", fonts / "OFL.txt")
        compile_pdfs(Path(self.outdir), self.pdf_queue, "slides PDF files")


def write_deck_index(app: Sphinx, exception: Exception | None) -> None:
    """``index.html`` of the decks folder: a list of the decks (replaces the site's redirect)."""
    from html import escape

    if exception or app.builder.name != SlidesBuilder.name:
        return
    builder: SlidesBuilder = app.builder  # type: ignore[assignment]
    language = app.config.language or "en"
    items = "".join(
        f'<li><a href="{chapter}.html">{escape(title)}</a> '
        f'(<a href="{PDF_FOLDER_PUBLISHED}{chapter}-{language}.pdf">PDF</a>)</li>'
        for chapter, title in builder.titles.items()
    )
    heading = f"{escape(str(_('Slides')))} · {escape(app.config.project)}"
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{direction(language)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{heading}</title></head>'
        f"<body><main><h1>{heading}</h1><ul>{items}</ul></main></body></html>\n"
    )
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write_deck_index, priority=800)
    app.add_node(slide, html=(visit_slide_html, None))
    app.add_node(slide_notes, html=(visit_slide_notes, depart_slide_notes))
    app.add_directive("slide", SlideDirective)
    app.add_builder(SlidesBuilder)
    app.connect("doctree-resolved", unwrap_slides, priority=100)
    app.connect("doctree-resolved", add_slides_link, priority=600)
