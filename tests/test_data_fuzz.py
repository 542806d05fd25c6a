"""The MNIST file readers fed damaged files: every one must load cleanly or raise MnistFileError, quickly.

The suite replays the same 300 examples per test every run; RNNLESSON_FUZZ_EXAMPLES=5000 makes a longer, random run.
"""

import contextlib
import gzip
import io
import os
import re
import signal
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.extra import numpy as npst

from rnnlesson import data

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "rnnlesson-hypothesis")  # its caches stay out of the checkout
SECONDS_PER_EXAMPLE = 10
HEADER_VALUES = st.one_of(st.sampled_from([0, 1, 2, 27, 28, 29, data.LABEL_MAGIC, data.IMAGE_MAGIC, 2**31, 2**32 - 1]),
                          st.integers(0, 2**32 - 1))


def small_mnist():
    rng = np.random.default_rng(5)
    return {"x_train": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8), "y_train": np.array([0, 9, 4], np.uint8),
            "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), "y_test": np.array([7, 1], np.uint8)}


def idx_bytes(array):
    magic = data.IMAGE_MAGIC if array.ndim == 3 else data.LABEL_MAGIC
    return magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape) + array.tobytes()


def npz_bytes(arrays, compressed):
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


@st.composite
def damage(draw, content):
    """content after 1-3 of: a cut, a flipped byte, a 4-byte header field set to another value."""
    content = bytearray(content)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cut", "flip", "header"]))
        event(kind)
        if kind == "cut":
            content = content[:draw(st.integers(0, max(len(content) - 1, 0)))]
        elif kind == "flip" and content:
            content[draw(st.integers(0, len(content) - 1))] ^= draw(st.integers(1, 255))
        elif kind == "header":
            start = 4 * draw(st.integers(0, 3))
            content[start:start + 4] = draw(HEADER_VALUES).to_bytes(4, "big")
    return bytes(content)


@contextlib.contextmanager
def time_limit(seconds):
    def give_up(signum, frame):
        raise TimeoutError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def load_or_refuse(source):
    """load_mnist(source): a clean load (checked) or MnistFileError; anything else fails the test."""
    try:
        with time_limit(SECONDS_PER_EXAMPLE):
            mnist = data.load_mnist(source)
    except data.MnistFileError as error:
        event("refused: " + re.sub(r"/\S*/", "", str(error))[:60])  # without the temporary folder
        assert str(source) in str(error) or "train" in str(error) or "test" in str(error)
        return None
    event("loaded")
    for split in (mnist.train, mnist.test):
        assert split.num_examples > 0 and split.pixels.shape == (split.num_examples, 28, 28)
        assert split.pixels.dtype == np.uint8 and split.digits.dtype == np.uint8 and split.digits.max() < 10
        split.next_batch(1)
    return mnist


FUZZ = settings(max_examples=int(os.environ.get("RNNLESSON_FUZZ_EXAMPLES", 300)),
                derandomize="RNNLESSON_FUZZ_EXAMPLES" not in os.environ, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.data(), st.sampled_from(sorted(data.IDX_FILES)), st.sampled_from(["plain", "gzip then damage",
                                                                         "damage then gzip"]))
def test_damaged_idx_files(draws, name, packing):
    arrays = small_mnist()
    with tempfile.TemporaryDirectory() as folder:
        for other, stem in data.IDX_FILES.items():
            content = idx_bytes(arrays[other])
            if other == name:
                if packing == "gzip then damage":
                    content, stem = draws.draw(damage(gzip.compress(content))), stem + ".gz"
                elif packing == "damage then gzip":
                    content, stem = gzip.compress(draws.draw(damage(content))), stem + ".gz"
                else:
                    content = draws.draw(damage(content))
            (Path(folder) / stem).write_bytes(content)
        load_or_refuse(Path(folder))


@FUZZ
@given(st.data(), st.booleans())
def test_damaged_npz_files(draws, compressed):
    original = npz_bytes(small_mnist(), compressed)
    content = bytearray(original)
    for _ in range(draws.draw(st.integers(1, 4))):
        if draws.draw(st.booleans()):
            content = content[:draws.draw(st.integers(0, len(content)))]
        elif content:
            content[draws.draw(st.integers(0, len(content) - 1))] ^= draws.draw(st.integers(1, 255))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mnist.npz"
        path.write_bytes(bytes(content))
        load_or_refuse(path)


ODD_DTYPES = st.sampled_from(
    ["uint8", "int8", "int64", "float32", "float64", "bool", "complex64", "<U2", "S1", "M8[s]"])
ODD_SHAPES = st.one_of(
    st.tuples(st.integers(0, 4), st.sampled_from([28, 27, 29, 1]), st.sampled_from([28, 0, 14])),
    st.tuples(st.integers(0, 4)),
    st.tuples(st.integers(0, 4), st.integers(0, 30)),
    npst.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
)


@FUZZ
@given(st.data(), st.sampled_from(sorted(data.IDX_FILES)), ODD_DTYPES, ODD_SHAPES)
def test_npz_with_odd_arrays(draws, name, dtype, shape):
    arrays = small_mnist()
    arrays[name] = draws.draw(npst.arrays(np.dtype(dtype), shape))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mnist.npz"
        path.write_bytes(npz_bytes(arrays, draws.draw(st.booleans())))
        mnist = load_or_refuse(path)
    if mnist is not None:  # what loads is what was saved: no label rounded, no pixel cast
        for split in ("train", "test"):
            loaded = getattr(mnist, split)
            np.testing.assert_array_equal(loaded.pixels, arrays[f"x_{split}"], strict=True)
            assert np.array_equal(loaded.digits, arrays[f"y_{split}"])
