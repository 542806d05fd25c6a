"""Under nbval, one more check after each notebook's cells: every number its prose states, the run printed.

It reads the outputs nbval collected while running the cells, so the notebook runs once, as before. That run
is also kept, as an executed copy under artifacts/executed/ (zh-CN/ for the Chinese edition), for what is read
from a run rather than run again.
"""

import importlib.util
import json
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "lesson_text", Path(__file__).resolve().parents[1] / "scripts" / "lesson_text.py")
lesson_text = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lesson_text)
NOTEBOOKS = Path(__file__).resolve().parent
EXECUTED = NOTEBOOKS.parent / "artifacts" / "executed"


class ProseNumbers(pytest.Item):
    """The notebook's prose numbers against what its cells printed (in this run) and its code."""

    def __init__(self, *, cells, **kwargs):
        super().__init__(**kwargs)
        self.cells = cells  # the notebook's nbval items, in order

    def runtest(self):
        if any(cell.test_outputs is None for cell in self.cells):
            pytest.skip("not every cell of this notebook ran, so its outputs are incomplete")
        outputs = {cell.cell_num: cell.test_outputs for cell in self.cells}
        code_number = 0
        executed = []
        for cell in self.parent.nb.cells:
            cell = dict(cell)
            if cell["cell_type"] == "code":
                cell["outputs"] = outputs[code_number]
                code_number += 1
            executed.append(cell)
        keep_executed(self.path, dict(self.parent.nb, cells=executed))
        untraced = lesson_text.untraced_numbers({"cells": executed})
        if untraced:
            raise AssertionError("numbers in the prose that no output of this run and no code contains "
                                 "(print them from a cell, phrase them without a number, or, for a constant "
                                 "of the method, add them to ALLOWED in scripts/lesson_text.py):\n"
                                 + "\n".join(f"  {number}: ...{context}..." for number, context in untraced))

    def reportinfo(self):
        return self.path, 0, "prose numbers"


def keep_executed(path, notebook):
    """Write the executed notebook to artifacts/executed/, under its path relative to notebooks/."""
    out = EXECUTED / Path(path).resolve().relative_to(NOTEBOOKS)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    partial.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    partial.replace(out)


def pytest_collection_modifyitems(session, config, items):
    """After the last cell of each notebook nbval collected, its prose-numbers check."""
    by_notebook = {}
    for position, item in enumerate(items):
        if type(item).__name__ == "IPyNbCell":
            by_notebook.setdefault(item.parent, []).append(position)
    for notebook, positions in sorted(by_notebook.items(), key=lambda pair: -pair[1][-1]):
        check = ProseNumbers.from_parent(notebook, name="prose numbers",
                                         cells=[items[position] for position in positions])
        items.insert(positions[-1] + 1, check)
