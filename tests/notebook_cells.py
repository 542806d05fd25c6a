"""Read the notebooks for the tests: a code cell by what it defines, the "Try it yourself" items; run one in-process."""

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CONFIG_CHANGE = re.compile(r"`(config = config\.replace\([^`]*\))`")
SETUP_CONFIG = re.compile(r"^config = Config\(\).*$", re.MULTILINE)  # the Setup cell's line
FENCED_PYTHON = re.compile(r"```python\n(.*?)\n\s*```", re.DOTALL)


def cells(notebook):
    """The notebook's cells, each with its source joined into one string."""
    loaded = json.loads((NOTEBOOKS / notebook).read_text())["cells"]
    return [dict(cell, source="".join(cell["source"])) for cell in loaded]


def code_defining(notebook, text):
    """The source of the one code cell that contains `text` (for example "def lstm_step")."""
    found = [cell["source"] for cell in cells(notebook) if cell["cell_type"] == "code" and text in cell["source"]]
    if len(found) != 1:
        raise LookupError(f"{notebook}: expected one code cell containing {text!r}, found {len(found)}.")
    return found[0]


@dataclass(frozen=True)
class TryItem:
    """One bullet of "Try it yourself": a config change for the Setup cell, or code for a new cell."""

    text: str
    config_change: str | None = None  # e.g. 'config = config.replace(num_hidden=64)'
    code: str | None = None


def try_it_yourself(notebook):
    """The items of the notebook's "## Try it yourself" cell, in order; an item that is neither kind is refused."""
    found = [cell["source"] for cell in cells(notebook)
             if cell["cell_type"] == "markdown" and cell["source"].startswith("## Try it yourself")]
    if len(found) != 1:
        raise LookupError(f"{notebook}: expected one '## Try it yourself' cell, found {len(found)}.")
    bullets = re.split(r"^- ", found[0].split("\n", 1)[1], flags=re.MULTILINE)[1:]
    items = []
    for bullet in bullets:
        code = FENCED_PYTHON.search(bullet)
        change = CONFIG_CHANGE.search(bullet)
        if code and change:
            raise ValueError(f"{notebook}: a 'Try it yourself' item is one config change or one code block: {bullet!r}")
        if code:
            items.append(TryItem(bullet.strip(), code=textwrap.dedent(code.group(1))))
        elif change:
            items.append(TryItem(bullet.strip(), config_change=change.group(1)))
        else:
            raise ValueError(f"{notebook}: a 'Try it yourself' item is neither a config change nor code: {bullet!r}")
    return items


def run(notebook, after_config="", skip_tags=(), replace=None):
    """Execute the notebook's code cells in one namespace, as Run All would; returns the namespace.

    after_config: lines inserted right after `config = Config()` in the Setup cell (where a learner is told
    to put a change). Cells carrying one of skip_tags are left out. replace: {cell id: source} to run in
    those cells' place (an exercise with its answer filled in).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    replace = dict(replace or {})
    namespace = {"__name__": "__main__"}
    setup_done = False
    for cell in cells(notebook):
        if cell["cell_type"] != "code" or set(cell.get("metadata", {}).get("tags", [])) & set(skip_tags):
            continue
        source = replace.pop(cell["id"], cell["source"])
        if not setup_done and SETUP_CONFIG.search(source):
            source = SETUP_CONFIG.sub(lambda line: f"{line.group(0)}\n{after_config}", source, count=1)
            setup_done = True
        try:
            exec(compile(source, f"{notebook}:{cell['id']}", "exec"), namespace)  # noqa: S102
        finally:
            plt.close("all")
    if after_config and not setup_done:
        raise LookupError(f"{notebook}: no Setup cell with `config = Config()` to change.")
    if replace:
        raise LookupError(f"{notebook}: no code cells {sorted(replace)} to replace.")
    return namespace
