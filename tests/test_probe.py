import keras
import numpy as np
import pytest

from rnnlesson import model, probe
from rnnlesson.config import Config


@pytest.fixture(scope="module")
def network():
    keras.utils.set_random_seed(2)
    return model.build(Config(num_hidden=32))


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((5, 784), dtype=np.float32)


def numpy_softmax(logits):
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def test_trace_shapes(network, images):
    traced = probe.trace(network, images)
    assert traced.outputs.shape == (28, 5, 32)
    assert traced.h.shape == traced.c.shape == (28, 2, 5, 32)


def test_outputs_are_the_top_layers_h_at_every_step(network, images):
    traced = probe.trace(network, images)
    assert np.array_equal(traced.outputs, traced.h[:, -1])
    outputs, final_state = network.unroll(images)
    assert np.array_equal(np.asarray(outputs[-1]), np.asarray(final_state[-1][0]))


def test_trace_final_state_matches_unroll(network, images):
    traced = probe.trace(network, images)
    _, final_state = network.unroll(images)
    for layer, (h, c) in enumerate(final_state):
        np.testing.assert_array_equal(traced.h[-1, layer], h)
        np.testing.assert_array_equal(traced.c[-1, layer], c)


def test_in_training_the_output_is_the_dropped_h(network, images):
    traced = probe.trace(network, images, training=True)
    top_h = traced.h[:, -1]
    kept = traced.outputs != 0
    assert 0.4 < kept.mean() < 0.6
    np.testing.assert_allclose(traced.outputs[kept], top_h[kept] / network.config.keep_prob, rtol=1e-5)


def test_step_probabilities_against_numpy_softmax(network, images):
    traced = probe.trace(network, images)
    probabilities = probe.step_probabilities(network, traced.outputs)
    expected = numpy_softmax(traced.outputs @ network.W.numpy() + network.b.numpy())
    assert probabilities.shape == (28, 5, 10)
    np.testing.assert_allclose(probabilities, expected, atol=1e-6)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)


def test_keras_lstm_stack_reproduces_the_unroll(network, images):
    traced = probe.trace(network, images)
    sequence, states = probe.run_keras_lstm_stack(probe.keras_lstm_stack(network), network.as_rows(images))
    np.testing.assert_allclose(np.transpose(sequence, (1, 0, 2)), traced.outputs, atol=1e-5)
    for layer, (h, c) in enumerate(states):
        np.testing.assert_allclose(h, traced.h[-1, layer], atol=1e-5)
        np.testing.assert_allclose(c, traced.c[-1, layer], atol=1e-5)
