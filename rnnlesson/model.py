"""The tutorial's network in Keras 3: LSTM cells, output dropout, stacking, zero state, unroll."""

import contextlib

import keras
import tensorflow as tf
from keras import ops

from rnnlesson import runtime


class LessonLSTMCell(keras.layers.LSTMCell):
    """keras.layers.LSTMCell, with an opt-in to run its two matrix products in bfloat16.

    With precision "float32" it is LSTMCell unchanged. With "mixed_bfloat16" the products
    x W and h U take bfloat16 inputs (the CPU's bf16 instructions do them about twice as fast)
    and everything else, the gates, the cell state and the weights themselves, stays float32.
    """

    def __init__(self, units, precision="float32", **kwargs):
        super().__init__(units, **kwargs)
        self.precision = precision
        self._bfloat16_weights = None

    @contextlib.contextmanager
    def weights_cast_once(self):
        """Inside this block, every step reuses one bfloat16 copy of W and U (float32: does nothing).

        Casting at every step would cost 28 copies of each matrix, and 28 more in the backward pass.
        """
        if self.precision == "float32" or not self.built:  # unbuilt: the first call creates the weights
            yield
            return
        self._bfloat16_weights = (ops.cast(self.kernel, "bfloat16"), ops.cast(self.recurrent_kernel, "bfloat16"))
        try:
            yield
        finally:
            self._bfloat16_weights = None

    def call(self, inputs, states, training=False):
        if self.precision == "float32" or self.dropout or self.recurrent_dropout:
            return super().call(inputs, states, training=training)
        h_tm1, c_tm1 = states
        low = "bfloat16"
        kernel, recurrent_kernel = self._bfloat16_weights or (
            ops.cast(self.kernel, low), ops.cast(self.recurrent_kernel, low))
        z = ops.matmul(ops.cast(inputs, low), kernel)
        z = ops.add(z, ops.matmul(ops.cast(h_tm1, low), recurrent_kernel))
        z = ops.add(ops.cast(z, self.compute_dtype), self.bias)
        c, o = self._compute_carry_and_output_fused(ops.split(z, 4, axis=1), c_tm1)
        h = o * self.activation(c)
        return h, [h, c]


def create_rnn_layer(config):
    """One LSTM layer and the dropout on its output (TF1: DropoutWrapper(output_keep_prob))."""
    cell = LessonLSTMCell(config.num_hidden, precision=config.precision)
    output_dropout = keras.layers.Dropout(rate=1.0 - config.keep_prob)
    return cell, output_dropout


def stacked_step(layers, inputs, states, training):
    """One timestep through every layer (TF1: MultiRNNCell.__call__).

    inputs: (batch, input_num); states: one [h, c] per layer, each (batch, num_hidden).
    """
    new_states = []
    for (cell, output_dropout), state in zip(layers, states):
        output, state = cell(inputs, state, training=training)
        inputs = output_dropout(output, training=training)  # the next layer reads the dropped output
        new_states.append(state)  # the state carries on undropped
    return inputs, new_states


def zero_state(layers, batch_size):
    """[h, c] of zeros for every layer (TF1: MultiRNNCell.zero_state)."""
    return [cell.get_initial_state(batch_size) for cell, _ in layers]


def unroll(layers, images, training=False, all_states=False):
    """Feed the image to the stack one row per timestep and keep every step's output.

    images: (batch, timestamp_size, input_num). Returns outputs, a list of
    timestamp_size tensors (batch, num_hidden), and the final [h, c] of every layer
    (with all_states=True, a list of them, one per step).
    """
    state = zero_state(layers, tf.shape(images)[0])
    outputs, states = [], []
    with contextlib.ExitStack() as weights:  # mixed_bfloat16 only: cast the weights once, not every row
        for cell, _ in layers:
            weights.enter_context(cell.weights_cast_once())
        for timestamp in range(images.shape[1]):
            output, state = stacked_step(layers, images[:, timestamp, :], state, training)
            outputs.append(output)
            states.append(state)
    return outputs, (states if all_states else state)


class LessonLSTM(keras.Model):
    """Rows in, class scores out: the stacked LSTM unrolled over the rows, then W and b."""

    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.rnn_layers = [create_rnn_layer(config) for _ in range(config.lstm_num)]
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


def build(config):
    """A LessonLSTM with all its weights created (by one call on a dummy batch)."""
    if config.precision == "mixed_bfloat16" and runtime.cpu_has_bfloat16() is False:
        raise ValueError(
            "Config(precision='mixed_bfloat16') needs a CPU with bfloat16 instructions (AVX512_BF16 or AMX "
            "on x86, BF16 on Arm). This CPU has none, so bfloat16 would be emulated and slower than "
            "float32: use precision='float32'."
        )
    network = LessonLSTM(config)
    network(tf.zeros([1, config.timestamp_size * config.input_num]))
    return network
