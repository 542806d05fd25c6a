"""The plain RNN and the GRU in the lesson's own unroll, the gradient of the loss by row, and the blank-row test."""

import keras
import numpy as np
import tensorflow as tf

from rnnlesson import data, model, train

CELLS = {"SimpleRNN": keras.layers.SimpleRNNCell, "GRU": keras.layers.GRUCell, "LSTM": keras.layers.LSTMCell}


class LessonRNN(model.LessonLSTM):
    """The lesson's network with any of CELLS in every layer, reading images of any number of rows."""

    def as_rows(self, images):
        """(batch, rows x input_num) -> (batch, rows, input_num): 28 rows, or a digit followed by blank rows."""
        images = tf.convert_to_tensor(images, dtype=self.compute_dtype)
        return tf.reshape(images, [-1, images.shape[-1] // self.config.input_num, self.config.input_num])


def build(config, family="LSTM"):
    """A LessonRNN of `family` cells ("SimpleRNN", "GRU" or "LSTM") with all its weights created."""
    if family not in CELLS:
        raise ValueError(f"family must be one of {sorted(CELLS)}, got {family!r}.")
    model.check_memory(config)  # as model.build does: refuse what cannot fit before building
    network = LessonRNN(config, cell_class=CELLS[family])
    network(tf.zeros([1, config.timestamp_size * config.input_num]))
    return network


def gradient_by_row(network, images, labels, layer=-1):
    """How large the loss's gradient is at each row: the mean over images of |dL/dh_t| for one layer, (rows,).

    L is each image's own cross-entropy; h_t is the layer's h after row t (dropout off).
    """
    with tf.GradientTape() as tape:
        outputs, states = network.unroll(images, all_states=True)
        h = [step[layer][0] for step in states]  # h_t of the layer after each row: (batch, num_hidden)
        logits = network.classifier(outputs[-1])
        loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    gradients = tape.gradient(loss, h)
    return np.array([np.linalg.norm(gradient, axis=-1).mean() for gradient in gradients])


def set_forget_bias(network, value):
    """Start every LSTM layer's forget gate at sigmoid(value): Keras' unit_forget_bias starts it at sigmoid(1)."""
    for layer in network.rnn_layers:
        units = layer.cell.units
        bias = layer.cell.bias.numpy()
        bias[units:2 * units] = value  # Keras' gate order: i, f, c, o
        layer.cell.bias.assign(bias)


def with_blank_rows(mnist, blank_rows):
    """mnist with `blank_rows` rows of zeros after each digit's 28: the network must remember it over them."""
    def padded(split):
        pixels = np.pad(split.pixels, ((0, 0), (0, blank_rows), (0, 0)))
        return data.DataSet(pixels, split.digits, seed=split.seed)

    return data.Datasets(train=padded(mnist.train), test=padded(mnist.test), source=mnist.source)


def memory_test(config, mnist, blank_rows, family="LSTM", forget_bias=None):
    """Test accuracy of a network trained from scratch on digits followed by `blank_rows` blank rows."""
    padded = with_blank_rows(mnist, blank_rows)
    keras.utils.set_random_seed(config.seed)
    network = build(config, family)
    if forget_bias is not None:
        set_forget_bias(network, forget_bias)
    train.fit(network, padded, config, progress=False, echo=lambda line: None)
    return train.evaluate(network, padded.test)
