"""The explorer driven headlessly: move the sliders in code and look at what it draws."""

import io

import numpy as np
import pytest
from PIL import Image

from rnnlesson import plots, widgets


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
    with pytest.raises(ValueError, match="rows read must be a whole number between 1 and 28, got 29"):
        explorer.select(step=29)
    with pytest.raises(ValueError, match="image must be a whole number between 0 and 5, got -1"):
        explorer.select(image=-1)


def test_slider_clamps_values_set_directly(explorer):
    explorer.step_slider.value = 99
    assert explorer.step_slider.value == 28


def picture(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def full_redraw(explorer, image, step):
    """The same image and step drawn by a new view from scratch (no saved background)."""
    view = plots.StepView(timestamp_size=explorer.probabilities.shape[1], num_classes=explorer.probabilities.shape[2])
    view.update(explorer.pixels[image], explorer.probabilities[image], int(explorer.digits[image]), step,
                label=f"#{image}: ")
    return picture(view.png())


@pytest.mark.parametrize(("image", "step"), [(2, 12), (0, 1), (5, 28), (3, 27)])
def test_picture_after_select_equals_a_full_redraw(explorer, image, step):
    explorer.select(image=4, step=3)  # somewhere else first, so that the select below redraws over it
    explorer.select(image=image, step=step)
    np.testing.assert_array_equal(picture(explorer.picture.value), full_redraw(explorer, image, step))


def test_moves_reuse_one_figure_and_leave_no_trace(explorer):
    import matplotlib.pyplot as plt

    open_figures, artists = plt.get_fignums(), len(explorer.view.figure.findobj())
    for step in range(1, 29):
        explorer.step_slider.value = step
    for image in range(6):
        explorer.image_slider.value = image
    assert plt.get_fignums() == open_figures
    assert len(explorer.view.figure.findobj()) == artists
    np.testing.assert_array_equal(picture(explorer.picture.value), full_redraw(explorer, 5, 28))


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="same images"):
        widgets.Explorer(np.zeros((3, 28, 28)), np.zeros(2), np.zeros((3, 28, 10)))


@pytest.mark.parametrize(("changes", "message"), [
    ({"image": 2.5}, "image must be a whole number between 0 and 5, got 2.5"),
    ({"step": 3.7}, "rows read must be a whole number between 1 and 28, got 3.7"),
    ({"step": "7"}, "rows read must be a whole number between 1 and 28, got '7'"),
    ({"image": True}, "image must be a whole number between 0 and 5, got True"),
])
def test_select_refuses_what_is_not_a_whole_number(explorer, changes, message):
    with pytest.raises(ValueError, match=message):
        explorer.select(**changes)
    assert (explorer.image_slider.value, explorer.step_slider.value) == (0, 28)


def test_select_takes_numpy_integers(explorer):
    explorer.select(image=np.int64(3), step=np.uint8(5))
    assert (explorer.image_slider.value, explorer.step_slider.value) == (3, 5)


def inputs(images=4, steps=28, classes=10):
    rng = np.random.default_rng(1)
    probabilities = rng.random((images, steps, classes))
    probabilities /= probabilities.sum(axis=-1, keepdims=True)
    return rng.integers(0, 256, (images, 28, 28), dtype=np.uint8), rng.integers(0, classes, images), probabilities


@pytest.mark.parametrize("steps", [27, 40])
def test_probabilities_of_another_number_of_steps_are_refused(steps):
    pixels, digits, probabilities = inputs(steps=steps)
    with pytest.raises(ValueError, match=f"probabilities cover {steps} steps but the images have 28 rows"):
        widgets.Explorer(pixels, digits, probabilities)


@pytest.mark.parametrize(("change", "message"), [
    (lambda p, d, q: (p, np.array([0, 1, 10, 2]), q), "digits must be whole numbers 0-9 .*from 0 to 10"),
    (lambda p, d, q: (p, np.array([0, -1, 3, 2]), q), "digits must be whole numbers 0-9 .*from -1 to 3"),
    (lambda p, d, q: (p, np.array([0.0, 1.5, 3.0, 2.0]), q), "digits must be whole numbers 0-9 .*float64"),
    (lambda p, d, q: (p[:0], d[:0], q[:0]), "at least one image; got 0"),
    (lambda p, d, q: (p, np.eye(10)[d], q), r"digits must be one class per image, shape \(N,\).*one-hot"),
    (lambda p, d, q: (p, d, q[:, -1]), r"probabilities must have shape \(N, steps, classes\).*\(4, 10\)"),
    (lambda p, d, q: (p, d, q[:, :, 0]), r"probabilities must have shape \(N, steps, classes\).*\(4, 28\)"),
    (lambda p, d, q: (p.reshape(4, 784), d, q), r"pixels must be images of shape \(N, 28, 28\).*reshape"),
    (lambda p, d, q: (p, d, np.log(q)), "between 0 and 1 \\(softmax outputs, not logits\\)"),
])
def test_wrong_inputs_are_refused_at_construction(change, message):
    with pytest.raises(ValueError, match=message):
        widgets.Explorer(*change(*inputs()))
