"""MyST-Parser's Sphinx parser, made cheap to call many times.

Sphinx parses every translated message on its own (a translated build of this size parses
thousands). For each call MyST-Parser builds a new Markdown parser with its plugins, and its
renderer makes a throwaway document with default settings (docutils' option parser, hundreds of
options) even when Sphinx hands it the document: together about half of a translated build.
Here the Markdown parser is kept per configuration and the default settings are made once;
what is parsed, and how, is MyST-Parser's own.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document
from markdown_it import MarkdownIt
from myst_parser.config.main import MdParserConfig, TopmatterReadError, merge_file_level, read_topmatter
from myst_parser.mdit_to_docutils import base
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import MystWarnings, create_warning
from sphinx.application import Sphinx

from . import shared


@functools.cache
def _default_settings(parser_cls: type) -> Any:
    return get_default_settings(parser_cls)


def make_document(source_path: str = "notset", parser_cls: type = RSTParser) -> nodes.document:
    """MyST-Parser's ``make_document`` with the default settings made once (each document
    gets its own copy)."""
    return new_document(source_path, settings=copy.copy(_default_settings(parser_cls)))


class CurriculumMystParser(MystParser):
    """MyST-Parser's Sphinx parser; one Markdown parser per configuration, reused."""

    #: Markdown parsers by the configuration they were made with (equal configurations share).
    _parsers: list[tuple[MdParserConfig, MarkdownIt]] = []
    _busy: set[int] = set()

    def parse(self, inputstring: str, document: nodes.document) -> None:
        if shared.begin(document, inputstring):  # the other edition read this page already
            return
        config: MdParserConfig = document.settings.env.myst_config
        try:
            topmatter = read_topmatter(inputstring)
        except TopmatterReadError:
            topmatter = None  # reported during the render, as upstream
        if topmatter:  # the file's own `myst:` settings, merged as upstream does

            def warning(wtype: MystWarnings, msg: str) -> None:
                create_warning(document, msg, wtype, line=1, append_to=document)

            config = merge_file_level(config, topmatter, warning)
        parser = self._parser(config)
        if id(parser) in self._busy:  # a parse inside a parse: never share a renderer mid-render
            parser = create_md_parser(config, SphinxRenderer)
        self._busy.add(id(parser))
        try:
            parser.options["document"] = document
            parser.render(inputstring)
        finally:
            parser.options.pop("document", None)
            self._busy.discard(id(parser))

    def _parser(self, config: MdParserConfig) -> MarkdownIt:
        for made_with, parser in self._parsers:
            if made_with == config:
                return parser
        parser = create_md_parser(config, SphinxRenderer)
        self._parsers.append((config, parser))
        return parser


def setup(app: Sphinx) -> None:
    # the renderer calls base.make_document as a default argument on every render
    base.make_document = make_document
    app.add_source_parser(CurriculumMystParser, override=True)
