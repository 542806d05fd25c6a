"""MNIST for the lesson: the embedded 10,000-digit subset, the full set, or your own files."""

import functools
import gzip
import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

EMBEDDED_PATH = Path(__file__).resolve().parent / "embedded" / "mnist_10k.npz"
EMBEDDED_SHA256 = "bab23ab0855b686d04d4bb2fbfac4c0cc77399a4ec723818e1ab2c6492ba0503"
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
NUM_CLASSES = 10
SOURCES_HELP = (
    'load_mnist() takes source="embedded" (the 10,000 digits shipped with rnnlesson, no network), '
    'source="keras" (the full 70,000, downloaded once), or the path of a keras-format mnist.npz '
    "or of a folder holding the four IDX files (train-images-idx3-ubyte[.gz], ...)."
)


class MnistFileError(ValueError):
    """A data file is missing a part, truncated, or holds something other than MNIST."""


class DownloadError(OSError):
    """The full MNIST could not be downloaded."""


@dataclass
class DataSet:
    """One split: images, labels and a TF1-style `next_batch` that shuffles every epoch."""

    pixels: np.ndarray  # (N, 28, 28) uint8
    digits: np.ndarray  # (N,) uint8, the class of each image
    seed: int = 0
    epochs_completed: int = 0
    _position: int = 0
    _order: np.ndarray = field(default=None, repr=False)
    _rng: np.random.Generator = field(default=None, repr=False)

    def __post_init__(self):
        self._rng = np.random.default_rng(self.seed)
        self._order = self._rng.permutation(self.num_examples)

    @property
    def num_examples(self):
        return len(self.digits)

    @functools.cached_property
    def images(self):
        """(N, 784) float32 in [0, 1], one flattened image per row, as in the tutorial (made once)."""
        return self.pixels.reshape(len(self.pixels), -1).astype(np.float32) / 255.0

    @functools.cached_property
    def labels(self):
        """(N, 10) float32 one-hot rows, as in the tutorial (made once)."""
        return np.eye(NUM_CLASSES, dtype=np.float32)[self.digits]

    def next_batch(self, batch_size):
        """The next `batch_size` (images, one-hot labels); reshuffles when an epoch ends."""
        if not 0 < batch_size <= self.num_examples:
            raise ValueError(f"batch_size must be between 1 and {self.num_examples}, got {batch_size}.")
        index = self._order[self._position:self._position + batch_size]
        self._position += batch_size
        if self._position >= self.num_examples:
            self.epochs_completed += 1
            self._order = self._rng.permutation(self.num_examples)
            self._position = batch_size - len(index)
            index = np.concatenate([index, self._order[:self._position]])
        return self.images[index], self.labels[index]

    def as_tf_dataset(self, batch_size, shuffle=True):
        """A `tf.data.Dataset` of (images (B, 28, 28) float32, digits (B,) int32)."""
        import tensorflow as tf

        dataset = tf.data.Dataset.from_tensor_slices(
            (self.pixels.astype(np.float32) / 255.0, self.digits.astype(np.int32))
        )
        if shuffle:
            dataset = dataset.shuffle(self.num_examples, seed=self.seed, reshuffle_each_iteration=True)
        return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


@dataclass
class Datasets:
    train: DataSet
    test: DataSet
    source: str


def load_mnist(source="embedded", seed=0):
    """Load MNIST as `Datasets(train, test)`; see SOURCES_HELP for the sources."""
    if source == "embedded":
        arrays = read_npz(EMBEDDED_PATH, expected_sha256=EMBEDDED_SHA256)
    elif source == "keras":
        arrays = _download_keras_mnist()
    elif isinstance(source, (str, Path)):
        path = Path(source).expanduser()
        if path.is_dir():
            arrays = read_idx_folder(path)
        elif path.is_file():
            arrays = read_npz(path)
        else:
            raise FileNotFoundError(f"No MNIST file or folder at {path}. {SOURCES_HELP}")
    else:
        raise ValueError(f"Unknown MNIST source {source!r}. {SOURCES_HELP}")
    _check_arrays(arrays, str(source))
    return Datasets(
        train=DataSet(arrays["x_train"], arrays["y_train"], seed=seed),
        test=DataSet(arrays["x_test"], arrays["y_test"], seed=seed + 1),
        source=str(source),
    )


def read_npz(path, expected_sha256=None):
    """Read a keras-format mnist.npz (x_train, y_train, x_test, y_test)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist. {SOURCES_HELP}")
    if expected_sha256 is not None:
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != expected_sha256:
            raise MnistFileError(
                f"{path} has sha256 {actual}, expected {expected_sha256}: the file is damaged or was "
                "replaced. Reinstall rnnlesson (or restore the file with git) to get the original."
            )
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = sorted(set(IDX_FILES) - set(archive.files))
            if missing:
                raise MnistFileError(
                    f"{path} lacks {missing}: a keras-format mnist.npz holds x_train, y_train, x_test, y_test."
                )
            return {name: archive[name] for name in IDX_FILES}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        if isinstance(error, MnistFileError):
            raise
        raise MnistFileError(f"{path} is not a readable .npz file ({error}); it may be truncated.") from error


def read_idx_folder(folder):
    """Read the four original IDX files (optionally .gz) from a folder."""
    arrays = {}
    for name, stem in IDX_FILES.items():
        candidates = [folder / stem, folder / f"{stem}.gz"]
        path = next((candidate for candidate in candidates if candidate.is_file()), None)
        if path is None:
            raise FileNotFoundError(
                f"{folder} has no {stem} or {stem}.gz; an MNIST folder needs all four IDX files: "
                f"{', '.join(IDX_FILES.values())}."
            )
        arrays[name] = read_idx(path)
    return arrays


def read_idx(path):
    """Read one IDX file: images (magic 2051) as (N, rows, cols) or labels (magic 2049) as (N,)."""
    path = Path(path)
    try:
        content = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError) as error:
        raise MnistFileError(f"{path} could not be decompressed ({error}); it may be truncated.") from error
    if len(content) < 8:
        raise MnistFileError(f"{path} is {len(content)} bytes long, too short for an IDX header.")
    magic, count = int.from_bytes(content[:4], "big"), int.from_bytes(content[4:8], "big")
    if magic == LABEL_MAGIC:
        shape, offset = (count,), 8
    elif magic == IMAGE_MAGIC and len(content) >= 16:
        rows, cols = int.from_bytes(content[8:12], "big"), int.from_bytes(content[12:16], "big")
        shape, offset = (count, rows, cols), 16
    else:
        raise MnistFileError(
            f"{path} starts with magic number {magic}; MNIST IDX files start with "
            f"{IMAGE_MAGIC} (images) or {LABEL_MAGIC} (labels)."
        )
    expected = offset + int(np.prod(shape))
    if len(content) != expected:
        raise MnistFileError(
            f"{path} is {len(content):,} bytes but its header promises {expected:,} "
            f"({count:,} items): the file is truncated or corrupt."
        )
    return np.frombuffer(content, dtype=np.uint8, offset=offset).reshape(shape)


def _check_arrays(arrays, where):
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.ndim != 3 or images.shape[1:] != (28, 28):
            raise MnistFileError(f"{where}: {split} images have shape {images.shape}, expected (N, 28, 28).")
        if labels.ndim != 1 or len(labels) != len(images):
            raise MnistFileError(
                f"{where}: {len(images):,} {split} images but labels of shape {labels.shape}; "
                "every image needs exactly one label."
            )
        if images.dtype != np.uint8:
            raise MnistFileError(f"{where}: {split} images are {images.dtype}, expected uint8 pixels 0-255.")
        if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
            raise MnistFileError(
                f"{where}: {split} labels run from {labels.min()} to {labels.max()}, expected 0-9."
            )
        arrays[f"y_{split}"] = labels.astype(np.uint8)


def _download_keras_mnist():
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:  # keras wraps socket and HTTP failures in a bare Exception
        raise DownloadError(
            f"Could not download the full MNIST ({type(error).__name__}: {error}). Without a network, "
            'use the default load_mnist(source="embedded") (10,000 digits shipped with rnnlesson), or '
            "load_mnist(source=PATH) with a keras mnist.npz or a folder of the four IDX files."
        ) from error
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
