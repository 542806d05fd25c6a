"""Opt-in speed: the lesson's LSTM cell with its matrix products in bfloat16 (precision="mixed_bfloat16").

`model.BFloat16LSTM`, which `model.build` makes for `Config(precision="mixed_bfloat16")`, unrolls with it.
The cells are the same keras.layers.LSTMCell objects with the same float32 weights, so a checkpoint loads
with either precision; only the two products of each step, x W and h U, take bfloat16 inputs (a CPU with
bfloat16 instructions does them about twice as fast). The gates, the cell state and the weights stay float32.
"""

import dataclasses

from keras import ops

from rnnlesson import runtime

LOW = "bfloat16"


def check_cpu():
    """Refuse bfloat16 on a CPU without bfloat16 instructions, where it would be emulated and slower."""
    if runtime.cpu_has_bfloat16() is False:
        raise ValueError(
            "Config(precision='mixed_bfloat16') needs a CPU with bfloat16 instructions (AVX512_BF16 or AMX "
            "on x86, BF16 on Arm). This CPU has none, so bfloat16 would be emulated and slower than "
            "float32: use precision='float32'."
        )


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


def cast_weights_once(rnn_layers):
    """The layers for one unroll, each cell (built, without input or recurrent dropout) in a CastWeightsCell."""
    for layer in rnn_layers:
        if layer.cell.dropout or layer.cell.recurrent_dropout:
            raise ValueError("BFloat16LSTM runs LSTMCells without input or recurrent dropout only.")
    return [dataclasses.replace(layer, cell=CastWeightsCell(layer.cell)) for layer in rnn_layers]
