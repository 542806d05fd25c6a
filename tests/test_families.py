"""The plain RNN and the GRU in the lesson's unroll against NumPy, the gradient by row against finite
differences, and the blank-row data and memory test."""

import numpy as np
import pytest

from rnnlesson import families, reference
from rnnlesson.config import Config

TINY = Config(num_hidden=3, lstm_num=1, iterations=5, batch_size=8, keep_prob=1.0, log_every=100)


def numpy_rows(network, images):
    """(steps, batch, input_num) float64: the rows the unroll reads, one per step."""
    return np.transpose(np.asarray(network.as_rows(images), np.float64), (1, 0, 2))


def float64_weights(cell):
    return [np.asarray(weight, np.float64) for weight in cell.weights]


def test_the_simple_rnn_cell_is_the_plain_rnn_step():
    network = families.build(Config(num_hidden=16), "SimpleRNN")
    cell = network.rnn_layers[0].cell
    rng = np.random.default_rng(0)
    x = rng.random((3, 28)).astype(np.float32)
    h = rng.uniform(-1, 1, (3, 16)).astype(np.float32)
    output, state = cell(x, [h])
    expected = reference.rnn_step(x.astype(np.float64), h.astype(np.float64), *float64_weights(cell))
    np.testing.assert_allclose(output, expected, atol=1e-5)
    np.testing.assert_array_equal(output, state[0])  # the plain RNN's state is its output


def test_the_lessons_unroll_of_a_simple_rnn_stack_matches_numpy(mnist):
    network = families.build(Config(num_hidden=8), "SimpleRNN")
    images = mnist.test.images[:4]
    inputs = numpy_rows(network, images)
    for layer in network.rnn_layers:  # each layer reads the h of the layer below, row by row
        h, hs = np.zeros((len(images), 8)), []
        for x in inputs:
            h = reference.rnn_step(x, h, *float64_weights(layer.cell))
            hs.append(h)
        inputs = np.stack(hs)
    outputs, _ = network.unroll(images)
    np.testing.assert_allclose(np.stack(outputs), inputs, atol=1e-5)


@pytest.mark.parametrize(("family", "per_layer"), [
    ("SimpleRNN", lambda inputs, units: (inputs + units + 1) * units),
    ("GRU", lambda inputs, units: 3 * (inputs + units + 2) * units),  # Keras' reset_after: two biases per gate
    ("LSTM", lambda inputs, units: 4 * (inputs + units + 1) * units),
])
def test_weight_counts_of_the_three_families(family, per_layer):
    config = Config(num_hidden=32)
    expected = per_layer(28, 32) + per_layer(32, 32) + (32 + 1) * 10
    assert families.build(config, family).count_params() == expected


def test_an_unknown_family_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"family must be one of \['GRU', 'LSTM', 'SimpleRNN'\], got 'RNN'"):
        families.build(TINY, "RNN")


def numpy_loss_after(network, rows, t, h, c, digits):
    """The summed cross-entropy when the (one-layer) network goes on from h, c after row t + 1, in float64."""
    cell = network.rnn_layers[0].cell
    weights = float64_weights(cell)
    for x in rows[t + 1:]:
        if c is None:
            h = reference.rnn_step(x, h, *weights)
        else:
            *_, c, h = reference.lstm_step(x, h, c, *weights)
    logits = h @ np.asarray(network.W, np.float64) + np.asarray(network.b, np.float64)
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_probabilities[np.arange(len(digits)), digits].sum()


@pytest.mark.parametrize("family", ["SimpleRNN", "LSTM"])
def test_gradient_by_row_matches_finite_differences(family, mnist):
    network = families.build(TINY, family)
    images, labels, digits = mnist.test.images[:2], mnist.test.labels[:2], mnist.test.digits[:2]
    rows = numpy_rows(network, images)
    weights = float64_weights(network.rnn_layers[0].cell)
    h, c = np.zeros((2, 3)), (np.zeros((2, 3)) if family == "LSTM" else None)
    expected, step = [], 1e-6
    for t, x in enumerate(rows):
        if c is None:
            h = reference.rnn_step(x, h, *weights)
        else:
            *_, c, h = reference.lstm_step(x, h, c, *weights)
        gradient = np.zeros_like(h)
        for index in np.ndindex(h.shape):  # central differences, one number of h_t at a time
            nudge = np.zeros_like(h)
            nudge[index] = step
            gradient[index] = (numpy_loss_after(network, rows, t, h + nudge, c, digits)
                               - numpy_loss_after(network, rows, t, h - nudge, c, digits)) / (2 * step)
        expected.append(np.linalg.norm(gradient, axis=1).mean())
    measured = families.gradient_by_row(network, images, labels)
    assert measured.shape == (28,)
    np.testing.assert_allclose(measured, expected, rtol=1e-3, atol=1e-9)


def test_set_forget_bias_changes_only_the_forget_block():
    network = families.build(Config(num_hidden=4), "LSTM")
    before = [layer.cell.bias.numpy() for layer in network.rnn_layers]
    families.set_forget_bias(network, 5.0)
    for layer, old in zip(network.rnn_layers, before):
        new = layer.cell.bias.numpy()
        np.testing.assert_array_equal(new[4:8], 5.0)
        np.testing.assert_array_equal(np.delete(new, range(4, 8)), np.delete(old, range(4, 8)))
    np.testing.assert_array_equal(before[0][4:8], 1.0)  # Keras' unit_forget_bias starts it at 1


def test_blank_rows_follow_each_digit(mnist):
    padded = families.with_blank_rows(mnist, 5)
    assert padded.test.images.shape == (len(mnist.test.digits), (28 + 5) * 28)
    np.testing.assert_array_equal(padded.test.images[:, :784], mnist.test.images)
    assert not padded.test.images[:, 784:].any()
    np.testing.assert_array_equal(padded.train.digits, mnist.train.digits)
    images, labels = padded.train.next_batch(8)
    assert images.shape == (8, 33 * 28) and labels.shape == (8, 10)


@pytest.mark.slow
def test_the_memory_test_trains_on_the_padded_rows(mnist):
    network = families.build(TINY, "LSTM")
    outputs, _ = network.unroll(families.with_blank_rows(mnist, 3).test.images[:2])
    assert len(outputs) == 28 + 3  # one step per row, blank ones included
    accuracy = families.memory_test(TINY, mnist, blank_rows=3, forget_bias=5.0)
    assert 0.0 <= accuracy <= 1.0


@pytest.mark.slow
def test_the_families_benchmark_runs_a_few_iterations():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "rnn_families.py"
    result = subprocess.run([sys.executable, str(script), "--iterations", "3", "--markdown"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and "weights" not in line]
    assert [row.split(" | ")[0] for row in rows] == ["| SimpleRNN", "| GRU", "| LSTM"]
    assert [row.split(" | ")[1] for row in rows] == ["206,858", "616,970", "819,722"]  # the counts of the tests above


def test_a_family_too_large_for_the_memory_is_refused_before_building():
    from rnnlesson import model
    from rnnlesson.config import Config

    with pytest.raises(model.TooLargeError, match="num_hidden"):
        families.build(Config(num_hidden=10**6), "SimpleRNN")
