"""Opt-in speed: the lesson's network with its LSTM matrix products in bfloat16 (precision="mixed_bfloat16").

`model.build` uses it only for `Config(precision="mixed_bfloat16")`. The cells are the same
keras.layers.LSTMCell objects with the same float32 weights, so a checkpoint loads with either precision;
only the two products of each step, x W and h U, take bfloat16 inputs (a CPU with bfloat16 instructions
does them about twice as fast). The gates, the cell state and the weights stay float32.
"""

import tensorflow as tf
from keras import ops

from rnnlesson import model, runtime

LOW = "bfloat16"


class CastWeightsCell:
    """One LSTMCell for the length of one unroll, with bfloat16 copies of its W and U made once.

    Casting inside every step would copy each matrix 28 times forward and 28 more times backward.
    Called like the cell: (inputs, [h, c]) -> (h, [h, c]).
    """

    def __init__(self, cell):
        self.cell = cell
        self.kernel = ops.cast(cell.kernel, LOW)
        self.recurrent_kernel = ops.cast(cell.recurrent_kernel, LOW)

    def get_initial_state(self, batch_size):
        return self.cell.get_initial_state(batch_size)

    def __call__(self, inputs, states, training=False):
        h, c = states
        z = ops.matmul(ops.cast(inputs, LOW), self.kernel) + ops.matmul(ops.cast(h, LOW), self.recurrent_kernel)
        z = ops.cast(z, "float32") + self.cell.bias
        i, f, g, o = ops.split(z, 4, axis=1)  # Keras' gate order
        gate, activation = self.cell.recurrent_activation, self.cell.activation
        c = gate(f) * c + gate(i) * activation(g)
        h = gate(o) * activation(c)
        return h, [h, c]


class BFloat16LSTM(model.LessonLSTM):
    """model.LessonLSTM whose unroll multiplies in bfloat16, with each weight matrix cast once per unroll."""

    def __init__(self, config, **kwargs):
        if runtime.cpu_has_bfloat16() is False:
            raise ValueError(
                "Config(precision='mixed_bfloat16') needs a CPU with bfloat16 instructions (AVX512_BF16 or AMX "
                "on x86, BF16 on Arm). This CPU has none, so bfloat16 would be emulated and slower than "
                "float32: use precision='float32'."
            )
        super().__init__(config, **kwargs)
        inputs = config.input_num
        for cell, _ in self.rnn_layers:  # the weights must exist before the first cast
            cell.build((None, inputs))
            inputs = config.num_hidden

    def unroll(self, images, training=False, all_states=False):
        for cell, _ in self.rnn_layers:
            if cell.dropout or cell.recurrent_dropout:
                raise ValueError("BFloat16LSTM runs LSTMCells without input or recurrent dropout only.")
        layers = [(CastWeightsCell(cell), output_dropout) for cell, output_dropout in self.rnn_layers]
        return model.unroll(layers, self.as_rows(images), training=training, all_states=all_states)


def weight_casts(graph):
    """The Cast-to-bfloat16 operations in a traced graph that read a variable directly: the weight copies."""
    return [operation for operation in graph.get_operations()
            if operation.type == "Cast" and operation.get_attr("DstT") == tf.bfloat16
            and operation.inputs[0].op.type == "ReadVariableOp"]
