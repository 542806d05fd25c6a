import gzip
import hashlib
import shutil

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


def test_tf_dataset_view(mnist):
    images, digits = next(iter(mnist.test.as_tf_dataset(16, shuffle=False)))
    assert images.shape == (16, 28, 28) and digits.shape == (16,)
    np.testing.assert_allclose(images.numpy(), mnist.test.pixels[:16] / 255.0, rtol=1e-6)


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
