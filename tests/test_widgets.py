"""The explorer driven headlessly: move the sliders in code and look at what it draws."""

import numpy as np
import pytest

from rnnlesson import widgets


@pytest.fixture
def explorer():
    rng = np.random.default_rng(0)
    probabilities = rng.random((6, 28, 10))
    probabilities /= probabilities.sum(axis=2, keepdims=True)
    digits = probabilities[:, -1].argmax(axis=1)
    digits[[1, 4]] = (digits[[1, 4]] + 1) % 10  # two misclassified images
    pixels = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    return widgets.Explorer(pixels, digits, probabilities)


def test_starts_on_the_first_image_after_all_rows(explorer):
    assert explorer.view.image_axis.get_title() == f"#0: true {explorer.digits[0]}, rows read 28"
    assert explorer.picture.value[:4] == b"\x89PNG"


def test_step_slider_changes_title_row_and_bars(explorer):
    before = explorer.picture.value
    explorer.step_slider.value = 7
    assert explorer.view.image_axis.get_title().endswith("rows read 7")
    assert explorer.view.current_row.get_y() == 5.5
    assert "rows read 7 · step 7: predicts" in explorer.caption.value
    np.testing.assert_allclose([bar.get_height() for bar in explorer.view.bars], explorer.probabilities[0, 6])
    assert explorer.picture.value != before


def test_image_slider_changes_the_image(explorer):
    explorer.image_slider.value = 3
    assert explorer.view.image_axis.get_title().startswith(f"#3: true {explorer.digits[3]}")
    np.testing.assert_allclose(explorer.view.trajectory.get_ydata(), explorer.probabilities[3, :, explorer.digits[3]])


def test_jump_to_misclassified(explorer):
    assert explorer.misclassified.tolist() == [1, 4]
    explorer.jump.value = 4
    assert explorer.image_slider.value == 4


def test_select_moves_both_and_refuses_out_of_range(explorer):
    explorer.select(image=2, step=12)
    assert (explorer.image_slider.value, explorer.step_slider.value) == (2, 12)
    with pytest.raises(ValueError, match="rows read must be between 1 and 28, got 29"):
        explorer.select(step=29)
    with pytest.raises(ValueError, match="image must be between 0 and 5, got -1"):
        explorer.select(image=-1)


def test_slider_clamps_values_set_directly(explorer):
    explorer.step_slider.value = 99
    assert explorer.step_slider.value == 28


def test_one_figure_for_all_moves(explorer):
    figure = explorer.view.figure
    for step in range(1, 29):
        explorer.step_slider.value = step
    assert explorer.view.figure is figure


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="same images"):
        widgets.Explorer(np.zeros((3, 28, 28)), np.zeros(2), np.zeros((3, 28, 10)))
