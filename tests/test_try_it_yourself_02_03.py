"""Every "Try it yourself" item of notebooks 02 and 03 runs as written.

Config items are made in the Setup cell, then every code cell runs (as Run All would), with a small
iteration count and checkpoints in a temporary folder. Code blocks run after the main arc, in the
namespace of a run with a quickly trained small network.
"""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from notebook_cells import try_it_yourself  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["02_outputs_and_state.ipynb", "03_step_probabilities.ipynb"]
QUICK = "config = config.replace(iterations=30, batch_size=32, log_every=10)"  # the test's only change


def cells(name):
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def try_it_items(name):
    """(config lines, code blocks) of the notebook's "## Try it yourself" cell."""
    items = try_it_yourself(name)
    return [item.config_change for item in items if item.config_change], [item.code for item in items if item.code]


def code_cells(name):
    return [source(cell) for cell in cells(name) if cell["cell_type"] == "code"]


def run_notebook(name, config_line, checkpoint_folder, monkeypatch):
    """Run every code cell of the notebook with config_line made in the Setup cell; return the namespace."""
    monkeypatch.setenv("RNNLESSON_CHECKPOINT_DIR", str(checkpoint_folder))
    monkeypatch.delenv("RNNLESSON_CHECKPOINT", raising=False)
    setup, *rest = code_cells(name)
    assert "config = lesson_config.Config()" in setup, f"{name}: the Setup cell makes config"
    setup = setup.replace("config = lesson_config.Config()",
                          "config = lesson_config.Config()\n" + config_line + "\n" + QUICK)
    namespace = {"__name__": "__main__"}
    try:
        for number, code in enumerate([setup, *rest]):
            exec(compile(code, f"{name} code cell {number}", "exec"), namespace)
            plt.close("all")
    finally:
        plt.close("all")
    return namespace


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_invites_config_changes_and_code(name):
    from rnnlesson import config as lesson_config

    config_lines, code_blocks = try_it_items(name)
    assert config_lines and code_blocks
    for line in config_lines:  # each change names real Config fields with valid values
        namespace = {"config": lesson_config.Config()}
        exec(line, namespace)
        assert namespace["config"] != lesson_config.Config()
    for block in code_blocks:
        compile(block, name, "exec")


CONFIG_CASES = [(name, line) for name in NAMES for line in try_it_items(name)[0]]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "config_line"), CONFIG_CASES, ids=[f"{n[:2]}:{c}" for n, c in CONFIG_CASES])
def test_config_item_runs_the_whole_notebook(name, config_line, tmp_path, monkeypatch):
    namespace = run_notebook(name, config_line, tmp_path, monkeypatch)
    config = namespace["config"]
    changed = eval(config_line.split("=", 1)[1].strip().replace("config.replace", "dict"))
    assert all(getattr(config, field) == value for field, value in changed.items())
    assert namespace["network"].config == config  # the notebook used a network of this config
    assert list(tmp_path.glob("*.npz")), "the trained network was saved in the temporary folder"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_code_items_run_after_the_main_arc(name, tmp_path, monkeypatch):
    namespace = run_notebook(name, "config = config.replace(num_hidden=16)", tmp_path, monkeypatch)
    for number, block in enumerate(try_it_items(name)[1]):
        exec(compile(block, f"{name} try-it block {number}", "exec"), namespace)
        plt.close("all")
