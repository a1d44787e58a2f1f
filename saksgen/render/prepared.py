"""A Word template prepared once and rendered per document, with docxtpl's own steps.

``DocxTemplate.render`` + ``save`` opens the template with python-docx, patches each XML part's
source for jinja, renders it, and writes the whole package through python-docx again, for every
paper: about 100 ms a paper, of which only the jinja render and docxtpl's post-processing depend on
the paper. ``PreparedTemplate`` does the rest once per template file: python-docx's package
(every part as its save writes it) and the patched sources of the body, headers, footers and
footnotes. A render then runs docxtpl's own per-part methods (``render_xml_part``,
``fix_tables``, ``fix_docpr_ids``) on those sources, so the parts are the ones docxtpl writes;
``tests/render/test_prepared.py`` holds the two side by side on every bundled template.

One difference is on purpose: ``docProps/core.xml`` keeps the template's properties (they are
rendered, so a jinja error in them still fails), because ``ooxml.finish`` replaces that part with
the case's metadata in every document saksgen writes.
"""

from __future__ import annotations

import io
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

W_BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# The core properties docxtpl renders (docxtpl.template.DocxTemplate.render_properties).
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


@dataclass(frozen=True)
class _Story:
    """A header or footer: its zip name, patched jinja source, and the encoding it is written in."""

    name: str
    source: str
    encoding: str


class PreparedTemplate:
    def __init__(self, path: Path) -> None:
        from docx import Document
        from docx.opc.oxml import parse_xml
        from docxtpl import DocxTemplate

        self.path = path
        doc = Document(str(path))
        shell = DocxTemplate(str(path))
        self.document_name = doc.part.partname.lstrip("/")
        self.body = shell.patch_xml(shell.xml_to_string(doc.element.body))
        self.stories: list[_Story] = []
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for rel in doc.part.rels.values():
                if rel.is_external or rel.reltype != uri or not rel.target_part.blob:
                    continue
                xml = shell.xml_to_string(parse_xml(rel.target_part.blob))
                encoding = shell.get_headers_footers_encoding(xml)
                self.stories.append(
                    _Story(rel.target_part.partname.lstrip("/"), shell.patch_xml(xml), encoding)
                )
        # docxtpl renders each footnotes part once per section (its loop runs over both).
        self.sections = len(doc.sections)
        self.footnotes = [
            (part.partname.lstrip("/"), shell.patch_xml(part.blob.decode("utf-8")))
            for part in doc.part.package.iter_parts()
            if part.content_type == FOOTNOTES_TYPE
        ]
        self.properties = [getattr(doc.core_properties, name) or "" for name in CORE_PROPERTIES]
        buf = io.BytesIO()
        doc.save(buf)
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            self.parts = {name: z.read(name) for name in z.namelist()}

    def render(self, context: dict[str, Any], env: Any) -> dict[str, bytes]:
        """The package's parts with ``context`` rendered in (``env`` autoescapes)."""
        from docx.opc.oxml import parse_xml, serialize_part_xml
        from docxtpl import DocxTemplate

        # A fresh shell per render: docxtpl keeps per-render counters (docPr ids) on it.
        shell = DocxTemplate(str(self.path))
        shell.pic_map = {}
        shell.current_rendering_part = None
        shell.docx_ids_index = 1000
        parts = dict(self.parts)

        tree = shell.fix_tables(shell.render_xml_part(self.body, None, context, env))
        shell.fix_docpr_ids(tree)
        root = parse_xml(self.parts[self.document_name])  # type: ignore[arg-type]  # takes bytes too
        body = root.find(W_BODY)
        assert body is not None  # python-docx opened the template, so it has a body
        root.replace(body, tree)
        parts[self.document_name] = serialize_part_xml(root)

        for story in self.stories:
            xml = shell.render_xml_part(story.source, None, context, env).encode(story.encoding)
            parts[story.name] = serialize_part_xml(parse_xml(xml))

        for initial in self.properties:
            env.from_string(initial).render(context)

        for name, source in self.footnotes if self.sections else ():
            xml = source
            for i in range(self.sections):
                if i:
                    xml = shell.patch_xml(xml)
                xml = shell.render_xml_part(xml, None, context, env)
            parts[name] = xml.encode("utf-8")
        return parts


_CACHE: OrderedDict[tuple[str, int, int], PreparedTemplate] = OrderedDict()
_CACHE_SIZE = 8  # a build uses a few templates; a watch session re-prepares an edited one


def prepared(path: Path) -> PreparedTemplate:
    """The template at ``path``, prepared once for as long as the file is unchanged."""
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    found = _CACHE.get(key)
    if found is None:
        found = PreparedTemplate(path)
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return found


def parse_error_types() -> tuple[type[BaseException], ...]:
    """What opening a file that is not a whole Word package raises."""
    from docx.opc.exceptions import OpcError

    return (OpcError, OSError, zipfile.BadZipFile, KeyError, etree.LxmlError)
