"""The notebook's code runs, and output is deterministic."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pipeline
from pipeline.evaluate.gold import REPO
from pipeline.export import dumps


def test_quickstart_notebook_runs(capsys) -> None:  # type: ignore[no-untyped-def]
    nb = json.loads((REPO / "notebooks" / "quickstart.ipynb").read_text(encoding="utf-8"))
    cwd = os.getcwd()
    os.chdir(REPO / "notebooks")
    try:
        ns: dict = {}
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                exec(compile(src, "notebook", "exec"), ns)  # noqa: S102
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "identity.t3_balance__total" in out and "rule family" in out


def test_same_input_same_bytes() -> None:
    for p in sorted((REPO / "corpora" / "reports").glob("*.txt")):
        a = dumps(pipeline.process(p))
        b = dumps(pipeline.process(Path(p).read_bytes(), path=str(p)))
        assert a == b
