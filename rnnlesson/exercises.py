"""Check a learner's answers to the notebooks' exercises: correct, not yet (with a hint), or not answered yet.

In a notebook: `exercises.check("01.3", answer, network=network)`. The expected values are computed
from the learner's own network, config and data, never pasted in. Where an exercise asks for what the
probing code computes, the reference is computed another way: the cells unrolled in NumPy from their
weights, or keras.layers.LSTM holding the same weights.
"""

from dataclasses import dataclass

import numpy as np

CHECKERS = {}


@dataclass(frozen=True)
class Verdict:
    status: str  # "correct", "not yet" or "not answered yet"
    message: str

    def __str__(self):
        return f"{self.status.capitalize()}: {self.message}"


def correct(why):
    return Verdict("correct", why)


def not_yet(hint):
    return Verdict("not yet", hint)


def exercise(name):
    """Register the function below as the checker of exercise `name`."""
    def register(checker):
        CHECKERS[name] = checker
        return checker
    return register


def judge(name, answer, **context):
    """The Verdict on `answer` to exercise `name`; a wrong answer of any type or shape is a "not yet"."""
    if name not in CHECKERS:
        raise ValueError(f"No exercise {name!r}; the exercises are {sorted(CHECKERS)}.")
    if answer is ... or answer is None:
        return Verdict("not answered yet", "replace the ... after `answer =` with your answer, then run the cell.")
    return CHECKERS[name](answer, **context)


def check(name, answer, **context):
    """Print whether `answer` to exercise `name` is correct, with a hint if it is not yet."""
    print(f"{name} {judge(name, answer, **context)}")


# ---------------------------------------------------------------- comparing answers

def as_numbers(answer):
    """answer as a float array, or None if it is not numbers (a list of tensors is fine, a string is not)."""
    if isinstance(answer, (str, bytes)):
        return None
    try:
        array = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if np.all(np.isfinite(array)) else None


def same(answer, expected, atol=1e-4, rtol=1e-4):
    """True if answer has expected's shape and values (within the tolerance); False for anything else."""
    answer, expected = as_numbers(answer), np.asarray(expected, dtype=np.float64)
    return answer is not None and answer.shape == expected.shape and np.allclose(answer, expected, rtol, atol)


def first_hint(answer, wrong_answers, atol=1e-4, rtol=1e-4):
    """The hint of the typical wrong answer closest to `answer`, among those it matches; None if none does."""
    matches = [(np.abs(as_numbers(answer) - np.asarray(value, np.float64)).max(), index, hint)
               for index, (value, hint) in enumerate(wrong_answers)
               if value is not None and same(answer, value, atol, rtol)]
    return min(matches)[2] if matches else None


def tolerance_for(network, atol):
    """atol for float32 products; bfloat16 products (Config.precision) round to about 3 digits."""
    return atol if network.config.precision == "float32" else max(atol, 0.02)


def whole_number(answer):
    """answer as an int if it is one (1, 1.0, np.int64(1)), else None."""
    number = as_numbers(answer)
    if number is None or number.shape != () or number != round(float(number)):
        return None
    return int(number)


# ---------------------------------------------------------------- the reference: the cells in NumPy

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def numpy_unroll(network, images):
    """The stack of LSTM cells run in NumPy from its weights (dropout off).

    Returns {name: (steps, layers, batch, units)} for the gates i, f, g, o and the states c, h.
    """
    config = network.config
    rows = np.asarray(images, np.float32).reshape(-1, config.timestamp_size, config.input_num)
    layers = []
    for cell, _ in network.rnn_layers:
        kernel, recurrent_kernel, bias = (np.asarray(w, np.float32) for w in
                                          (cell.kernel, cell.recurrent_kernel, cell.bias))
        units = recurrent_kernel.shape[0]
        h = c = np.zeros((len(rows), units), np.float32)
        from_inputs = rows @ kernel + bias  # (batch, steps, 4 * units), every step at once
        steps = {name: [] for name in "ifgoch"}
        for t in range(rows.shape[1]):
            z = from_inputs[:, t] + h @ recurrent_kernel
            i, f, o = (sigmoid(z[:, k * units:(k + 1) * units]) for k in (0, 1, 3))  # kernel order i, f, c, o
            g = np.tanh(z[:, 2 * units:3 * units])
            c = f * c + i * g
            h = o * np.tanh(c)
            for name, value in zip("ifgoch", (i, f, g, o, c, h)):
                steps[name].append(value)
        rows = np.stack(steps["h"], axis=1)  # (batch, steps, units): the next layer's input
        layers.append({name: np.stack(values) for name, values in steps.items()})
    return {name: np.stack([layer[name] for layer in layers], axis=1) for name in "ifgoch"}


_cache = {}


def remembered(function):
    """function(network, images, ...) computed once per network weights and images (a few results kept)."""
    def wrapper(network, images, *args):
        weights = b"".join(np.asarray(w).tobytes() for w in network.weights)
        data = b"".join(np.asarray(array).tobytes() for array in (images, *args))
        key = (function.__name__, id(network), hash(weights), hash(data))
        if key not in _cache:
            if len(_cache) >= 8:
                _cache.pop(next(iter(_cache)))
            _cache[key] = function(network, images, *args)
        return _cache[key]
    return wrapper


@remembered
def fused_probabilities(network, images):
    """softmax(h_t W + b) after every row, from keras.layers.LSTM holding the cells' weights: (N, steps, classes).

    The fused layers run the whole sequence themselves, so this does not go through the lesson's unroll.
    """
    import keras

    config = network.config
    sequence = np.asarray(images, np.float32).reshape(-1, config.timestamp_size, config.input_num)
    for cell, _ in network.rnn_layers:
        layer = keras.layers.LSTM(cell.units, return_sequences=True)
        layer.build(sequence.shape)
        layer.set_weights([np.asarray(w) for w in (cell.kernel, cell.recurrent_kernel, cell.bias)])
        sequence = np.asarray(layer(sequence))  # (N, steps, units)
    logits = sequence @ np.asarray(network.W) + np.asarray(network.b)
    exponentials = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def settling_rows(probabilities):
    """Rows read after which the predicted class never changes again: (N, steps, classes) -> (N,)."""
    predictions = probabilities.argmax(axis=-1)
    agrees = predictions == predictions[:, -1:]
    steps = predictions.shape[1]
    trailing = np.where(agrees.all(axis=1), steps, np.argmin(agrees[:, ::-1], axis=1))  # run of final answers
    return steps - trailing + 1


@remembered
def accuracy_of(network, images, digits, batch_size=1000):
    """Share of images whose highest logit is the digit, from the network's own call (dropout off)."""
    predictions = [np.argmax(network(images[start:start + batch_size], training=False), axis=1)
                   for start in range(0, len(images), batch_size)]
    return float(np.mean(np.concatenate(predictions) == digits))


# ---------------------------------------------------------------- notebook 01

@exercise("01.1")
def row_pixels(answer, config):
    row = 5
    expected = np.arange((row - 1) * config.input_num, row * config.input_num)
    hint = first_hint(answer, [
        (expected + config.input_num, "that is row 6: rows count from 1, so row 5 starts after 4 full rows."),
        (np.arange(row - 1, config.timestamp_size * config.input_num, config.input_num),
         "that is a column (every 28th pixel): one row is 28 consecutive pixels of the flat vector."),
        (np.arange(row, config.timestamp_size * config.input_num, config.input_num),
         "that is a column (every 28th pixel): one row is 28 consecutive pixels of the flat vector."),
        (np.arange((row - 1) * config.input_num, row * config.input_num + 1),
         "one index too many: a range's end is not included (range(a, b) has b - a numbers)."),
    ])
    if same(answer, expected):
        return correct(f"row {row} is the {row}th block of {config.input_num} pixels: "
                       f"range({expected[0]}, {expected[-1] + 1}), the input at step {row}.")
    return not_yet(hint or f"row {row} is one block of {config.input_num} consecutive indices; "
                           "how many full rows come before it?")


@exercise("01.2")
def tutorial_loss_value(answer, config, cross_entropy):
    expected = cross_entropy / config.num_classes
    hint = first_hint(answer, [
        (cross_entropy, "that is the cross-entropy itself; the tutorial's reduce_mean also averages over the "
                        "classes, and 9 of every 10 terms it averages are zero."),
        (cross_entropy * config.num_classes, "the tutorial's loss is smaller, not larger: it averages over "
                                             "more terms, most of them zero."),
        (cross_entropy / config.batch_size, "both means divide by the batch size; the extra division is by "
                                            "something else: how many entries does each label row have?"),
    ], atol=1e-6)
    if same(answer, expected, atol=1e-6):
        return correct(f"the mean runs over batch x {config.num_classes} entries, and only one per image "
                       f"is non-zero, so the tutorial prints the cross-entropy / {config.num_classes}.")
    return not_yet(hint or "write the tutorial's mean as a sum divided by a count; which count is it?")


@exercise("01.3")
def parameter_count(answer, config):
    from rnnlesson import model

    expected = sum(int(np.prod(weight.shape)) for weight in model.build(config).weights)
    number = whole_number(answer)
    if number is None:
        return not_yet("expected a whole number of parameters, like 12345.")
    n, rows, layers, classes = config.num_hidden, config.input_num, config.lstm_num, config.num_classes
    readout = n * classes + classes  # W and b

    def lstm(inputs, gates=4, recurrent=True, bias_per_gate=True):
        """Parameters of one LSTM layer reading `inputs` numbers per step."""
        return gates * (inputs + (n if recurrent else 0)) * n + (gates if bias_per_gate else 1) * n

    def stack(**options):
        return lstm(rows, **options) + (layers - 1) * lstm(n, **options)

    hints = {
        stack(): "those are the LSTM layers; add the readout's W (num_hidden x num_classes) and b.",
        stack(bias_per_gate=False) + readout: "the bias is not one per unit: there is one per gate value, "
                                              "4 x num_hidden in each layer.",
        stack() - 4 * n * layers + readout: "you left out the LSTM biases: 4 x num_hidden in each layer.",
        stack(gates=1) + readout: "that is one gate's worth per layer; an LSTM cell has four (i, f, g, o), "
                                  "each with its own weights.",
        stack(recurrent=False) + readout: "you left out the recurrent kernels U, which read h from the "
                                          "previous row.",
        layers * lstm(rows) + readout: "layer 2 reads layer 1's h, num_hidden numbers, not a 28-pixel row.",
        layers * lstm(n) + readout: "layer 1 reads a 28-pixel row, not num_hidden numbers.",
        lstm(rows) + readout: f"the network has {layers} LSTM layers.",
    }
    if number == expected:
        return correct(f"4 x ({rows} + {n} + 1) x {n} for layer 1, 4 x ({n} + {n} + 1) x {n} for each layer "
                       f"above, {n} x {classes} + {classes} for W and b: {expected:,}.")
    return not_yet(hints.get(number, "per layer: the kernel (inputs x 4 units), the recurrent kernel "
                                     "(units x 4 units) and the bias (4 units); then W and b."))


@exercise("01.4")
def outputs_shape(answer, config):
    steps = 14
    expected = (steps, 7, config.num_hidden)
    try:
        shape = tuple(int(size) for size in answer) if not isinstance(answer, str) else None
    except (TypeError, ValueError):
        shape = None
    if shape is None:
        return not_yet("expected a shape, a tuple of whole numbers such as (2, 3, 4).")
    hints = {
        (7, steps, config.num_hidden): "that is Keras' (batch, steps, units) order; the unroll's list holds "
                                       "one (batch, units) output per step, so steps come first.",
        (config.timestamp_size, 7, config.num_hidden): "28 rows of 28 pixels became 14 rows of 56 pixels: "
                                                       "how many steps is that?",
        (steps, 7, 2 * config.input_num): "the last axis is the units of the top layer (num_hidden), not the "
                                          "pixels of a row.",
        (7, config.num_hidden): "that is one step's output; the unroll returns one per step.",
        (steps, config.num_hidden): "you left out the batch: each step's output has one row per image.",
    }
    if shape == expected:
        return correct(f"{steps} steps of 56 pixels, each giving a (7 images, {config.num_hidden} units) output.")
    return not_yet(hints.get(shape, "(steps, batch, units): work out each from the new config."))


@exercise("01.5")
def forget_gate(answer, network, x, h_prev):
    cell = network.rnn_layers[0][0]
    tolerance = tolerance_for(network, 1e-5)
    units = cell.units
    ones, zeros = np.ones_like(h_prev), np.zeros_like(h_prev)
    # c = f * c_prev + i * g: the Keras cell itself, run with c_prev = 1 and c_prev = 0, gives f
    expected = np.asarray(cell(x, [h_prev, ones])[1][1]) - np.asarray(cell(x, [h_prev, zeros])[1][1])

    def z(block, recurrent=True, bias=True):
        columns = slice(block * units, (block + 1) * units)
        return (x @ np.asarray(cell.kernel)[:, columns]
                + (h_prev @ np.asarray(cell.recurrent_kernel)[:, columns] if recurrent else 0)
                + (np.asarray(cell.bias)[columns] if bias else 0))

    hint = first_hint(answer, [
        (sigmoid(z(0)), "that is the input gate i, the first block; Keras orders the kernel's columns i, f, c, o."),
        (sigmoid(z(2)), "that is the third block: TF1 split its gates i, j, f, o, but Keras stores i, f, c, o, "
                        "so f is the second block."),
        (sigmoid(z(3)), "that is the output gate o, the last block; f is the second."),
        (z(1), "a gate is a sigmoid of that sum, so that it lies between 0 and 1."),
        (np.tanh(z(1)), "gates use the sigmoid (between 0 and 1, a share to keep); tanh is for g and c."),
        (sigmoid(z(1, bias=False)), "add the forget gate's part of the bias."),
        (sigmoid(z(1, recurrent=False)), "the gate also reads the previous h, through the recurrent kernel."),
        (sigmoid(z(1)).T, "your array is (units, batch): keep the batch first, x @ kernel, not kernel @ x."),
    ], atol=tolerance)
    if same(answer, expected, atol=tolerance):
        return correct("f = sigmoid(x W_f + h_prev U_f + b_f), the second of the four blocks: it matches the "
                       "Keras cell's own forget gate.")
    answer_array = as_numbers(answer)
    if hint is None and answer_array is not None and answer_array.shape != expected.shape:
        hint = f"expected one gate value per image and unit, {expected.shape}; yours is {answer_array.shape}."
    return not_yet(hint or "take columns [units:2 * units] of the kernel, the recurrent kernel and the bias.")


@exercise("01.6")
def dropout_gap(answer, network, mnist, history=None):
    train_accuracy = accuracy_of(network, mnist.train.images, mnist.train.digits)
    test_accuracy = accuracy_of(network, mnist.test.images, mnist.test.digits)
    expected = train_accuracy - test_accuracy
    tolerance = 1.5 / len(mnist.test.digits)
    wrong = [(-expected, "subtract the other way round: training accuracy minus test accuracy."),
             (100 * expected, "as a fraction please (0.01 for one percentage point), not in percent.")]
    if history is not None and len(history.accuracy):
        wrong.append((float(history.accuracy[-1]) - test_accuracy,
                      "the last training batch is 64 images: too noisy. Evaluate on all training images."))
    if same(answer, expected, atol=tolerance):
        return correct(f"{train_accuracy:.4f} on the training images against {test_accuracy:.4f} on the "
                       f"test images: a gap of {expected:+.4f}.")
    hint = first_hint(answer, wrong, atol=tolerance)
    if as_numbers(answer) is None or as_numbers(answer).shape != ():
        hint = "expected one number, the training accuracy minus the test accuracy."
    return not_yet(hint or "measure both accuracies on whole sets with dropout off, e.g. with train.evaluate.")


# ---------------------------------------------------------------- notebook 02

@exercise("02.1")
def keras_layout(answer, network, images):
    outputs = numpy_unroll(network, images)["h"][:, -1]  # (steps, batch, units)
    expected = np.transpose(outputs, (1, 0, 2))
    tolerance = tolerance_for(network, 1e-4)
    hint = first_hint(answer, [
        (outputs.T, "`.T` reverses all three axes, so units come first; swap only steps and images."),
        (outputs.reshape(expected.shape), "reshape keeps the numbers in memory order, so it mixes steps and "
                                          "images; np.transpose moves the axes."),
        (outputs, "that is still (steps, images, units)."),
        (np.transpose(outputs, (1, 2, 0)), "that is (images, units, steps); units stay last."),
    ], atol=tolerance)
    if same(answer, expected, atol=tolerance):
        return correct("np.transpose(outputs, (1, 0, 2)) swaps steps and images and leaves the units last.")
    shape = getattr(as_numbers(answer), "shape", None)
    return not_yet(hint or f"expected shape {expected.shape} (images, steps, units); yours is {shape}.")


@exercise("02.2")
def tf1_state_to_keras(answer, network, images):
    traced = numpy_unroll(network, images)
    h, c = traced["h"][-1], traced["c"][-1]  # (layers, batch, units) after the last row
    expected = np.stack([h, c], axis=1)  # (layers, 2, batch, units)
    tolerance = tolerance_for(network, 1e-4)
    hint = first_hint(answer, [
        (np.stack([c, h], axis=1), "each pair is still TF1's (c, h); Keras wants [h, c]."),
        (expected[::-1], "the layers are reversed: the first pair is the bottom layer, as in TF1."),
        (expected[-1], "that is only the top layer; the state holds one [h, c] for every layer."),
        (expected.reshape(-1, *h.shape[1:]), "nest it: one [h, c] list per layer, not one flat list."),
    ], atol=tolerance)
    if same(answer, expected, atol=tolerance):
        return correct("one [h, c] per layer, bottom layer first, as Keras' cells take and return it.")
    return not_yet(hint or f"expected {len(h)} pairs [h, c], each array {h.shape[1:]}.")


def largest_memory(c):
    """(unit, row) of the largest |c| in c (steps, units), with rows counted from 1."""
    step, unit = np.unravel_index(np.argmax(np.abs(c)), c.shape)
    return int(unit), int(step) + 1


@exercise("02.3")
def largest_c(answer, network, images):
    c = numpy_unroll(network, images)["c"]  # (steps, layers, batch, units)
    unit, row = largest_memory(c[:, -1, 0])
    try:
        given_unit, given_row = (int(value) for value in answer) if not isinstance(answer, str) else (None, None)
    except (TypeError, ValueError):
        given_unit = None
    if given_unit is None:
        return not_yet("expected two whole numbers, (unit, row).")
    steps, units = c.shape[0], c.shape[-1]
    if 0 <= given_unit < units and 1 <= given_row <= steps and (
            abs(c[given_row - 1, -1, 0, given_unit]) >= abs(c[row - 1, -1, 0, unit]) - tolerance_for(network, 1e-6)):
        return correct(f"unit {unit} reaches |c| = {abs(c[row - 1, -1, 0, unit]):.2f} after row {row}; c has "
                       "no bound, while h = o * tanh(c) stays inside (-1, 1).")
    signed_step, signed_unit = np.unravel_index(np.argmax(c[:, -1, 0]), c[:, -1, 0].shape)
    all_images = np.unravel_index(np.argmax(np.abs(c[:, -1])), c[:, -1].shape)  # (step, image, unit)
    hints = {
        (unit, row - 1): "rows count from 1: step index 0 is row 1.",
        largest_memory(c[:, 0, 0]): "that is in the bottom layer; take the top layer, layers index -1.",
        (int(signed_unit), int(signed_step) + 1): "that is the largest c; a large negative c is a big memory "
                                                  "too: take the largest |c|.",
        (int(all_images[2]), int(all_images[0]) + 1): "that is over all five images; take image 0 only.",
    }
    if given_unit == unit:
        return not_yet(hints.get((given_unit, given_row), "right unit; at which row is its |c| largest?"))
    return not_yet(hints.get((given_unit, given_row), "look for the largest |c| over rows and units of "
                                                      "traced.c[:, -1, 0]."))


@exercise("02.4")
def top_forget_gates(answer, network, images):
    traced = numpy_unroll(network, images)
    expected = traced["f"][:, -1, 0]  # (steps, units)
    tolerance = tolerance_for(network, 1e-4)
    cell = network.rnn_layers[-1][0]
    units = cell.units
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in (cell.kernel, cell.recurrent_kernel, cell.bias))
    below, h = traced["h"][:, -2, 0], traced["h"][:, -1, 0]
    previous = np.vstack([np.zeros((1, units)), h[:-1]])

    def gate(block, h_before=previous, activation=sigmoid, with_bias=True):
        columns = slice(block * units, (block + 1) * units)
        z = below @ kernel[:, columns] + h_before @ recurrent_kernel[:, columns]
        return activation(z + bias[columns] if with_bias else z)

    hint = first_hint(answer, [
        (gate(1, h_before=h), "row t's gates read h from row t - 1 (zeros before row 1), not the h they "
                              "help to make."),
        (gate(0), "that is the input gate i; f is the second block of the kernel's columns (i, f, c, o)."),
        (gate(2, activation=sigmoid), "the third block is the candidate g in Keras (TF1's order was "
                                      "i, j, f, o); f is the second."),
        (traced["f"][:, 0, 0], "those are the bottom layer's forget gates; the top layer reads the bottom "
                               "layer's h, with its own weights."),
        (gate(1, activation=lambda z: z), "apply the sigmoid: a gate lies between 0 and 1."),
        (gate(1, with_bias=False), "add the bias's forget block."),
        (expected.T, "rows first please: (28 rows, units), not (units, 28)."),
    ], atol=tolerance)
    if same(answer, expected, atol=tolerance):
        return correct("sigmoid(h_below W_f + h_previous U_f + b_f) at every row: the same numbers as the "
                       "cell's own forget gate.")
    shape = getattr(as_numbers(answer), "shape", None)
    return not_yet(hint or f"expected {expected.shape} (rows, units), yours is {shape}: at row t the top layer "
                           "reads layer 1's h at row t and its own h at row t - 1.")


@exercise("02.5")
def memory_kept(answer, network, images, unit):
    traced = numpy_unroll(network, images)
    f, c = traced["f"][:, -1, 0, unit], traced["c"][:, -1, 0, unit]  # (steps,): rows 1..28 are indices 0..27
    expected = np.prod(f[14:28])
    tolerance = tolerance_for(network, 1e-5)
    hint = first_hint(answer, [
        (np.prod(f[13:28]), "rows 15 to 28 are indices 14 to 27: row 14's forget gate helped to make c after "
                            "row 14; it does not act on it."),
        (np.prod(f[14:27]), "include row 28's forget gate: rows 15 to 28 are indices 14 to 27, f[14:28]."),
        (np.prod(f[13:27]), "rows 15 to 28 are indices 14 to 27, f[14:28]."),
        (np.mean(f[14:28]), "each row multiplies the old c by f, so what is left is a product, not a mean."),
        (c[27] / c[13], "c after row 28 over c after row 14 also counts what the input gate added since; "
                        "what is left of the old c depends on the forget gates alone."),
    ], atol=tolerance, rtol=1e-3)
    if same(answer, expected, atol=tolerance, rtol=1e-3):
        return correct(f"{expected:.3f}: c after row 14 is multiplied by f at each of rows 15 to 28, so "
                       f"{expected:.1%} of it is still in unit {unit}'s c after row 28.")
    return not_yet(hint or "c_t = f_t * c_(t-1) + i_t * g_t: follow the old c through rows 15 to 28.")


# ---------------------------------------------------------------- notebook 03

@exercise("03.1")
def half_right(answer, network, mnist):
    probabilities = fused_probabilities(network, mnist.test.images)
    accuracy = np.mean(probabilities.argmax(axis=-1) == mnist.test.digits[:, None], axis=0)  # (steps,)
    reached = np.flatnonzero(accuracy >= 0.5)
    if len(reached) == 0:
        return not_yet("this network never reaches 50% on the test digits; train it longer first.")
    expected = int(reached[0]) + 1
    number = whole_number(answer)
    if number is None:
        value = as_numbers(answer)
        if value is not None and value.shape == () and 0 < value < 1:
            return not_yet("expected a number of rows, not an accuracy.")
        return not_yet("expected a whole number of rows read, from 1 to 28.")
    below = np.flatnonzero(accuracy < 0.5)
    hints = {
        int(below[-1] if len(below) else -1) + 1: "that is the last row below 50%; the question asks for the "
                                                  "first at or above.",
        expected + 1: "one row too late: accuracy_after[k - 1] is the accuracy after k rows.",
        expected - 1: "rows count from 1: accuracy_after[0] is the accuracy after row 1.",
    }
    if number != expected and number in hints:
        return not_yet(hints[number])
    median_settling = np.median(settling_rows(probabilities))
    if number != expected and same(answer, median_settling):
        return not_yet("that is the median decision row: by then half the images have settled, on a right or "
                       "a wrong answer. The question asks when half of them are right.")
    if number == expected:
        return correct(f"after {expected} rows {accuracy[expected - 1]:.1%} are right, after "
                       f"{expected - 1} only {accuracy[expected - 2]:.1%}." if expected > 1 else
                       f"already after row 1, {accuracy[0]:.1%} are right.")
    return not_yet(hints.get(number, "find the first k with accuracy_after[k - 1] >= 0.5."))


@exercise("03.2")
def class_accuracy(answer, network, mnist, digit, rows=21):
    probabilities = fused_probabilities(network, mnist.test.images)
    predictions = probabilities[:, rows - 1].argmax(axis=-1)
    is_digit = mnist.test.digits == digit
    expected = np.mean(predictions[is_digit] == digit)
    tolerance = 1.5 / is_digit.sum()  # one image more or less, for rounding differences
    predicted = predictions == digit
    hint = first_hint(answer, [
        (np.mean(probabilities[is_digit, rows].argmax(axis=-1) == digit),
         f"that is after {rows + 1} rows: the accuracy after k rows is at index k - 1."),
        (np.mean(predictions == mnist.test.digits), f"that is all classes; take only the images of {digit}s."),
        (np.mean(mnist.test.digits[predicted] == digit) if predicted.any() else None,
         f"that is the share right among the images predicted to be {digit}; the question asks among the "
         f"images that are {digit}s."),
        (100 * expected, "as a fraction please, not in percent."),
    ], atol=tolerance)
    if same(answer, expected, atol=tolerance):
        return correct(f"{expected:.1%} of the {is_digit.sum()} test {digit}s are predicted {digit} after "
                       f"{rows} rows, against {np.mean(predictions == mnist.test.digits):.1%} over all classes.")
    return not_yet(hint or f"among the test images that are {digit}s, the share predicted {digit} after {rows} rows.")


@exercise("03.3")
def blank_start(answer, mnist, rows=4):
    def blank_for(k):  # test images with no ink in their first k rows
        return int(np.sum(mnist.test.pixels[:, :k].max(axis=(1, 2)) == 0))

    expected = blank_for(rows)
    number = whole_number(answer)
    if number is None:
        value = as_numbers(answer)
        if value is not None and value.shape == () and 0 < value < 1:
            return not_yet("expected a count of images, not a share.")
        return not_yet("expected a whole number of test images.")

    hints = {
        mnist.test.num_examples - expected: f"that counts the images with ink in their first {rows} rows; the "
                                            "others are the ones that look blank to the network.",
        blank_for(rows - 1): f"that is after {rows - 1} rows: test_probabilities[:, k - 1] is after k rows.",
        blank_for(rows + 1): f"that is after {rows + 1} rows: test_probabilities[:, k - 1] is after k rows.",
        mnist.test.num_examples: f"not all of them: some digits reach into the first {rows} rows.",
    }
    if number == expected:
        return correct(f"{expected} test images have no ink in rows 1 to {rows}: identical inputs from the "
                       "same zero state give the same h, c and probabilities, whatever digit comes later.")
    return not_yet(hints.get(number, f"compare each image's probabilities after {rows} rows with the blank "
                                     "image's (np.all over the classes), or look for ink in the pixels."))


@exercise("03.4")
def latest_right(answer, network, mnist):
    probabilities = fused_probabilities(network, mnist.test.images)
    rows = settling_rows(probabilities)
    right = probabilities[:, -1].argmax(axis=-1) == mnist.test.digits
    latest = rows[right].max()
    index = whole_number(answer)
    if index is None or not 0 <= index < len(rows):
        return not_yet(f"expected the index of one test image, from 0 to {len(rows) - 1}.")
    if right[index] and rows[index] == latest:
        return correct(f"test image {index}, a {mnist.test.digits[index]}, is right only from row {latest} on, "
                       f"the latest of the {right.sum()} images the network gets right.")
    positions = np.flatnonzero(right)
    if index < len(positions) and rows[positions[index]] == latest:
        return not_yet("that is a position among the correctly classified images, not a test image index: "
                       "map it back with np.flatnonzero(...).")
    if not right[index]:
        return not_yet(f"the network gets image {index} wrong (it says "
                       f"{probabilities[index, -1].argmax()}); choose among the images it gets right.")
    return not_yet(f"image {index} settles after row {rows[index]}; a correctly classified image settles "
                   "later. Use decisions, restricted to the right answers.")


@exercise("03.5")
def bottom_up_accuracy(answer, network, mnist):
    pixels = mnist.test.pixels.astype(np.float32) / 255

    def predictions(pictures):
        return fused_probabilities(network, pictures.reshape(len(pictures), -1))[:, -1].argmax(axis=-1)

    expected = np.mean(predictions(pixels[:, ::-1]) == mnist.test.digits)
    top_down = predictions(pixels)
    tolerance = 3.5 / len(pixels)
    if same(answer, expected, atol=tolerance):
        return correct(f"{expected:.1%} read bottom-up against {np.mean(top_down == mnist.test.digits):.1%} "
                       "top-down: the network learned the rows in their order, not as a set.")
    if as_numbers(answer) is None or as_numbers(answer).shape != ():
        return not_yet("expected one number, an accuracy between 0 and 1.")
    hint = first_hint(answer, [
        (100 * expected, "as a fraction please, not in percent."),
        (np.mean(top_down == mnist.test.digits), "that is the accuracy read top-down: the rows are axis 1 of "
                                                 "(images, rows, pixels); reverse that one."),
        (np.mean(top_down[::-1] == mnist.test.digits), "reversing axis 0 only reorders the images (and the "
                                                       "answers no longer line up with their digits); reverse "
                                                       "the rows, axis 1."),
    ], atol=tolerance)
    if hint is None and same(answer, np.mean(predictions(pixels[:, :, ::-1]) == mnist.test.digits), atol=tolerance):
        hint = "that mirrors each row left to right (axis 2); bottom-up reverses the rows, axis 1."
    return not_yet(hint or "reverse the rows of every image (axis 1), scale to [0, 1], flatten, and score the "
                           "network's answers after the last row.")
