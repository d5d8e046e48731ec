"""An independent check of a tagged PDF's structure (PDF/UA-1 matters), read with pikepdf.

:func:`check` returns the problems of one PDF, grouped by check:

- ``untagged``: marked content (or page content) that is neither in the structure tree nor
  an artifact: content-drawing operators outside any marked-content sequence with an MCID
  or an ``/Artifact`` sequence, and MCIDs that the parent tree does not map to an element;
- ``furniture-not-artifact``: page furniture ("Page 3 of 120") tagged as content;
- ``link-outside-link``: a link annotation whose structure parent is not ``/Link`` (or that
  has none);
- ``link-contents``: a link annotation whose ``/Contents`` is missing, an id or a bare URL;
- ``id-without-idtree``: structure elements with ``/ID`` while the tree has no ``/IDTree``;
- ``li-without-lbody``: ``/LI`` elements with no ``/LBody``;
- ``empty-element``: structure elements with no kids at all;
- ``english-without-lang`` (only in a PDF whose catalogue ``/Lang`` is not English): structure
  elements holding content whose text is mostly Latin letters, with no ``/Lang en`` on the
  element, an ancestor below the root, or the marked content itself.

It decodes text through each font's ``/ToUnicode`` map, so it needs no other PDF library.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf

CHECKS = (
    "untagged",
    "furniture-not-artifact",
    "link-outside-link",
    "link-contents",
    "id-without-idtree",
    "li-without-lbody",
    "empty-element",
    "english-without-lang",
)

DRAWING = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "BI"}
TEXT = {"Tj", "TJ", "'", '"'}
URL = re.compile(r"^(?:https?://|mailto:|www\.)\S*$", re.I)
IDENT = re.compile(r"^#?[A-Za-z0-9]+(?:[-_.:#/][A-Za-z0-9]+)*$")
LATIN = re.compile(r"[A-Za-z]")
FURNITURE = re.compile(
    r"^\s*(?:Page|\u0635\u0641\u062d\u0629)\s*[0-9\u0660-\u0669]+\s*(?:of|\u0645\u0646)\s*[0-9\u0660-\u0669]+\s*$"
)
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


# --- text through /ToUnicode -----------------------------------------------------------------


def _hex(value: str) -> bytes:
    return bytes.fromhex(value if len(value) % 2 == 0 else value + "0")


def _unicode(value: bytes) -> str:
    return value.decode("utf-16-be", errors="replace")


def parse_cmap(data: bytes) -> tuple[dict[bytes, str], int]:
    """The code-to-text map of a ToUnicode CMap, and the code length in bytes."""
    text = data.decode("latin-1")
    mapping: dict[bytes, str] = {}
    width = 1
    for block in re.findall(r"begincodespacerange(.*?)endcodespacerange", text, re.S):
        codes = re.findall(r"<([0-9A-Fa-f]+)>", block)
        if codes:
            width = max(width, len(codes[0]) // 2)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[_hex(source)] = _unicode(_hex(target))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            size = len(low) // 2
            start, end = int(low, 16), int(high, 16)
            if rest.startswith("["):
                targets = re.findall(r"<([0-9A-Fa-f]*)>", rest)
                for offset, target in enumerate(targets):
                    mapping[(start + offset).to_bytes(size, "big")] = _unicode(_hex(target))
            else:
                base = _hex(rest[1:-1])
                number = int.from_bytes(base, "big") if base else 0
                for offset in range(end - start + 1):
                    value = (number + offset).to_bytes(max(len(base), 2), "big")
                    mapping[(start + offset).to_bytes(size, "big")] = _unicode(value)
    return mapping, width


class Decoder:
    def __init__(self) -> None:
        self.cache: dict[Any, tuple[dict[bytes, str], int]] = {}

    def font_map(self, font: Any) -> tuple[dict[bytes, str], int]:
        key = font.objgen if font.is_indirect else id(font)
        if key not in self.cache:
            mapping: dict[bytes, str] = {}
            width = 2 if str(font.get("/Subtype", "")) == "/Type0" else 1
            if "/ToUnicode" in font:
                mapping, cmap_width = parse_cmap(font.ToUnicode.read_bytes())
                width = cmap_width if str(font.get("/Subtype", "")) == "/Type0" else 1
            self.cache[key] = (mapping, width)
        return self.cache[key]

    def decode(self, font: Any, data: bytes) -> str:
        if font is None:
            return ""
        mapping, width = self.font_map(font)
        if not mapping:
            return data.decode("latin-1", errors="replace")
        return "".join(mapping.get(data[i : i + width], "") for i in range(0, len(data), width))


# --- walking content ---------------------------------------------------------------------------


def _walk_content(
    stream_owner: Any,
    resources: Any,
    decoder: Decoder,
    stack: list[tuple[str, Any, Any]],
    found: dict[str, Any],
    depth: int = 0,
) -> None:
    """Record marked content (MCID -> text, lang) and count drawing outside tagged content."""
    fonts = resources.get("/Font", pikepdf.Dictionary()) if resources is not None else pikepdf.Dictionary()
    xobjects = resources.get("/XObject", pikepdf.Dictionary()) if resources is not None else pikepdf.Dictionary()
    font = None
    for operands, operator in pikepdf.parse_content_stream(stream_owner):
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" else None
            if props is not None and not isinstance(props, pikepdf.Dictionary) and isinstance(props, pikepdf.Name):
                props = resources.get("/Properties", {}).get(str(props)) if resources is not None else None
            mcid = int(props["/MCID"]) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
            lang = str(props["/Lang"]) if isinstance(props, pikepdf.Dictionary) and "/Lang" in props else None
            stack.append((tag, mcid, lang))
            if mcid is not None:
                found["mcids"].setdefault(mcid, {"text": "", "lang": None})
                if lang:
                    found["mcids"][mcid]["lang"] = lang
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op in DRAWING:
            artifact = any(tag == "/Artifact" for tag, _, _ in stack)
            mcid = next((m for _, m, _ in reversed(stack) if m is not None), None)
            if not artifact and mcid is None and op != "Do":
                found["untagged-ops"] += 1
            if op == "Do":
                xobject = xobjects.get(str(operands[0]))
                if xobject is not None and str(xobject.get("/Subtype")) == "/Form" and depth < 8:
                    _walk_content(xobject, xobject.get("/Resources", resources), decoder, stack, found, depth + 1)
                elif not artifact and mcid is None:
                    found["untagged-ops"] += 1
            if op in TEXT and mcid is not None and not artifact:
                text = ""
                if op == "TJ":
                    for item in operands[0]:
                        if isinstance(item, pikepdf.String):
                            text += decoder.decode(font, bytes(item))
                else:
                    text = decoder.decode(font, bytes(operands[-1]))
                entry = found["mcids"][mcid]
                entry["text"] += text
                inner_lang = next((lang for _, _m, lang in reversed(stack) if lang), None)
                if inner_lang and not entry["lang"]:
                    entry["lang"] = inner_lang


def _kids(node: Any) -> list[Any]:
    kids = node.get("/K")
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids]


def check(path: Path) -> dict[str, list[str]]:
    """Problems per check (see the module's docstring) of the PDF at ``path``."""
    problems: dict[str, list[str]] = {name: [] for name in CHECKS}
    decoder = Decoder()
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        tree = root.get("/StructTreeRoot")
        doc_lang = str(root.get("/Lang", "")).lower()
        # parent tree: (StructParents, MCID) -> element; StructParent -> element for annotations
        parent_tree: dict[int, Any] = {}
        if tree is not None and "/ParentTree" in tree:

            def read_numbers(node: Any) -> None:
                if "/Nums" in node:
                    nums = node.Nums
                    for i in range(0, len(nums), 2):
                        parent_tree[int(nums[i])] = nums[i + 1]
                for kid in node.get("/Kids", []):
                    read_numbers(kid)

            read_numbers(tree.ParentTree)

        # marked content per page
        page_content: dict[Any, dict[int, dict[str, Any]]] = {}
        for number, page in enumerate(pdf.pages, 1):
            found: dict[str, Any] = {"mcids": {}, "untagged-ops": 0}
            _walk_content(page.obj, page.obj.get("/Resources"), decoder, [], found)
            page_content[page.obj.objgen] = found["mcids"]
            if found["untagged-ops"]:
                problems["untagged"].append(
                    f"page {number}: {found['untagged-ops']} drawing operators outside tagged content and artifacts"
                )
            key = page.obj.get("/StructParents")
            mapped = parent_tree.get(int(key)) if key is not None else None
            for mcid in sorted(found["mcids"]):
                element = None
                if isinstance(mapped, pikepdf.Array) and mcid < len(mapped):
                    element = mapped[mcid]
                if not isinstance(element, pikepdf.Dictionary):
                    problems["untagged"].append(f"page {number}: MCID {mcid} is in no structure element")
            # link annotations
            for annot in page.obj.get("/Annots", []):
                if str(annot.get("/Subtype")) != "/Link":
                    continue
                target = annot.get("/A", {}).get("/URI") if "/A" in annot else None
                where = f"page {number}: link to {str(target) if target is not None else 'a place in the document'}"
                sp = annot.get("/StructParent")
                parent = parent_tree.get(int(sp)) if sp is not None else None
                if not isinstance(parent, pikepdf.Dictionary) or str(parent.get("/S")) != "/Link":
                    kind = str(parent.get("/S")) if isinstance(parent, pikepdf.Dictionary) else "no element"
                    problems["link-outside-link"].append(f"{where} is under {kind}")
                contents = str(annot.get("/Contents", "")).strip()
                if not contents:
                    problems["link-contents"].append(f"{where} has no /Contents")
                elif URL.match(contents):
                    problems["link-contents"].append(f"{where} has a bare URL as /Contents: {contents[:60]}")
                elif IDENT.match(contents) and (not contents.isalpha()):
                    problems["link-contents"].append(f"{where} has an id as /Contents: {contents[:60]}")

        if tree is None:
            problems["untagged"].append("no structure tree")
            return problems

        has_idtree = "/IDTree" in tree
        ids = 0
        # walk the structure tree
        stack: list[tuple[Any, str | None, bool]] = [(kid, None, True) for kid in reversed(_kids(tree))]
        while stack:
            node, inherited_lang, _top = stack.pop()
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                continue
            tag = str(node.S)
            own_lang = str(node["/Lang"]).lower() if "/Lang" in node else None
            lang = own_lang or inherited_lang
            if "/ID" in node:
                ids += 1
            kids = _kids(node)
            if not kids:
                problems["empty-element"].append(f"{tag} with no kids")
            if tag == "/LI" and not any(
                isinstance(k, pikepdf.Dictionary) and str(k.get("/S")) == "/LBody" for k in kids
            ):
                problems["li-without-lbody"].append("LI without LBody")
            # this element's own marked content
            own_text = other_text = ""
            page = node.get("/Pg")
            for kid in kids:
                if isinstance(kid, int) or (
                    isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.integer
                ):
                    mcid, kid_page = int(kid), page
                elif isinstance(kid, pikepdf.Dictionary) and str(kid.get("/Type", "")) == "/MCR":
                    mcid, kid_page = int(kid.MCID), kid.get("/Pg", page)
                else:
                    continue
                if kid_page is None:
                    continue
                entry = page_content.get(kid_page.objgen, {}).get(mcid)
                if entry:
                    own_text += entry["text"]
                    if not (entry["lang"] or "").lower().startswith("en"):
                        other_text += entry["text"]
            if FURNITURE.match(own_text):
                problems["furniture-not-artifact"].append(f"{tag}: {own_text.strip()!r}")
            if doc_lang and not doc_lang.startswith("en") and not (lang or "").startswith("en"):
                latin, arabic = len(LATIN.findall(other_text)), len(ARABIC.findall(other_text))
                if latin >= 4 and latin > 0.6 * (latin + arabic):
                    problems["english-without-lang"].append(f"{tag}: {' '.join(other_text.split())[:50]!r}")
            for kid in reversed(kids):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append((kid, lang, False))
        if ids and not has_idtree:
            problems["id-without-idtree"].append(f"{ids} elements with /ID, no /IDTree")
    return problems


def summary(problems: dict[str, list[str]]) -> dict[str, int]:
    return {name: len(found) for name, found in problems.items()}


if __name__ == "__main__":
    import sys

    for argument in sys.argv[1:]:
        result = check(Path(argument))
        print(Path(argument).name, summary(result))
        for name, found in result.items():
            for line in Counter(found).most_common(4):
                print(f"  {name}: {line[0]} (x{line[1]})")
