"""Figures drawn from data in the repository: the timeline and the meeting diagram.

Both are built from YAML (``handbook/data/``) as ordinary text nodes laid out by
CSS, so their labels are real text: searchable, read by screen readers, and
extracted for translation like any paragraph. Each is a captioned figure with a
text alternative (``aria-label``) that summarises it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..source import load_yaml, read_text
from .i18n import _


class data_figure(nodes.figure):
    """A figure drawn with text and CSS, labelled for assistive technology."""


def visit_data_figure_html(self: Any, node: data_figure) -> None:
    self.body.append(self.starttag(node, "figure", "", **{"aria-label": node.get("aria-label", "")}))


def depart_data_figure_html(self: Any, node: data_figure) -> None:
    # docutils opens <figcaption> in visit_caption and closes it in depart_figure (a legend may
    # follow the caption); a figure of ours with a caption closes it here for the same reason.
    if node.next_node(nodes.caption) is not None:
        self.body.append("</figcaption>\n")
    self.body.append("</figure>\n")


def visit_data_figure_other(self: Any, node: data_figure) -> None:
    self.visit_figure(node)


def depart_data_figure_other(self: Any, node: data_figure) -> None:
    self.depart_figure(node)


class DataDirective(SphinxDirective):
    """Base: read a YAML data file relative to the source directory."""

    optional_arguments = 1
    option_spec = {"caption": directives.unchanged}
    default_data = ""

    def load(self) -> Any:
        relative = self.arguments[0] if self.arguments else self.default_data
        path = Path(self.env.srcdir) / relative
        self.env.note_dependency(str(path))
        file = read_text(path)
        if not file.readable:
            raise self.error(f"{relative}: {file.problems[0].message}")
        document, problem = load_yaml(file.text, mapping=False)
        if problem or document is None:
            raise self.error(
                f"{relative}:{problem.line if problem else 1}: {problem.message if problem else 'invalid YAML'}"
            )
        return document.data

    def text(self, text: object, kind: type[nodes.TextElement] = nodes.paragraph, **attributes: Any) -> nodes.Element:
        node = kind(str(text), str(text), **attributes)
        self.set_source_info(node)
        return node

    def figure(self, classes: list[str], caption: str, summary: str, body: nodes.Node) -> nodes.figure:
        figure = data_figure(classes=["data-figure", *classes])
        figure["aria-label"] = summary
        self.set_source_info(figure)
        figure += body
        figure += self.text(self.options.get("caption", caption), nodes.caption)
        return figure


class TimelineDirective(DataDirective):
    """``{timeline}``: events from ``timeline.yml`` (``:from:`` and ``:to:``, years: only the
    events between them, for a slide that shows part of the timeline)."""

    default_data = "handbook/data/timeline.yml"
    option_spec = {
        **DataDirective.option_spec,
        "from": directives.nonnegative_int,
        "to": directives.nonnegative_int,
    }

    def run(self) -> list[nodes.Node]:
        events = self.load()
        if not isinstance(events, list) or not events:
            raise self.error("timeline data must be a non-empty list of events")
        low, high = self.options.get("from", 0), self.options.get("to", 10**4)
        events = [e for e in events if not isinstance(e, dict) or low <= int(e.get("year", low) or low) <= high]
        if not events:
            raise self.error(f"no timeline event between {low} and {high}")
        items = nodes.bullet_list(classes=["timeline-events"])
        for event in events:
            if not isinstance(event, dict) or "label" not in event:
                raise self.error("every timeline event needs a label")
            item = nodes.list_item(classes=["timeline-event"])
            item += self.text(event.get("date", event.get("year", "")), classes=["timeline-date"])
            item += self.text(event["label"], classes=["timeline-label"])
            items += item
        first, last = events[0].get("year", ""), events[-1].get("year", "")
        summary = _("Timeline of %(count)d events, %(first)s to %(last)s") % {
            "count": len(events),
            "first": first,
            "last": last,
        }
        return [self.figure(["timeline"], _("Timeline"), summary, items)]


class MeetingDiagramDirective(DataDirective):
    """``{meeting-diagram}``: the levels of a dialogue from ``meeting-structure.yml``
    (``:names-only:``: the boxes with their names alone, for a slide)."""

    default_data = "handbook/data/meeting-structure.yml"
    option_spec = {**DataDirective.option_spec, "names-only": directives.flag}

    def run(self) -> list[nodes.Node]:
        data = self.load()
        if not isinstance(data, dict) or not isinstance(data.get("levels"), list):
            raise self.error("meeting structure data needs a list of 'levels'")
        body = nodes.container(classes=["meeting-diagram-body"])
        levels = nodes.enumerated_list(classes=["meeting-levels"])
        for level in data["levels"]:
            levels += self.box(level, "meeting-level")
        body += levels
        support = data.get("support") or []
        if support:
            column = nodes.bullet_list(classes=["meeting-support"])
            for item in support:
                column += self.box(item, "meeting-support-item")
            body += column
        names = ", ".join(str(level.get("name", "")) for level in data["levels"])
        summary = _("Diagram of the levels, from top to bottom: %s") % names
        return [self.figure(["meeting-diagram"], _("Meeting structure"), summary, body)]

    def box(self, entry: object, css: str) -> nodes.list_item:
        if not isinstance(entry, dict) or "name" not in entry:
            raise self.error("every level needs a name")
        item = nodes.list_item(classes=[css])
        item += self.text(entry["name"], classes=["meeting-name"])
        for key in () if "names-only" in self.options else ("role", "meets"):
            if entry.get(key):
                item += self.text(entry[key], classes=[f"meeting-{key}"])
        return item


def setup(app: Sphinx) -> None:
    other = (visit_data_figure_other, depart_data_figure_other)
    app.add_node(
        data_figure,
        html=(visit_data_figure_html, depart_data_figure_html),
        latex=other,
        text=other,
        man=other,
        texinfo=other,
    )
    app.add_directive("timeline", TimelineDirective)
    app.add_directive("meeting-diagram", MeetingDiagramDirective)
