"""Regenerate the binary files the example cases use (figure PNG, attachment PDFs).

Run from the repository root: ``python tools/make_examples.py``. Output is deterministic.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf"


def figure(path: Path) -> None:
    img = Image.new("RGB", (1200, 600), "white")
    d = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype(FONT, 30)
        small = ImageFont.truetype(FONT, 24)
    except OSError:
        font = small = ImageFont.load_default()
    regions = ["Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"]
    for i, name in enumerate(regions):
        x = 40 + i * 290
        d.rounded_rectangle([x, 60, x + 250, 180], 16, fill="#dbe8f5", outline="#1f4e79", width=3)
        d.text((x + 125, 100), name, fill="#1f4e79", font=small, anchor="mm")
        d.text((x + 125, 140), "lokal innsamling", fill="#333333", font=small, anchor="mm")
        d.line([x + 125, 180, 600, 330], fill="#1f4e79", width=4)
    d.rounded_rectangle([330, 330, 870, 460], 20, fill="#1f4e79")
    d.text((600, 375), "Felles analyse og varsling", fill="white", font=font, anchor="mm")
    d.text((600, 420), "(interregional plattform)", fill="white", font=small, anchor="mm")
    d.text(
        (600, 540), "Målarkitektur: lokal innsamling, felles analyse", fill="#333333", font=small, anchor="mm"
    )
    img.save(path, optimize=True)


def attachment(path: Path, title: str, pages: int) -> None:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    for n in range(1, pages + 1):
        text = f"BT /F1 20 Tf 72 760 Td ({title}) Tj ET BT /F1 12 Tf 72 730 Td (Side {n}) Tj ET"
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(text.encode("cp1252"))
    pdf.docinfo["/Title"] = title
    pdf.save(path, deterministic_id=True)


def main() -> None:
    (ROOT / "figurer").mkdir(exist_ok=True)
    (ROOT / "vedlegg").mkdir(exist_ok=True)
    figure(ROOT / "figurer" / "loggplattform.png")
    attachment(ROOT / "vedlegg" / "mandat-loggplattform.pdf", "Utkast til mandat", 2)
    attachment(ROOT / "vedlegg" / "kartlegging-logg.pdf", "Kartlegging av logginnsamling", 3)
    attachment(ROOT / "vedlegg" / "retningslinjer-ki.pdf", "Retningslinjer for bruk av KI", 2)
    attachment(ROOT / "vedlegg" / "forhandlingsrom.pdf", "Forhandlingsrom (unntatt offentlighet)", 1)


if __name__ == "__main__":
    main()
