"""Notebook 01's training cell, run twice, trains the same network: same seed, same numbers."""

import json
from pathlib import Path

import numpy as np
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "01_train.ipynb"
QUICK = "\nconfig = config.replace(iterations=12, batch_size=16, log_every=6)\n"


@pytest.mark.slow
@pytest.mark.reruns
def test_the_training_cell_run_twice_gives_the_same_losses_and_weights():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    training = next(cell for cell in code if "history = train.fit(network, mnist, config)" in cell)
    namespace = {"__name__": "__main__"}
    exec(code[0] + QUICK, namespace)  # noqa: S102 - the Setup cell
    exec(next(cell for cell in code if cell.startswith("mnist = data.load_mnist")), namespace)  # noqa: S102
    runs = []
    for _ in range(2):
        exec(training, namespace)  # noqa: S102
        runs.append((namespace["history"].loss, [weight.numpy() for weight in namespace["network"].weights]))
    # the same batches, masks and weights; only float32 rounding may differ (threads add in either order)
    np.testing.assert_allclose(runs[0][0], runs[1][0], rtol=1e-5)
    for first, second in zip(runs[0][1], runs[1][1]):
        np.testing.assert_allclose(first, second, rtol=1e-4, atol=1e-6)
