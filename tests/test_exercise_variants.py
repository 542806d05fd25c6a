"""Answers as learners write them: every correct variant (the printed rounding, each natural form) is judged
correct, and every wrong one gets a hint that is true of it (no shape or form message for an answer of the
right form, "close" for a too-coarse rounding, never a hint about the method).

The learner's values are computed as the notebooks compute them (probe.trace, probe.probabilities_by_step,
train.evaluate) on the small session network; the checkers compute theirs another way (rnnlesson.reference).
That network is untrained, so where an exercise needs a network that gets digits right, its test digits are
relabelled with the network's own final predictions (`relabelled`): the checkers only compare answers with
the data they are given.
"""

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import notebook_cells
import numpy as np
import pytest
import tensorflow as tf

from rnnlesson import exercises
from rnnlesson.exercises.compare import FIGURE_WORDS

NOTEBOOKS = {"01": "01_train.ipynb", "02": "02_outputs_and_state.ipynb", "03": "03_step_probabilities.ipynb"}
FRACTIONS = {"01.6", "02.5", "03.2", "03.5"}  # the answers asked for as a fraction


@dataclass
class Case:
    """One exercise with one context: answers that must be correct, wrong answers of the right form with a phrase
    their hint must contain (or None), and answers of another form with the start of their form message."""

    context: dict
    right: dict
    wrong: dict = field(default_factory=dict)
    malformed: dict = field(default_factory=dict)
    exact: float | None = None  # the learner's value, for the rounding variants of the exercises in FIGURES


def sigmoid(z):  # the notebooks' own
    return 1 / (1 + np.exp(-z))


# ---------------------------------------------------------------- what the notebooks leave the learner

@pytest.fixture(scope="module")
def learner(small_config, small_network):
    from rnnlesson import data, probe

    mnist = data.load_mnist()
    images = mnist.train.images[:5]
    test_probabilities = probe.probabilities_by_step(small_network, mnist.test.images)
    final = test_probabilities[:, -1].argmax(axis=-1)
    relabelled = data.Datasets(train=mnist.train, test=data.DataSet(mnist.test.pixels, final), source="embedded")
    return SimpleNamespace(config=small_config, network=small_network, mnist=mnist, relabelled=relabelled,
                           images=images, traced=probe.trace(small_network, images),
                           test_probabilities=test_probabilities)


def top_layer(learner):
    """Notebook 02's cell of exercise 02.4: the top layer's weights and the h it reads."""
    cell = learner.network.rnn_layers[-1].cell
    kernel, recurrent_kernel, bias = cell.kernel.numpy(), cell.recurrent_kernel.numpy(), cell.bias.numpy()
    return cell.units, kernel, recurrent_kernel, bias


def forget_gates(learner, image=0, shift="down", recurrent=True, plus=0.0):
    """The top layer's forget gates at every row, computed as exercise 02.4's solution does (or with a slip)."""
    units, kernel, recurrent_kernel, bias = top_layer(learner)
    below_h, top_h = learner.traced.h[:, -2, image], learner.traced.h[:, -1, image]
    zeros = np.zeros((1, units))
    previous_h = {"down": np.vstack([zeros, top_h[:-1]]), "up": np.vstack([top_h[1:], zeros]), "none": top_h}[shift]
    forget = slice(units, 2 * units)
    z = below_h @ kernel[:, forget] + (previous_h @ recurrent_kernel[:, forget] if recurrent else 0) + bias[forget]
    return sigmoid(z + plus)


# ---------------------------------------------------------------- the cases, one per exercise

def case_01_1(learner):
    return Case({"config": learner.config}, right={
        "range": range(112, 140), "slice": slice(112, 140), "list": list(range(112, 140)),
        "tuple": tuple(range(112, 140)), "np.arange": np.arange(112, 140), "tf.range": tf.range(112, 140),
        "set": set(range(112, 140)), "reversed range": range(139, 111, -1),
        "boolean mask": np.arange(784) // 28 == 4,
    }, wrong={
        "row 6": (range(140, 168), "that is row 6"), "a column": (range(4, 784, 28), "that is a column"),
        "end included": (range(112, 141), "one index too many"),
        "(start, stop)": ((112, 140), "where the row starts and stops"),
        "(first, last)": ((112, 139), "first and last index"),
        "28 other indices": (range(100, 128), "how many full rows come before it"),
    }, malformed={
        "a string": ("112:140", "expected the indices of row 5, such as a range(start, stop), got the string"),
        "an image": (np.zeros((28, 28)), "expected the indices of row 5, such as a range(start, stop), got an "
                                         "array of shape (28, 28)."),
    })


def case_01_2(learner):
    from rnnlesson.config import Config

    value = 0.30 / 10
    return Case({"config": Config(), "cross_entropy": 0.30}, exact=value, right={
        "0.03": 0.03, "0.030": 0.030, "np.float32": np.float32(value), "size-1 array": np.array([0.03]),
        "tf.constant": tf.constant(value), "list of one": [0.03], "tuple of one": (0.03,),
    }, wrong={
        "the cross-entropy": (0.30, "the cross-entropy itself"), "x 10": (3.0, "smaller, not larger"),
        "/ 64": (0.30 / 64, "both means divide by the batch size"),
        "0.3 / 100": (0.003, "which count is it?"),
    }, malformed={
        "two numbers": ([0.03, 0.03], "expected a number, got a list of shape (2,)."),
        "three numbers": (np.zeros(3), "expected a number, got an array of shape (3,)."),
        "a string": ("0.03", "expected a number, got the string '0.03'."),
    })


def case_01_3(learner):
    n = learner.config.num_hidden
    count = 4 * (28 + n + 1) * n + 4 * (n + n + 1) * n + n * 10 + 10
    return Case({"config": learner.config}, right={
        "int": count, "np.int64": np.int64(count), "float": float(count), "size-1 array": np.array([count]),
        "tf.constant": tf.constant(count),
    }, wrong={
        "no readout": (count - n * 10 - 10, "add the readout"),
        "one bias per unit": (count - 2 * 3 * n, "one per gate value"),
        "too large for a float": (10**400, "per layer"),
    }, malformed={
        "not whole": (count + 0.5, f"expected a whole number of parameters, like 12345, got {count + 0.5:g}."),
        "two numbers": ([count, count], "expected a whole number of parameters, like 12345, got a list of shape"),
        "a string": ("many", "expected a whole number of parameters"),
    })


def case_01_4(learner):
    n = learner.config.num_hidden
    return Case({"config": learner.config}, right={
        "tuple": (14, 7, n), "list": [14, 7, n], "np.array": np.array([14, 7, n]),
        "TensorShape": tf.TensorShape([14, 7, n]), "NumPy integers": tuple(np.int64(size) for size in (14, 7, n)),
        "floats": (14.0, 7.0, float(n)),
    }, wrong={
        "Keras' order": ((7, 14, n), "Keras' (batch, steps, units) order"),
        "28 steps": ((28, 7, n), "how many steps"), "no batch": ((14, n), "you left out the batch"),
    }, malformed={
        "one number": (14, "expected a shape, a tuple of whole numbers such as (2, 3, 4), got 14."),
        "not whole": ((14.5, 7, n), "expected a shape"), "a string": (f"(14, 7, {n})", "expected a shape"),
    })


def case_01_5(learner):
    cell = learner.network.rnn_layers[0].cell
    kernel, recurrent_kernel, bias = cell.kernel.numpy(), cell.recurrent_kernel.numpy(), cell.bias.numpy()
    units = cell.units
    rows = learner.mnist.test.images[:3].reshape(3, 28, 28)
    x = rows[:, 9]
    h_prev = np.random.default_rng(learner.config.seed).uniform(-1, 1, (3, units)).astype(np.float32)
    forget = slice(units, 2 * units)

    def f(x=x, plus=0.0):
        return sigmoid(x @ kernel[:, forget] + h_prev @ recurrent_kernel[:, forget] + bias[forget] + plus)

    z = x @ kernel + h_prev @ recurrent_kernel + bias
    return Case({"network": learner.network, "x": x, "h_prev": h_prev}, right={
        "the solution": f(), "float64": f().astype(np.float64), "nested lists": f().tolist(),
        "np.split": sigmoid(np.split(z, 4, axis=1)[1]),
        "tf": tf.sigmoid(tf.matmul(x, kernel[:, forget]) + tf.matmul(h_prev, recurrent_kernel[:, forget])
                         + bias[forget]),
    }, wrong={
        "TF1's forget_bias": (f(plus=1.0), "b_f already sits in `bias`"),
        "x / 255 again": (f(x=x / 255), "already in [0, 1]"),
        "row 11": (f(x=rows[:, 10]), None), "row 9": (f(x=rows[:, 8]), None),
        "random numbers": (np.full((3, units), 0.5), None),
    }, malformed={
        "one image": (f()[0], f"expected one gate value per image and unit, shape (3, {units}), got an array of "
                              f"shape ({units},)."),
    })


def case_01_6(learner):
    from rnnlesson import train

    # trained on images it gets right (its own predictions), tested on the real digits: a gap well above 0
    mnist = SimpleNamespace(train=learner.relabelled.test, test=learner.mnist.test)
    network = learner.network
    train_accuracy, test_accuracy = train.evaluate(network, mnist.train), train.evaluate(network, mnist.test)
    gap = train_accuracy - test_accuracy
    history = SimpleNamespace(accuracy=np.array([0.5]))
    return Case({"network": network, "mnist": mnist, "history": history}, exact=gap, right={
        "the solution": gap, "as printed": float(f"{gap:+.4f}"), "np.float32": np.float32(gap),
        "size-1 array": np.array([gap]), "tf.constant": tf.constant(gap),
    }, wrong={
        "the other way round": (-gap, "subtract the other way round"),
        "the last batch": (0.5 - test_accuracy, "too noisy"),
    }, malformed={
        "both accuracies": ([train_accuracy, test_accuracy], "expected a number, got a list of shape (2,)."),
    })


def case_01_7(learner):
    n = learner.config.num_hidden
    count = (28 + n + 1) * n + (n + n + 1) * n + n * 10 + 10  # two tanh layers, then W and b
    return Case({"config": learner.config}, right={
        "int": count, "np.int64": np.int64(count), "float": float(count), "size-1 array": np.array([count]),
        "tf.constant": tf.constant(count),
    }, wrong={
        "the LSTM's count": (4 * (28 + n + 1) * n + 4 * (n + n + 1) * n + n * 10 + 10, "a plain RNN has one tanh"),
        "no readout": (count - n * 10 - 10, "add the classifier"),
        "no U": (count - 2 * n * n, "you left out U"),
    }, malformed={
        "not whole": (count + 0.5, f"expected a whole number of parameters, like 12345, got {count + 0.5:g}."),
        "a string": ("many", "expected a whole number of parameters"),
    })


def case_02_1(learner):
    traced = learner.traced
    right_shape = f"(5, 28, {learner.config.num_hidden})"
    return Case({"network": learner.network, "images": learner.images}, right={
        "np.transpose": np.transpose(traced.outputs, (1, 0, 2)), "np.swapaxes": np.swapaxes(traced.outputs, 0, 1),
        "tf.transpose": tf.transpose(traced.outputs, [1, 0, 2]), "one array per image": [
            traced.outputs[:, image] for image in range(5)], "einsum": np.einsum("sbu->bsu", traced.outputs),
    }, wrong={
        "the bottom layer's h": (np.transpose(traced.h[:, 0], (1, 0, 2)), "the bottom layer's h"),
        "rows reversed": (np.transpose(traced.outputs[::-1], (1, 0, 2)), "the steps are reversed"),
        "c instead of h": (np.transpose(traced.c[:, -1], (1, 0, 2)), "that is c, the memory"),
        "reshape": (traced.outputs.reshape(5, 28, -1), "reshape keeps"),
        ".T": (traced.outputs.T, "reverses all three axes"), "as it is": (traced.outputs, "still (steps"),
        "zeros": (np.zeros((5, 28, learner.config.num_hidden)), "right shape, other values"),
    }, malformed={
        "the trace": (traced, f"expected an array (images, steps, units) of shape {right_shape}, got a Trace."),
        "one step": (traced.outputs[-1], f"expected an array (images, steps, units) of shape {right_shape}, got "
                                         f"an array of shape (5, {learner.config.num_hidden})."),
    })


def case_02_2(learner):
    traced = learner.traced
    layers = range(learner.config.lstm_num)
    tf1_state = tuple((traced.c[-1, layer], traced.h[-1, layer]) for layer in layers)
    return Case({"network": learner.network, "images": learner.images}, right={
        "the solution": [[h, c] for c, h in tf1_state], "tuples": tuple((h, c) for c, h in tf1_state),
        "reversed pairs": [list(reversed(pair)) for pair in tf1_state],
        "np.array": np.array([[h, c] for c, h in tf1_state]),
        "tensors": [[tf.constant(h), tf.constant(c)] for c, h in tf1_state],
    }, wrong={
        "after row 27": ([[traced.h[-2, layer], traced.c[-2, layer]] for layer in layers], "after row 27"),
        "the zero state": ([[np.zeros_like(h), np.zeros_like(c)] for c, h in tf1_state], "those are zeros"),
        "[h, h]": ([[h, h] for c, h in tf1_state], "holds h twice"),
        "still (c, h)": ([[c, h] for c, h in tf1_state], "still TF1's (c, h)"),
        "layers reversed": ([[h, c] for c, h in tf1_state][::-1], "the layers are reversed"),
        "only the top layer": ([tf1_state[-1][1], tf1_state[-1][0]], "only the top layer"),
    }, malformed={
        "a string": ("state", "expected 2 pairs [h, c], each array (5, 16), got the string 'state'."),
        "three arrays a pair": ([[h, c, h] for c, h in tf1_state], "expected 2 pairs [h, c], each array (5, 16), "
                                                                   "got a list of shape (2, 3, 5, 16)."),
    })


def case_02_3(learner):
    top_c = learner.traced.c[:, -1, 0]
    row_index, unit = np.unravel_index(np.argmax(np.abs(top_c)), top_c.shape)
    answer = (int(unit), int(row_index) + 1)
    return Case({"network": learner.network, "images": learner.images}, right={
        "the solution": answer, "list": list(answer), "np.array": np.array(answer),
        "NumPy integers": (unit, row_index + 1), "floats": (float(unit), float(row_index + 1)),
    }, wrong={"row index": ((int(unit), int(row_index)), "rows count from 1")}, malformed={
        "a string": ("unit 7", "expected two whole numbers, (unit, row), got the string 'unit 7'."),
        "three numbers": ((1, 2, 3), "expected two whole numbers, (unit, row), got a tuple of shape (3,)."),
        "one number": (7, "expected two whole numbers, (unit, row), got 7."),
    })


def case_02_4(learner):
    units = learner.config.num_hidden
    solution = forget_gates(learner)
    return Case({"network": learner.network, "images": learner.images}, right={
        "the solution": solution, "float64": solution.astype(np.float64), "tf": tf.constant(solution),
        "one row at a time": [forget_gates(learner)[row] for row in range(28)],
    }, wrong={
        "h_prev shifted the wrong way": (forget_gates(learner, shift="up"), "shifts h the wrong way"),
        "its own h": (forget_gates(learner, shift="none"), "not the h they help to make"),
        "another image's gates": (forget_gates(learner, image=1), "image 1's forget gates"),
        "no recurrent term": (forget_gates(learner, recurrent=False), "through the recurrent kernel"),
        "TF1's forget_bias": (forget_gates(learner, plus=1.0), "b_f already sits in `bias`"),
        "random numbers": (np.full((28, units), 0.5), "right shape, other values"),
        "units first": (solution.T, "rows first please"),
    }, malformed={
        "one row": (solution[0], f"expected an array (rows, units) of shape (28, {units}), got an array of shape "
                                 f"({units},)."),
    })


def case_02_5(learner, unit=0):
    f = forget_gates(learner)[:, unit]
    kept = np.prod(f[14:28])
    return Case({"network": learner.network, "images": learner.images, "unit": unit}, exact=kept, right={
        "the solution": kept, "as the check prints it": float(f"{kept:.3g}"), "four figures": float(f"{kept:.4g}"),
        "size-1 array": np.array([kept]), "tf.constant": tf.constant(kept), "np.float32": np.float32(kept),
        "float": float(kept),
    }, wrong={
        "from row 14": (np.prod(f[13:28]), "row 14's forget gate helped to make"),
        "a mean": (np.mean(f[14:28]), "a product, not a mean"),
    }, malformed={"all fourteen": (f[14:28], "expected a number, got an array of shape (14,).")})


def case_02_6(learner, blank_rows=80):
    bias = -np.log(2 ** (1 / blank_rows) - 1)  # sigmoid(bias) ** K = 1/2, solved the other way round
    return Case({"blank_rows": blank_rows}, exact=bias, right={
        "the solution": bias, "as the check prints it": float(f"{bias:.3g}"), "size-1 array": np.array([bias]),
        "tf.constant": tf.constant(bias), "np.float32": np.float32(bias),
    }, wrong={
        "the gate, not its bias": (0.5 ** (1 / blank_rows), "that is the forget gate's value f"),
        "the wrong sign": (-bias, "mind the sign"),
    }, malformed={
        "one per row": (np.full(blank_rows, bias), f"expected a number, got an array of shape ({blank_rows},)."),
    })


def case_03_1(learner):
    from rnnlesson import probe

    accuracy_after = probe.accuracy_by_step(learner.test_probabilities, learner.relabelled.test.digits)
    rows = int(np.argmax(accuracy_after >= 0.5)) + 1
    wrong = {"one row late": (rows + 1, "one row too late")}
    if rows > 1:
        wrong["row index"] = (rows - 1, "rows count from 1")
    return Case({"network": learner.network, "mnist": learner.relabelled}, right={
        "the solution": rows, "np.int64": np.int64(rows), "float": float(rows), "size-1 array": np.array([rows]),
        "tf.constant": tf.constant(rows),
    }, wrong=wrong, malformed={
        "the accuracy": (float(accuracy_after[rows - 1]) if accuracy_after[rows - 1] < 1 else 0.5,
                         "expected a whole number of rows read, from 1 to 28, not an accuracy."),
        "a string": (str(rows), "expected a whole number of rows read, from 1 to 28, got the string"),
        "two numbers": ([rows, rows], "expected a whole number of rows read, from 1 to 28, got a list of shape"),
    })


def case_03_2(learner, digit=None):
    digits, probabilities = learner.relabelled.test.digits, learner.test_probabilities

    def share(digit, rows=21):
        return np.mean(probabilities[digits == digit, rows - 1].argmax(axis=-1) == digit)

    if digit is None:  # the digit whose share has the most figures to round: the farthest from 0 and 1
        digit = max(np.flatnonzero(np.bincount(digits) >= 20), key=lambda d: (min(share(d), 1 - share(d)), share(d)))
    exact, later = share(digit), share(digit, rows=22)
    return Case({"network": learner.network, "mnist": learner.relabelled, "digit": int(digit)}, exact=exact, right={
        "the solution": exact, "as printed, a percentage / 100": float(f"{100 * exact:.1f}") / 100
        if exact >= 0.1 else float(f"{exact:.3g}"), "size-1 array": np.array([exact]),
        "tf.constant": tf.constant(exact),
    }, wrong={"after 22 rows": (later, "after 22 rows")} if abs(later - exact) > 1e-3 else {}, malformed={
        "one per image": (np.zeros((digits == digit).sum()), "expected a number, got an array of shape"),
    })


def case_03_3(learner):
    pixels = learner.mnist.test.pixels
    count = np.sum(pixels[:, :4].max(axis=(1, 2)) == 0)
    return Case({"mnist": learner.mnist}, right={
        "np.sum": count, "int": int(count), "float": float(count), "size-1 array": np.array([count]),
        "tf.constant": tf.constant(count),
    }, wrong={
        "with ink": (int(np.sum(pixels[:, :4].max(axis=(1, 2)) > 0)), "counts the images with ink"),
        "after 3 rows": (int(np.sum(pixels[:, :3].max(axis=(1, 2)) == 0)), "that is after 3 rows"),
    }, malformed={
        "a share": (float(np.mean(pixels[:, :4].max(axis=(1, 2)) == 0)),
                    "expected a whole number of test images, not a share."),
        "a string": (str(count), "expected a whole number of test images, got the string"),
    })


def case_03_4(learner):
    from rnnlesson import probe

    probabilities, digits = learner.test_probabilities, learner.mnist.test.digits
    decisions = probe.decision_steps(probabilities)
    right = probabilities[:, -1].argmax(axis=-1) == digits
    positions = np.flatnonzero(right)
    index = int(positions[np.argmax(decisions[right])])
    ties = np.flatnonzero(right & (decisions == decisions[index]))
    # an image it gets wrong, and not by chance also the position of a latest one among the right ones
    wrong_image = next(int(each) for each in np.flatnonzero(~right)
                       if not (each < len(positions) and decisions[positions[each]] == decisions[index]))
    return Case({"network": learner.network, "mnist": learner.mnist}, right={
        "the solution": index, "np.int64": np.int64(index), "the last of the ties": int(ties[-1]),
        "size-1 array": np.array([index]), "tf.constant": tf.constant(index),
    }, wrong={"an image it gets wrong": (wrong_image, f"gets image {wrong_image} wrong")}, malformed={
        "-1": (-1, "expected the index of one test image, from 0 to 1999, got -1."),
        "2000": (2000, "expected the index of one test image, from 0 to 1999, got 2000."),
        "all the ties": (ties if len(ties) > 1 else [index, index], "expected the index of one test image"),
    })


def case_03_5(learner):
    from rnnlesson import probe

    mnist = learner.relabelled
    pictures = mnist.test.pixels / np.float32(255)
    flat = pictures[:, ::-1].reshape(len(pictures), -1)
    accuracy = float(np.mean(probe.probabilities_by_step(learner.network, flat)[:, -1].argmax(axis=-1)
                             == mnist.test.digits))
    top_down = float(np.mean(learner.test_probabilities[:, -1].argmax(axis=-1) == mnist.test.digits))
    return Case({"network": learner.network, "mnist": mnist}, exact=accuracy, right={
        "the solution": accuracy, "as printed": float(f"{100 * accuracy:.1f}") / 100 if accuracy >= 0.1 else
        float(f"{accuracy:.3g}"), "size-1 array": np.array([accuracy]), "tf.constant": tf.constant(accuracy),
    }, wrong={"top-down": (top_down, "the accuracy read top-down")}, malformed={
        "two accuracies": ((accuracy, top_down), "expected a number, got a tuple of shape (2,)."),
    })


CASES = {name: globals()[f"case_{name.replace('.', '_')}"] for name in sorted(exercises.CHECKERS)}


def verdict(name, answer, case):
    return exercises.judge(name, answer, **case.context)


# ---------------------------------------------------------------- the tests

def test_every_exercise_has_its_variants():
    assert set(CASES) == set(exercises.CHECKERS) and len(CASES) == 18


@pytest.mark.parametrize("name", sorted(CASES))
def test_correct_variants_are_judged_correct(name, learner):
    case = CASES[name](learner)
    verdicts = {label: verdict(name, answer, case) for label, answer in case.right.items()}
    assert not {label: str(result) for label, result in verdicts.items() if result.status != "correct"}


def untrue(name, case, answer, result, phrase):
    """What is wrong with the hint a right-formed wrong answer got ("" if nothing)."""
    if result.status != "not yet" or result.message.startswith("expected"):
        return str(result)
    if result.message.startswith("close") and not (case.exact is not None and is_close(answer, case.exact)):
        return f"'close' for an answer that is not: {result.message!r}"
    if phrase is not None and phrase not in result.message:
        return f"{phrase!r} missing from {result.message!r}"
    if name == "01.5" and ("units:" in result.message or "2 * units" in result.message):
        return f"hands out the forget gate's columns: {result.message!r}"
    return ""


def is_close(answer, exact):
    """True if answer is exact with fewer figures: less than one unit of its own last figure away (0.27 or 0.3
    for 0.27265, not 0.26)."""
    answer = float(np.asarray(answer))
    figures = next(figures for figures in range(1, 18) if float(f"{answer:.{figures}g}") == answer)
    return abs(answer - exact) < 10.0 ** (np.floor(np.log10(abs(exact))) - figures + 1)


@pytest.mark.parametrize("name", sorted(CASES))
def test_wrong_variants_get_a_hint_true_of_them(name, learner):
    """A right-formed wrong answer never gets a form or shape message ("expected ..."), nor a "close" unless it
    is the right value with too few figures; 01.5's hints never hand out the forget gate's columns."""
    case = CASES[name](learner)
    problems = {label: untrue(name, case, answer, verdict(name, answer, case), phrase)
                for label, (answer, phrase) in case.wrong.items()}
    assert not {label: problem for label, problem in problems.items() if problem}


@pytest.mark.parametrize("name", sorted(CASES))
def test_answers_of_another_form_get_the_one_form_message(name, learner):
    case = CASES[name](learner)
    verdicts = {label: (verdict(name, answer, case), message) for label, (answer, message) in case.malformed.items()}
    assert not {label: (str(result), message) for label, (result, message) in verdicts.items()
                if result.status != "not yet" or not result.message.startswith(message)}


def rounded(value, figures):
    return float(f"{value:.{figures}g}")


def cut(value, figures):
    """value with its figures after the `figures`-th dropped: 0.2729 for 0.27295 and 4."""
    scale = 10.0 ** (figures - 1 - np.floor(np.log10(abs(value))))
    return float(np.trunc(value * scale) / scale)


@pytest.mark.parametrize("name", sorted(exercises.FIGURES))
def test_the_rounding_asked_for_passes_and_a_coarser_one_is_close(name, learner):
    """Any answer within half a unit of the last asked figure is right; fewer figures are "close: give N
    significant figures", and a percentage is named, never a hint about the method."""
    figures = exercises.FIGURES[name]
    case = CASES[name](learner)
    exact = float(case.exact)
    assert exact != 0, "these cases are built to have a value with significant figures"
    half_unit = 0.5 * 10.0 ** (np.floor(np.log10(abs(exact))) - figures + 1) * (1 + 1e-9)  # both ends included
    problems = [(more, str(verdict(name, rounded(exact, more), case))) for more in range(figures, figures + 4)
                if verdict(name, rounded(exact, more), case).status != "correct"]
    for fewer in range(1, figures + 1):
        for answer in (rounded(exact, fewer), cut(exact, fewer)):
            result = verdict(name, answer, case)
            if abs(answer - exact) <= half_unit:
                problems += [(answer, str(result))] if result.status != "correct" else []
            elif not result.message.startswith(f"close: give {FIGURE_WORDS[figures]} significant figures"):
                problems.append((answer, str(result)))
    if name in FRACTIONS and "not a percentage" not in verdict(name, 100 * rounded(exact, figures), case).message:
        problems.append(("a percentage", str(verdict(name, 100 * rounded(exact, figures), case))))
    assert not problems, exact


PRINTED = {"01.2": r": (\S+)\.$", "01.6": r"a gap of (\S+)\.$", "02.5": r"^(\S+):", "03.2": r"^(\S+) of",
           "03.5": r"^(\S+) read", "02.6": r"log\(f / \(1 - f\)\) = (\S+),"}  # where each Correct message prints it


@pytest.mark.parametrize("name", sorted(exercises.FIGURES))
def test_the_value_a_correct_message_prints_passes(name, learner):
    case = CASES[name](learner)
    message = verdict(name, case.exact, case).message
    printed = re.search(PRINTED[name], message).group(1)
    assert verdict(name, float(printed), case).status == "correct", (printed, message)


def test_memory_kept_passes_the_printed_rounding_for_every_unit(learner):
    """02.5 with any unit: the three figures its Correct message prints pass, whatever the value."""
    problems = []
    for unit in range(learner.config.num_hidden):
        case = case_02_5(learner, unit)
        message = verdict("02.5", case.exact, case).message
        for printed in (re.search(PRINTED["02.5"], message).group(1), f"{case.exact:.3g}"):
            result = verdict("02.5", float(printed), case)
            problems += [(unit, case.exact, printed, str(result))] if result.status != "correct" else []
    assert not problems


def test_class_accuracy_asks_three_figures_for_every_digit(learner):
    """03.2 with any digit: two figures are "close", not correct, unless they are within half a unit of the third."""
    problems = []
    for digit in np.flatnonzero(np.bincount(learner.relabelled.test.digits) >= 20):
        case = case_03_2(learner, int(digit))
        two = rounded(case.exact, 2)
        result = verdict("03.2", two, case)
        half_unit = 0.5 * 10.0 ** (np.floor(np.log10(abs(case.exact))) - 2) * (1 + 1e-9) if case.exact else 0
        if abs(two - case.exact) <= half_unit:
            problems += [(digit, case.exact, str(result))] if result.status != "correct" else []
        elif result.message != "close: give three significant figures.":
            problems.append((digit, case.exact, two, str(result)))
    assert not problems


@pytest.mark.parametrize("name", sorted(exercises.CHECKERS))
def test_none_is_reported_as_none_and_the_placeholder_as_not_answered(name):
    import inspect

    needed = {parameter.name: None for parameter in inspect.signature(exercises.CHECKERS[name]).parameters.values()
              if parameter.name != "answer" and parameter.default is inspect.Parameter.empty}
    none = exercises.judge(name, None, **needed)
    assert (none.status, none.message) == ("not yet", "got None: did your function forget to return?")
    assert exercises.judge(name, ..., **needed).status == "not answered yet"


def question(name):
    """The markdown text of exercise `name`, its cell headed "### Exercise <name>"."""
    cells = notebook_cells.cells(NOTEBOOKS[name[:2]])
    found = [cell["source"] for cell in cells if cell["cell_type"] == "markdown"
             and cell["id"].startswith(f"exercises-{name[:2]}-") and cell["source"].startswith(f"### Exercise {name}")]
    assert len(found) == 1, name
    return " ".join(found[0].split())


@pytest.mark.parametrize("name", sorted(exercises.FIGURES))
def test_each_question_states_the_precision_its_checker_asks_for(name):
    figures = exercises.FIGURES[name]
    assert f"to {FIGURE_WORDS[figures]} significant figures" in question(name)
    assert (name in FRACTIONS) == ("as a fraction, not a percentage" in question(name))
