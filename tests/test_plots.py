import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from rnnlesson import plots, train  # noqa: E402


def test_moving_average_against_a_plain_loop():
    values = np.random.default_rng(0).random(20)
    expected = [values[i:i + 5].mean() for i in range(16)]
    np.testing.assert_allclose(plots.moving_average(values, 5), expected)


def test_training_curves_draw_history_and_log():
    history = train.History(
        loss=np.linspace(2, 0.1, 120), accuracy=np.linspace(0.1, 0.99, 120), log=[(0, 0, 0.1), (100, 1, 0.9)]
    )
    figure = plots.training_curves(history)
    loss_axis, accuracy_axis = figure.axes
    np.testing.assert_allclose(loss_axis.lines[0].get_ydata(), history.loss)
    np.testing.assert_allclose(accuracy_axis.lines[1].get_xdata(), [0, 100])
    assert accuracy_axis.get_title() == "training accuracy"


def test_digits_titles(mnist):
    figure = plots.digits(mnist.test.pixels, mnist.test.digits, count=4)
    assert [axis.get_title() for axis in figure.axes] == [str(d) for d in mnist.test.digits[:4]]


def test_outputs_heatmap_shows_steps_by_units():
    outputs = np.random.default_rng(0).uniform(-1, 1, (28, 256))
    figure = plots.outputs_heatmap(outputs)
    np.testing.assert_array_equal(figure.axes[0].images[0].get_array(), outputs)


def test_h_and_c_draw_one_line_per_unit():
    h, c = np.zeros((28, 8)), np.arange(28 * 8, dtype=float).reshape(28, 8)
    figure = plots.h_and_c(h, c, units=[1, 5])
    h_axis, c_axis = figure.axes
    unit_lines = [line for line in c_axis.lines if len(line.get_xdata()) == 28]
    np.testing.assert_array_equal(unit_lines[1].get_ydata(), c[:, 5])
    assert h_axis.get_title().startswith("h") and c_axis.get_title().startswith("c")


def test_unrolled_diagram_has_a_box_per_layer_and_step():
    figure = plots.unrolled_diagram(steps=3, layers=2)
    assert len(figure.axes[0].patches) == 6
