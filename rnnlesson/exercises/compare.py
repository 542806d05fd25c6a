"""Comparing a learner's answer with the expected value (forms, shapes, significant figures, typical wrong
answers), and expected values that take seconds to compute, computed once.

The one tolerance rule: an exercise asks for a number to N significant figures, and any answer within half a
unit of the exact value's Nth figure is right (more figures are fine); an answer that has fewer figures, or is
cut instead of rounded, is "close". Whole numbers, indices and shapes are exact; arrays are the code's own
output, compared to float32 rounding.
"""

import reprlib

import numpy as np

from rnnlesson.i18n import text

FIGURE_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}
PERCENT_HINT = "as a fraction please, not a percentage: 0.25 for 25%."  # an English template: text(PERCENT_HINT)


# ---------------------------------------------------------------- forms

def as_numbers(answer):
    """answer as a float array, or None if it is not numbers (a list of tensors is fine, a string is not)."""
    if isinstance(answer, (str, bytes)):
        return None
    try:
        array = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a whole number too large for a float
        return None
    return array if np.all(np.isfinite(array)) else None


def as_number(answer):
    """answer as a float if it is one number: a Python or NumPy scalar, a size-1 array, list or tensor; else None."""
    array = as_numbers(answer)
    return float(array.reshape(())) if array is not None and array.size == 1 else None


def whole_number(answer):
    """answer as an int if it is one whole number (1, 1.0, np.int64(1), np.array([1]), a tensor), else None."""
    if isinstance(answer, int) and not isinstance(answer, bool):
        return answer  # exact, however large
    number = as_number(answer)
    return int(number) if number is not None and number == round(number) else None


def whole_numbers(answer):
    """answer as a tuple of ints if it is a sequence of whole numbers ((14, 7, 256), [3, 5], a TensorShape)."""
    if isinstance(answer, (str, bytes, dict)):
        return None
    try:
        numbers = tuple(whole_number(each) for each in answer)
    except TypeError:  # not a sequence
        return None
    return None if None in numbers else numbers


def as_indices(answer, size):
    """The indices answer names, sorted: a range, slice, set, list, array or tensor of them, or a boolean mask."""
    if isinstance(answer, slice):
        answer = range(*answer.indices(size))
    if isinstance(answer, (set, frozenset)):
        answer = sorted(answer)
    array = as_numbers(answer)
    if array is None or array.ndim != 1:
        return None
    if np.asarray(answer).dtype == bool and len(array) == size:
        return np.flatnonzero(array)
    return np.sort(array) if np.all(array == np.round(array)) else None


def described(answer):
    """What a form message says it got: "None", "0.5", "a list of shape (3,)", "an array of shape (3, 28)", ..."""
    if answer is None:
        return "None"
    if isinstance(answer, (str, bytes)):
        return text("the string {string}", string=reprlib.repr(answer))
    try:
        array = np.asarray(answer, dtype=np.float64)
    except OverflowError:
        return text("a number too large for a float")
    except (TypeError, ValueError):
        if isinstance(answer, (list, tuple)):
            return text("a {kind} whose items do not make one array of numbers", kind=type(answer).__name__)
        name = type(answer).__name__
        return text("an {name}", name=name) if name[0] in "aeiou" else text("a {name}", name=name)
    if not np.all(np.isfinite(array)):
        return text("nan or inf")
    if array.shape == ():
        return f"{float(array):g}"
    if isinstance(answer, list):
        return text("a list of shape {shape}", shape=array.shape)
    if isinstance(answer, tuple):
        return text("a tuple of shape {shape}", shape=array.shape)
    if isinstance(answer, range):
        return text("a range of shape {shape}", shape=array.shape)
    return text("an array of shape {shape}", shape=array.shape)


def form_message(expected, answer):
    """The one wording for an answer of the wrong form: "expected a number, got an array of shape (3,)."."""
    return text("expected {expected}, got {got}.", expected=expected, got=described(answer))


def as_whole_number(answer, expected, share=None):
    """(answer as an int, None), or (None, the form message) if it is not a whole number; `share` names the
    fraction a learner may give instead ("an accuracy"), for an answer between 0 and 1."""
    number = whole_number(answer)
    if number is not None:
        return number, None
    value = as_number(answer)
    if share and value is not None and 0 < value < 1:
        return None, text("expected {expected}, not {share}.", expected=expected, share=share)
    return None, form_message(expected, answer)


# ---------------------------------------------------------------- numbers to N significant figures

def significant(figures):
    return {1: text("one significant figure"), 2: text("two significant figures"),
            3: text("three significant figures"), 4: text("four significant figures")}[figures]


def unit_of(value, figures):
    """One unit of value's `figures`-th significant figure: 0.001 for 0.27265 and 3 (0 for 0)."""
    return 0.0 if value == 0 else 10.0 ** (np.floor(np.log10(abs(value))) - figures + 1)


def figures_in(number):
    """How many significant figures number is written with: 2 for 0.27, 3 for 0.273."""
    return next(figures for figures in range(1, 18) if rounded(number, figures) == number)


def shown(value, figures, sign=False):
    """value written with `figures` significant figures, trailing zeros kept: 0.030, +0.022, 0.273."""
    value = rounded(value, figures)
    decimals = figures - 1 - (int(np.floor(np.log10(abs(value)))) if value else 0)
    return f"{value:{'+' if sign else ''}.{max(decimals, 0)}f}"


def rounded(value, figures):
    """value rounded to `figures` significant figures: 0.273 for 0.27265 and 3."""
    return float(f"{value:.{figures}g}")


def within(number, value, figures, slack=0.0):
    """True if number is within half a unit of value's `figures`-th significant figure (plus `slack`), both ends
    included: 0.407 and 0.408 for 0.4075."""
    return abs(number - value) <= (unit_of(value, figures) / 2 + slack) * (1 + 1e-9)


def coarse(number, value, figures, slack=0.0):
    """True if number is value written with too few figures, or cut instead of rounded: fewer than one unit of
    its own last figure away."""
    written = figures_in(number)
    return written <= figures and abs(number - value) < unit_of(value, written) + slack


def judge_number(answer, exact, figures, wrong_answers=(), slack=0.0):
    """(True, None) if answer is one number within half a unit of exact's `figures`-th significant figure, plus
    `slack` (how much two computations of it may differ); else (False, hint): the form message; "close: ..." if
    it is exact with too few figures; the hint of a typical wrong answer (value, hint) given as computed or
    rounded as asked (both, if it is either: 0.510 and 0.51 are one float), or that it is near; or None."""
    number = as_number(answer)
    if number is None:
        return False, form_message(text("a number"), answer)
    if within(number, exact, figures, slack):
        return True, None
    wrong = sorted((abs(number - value), value, hint) for value, hint in wrong_answers if value is not None)
    typed = [hint for _, value, hint in wrong
             if np.isclose(number, [value, rounded(value, figures)], rtol=1e-9, atol=0).any()]
    if coarse(number, exact, figures, slack):
        message = text("close: give {figures}", figures=significant(figures))
        if figures_in(number) == figures:
            message += text(", rounded (2.346 is 2.35, not 2.34)")
        if typed:  # it may also be that wrong value rounded as asked: 0.510 and 0.51 are one float
            message += text("; or, if yours has them ({shown} is {number!r} to Python), {hint}",
                            shown=shown(number, figures), number=number, hint=typed[0])
        return False, message if message.endswith((".", "。")) else message + text(".")
    near = [hint for _, value, hint in wrong
            if within(number, value, figures, slack) or coarse(number, value, figures, slack)]
    return False, (typed or near or [None])[0]


# ---------------------------------------------------------------- arrays

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


def judge_array(answer, expected, wrong_answers, atol, expected_form=None):
    """(True, None) if answer is the expected array; else (False, hint): the nearest typical wrong answer's hint,
    the form message if its shape is not expected's, or None (right shape, other values)."""
    if same(answer, expected, atol):
        return True, None
    hint = first_hint(answer, wrong_answers, atol=atol)
    array = as_numbers(answer)
    if hint is None and (array is None or array.shape != np.shape(expected)):
        hint = form_message(expected_form or text("an array of shape {shape}", shape=np.shape(expected)), answer)
    return False, hint


def tolerance_for(network, atol):
    """atol for float32 products; bfloat16 products (Config.precision) round to about 3 digits."""
    return atol if network.config.precision == "float32" else max(atol, 0.02)


# ---------------------------------------------------------------- expected values computed once

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
