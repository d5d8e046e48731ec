"""The editions of one language read each page once between them.

Until trainer-only material is removed (priority 810, :mod:`.editions`), a page reads the same
in both editions: parsed, translated and its exercises and outcomes laid out alike. So the
first edition to read a page keeps its document as it stands just before that removal, and the
other, built in the same ``curriculum build``, takes it instead of parsing and translating the
page again (for this curriculum, about 7 % of the work of every output).

A page is kept only when its reading depends on nothing but its text, the language and the
builder (it is taken by the same builder only):

- not a page whose directives consult the build (:func:`read_per_edition`: the agenda's
  columns, the trainer's toctree, the pages that summarise the curriculum), nor one with a
  toctree (it lists the documents the edition has) or a pending transform (it would be lost);
- not a page whose reading logged a warning (the other edition must report it too);
- what the reading left outside the document (the files it depends on, MyST's metadata, the
  settings it set, the objects its directives registered in a domain) is kept with it and put
  back.

The folder is the build's, one per language (``curriculum_shared_reads``, set by ``curriculum
build`` for the length of one build); without it, every page is read as usual.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util.logging import NAMESPACE as SPHINX_LOGGER

from .editions import RemoveTrainerOnly

#: Transforms from this priority on run in each edition; those before it, only by the reader.
EDITION_PRIORITY = RemoveTrainerOnly.default_priority

#: What a reading keeps in ``env.current_document`` (cleared after each document).
TEXT, WARNINGS, DOMAINS = "curriculum_shared_text", "curriculum_shared_warnings", "curriculum_shared_domains"
PER_EDITION = "curriculum_per_edition"

#: The domains whose objects registered while a page is read are put back with it: the standard
#: domain (a glossary's terms, labels); its data merge takes the objects of one document. A page
#: that registers objects in another domain is read by each edition.
KEPT_DOMAINS = {"std"}

#: Settings of a document that are the build's, never kept (Sphinx drops them from its doctrees too).
BUILD_SETTINGS = ("env", "warning_stream", "record_dependencies")

#: The stand-in, in a kept document's pickle, for the document itself.
DOCUMENT = "document"


def read_per_edition(env: BuildEnvironment) -> None:
    """Say that the page being read depends on the edition (or on the whole curriculum): each
    edition reads it."""
    env.current_document[PER_EDITION] = True


class WarningCount(logging.Handler):
    """Counts the warnings Sphinx logs (while it reads, it holds them back from its own count)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


#: The warnings of every build in this process, counted.
WARNINGS_LOGGED = WarningCount()


def _folder(env: BuildEnvironment) -> Path | None:
    value: str = env.config.curriculum_shared_reads
    return Path(value) if value else None


def _domains(env: BuildEnvironment) -> dict[str, str]:
    """A fingerprint of each domain's objects, to see which a reading added to."""
    return {
        d.name: hashlib.sha256(pickle.dumps(d.data, pickle.HIGHEST_PROTOCOL)).hexdigest() for d in env.domains.values()
    }


def _entry_path(folder: Path, docname: str) -> Path:
    return folder / f"{docname}.pickle"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def begin(document: nodes.document, text: str) -> bool:
    """Called by the parser before it parses ``text`` into ``document``. When the other edition
    kept this page, as read from the same ``text``, ``document`` becomes that reading and only
    the transforms from :data:`EDITION_PRIORITY` on are left to run: returns True (do not parse)."""
    env: BuildEnvironment = document.settings.env
    current = env.current_document
    if TEXT in current:  # a parse within the page's (a message, a directive's content)
        return False
    current[TEXT] = digest = _digest(text)
    current[WARNINGS] = WARNINGS_LOGGED.count
    if (folder := _folder(env)) is None:
        return False
    entry = _kept(folder, env.docname, document)
    if entry is None or entry["text"] != digest or entry["builder"] != env._builder_cls.name:
        current[DOMAINS] = _domains(env)  # read here: what it registers is seen by KeepReading
        return False
    document.__dict__.update(entry["document"])
    for name, value in entry["settings"].items():
        setattr(document.settings, name, value)
    for path in entry["record_dependencies"]:
        document.settings.record_dependencies.add(path)
    env.dependencies[env.docname].update(entry["dependencies"])
    if entry["metadata"] is not None:
        env.metadata[env.docname] = entry["metadata"]
    if entry["terms"] is not None:  # what its directives registered (a glossary's terms)
        env.domains.standard_domain.merge_domaindata({env.docname}, entry["terms"])
    transformer = document.transformer
    transformer.transforms = [t for t in transformer.transforms if int(t[0][:3]) >= EDITION_PRIORITY]
    return True


def _kept(folder: Path, docname: str, document: nodes.document) -> dict[str, Any] | None:
    """What the other edition kept of ``docname``, its document's nodes made ``document``'s."""
    try:
        data = _entry_path(folder, docname).read_bytes()
    except OSError:
        return None
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda token: document if token == DOCUMENT else None  # type: ignore[method-assign]
    entry: dict[str, Any] = unpickler.load()
    return entry


def _registered(env: BuildEnvironment, before: dict[str, str]) -> set[str]:
    """The domains the reading of the current page has added objects to."""
    return {name for name, fingerprint in _domains(env).items() if before.get(name) != fingerprint}


class KeepReading(SphinxTransform):
    """Keep the page as read so far, for the other edition (see the module's docstring)."""

    # the last step both editions share: every earlier transform has run, none of the edition's
    default_priority = EDITION_PRIORITY - 1

    def apply(self, **kwargs: object) -> None:
        env, document = self.env, self.document
        folder = _folder(env)
        current = env.current_document
        if (
            folder is None
            or DOMAINS not in current
            or current.get(PER_EDITION)
            or WARNINGS_LOGGED.count != current.get(WARNINGS)
            or env.docname in env.reread_always
            or env.included.get(env.docname)
            or not (registered := _registered(env, current[DOMAINS])) <= KEPT_DOMAINS
            or next(document.findall(lambda n: isinstance(n, addnodes.toctree | nodes.pending)), None) is not None
        ):
            return
        settings = {k: v for k, v in vars(document.settings).items() if k not in BUILD_SETTINGS}
        state = {
            k: v for k, v in document.__dict__.items() if k not in ("settings", "reporter", "transformer", "_document")
        }
        entry = {
            "text": current[TEXT],
            "builder": env._builder_cls.name,  # a transform may ask which (as smart quotes do)
            "document": state,
            "settings": settings,
            "record_dependencies": list(document.settings.record_dependencies.list),
            "dependencies": sorted(env.dependencies.get(env.docname, ())),
            "metadata": env.metadata.get(env.docname),
            "terms": env.domains.standard_domain.data if "std" in registered else None,
        }
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: DOCUMENT if obj is document else None  # type: ignore[method-assign]
        pickler.dump(entry)
        path = _entry_path(folder, env.docname)
        path.parent.mkdir(parents=True, exist_ok=True)
        # whole or not at all: the other edition may be looking for it now
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, path)


def setup(app: Sphinx) -> None:
    app.add_config_value("curriculum_shared_reads", "", "", str)
    app.add_transform(KeepReading)
    # each application starts Sphinx's logging afresh, without the handlers it had
    sphinx_logger = logging.getLogger(SPHINX_LOGGER)
    if WARNINGS_LOGGED not in sphinx_logger.handlers:
        sphinx_logger.addHandler(WARNINGS_LOGGED)
