"""The hand-unrolled cells against independent references: NumPy and keras.layers.LSTM."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnnlesson import model
from rnnlesson.config import Config


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_lstm_step(x, h, c, kernel, recurrent_kernel, bias):
    """One LSTM step written from the equations; Keras orders the gates i, f, c, o."""
    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
    return h, c


@pytest.fixture
def network():
    keras.utils.set_random_seed(5)
    return model.build(Config(num_hidden=12))


@pytest.fixture
def images():
    return np.random.default_rng(0).random((3, 784), dtype=np.float32)


def test_shapes(network, images):
    outputs, state = network.unroll(images)
    assert len(outputs) == 28 and outputs[0].shape == (3, 12)
    assert len(state) == 2 and all(len(layer) == 2 for layer in state)  # [h, c] per layer
    assert network(images).shape == (3, 10)
    assert network.W.shape == (12, 10) and network.b.shape == (10,)


def test_zero_state(network):
    state = model.zero_state(network.rnn_layers, 4)
    assert [[tuple(t.shape) for t in layer] for layer in state] == [[(4, 12), (4, 12)]] * 2
    assert all(not np.any(t) for layer in state for t in layer)


def test_unroll_matches_numpy_equations(network, images):
    outputs, state = network.unroll(images)
    rows = images.reshape(3, 28, 28)
    weights = [[w.numpy() for w in cell.weights] for cell, _ in network.rnn_layers]
    h = [np.zeros((3, 12), np.float32) for _ in weights]
    c = [np.zeros((3, 12), np.float32) for _ in weights]
    for t in range(28):
        inputs = rows[:, t, :]
        for layer, (kernel, recurrent_kernel, bias) in enumerate(weights):
            h[layer], c[layer] = numpy_lstm_step(inputs, h[layer], c[layer], kernel, recurrent_kernel, bias)
            inputs = h[layer]
        np.testing.assert_allclose(outputs[t].numpy(), h[-1], atol=1e-5)
    for layer in range(2):
        np.testing.assert_allclose(state[layer][0].numpy(), h[layer], atol=1e-5)
        np.testing.assert_allclose(state[layer][1].numpy(), c[layer], atol=1e-5)


def test_unroll_matches_keras_lstm_layers(network, images):
    stack = [keras.layers.LSTM(12, return_sequences=True, return_state=True) for _ in range(2)]
    sequence = images.reshape(3, 28, 28)
    for layer, (cell, _) in zip(stack, network.rnn_layers):
        layer.build(sequence.shape if layer is stack[0] else (3, 28, 12))
        layer.set_weights([w.numpy() for w in cell.weights])
    finals = []
    for layer in stack:
        sequence, h, c = layer(sequence)
        finals.append((h, c))
    outputs, state = network.unroll(images)
    # keras.layers.LSTM: (batch, steps, units); the tutorial's outputs: (steps, batch, units)
    np.testing.assert_allclose(np.asarray(outputs), np.transpose(sequence, (1, 0, 2)), atol=1e-5)
    for (h, c), (our_h, our_c) in zip(finals, state):
        np.testing.assert_allclose(our_h, h, atol=1e-5)
        np.testing.assert_allclose(our_c, c, atol=1e-5)


def test_logits_are_last_output_times_w_plus_b(network, images):
    outputs, _ = network.unroll(images)
    expected = outputs[-1].numpy() @ network.W.numpy() + network.b.numpy()
    np.testing.assert_allclose(network(images).numpy(), expected, atol=1e-5)


def test_tutorial_initial_values_for_w_and_b(network):
    assert np.all(network.b.numpy() == pytest.approx(0.1))
    assert np.abs(network.W.numpy()).max() <= 0.2 + 1e-6  # truncated at 2 standard deviations


def test_output_dropout_in_training_only_and_fresh_each_step():
    keras.utils.set_random_seed(1)
    network = model.build(Config(num_hidden=256, lstm_num=1))
    images = np.random.default_rng(0).random((4, 784), dtype=np.float32)
    clean, clean_state = network.unroll(images, training=False)
    dropped, dropped_state = network.unroll(images, training=True)
    masks = []
    for t in (0, 27):
        kept = dropped[t].numpy() != 0
        # kept units are scaled by 1 / keep_prob; the rest are zero
        np.testing.assert_allclose(dropped[t].numpy()[kept], 2 * clean[t].numpy()[kept], rtol=1e-5)
        assert 0.4 < kept.mean() < 0.6
        masks.append(kept)
    assert (masks[0] != masks[1]).mean() > 0.3  # a new mask at every step
    # the state is never dropped: with one layer, dropout only touches what leaves the stack
    np.testing.assert_allclose(dropped_state[0][0], clean_state[0][0], atol=1e-6)
    np.testing.assert_allclose(dropped_state[0][1], clean_state[0][1], atol=1e-6)


def test_graph_and_eager_agree(network, images):
    compiled = tf.function(lambda x: network(x, training=False))
    np.testing.assert_allclose(compiled(images), network(images), atol=1e-5)
