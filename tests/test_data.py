import gzip
import hashlib
import shutil
import socket
import threading
import time
import warnings
import zlib

import numpy as np
import pytest

from rnnlesson import data


def write_idx(path, array, magic=None):
    """An IDX file written independently of the reader: big-endian header, then raw bytes."""
    array = np.asarray(array, dtype=np.uint8)
    magic = magic if magic is not None else (data.IMAGE_MAGIC if array.ndim == 3 else data.LABEL_MAGIC)
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    content = header + array.tobytes()
    if path.suffix == ".gz":
        content = gzip.compress(content)
    path.write_bytes(content)


@pytest.fixture
def idx_folder(tmp_path):
    rng = np.random.default_rng(1)
    arrays = {
        "x_train": rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 12, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 5, dtype=np.uint8),
    }
    for name, stem in data.IDX_FILES.items():
        write_idx(tmp_path / (stem + (".gz" if name.startswith("x") else "")), arrays[name])
    return tmp_path, arrays


def test_embedded_is_the_documented_subset(mnist):
    assert mnist.train.num_examples == 8000 and mnist.test.num_examples == 2000
    assert mnist.train.images.shape == (8000, 784) and mnist.train.images.dtype == np.float32
    assert 0.0 <= mnist.train.images.min() and mnist.train.images.max() <= 1.0
    assert mnist.train.labels.shape == (8000, 10)
    np.testing.assert_array_equal(mnist.train.labels.argmax(axis=1), mnist.train.digits)
    counts = np.bincount(np.concatenate([mnist.train.digits, mnist.test.digits]))
    assert counts.sum() == 10000 and counts.min() == 863 and counts.max() == 1127
    # stratified: every class has 20% (to within one image) of its digits in the test set
    test_share = np.bincount(mnist.test.digits) / counts
    assert np.all(np.abs(test_share * counts - 0.2 * counts) <= 1)


def test_embedded_file_hash_matches_the_recorded_one():
    assert hashlib.sha256(data.EMBEDDED_PATH.read_bytes()).hexdigest() == data.EMBEDDED_SHA256


def test_embedded_train_and_test_do_not_overlap(mnist):
    train = {image.tobytes() for image in mnist.train.pixels}
    assert not any(image.tobytes() in train for image in mnist.test.pixels)


def test_damaged_embedded_file_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "mnist_10k.npz"
    content = bytearray(data.EMBEDDED_PATH.read_bytes())
    content[1000] ^= 0xFF
    copy.write_bytes(bytes(content))
    monkeypatch.setattr(data, "EMBEDDED_PATH", copy)
    with pytest.raises(data.MnistFileError, match="sha256.*Reinstall"):
        data.load_mnist()


def test_next_batch_walks_epochs_and_reshuffles(mnist):
    train = data.DataSet(mnist.train.pixels[:10], mnist.train.digits[:10], seed=3)
    seen = [train.next_batch(4)[1].argmax(axis=1) for _ in range(5)]  # 20 images = 2 epochs
    assert train.epochs_completed == 2
    first_epoch = np.concatenate(seen)[:10]
    np.testing.assert_array_equal(np.sort(first_epoch), np.sort(train.digits))
    images, labels = train.next_batch(4)
    assert images.shape == (4, 784) and labels.shape == (4, 10)


def test_next_batch_is_seeded(mnist):
    first = data.DataSet(mnist.train.pixels, mnist.train.digits, seed=7)
    second = data.DataSet(mnist.train.pixels, mnist.train.digits, seed=7)
    for _ in range(3):
        np.testing.assert_array_equal(first.next_batch(64)[0], second.next_batch(64)[0])


def test_next_batch_refuses_bad_sizes(mnist):
    with pytest.raises(ValueError, match="batch_size"):
        mnist.test.next_batch(0)


def test_idx_folder_plain_and_gzipped(idx_folder):
    folder, arrays = idx_folder
    mnist = data.load_mnist(folder)
    np.testing.assert_array_equal(mnist.train.pixels, arrays["x_train"])
    np.testing.assert_array_equal(mnist.test.digits, arrays["y_test"])


def test_keras_format_npz(tmp_path, idx_folder):
    _, arrays = idx_folder
    path = tmp_path / "mnist.npz"
    np.savez(path, **arrays)
    np.testing.assert_array_equal(data.load_mnist(path).train.digits, arrays["y_train"])


def test_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="embedded"):
        data.load_mnist(tmp_path / "nowhere.npz")


def test_unknown_source():
    with pytest.raises(ValueError, match="embedded"):
        data.load_mnist(42)


def test_missing_idx_file(idx_folder):
    folder, _ = idx_folder
    (folder / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        data.load_mnist(folder)


def test_truncated_idx_file(idx_folder):
    folder, _ = idx_folder
    path = folder / "t10k-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-2])
    with pytest.raises(data.MnistFileError, match="t10k-labels.*truncated"):
        data.load_mnist(folder)


def test_corrupt_gzip(idx_folder):
    folder, _ = idx_folder
    path = folder / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(data.MnistFileError, match="train-images.*decompressed"):
        data.load_mnist(folder)


def test_wrong_magic_number(idx_folder):
    folder, arrays = idx_folder
    write_idx(folder / "t10k-labels-idx1-ubyte", arrays["y_test"], magic=1234)
    with pytest.raises(data.MnistFileError, match="magic number 1234"):
        data.load_mnist(folder)


def test_count_mismatch(idx_folder):
    folder, arrays = idx_folder
    write_idx(folder / "t10k-labels-idx1-ubyte", arrays["y_test"][:4])
    with pytest.raises(data.MnistFileError, match="5 test images but labels"):
        data.load_mnist(folder)


def test_wrong_image_size(idx_folder):
    folder, _ = idx_folder
    (folder / "t10k-images-idx3-ubyte").write_bytes(b"")
    write_idx(folder / "t10k-images-idx3-ubyte", np.zeros((5, 14, 14)))
    with pytest.raises(data.MnistFileError, match=r"\(5, 14, 14\), expected \(N, 28, 28\)"):
        data.load_mnist(folder)


def test_labels_outside_zero_to_nine(idx_folder):
    folder, arrays = idx_folder
    labels = arrays["y_test"].copy()
    labels[2] = 11
    write_idx(folder / "t10k-labels-idx1-ubyte", labels)
    with pytest.raises(data.MnistFileError, match="0-9"):
        data.load_mnist(folder)


def test_truncated_npz(tmp_path):
    path = tmp_path / "mnist.npz"
    shutil.copy(data.EMBEDDED_PATH, path)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(data.MnistFileError, match="mnist.npz.*truncated"):
        data.load_mnist(path)


def test_npz_missing_arrays(tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(data.MnistFileError, match="y_train"):
        data.load_mnist(path)


def test_offline_keras_download_names_the_alternatives(monkeypatch):
    import keras

    def offline():
        raise Exception("URL fetch failure on https://example.invalid: None -- [Errno -3] name resolution")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(data.DownloadError, match='source="embedded".*IDX'):
        data.load_mnist("keras")


def test_gzip_corrupt_in_the_middle_names_the_file(idx_folder):
    folder, _ = idx_folder
    path = folder / "train-images-idx3-ubyte.gz"
    write_idx(path, (np.arange(12 * 28 * 28) % 7 * 30).reshape(12, 28, 28))  # compressible, so truly deflated
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x55  # inside the deflate stream: zlib itself fails, not just the CRC
    path.write_bytes(bytes(content))
    with pytest.raises(zlib.error):
        gzip.decompress(bytes(content))
    with pytest.raises(data.MnistFileError, match="train-images-idx3-ubyte.gz could not be decompressed.*Download"):
        data.load_mnist(folder)


@pytest.mark.parametrize("length", [0, 3, 8, 15])
def test_images_file_cut_inside_its_header(idx_folder, length):
    folder, _ = idx_folder
    path = folder / "t10k-images-idx3-ubyte"
    path.write_bytes(bytes(data.IMAGE_MAGIC.to_bytes(4, "big") + (5).to_bytes(4, "big") + bytes(8))[:length])
    expected = "too short for an IDX header" if length < 4 else "shorter than the 16-byte header of an IDX images"
    with pytest.raises(data.MnistFileError, match=f"t10k-images-idx3-ubyte is {length} bytes long, {expected}"):
        data.load_mnist(folder)


def test_labels_file_with_the_images_magic_number(idx_folder):
    folder, arrays = idx_folder
    write_idx(folder / "t10k-labels-idx1-ubyte", arrays["y_test"], magic=data.IMAGE_MAGIC)
    with pytest.raises(data.MnistFileError, match="t10k-labels-idx1-ubyte is an IDX images file.*labels were expected"):
        data.load_mnist(folder)


def test_images_in_place_of_labels_are_named(idx_folder):
    folder, arrays = idx_folder
    write_idx(folder / "t10k-labels-idx1-ubyte", arrays["x_test"])
    with pytest.raises(data.MnistFileError, match="swapped"):
        data.load_mnist(folder)


@pytest.mark.parametrize(("stem", "header", "promise"), [
    ("t10k-labels-idx1-ubyte", [data.LABEL_MAGIC, 0xFFFFFFFF], "4,294,967,295 labels, but the file holds 5 "),
    ("t10k-images-idx3-ubyte", [data.IMAGE_MAGIC, 0xFFFFFFFF, 28, 28],
     "4,294,967,295 images of 28 x 28 pixels, but the file holds 5 "),
    ("t10k-images-idx3-ubyte", [data.IMAGE_MAGIC, 5, 0xFFFFFFFF, 0xFFFFFFFF],
     "5 images of 4,294,967,295 x 4,294,967,295 pixels, but the file holds 0 "),
])
def test_huge_header_counts_say_what_is_wrong(idx_folder, stem, header, promise):
    folder, arrays = idx_folder
    body = arrays["x_test" if "images" in stem else "y_test"].tobytes()
    (folder / stem).write_bytes(b"".join(value.to_bytes(4, "big") for value in header) + body)
    message = f"{stem}: its header promises {promise}.*truncated or its header"
    with pytest.raises(data.MnistFileError, match=message) as error:
        data.load_mnist(folder)
    assert "4,655" not in str(error.value)  # no absurd byte counts


def test_idx_file_longer_than_its_header_promises(idx_folder):
    folder, _ = idx_folder
    path = folder / "t10k-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes() + b"\x00")
    with pytest.raises(data.MnistFileError, match="promises 5 labels, but the file holds 6"):
        data.load_mnist(folder)


def keras_npz(path, **changes):
    rng = np.random.default_rng(2)
    arrays = {"x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8), "y_train": np.arange(6, dtype=np.uint8),
              "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8), "y_test": np.arange(3, dtype=np.uint8)}
    np.savez(path, **{**arrays, **changes})
    return path


@pytest.mark.parametrize(("labels", "message"), [
    (np.array([1.0, 3.7, 2.0]), r"test labels include 3.7 \(float64\), expected whole numbers 0-9"),
    (np.array([1.0, np.nan, 2.0]), r"test labels include nan \(float64\), expected whole numbers 0-9"),
    (np.array([1, 2, 10]), "test labels run from 1 to 10, expected 0-9"),
    (np.array([True, False, True]), "test labels are bool, expected whole numbers 0-9"),
    (np.array(["1", "2", "3"]), "test labels are <U1, expected whole numbers 0-9"),
])
def test_npz_labels_that_are_not_digits_are_refused(tmp_path, labels, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy RuntimeWarning on the way
        with pytest.raises(data.MnistFileError, match=message):
            data.load_mnist(keras_npz(tmp_path / "mnist.npz", y_test=labels))


def test_npz_float_labels_that_are_whole_numbers_load(tmp_path):
    mnist = data.load_mnist(keras_npz(tmp_path / "mnist.npz", y_test=np.array([2.0, 0.0, 9.0])))
    assert mnist.test.digits.tolist() == [2, 0, 9] and mnist.test.digits.dtype == np.uint8


@pytest.mark.parametrize("content", [b"x_train,y_train\n1,2\n", bytes(range(256)) * 4, b""])
def test_text_or_random_file_as_npz(tmp_path, content):
    path = tmp_path / "mnist.npz"
    path.write_bytes(content)
    with pytest.raises(data.MnistFileError, match="mnist.npz is not a .npz archive") as error:
        data.load_mnist(path)
    assert "allow_pickle" not in str(error.value)


def test_npz_of_python_objects_is_refused_without_a_pickle_hint(tmp_path):
    path = keras_npz(tmp_path / "mnist.npz", y_test=np.array([1, "a", None], dtype=object))
    with pytest.raises(data.MnistFileError, match="y_test holds Python objects") as error:
        data.load_mnist(path)
    assert "allow_pickle" not in str(error.value)


@pytest.mark.parametrize("split", ["train", "test"])
def test_a_set_of_zero_images_is_refused(tmp_path, split):
    empty = {f"x_{split}": np.zeros((0, 28, 28), np.uint8), f"y_{split}": np.zeros(0, np.uint8)}
    with pytest.raises(data.MnistFileError, match=f"the {split} set has 0 images"):
        data.load_mnist(keras_npz(tmp_path / "mnist.npz", **empty))


@pytest.mark.parametrize("seed", [-1, "a", 1.5, True, None, 2**32])
def test_bad_seed_is_refused_before_reading(monkeypatch, seed):
    def must_not_read(*args, **kwargs):
        raise AssertionError("the data was read before the seed was checked")

    monkeypatch.setattr(data, "read_npz", must_not_read)
    with pytest.raises(ValueError, match=r"seed must be a whole number between 0 and 4,294,967,295 \(it fixes the "
                                         r"batch order\), got"):
        data.load_mnist(seed=seed)


def test_numpy_integer_seed_is_fine():
    assert data.load_mnist(seed=np.int64(3)).train.seed == 3


def test_idx_file_shorter_than_its_header(idx_folder):
    folder, _ = idx_folder
    (folder / "t10k-labels-idx1-ubyte").write_bytes(data.LABEL_MAGIC.to_bytes(4, "big") + b"\x00\x00")
    with pytest.raises(data.MnistFileError, match="6 bytes long, shorter than the 8-byte header of an IDX labels"):
        data.load_mnist(folder)


@pytest.mark.parametrize("batch_size", [2001, 2.5, "8", True, None])
def test_next_batch_larger_than_the_set_or_not_whole(mnist, batch_size):
    with pytest.raises(ValueError, match=r"batch_size must be a whole number between 1 and 2,000 \(the images"):
        mnist.test.next_batch(batch_size)


def test_whole_set_in_one_batch(mnist):
    images, labels = mnist.test.next_batch(2000)
    np.testing.assert_array_equal(np.sort(labels.argmax(axis=1)), np.sort(mnist.test.digits))


class SilentServer:
    """A loopback server that accepts connections and never answers (a proxy or firewall gone quiet)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/mnist.npz"

    def _accept(self):
        try:
            while True:
                self.accepted.append(self.socket.accept()[0])
        except OSError:
            pass  # closed

    def close(self):
        self.socket.close()
        for connection in self.accepted:
            connection.close()


def test_keras_download_from_a_silent_server_gives_up(tmp_path, monkeypatch):
    from keras.src.datasets import mnist as keras_mnist

    server = SilentServer()
    real_get_file = keras_mnist.get_file

    def from_the_silent_server(**arguments):
        return real_get_file(**{**arguments, "origin": server.url, "cache_dir": str(tmp_path)})

    monkeypatch.setattr(keras_mnist, "get_file", from_the_silent_server)
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT", 1, raising=False)
    outcome = []

    def download():
        try:
            data.load_mnist("keras")
        except Exception as error:
            outcome.append(error)

    started = time.monotonic()
    attempt = threading.Thread(target=download, daemon=True)
    attempt.start()
    attempt.join(timeout=20)  # the test itself never waits without limit
    elapsed = time.monotonic() - started
    server.close()
    assert not attempt.is_alive(), "load_mnist('keras') still waits for the silent server after 20 s"
    assert server.accepted, "the download never reached the server"
    assert elapsed < 10
    assert len(outcome) == 1 and isinstance(outcome[0], data.DownloadError), outcome
    assert "the server sent nothing for 1 s" in str(outcome[0])
    assert 'source="embedded"' in str(outcome[0]) and "IDX" in str(outcome[0])
    assert socket.getdefaulttimeout() is None  # the time limit applies to the download only


@pytest.mark.parametrize("source", ["Keras", "EMBEDDED", " keras "])
def test_a_source_in_other_capitals_is_named(source):
    with pytest.raises(FileNotFoundError, match=f"did you mean load_mnist\\('{source.strip().lower()}'\\)"):
        data.load_mnist(source)


def test_npz_one_hot_labels_load_as_digits(tmp_path):
    one_hot = np.eye(10, dtype=np.float32)[[4, 0, 9]]
    mnist = data.load_mnist(keras_npz(tmp_path / "mnist.npz", y_test=one_hot))
    assert mnist.test.digits.tolist() == [4, 0, 9]


def test_npz_two_dimensional_labels_that_are_not_one_hot_are_refused(tmp_path):
    not_one_hot = np.eye(10, dtype=np.float32)[[4, 0, 9]] * 0.5
    with pytest.raises(data.MnistFileError, match=r"labels of shape \(3, 10\); every image needs exactly one"):
        data.load_mnist(keras_npz(tmp_path / "mnist.npz", y_test=not_one_hot))


def test_a_symbolic_link_loop_is_named(tmp_path):
    loop = tmp_path / "mnist"
    loop.symlink_to(tmp_path / "mnist")
    with pytest.raises(FileNotFoundError, match="symbolic link that leads back to itself"):
        data.load_mnist(loop)


def test_one_folder_spelt_many_ways_is_one_source_and_one_checkpoint_name(idx_folder, monkeypatch):
    from rnnlesson import checkpoints
    from rnnlesson.config import Config

    folder, _ = idx_folder
    monkeypatch.chdir(folder.parent)
    monkeypatch.setenv("HOME", str(folder.parent))
    spellings = [str(folder), f"{folder}/", f"./{folder.name}", folder.name, f"{folder.name}/",
                 f"../{folder.parent.name}/{folder.name}", f"~/{folder.name}", folder]
    assert {data.load_mnist(spelling).source for spelling in spellings} == {str(folder.resolve())}
    assert len({checkpoints.name_for(Config(), spelling) for spelling in spellings}) == 1
    assert checkpoints.name_for(Config(), "keras") == "lstm_mnist-datakeras.npz"
