import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

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
    assert loss_axis.get_yscale() == "log" and "log scale" in loss_axis.get_title()


def test_digits_titles(mnist):
    figure = plots.digits(mnist.test.pixels, mnist.test.digits, count=4)
    assert [axis.get_title() for axis in figure.axes] == [str(d) for d in mnist.test.digits[:4]]


def test_outputs_heatmap_shows_steps_by_units():
    outputs = np.random.default_rng(0).uniform(-1, 1, (28, 256))
    figure = plots.outputs_heatmap(outputs)
    np.testing.assert_array_equal(figure.axes[0].images[0].get_array(), outputs)
    assert figure.axes[0].images[0].get_extent()[2:] == [28.5, 0.5]  # rows read 1 (top) to 28 (bottom)
    assert "28 rows read x 256 units" in figure.axes[0].get_title()


def test_unrolled_diagram_has_a_box_per_layer_and_step():
    figure = plots.unrolled_diagram(steps=3, layers=2)
    assert len(figure.axes[0].patches) == 6


def test_cell_diagram_names_what_enters_the_gates_and_what_leaves():
    figure = plots.cell_diagram(input_num=28, num_hidden=64)
    texts = " ".join(text.get_text() for text in figure.axes[0].texts)
    for name in ("$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$c_t$", "$h_t$", "forget", "input", "candidate", "output"):
        assert name in texts
    assert "(batch, 28)" in texts and "(batch, 64)" in texts and "256" not in texts
    banner = next(text.get_text() for text in figure.axes[0].texts if text.get_text().startswith("one LSTM cell"))
    assert "28 numbers" in banner and "64" in banner  # x_t carries a row, the other arrows num_hidden


def random_probabilities(steps=28, seed=0):
    probabilities = np.random.default_rng(seed).random((steps, 10))
    return probabilities / probabilities.sum(axis=1, keepdims=True)


def test_step_bars_grid_has_28_panels_with_the_step_titles():
    probabilities = random_probabilities()
    figure = plots.step_bars(probabilities, true_class=4)
    panels = [axis for axis in figure.axes if axis.patches]
    assert len(panels) == 28
    predictions = probabilities.argmax(axis=1)
    assert [axis.get_title() for axis in panels] == [f"row {k + 1}: {predictions[k]}" for k in range(28)]
    np.testing.assert_allclose([bar.get_height() for bar in panels[6].patches], probabilities[6])
    assert all(axis.get_ylim() == (0, 1) for axis in panels)
    green = matplotlib.colors.to_rgba(plots.TRUE_CLASS)
    assert all(axis.patches[4].get_facecolor() == green for axis in panels)


def test_probability_heatmap_and_trajectory():
    probabilities = random_probabilities()
    heatmap = plots.probability_heatmap(probabilities, true_class=2)
    np.testing.assert_array_equal(heatmap.axes[0].images[0].get_array(), probabilities)
    assert heatmap.axes[0].images[0].get_extent()[2:] == [28.5, 0.5]  # rows read 1 (top) to 28 (bottom)
    assert heatmap.axes[0].get_ylabel() == "rows read"
    trajectory = plots.true_class_trajectory(probabilities, true_class=2)
    np.testing.assert_allclose(trajectory.axes[0].lines[0].get_ydata(), probabilities[:, 2])
    others = probabilities.copy()
    others[:, 2] = -1
    np.testing.assert_allclose(trajectory.axes[0].lines[1].get_ydata(), others.max(axis=1))
    strongest = others.argmax(axis=1)
    changes = [0] + [row for row in range(1, 28) if strongest[row] != strongest[row - 1]]
    labels = [(text.get_text(), text.xy[0]) for text in trajectory.axes[0].texts]
    assert labels == [(str(strongest[row]), row + 1) for row in changes]  # each change of class is labelled


def test_decision_summary_panels():
    decisions = np.array([1, 5, 5, 28])
    figure = plots.decision_summary(decisions, np.array([0, 1, 1, 2]), np.linspace(0.1, 0.97, 28))
    histogram, by_class, accuracy = figure.axes
    assert sum(patch.get_height() for patch in histogram.patches) == 4
    assert [bar.get_height() for bar in by_class.patches][:3] == [1, 5, 28]


def test_step_view_updates_in_place():
    view = plots.StepView()
    probabilities = random_probabilities()
    pixels = np.random.default_rng(1).integers(0, 256, (28, 28))
    figure = view.update(pixels, probabilities, true_class=3, step=5)
    first = view.png()
    assert view.update(pixels, probabilities, true_class=3, step=20) is figure
    second = view.png()
    assert first != second and second[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_allclose([bar.get_height() for bar in view.bars], probabilities[19])
    assert view.current_row.get_y() == 18.5  # the 20th row, index 19, spans 18.5 to 19.5
    assert view.unread.get_array()[20:, :, 3].min() > 0 and view.unread.get_array()[:20, :, 3].max() == 0  # rows 21-28
    assert view.image_axis.get_title() == "true 3, rows read 20"


def test_step_view_refuses_a_step_outside_1_to_28():
    view = plots.StepView()
    with pytest.raises(ValueError, match="between 1 and 28"):
        view.update(np.zeros((28, 28)), random_probabilities(), true_class=0, step=0)


def gated_trace(rows=28, units=6, seed=0):
    from rnnlesson import probe

    rng = np.random.default_rng(seed)
    shape = (rows, 2, 3, units)
    i, f, o = (rng.random(shape) for _ in range(3))
    g, c = rng.uniform(-1, 1, shape), rng.uniform(-3, 3, shape)
    h = o * np.tanh(c)
    return probe.Trace(outputs=h[:, -1], h=h, c=c, i=i, f=f, g=g, o=o)


def test_gates_over_time_draws_each_gate_of_the_chosen_layer_image_and_units():
    traced = gated_trace()
    figure = plots.gates_over_time(traced, units=[1, 4], image=2, layer=-1)
    panels = figure.axes
    assert [axis.get_title().split(":")[0] for axis in panels] == [
        "input gate i", "forget gate f", "candidate g", "output gate o", "cell state c", "hidden state h"]
    for axis, name in zip(panels, "ifgoch"):
        unit_lines = [line for line in axis.lines if len(line.get_xdata()) == 28]
        np.testing.assert_array_equal(unit_lines[1].get_ydata(), getattr(traced, name)[:, 1, 2, 4])
        np.testing.assert_array_equal(unit_lines[0].get_xdata(), np.arange(1, 29))  # rows read 1..28
    assert panels[-1].get_xlabel() == "rows read"
    assert figure._suptitle.get_text().startswith("layer 2, image 2")


def test_gates_over_time_needs_a_gated_trace():
    traced = gated_trace()
    plain = type(traced)(outputs=traced.outputs, h=traced.h, c=traced.c)
    with pytest.raises(ValueError, match="gates=True"):
        plots.gates_over_time(plain, units=[0])


def test_backpropagation_diagram_names_the_rows_and_the_factors():
    figure = plots.backpropagation_diagram()
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert [text for text in texts if text.startswith("row ")] == [f"row {row}" for row in (1, 2, 3, 26, 27, 28)]
    assert "$\\partial h_{28}/\\partial h_{27}$" in texts and any("28 - t factors" in text for text in texts)


def test_gradient_by_row_draws_each_curve_on_a_log_scale():
    curves = {"LSTM": np.geomspace(1e-3, 1, 28), "SimpleRNN": np.geomspace(1e-6, 1, 28)}
    axis = plots.gradient_by_row(curves).axes[0]
    assert axis.get_yscale() == "log" and [line.get_label() for line in axis.lines] == list(curves)
    np.testing.assert_array_equal(axis.lines[1].get_xdata(), np.arange(1, 29))
    np.testing.assert_array_equal(axis.lines[1].get_ydata(), curves["SimpleRNN"])


# Colour vision: the pairs of colours that carry a meaning must stay apart for a reader with deuteranopia,
# the most common colour-vision deficiency. Simulated with Machado, Oliveira & Fernandes (2009), severity 1,
# on linear RGB; distance as CIE76 delta E in CIELAB (about 2.3 is just noticeable; 20 and more reads at a glance).
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968],
                         [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
MEANINGFUL_PAIRS = {
    "true class / wrong prediction": (plots.TRUE_CLASS, plots.WRONG_CLASS),
    "true class / other classes": (plots.TRUE_CLASS, plots.OTHER_CLASS),
    "wrong prediction / other classes": (plots.WRONG_CLASS, plots.OTHER_CLASS),
    "output (blue) / state (orange)": (plots.BLUE, plots.ORANGE),
    "forward (blue) / gradient (red)": (plots.BLUE, plots.WRONG_CLASS),
}
SEEN_AT_A_GLANCE = 20


def lab_as_seen(color, simulation=None):
    """CIELAB (D65) of a matplotlib colour, after `simulation` (a 3 x 3 matrix on linear RGB) if given."""
    srgb = np.array(matplotlib.colors.to_rgb(color))
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    if simulation is not None:
        linear = np.clip(simulation @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz /= [0.95047, 1.0, 1.08883]
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance_with_deuteranopia(first, second):
    return float(np.linalg.norm(lab_as_seen(first, DEUTERANOPIA) - lab_as_seen(second, DEUTERANOPIA)))


@pytest.mark.parametrize("pair", MEANINGFUL_PAIRS)
def test_colours_that_carry_a_meaning_stay_apart_with_deuteranopia(pair):
    first, second = MEANINGFUL_PAIRS[pair]
    assert distance_with_deuteranopia(first, second) > SEEN_AT_A_GLANCE, pair


def test_the_deuteranopia_check_tells_the_old_green_and_red_apart_from_the_new():
    # matplotlib's tab:green and tab:red, which the figures used before, nearly merge for this reader
    assert distance_with_deuteranopia("tab:green", "tab:red") < SEEN_AT_A_GLANCE
    assert distance_with_deuteranopia(plots.TRUE_CLASS, plots.WRONG_CLASS) > SEEN_AT_A_GLANCE
    # and without the simulation the check sees a plain difference between red and green
    assert np.linalg.norm(lab_as_seen("tab:green") - lab_as_seen("tab:red")) > SEEN_AT_A_GLANCE


def test_the_lines_of_several_units_stay_apart_with_deuteranopia():
    colours = plots.LINES
    nearest = min(distance_with_deuteranopia(a, b) for i, a in enumerate(colours) for b in colours[i + 1:])
    assert nearest > 10, nearest  # lines also differ in style and carry a legend; at a glance for the first four
    first_four = colours[:4]
    assert min(distance_with_deuteranopia(a, b) for i, a in enumerate(first_four) for b in first_four[i + 1:]) > 15


def every_figure(mnist):
    """One figure from each plotting function of the lesson, with small made-up inputs."""
    probabilities = random_probabilities()
    history = train.History(loss=np.linspace(2, 0.1, 120), accuracy=np.linspace(0.1, 0.99, 120), log=[])
    decisions = np.random.default_rng(1).integers(1, 29, 200)
    return {
        "digits": plots.digits(mnist.test.pixels, mnist.test.digits, count=3),
        "rows_as_timesteps": plots.rows_as_timesteps(mnist.test.pixels[0]),
        "training_curves": plots.training_curves(history),
        "outputs_heatmap": plots.outputs_heatmap(np.zeros((28, 16))),
        "unrolled_diagram": plots.unrolled_diagram(),
        "cell_diagram": plots.cell_diagram(),
        "step_bars": plots.step_bars(probabilities, true_class=4),
        "probability_heatmap": plots.probability_heatmap(probabilities, true_class=4),
        "true_class_trajectory": plots.true_class_trajectory(probabilities, true_class=4),
        "decision_summary": plots.decision_summary(decisions, np.arange(200) % 10, np.linspace(0.1, 0.9, 28)),
        "gates_over_time": plots.gates_over_time(gated_trace(), units=[1, 4]),
        "backpropagation_diagram": plots.backpropagation_diagram(),
        "gradient_by_row": plots.gradient_by_row({"a": np.ones(28), "b": np.linspace(1, 2, 28)}),
    }


def test_every_figure_describes_itself_in_a_sentence_with_its_own_numbers(mnist):
    figures = every_figure(mnist)
    public = {name for name, value in vars(plots).items() if callable(value) and not name.startswith("_")
              and getattr(value, "__module__", "") == plots.__name__ and not isinstance(value, type)}
    assert public - {"moving_average", "described"} == set(figures)  # a new plotting function needs a description
    for name, figure in figures.items():
        assert figure.alt_text.endswith(".") and len(figure.alt_text.split()) >= 10, (name, figure.alt_text)
        assert "{" not in figure.alt_text, (name, figure.alt_text)
    digits = ", ".join(str(int(digit)) for digit in mnist.test.digits[:3])
    assert figures["digits"].alt_text.endswith(f"label above it: {digits}.")
    assert figures["step_bars"].alt_text.endswith(f"final prediction is {random_probabilities()[-1].argmax()}.")
    assert f"ends at {random_probabilities()[-1, 4]:.2f}" in figures["true_class_trajectory"].alt_text
    plots.plt.close("all")


def test_the_descriptions_follow_the_notebooks_language(mnist):
    import rnnlesson

    rnnlesson.set_language("zh-CN")
    try:
        chinese = every_figure(mnist)
    finally:
        rnnlesson.set_language("en")
    for name, figure in chinese.items():
        assert any("\u4e00" <= character <= "\u9fff" for character in figure.alt_text), (name, figure.alt_text)
    plots.plt.close("all")


def test_one_digit_is_described_in_the_singular(mnist):
    figure = plots.digits(mnist.test.pixels[4:], mnist.test.digits[4:], count=1)
    assert figure.alt_text == f"A handwritten digit from MNIST, with its label above it: {int(mnist.test.digits[4])}."
    plots.plt.close(figure)
