"""probe's functions refuse images and digits they cannot read, with what was expected and what to do."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnnlesson import model, probe
from rnnlesson.config import Config


@pytest.fixture(scope="module")
def network():
    keras.utils.set_random_seed(3)
    return model.build(Config(num_hidden=8, lstm_num=1))


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(1).random((4, 784), dtype=np.float32)


@pytest.mark.parametrize("function", [probe.trace, probe.probabilities_by_step])
@pytest.mark.parametrize(("bad", "message"), [
    (np.zeros((784, 783), np.float32), r"784 pixels, shaped \(N, 784\) or \(N, 28, 28\).*got shape \(784, 783\)"),
    (np.zeros((0, 784), np.float32), "needs at least one image; got 0"),
    (np.full((2, 784), 255.0, np.float32), r"pixels scaled to \[0, 1\].*from 255 to 255.*divide by 255"),
    (np.zeros(784, np.float32), r"got shape \(784,\)"),
])
def test_images_that_cannot_be_read_are_refused(network, function, bad, message):
    with pytest.raises(ValueError, match=message):
        function(network, bad)


def test_float64_tensors_and_28_by_28_images_give_the_same_trace(network, images):
    flat = probe.trace(network, images).outputs
    np.testing.assert_allclose(probe.trace(network, tf.constant(images, tf.float64)).outputs, flat, rtol=1e-6)
    np.testing.assert_allclose(probe.trace(network, images.reshape(-1, 28, 28)).outputs, flat, rtol=1e-6)


def test_accuracy_by_step_takes_one_hot_digits_and_refuses_other_shapes(network, images):
    probabilities = probe.probabilities_by_step(network, images)
    digits = np.array([3, 1, 4, 1])
    expected = np.mean(probabilities.argmax(axis=-1) == digits[:, None], axis=0)
    np.testing.assert_array_equal(probe.accuracy_by_step(probabilities, np.eye(10)[digits]), expected)
    with pytest.raises(ValueError, match=r"N digits, got probabilities of shape \(4, 28, 10\) and digits of "
                                         r"shape \(3,\)"):
        probe.accuracy_by_step(probabilities, digits[:3])
