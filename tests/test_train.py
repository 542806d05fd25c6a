import types

import keras
import numpy as np
import pytest

from rnnlesson import model, train
from rnnlesson.config import Config


def test_loss_is_softmax_cross_entropy():
    logits = np.array([[2.0, -1.0, 0.5], [0.0, 3.0, -2.0]], np.float32)
    labels = np.eye(3, dtype=np.float32)[[0, 2]]
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(probabilities[[0, 1], [0, 2]]))
    assert float(train.loss_from_logits(labels, logits)) == pytest.approx(expected, rel=1e-6)


def test_tutorial_loss_is_ten_times_smaller_and_breaks_on_certainty():
    logits = np.random.default_rng(0).normal(size=(8, 10)).astype(np.float32)
    labels = np.eye(10, dtype=np.float32)[np.arange(8)]
    ratio = float(train.loss_from_logits(labels, logits)) / float(train.tutorial_loss(labels, logits))
    assert ratio == pytest.approx(10.0, rel=1e-5)
    confident = np.zeros((1, 10), np.float32)
    confident[0, 3] = 200.0  # softmax gives exactly 0 to the other classes in float32
    right, wrong = np.eye(10, dtype=np.float32)[[3]], np.eye(10, dtype=np.float32)[[5]]
    # 0 * log(0) = 0 * -inf = NaN, whether the confident answer is right or wrong
    assert np.isnan(float(train.tutorial_loss(right, confident)))
    assert np.isnan(float(train.tutorial_loss(wrong, confident)))
    assert float(train.loss_from_logits(right, confident)) == 0.0
    assert float(train.loss_from_logits(wrong, confident)) == pytest.approx(200.0)


def test_accuracy():
    labels = np.eye(3, dtype=np.float32)[[0, 1, 2, 2]]
    logits = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]], np.float32)
    assert float(train.accuracy(labels, logits)) == 0.75


@pytest.mark.slow
def test_short_training_learns_and_logs(mnist, small_config):
    keras.utils.set_random_seed(small_config.seed)
    network = model.build(small_config)
    before = train.evaluate(network, mnist.test)
    lines = []
    history = train.fit(network, mnist, small_config.replace(iterations=150), progress=False, echo=lines.append)
    assert history.loss.shape == (150,) and history.accuracy.shape == (150,)
    assert history.loss[-20:].mean() < history.loss[:20].mean()
    assert train.evaluate(network, mnist.test) > before + 0.2
    assert lines[0].startswith("train epoch 0 iteration 0 train accuracy")
    assert [entry[0] for entry in history.log] == list(range(0, 150, 10))


@pytest.mark.slow
def test_same_seed_same_numbers(small_config):
    from rnnlesson import data

    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(small_config.seed)
        mnist = data.load_mnist(seed=small_config.seed)
        network = model.build(small_config)
        history = train.fit(network, mnist, small_config, progress=False, echo=lambda line: None)
        runs.append((history.loss, network.W.numpy()))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


def test_compiled_step_updates_every_weight_and_traces_once(small_config, mnist):
    keras.utils.set_random_seed(0)
    network = model.build(small_config)
    step = train.make_train_step(network, keras.optimizers.Adam(1e-3))
    before = [variable.numpy().copy() for variable in network.trainable_variables]
    loss, _ = step(*mnist.train.next_batch(8))
    assert np.isfinite(float(loss))
    unchanged = [variable.path for variable, old in zip(network.trainable_variables, before)
                 if np.array_equal(variable.numpy(), old)]
    assert not unchanged, f"one step left these weights as they were: {unchanged}"
    assert len(before) == 3 * small_config.lstm_num + 2  # kernel, recurrent kernel, bias per layer; W and b
    step(*mnist.train.next_batch(8))
    assert step.experimental_get_tracing_count() == 1  # the second call reuses the compiled graph



def test_evaluate_compiles_the_forward_pass_once_per_network(mnist, small_config, caplog):
    network = model.build(small_config)
    results = [train.evaluate(network, mnist.test) for _ in range(6)]
    assert len(set(results)) == 1
    assert train.make_logits_function(network).experimental_get_tracing_count() == 1  # 2,000 = 2 x 1,000
    assert "retracing" not in caplog.text
    expected = np.mean(np.argmax(network(mnist.test.images, training=False), axis=1) == mnist.test.digits)
    assert results[0] == pytest.approx(expected)


def test_several_networks_evaluated_do_not_make_tensorflow_warn_of_retracing(mnist, caplog):
    """As notebook 01 does with the LSTM, the plain RNN and the GRU: each network traces its own forward pass
    (for a batch of 64 in training, 1,000 in evaluate); TensorFlow must not count them as one function."""
    for seed in range(6):
        network = model.build(TINY.replace(seed=seed))
        train.make_logits_function(network)(mnist.test.images[:64])
        train.evaluate(network, mnist.test)
    assert "retracing" not in caplog.text

TINY = Config(num_hidden=4, iterations=40, batch_size=8, log_every=100)


class CountedBatches:
    """mnist.train that counts the batches drawn."""

    def __init__(self, real):
        self.real, self.calls = real, 0

    @property
    def epochs_completed(self):
        return self.real.epochs_completed

    def next_batch(self, batch_size):
        self.calls += 1
        return self.real.next_batch(batch_size)


@pytest.mark.slow
def test_a_diverging_training_stops_at_the_first_nan_loss_and_names_the_settings(mnist):
    config = TINY.replace(lr=1e38)
    batches = CountedBatches(mnist.train)
    keras.utils.set_random_seed(0)
    with pytest.raises(train.DivergedError, match=r"diverged: at iteration \d+ the loss became nan") as caught:
        train.fit(model.build(config), types.SimpleNamespace(train=batches), config, progress=False,
                  echo=lambda line: None)
    assert batches.calls < config.iterations
    assert "lr=1e+38 (default 0.001)" in str(caught.value) and "nothing was saved" in str(caught.value)


@pytest.mark.slow
def test_a_training_whose_loss_grew_says_so_and_which_settings_to_change(mnist):
    config = TINY.replace(lr=1e3)
    keras.utils.set_random_seed(0)
    lines = []
    history = train.fit(model.build(config), mnist, config, progress=False, echo=lines.append)
    assert history.loss[-4:].mean() > history.loss[0]  # the losses measured did grow
    assert lines[-1].startswith("Warning: the loss grew during training") and "lr=1000.0 (default 0.001)" in lines[-1]


def test_the_warnings_speak_only_when_the_loss_grew_or_the_accuracy_is_near_chance():
    config = Config(keep_prob=1e-6)
    assert train.loss_grew_warning(config, np.array([2.3, 1.0, 0.5, 0.3], np.float32)) is None
    grew = train.loss_grew_warning(config, np.array([2.3, 9.0, 12.0, 1668.0], np.float32))
    assert "from 2.3 (first batch) to 1.67e+03" in grew and "keep_prob=1e-06 (default 0.5)" in grew
    assert train.near_chance_warning(config, 0.5) is None and train.near_chance_warning(config, 0.121) is None
    near = train.near_chance_warning(config, 0.109)
    assert "10.9%, is near chance (10%" in near and "keep_prob=1e-06 (default 0.5)" in near
    assert "the default settings" in train.near_chance_warning(Config(), 0.1)
