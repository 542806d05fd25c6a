"""The hand-unrolled cells against independent references: NumPy and keras.layers.LSTM."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnnlesson import bfloat16, model, reference, runtime
from rnnlesson.config import Config


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


def test_unroll_matches_the_numpy_reference(network, images):
    outputs, state = network.unroll(images)
    expected = reference.numpy_unroll(network, images)  # (steps, layers, batch, units)
    np.testing.assert_allclose(np.asarray(outputs), expected["h"][:, -1], atol=1e-5)
    for layer in range(2):
        np.testing.assert_allclose(state[layer][0].numpy(), expected["h"][-1, layer], atol=1e-5)
        np.testing.assert_allclose(state[layer][1].numpy(), expected["c"][-1, layer], atol=1e-5)


def test_unroll_matches_keras_lstm_layers(network, images):
    sequence, finals = reference.keras_lstm_unroll(network, images)
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


def test_the_lesson_cell_is_keras_lstmcell(network):
    assert [type(layer.cell) for layer in network.rnn_layers] == [keras.layers.LSTMCell] * 2


def test_keras_stores_the_gates_in_the_order_i_f_c_o(network):
    """unit_forget_bias=True starts the forget gate's bias at 1: the second quarter of the bias vector."""
    bias = network.rnn_layers[0].cell.bias.numpy()
    i, f, g, o = np.split(bias, 4)
    assert np.all(f == 1) and not np.any(i) and not np.any(g) and not np.any(o)


def weight_casts(graph):
    """The Cast-to-bfloat16 operations in a traced graph that read a variable directly: the weight copies."""
    return [operation for operation in graph.get_operations()
            if operation.type == "Cast" and operation.get_attr("DstT") == tf.bfloat16
            and operation.inputs[0].op.type == "ReadVariableOp"]


def bfloat16_twin(network):
    """A mixed_bfloat16 network holding the same weights as network."""
    twin = model.build(network.config.replace(precision="mixed_bfloat16"))
    twin.set_weights(network.get_weights())
    return twin


@pytest.mark.bfloat16
def test_mixed_bfloat16_network_has_the_same_weights_in_the_same_order(network):
    twin = model.build(network.config.replace(precision="mixed_bfloat16"))
    def layout(net):
        return [(w.name, tuple(w.shape)) for w in net.weights]

    assert layout(twin) == layout(network)
    for layer, twin_layer in zip(network.rnn_layers, twin.rnn_layers):
        names = ["kernel", "recurrent_kernel", "bias"]
        assert [w.name for w in layer.cell.weights] == [w.name for w in twin_layer.cell.weights] == names
    assert [type(layer.cell) for layer in twin.rnn_layers] == [keras.layers.LSTMCell] * 2


@pytest.mark.bfloat16
def test_mixed_bfloat16_products_keep_weights_and_state_float32(network, images):
    twin = bfloat16_twin(network)
    assert all(w.dtype == "float32" for w in twin.weights)
    outputs, state = twin.unroll(images)
    assert outputs[-1].dtype == tf.float32 and state[0][1].dtype == tf.float32
    float32_outputs, _ = network.unroll(images)
    difference = np.abs(np.asarray(outputs) - np.asarray(float32_outputs))
    # bfloat16 keeps 8 significant bits (relative rounding 2^-9 = 0.2%): close, but not equal
    assert 0 < difference.max() < 0.02


@pytest.mark.bfloat16
def test_mixed_bfloat16_gradients_point_the_same_way(network, images):
    labels = tf.one_hot([1, 2, 3], 10)

    def gradients(net):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=net(images)))
        return [g.numpy().ravel() for g in tape.gradient(loss, net.trainable_variables)]

    for ours, float32_gradient in zip(gradients(bfloat16_twin(network)), gradients(network)):
        cosine = ours @ float32_gradient / (np.linalg.norm(ours) * np.linalg.norm(float32_gradient))
        assert cosine > 0.99


@pytest.mark.bfloat16
def test_weights_are_cast_once_per_unroll_with_the_products_in_bfloat16(network, images):
    twin = bfloat16_twin(network)
    graph = tf.function(lambda x: twin(x)).get_concrete_function(tf.TensorSpec([3, 784])).graph
    casts = weight_casts(graph)
    # W and U of each layer, once each, although the unrolled graph multiplies by them at every row
    assert len(casts) == 2 * network.config.lstm_num
    products = [op for op in graph.get_operations() if op.type == "MatMul"]
    low = [op for op in products if op.get_attr("T") == tf.bfloat16]
    assert len(low) == 2 * network.config.lstm_num * network.config.timestamp_size
    assert len(products) - len(low) == 1  # only the classifier's h W + b stays float32
    # the count can tell: a cell that cast its weights at every row would show 28 times as many
    rows = range(network.config.timestamp_size)
    per_row = tf.function(lambda: [bfloat16.CastWeightsCell(layer.cell).kernel
                                   for layer in twin.rnn_layers for _ in rows])
    per_row_graph = per_row.get_concrete_function().graph
    assert len(weight_casts(per_row_graph)) == 2 * network.config.lstm_num * network.config.timestamp_size


@pytest.mark.bfloat16
def test_the_training_graph_casts_each_weight_once(network, images):
    from rnnlesson import train

    twin = bfloat16_twin(network)
    step = train.make_train_step(twin, keras.optimizers.Adam(1e-3))
    graph = step.get_concrete_function(tf.TensorSpec([3, 784]), tf.TensorSpec([3, 10])).graph
    # forward and backward share the one copy; the backward pass adds no weight casts of its own
    assert len(weight_casts(graph)) == 2 * network.config.lstm_num


def test_bfloat16_refused_on_a_cpu_without_it(monkeypatch):
    monkeypatch.setattr(runtime, "cpu_has_bfloat16", lambda: False)
    with pytest.raises(ValueError, match="precision='float32'"):
        model.build(Config(num_hidden=4, precision="mixed_bfloat16"))


def test_the_weights_counted_before_building_are_those_keras_builds(small_network):
    deeper = Config(lstm_num=3, num_hidden=5)
    for config, network in ((small_network.config, small_network), (deeper, model.build(deeper))):
        assert model.count_weights(config) == network.count_params()
        weights = sum(variable.numpy().nbytes for variable in network.weights)  # float32: 4 bytes each
        activations = config.batch_size * 28 * config.lstm_num * 8 * config.num_hidden * 4
        assert model.memory_needed(config) == 4 * weights + activations


@pytest.mark.parametrize(("changes", "field"), [({"lstm_num": 1000}, "lstm_num=1,000"),
                                                ({"num_hidden": 4096}, "num_hidden=4,096"),
                                                ({"num_hidden": 10**6}, "num_hidden=1,000,000")])
def test_a_config_too_large_for_the_memory_is_refused_before_building(monkeypatch, changes, field):
    def built(*args, **kwargs):
        raise AssertionError("the network was being built")

    monkeypatch.setattr(model, "LessonLSTM", built)
    monkeypatch.setattr(runtime, "available_memory", lambda: 2**30)  # a machine with 1 GiB free
    config = Config(**changes)
    with pytest.raises(model.TooLargeError) as caught:
        model.build(config)
    needed = f"{model.memory_needed(config) / 2**30:,.1f} GiB"
    assert f"({field}) needs about {needed} to train" in str(caught.value)
    assert "this machine has 1.0 GiB available" in str(caught.value)


def test_a_million_units_are_refused_on_this_machine_too(monkeypatch):
    monkeypatch.setattr(model, "LessonLSTM", None)
    with pytest.raises(model.TooLargeError, match="num_hidden=1,000,000"):
        model.build(Config(num_hidden=10**6))
