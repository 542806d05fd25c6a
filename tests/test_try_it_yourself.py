"""Every "Try it yourself" item of the three notebooks runs as written, read from the notebook so it cannot drift.

A config item is put where the notebook says (after `config = Config()` in the Setup cell) and the whole
notebook runs with few iterations; only cells tagged full-training, which check what a full run reaches,
are left out. A code item runs in a new cell after the notebook's main arc.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from notebook_cells import run, try_it_yourself

from rnnlesson.config import Config

MINIMUM_CONFIG_CHANGES = {"01_train.ipynb": 3, "02_outputs_and_state.ipynb": 1, "03_step_probabilities.ipynb": 1}
NOTEBOOKS = list(MINIMUM_CONFIG_CHANGES)
QUICK = "config = config.replace(iterations=30, batch_size=32, log_every=10)"  # the tests' only change
SKIP = ("full-training",)


def changed(*lines):
    """The Config that `lines` (each `config = config.replace(...)`) make of the default one."""
    namespace = {"config": Config()}
    for line in lines:
        exec(line, namespace)  # noqa: S102
    return namespace["config"]


CONFIG_CASES = [(notebook, item.config_change) for notebook in NOTEBOOKS
                for item in try_it_yourself(notebook) if item.config_change]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_each_notebook_invites_config_changes_and_code(notebook):
    items = try_it_yourself(notebook)
    changes = [item.config_change for item in items if item.config_change]
    blocks = [item.code for item in items if item.code]
    assert len(changes) >= MINIMUM_CONFIG_CHANGES[notebook] and blocks
    for line in changes:  # each change names real Config fields with valid values
        assert changed(line) != Config()
    for block in blocks:
        compile(block, notebook, "exec")


@pytest.mark.slow
@pytest.mark.reruns
@pytest.mark.parametrize(("notebook", "config_change"), CONFIG_CASES,
                         ids=[f"{notebook[:2]}:{change}" for notebook, change in CONFIG_CASES])
def test_config_change_runs_the_whole_notebook(notebook, config_change, own_checkpoints):
    namespace = run(notebook, after_config=f"{config_change}\n{QUICK}", skip_tags=SKIP)
    assert namespace["config"] == changed(config_change, QUICK)
    assert namespace["network"].config == namespace["config"]  # the notebook used a network of this config
    assert list(own_checkpoints.glob("*.npz")), "the trained network was saved in the tests' checkpoint folder"


@pytest.mark.slow
@pytest.mark.reruns
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_code_items_run_after_the_main_arc(notebook, capsys):
    namespace = run(notebook, after_config=QUICK, skip_tags=SKIP)
    for number, item in enumerate(item for item in try_it_yourself(notebook) if item.code):
        capsys.readouterr()
        try:
            exec(compile(item.code, f"{notebook} try-it block {number}", "exec"), namespace)  # noqa: S102
        finally:
            plt.close("all")
        printed = capsys.readouterr().out
        if "c_before" in item.code:  # "c passes through 28 rows unchanged"
            assert np.abs(namespace["c"] - namespace["c_before"]).max() < 1e-6
            assert "largest change of c over 28 rows:" in printed
        if "network.unroll" in item.code:  # the NumPy unroll is the network's
            np.testing.assert_allclose(namespace["h"][-1], namespace["outputs"][-1], atol=1e-5)
            assert "largest difference from network.unroll:" in printed
