"""The checkers of notebook 02's exercises: outputs and states, checked against the cells unrolled in NumPy."""

import numpy as np

from rnnlesson.exercises.compare import (
    PERCENT_HINT,
    form_message,
    judge_array,
    judge_number,
    shown,
    tolerance_for,
    whole_numbers,
)
from rnnlesson.exercises.notebook01 import FORGET_BIAS_SLIP
from rnnlesson.exercises.verdicts import correct, exercise, not_yet
from rnnlesson.i18n import text
from rnnlesson.reference import numpy_unroll, sigmoid


@exercise("02.1")
def keras_layout(answer, network, images):
    traced = numpy_unroll(network, images)
    outputs = traced["h"][:, -1]  # (steps, batch, units)
    expected = np.transpose(outputs, (1, 0, 2))
    right, hint = judge_array(answer, expected, [
        (outputs.T, text("`.T` reverses all three axes, so units come first; swap only steps and images.")),
        (outputs.reshape(expected.shape), text("reshape keeps the numbers in memory order, so it mixes steps and "
                                               "images; np.transpose moves the axes.")),
        (outputs, text("that is still (steps, images, units).")),
        (np.transpose(outputs, (1, 2, 0)), text("that is (images, units, steps); units stay last.")),
        (expected[:, ::-1], text("the steps are reversed: step 0 is row 1, and moving axes keeps their order.")),
        (np.transpose(traced["h"][:, 0], (1, 0, 2)), text("that is the bottom layer's h; the outputs are the top "
                                                          "layer's, traced.outputs.")),
        (np.transpose(traced["c"][:, -1], (1, 0, 2)), text("that is c, the memory; the outputs are h, which is "
                                                           "traced.outputs.")),
    ], tolerance_for(network, 1e-4), text("an array (images, steps, units) of shape {shape}", shape=expected.shape))
    if right:
        return correct(text("np.transpose(outputs, (1, 0, 2)) swaps steps and images and leaves the units last."))
    return not_yet(hint or text("right shape, other values: start from traced.outputs itself and move its axes."))


@exercise("02.2")
def tf1_state_to_keras(answer, network, images):
    traced = numpy_unroll(network, images)
    h, c = traced["h"][-1], traced["c"][-1]  # (layers, batch, units) after the last row
    expected = np.stack([h, c], axis=1)  # (layers, 2, batch, units)
    right, hint = judge_array(answer, expected, [
        (np.stack([c, h], axis=1), text("each pair is still TF1's (c, h); Keras wants [h, c].")),
        (expected[::-1], text("the layers are reversed: the first pair is the bottom layer, as in TF1.")),
        (expected[-1], text("that is only the top layer; the state holds one [h, c] for every layer.")),
        (expected.reshape(-1, *h.shape[1:]), text("nest it: one [h, c] list per layer, not one flat list.")),
        (np.stack([traced["h"][-2], traced["c"][-2]], axis=1), text("that is the state after row 27; tf1_state is "
                                                                    "the final one, after the last row.")),
        (np.zeros_like(expected), text("those are zeros, the state before row 1; tf1_state is the final one.")),
        (np.stack([h, h], axis=1), text("each pair holds h twice; the second array is c.")),
        (np.stack([c, c], axis=1), text("each pair holds c twice; the first array is h.")),
    ], tolerance_for(network, 1e-4), text("{pairs} pairs [h, c], each array {shape}", pairs=len(h), shape=h.shape[1:]))
    if right:
        return correct(text("one [h, c] per layer, bottom layer first, as Keras' cells take and return it."))
    return not_yet(hint or text("right structure, other arrays: each pair is the h and c of tf1_state's pair for "
                                "the same layer."))


def largest_memory(c):
    """(unit, row) of the largest |c| in c (steps, units), with rows counted from 1."""
    step, unit = np.unravel_index(np.argmax(np.abs(c)), c.shape)
    return int(unit), int(step) + 1


@exercise("02.3")
def largest_c(answer, network, images):
    c = numpy_unroll(network, images)["c"]  # (steps, layers, batch, units)
    unit, row = largest_memory(c[:, -1, 0])
    given = whole_numbers(answer)
    if given is None or len(given) != 2:
        return not_yet(form_message(text("two whole numbers, (unit, row)"), answer))
    given_unit, given_row = given
    steps, units = c.shape[0], c.shape[-1]
    if 0 <= given_unit < units and 1 <= given_row <= steps and (
            abs(c[given_row - 1, -1, 0, given_unit]) >= abs(c[row - 1, -1, 0, unit]) - tolerance_for(network, 1e-6)):
        return correct(text("unit {unit} reaches |c| = {c:.2f} after row {row}; c has "
                            "no bound, while h = o * tanh(c) stays inside (-1, 1).",
                            unit=unit, c=abs(c[row - 1, -1, 0, unit]), row=row))
    signed_step, signed_unit = np.unravel_index(np.argmax(c[:, -1, 0]), c[:, -1, 0].shape)
    all_images = np.unravel_index(np.argmax(np.abs(c[:, -1])), c[:, -1].shape)  # (step, image, unit)
    hints = dict(reversed([  # where two slips give the same answer, the first one listed is named
        ((unit, row - 1), text("rows count from 1: step index 0 is row 1.")),
        (largest_memory(c[:, 0, 0]), text("that is in the bottom layer; take the top layer, layers index -1.")),
        ((int(signed_unit), int(signed_step) + 1), text("that is the largest c; a large negative c is a big memory "
                                                        "too: take the largest |c|.")),
        ((int(all_images[2]), int(all_images[0]) + 1), text("that is over all five images; take image 0 only.")),
    ]))
    if given_unit == unit:
        return not_yet(hints.get((given_unit, given_row), text("right unit; at which row is its |c| largest?")))
    return not_yet(hints.get((given_unit, given_row), text("look for the largest |c| over rows and units of "
                                                           "traced.c[:, -1, 0].")))


@exercise("02.4")
def top_forget_gates(answer, network, images):
    traced = numpy_unroll(network, images)
    expected = traced["f"][:, -1, 0]  # (steps, units)
    cell = network.rnn_layers[-1].cell
    units = cell.units
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in (cell.kernel, cell.recurrent_kernel, cell.bias))
    below, h = traced["h"][:, -2, 0], traced["h"][:, -1, 0]
    zeros = np.zeros((1, units))
    previous = np.vstack([zeros, h[:-1]])

    def gate(block, h_before=previous, activation=sigmoid, with_bias=True):
        columns = slice(block * units, (block + 1) * units)
        z = below @ kernel[:, columns] + h_before @ recurrent_kernel[:, columns]
        return activation(z + bias[columns] if with_bias else z)

    other_image = 1 if traced["f"].shape[2] > 1 else None
    right, hint = judge_array(answer, expected, [
        (gate(1, h_before=h), text("row t's gates read h from row t - 1 (zeros before row 1), not the h they "
                                   "help to make.")),
        (gate(1, h_before=np.vstack([h[1:], zeros])), text("that shifts h the wrong way: row t reads the h after "
                                                           "row t - 1, so the zeros go first.")),
        (gate(1, h_before=0 * h), text("the gate also reads the top layer's own previous h, through the recurrent "
                                       "kernel.")),
        (gate(0), text("that is the input gate i; f is the second block of the kernel's columns (i, f, c, o).")),
        (gate(2, activation=sigmoid), text("the third block is the candidate g in Keras (TF1's order was "
                                           "i, j, f, o); f is the second.")),
        (traced["f"][:, 0, 0], text("those are the bottom layer's forget gates; the top layer reads the bottom "
                                    "layer's h, with its own weights.")),
        (None if other_image is None else traced["f"][:, -1, other_image],
         text("those are image 1's forget gates; take image 0's, index 0 of the images axis.")),
        (gate(1, activation=lambda z: z), text("apply the sigmoid: a gate lies between 0 and 1.")),
        (gate(1, activation=lambda z: sigmoid(z + 1)), text(FORGET_BIAS_SLIP)),
        (gate(1, with_bias=False), text("add the bias's forget block.")),
        (expected.T, text("rows first please: (28 rows, units), not (units, 28).")),
    ], tolerance_for(network, 1e-4), text("an array (rows, units) of shape {shape}", shape=expected.shape))
    if right:
        return correct(text("sigmoid(h_below W_f + h_previous U_f + b_f) at every row: the same numbers as the "
                            "cell's own forget gate."))
    return not_yet(hint or text("right shape, other values: at row t the top layer reads layer 1's h at row t and "
                                "its own h at row t - 1, through the forget block of each weight."))


@exercise("02.5", figures=3)
def memory_kept(answer, network, images, unit, figures):
    traced = numpy_unroll(network, images)
    f, c = traced["f"][:, -1, 0, unit], traced["c"][:, -1, 0, unit]  # (steps,): rows 1..28 are indices 0..27
    expected = np.prod(f[14:28])
    right, hint = judge_number(answer, expected, figures, [
        (np.prod(f[13:28]), text("rows 15 to 28 are indices 14 to 27: row 14's forget gate helped to make c after "
                                 "row 14; it does not act on it.")),
        (np.prod(f[14:27]), text("include row 28's forget gate: rows 15 to 28 are indices 14 to 27, f[14:28].")),
        (np.prod(f[13:27]), text("rows 15 to 28 are indices 14 to 27, f[14:28].")),
        (np.mean(f[14:28]), text("each row multiplies the old c by f, so what is left is a product, not a mean.")),
        (c[27] / c[13], text("c after row 28 over c after row 14 also counts what the input gate added since; "
                             "what is left of the old c depends on the forget gates alone.")),
        (100 * expected, text(PERCENT_HINT)),
    ], slack=tolerance_for(network, 1e-4) * abs(expected))  # float32 gates, multiplied 14 times
    if right:
        return correct(text("{kept}: c after row 14 is multiplied by f at each of rows 15 to 28, "
                            "so {percent}% of it is still in unit {unit}'s c after row 28.",
                            kept=shown(expected, figures), percent=shown(100 * expected, figures), unit=unit))
    return not_yet(hint or text("c_t = f_t * c_(t-1) + i_t * g_t: follow the old c through rows 15 to 28."))


@exercise("02.6", figures=3)
def half_memory_bias(answer, blank_rows, figures):
    kept = 0.5 ** (1 / blank_rows)  # the forget gate that keeps half after blank_rows rows: f ** blank_rows = 0.5
    expected = np.log(kept / (1 - kept))  # the bias whose sigmoid is that gate
    straight_line = 1 - 0.5 / blank_rows
    right, hint = judge_number(answer, expected, figures, [
        (kept, text("that is the forget gate's value f; the bias is the sigmoid's input, log(f / (1 - f)).")),
        (0.0, text("a bias of 0 gives f = 0.5, which keeps half after one blank row, not after all of them.")),
        (-expected, text("mind the sign: a negative bias makes f smaller than 0.5.")),
        (np.log(straight_line / (1 - straight_line)), text("1 - 0.5 / K is a straight-line guess; what is left after "
                                                           "K rows is f ** K, so solve f ** K = 0.5.")),
    ])
    if right:
        return correct(text("f = 0.5 ** (1 / {rows}) = {kept:.4f} keeps half after {rows} blank rows; "
                            "its bias is log(f / (1 - f)) = {bias}, against Keras' start of 1, "
                            "which keeps {start:.1e}.",
                            rows=blank_rows, kept=kept, bias=shown(expected, figures),
                            start=sigmoid(1.0) ** blank_rows))
    return not_yet(hint or text("find f with f ** K = 0.5, then the z with sigmoid(z) = f."))
