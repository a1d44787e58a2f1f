"""The JSON report (``--format json``): counts and every diagnostic as an object."""

from __future__ import annotations

import json

from saksgen.diagnostics import Diagnostic


def render(diags: list[Diagnostic], checked: list[str]) -> str:
    errors = sum(1 for d in diags if d.severity == "feil")
    doc = {
        "filer": len(checked),
        "feil": errors,
        "advarsler": len(diags) - errors,
        "diagnostikk": [d.as_dict() for d in diags],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
