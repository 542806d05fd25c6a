"""scripts/figures.py: the README's figures read from what the notebooks printed, written between its markers."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("figures", ROOT / "scripts" / "figures.py")
figures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(figures)


def executed(*printed):
    return {"cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "text": text}]}
                      for text in printed]}


TRAIN = executed("Python 3.11.9, TensorFlow 2.21.0, Keras 3.15.1, NumPy 2.1.0; threads: inter-op 2, intra-op 1\n",
                 "trained in 141 s\n", "test accuracy 0.9705\n")
STEPS = executed("median decision row: 20\n",
                 "accuracy after k rows: {7: 0.1, 14: 0.095, 18: 0.2, 21: 0.376, 24: 0.8, 28: 0.9705}\n")


def test_the_figures_are_read_from_the_printed_lines():
    found = figures.read_figures(TRAIN, STEPS)
    assert found["test_accuracy"] == 0.9705 and found["training_seconds"] == 141
    assert found["median_decision"] == "20" and found["accuracy_after"][21] == 0.376
    assert found["setup"].endswith("intra-op 1")


def test_the_table_names_the_cpu_and_shows_the_run():
    seconds = dict(zip(figures.NOTEBOOKS, (180.4, 11.2, 9.6)))
    text = figures.table(figures.read_figures(TRAIN, STEPS), seconds, "AMD EPYC 7B13")
    assert "on AMD EPYC 7B13 (Python 3.11.9" in text
    assert "| 97.0% |" in text and "| 180 s / 11 s / 10 s |" in text and "9.5% / 37.6% / 97.0%" in text


def test_a_changed_printout_is_named():
    with pytest.raises(LookupError, match="test accuracy"):
        figures.read_figures(executed(TRAIN["cells"][0]["outputs"][0]["text"], "trained in 3 s\n"), STEPS)


def test_the_readme_is_rewritten_between_its_markers_only():
    text = "a\n<!-- figures: table -->\nold\n<!-- /figures: table -->\nb\n"
    assert figures.replace_between(text, figures.TABLE, "new") == \
        "a\n<!-- figures: table -->\nnew\n<!-- /figures: table -->\nb\n"
    with pytest.raises(ValueError, match="markers"):
        figures.replace_between("no markers", figures.TABLE, "new")


def test_the_pages_have_their_markers():
    for page, markers in ((figures.TABLE_PAGE, figures.TABLE), (figures.CAPTION_PAGE, figures.CAPTION)):
        figures.replace_between(page.read_text(), markers, "checked")


def test_the_caption_describes_the_probabilities():
    probabilities = np.full((28, 10), 0.05)
    probabilities[:, 2] = np.linspace(0.1, 0.3, 28)
    probabilities[14, 2] = 0.6  # the true class peaks after row 15
    probabilities[19, 7] = 0.45  # after row 20 the readout says 7
    caption = figures.explorer_caption(7, 2, probabilities, step=20)
    assert "test image #7, a 2" in caption and "says 7 (45%)" in caption
    assert "peaks after row 15 (0.60)" in caption and "ends at 0.30" in caption


def test_cpu_name_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: avx2\n")
    assert figures.cpu_name(cpuinfo) == "AMD EPYC 7B13"
