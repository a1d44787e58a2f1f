"""How close does ``saksgen.convert.batch.convert`` come to LibreOffice's own conversion time?

The "floor" is the cheapest way LibreOffice itself can turn the same DOCX files into PDFs: ONE bare
``soffice --headless --convert-to pdf --outdir ... <all files>`` call, with no post-processing
(more than ``batch.CHUNK`` files: one such call per chunk, since LibreOffice drops arguments after
the ~253rd).
To keep the comparison fair it gets a private profile prepared exactly as pdf.py prepares its own
(a copy of the same cached, pre-initialised template, copy time included): otherwise the floor
would either pay ~0.15 s for an empty profile, which pdf.py does not, or reuse a warm shared
profile, which pdf.py must not do. It uses LibreOffice's default PDF settings, so it does not pay
for PDF/A and tagging either; the ratio therefore includes that cost too.

Run: ``python -m bench.soffice_floor [N]`` (default N=20). Prints floor time, convert() time,
their ratio and the per-document cost. Floor and convert() alternate, so machine noise (other
LibreOffice users) hits both alike; the ratio of the best runs is the least noisy figure.
"""

from __future__ import annotations

import datetime
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from saksgen.convert import batch
from saksgen.convert import soffice as pdf


def floor_seconds(
    docx_paths: list[Path], outdir: Path, *, shards: int = 1, chunk: int = batch.CHUNK
) -> float:
    """Time a bare LibreOffice batch conversion of ``docx_paths`` into ``outdir``.

    LibreOffice 7.4 silently ignores arguments after the ~253rd (``soffice.MAX_DOCUMENTS``), so a
    long batch is cut into chunks of at most ``chunk`` documents (saksgen's own ``batch.CHUNK``),
    each one ``soffice`` call with a fresh copy of the profile template. ``shards`` chunks run at
    the same time (1: one LibreOffice after the other; 2: as many at once as saksgen uses).
    The documents' file names must be unique (they all land in ``outdir``).
    """
    if chunk > pdf.MAX_DOCUMENTS:
        raise ValueError(f"chunk {chunk} > {pdf.MAX_DOCUMENTS}: LibreOffice would drop documents")
    soffice = pdf.find_soffice()
    # Built outside the timed section, as in convert's steady state (the template is cached).
    template = pdf.profile_template(soffice, 120.0)
    chunks = [docx_paths[i : i + chunk] for i in range(0, len(docx_paths), chunk)]
    with tempfile.TemporaryDirectory(prefix="saksgen-floor-") as tmp:

        def one(n: int) -> None:
            profile = pdf.make_profile(template, Path(tmp) / f"profil{n}")
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(outdir),
                    *map(str, chunks[n]),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=max(1, shards)) as pool:
            list(pool.map(one, range(len(chunks))))
        return time.perf_counter() - start


def make_docx(path: Path, index: int) -> None:
    """A simple case-paper-like DOCX: heading, a few paragraphs with æøå, a subheading."""
    from docx import Document

    doc = Document()
    doc.core_properties.language = "nb-NO"
    doc.add_heading(f"Sak {index}/24 Økonomirapport for året", level=1)
    for n in range(6):
        doc.add_paragraph(
            f"Avsnitt {n}: Styret får en orientering om økonomi, bemanning og mål for "
            "kvalitet i tjenestene. Blåbær, ærfugl og øyer."
        )
    doc.add_heading("Forslag til vedtak", level=2)
    doc.add_paragraph("Styret tar saken til orientering.")
    doc.save(path)


def main(n: int = 20, repeats: int = 7) -> None:
    with tempfile.TemporaryDirectory(prefix="saksgen-bench-") as tmp:
        root = Path(tmp)
        docs = []
        for i in range(n):
            path = root / "inn" / f"sak{i:02d}.docx"
            path.parent.mkdir(exist_ok=True)
            make_docx(path, i)
            docs.append(path)
        jobs = [
            batch.PdfJob(
                d,
                root / "ut" / f"{d.stem}.pdf",
                f"Sak {i}/24",
                "Helse Midt-Norge RHF",
                f"Sak {i}/24",
                datetime.date(2024, 3, 6),
                d.stem,
            )
            for i, d in enumerate(docs)
        ]
        batch.convert(jobs[:1])  # warm the profile template cache and the OS file cache
        floors, converts = [], []
        for _ in range(repeats):
            out = root / "floor"
            shutil.rmtree(out, ignore_errors=True)
            floors.append(floor_seconds(docs, out))
            start = time.perf_counter()
            results = batch.convert(jobs)
            converts.append(time.perf_counter() - start)
            failed = [r for r in results if r.error]
            if failed:
                raise SystemExit(failed[0].error.format() if failed[0].error else "feil")
        floor, conv = statistics.median(floors), statistics.median(converts)
        print(f"N={n}  shards={batch.shards_for(n)}  (median of {repeats})")
        print(f"floor   (1 bare soffice call) {floor:6.2f} s  {[round(x, 2) for x in floors]}")
        print(f"convert (PDF/A + fix-up)      {conv:6.2f} s  {[round(x, 2) for x in converts]}")
        print(
            f"ratio convert/floor           {conv / floor:6.2f}  (best runs: "
            f"{min(converts):.2f} / {min(floors):.2f} = {min(converts) / min(floors):.2f})"
        )
        print(
            f"per document                  {conv / n * 1000:6.0f} ms (convert), "
            f"{floor / n * 1000:.0f} ms (floor)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
