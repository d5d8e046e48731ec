"""``curriculum schema``: JSON Schemas for front matter and the agenda, generated from the model.

The exercise and chapter schemas come from the model's :class:`~curriculum.model.FieldSpec`
tables; the agenda schema from the keys the agenda rules accept. They are draft 2020-12
but use only keywords that mean the same in draft-07, so editors whose YAML support
stops at draft-07 (yaml-language-server) still validate and complete with them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .model import (
    AGENDA_DAY_KEYS,
    AGENDA_ITEM_OPTIONS,
    AGENDA_KINDS,
    AGENDA_ROOT_KEYS,
    CHAPTER_FIELDS,
    EXERCISE_FIELDS,
    KEBAB,
    TIME,
    FieldSpec,
)
from .rules.frontmatter import SPHINX_KEYS

Schema = dict[str, Any]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAMES = ("exercise", "chapter", "agenda")
JSON_TYPES: dict[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
}
#: Text the checker accepts: at least one character that is not white space.
TEXT: Schema = {"type": "string", "pattern": r"\S"}
ID: Schema = {"type": "string", "pattern": KEBAB.pattern}
MINUTES: Schema = {"type": "integer", "minimum": 1}
#: Every agenda key's description, from the model's one contract of the agenda's vocabulary.
AGENDA_DESCRIPTIONS = {
    **AGENDA_ROOT_KEYS,
    **AGENDA_DAY_KEYS,
    **{kind.name: kind.description for kind in AGENDA_KINDS},
    **AGENDA_ITEM_OPTIONS,
}


def field_schema(spec: FieldSpec) -> Schema:
    """The schema of one front-matter key, as the FM rules check it."""
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    schema: Schema = {"description": spec.description}
    if spec.name == "id":
        schema |= ID
    elif spec.choices:
        schema |= {"type": "string", "enum": list(spec.choices)}
    elif kinds == (str,):
        schema |= TEXT
    elif kinds == (int,):
        schema |= MINUTES
    elif kinds == (list,):
        schema["type"] = "array"
        if spec.item_kind is str:
            schema["items"] = TEXT
        elif spec.item_kind is not None:
            schema["items"] = {"type": JSON_TYPES[spec.item_kind]}
        if spec.required:
            schema["minItems"] = 1
    elif spec.name == "product":  # the size of what participants produce: a range of words
        words = {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2}
        schema |= {
            "type": "object",
            "properties": {"words": words},
            "required": ["words"],
            "additionalProperties": False,
        }
    elif kinds == (dict,):  # learning_outcomes: kebab-case ids to text
        schema |= {"type": "object", "propertyNames": {"pattern": KEBAB.pattern}, "additionalProperties": TEXT}
    else:
        schema["type"] = [JSON_TYPES[kind] for kind in kinds]
    return schema


def front_matter_schema(title: str, fields: tuple[FieldSpec, ...], extra: tuple[str, ...] = ()) -> Schema:
    """An object schema with one property per field; unknown keys are refused."""
    properties = {spec.name: field_schema(spec) for spec in fields}
    properties |= {key: {"description": "read by Sphinx or MyST"} for key in extra}
    return {
        "$schema": DIALECT,
        "title": title,
        "type": "object",
        "properties": properties,
        "required": [spec.name for spec in fields if spec.required],
        "additionalProperties": False,
    }


def exercise_schema() -> Schema:
    return front_matter_schema("Curriculum exercise front matter (contract v1)", EXERCISE_FIELDS)


def chapter_schema() -> Schema:
    return front_matter_schema("Curriculum chapter front matter", CHAPTER_FIELDS, SPHINX_KEYS)


def agenda_schema() -> Schema:
    """``handbook/agenda.yml``: days with times and items, each of one of the model's item kinds."""

    def described(key: str, schema: Schema) -> Schema:
        return {"description": AGENDA_DESCRIPTIONS[key], **schema}

    def item(kind) -> Schema:  # an ItemKind
        keys = [kind.name, *(["minutes"] if kind.timed else []), "notes", "closing"]
        values = {"chapter": ID, "exercise": ID, "text": TEXT}
        properties = {
            kind.name: described(kind.name, values[kind.refers_to]),
            "minutes": described("minutes", MINUTES),
            "notes": described("notes", {"type": "string"}),
            "closing": described("closing", {"type": "boolean"}),
        }
        return {
            "title": f"a {kind.name}",
            "type": "object",
            "properties": {key: properties[key] for key in keys},
            "required": keys[:2] if kind.timed else keys[:1],
            "additionalProperties": False,
        }

    time = {"type": "string", "pattern": TIME.pattern}
    day_values = {
        "title": TEXT,
        "start": time,
        "end": time,
        "items": {"type": "array", "minItems": 1, "items": {"oneOf": [item(kind) for kind in AGENDA_KINDS]}},
    }
    day = {
        "type": "object",
        "properties": {key: {"description": AGENDA_DAY_KEYS[key], **day_values[key]} for key in AGENDA_DAY_KEYS},
        "required": ["start", "end", "items"],
        "additionalProperties": False,
    }
    root_values = {"title": TEXT, "days": {"type": "array", "minItems": 1, "items": day}}
    return {
        "$schema": DIALECT,
        "title": "Curriculum agenda (handbook/agenda.yml)",
        "type": "object",
        "properties": {key: {"description": AGENDA_ROOT_KEYS[key], **root_values[key]} for key in AGENDA_ROOT_KEYS},
        "required": ["days"],
        "additionalProperties": False,
    }


def schemas() -> dict[str, Schema]:
    """Every schema by name."""
    return {"exercise": exercise_schema(), "chapter": chapter_schema(), "agenda": agenda_schema()}


def dumps(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(folder: Path, names: tuple[str, ...] = NAMES) -> list[Path]:
    """Write ``<name>.schema.json`` for each of ``names`` into ``folder``; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    every = schemas()
    written = []
    for name in names:
        path = folder / f"{name}.schema.json"
        path.write_text(dumps(every[name]), encoding="utf-8")
        written.append(path)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``curriculum schema``."""
    parser.add_argument("name", nargs="?", choices=(*NAMES, "all"), default="all", help="which schema (default: all)")
    parser.add_argument(
        "--output", type=Path, metavar="DIR", help="write NAME.schema.json files into DIR instead of printing"
    )


def run(args: argparse.Namespace, root: Path) -> int:
    """Print the schema (all of them as one object keyed by name), or write them to ``--output``."""
    names = NAMES if args.name == "all" else (args.name,)
    if args.output is None:
        every = schemas()
        sys.stdout.write(dumps(every if args.name == "all" else every[args.name]))
        return 0
    try:
        paths = write(args.output, names)
    except OSError as error:
        print(f"curriculum schema: error: cannot write to '{args.output}': {error.strerror}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0
