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
