"""The what-if notebook runs headless (papermill) on the sample data with default values."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from antikorupsi.pipeline import score_and_write

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "what_if.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    # plain values only: papermill overrides them, anything derived would go stale
    names = {line.split("=")[0].strip() for line in params[0].source.splitlines() if "=" in line}
    assert names == {"year", "processed_dir", "scenario_dir"}
    assert "(" not in params[0].source
    assert "widgets" not in nb.metadata


@pytest.mark.slow
def test_notebook_runs_headless_and_shows_the_ranking_table(tmp_path):
    import papermill

    processed = tmp_path / "processed"
    score_and_write(2025, ROOT / "data" / "raw", processed)
    scenarios = tmp_path / "skenario"
    out = tmp_path / "what_if.out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), kernel_name="python3", cwd=str(tmp_path),
        progress_bar=False, log_output=False, execution_timeout=300,
        parameters={"year": 2025, "processed_dir": str(processed),
                    "scenario_dir": str(scenarios)})

    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    html = "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)
    # the printable snapshot: ranking table (official vs what-if), chart, assumptions
    for text in ("Per. skenario", "Per. resmi", "Δ per.", "Skor resmi", "Skor skenario",
                 "Kota Tangerang Selatan", "93,50", "Tidak ada penetapan yang berubah",
                 "DATA SINTETIS"):
        assert text in html, text
    assert any("image/png" in o.get("data", {}) for o in outputs)
    # the live explorer rendered its widgets, with the same table inside them
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in outputs)
    state = json.dumps(nb.metadata.get("widgets", {}))
    assert "Simpan skenario" in state and "Per. skenario" in state
    assert "100,0%" in state
    # nothing was saved by just running it
    assert not scenarios.exists()
