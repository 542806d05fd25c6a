"""The tutorial's network in Keras 3: LSTM cells, output dropout, stacking, zero state, unroll."""

from dataclasses import dataclass

import keras
import tensorflow as tf

from rnnlesson import bfloat16


@dataclass(frozen=True)
class RNNLayer:
    """One layer of the stack: its LSTM cell and the dropout on the cell's output."""

    cell: keras.layers.LSTMCell
    output_dropout: keras.layers.Dropout


def create_rnn_layer(config, cell_class=keras.layers.LSTMCell):
    """One LSTM layer and the dropout on its output (TF1: DropoutWrapper(output_keep_prob)).

    cell_class: another Keras cell with the same call (keras.layers.SimpleRNNCell, GRUCell) for rnnlesson.families.
    """
    cell = cell_class(config.num_hidden)
    output_dropout = keras.layers.Dropout(rate=1.0 - config.keep_prob)
    return RNNLayer(cell, output_dropout)


def stacked_step(layers, inputs, states, training):
    """One timestep through every layer (TF1: MultiRNNCell.__call__).

    inputs: (batch, input_num); states: one [h, c] per layer, each (batch, num_hidden).
    """
    new_states = []
    for layer, state in zip(layers, states):
        output, state = layer.cell(inputs, state, training=training)
        inputs = layer.output_dropout(output, training=training)  # the next layer reads the dropped output
        new_states.append(state)  # the state carries on undropped
    return inputs, new_states


def zero_state(layers, batch_size):
    """[h, c] of zeros for every layer (TF1: MultiRNNCell.zero_state)."""
    return [layer.cell.get_initial_state(batch_size) for layer in layers]


def unroll(layers, images, training=False, all_states=False):
    """Feed the image to the stack one row per timestep and keep every step's output.

    images: (batch, timestamp_size, input_num). Returns outputs, a list of
    timestamp_size tensors (batch, num_hidden), and the final [h, c] of every layer
    (with all_states=True, a list of them, one per step).
    """
    state = zero_state(layers, tf.shape(images)[0])
    outputs, states = [], []
    for timestamp in range(images.shape[1]):
        output, state = stacked_step(layers, images[:, timestamp, :], state, training)
        outputs.append(output)
        states.append(state)
    return outputs, (states if all_states else state)


class LessonLSTM(keras.Model):
    """Rows in, class scores out: the stacked LSTM unrolled over the rows, then W and b."""

    def __init__(self, config, cell_class=keras.layers.LSTMCell, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.rnn_layers = [create_rnn_layer(config, cell_class) for _ in range(config.lstm_num)]
        # Keras looks for its layers in the model's attributes, not inside an RNNLayer: listed here,
        # the cells' weights are in network.weights (and in a checkpoint) in the order of the stack
        self._keras_layers = [part for layer in self.rnn_layers for part in (layer.cell, layer.output_dropout)]
        # the tutorial's W ~ truncated normal(stddev 0.1) and b = 0.1
        self.classifier = keras.layers.Dense(
            config.num_classes,
            kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.1, seed=config.seed),
            bias_initializer=keras.initializers.Constant(0.1),
        )

    def unroll(self, images, training=False, all_states=False):
        """Per-step outputs and final states; images (batch, 784) or (batch, 28, 28)."""
        return unroll(self.rnn_layers, self.as_rows(images), training=training, all_states=all_states)

    def as_rows(self, images):
        """(batch, 784) -> (batch, timestamp_size, input_num), as the tutorial's tf.reshape."""
        images = tf.convert_to_tensor(images, dtype=self.compute_dtype)
        return tf.reshape(images, [-1, self.config.timestamp_size, self.config.input_num])

    def call(self, images, training=False):
        outputs, _ = self.unroll(images, training=training)
        return self.classifier(outputs[-1])  # logits: (batch, num_classes)

    @property
    def W(self):  # noqa: N802 - the tutorial's name
        """The output weights, (num_hidden, num_classes)."""
        return self.classifier.kernel

    @property
    def b(self):
        """The output bias, (num_classes,)."""
        return self.classifier.bias


class BFloat16LSTM(LessonLSTM):
    """LessonLSTM whose unroll multiplies in bfloat16, with each weight matrix cast once per unroll.

    The opt-in speed-up of Config(precision="mixed_bfloat16"); its cell is in rnnlesson/bfloat16.py.
    """

    def __init__(self, config, **kwargs):
        bfloat16.check_cpu()
        super().__init__(config, **kwargs)
        inputs = config.input_num
        for layer in self.rnn_layers:  # the weights must exist before the first cast
            layer.cell.build((None, inputs))
            inputs = config.num_hidden

    def unroll(self, images, training=False, all_states=False):
        layers = bfloat16.cast_weights_once(self.rnn_layers)
        return unroll(layers, self.as_rows(images), training=training, all_states=all_states)


class TooLargeError(ValueError):
    """A configuration whose training would need more memory than this machine has."""


def count_weights(config):
    """The network's parameters: per LSTM layer 4 gates x num_hidden x (its inputs + num_hidden) and 4 x
    num_hidden biases, then W (num_hidden x num_classes) and b."""
    hidden = config.num_hidden
    inputs = [config.input_num] + [hidden] * (config.lstm_num - 1)
    return sum(4 * hidden * (size + hidden + 1) for size in inputs) + (hidden + 1) * config.num_classes


def memory_needed(config):
    """Bytes a training of config needs, at least: float32 weights, their gradients and Adam's two slots
    (4 x 4 bytes per parameter), and the activations kept for the backward pass, 8 x num_hidden floats (4
    gates, c, tanh(c), h, its dropout) per layer for batch_size images x timestamp_size steps.
    """
    activations = config.batch_size * config.timestamp_size * config.lstm_num * 8 * config.num_hidden
    return 16 * count_weights(config) + 4 * activations


def check_memory(config, available=None):
    """Refuse, before building, a config whose training cannot fit in available bytes (runtime's measure)."""
    from rnnlesson import runtime

    available = runtime.available_memory() if available is None else available
    needed = memory_needed(config)
    if available is None or needed <= available:
        return
    fields = [name for name in ("lstm_num", "num_hidden", "batch_size")
              if getattr(config, name) > getattr(type(config)(), name)] or ["lstm_num", "num_hidden", "batch_size"]
    raise TooLargeError(
        f"This configuration ({', '.join(f'{name}={getattr(config, name):,}' for name in fields)}) needs about "
        f"{needed / 2**30:,.1f} GiB to train (weights, gradients, Adam's slots and the activations of "
        f"{config.batch_size} images x {config.timestamp_size} steps), but this machine has "
        f"{available / 2**30:,.1f} GiB available. Make {' or '.join(fields)} smaller."
    )


def build(config):
    """A LessonLSTM with all its weights created (by one call on a dummy batch); check_memory(config) first."""
    check_memory(config)
    network = BFloat16LSTM(config) if config.precision == "mixed_bfloat16" else LessonLSTM(config)
    network(tf.zeros([1, config.timestamp_size * config.input_num]))
    return network
