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


def test_float32_cell_is_keras_lstmcell(network, images):
    cell = network.rnn_layers[0][0]
    keras_cell = keras.layers.LSTMCell(12)
    keras_cell.build((3, 28))
    keras_cell.set_weights([w.numpy() for w in cell.weights])
    inputs = images[:, :28]
    state = [tf.random.normal([3, 12], seed=1), tf.random.normal([3, 12], seed=2)]
    ours, (our_h, our_c) = cell(inputs, state)
    theirs, (their_h, their_c) = keras_cell(inputs, state)
    assert np.array_equal(ours, theirs) and np.array_equal(our_c, their_c)


def bfloat16_twin(network):
    """A mixed_bfloat16 network holding the same weights as network."""
    twin = model.build(network.config.replace(precision="mixed_bfloat16"))
    twin.set_weights(network.get_weights())
    return twin


@pytest.mark.bfloat16
def test_mixed_bfloat16_products_keep_weights_and_state_float32(network, images):
    twin = bfloat16_twin(network)
    assert all(w.dtype == "float32" for w in twin.weights)
    outputs, state = twin.unroll(images)
    assert outputs[-1].dtype == tf.float32 and state[0][1].dtype == tf.float32
    reference, _ = network.unroll(images)
    difference = np.abs(np.asarray(outputs) - np.asarray(reference))
    # bfloat16 keeps 8 significant bits (relative rounding 2^-9 = 0.2%): close, but not equal
    assert 0 < difference.max() < 0.02


@pytest.mark.bfloat16
def test_mixed_bfloat16_gradients_point_the_same_way(network, images):
    labels = tf.one_hot([1, 2, 3], 10)

    def gradients(net):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=net(images)))
        return [g.numpy().ravel() for g in tape.gradient(loss, net.trainable_variables)]

    for ours, reference in zip(gradients(bfloat16_twin(network)), gradients(network)):
        cosine = ours @ reference / (np.linalg.norm(ours) * np.linalg.norm(reference))
        assert cosine > 0.99


@pytest.mark.bfloat16
def test_weights_are_cast_once_per_unroll_with_the_same_result(network, images):
    twin = bfloat16_twin(network)
    cell = twin.rnn_layers[0][0]
    state = model.zero_state(twin.rnn_layers[:1], 3)[0]
    inputs = images[:, :28]
    each_call, _ = cell(inputs, state)
    with cell.weights_cast_once():
        assert cell._bfloat16_weights[0].dtype == tf.bfloat16
        once, _ = cell(inputs, state)
    assert cell._bfloat16_weights is None  # nothing stale is left for a later call
    assert np.array_equal(each_call, once)


def test_bfloat16_refused_on_a_cpu_without_it(monkeypatch):
    monkeypatch.setattr(model.runtime, "cpu_has_bfloat16", lambda: False)
    with pytest.raises(ValueError, match="precision='float32'"):
        model.build(Config(num_hidden=4, precision="mixed_bfloat16"))
