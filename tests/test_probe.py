import keras
import numpy as np
import pytest

from rnnlesson import model, probe, reference
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


def test_trace_gates_against_a_numpy_lstm(network, images):
    traced = probe.trace(network, images, gates=True)
    expected = reference.numpy_unroll(network, images)
    for name in "ifgoch":
        assert getattr(traced, name).shape == (28, 2, 5, 32), name
        np.testing.assert_allclose(getattr(traced, name), expected[name], atol=2e-5, err_msg=name)


def test_trace_gates_with_large_weights_and_three_layers(images):
    """Weights large enough that gates saturate and c leaves [-1, 1]: still the NumPy reference."""
    keras.utils.set_random_seed(5)
    network = model.build(Config(num_hidden=8, lstm_num=3))
    rng = np.random.default_rng(1)
    network.set_weights([3 * rng.standard_normal(w.shape).astype(np.float32) for w in network.get_weights()])
    traced = probe.trace(network, images, gates=True)
    expected = reference.numpy_unroll(network, images)
    assert np.abs(expected["c"]).max() > 1.5
    for name in "ifgoch":
        np.testing.assert_allclose(getattr(traced, name), expected[name], atol=1e-4, err_msg=name)


def test_trace_without_gates_leaves_them_empty(network, images):
    traced = probe.trace(network, images)
    assert traced.i is traced.f is traced.g is traced.o is None


def test_trace_gates_refuse_training(network, images):
    with pytest.raises(ValueError, match="training=False"):
        probe.trace(network, images, training=True, gates=True)


def one_hot_sequence(classes, num_classes=10):
    """Probabilities (1, steps, classes) that put 0.9 on the given class at each step."""
    probabilities = np.full((1, len(classes), num_classes), 0.1 / (num_classes - 1))
    probabilities[0, np.arange(len(classes)), classes] = 0.9
    return probabilities


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        ([3, 3, 3, 3], 1),  # sure from the first row
        ([1, 2, 3, 3], 3),  # settles after three rows
        ([3, 1, 3, 3], 3),  # right at first, wavers, then settles
        ([1, 1, 1, 7], 4),  # changes its mind at the last row
        ([5], 1),
    ],
)
def test_decision_steps_on_hand_made_sequences(classes, expected):
    assert probe.decision_steps(one_hot_sequence(classes)).tolist() == [expected]


def test_decision_steps_for_a_batch():
    probabilities = np.concatenate([one_hot_sequence([1, 2, 2]), one_hot_sequence([0, 0, 0])])
    assert probe.decision_steps(probabilities).tolist() == [2, 1]


def test_accuracy_by_step():
    probabilities = np.concatenate([one_hot_sequence([1, 2, 2]), one_hot_sequence([0, 0, 1])])
    np.testing.assert_allclose(probe.accuracy_by_step(probabilities, [2, 1]), [0.0, 0.5, 1.0])


def test_probabilities_by_step_matches_the_trace(network, images):
    traced = probe.trace(network, images)
    expected = numpy_softmax(traced.outputs @ network.W.numpy() + network.b.numpy())  # (steps, batch, classes)
    probabilities = probe.probabilities_by_step(network, images, batch_size=2)
    assert probabilities.shape == (5, 28, 10)
    np.testing.assert_allclose(probabilities, np.transpose(expected, (1, 0, 2)), atol=1e-5)


def test_check_findings_asserts_for_the_lessons_config_and_only_prints_for_others(capsys):
    from rnnlesson.config import Config

    findings = {"true sentence": True, "false sentence": False}
    with pytest.raises(AssertionError, match="false sentence"):
        probe.check_findings(findings, Config())
    with pytest.raises(AssertionError):
        probe.check_findings(findings, Config(precision="mixed_bfloat16", log_every=7))  # same weights
    assert probe.check_findings(findings, Config(num_hidden=64)) is False
    assert "does not: false sentence" in capsys.readouterr().out
    assert probe.check_findings({"true sentence": True}, Config()) is True
