"""MNIST for the lesson: the embedded 10,000-digit subset, the full set, or your own files."""

import errno
import functools
import gzip
import hashlib
import socket
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnnlesson.config import LARGEST_SEED, whole_number

EMBEDDED_PATH = Path(__file__).resolve().parent / "embedded" / "mnist_10k.npz"
EMBEDDED_SHA256 = "bab23ab0855b686d04d4bb2fbfac4c0cc77399a4ec723818e1ab2c6492ba0503"
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
IDX_KINDS = {IMAGE_MAGIC: ("images", 16), LABEL_MAGIC: ("labels", 8)}  # magic number: (what, header bytes)
NUM_CLASSES = 10
DOWNLOAD_TIMEOUT = 30  # seconds without a byte from the server before the download gives up
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
        check_seed(self.seed)
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
        _check_batch_size(batch_size, self.num_examples)
        index = self._order[self._position:self._position + batch_size]
        self._position += batch_size
        if self._position >= self.num_examples:
            self.epochs_completed += 1
            self._order = self._rng.permutation(self.num_examples)
            self._position = batch_size - len(index)
            index = np.concatenate([index, self._order[:self._position]])
        return self.images[index], self.labels[index]


@dataclass
class Datasets:
    train: DataSet
    test: DataSet
    source: str


def check_seed(seed):
    """Refuse a seed NumPy cannot use, before any data is read."""
    whole_number(seed, "seed", 0, LARGEST_SEED, note=" (it fixes the batch order)",
                 hint=" For example load_mnist(seed=0), or seed=config.seed.")


def _check_batch_size(batch_size, num_examples):
    whole_number(batch_size, "batch_size", 1, num_examples, note=" (the images in this set)")


def load_mnist(source="embedded", seed=0):
    """Load MNIST as `Datasets(train, test)`; see SOURCES_HELP for the sources."""
    check_seed(seed)
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
        elif str(source).strip().lower() in ("embedded", "keras"):
            raise FileNotFoundError(f"No MNIST file or folder at {path}: did you mean "
                                    f"load_mnist({str(source).strip().lower()!r})? {SOURCES_HELP}")
        elif path.is_symlink() and _loops(path):
            raise FileNotFoundError(f"{path} is a symbolic link that leads back to itself, so it names no file: "
                                    f"point it at the MNIST file or folder, or give that path. {SOURCES_HELP}")
        else:
            raise FileNotFoundError(f"No MNIST file or folder at {path}. {SOURCES_HELP}")
    else:
        raise ValueError(f"Unknown MNIST source {source!r}. {SOURCES_HELP}")
    _check_arrays(arrays, str(source))
    return Datasets(
        train=DataSet(arrays["x_train"], arrays["y_train"], seed=seed),
        test=DataSet(arrays["x_test"], arrays["y_test"], seed=seed + 1),
        source=source_name(source),
    )


def source_name(source):
    """The name a source is known by (in checkpoints): "embedded", "keras", or the path resolved, however spelt."""
    if source in ("embedded", "keras"):
        return source
    return str(Path(source).expanduser().resolve())


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
    with path.open("rb") as file:
        start = file.read(4)
    if not start.startswith(b"PK"):
        raise MnistFileError(
            f"{path} is not a .npz archive (it starts with {start!r}, a .npz is a zip file starting with b'PK'). "
            "Give load_mnist a keras-format mnist.npz (x_train, y_train, x_test, y_test) or a folder of IDX files."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            missing = sorted(name for name in IDX_FILES if f"{name}.npy" not in archive.namelist())
            if missing:
                raise MnistFileError(
                    f"{path} lacks {missing}: a keras-format mnist.npz holds x_train, y_train, x_test, y_test."
                )
            return {name: _read_npz_member(archive, name, path) for name in IDX_FILES}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        if isinstance(error, MnistFileError):
            raise
        raise MnistFileError(f"{path} is not a readable .npz file ({error}); it may be truncated.") from error


def _read_npz_member(archive, name, path):
    """One array of the archive, its header checked before any memory is set aside for it."""
    info = archive.getinfo(f"{name}.npy")
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran_order, dtype = read_header(member)
        if dtype.hasobject:
            raise MnistFileError(f"{path}: {name} holds Python objects; MNIST arrays hold numbers (uint8).")
        if int(np.prod(shape, dtype=object)) * dtype.itemsize > info.file_size:
            raise MnistFileError(f"{path}: {name} claims shape {shape} of {dtype}, more than the file holds; "
                                 "the file is corrupt.")
    with archive.open(info) as member:
        return np.lib.format.read_array(member, allow_pickle=False)


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
        arrays[name] = read_idx(path, kind="images" if name.startswith("x") else "labels")
    return arrays


def read_idx(path, kind=None):
    """Read one IDX file: images (magic 2051) as (N, rows, cols) or labels (magic 2049) as (N,).

    kind: "images" or "labels" to refuse a file of the other kind.
    """
    path = Path(path)
    try:
        content = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        raise MnistFileError(
            f"{path} could not be decompressed ({error}): the download is truncated or corrupt. "
            "Download it again."
        ) from error
    if len(content) < 4:
        raise MnistFileError(f"{path} is {len(content)} bytes long, too short for an IDX header.")
    magic = int.from_bytes(content[:4], "big")
    if magic not in IDX_KINDS:
        raise MnistFileError(
            f"{path} starts with magic number {magic}; MNIST IDX files start with "
            f"{IMAGE_MAGIC} (images) or {LABEL_MAGIC} (labels): this is not an MNIST file."
        )
    found, header = IDX_KINDS[magic]
    if kind is not None and found != kind:
        raise MnistFileError(
            f"{path} is an IDX {found} file (magic number {magic}), but {kind} were expected here: "
            "the images and labels files may have been swapped or renamed."
        )
    if len(content) < header:
        raise MnistFileError(
            f"{path} is {len(content)} bytes long, shorter than the {header}-byte header of an IDX {found} "
            "file: the file is truncated. Download it again."
        )
    shape = tuple(int.from_bytes(content[start:start + 4], "big") for start in range(4, header, 4))
    item_bytes = int(np.prod(shape[1:], dtype=object))  # 1 for labels, rows x cols for images
    payload = len(content) - header
    if shape[0] * item_bytes != payload:
        each = f" of {shape[1]:,} x {shape[2]:,} pixels" if found == "images" else ""
        room = payload // item_bytes if item_bytes else 0
        raise MnistFileError(
            f"{path}: its header promises {shape[0]:,} {found}{each}, but the file holds {room:,} "
            f"({payload:,} bytes after the header): the file is truncated or its header is corrupt. "
            "Download it again."
        )
    return np.frombuffer(content[header:], dtype=np.uint8).reshape(shape)


def _check_arrays(arrays, where):
    for split in ("train", "test"):
        images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if images.ndim != 3 or images.shape[1:] != (28, 28):
            raise MnistFileError(f"{where}: {split} images have shape {images.shape}, expected (N, 28, 28).")
        if len(images) == 0:
            raise MnistFileError(f"{where}: the {split} set has 0 images; training and evaluating need at least one.")
        if labels.ndim == 2 and labels.shape == (len(images), NUM_CLASSES) and _one_hot(labels):
            labels = labels.argmax(axis=1)  # one-hot rows: the digit is where the 1 is
        if labels.ndim != 1 or len(labels) != len(images):
            raise MnistFileError(
                f"{where}: {len(images):,} {split} images but labels of shape {labels.shape}; "
                "every image needs exactly one label."
            )
        if images.dtype != np.uint8:
            raise MnistFileError(f"{where}: {split} images are {images.dtype}, expected uint8 pixels 0-255.")
        arrays[f"y_{split}"] = _whole_digits(labels, f"{where}: {split} labels")


def _one_hot(labels):
    """True if every row is all zeros but a single 1."""
    return bool(np.all((labels == 0) | (labels == 1)) and np.all(labels.sum(axis=1) == 1))


def _loops(path):
    try:
        path.stat()
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def _whole_digits(labels, what):
    """Labels as uint8 digits 0-9; NaN, fractions and other types are refused rather than truncated."""
    if labels.dtype.kind not in "iuf":
        raise MnistFileError(f"{what} are {labels.dtype}, expected whole numbers 0-9.")
    if labels.dtype.kind == "f":
        bad = labels[~np.isfinite(labels) | (labels != np.round(labels))]
        if bad.size:
            raise MnistFileError(f"{what} include {bad[0]} ({labels.dtype}), expected whole numbers 0-9.")
    if labels.min() < 0 or labels.max() >= NUM_CLASSES:
        raise MnistFileError(f"{what} run from {labels.min()} to {labels.max()}, expected 0-9.")
    return labels.astype(np.uint8)


def _download_keras_mnist():
    """keras.datasets.mnist.load_data(), giving up after DOWNLOAD_TIMEOUT seconds without progress."""
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)  # keras's urlretrieve takes no timeout of its own
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:  # keras wraps socket and HTTP failures in a bare Exception
        reason = f"{type(error).__name__}: {error}"
        if "timed out" in str(error):
            reason = f"the server sent nothing for {DOWNLOAD_TIMEOUT} s; {reason}"
        raise DownloadError(
            f"Could not download the full MNIST ({reason}). Without a network, "
            'use the default load_mnist(source="embedded") (10,000 digits shipped with rnnlesson), or '
            "load_mnist(source=PATH) with a keras mnist.npz or a folder of the four IDX files."
        ) from error
    finally:
        socket.setdefaulttimeout(previous)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
