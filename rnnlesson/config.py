"""The lesson's hyperparameters, under the names the original TF1 tutorial used."""

import dataclasses
import difflib
import math
import numbers
from dataclasses import dataclass

PRECISIONS = ("float32", "mixed_bfloat16")
MNIST_PIXELS = 28 * 28
LARGEST_SEED = 2**32 - 1  # NumPy's seeds, which keras.utils.set_random_seed passes on, are 32-bit
# Fields that do not change what the trained weights mean, so a checkpoint loads with any value of them:
# log_every only prints, and mixed_bfloat16 computes with the same float32 weights.
NOT_IN_WEIGHTS = ("log_every", "precision")


@dataclass(frozen=True)
class Config:
    lr: float = 1e-3  # Adam learning rate
    input_num: int = 28  # pixels in one image row = features per timestep
    timestamp_size: int = 28  # image rows = timesteps (the tutorial's spelling)
    lstm_num: int = 2  # stacked LSTM layers
    num_hidden: int = 256  # units in each LSTM layer
    num_classes: int = 10  # digits 0-9
    batch_size: int = 64  # images per training iteration
    iterations: int = 2000  # training iterations (batches), not epochs
    keep_prob: float = 0.5  # share of each cell's output kept by dropout in training
    log_every: int = 200  # print training-batch accuracy every this many iterations
    seed: int = 0  # for weights, dropout masks and batch order
    precision: str = "float32"  # or "mixed_bfloat16": the LSTM's matrix products in bfloat16 (opt-in)

    def __post_init__(self):
        for name in ("input_num", "timestamp_size", "lstm_num", "num_hidden",
                     "num_classes", "batch_size", "iterations", "log_every", "seed"):
            smallest, largest = (0, LARGEST_SEED) if name == "seed" else (1, None)
            value = whole_number(getattr(self, name), f"Config.{name}", smallest, largest)
            object.__setattr__(self, name, value)  # a NumPy integer becomes a plain int
        for name in ("lr", "keep_prob"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(f"Config.{name} must be a finite number, got {_shown(value)}.")
            object.__setattr__(self, name, float(value))
        if not 0.0 < self.keep_prob <= 1.0:
            raise ValueError(
                f"Config.keep_prob is the share of outputs kept, so it must be in (0, 1]; "
                f"got {self.keep_prob!r}. Use 1.0 for no dropout."
            )
        if not self.lr > 0.0:
            raise ValueError(f"Config.lr must be a positive learning rate, got {self.lr!r}.")
        if self.timestamp_size * self.input_num != MNIST_PIXELS:
            raise ValueError(
                f"Config.timestamp_size x Config.input_num must be 784 (28 x 28), the pixels of one MNIST image: "
                f"got {self.timestamp_size} x {self.input_num} = {self.timestamp_size * self.input_num}. "
                "The network reads an image as timestamp_size rows of input_num pixels; keep both at 28."
            )
        if self.num_classes != 10:
            raise ValueError(f"Config.num_classes must be 10 for MNIST's digits 0-9, got {self.num_classes}.")
        if self.precision not in PRECISIONS:
            raise ValueError(f"Config.precision must be one of {PRECISIONS}, got {_shown(self.precision)}.")

    def replace(self, **changes):
        """A copy with some fields changed (the original is frozen)."""
        _check_names(changes)
        return dataclasses.replace(self, **changes)

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values):
        _check_names(values)
        return cls(**values)

    def differences(self, other):
        """Fields whose values differ, as {name: (self's, other's)}."""
        mine, theirs = self.to_dict(), other.to_dict()
        return {name: (mine[name], theirs[name]) for name in mine if mine[name] != theirs[name]}

    def weight_differences(self, other):
        """differences(other) without NOT_IN_WEIGHTS: empty when a network trained with one fits the other."""
        return {name: pair for name, pair in self.differences(other).items() if name not in NOT_IN_WEIGHTS}


def whole_number(value, name, smallest=0, largest=None, note="", hint=""):
    """value as a plain int if it is a whole number (not a bool) from smallest to largest, else ValueError.

    The message says what was expected and what was given: "seed must be a whole number >= 0, got -1.";
    note follows the expected range (" (it fixes the batch order)"), hint follows the message.
    """
    if (isinstance(value, numbers.Integral) and not isinstance(value, bool)
            and smallest <= value and (largest is None or value <= largest)):
        return int(value)
    expected = f">= {smallest}" if largest is None else f"between {smallest:,} and {largest:,}"
    raise ValueError(f"{name} must be a whole number {expected}{note}, got {_shown(value)}.{hint}")


def _check_names(names):
    """Refuse field names Config does not have, suggesting the closest one (num_hiden -> num_hidden)."""
    fields = [field.name for field in dataclasses.fields(Config)]
    unknown = sorted(set(names) - set(fields))
    if unknown:
        hints = "".join(f" (did you mean {close[0]!r} for {name!r}?)"
                        for name in unknown if (close := difflib.get_close_matches(name, fields, n=1)))
        raise ValueError(f"Unknown Config fields {unknown}{hints}; the fields are {fields}.")


def _shown(value):
    """A value as the learner typed it, with its type when that is the problem ("0.5" is a str)."""
    if isinstance(value, (bool, str)) or value is None:
        return f"{value!r} ({type(value).__name__})"
    return repr(value)
