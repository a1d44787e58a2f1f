#!/usr/bin/env python3
"""Create the built-in protokoll template ``saksgen/maler/protokoll.docx`` once.

Usage:  python tools/make_protokoll_template.py [--root DIR]

The Word file is the source (DESIGN §12): this script only writes a template that does not
exist yet, and never overwrites one. It reuses make_templates.py's styles and packaging, so the
protokoll looks like the agenda. Every label is a text of the meeting's målform (``{{ tekst.… }}``)
because one template serves both bokmål and nynorsk profiles.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_templates import AGENDA_ACCENT, BOLD, ROOT, TAB, package, pandoc_reference, para, run

PROTOKOLL_TEMPLATE = "saksgen/maler/protokoll.docx"


def _label_line(label_key: str, var: str) -> str:
    return "".join(
        [
            para(run(f"{{%p if {var} %}}"), style="Topplinje"),
            para(run(f"{{{{ tekst.{label_key} }}}}:", BOLD), TAB, run(f"{{{{ {var} }}}}"), style="Topplinje"),
            para(run("{%p endif %}"), style="Topplinje"),
        ]
    )


def _names(label_key: str, var: str) -> str:
    return "".join(
        [
            para(run(f"{{%p if {var} %}}")),
            para(run(f"{{{{ tekst.{label_key} }}}}"), style="Heading2"),
            para(run(f"{{%p for navn in {var} %}}")),
            para(run("{{ navn }}")),
            para(run("{%p endfor %}")),
            para(run("{%p endif %}")),
        ]
    )


def protokoll_body() -> str:
    return "".join(
        [
            para(run("{{ tittel }}"), style="Title"),
            _label_line("dato", "dato"),
            _label_line("tid", "tid"),
            _label_line("sted", "sted"),
            _label_line("moteleder", "moteleder"),
            _label_line("referent", "referent"),
            _names("tilstede", "tilstede"),
            _names("forfall", "forfall"),
            _names("andre", "andre"),
            para(run("{{ innhold }}")),
            para(run("{{ tekst.signatur }}"), style="Heading2"),
            para(run("{{ tekst.sted_dato }}: ______________________________")),
            para(run("______________________________"), ppr='<w:spacing w:before="480"/>'),
            para(run("{{ moteleder }}"), TAB, run("({{ tekst.moteleder }})")),
            para(run("______________________________"), ppr='<w:spacing w:before="480"/>'),
            para(run("{{ referent }}"), TAB, run("({{ tekst.referent }})")),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: %(default)s)")
    args = parser.parse_args(argv)
    target = args.root / PROTOKOLL_TEMPLATE
    if target.exists():
        print(f"finnes allerede, rører den ikke: {PROTOKOLL_TEMPLATE}")
        return 0
    data = package(pandoc_reference(), protokoll_body(), AGENDA_ACCENT, with_marking=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"skrev {PROTOKOLL_TEMPLATE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
