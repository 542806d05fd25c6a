import json

import keras
import numpy as np
import pytest

from rnnlesson import model, train


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


@pytest.fixture
def saved(tmp_path, small_config):
    keras.utils.set_random_seed(0)
    network = model.build(small_config)
    path = train.save_checkpoint(network, tmp_path / "lstm.npz", {"test_accuracy": 0.5})
    return network, path


def test_checkpoint_round_trip(saved, small_config):
    network, path = saved
    images = np.random.default_rng(0).random((2, 784), dtype=np.float32)
    loaded, metrics = train.load_checkpoint(path, small_config)
    assert metrics == {"test_accuracy": 0.5}
    assert loaded.config == small_config
    np.testing.assert_array_equal(loaded(images), network(images))
    assert not list(path.parent.glob("*.partial"))


def test_checkpoint_for_another_config_says_what_differs(saved, small_config):
    _, path = saved
    with pytest.raises(train.CheckpointError, match="num_hidden: checkpoint 16, yours 32"):
        train.load_checkpoint(path, small_config.replace(num_hidden=32))


@pytest.mark.bfloat16
def test_checkpoint_loads_with_either_precision(saved, small_config):
    network, path = saved
    loaded, _ = train.load_checkpoint(path, small_config.replace(precision="mixed_bfloat16"))
    assert loaded.config.precision == "mixed_bfloat16"
    for ours, theirs in zip(loaded.get_weights(), network.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def test_missing_checkpoint(tmp_path):
    with pytest.raises(FileNotFoundError, match="notebook 01"):
        train.load_checkpoint(tmp_path / "none.npz")


def test_corrupt_checkpoint(saved):
    _, path = saved
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(train.CheckpointError, match="not a readable"):
        train.load_checkpoint(path)


def test_failed_save_keeps_the_old_checkpoint(saved, small_config, monkeypatch):
    network, path = saved
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        train.save_checkpoint(network, path, {"test_accuracy": 0.9})
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_checkpoint_stores_config_as_json(saved, small_config):
    _, path = saved
    with np.load(path) as archive:
        assert json.loads(str(archive["config"])) == small_config.to_dict()


@pytest.mark.slow
def test_load_or_train_trains_once_then_loads(tmp_path, small_config, mnist):
    path = tmp_path / "lstm.npz"
    messages = []
    network, metrics = train.load_or_train(small_config, path, mnist=mnist, echo=messages.append)
    assert path.exists() and "training one now" in messages[0]
    assert 0.0 <= metrics["test_accuracy"] <= 1.0
    again, metrics_again = train.load_or_train(small_config, path, echo=messages.append)
    assert metrics_again == metrics
    np.testing.assert_array_equal(again.W.numpy(), network.W.numpy())


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

