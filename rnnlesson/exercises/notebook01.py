"""The checkers of notebook 01's exercises: pixels of a row, the tutorial's loss, parameters, shapes, gates."""

import functools
from types import SimpleNamespace

import numpy as np

from rnnlesson.exercises.compare import (
    PERCENT_HINT,
    as_indices,
    as_whole_number,
    form_message,
    judge_array,
    judge_number,
    remembered,
    same,
    shown,
    tolerance_for,
    whole_numbers,
)
from rnnlesson.exercises.verdicts import correct, exercise, not_yet
from rnnlesson.i18n import text
from rnnlesson.reference import sigmoid


@exercise("01.1")
def row_pixels(answer, config):
    row, width = 5, config.input_num
    expected = np.arange((row - 1) * width, row * width)
    indices = as_indices(answer, config.timestamp_size * width)
    if indices is None:
        return not_yet(form_message(text("the indices of row {row}, such as a range(start, stop)", row=row), answer))
    if same(indices, expected):
        return correct(text("row {row} is the {row}th block of {width} pixels: "
                            "range({start}, {stop}), the input at step {row}.",
                            row=row, width=width, start=expected[0], stop=expected[-1] + 1))
    column = text("that is a column (every 28th pixel): one row is 28 consecutive pixels of the flat vector.")
    hints = [
        (expected + width, text("that is row 6: rows count from 1, so row 5 starts after 4 full rows.")),
        (np.arange(row - 1, config.timestamp_size * width, width), column),
        (np.arange(row, config.timestamp_size * width, width), column),
        (np.arange((row - 1) * width, row * width + 1),
         text("one index too many: a range's end is not included (range(a, b) has b - a numbers).")),
        ([expected[0], expected[-1] + 1], text("those are where the row starts and stops; answer with all its "
                                               "indices: range(start, stop).")),
        ([expected[0], expected[-1]], text("those are the row's first and last index; answer with all its "
                                           "indices: range(start, stop), which leaves out stop.")),
    ]
    hint = next((hint for value, hint in hints if same(indices, value)), None)
    return not_yet(hint or text("row {row} is one block of {width} consecutive indices; "
                                "how many full rows come before it?", row=row, width=width))


@exercise("01.2", figures=2)
def tutorial_loss_value(answer, config, cross_entropy, figures):
    expected = cross_entropy / config.num_classes
    right, hint = judge_number(answer, expected, figures, [
        (cross_entropy, text("that is the cross-entropy itself; the tutorial's reduce_mean also averages over the "
                             "classes, and 9 of every 10 terms it averages are zero.")),
        (cross_entropy * config.num_classes, text("the tutorial's loss is smaller, not larger: it averages over "
                                                  "more terms, most of them zero.")),
        (cross_entropy / config.batch_size, text("both means divide by the batch size; the extra division is by "
                                                 "something else: how many entries does each label row have?")),
    ])
    if right:
        return correct(text("the mean runs over batch x {classes} entries, and only one per image is "
                            "non-zero, so the tutorial prints the cross-entropy / {classes}: {value}.",
                            classes=config.num_classes, value=shown(expected, figures)))
    return not_yet(hint or text("write the tutorial's mean as a sum divided by a count; which count is it?"))


@functools.lru_cache(maxsize=8)
def weights_of(config):
    """The number of weights of the network model.build(config) makes (Config is frozen, so it can be a key)."""
    from rnnlesson import model

    return sum(int(np.prod(weight.shape)) for weight in model.build(config).weights)


@exercise("01.3")
def parameter_count(answer, config):
    number, form = as_whole_number(answer, text("a whole number of parameters, like 12345"))
    if form:
        return not_yet(form)
    expected = weights_of(config)
    n, rows, layers, classes = config.num_hidden, config.input_num, config.lstm_num, config.num_classes
    readout = n * classes + classes  # W and b

    def lstm(inputs, gates=4, recurrent=True, bias_per_gate=True):
        """Parameters of one LSTM layer reading `inputs` numbers per step."""
        return gates * (inputs + (n if recurrent else 0)) * n + (gates if bias_per_gate else 1) * n

    def stack(**options):
        return lstm(rows, **options) + (layers - 1) * lstm(n, **options)

    hints = {
        stack(): text("those are the LSTM layers; add the readout's W (num_hidden x num_classes) and b."),
        stack(bias_per_gate=False) + readout: text("the bias is not one per unit: there is one per gate value, "
                                                   "4 x num_hidden in each layer."),
        stack() - 4 * n * layers + readout: text("you left out the LSTM biases: 4 x num_hidden in each layer."),
        stack(gates=1) + readout: text("that is one gate's worth per layer; an LSTM cell has four (i, f, g, o), "
                                       "each with its own weights."),
        stack(recurrent=False) + readout: text("you left out the recurrent kernels U, which read h from the "
                                               "previous row."),
        layers * lstm(rows) + readout: text("layer 2 reads layer 1's h, num_hidden numbers, not a 28-pixel row."),
        layers * lstm(n) + readout: text("layer 1 reads a 28-pixel row, not num_hidden numbers."),
        lstm(rows) + readout: text("the network has {layers} LSTM layers.", layers=layers),
    }
    if number == expected:
        return correct(text("4 x ({rows} + {n} + 1) x {n} for layer 1, 4 x ({n} + {n} + 1) x {n} for each layer "
                            "above, {n} x {classes} + {classes} for W and b: {expected:,}.",
                            rows=rows, n=n, classes=classes, expected=expected))
    return not_yet(hints.get(number, text("per layer: the kernel (inputs x 4 units), the recurrent kernel "
                                          "(units x 4 units) and the bias (4 units); then W and b.")))


@exercise("01.4")
def outputs_shape(answer, config):
    steps = 14
    expected = (steps, 7, config.num_hidden)
    shape = whole_numbers(answer)
    if shape is None:
        return not_yet(form_message(text("a shape, a tuple of whole numbers such as (2, 3, 4)"), answer))
    hints = {
        (7, steps, config.num_hidden): text("that is Keras' (batch, steps, units) order; the unroll's list holds "
                                            "one (batch, units) output per step, so steps come first."),
        (config.timestamp_size, 7, config.num_hidden): text("28 rows of 28 pixels became 14 rows of 56 pixels: "
                                                            "how many steps is that?"),
        (steps, 7, 2 * config.input_num): text("the last axis is the units of the top layer (num_hidden), not "
                                               "the pixels of a row."),
        (7, config.num_hidden): text("that is one step's output; the unroll returns one per step."),
        (steps, config.num_hidden): text("you left out the batch: each step's output has one row per image."),
    }
    if shape == expected:
        return correct(text("{steps} steps of 56 pixels, each giving a (7 images, {units} units) output.",
                            steps=steps, units=config.num_hidden))
    return not_yet(hints.get(shape, text("(steps, batch, units): work out each from the new config.")))


FORGET_BIAS_SLIP = ("the + 1 is TF1's forget_bias=1.0, which Keras does not have: b_f already sits in `bias` "
                    "(unit_forget_bias started it at 1), so add the bias's forget block alone.")  # text(...) it


@exercise("01.5")
def forget_gate(answer, network, x, h_prev):
    cell = network.rnn_layers[0].cell
    units = cell.units
    ones, zeros = np.ones_like(h_prev), np.zeros_like(h_prev)
    # c = f * c_prev + i * g: the Keras cell itself, run with c_prev = 1 and c_prev = 0, gives f
    expected = np.asarray(cell(x, [h_prev, ones])[1][1]) - np.asarray(cell(x, [h_prev, zeros])[1][1])

    def z(block, inputs=x, recurrent=True, bias=True):
        columns = slice(block * units, (block + 1) * units)
        return (inputs @ np.asarray(cell.kernel)[:, columns]
                + (h_prev @ np.asarray(cell.recurrent_kernel)[:, columns] if recurrent else 0)
                + (np.asarray(cell.bias)[columns] if bias else 0))

    right, hint = judge_array(answer, expected, [
        (sigmoid(z(0)), text("that is the input gate i, the first block; Keras orders the kernel's columns "
                             "i, f, c, o.")),
        (sigmoid(z(2)), text("that is the third block: TF1 split its gates i, j, f, o, but Keras stores "
                             "i, f, c, o, so f is the second block.")),
        (sigmoid(z(3)), text("that is the output gate o, the last block; f is the second.")),
        (z(1), text("a gate is a sigmoid of that sum, so that it lies between 0 and 1.")),
        (np.tanh(z(1)), text("gates use the sigmoid (between 0 and 1, a share to keep); tanh is for g and c.")),
        (sigmoid(z(1) + 1), text(FORGET_BIAS_SLIP)),
        (sigmoid(z(1, bias=False)), text("add the forget gate's part of the bias.")),
        (sigmoid(z(1, recurrent=False)), text("the gate also reads the previous h, through the recurrent kernel.")),
        (sigmoid(z(1, inputs=x / 255)), text("x is already in [0, 1] (mnist's images are divided by 255 once); "
                                             "use it as it is.")),
        (sigmoid(z(1)).T, text("your array is (units, batch): keep the batch first, x @ kernel, not kernel @ x.")),
    ], tolerance_for(network, 1e-5), text("one gate value per image and unit, shape {shape}", shape=expected.shape))
    if right:
        return correct(text("f = sigmoid(x W_f + h_prev U_f + b_f), the second of the four blocks: it matches the "
                            "Keras cell's own forget gate."))
    return not_yet(hint or text("right shape, other values: f = sigmoid(x W_f + h_prev U_f + b_f) with the cell's "
                                "x and h_prev above, and each weight's forget block (the order is i, f, c, o)."))


@remembered
def accuracy(network, images, digits):
    """train.evaluate on these images and digits (dropout off), computed once per network weights and images."""
    from rnnlesson import train

    return train.evaluate(network, SimpleNamespace(images=images, digits=digits))


@exercise("01.6", figures=2)
def dropout_gap(answer, network, mnist, history=None, figures=None):
    train_accuracy = accuracy(network, mnist.train.images, mnist.train.digits)
    test_accuracy = accuracy(network, mnist.test.images, mnist.test.digits)
    expected = train_accuracy - test_accuracy
    wrong = [(-expected, text("subtract the other way round: training accuracy minus test accuracy.")),
             (100 * expected, text(PERCENT_HINT))]
    if history is not None and len(history.accuracy):
        wrong.append((float(history.accuracy[-1]) - test_accuracy,
                      text("the last training batch is 64 images: too noisy. Evaluate on all training images.")))
    right, hint = judge_number(answer, expected, figures, wrong)
    if right:
        return correct(text("{train:.4f} on the training images against {test:.4f} on the "
                            "test images: a gap of {gap}.",
                            train=train_accuracy, test=test_accuracy, gap=shown(expected, figures, sign=True)))
    return not_yet(hint or text("measure both accuracies on whole sets with dropout off, e.g. with "
                                "train.evaluate."))


@functools.lru_cache(maxsize=8)
def plain_weights_of(config):
    """The number of weights of the plain RNN families.build(config, "SimpleRNN") makes."""
    from rnnlesson import families

    return families.build(config, "SimpleRNN").count_params()


def plain_slips(config):
    """Typical wrong counts of the plain RNN's weights, {count: hint}."""
    n, classes = config.num_hidden, config.num_classes
    inputs = [config.input_num] + [n] * (config.lstm_num - 1)  # what each layer reads
    readout = n * classes + classes

    def stack(gates=1, bias=1, recurrent=True):
        return sum(gates * (each + (n if recurrent else 0) + bias) * n for each in inputs)

    return {
        stack(gates=4) + readout: text("that is the LSTM's count: a plain RNN has one tanh, not four gates."),
        stack(): text("those are the recurrent layers; add the classifier's W and b."),
        stack(bias=0) + readout: text("you left out the bias b of each layer (num_hidden numbers)."),
        stack(recurrent=False) + readout: text("you left out U, the weights that read h_{t-1}: without them "
                                               "the network is not recurrent."),
        config.lstm_num * (config.input_num + n + 1) * n + readout: text("layer 2 reads layer 1's h, num_hidden "
                                                                         "numbers, not a row."),
    }


@exercise("01.7")
def plain_parameter_count(answer, config):
    number, form = as_whole_number(answer, text("a whole number of parameters, like 12345"))
    if form:
        return not_yet(form)
    if number == (expected := plain_weights_of(config)):
        n, rows, classes = config.num_hidden, config.input_num, config.num_classes
        return correct(text("({rows} + {n} + 1) x {n} for layer 1, ({n} + {n} + 1) x {n} for each layer above, "
                            "{n} x {classes} + {classes} for W and b: {expected:,}; an LSTM's layers hold four "
                            "times as many.", rows=rows, n=n, classes=classes, expected=expected))
    return not_yet(plain_slips(config).get(number, text("per layer: W (inputs x units), U (units x units) and b "
                                                        "(units); then the classifier's W and b.")))
