"""Every "Try it yourself" item of notebook 01 runs as written, read from the notebook so it cannot drift.

A config item is put where the notebook says (after `config = Config()` in the Setup cell) and the whole
notebook runs with few iterations; only cells tagged full-training, which check what a full run reaches,
are left out. A code item runs in a new cell after the notebook's main arc.
"""

import numpy as np
import pytest
from notebook_cells import run, try_it_yourself

from rnnlesson.config import Config

NOTEBOOK = "01_train.ipynb"
QUICK = "config = config.replace(iterations=20, log_every=10)"
ITEMS = try_it_yourself(NOTEBOOK)


@pytest.fixture
def scratch_checkpoints(tmp_path, monkeypatch):
    """Checkpoints of these short runs go to a temporary folder, never over the lesson's own."""
    monkeypatch.delenv("RNNLESSON_CHECKPOINT", raising=False)
    monkeypatch.setenv("RNNLESSON_CHECKPOINT_DIR", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def test_the_list_has_both_kinds_of_item():
    assert sum(item.config_change is not None for item in ITEMS) >= 3
    assert sum(item.code is not None for item in ITEMS) >= 1


@pytest.mark.slow
@pytest.mark.parametrize("item", [item for item in ITEMS if item.config_change],
                         ids=lambda item: item.config_change)
def test_config_change_runs_the_whole_notebook(item, scratch_checkpoints):
    namespace = run(NOTEBOOK, after_config=f"{item.config_change}\n{QUICK}", skip_tags=("full-training",))
    changed = {"config": Config()}
    exec(item.config_change, {}, changed)  # noqa: S102
    assert namespace["config"] == changed["config"].replace(iterations=20, log_every=10)
    assert namespace["network"].config == namespace["config"]


@pytest.mark.slow
def test_code_items_run_after_the_main_arc(scratch_checkpoints, capsys):
    namespace = run(NOTEBOOK, after_config=QUICK, skip_tags=("full-training",))
    for item in (item for item in ITEMS if item.code):
        exec(compile(item.code, "try it yourself", "exec"), namespace)  # noqa: S102
        if "c_before" in item.code:  # "c passes through 28 rows unchanged"
            assert np.abs(namespace["c"] - namespace["c_before"]).max() < 1e-6
        if "network.unroll" in item.code:  # the NumPy unroll is the network's
            np.testing.assert_allclose(namespace["h"][-1], namespace["outputs"][-1], atol=1e-5)
    printed = capsys.readouterr().out
    assert "largest change of c over 28 rows:" in printed and "largest difference from network.unroll:" in printed
