"""Comparing a learner's answer with the expected value (numbers, shapes, tolerances, typical wrong answers),
and expected values that take seconds to compute, computed once."""

import numpy as np


def as_numbers(answer):
    """answer as a float array, or None if it is not numbers (a list of tensors is fine, a string is not)."""
    if isinstance(answer, (str, bytes)):
        return None
    try:
        array = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):  # OverflowError: a whole number too large for a float
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
