"""Typst markup from the assembled book's doctree.

:class:`TypstTranslator` walks one document of the book (the tree the ``handbook-pdf``
builder assembles, ids already unique across the book) and writes Typst markup that
uses the functions of ``book.typ``. Every text node goes through :func:`escape`; a node
type it does not know stops the build with :class:`UnknownNode`, naming the type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from docutils import nodes
from sphinx import addnodes

#: Characters that mean something in Typst markup (at a line start or anywhere).
SPECIAL = set("\\#$*_`<>@[]/~'\"-=+.:,;()%&!?{}|^")

LABEL_CHARS = re.compile(r"[^A-Za-z0-9_.:-]")
LATIN = re.compile(r"[A-Za-z]")
#: A run of English words (with the digits and punctuation between them) in another language's text.
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9’'.,&/()\-: ]*[A-Za-z0-9)]|[A-Za-z]")
RTL_LETTERS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def english_runs(text: str) -> Iterator[tuple[int, int]]:
    """Where the runs of English words are in ``text`` (start, end), each without a closing
    bracket it does not open: in "يوروميد للهجرة (EUROMED Migration)" both brackets stay in the
    Arabic around the run, which lays them out as a pair; one inside the left-to-right run and
    one outside showed as "((EUROMED Migration"."""
    for match in LATIN_RUN.finditer(text):
        run = match.group()
        while run.endswith(")") and run.count(")") > run.count("("):
            run = run[:-1].rstrip(" .,:&/-’'")
        if run:
            yield match.start(), match.start() + len(run)


class UnknownNode(Exception):
    """The Typst writer met a node type it cannot render."""


def escape(text: str) -> str:
    """``text`` as Typst markup showing exactly that text (whitespace collapsed like HTML)."""
    text = re.sub(r"\s+", " ", text)
    return "".join("\\" + char if char in SPECIAL else char for char in text)


def string(text: str) -> str:
    """``text`` as a Typst string literal."""
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "").replace("\t", "    ")
        + '"'
    )


def label(identifier: str) -> str:
    """A docutils id as a Typst label name."""
    return LABEL_CHARS.sub("-", identifier)


class TypstTranslator(nodes.NodeVisitor):
    """Writes Typst markup for one document; ``body`` holds it after ``walkabout``."""

    def __init__(
        self,
        document: nodes.document,
        *,
        language: str = "en",
        known_ids: set[str] | None = None,
        images: dict[str, str] | None = None,
        heading_offset: int = 0,
        exercise: bool = False,
        warn: Callable[[str, nodes.Node], None] | None = None,
        aliases: dict[str, str] | None = None,
    ) -> None:
        super().__init__(document)
        self.language = language
        self.exercise = exercise  # an exercise's sections are bookmarked, not listed in the contents
        self.body: list[str] = []
        self.section_level = heading_offset
        self.known_ids = known_ids if known_ids is not None else set()
        # every id of a node is written as its first id (one label per element, no empty paragraphs)
        self.aliases = dict(aliases or {})
        for element in document.findall(nodes.Element):
            for other in element.get("ids", [])[1:]:
                self.aliases.setdefault(other, element["ids"][0])
        self.images = images or {}
        self.warn = warn or (lambda message, node: None)
        self.footnotes: dict[str, nodes.footnote] = {i: n for n in document.findall(nodes.footnote) for i in n["ids"]}
        self.urls: dict[str, str] = {}  # external URL -> its link text (for the annotations)
        self.contents: list[str] = []  # the book's contents entries: `(level, <label>, title)`
        self.in_table = 0
        self.in_link = 0

    # --- helpers ----------------------------------------------------------------------------

    def add(self, text: str) -> None:
        self.body.append(text)

    def render(self, node: nodes.Node) -> str:
        """Markup for ``node``'s children, without touching ``body``."""
        saved, self.body = self.body, []
        for child in node.children:
            child.walkabout(self)
        text, self.body = "".join(self.body), saved
        return text

    def render_nodes(self, children: list[nodes.Node]) -> str:
        saved, self.body = self.body, []
        for child in children:
            child.walkabout(self)
        text, self.body = "".join(self.body), saved
        return text

    def labels(self, node: nodes.Element) -> str:
        """An inline anchor for ``node`` (its first id), to put inside its content."""
        ids = node.get("ids", [])
        return f"#metadata(none) <{label(ids[0])}>" if ids else ""

    def suffix(self, node: nodes.Element) -> str:
        """The label of a block element, written right after it."""
        ids = node.get("ids", [])
        return f" <{label(ids[0])}>" if ids else ""

    def english(self, node: nodes.Element) -> bool:
        return self.language != "en" and "language-en" in node.get("classes", ())

    def wrap_language(self, node: nodes.Element, markup: str, sans: bool = False) -> str:
        if self.english(node):
            return f"#{'en-sans' if sans else 'en'}[{markup}]"
        return markup

    def latin_only(self, text: str) -> bool:
        return self.language != "en" and bool(LATIN.search(text)) and not RTL_LETTERS.search(text)

    def unknown_visit(self, node: nodes.Node) -> None:
        raise UnknownNode(
            f"the Typst writer cannot render a {type(node).__module__}.{type(node).__name__} node "
            f"({getattr(node, 'source', None) or 'unknown source'}:{getattr(node, 'line', None) or '?'})"
        )

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    def skip(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    # --- structure ----------------------------------------------------------------------------

    def visit_document(self, node: nodes.document) -> None:
        pass

    def depart_document(self, node: nodes.document) -> None:
        pass

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1
        classes = node.get("classes", ())
        title = node[0] if len(node) and isinstance(node[0], nodes.title) else None
        level = self.section_level
        heading = ""
        if title is not None:
            text = self.render(title)
            first = f" <{label(node['ids'][0])}>" if node.get("ids") else ""
            listed = ", outlined: false, bookmarked: true" if self.exercise and level > 1 else ""
            english = self.english(title)
            # an English heading in another language's book: the whole heading left to right, and
            # its text marked English inside too, so its entry in the contents is tagged /Lang en
            body = f'#text(lang: "en")[{text}]' if english else text
            heading = f"#heading(level: {min(level, 6)}{listed})[{body}]{first}"
            if first and level <= 2 and not listed:
                entry = string(title.astext())
                entry = f'text(lang: "en", {entry})' if english else entry
                self.contents.append(f"({level},{first}, {entry})")
            heading = (f"#en-sans[{heading}]" if english else heading) + "\n\n"
        rest = self.render_nodes(list(node.children[1:] if title is not None else node.children))
        if "trainer-section" in classes:
            self.add(f"#trainer-section[\n{heading}{rest}]\n\n")
        else:
            self.add(heading + rest)
        self.section_level -= 1
        raise nodes.SkipNode

    def visit_title(self, node: nodes.title) -> None:
        # titles of sections, admonitions, tables and figures are written by their parent
        self.add(f"#strong[{self.render(node)}]\n\n")
        raise nodes.SkipNode

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        classes = node.get("classes", ())
        text = self.labels(node) + self.render(node)
        if "exercise-number-line" in classes:
            self.add(f"#exercise-number[{text}]\n\n")
        else:
            self.add(self.wrap_language(node, text) + "\n\n")
        raise nodes.SkipNode

    def visit_compound(self, node: nodes.Element) -> None:
        pass

    def depart_compound(self, node: nodes.Element) -> None:
        pass

    visit_glossary = visit_compound
    depart_glossary = depart_compound

    def visit_container(self, node: nodes.container) -> None:
        classes = node.get("classes", ())
        inner = self.render(node)
        if "learning-outcomes" in classes:
            self.add(f"#outcomes-box[\n{inner}]{self.suffix(node)}\n\n")
        elif "meeting-diagram-body" in classes and len(node.children) == 2:
            levels, support = (self.render_nodes([child]) for child in node.children)
            self.add(f"#grid(columns: (3fr, 1.4fr), column-gutter: 4mm, [{levels}], [{support}])\n\n")
        else:
            self.add(inner)
        raise nodes.SkipNode

    def visit_block_quote(self, node: nodes.block_quote) -> None:
        self.add(f"#quote(block: true)[\n{self.render(node)}]{self.suffix(node)}\n\n")
        raise nodes.SkipNode

    def visit_attribution(self, node: nodes.attribution) -> None:
        self.add(f"— {self.render(node)}\n\n")
        raise nodes.SkipNode

    def visit_rubric(self, node: nodes.rubric) -> None:
        function = "agenda-day" if "agenda-day" in node.get("classes", ()) else "rubric"
        self.add(f"#{function}[{self.labels(node)}{self.wrap_language(node, self.render(node), sans=True)}]\n\n")
        raise nodes.SkipNode

    def visit_transition(self, node: nodes.transition) -> None:
        self.add("#pdf.artifact(line(length: 100%, stroke: 0.5pt))\n\n")
        raise nodes.SkipNode

    def visit_admonition(self, node: nodes.Element) -> None:
        classes = node.get("classes", ())
        title = ""
        children = list(node.children)
        if children and isinstance(children[0], nodes.title):
            title = self.wrap_language(children[0], self.render(children[0]))
            children = children[1:]
        elif not isinstance(node, nodes.admonition):
            title = escape(node.tagname.capitalize())
        body = self.render_nodes(children)
        function = "trainer-note" if "trainer-note" in classes else "admonition"
        self.add(f"#{function}(title: [{title}])[\n{body}]{self.suffix(node)}\n\n")
        raise nodes.SkipNode

    visit_note = visit_tip = visit_warning = visit_important = visit_caution = visit_attention = visit_admonition
    visit_danger = visit_error = visit_hint = visit_seealso = visit_admonition

    # --- lists ----------------------------------------------------------------------------------

    def items(self, node: nodes.Element) -> list[str]:
        return [
            f"[{self.labels(item)}{self.render(item).strip()}]"
            for item in node.children
            if isinstance(item, nodes.list_item)
        ]

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        classes = node.get("classes", ())
        if "timeline-events" in classes:
            events = []
            for item in node.children:
                date, text = (self.inline(p) for p in item.children[:2])
                events.append(f"([{self.labels(item)}{date}], [{text}])")
            # book.typ lays the events out as a list; slides.typ as a two-column grid
            self.add(f"#timeline(({', '.join(events)},))\n\n")
        elif "meeting-support" in classes:
            items = [f"[{self.labels(item)}#meeting-support-item[{self.meeting_box(item)}]]" for item in node.children]
            self.add(f"#list(marker: text(fill: navy)[•], indent: 0mm, body-indent: 1.5mm, {', '.join(items)})")
        else:
            self.add(self.whole_list(node, f"#list({', '.join(self.items(node))})") + "\n\n")
        raise nodes.SkipNode

    def whole_list(self, node: nodes.Element, markup: str) -> str:
        """An untranslated list in another language's book is laid out as an English block."""
        paragraphs = list(node.findall(nodes.paragraph))
        if self.language != "en" and paragraphs and all(self.english(p) for p in paragraphs):
            return f"#en[{markup}]"
        return markup

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        classes = node.get("classes", ())
        if "meeting-levels" in classes:
            boxes = []
            for number, item in enumerate(node.children):
                arrow = "#meeting-arrow " if number else ""
                boxes.append(f"[{self.labels(item)}{arrow}#meeting-level[{self.meeting_box(item)}]]")
            self.add(
                f'#enum(numbering: n => text(weight: "bold", fill: navy)[#n], indent: 0mm, body-indent: 1.5mm, spacing: 0mm, {", ".join(boxes)})'
            )
            raise nodes.SkipNode
        start = node.get("start", 1)
        numbering = {
            "arabic": "1.",
            "loweralpha": "a.",
            "upperalpha": "A.",
            "lowerroman": "i.",
            "upperroman": "I.",
        }.get(node.get("enumtype", "arabic"), "1.")
        self.add(
            self.whole_list(
                node, f"#enum(start: {start}, numbering: {string(numbering)}, {', '.join(self.items(node))})"
            )
            + "\n\n"
        )
        raise nodes.SkipNode

    def meeting_box(self, item: nodes.Element) -> str:
        parts = []
        for paragraph in item.children:
            classes = paragraph.get("classes", ())
            text = self.inline(paragraph)
            if "meeting-name" in classes:
                parts.append(f"#meeting-name[{text}]")
            else:
                parts.append(f"#small[{text}]")
        return " \\\n".join(parts)

    def inline(self, paragraph: nodes.Node) -> str:
        """A paragraph's content without the paragraph break (for figure parts and cells)."""
        if isinstance(paragraph, nodes.paragraph):
            return self.wrap_language(paragraph, self.labels(paragraph) + self.render(paragraph))
        return self.render_nodes([paragraph]).strip()

    def visit_list_item(self, node: nodes.list_item) -> None:
        self.add(self.render(node))
        raise nodes.SkipNode

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        entries = []
        for item in node.children:
            terms = [child for child in item.children if isinstance(child, nodes.term)]
            definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
            term_text = " ".join(self.labels(term) + self.wrap_language(term, self.render(term)) for term in terms)
            body = self.render(definition).strip() if definition is not None else ""
            entries.append(f"terms.item([{self.labels(item)}{term_text}], [{body}])")
        self.add(f"#terms(separator: [#linebreak()], hanging-indent: 6mm, spacing: 2mm, {', '.join(entries)})\n\n")
        raise nodes.SkipNode

    def visit_field_list(self, node: nodes.field_list) -> None:
        pairs = []
        for field in node.children:
            name = self.render(field[0])
            body = self.render(field[1]).strip()
            pairs.append(f"([{name}], [{body}])")
        grid = f"#fields({', '.join(pairs)})"
        if "exercise-summary" in node.get("classes", ()):
            self.add(f"#summary-box[{grid}]{self.suffix(node)}\n\n")
        else:
            self.add(f"{grid}{self.suffix(node)}\n\n")
        raise nodes.SkipNode

    # --- tables -----------------------------------------------------------------------------------

    def visit_table(self, node: nodes.table) -> None:
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        group = next(c for c in node.children if isinstance(c, nodes.tgroup))
        widths = [spec.get("colwidth", 1) for spec in group.children if isinstance(spec, nodes.colspec)]
        if "colwidths-auto" in node.get("classes", ()):  # Markdown tables: sized to their content, like HTML
            columns = ", ".join("auto" for _ in widths) or "auto"
        else:  # widths given by the source (list tables, the agenda, the coverage matrix)
            columns = ", ".join(f"{w}fr" for w in widths) or "1fr"
        self.in_table += 1
        cells: list[str] = []
        for part in group.children:
            if isinstance(part, (nodes.thead, nodes.tbody)):
                rendered = []
                for row in part.children:
                    agenda_break = "agenda-break" in row.get("classes", ())
                    for entry in row.children:
                        arguments = []
                        if entry.get("morecols"):
                            arguments.append(f"colspan: {entry['morecols'] + 1}")
                        if entry.get("morerows"):
                            arguments.append(f"rowspan: {entry['morerows'] + 1}")
                        if agenda_break:
                            arguments.append('fill: rgb("#f2f2f2")')
                        if isinstance(part, nodes.thead):
                            arguments.append('fill: rgb("#e8edf2")')
                        if "covered" in entry.get("classes", ()):
                            arguments.append("align: center")
                        content = "".join(
                            self.inline(p) if i == 0 else "\n\n" + self.inline(p) for i, p in enumerate(entry.children)
                        )
                        if not content.strip():
                            content = "#text(fill: luma(60%))[–]"
                        if agenda_break:
                            content = f"#emph[{content}]"
                        rendered.append(f"table.cell({', '.join(arguments)})[{self.labels(entry)}{content}]")
                if isinstance(part, nodes.thead):
                    cells.append(f"table.header({', '.join(rendered)})")
                else:
                    cells.extend(rendered)
        self.in_table -= 1
        size = ""
        if "coverage-matrix" in node.get("classes", ()):
            size = "#set text(size: 8pt)\n"
        table = f"table(columns: ({columns},), {', '.join(cells)})"
        if title is not None:
            self.add(
                f"#figure(kind: table, numbering: none, caption: [{self.wrap_language(title, self.render(title))}], {table}){self.suffix(node)}\n\n"
            )
        else:
            self.add(f"#[{size}#{table}{self.suffix(node)}]\n\n")
        raise nodes.SkipNode

    # --- figures and images -------------------------------------------------------------------

    def visit_figure(self, node: nodes.figure) -> None:
        caption = next((c for c in node.children if isinstance(c, nodes.caption)), None)
        body = [c for c in node.children if not isinstance(c, (nodes.caption, nodes.legend))]
        legend = next((c for c in node.children if isinstance(c, nodes.legend)), None)
        content = self.render_nodes(body)
        if legend is not None:
            content += self.render(legend)
        caption_markup = f", caption: [{self.render(caption)}]" if caption is not None else ""
        kind = "image" if any(isinstance(c, nodes.image) for c in body) else '"data", supplement: none'
        # A data figure is real text (a tagged list under a caption); an alt text would hide it
        # from assistive technology, so it gets none. Images carry their own alt text.
        alt_markup = ""
        self.add(
            f"#figure(kind: {kind}{caption_markup}{alt_markup}, numbering: none, "
            f"gap: 2mm)[\n#set align(start)\n{content}]{self.suffix(node)}\n\n"
        )
        raise nodes.SkipNode

    visit_data_figure = visit_figure  # the timeline and the meeting diagram (sphinxext/figures.py)

    def visit_image(self, node: nodes.image) -> None:
        uri = node["uri"]
        path = self.images.get(uri, uri)
        alt = node.get("alt", "")
        width = ""
        if node.get("width", "").endswith("%"):
            width = f", width: {node['width']}"
        self.add(f"#image({string(path)}, alt: {string(alt)}{width}){self.suffix(node)}\n\n")
        raise nodes.SkipNode

    def visit_caption(self, node: nodes.caption) -> None:
        self.add(self.wrap_language(node, self.render(node)))
        raise nodes.SkipNode

    def visit_legend(self, node: nodes.legend) -> None:
        self.add(self.render(node))
        raise nodes.SkipNode

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        # a blank line would be an empty /P in the tags: give it a no-break space
        text = "\n".join(line if line.strip() else "\u00a0" for line in node.astext().split("\n"))
        self.add(f"#literal-block(raw(block: true, {string(text)})){self.suffix(node)}\n\n")
        raise nodes.SkipNode

    # --- footnotes ------------------------------------------------------------------------------

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        footnote = self.footnotes.get(node.get("refid", ""))
        if footnote is None:
            self.add(escape(node.astext()))
        else:
            content = self.render_nodes([c for c in footnote.children if not isinstance(c, nodes.label)]).strip()
            self.add(f"#footnote[{content}]")
        raise nodes.SkipNode

    def visit_footnote(self, node: nodes.footnote) -> None:
        raise nodes.SkipNode  # written where it is referenced

    # --- inline -----------------------------------------------------------------------------------

    def visit_Text(self, node: nodes.Text) -> None:
        text = node.astext()
        if self.language == "en" or not LATIN.search(text) or self.inside_english(node):
            self.add(escape(text))
            return
        # English words inside a passage in another language: tagged /Lang en, laid out left to right
        position = 0
        for start, end in english_runs(text):
            self.add(escape(text[position:start]))
            self.add(f"#en[{escape(text[start:end])}]")
            position = end
        self.add(escape(text[position:]))

    def inside_english(self, node: nodes.Node) -> bool:
        parent = node.parent
        while parent is not None:
            if "language-en" in parent.get("classes", ()) or isinstance(parent, (nodes.literal, nodes.literal_block)):
                return True
            parent = parent.parent
        return False

    def depart_Text(self, node: nodes.Text) -> None:
        pass

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        self.add(f"#emph[{self.render(node)}]")
        raise nodes.SkipNode

    def visit_strong(self, node: nodes.strong) -> None:
        self.add(f"#strong[{self.render(node)}]")
        raise nodes.SkipNode

    def visit_literal(self, node: nodes.literal) -> None:
        text = node.astext()
        if self.latin_only(text) or self.language == "en":
            self.add(f"#code({string(text)})")
        else:
            self.add(f"#raw({string(text)})")
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.inline) -> None:
        self.add(self.labels(node) + self.wrap_language(node, self.render(node)))
        raise nodes.SkipNode

    visit_abbreviation = visit_acronym = visit_inline

    def visit_subscript(self, node: nodes.Element) -> None:
        self.add(f"#sub[{self.render(node)}]")
        raise nodes.SkipNode

    def visit_superscript(self, node: nodes.Element) -> None:
        self.add(f"#super[{self.render(node)}]")
        raise nodes.SkipNode

    def visit_reference(self, node: nodes.reference) -> None:
        text = self.render(node)
        uri = node.get("refuri", "")
        target = node.get("refid") or (uri[1:] if uri.startswith("#") else "")
        if target or node.get("internal"):
            target = target or uri.rpartition("#")[2]
            target = self.aliases.get(target, target)
            if target not in self.known_ids:
                self.warn(f"the PDF has no target for the link to {target!r}", node)
                self.add(text)
                raise nodes.SkipNode
            term = any("std-term" in child.get("classes", ()) for child in node.findall(nodes.inline))
            page = "" if term or (self.in_table and self.coverage(node)) else f"#page-ref(<{label(target)}>)"
            self.add(f"#link(<{label(target)}>)[{text}]{page}")
        elif uri:
            words = node.astext().strip()
            self.urls.setdefault(uri, words)
            shown = uri[len("mailto:") :] if uri.startswith("mailto:") else uri
            show_url = "" if words in (uri, shown) else f" #url({string(shown)})"
            self.add(f"#link({string(uri)})[{text}]{show_url}")
        else:
            self.add(text)
        raise nodes.SkipNode

    def coverage(self, node: nodes.Node) -> bool:
        parent = node.parent
        while parent is not None:
            if "coverage-matrix" in parent.get("classes", ()):
                return True
            parent = parent.parent
        return False

    def visit_target(self, node: nodes.target) -> None:
        # a target's ids point at the element it precedes (docutils moves them there); any left
        # are anchored inline
        self.add(self.labels(node))
        raise nodes.SkipNode

    def visit_problematic(self, node: nodes.Element) -> None:
        self.add(escape(node.astext()))
        raise nodes.SkipNode

    # nodes with nothing to print
    visit_comment = visit_index = visit_raw = visit_substitution_definition = skip
    visit_toctree = visit_start_of_file = visit_meta = visit_system_message = skip

    def visit_label(self, node: nodes.Element) -> None:
        raise nodes.SkipNode


def known_ids(tree: nodes.Node) -> set[str]:
    """Every id in ``tree``: the link targets the Typst markup will have."""
    ids: set[str] = set()
    for node in tree.findall(nodes.Element):
        ids.update(node.get("ids", ()))
    return ids


class Translation(NamedTuple):
    """A document as Typst: its markup, its external links (URL -> link text) and its
    entries for the book's contents (``(level, <label>, title)``, level 1 and 2)."""

    typst: str
    urls: dict[str, str]
    contents: list[str]


def translate(document: nodes.document, **options: Any) -> Translation:
    """Typst markup for ``document``, with its links and contents entries."""
    visitor = TypstTranslator(document, **options)
    document.walkabout(visitor)
    return Translation("".join(visitor.body), visitor.urls, visitor.contents)


__all__ = [
    "Translation",
    "TypstTranslator",
    "UnknownNode",
    "addnodes",
    "escape",
    "known_ids",
    "label",
    "string",
    "translate",
]
