"""Everything that touches the DOCX package format, behind one layer.

- ``render_template``: the profile's ``mal.docx`` through docxtpl's steps, prepared once per
  template (``prepared``; autoescaped: case text is data).
- ``assemble``: pandoc's body DOCX (whose reference document was the profile's ``mal.docx``, so it
  already carries the template's styles) gets the rendered template's header, footer and front matter
  spliced in where the ``{{ innhold }}`` paragraph stood; bookmark ids are renumbered so they are
  unique; core properties come from the case; the zip is written reproducibly.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from saksgen.errors import SaksgenError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "r": R}

SENTINEL_PREFIX = "SAKSGEN-INNHOLD-"


class TemplateError(SaksgenError):
    code = "mal-feil"


def check_template(template: Path) -> None:
    """Refuse a template that is not a Word package before pandoc sees it: pandoc aborts its
    whole batch (every case) on an unreadable reference document."""
    try:
        with zipfile.ZipFile(template) as z:
            z.getinfo("word/document.xml")
            z.getinfo("word/styles.xml")
    except (OSError, zipfile.BadZipFile, KeyError):
        raise TemplateError(f"kan ikke lese Word-malen {template}; er filen en gyldig .docx?") from None


def _jinja() -> Any:
    """The process's one autoescaping jinja2 environment, which compiles each distinct template
    source once (imported on first use: a no-op rebuild renders no template).

    docxtpl calls ``from_string`` on every XML part (body, each header and footer, each core
    property) of every render, and jinja does not cache ``from_string``: compiling was about half
    of a paper's 50 ms template render. The parts' sources are the same for every paper of a
    profile (the sentinel and the case data are context, not source), so a meeting compiles each
    of them once."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        import jinja2

        class CompilingOnce(jinja2.Environment):
            LIMIT = 512  # sources kept; a long watch session starts over rather than grows

            def __init__(self) -> None:
                super().__init__(autoescape=True)
                self.compiled: dict[str, jinja2.Template] = {}

            def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
                if globals is not None or template_class is not None or not isinstance(source, str):
                    return super().from_string(source, globals, template_class)
                found = self.compiled.get(source)
                if found is None:
                    if len(self.compiled) >= self.LIMIT:
                        self.compiled.clear()
                    found = self.compiled[source] = super().from_string(source)
                return found

        _ENVIRONMENT = CompilingOnce()
    return _ENVIRONMENT


_ENVIRONMENT: Any = None


def render_template(template: Path, context: dict[str, Any]) -> tuple[dict[str, bytes], str]:
    """Render ``mal.docx``; returns the package's parts and the sentinel that marks the body."""
    from jinja2 import TemplateError as JinjaError

    from saksgen.render.prepared import parse_error_types, prepared

    sentinel = SENTINEL_PREFIX + secrets.token_hex(8)
    try:
        parts = prepared(template).render({**context, "innhold": sentinel}, _jinja())
    except JinjaError:
        # saksgen check (and the start of every build) names the place; jinja's text is English.
        raise TemplateError(
            f"Word-malen {template.name} har en feil i en {{{{ … }}}}- eller {{% … %}}-kode "
            "[mal-syntaks]; se meldingen om malen over"
        ) from None
    except parse_error_types() as exc:
        # What a file that is not a whole Word package raises; anything else is a bug of ours.
        raise TemplateError(
            f"kan ikke lese Word-malen {template} ({type(exc).__name__}); er filen en gyldig .docx?"
        ) from None
    return parts, sentinel


@dataclass(frozen=True)
class CoreProps:
    title: str
    subject: str
    author: str
    category: str
    date: dt.date
    keywords: str = ""
    language: str = "nb-NO"  # the målform's: nb-NO or nn-NO


def _paragraph_text(p: etree._Element) -> str:
    return "".join(map(str, p.itertext()))


def _find(parent: etree._Element, path: str) -> etree._Element:
    """A part that every Word document has; its absence means a damaged package."""
    found = parent.find(path, NS)
    if found is None:
        raise TemplateError(f"Word-dokumentet mangler {path}; er filen en gyldig .docx?")
    return found


def _remove(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is not None:
        parent.remove(node)


def _read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _rels_path(part: str) -> str:
    p = PurePosixPath(part)
    return str(p.parent / "_rels" / (p.name + ".rels"))


def _split_template(
    template: dict[str, bytes], sentinel: str
) -> tuple[list[etree._Element], list[etree._Element], etree._Element]:
    root = etree.fromstring(template["word/document.xml"])
    body = _find(root, "w:body")
    children = [c for c in body if c.tag != f"{{{W}}}sectPr"]
    places = [i for i, child in enumerate(children) if sentinel in _paragraph_text(child)]
    elsewhere = any(
        sentinel.encode() in data
        for name, data in template.items()
        if name != "word/document.xml" and name.endswith(".xml")
    )
    if len(places) == 1 and not elsewhere:
        i = places[0]
        child = children[i]
        if child.tag == f"{{{W}}}p" and _paragraph_text(child).strip() == sentinel:
            return children[:i], children[i + 1 :], root
    raise TemplateError(
        "Word-malen må ha {{ innhold }} alene i ett eget avsnitt i brødteksten "
        "(ikke i en tabell, topptekst eller sammen med annen tekst)"
    )


def _copy_relationships(
    elements: list[etree._Element], template: dict[str, bytes], out: dict[str, bytes]
) -> None:
    """Front-matter elements may point at images or links of the template: copy those over."""
    ids = set()
    for el in elements:
        for node in el.iter():
            for attr, value in node.attrib.items():
                if str(attr).startswith(f"{{{R}}}"):
                    ids.add(value)
    if not ids:
        return
    t_rels = etree.fromstring(template["word/_rels/document.xml.rels"])
    o_rels = etree.fromstring(out["word/_rels/document.xml.rels"])
    ct = etree.fromstring(out["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in ct.findall(f"{{{CT}}}Default")}
    renamed: dict[str, str] = {}
    for rel in t_rels:
        rid = rel.get("Id")
        if rid not in ids:
            continue
        new_id = f"rIdSaksgen{len(renamed) + 1}"
        renamed[rid] = new_id
        clone = etree.SubElement(
            o_rels, f"{{{PKG_REL}}}Relationship", {str(k): str(v) for k, v in rel.attrib.items()}
        )
        clone.set("Id", new_id)
        if rel.get("TargetMode") == "External":
            continue
        src = str(PurePosixPath("word") / rel.get("Target", ""))
        target = f"media/saksgen-mal-{len(renamed)}{PurePosixPath(src).suffix}"
        clone.set("Target", target)
        out["word/" + target] = template[src]
        ext = PurePosixPath(src).suffix.lstrip(".").lower()
        if ext and ext not in defaults:
            mime = {
                "png": "image/png",
                "jpeg": "image/jpeg",
                "jpg": "image/jpeg",
                "gif": "image/gif",
                "emf": "image/x-emf",
                "wmf": "image/x-wmf",
            }.get(ext, "application/octet-stream")
            etree.SubElement(ct, f"{{{CT}}}Default", Extension=ext, ContentType=mime)
            defaults.add(ext)
    for el in elements:
        for node in el.iter():
            for attr, value in list(node.attrib.items()):
                if str(attr).startswith(f"{{{R}}}") and value in renamed:
                    node.set(attr, renamed[value])
    out["word/_rels/document.xml.rels"] = etree.tostring(
        o_rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    out["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8", standalone=True)


def renumber_bookmarks(roots: list[etree._Element]) -> None:
    """Give every bookmark a unique id (pandoc's and ours come from separate counters) and drop
    repeated names: a duplicate id or name silently breaks Word's references."""
    next_id = 0
    names: set[str] = set()
    for root in roots:
        open_ids: dict[str, str] = {}
        dropped: set[str] = set()
        for node in list(root.iter(f"{{{W}}}bookmarkStart", f"{{{W}}}bookmarkEnd")):
            old = node.get(f"{{{W}}}id", "")
            if node.tag == f"{{{W}}}bookmarkStart":
                name = node.get(f"{{{W}}}name", "")
                if name in names or not name:
                    dropped.add(old)
                    _remove(node)
                    continue
                names.add(name)
                open_ids[old] = str(next_id)
                node.set(f"{{{W}}}id", str(next_id))
                next_id += 1
            elif old in dropped:
                _remove(node)
            elif old in open_ids:
                node.set(f"{{{W}}}id", open_ids.pop(old))
            else:
                _remove(node)  # an end without a start


def _keep_rows_together(body: etree._Element) -> None:
    """A table row never splits across pages: LibreOffice ignores the table style's setting
    and otherwise carries an empty row fragment (with a repeated header) to the next page."""
    for tr in body.iter(f"{{{W}}}tr"):
        trpr = tr.find("w:trPr", NS)
        if trpr is None:
            trpr = etree.Element(f"{{{W}}}trPr")
            # trPr follows tblPrEx when there is one, else it comes first in the row.
            tr.insert(1 if tr.find("w:tblPrEx", NS) is not None else 0, trpr)
        if trpr.find("w:cantSplit", NS) is None:
            trpr.insert(0, etree.Element(f"{{{W}}}cantSplit"))


def core_xml(props: CoreProps) -> bytes:
    stamp = f"{props.date.isoformat()}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{html.escape(props.title, quote=False)}</dc:title>"
        f"<dc:subject>{html.escape(props.subject, quote=False)}</dc:subject>"
        f"<dc:creator>{html.escape(props.author, quote=False)}</dc:creator>"
        f"<cp:keywords>{html.escape(props.keywords, quote=False)}</cp:keywords>"
        f"<cp:lastModifiedBy>{html.escape(props.author, quote=False)}</cp:lastModifiedBy>"
        f"<dc:language>{html.escape(props.language, quote=False)}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<cp:category>{html.escape(props.category, quote=False)}</cp:category>"
        "</cp:coreProperties>"
    ).encode()


_HEADER_FOOTER = re.compile(r"^word/(?:_rels/)?(?:header|footer)\d*\.xml(?:\.rels)?$")
_APP_NOISE = re.compile(rb"<(TotalTime|Application|AppVersion)>[^<]*</\1>")


def write_zip(parts: dict[str, bytes], date: dt.date) -> bytes:
    """A DOCX whose bytes depend only on its parts and the case date."""
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    order = ["[Content_Types].xml", "_rels/.rels"]
    names = [n for n in order if n in parts] + sorted(n for n in parts if n not in order)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, parts[name], compresslevel=6)
    return buf.getvalue()


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def assemble(body_docx: bytes, template: dict[str, bytes], sentinel: str, props: CoreProps) -> bytes:
    """``template``: the rendered template's parts (``render_template``)."""
    parts = _read_zip(body_docx)
    # pandoc copied the template's raw header/footer parts; use the rendered ones instead.
    for name, data in template.items():
        if _HEADER_FOOTER.match(name) and name in parts:
            parts[name] = data
    front, back, _ = _split_template(template, sentinel)
    _copy_relationships(front + back, template, parts)
    root = etree.fromstring(parts["word/document.xml"])
    body = _find(root, "w:body")
    for i, el in enumerate(front):
        body.insert(i, el)
    sect = body.find("w:sectPr", NS)
    for el in back:
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)
    _keep_rows_together(body)
    stories = [root]
    if "word/footnotes.xml" in parts:
        stories.append(etree.fromstring(parts["word/footnotes.xml"]))
    renumber_bookmarks(stories)
    parts["word/document.xml"] = _serialise(root)
    if len(stories) > 1:
        parts["word/footnotes.xml"] = _serialise(stories[1])
    finish(parts, props)
    return write_zip(parts, props.date)


def finish(parts: dict[str, bytes], props: CoreProps) -> None:
    """Metadata from the case, never from the machine (user name, clock)."""
    parts["docProps/core.xml"] = core_xml(props)
    if "docProps/app.xml" in parts:
        parts["docProps/app.xml"] = _APP_NOISE.sub(b"", parts["docProps/app.xml"])
    parts.pop("docProps/custom.xml", None)
    ct = parts["[Content_Types].xml"]
    if b"docProps/custom.xml" in ct:
        ct_root = etree.fromstring(ct)
        for o in ct_root.findall(f"{{{CT}}}Override"):
            if o.get("PartName") == "/docProps/custom.xml":
                ct_root.remove(o)
        parts["[Content_Types].xml"] = _serialise(ct_root)
    rels = parts.get("_rels/.rels", b"")
    if b"custom.xml" in rels:
        r_root = etree.fromstring(rels)
        for rel in list(r_root):
            if rel.get("Target", "").endswith("custom.xml"):
                r_root.remove(rel)
        parts["_rels/.rels"] = _serialise(r_root)


HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def link_paragraphs(parts: dict[str, bytes], root: etree._Element, links: dict[str, str]) -> None:
    """Make each paragraph whose whole text is a key of ``links`` a hyperlink to its value."""
    if not links:
        return
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    n = 0
    for p in root.iter(f"{{{W}}}p"):
        target = links.get(_paragraph_text(p).strip())
        runs = [r for r in p if r.tag == f"{{{W}}}r"]
        if target is None or not runs:
            continue
        n += 1
        rid = f"rIdSaksgenLink{n}"
        etree.SubElement(
            rels, f"{{{PKG_REL}}}Relationship", Id=rid, Type=HYPERLINK, Target=target, TargetMode="External"
        )
        link = etree.Element(f"{{{W}}}hyperlink", {f"{{{R}}}id": rid})
        runs[0].addprevious(link)
        for r in runs:
            # LibreOffice exports a link to PDF only when its runs carry the Hyperlink style.
            rpr = r.find("w:rPr", NS)
            if rpr is None:
                rpr = etree.SubElement(r, f"{{{W}}}rPr")
                r.insert(0, rpr)
            if rpr.find("w:rStyle", NS) is None:
                rpr.insert(0, etree.Element(f"{{{W}}}rStyle", {f"{{{W}}}val": "Hyperlink"}))
            link.append(r)
    parts["word/_rels/document.xml.rels"] = _serialise(rels)


def render_plain(
    template: Path, context: dict[str, Any], props: CoreProps, links: dict[str, str] | None = None
) -> bytes:
    """A document that is only a rendered template (the agenda): metadata and zip fixed up."""
    parts, _ = render_template(template, context)
    root = etree.fromstring(parts["word/document.xml"])
    link_paragraphs(parts, root, links or {})
    renumber_bookmarks([root])
    parts["word/document.xml"] = _serialise(root)
    finish(parts, props)
    return write_zip(parts, props.date)
