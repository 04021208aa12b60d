"""The drift report as JSON (for machines) and HTML (for people)."""

from __future__ import annotations

import html
import json
from pathlib import Path

STYLE = "body {font-family: sans-serif} td, th {padding: 4px 10px} .drift {background: #fdd} .ok {background: #dfd}"


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # allow_nan=False: NaN is not JSON; the statistics never produce it, and must not start silently.
    path.write_text(json.dumps(result, indent=2, allow_nan=False) + "\n")


def write_html(result: dict, path: Path) -> None:
    def cell(value) -> str:
        text = "-" if value is None else f"{value:.4g}" if isinstance(value, float) else str(value)
        return f"<td>{html.escape(text)}</td>"

    rows = "\n".join(
        f'<tr class="{"drift" if f["drifted"] else "ok"}">'
        + cell(name)
        + "".join(cell(f[key]) for key in ("psi", "ks_pvalue", "drifted"))
        + "</tr>"
        for name, f in result["features"].items()
    )
    status = "DRIFT DETECTED" if result["drift"] else "no drift"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Drift report</title>
<style>{STYLE}</style>
</head><body>
<h1>Drift report: {html.escape(status)}</h1>
<p>{result["current_rows"]} live rows against {result["reference_rows"]} reference rows.
PSI threshold {result["psi_threshold"]}, KS p-value threshold {result["ks_pvalue_threshold"]}.</p>
<table><tr><th>feature</th><th>PSI</th><th>KS p-value</th><th>drifted</th></tr>
{rows}
</table></body></html>
""")
