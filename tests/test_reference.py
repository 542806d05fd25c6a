"""rnnlesson.reference, the float64 NumPy LSTM and the keras.layers.LSTM stack the other checks rely on,
against Keras' own LSTMCell run step by step; and notebook 01's lstm_step against the reference."""

import keras
import numpy as np
import pytest
from notebook_cells import code_defining

from rnnlesson import model, reference
from rnnlesson.config import Config


def notebook_lstm_step():
    """The lstm_step that notebook 01 shows a learner, taken from the notebook itself."""
    namespace = {"np": np}
    exec(code_defining("01_train.ipynb", "def lstm_step"), namespace)  # noqa: S102
    return namespace["lstm_step"]


@pytest.fixture(scope="module")
def network():
    """Three layers with weights large enough that gates saturate and c leaves [-1, 1]."""
    keras.utils.set_random_seed(5)
    network = model.build(Config(num_hidden=8, lstm_num=3))
    rng = np.random.default_rng(1)
    network.set_weights([3 * rng.standard_normal(w.shape).astype(np.float32) for w in network.get_weights()])
    return network


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((4, 784), dtype=np.float32)


def keras_cells_row_by_row(network, images):
    """Each layer's keras.layers.LSTMCell called on every row: h and c (steps, layers, batch, units), and the
    gates the cell's own calls reveal: with c_prev = 1 and c_prev = 0, c = f + i g and c = i g."""
    rows = np.asarray(images, np.float32).reshape(len(images), 28, 28)
    states = [[np.zeros((len(images), layer.cell.units), np.float32)] * 2 for layer in network.rnn_layers]
    found = {name: [] for name in ("h", "c", "f", "ig", "o")}
    for t in range(rows.shape[1]):
        inputs, step = rows[:, t], {name: [] for name in found}
        for number, layer in enumerate(network.rnn_layers):
            h_prev, c_prev = states[number]
            ones, zeros = np.ones_like(c_prev), np.zeros_like(c_prev)
            input_times_g = np.asarray(layer.cell(inputs, [h_prev, zeros])[1][1])
            step["f"].append(np.asarray(layer.cell(inputs, [h_prev, ones])[1][1]) - input_times_g)
            step["ig"].append(input_times_g)
            h, (_, c) = layer.cell(inputs, [h_prev, c_prev])
            h, c = np.asarray(h), np.asarray(c)
            step["o"].append(h / np.tanh(c))
            step["h"].append(h)
            step["c"].append(c)
            states[number] = [h, c]
            inputs = h
        for name in found:
            found[name].append(step[name])
    return {name: np.asarray(values) for name, values in found.items()}


def test_the_notebooks_lstm_step_matches_the_reference_and_the_keras_cell():
    lstm_step = notebook_lstm_step()
    rng = np.random.default_rng(3)
    inputs, units = 7, 5
    # random weights, bias included, so that any other gate order gives other numbers
    kernel = rng.normal(0, 0.6, (inputs, 4 * units)).astype(np.float32)
    recurrent_kernel = rng.normal(0, 0.6, (units, 4 * units)).astype(np.float32)
    bias = rng.normal(0, 1, 4 * units).astype(np.float32)
    x = rng.normal(size=(4, inputs)).astype(np.float32)
    h = rng.uniform(-1, 1, (4, units)).astype(np.float32)
    c = rng.normal(0, 2, (4, units)).astype(np.float32)
    ours = lstm_step(x, h, c, kernel, recurrent_kernel, bias)
    *_, reference_c, reference_h = reference.lstm_step(*(np.float64(a) for a in (x, h, c, kernel, recurrent_kernel,
                                                                                 bias)))
    cell = keras.layers.LSTMCell(units)
    cell.build((None, inputs))
    cell.set_weights([kernel, recurrent_kernel, bias])
    _, keras_state = cell(x, [h, c])
    for got, expected, from_keras in zip(ours, (reference_h, reference_c), keras_state):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(expected, from_keras, atol=1e-5)


def test_numpy_unroll_matches_the_keras_cells_run_row_by_row(network, images):
    expected = reference.numpy_unroll(network, images)
    found = keras_cells_row_by_row(network, images)
    assert all(expected[name].shape == (28, 3, 4, 8) for name in "ifgoch")
    assert np.abs(expected["c"]).max() > 1.5  # saturated gates, and c well outside [-1, 1]
    for name in "hcf":
        np.testing.assert_allclose(expected[name], found[name], atol=1e-4, err_msg=name)
    clear = np.abs(expected["c"]) > 0.1  # o = h / tanh(c) only where tanh(c) is not close to 0
    np.testing.assert_allclose(expected["o"][clear], found["o"][clear], atol=1e-3)
    np.testing.assert_allclose(expected["i"] * expected["g"], found["ig"], atol=1e-4)
    # c = f c_prev + i g and h = o tanh(c) hold between the reference's own gates
    np.testing.assert_allclose(expected["c"][1:], expected["f"][1:] * expected["c"][:-1]
                               + expected["i"][1:] * expected["g"][1:], atol=1e-12)
    np.testing.assert_allclose(expected["h"], expected["o"] * np.tanh(expected["c"]), atol=1e-12)
    assert np.all(np.abs(expected["g"]) <= 1)  # saturated ones round to exactly 0 or 1
    assert all(np.all((expected[name] >= 0) & (expected[name] <= 1)) for name in "ifo")


def test_keras_lstm_unroll_matches_the_numpy_reference(network, images):
    expected = reference.numpy_unroll(network, images)
    sequence, states = reference.keras_lstm_unroll(network, images)
    assert sequence.shape == (4, 28, 8) and len(states) == 3
    np.testing.assert_allclose(np.transpose(sequence, (1, 0, 2)), expected["h"][:, -1], atol=1e-4)
    for layer, (h, c) in enumerate(states):
        np.testing.assert_allclose(h, expected["h"][-1, layer], atol=1e-4)
        np.testing.assert_allclose(c, expected["c"][-1, layer], atol=1e-4)
