#!/usr/bin/env python3
"""Generate saksgen's Word templates (docxtpl/Jinja) deterministically.

Usage:  python tools/make_templates.py          # (re)write the templates
        python tools/make_templates.py --check  # exit 1 if a file on disk differs

The templates start from pandoc's default reference.docx, so every style pandoc's DOCX writer
uses exists; the styles are then restyled (Carlito, nb-NO, A4) and the body, header and footer are
replaced with the saksgen front matter (see docs/ARCHITECTURE.md, "Word template contract").

Every Jinja tag sits in a single run (w:r) so that Word editing does not split it. Output is
byte-identical between runs: fixed zip dates, sorted entries, no user names or timestamps.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument."
NSMAP = {"w": W_NS, "a": A_NS}

# Namespaces declared on document.xml, header and footer roots (as pandoc declares them), so
# that content spliced in later needs no new declarations.
DOC_NS = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    f'xmlns:a="{A_NS}" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
)

FONT = "Carlito"  # metric-compatible with Calibri; shipped with LibreOffice
MONO = "Courier New"  # code spans only (LibreOffice maps it to Liberation Mono)
TEXT = "1A1A1A"
GREY = "595959"
RED = "C00000"
RULE = "A6A6A6"
FIXED_DATE = "2024-01-01T00:00:00Z"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# A4 with 2.5 cm margins (twips); TEXT_WIDTH is the usable line length.
PAGE_W, PAGE_H, MARGIN = 11906, 16838, 1418
TEXT_WIDTH = PAGE_W - 2 * MARGIN  # 9070
LABEL_TAB = 2552  # 4.5 cm: where the values of the header lines start
HEADER_REL, FOOTER_REL = "rIdSaksgenHeader1", "rIdSaksgenFooter1"


@dataclass(frozen=True)
class CaseTemplate:
    path: str
    accent: str  # heading / case line colour (small per-profile difference)


CASE_TEMPLATES = [
    CaseTemplate("saksgen/maler/ikt-fagdirektormote/mal.docx", accent="1F3864"),
    CaseTemplate("saksgen/maler/ad-mote/mal.docx", accent="17365D"),
    CaseTemplate("maler/styringsgruppe/mal.docx", accent="385623"),
]
AGENDA_TEMPLATE = "saksgen/maler/sakliste.docx"
AGENDA_ACCENT = "1F3864"


# --------------------------------------------------------------------------- small XML helpers


def frag(xml: str) -> list[etree._Element]:
    """Parse a fragment of w: elements."""
    return list(etree.fromstring(f'<w:root xmlns:w="{W_NS}">{xml}</w:root>'))


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def run(text: str, rpr: str = "") -> str:
    """One run holding `text` (a literal or one whole Jinja tag) in a single w:t.

    Runs with a Jinja tag get w:noProof, so Word neither flags the tag as a spelling error nor
    splits the run with proofErr marks when the template is edited and saved.
    """
    if "{{" in text or "{%" in text:
        at = min((i for i in (rpr.find("<w:color"), rpr.find("<w:sz")) if i >= 0), default=len(rpr))
        rpr = rpr[:at] + "<w:noProof/>" + rpr[at:]  # schema order: b, i, noProof, color, sz
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str | None = None, ppr: str = "") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{pstyle}{ppr}</w:pPr>" if (pstyle or ppr) else ""
    return f"<w:p>{props}{''.join(runs)}</w:p>"


TAB = "<w:r><w:tab/></w:r>"
BOLD = "<w:b/><w:bCs/>"


def field(instr: str, result: str) -> str:
    """A complex field (begin/instr/separate/result/end) with a cached result."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{result}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


# --------------------------------------------------------------------------- pandoc reference


def pandoc_reference() -> dict[str, bytes]:
    """The parts of pandoc's default reference.docx."""
    import pypandoc

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reference.docx"
        subprocess.run(
            [pypandoc.get_pandoc_path(), "-o", str(out), "--print-default-data-file", "reference.docx"],
            check=True,
        )
        with zipfile.ZipFile(out) as z:
            return {name: z.read(name) for name in z.namelist()}


# --------------------------------------------------------------------------- styles

SZ = lambda half_points: f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'  # noqa: E731


def style_overrides(accent: str) -> dict[str, tuple[str | None, str | None]]:
    """styleId -> (pPr inner XML, rPr inner XML) replacing pandoc's; None keeps pandoc's."""
    heading = lambda before, after, lvl, rpr: (  # noqa: E731
        f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>'
        f'<w:outlineLvl w:val="{lvl}"/>',
        rpr,
    )
    return {
        "BodyText": ('<w:spacing w:before="60" w:after="100" w:line="264" w:lineRule="auto"/>', ""),
        "Compact": ('<w:spacing w:before="0" w:after="60"/>', ""),
        "Title": (
            '<w:keepNext/><w:spacing w:before="0" w:after="240" w:line="240" w:lineRule="auto"/>',
            f'{BOLD}<w:color w:val="{TEXT}"/>{SZ(32)}',
        ),
        "Subtitle": ('<w:spacing w:before="0" w:after="240"/>', f'<w:color w:val="{GREY}"/>{SZ(24)}'),
        "Heading1": heading(360, 80, 0, f'{BOLD}<w:color w:val="{accent}"/>{SZ(26)}'),
        "Heading2": heading(240, 60, 1, f'{BOLD}<w:color w:val="{accent}"/>{SZ(24)}'),
        "Heading3": heading(200, 40, 2, f'{BOLD}<w:color w:val="{TEXT}"/>{SZ(22)}'),
        "Heading4": heading(160, 40, 3, f'{BOLD}<w:i/><w:iCs/><w:color w:val="{TEXT}"/>{SZ(22)}'),
        "Heading5": heading(120, 40, 4, f'<w:i/><w:iCs/><w:color w:val="{TEXT}"/>'),
        "Heading6": heading(120, 0, 5, f'<w:i/><w:iCs/><w:color w:val="{GREY}"/>'),
        "Heading7": heading(120, 0, 6, f'<w:color w:val="{GREY}"/>'),
        "Heading8": heading(120, 0, 7, f'<w:i/><w:iCs/><w:color w:val="{GREY}"/>'),
        "Heading9": heading(120, 0, 8, f'<w:color w:val="{GREY}"/>'),
        "BlockText": (
            '<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" '
            f'w:color="{RULE}"/></w:pBdr><w:spacing w:before="120" w:after="120"/>'
            '<w:ind w:left="567" w:right="567" w:firstLine="0"/>',
            "",
        ),
        "FootnoteText": ('<w:spacing w:before="0" w:after="40" w:line="240" w:lineRule="auto"/>', SZ(18)),
        "FootnoteBlockText": (
            '<w:spacing w:before="40" w:after="40"/><w:ind w:left="284" w:right="284" w:firstLine="0"/>',
            "",
        ),
        "Caption": ('<w:spacing w:before="60" w:after="200"/>', f"<w:i/><w:iCs/>{SZ(18)}"),
        "TableCaption": ('<w:keepNext/><w:spacing w:before="200" w:after="60"/>', ""),
        "CaptionedFigure": ('<w:keepNext/><w:spacing w:before="120" w:after="60"/>', ""),
        "Hyperlink": (None, '<w:color w:val="0563C1"/><w:u w:val="single"/>'),
        "VerbatimChar": (None, f'<w:rFonts w:ascii="{MONO}" w:hAnsi="{MONO}" w:cs="{MONO}"/>{SZ(20)}'),
        "TOCHeading": ('<w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="9"/>', ""),
    }


NEW_STYLES = """
<w:style w:type="table" w:default="1" w:styleId="TableNormal">
  <w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
  <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>
  <w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>
  </w:tblCellMar></w:tblPr>
</w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Topplinje">
  <w:name w:val="Topplinje"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="1"/><w:qFormat/>
  <w:pPr><w:tabs><w:tab w:val="left" w:pos="{LABEL_TAB}"/></w:tabs><w:spacing w:before="0" w:after="40"/>
  <w:ind w:left="{LABEL_TAB}" w:hanging="{LABEL_TAB}"/></w:pPr>
</w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Sakslinje">
  <w:name w:val="Sakslinje"/><w:basedOn w:val="Normal"/><w:next w:val="Title"/>
  <w:uiPriority w:val="1"/><w:qFormat/>
  <w:pPr><w:keepNext/><w:pBdr><w:top w:val="single" w:sz="6" w:space="12" w:color="{RULE}"/></w:pBdr>
  <w:spacing w:before="360" w:after="120"/></w:pPr>
  <w:rPr><w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>
</w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Merknad">
  <w:name w:val="Merknad"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="1"/><w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="40"/></w:pPr>
  <w:rPr><w:i/><w:iCs/><w:color w:val="{GREY}"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>
<w:style w:type="paragraph" w:styleId="Header">
  <w:name w:val="header"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:tabs><w:tab w:val="center" w:pos="{HALF}"/><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>
  <w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>
<w:style w:type="paragraph" w:styleId="Footer">
  <w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:tabs><w:tab w:val="center" w:pos="{HALF}"/><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>
  <w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:color w:val="{GREY}"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>
"""

TABLE_STYLE = """
<w:style w:type="table" w:styleId="Table">
  <w:name w:val="Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>
  <w:tblPr>
    <w:tblBorders>{BORDERS}</w:tblBorders>
    <w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
    <w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:trPr><w:cantSplit/></w:trPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="404040"/></w:tcBorders>
    <w:shd w:val="clear" w:color="auto" w:fill="E8ECF2"/><w:vAlign w:val="bottom"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)

# Children of w:style that follow w:rPr in the schema (insert pPr/rPr before them).
AFTER_RPR = {f"{{{W_NS}}}{t}" for t in ("tblPr", "trPr", "tcPr", "tblStylePr")}


def _fill(xml: str, accent: str) -> str:
    return (
        xml.replace("{LABEL_TAB}", str(LABEL_TAB))
        .replace("{ACCENT}", accent)
        .replace("{GREY}", GREY)
        .replace("{RULE}", RULE)
        .replace("{BORDERS}", BORDERS)
        .replace("{TEXT_WIDTH}", str(TEXT_WIDTH))
        .replace("{HALF}", str(TEXT_WIDTH // 2))
    )


def make_styles(src: bytes, accent: str) -> bytes:
    root = etree.fromstring(src)
    w = lambda tag: f"{{{W_NS}}}{tag}"  # noqa: E731

    # Drop rsid noise and every theme / Aptos font reference: all text inherits Carlito.
    for el in list(root.iter(w("rsid"), w("rFonts"))):
        el.getparent().remove(el)

    # Document defaults: Carlito 11 pt, Norwegian bokmål.
    rpr = root.find("w:docDefaults/w:rPrDefault/w:rPr", NSMAP)
    for child in list(rpr):
        rpr.remove(child)
    rpr.extend(
        frag(
            f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
            f'<w:color w:val="{TEXT}"/>{SZ(22)}<w:lang w:val="nb-NO" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        )
    )
    ppr = root.find("w:docDefaults/w:pPrDefault/w:pPr", NSMAP)
    for child in list(ppr):
        ppr.remove(child)
    ppr.extend(frag('<w:spacing w:after="0" w:line="259" w:lineRule="auto"/>'))

    # The old table style is rebuilt below (it was default and based on a missing TableNormal).
    for old in root.xpath("w:style[@w:styleId='Table']", namespaces=NSMAP):
        root.remove(old)
    for xml in (NEW_STYLES, TABLE_STYLE):
        root.extend(frag(_fill(xml, accent)))

    styles = {s.get(w("styleId")): s for s in root.findall("w:style", NSMAP)}
    # Pandoc's Subtitle numbers itself via numPr and is based on Title; make it a plain line.
    styles["Subtitle"].find("w:basedOn", NSMAP).set(w("val"), "Normal")
    # Caption is wrongly linked to the body text character style.
    for link in styles["Caption"].findall("w:link", NSMAP):
        styles["Caption"].remove(link)
    # Make the styles pandoc emits visible in Word's style gallery.
    for sid in ("Heading2", "Heading3", "Heading4"):
        for el in styles[sid].findall("w:semiHidden", NSMAP):
            styles[sid].remove(el)

    for sid, (ppr_xml, rpr_xml) in style_overrides(accent).items():
        style = styles[sid]
        for tag, xml in (("pPr", ppr_xml), ("rPr", rpr_xml)):
            if xml is None:
                continue
            for old in style.findall(f"w:{tag}", NSMAP):
                style.remove(old)
            if not xml:
                continue
            new = frag(f"<w:{tag}>{xml}</w:{tag}>")[0]
            after = [c for c in style if c.tag in AFTER_RPR or (tag == "pPr" and c.tag == w("rPr"))]
            if after:
                after[0].addprevious(new)
            else:
                style.append(new)
        # Linked character styles (Title Char, Heading 1 Char, ...) mirror the run properties.
        link = style.find("w:link", NSMAP)
        if rpr_xml is not None and link is not None and link.get(w("val")) in styles:
            char = styles[link.get(w("val"))]
            for old in char.findall("w:rPr", NSMAP):
                char.remove(old)
            if rpr_xml:
                char.append(frag(f"<w:rPr>{rpr_xml}</w:rPr>")[0])
    etree.indent(root, space="")
    return serialize(root)


# --------------------------------------------------------------------------- other parts


def make_theme(src: bytes) -> bytes:
    root = etree.fromstring(src)
    for latin in root.xpath("//a:majorFont/a:latin | //a:minorFont/a:latin", namespaces=NSMAP):
        latin.attrib.clear()
        latin.set("typeface", FONT)
    return serialize(root)


FONT_TABLE = f"""<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">
<w:font w:name="{FONT}"><w:altName w:val="Calibri"/><w:panose1 w:val="020F0502020204030204"/>
<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>
<w:font w:name="{MONO}"><w:panose1 w:val="02070309020205020404"/><w:charset w:val="00"/>
<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="Cambria Math"><w:panose1 w:val="02040503050406030204"/><w:charset w:val="00"/>
<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>
</w:fonts>"""

SETTINGS = f"""<w:settings xmlns:w="{W_NS}" xmlns:r="{R_NS}"
 xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">
<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/><w:hyphenationZone w:val="425"/>
<w:characterSpacingControl w:val="doNotCompress"/>
<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>
<w:compat><w:compatSetting w:name="compatibilityMode"
 w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
<m:mathPr><m:mathFont m:val="Cambria Math"/><m:brkBin m:val="before"/><m:brkBinSub m:val="--"/>
<m:smallFrac m:val="0"/><m:dispDef/><m:lMargin m:val="0"/><m:rMargin m:val="0"/>
<m:defJc m:val="centerGroup"/><m:wrapIndent m:val="1440"/><m:intLim m:val="subSup"/>
<m:naryLim m:val="undOvr"/></m:mathPr>
<w:themeFontLang w:val="nb-NO"/>
<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1"
 w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5"
 w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>
<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>
</w:settings>"""

WEB_SETTINGS = f'<w:webSettings xmlns:w="{W_NS}"><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>'

NOSPACE = '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
FOOTNOTES = f"""<w:footnotes {DOC_NS}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>{NOSPACE}</w:pPr>
<w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>{NOSPACE}</w:pPr>
<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""

CONTENT_TYPES = f"""<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/docProps/app.xml" ContentType="{CT}extended-properties+xml"/>
<Override PartName="/docProps/core.xml"
 ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/word/document.xml" ContentType="{CT}wordprocessingml.document.main+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="{CT}wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="{CT}wordprocessingml.footer+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="{CT}wordprocessingml.footnotes+xml"/>
<Override PartName="/word/header1.xml" ContentType="{CT}wordprocessingml.header+xml"/>
<Override PartName="/word/numbering.xml" ContentType="{CT}wordprocessingml.numbering+xml"/>
<Override PartName="/word/settings.xml" ContentType="{CT}wordprocessingml.settings+xml"/>
<Override PartName="/word/styles.xml" ContentType="{CT}wordprocessingml.styles+xml"/>
<Override PartName="/word/theme/theme1.xml" ContentType="{CT}theme+xml"/>
<Override PartName="/word/webSettings.xml" ContentType="{CT}wordprocessingml.webSettings+xml"/>
</Types>"""

PACKAGE_RELS = f"""<Relationships xmlns="{REL_NS}">
<Relationship Id="rId1" Type="{RT}officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Target="docProps/core.xml"
 Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"/>
<Relationship Id="rId3" Type="{RT}extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

DOCUMENT_RELS = f"""<Relationships xmlns="{REL_NS}">
<Relationship Id="rId1" Type="{RT}numbering" Target="numbering.xml"/>
<Relationship Id="rId2" Type="{RT}styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{RT}settings" Target="settings.xml"/>
<Relationship Id="rId4" Type="{RT}webSettings" Target="webSettings.xml"/>
<Relationship Id="rId5" Type="{RT}fontTable" Target="fontTable.xml"/>
<Relationship Id="rId6" Type="{RT}theme" Target="theme/theme1.xml"/>
<Relationship Id="rId7" Type="{RT}footnotes" Target="footnotes.xml"/>
<Relationship Id="{HEADER_REL}" Type="{RT}header" Target="header1.xml"/>
<Relationship Id="{FOOTER_REL}" Type="{RT}footer" Target="footer1.xml"/>
</Relationships>"""

CORE = f"""<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:language>nb-NO</dc:language>
<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified>
</cp:coreProperties>"""

APP = """<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
 xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<Application>saksgen</Application><DocSecurity>0</DocSecurity>
</Properties>"""

SECT_PR = (
    f'<w:sectPr><w:headerReference w:type="default" r:id="{HEADER_REL}"/>'
    f'<w:footerReference w:type="default" r:id="{FOOTER_REL}"/>'
    f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
    f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
    'w:header="709" w:footer="567" w:gutter="0"/>'
    '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
)


def header_xml(with_marking: bool) -> str:
    """Meeting name small and grey at the left; the exemption marking bold red at the right."""
    name = run("{{ motenavn }}", f'<w:color w:val="{GREY}"/>{SZ(16)}')
    marking = TAB + run("{{ unntatt_merking }}", f'{BOLD}<w:color w:val="{RED}"/>{SZ(18)}')
    ppr = (
        f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/></w:pBdr>'
        f'<w:tabs><w:tab w:val="clear" w:pos="{TEXT_WIDTH // 2}"/></w:tabs>'
    )
    body = para(name, marking if with_marking else "", style="Header", ppr=ppr)
    return f"<w:hdr {DOC_NS}>{body}</w:hdr>"


FOOTER = (
    f"<w:ftr {DOC_NS}>"
    + para(
        run("Side "),
        field("PAGE", "1"),
        run(" av "),
        field("NUMPAGES", "1"),
        style="Footer",
        ppr='<w:jc w:val="center"/>',
    )
    + "</w:ftr>"
)


# --------------------------------------------------------------------------- document bodies


def header_line(label: str, var: str) -> str:
    return para(run(label, BOLD), TAB, run(f"{{{{ {var} }}}}"), style="Topplinje")


def case_body() -> str:
    return "".join(
        [
            header_line("Til:", "til"),
            header_line("Fra:", "fra"),
            header_line("Dato:", "dato"),
            header_line("Unntatt offentlighet:", "unntatt"),
            para(run("{%p if saksbehandler %}"), style="Topplinje"),
            header_line("Saksbehandler:", "saksbehandler"),
            para(run("{%p endif %}"), style="Topplinje"),
            para(run("{{ sakslinje }}"), style="Sakslinje"),
            para(run("{{ tittel }}"), style="Title"),
            para(run("{{ innhold }}")),
        ]
    )


AGENDA_COLUMNS = [  # (header text, width in twips, alignment)
    ("Sak", 1150, "left"),
    ("Type", 650, "center"),
    ("Tittel", 3970, "left"),
    ("Tid", 1400, "left"),
    ("Ansvarlig/presenteres av", 1900, "left"),
]
assert sum(w for _, w, _ in AGENDA_COLUMNS) == TEXT_WIDTH


def cell(width: int, *paras: str, span: int = 1) -> str:
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}</w:tcPr>{"".join(paras)}</w:tc>'


def cell_para(text: str, align: str) -> str:
    return para(run(text), style="Compact", ppr=f'<w:jc w:val="{align}"/>')


def agenda_table() -> str:
    """Header row, then docxtpl's {%tr for %} row / data row / {%tr endfor %} row."""
    head = "".join(cell(w, cell_para(t, a)) for t, w, a in AGENDA_COLUMNS)
    values = ["{{ s.nummer }}", "{{ s.type }}", None, "{{ s.tid }}", "{{ s.presenteres_av }}"]
    data = []
    for (_, width, align), value in zip(AGENDA_COLUMNS, values, strict=True):
        if value is None:  # the title cell: title, then the exemption marking when present
            data.append(
                cell(
                    width,
                    cell_para("{{ s.tittel }}", align),
                    para(run("{%p if s.merking %}"), style="Compact"),
                    para(run("{{ s.merking }}", f'<w:color w:val="{RED}"/>'), style="Merknad"),
                    para(run("{%p endif %}"), style="Compact"),
                )
            )
        else:
            data.append(cell(width, cell_para(value, align)))
    control = lambda tag: (  # noqa: E731
        "<w:tr>"
        + cell(
            TEXT_WIDTH,
            para(run(tag), style="Compact"),
            span=len(AGENDA_COLUMNS),
        )
        + "</w:tr>"
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for _, w, _ in AGENDA_COLUMNS)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="Table"/>'
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"
        + control("{%tr for s in saker %}")
        + f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(data)}</w:tr>"
        + control("{%tr endfor %}")
        + "</w:tbl>"
    )


def agenda_body() -> str:
    meeting_line = "{{ [motenavn, dato, ('kl. ' ~ tid) if tid else '', sted] | select | join(', ') }}"
    return "".join(
        [
            para(run("Sakliste"), style="Title"),
            para(run(meeting_line), style="Subtitle"),
            para(run("{%p if offentlig %}"), style="Merknad"),
            para(run("Offentlig versjon"), style="Merknad", ppr='<w:spacing w:after="160"/>'),
            para(run("{%p endif %}"), style="Merknad"),
            agenda_table(),
            para(
                run("B = beslutningssak, O = orienteringssak, D = diskusjonssak"),
                style="Merknad",
                ppr='<w:spacing w:before="120"/>',
            ),
        ]
    )


def document_xml(body: str) -> bytes:
    xml = f"<w:document {DOC_NS}><w:body>{body}{SECT_PR}</w:body></w:document>"
    return serialize(etree.fromstring(xml))


# --------------------------------------------------------------------------- packaging


def package(ref: dict[str, bytes], body: str, accent: str, with_marking: bool) -> bytes:
    xml = lambda s: serialize(etree.fromstring(s))  # noqa: E731  (validates + adds declaration)
    parts = {
        "[Content_Types].xml": xml(CONTENT_TYPES),
        "_rels/.rels": xml(PACKAGE_RELS),
        "docProps/app.xml": xml(APP),
        "docProps/core.xml": xml(CORE),
        "word/_rels/document.xml.rels": xml(DOCUMENT_RELS),
        "word/document.xml": document_xml(body),
        "word/fontTable.xml": xml(FONT_TABLE),
        "word/footer1.xml": xml(FOOTER),
        "word/footnotes.xml": xml(FOOTNOTES),
        "word/header1.xml": xml(header_xml(with_marking)),
        "word/numbering.xml": serialize(etree.fromstring(ref["word/numbering.xml"])),
        "word/settings.xml": xml(SETTINGS),
        "word/styles.xml": make_styles(ref["word/styles.xml"], accent),
        "word/theme/theme1.xml": make_theme(ref["word/theme/theme1.xml"]),
        "word/webSettings.xml": xml(WEB_SETTINGS),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(parts):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, parts[name], compresslevel=9)
    return buf.getvalue()


def build_all() -> dict[str, bytes]:
    ref = pandoc_reference()
    out = {t.path: package(ref, case_body(), t.accent, with_marking=True) for t in CASE_TEMPLATES}
    out[AGENDA_TEMPLATE] = package(ref, agenda_body(), AGENDA_ACCENT, with_marking=False)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if any template on disk differs"
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)

    stale = []
    for rel, data in build_all().items():
        target = args.root / rel
        if rel == AGENDA_TEMPLATE and target.exists():
            # The committed sakliste.docx is the source (edited since this first draft).
            print(f"beholdt  {rel}")
            continue
        if target.exists() and target.read_bytes() == data:
            print(f"uendret  {rel}")
            continue
        if args.check:
            stale.append(rel)
            print(f"avviker  {rel}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        print(f"skrevet  {rel}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
