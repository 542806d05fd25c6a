"""Shared fixtures: TensorFlow started quietly once, fresh data and checkpoint places for every test."""

from pathlib import Path

import pytest

from rnnlesson import runtime

runtime.prepare()

REPOSITORY_CHECKPOINTS = Path(__file__).resolve().parents[1] / "checkpoints"


def snapshot(folder):
    """Every file under folder with its size and modification time (None if there is no folder)."""
    if not folder.exists():
        return None
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


@pytest.fixture(autouse=True)
def own_checkpoints(tmp_path_factory, monkeypatch):
    """Each test saves and looks for checkpoints in a temporary folder; the repository's stay as they are."""
    folder = tmp_path_factory.mktemp("checkpoints")
    monkeypatch.setenv("RNNLESSON_CHECKPOINT_DIR", str(folder))
    monkeypatch.delenv("RNNLESSON_CHECKPOINT", raising=False)  # a teacher's shared file is not the tests' to read
    before = snapshot(REPOSITORY_CHECKPOINTS)
    yield folder
    after = snapshot(REPOSITORY_CHECKPOINTS)
    if after != before:
        pytest.fail(f"this test changed {REPOSITORY_CHECKPOINTS}: before {before}, after {after}")


@pytest.fixture
def mnist():
    """The embedded MNIST, loaded for each test so that no test sees where another left next_batch."""
    from rnnlesson import data

    return data.load_mnist()


@pytest.fixture(scope="session")
def small_config():
    from rnnlesson import config

    return config.Config(num_hidden=16, iterations=30, batch_size=32, log_every=10)


@pytest.fixture(scope="session")
def small_network(small_config):
    """An untrained network of small_config, built once, for the tests that only read it."""
    from rnnlesson import model

    return model.build(small_config)


def pytest_collection_modifyitems(items):
    """Tests marked bfloat16 build a mixed_bfloat16 network, which a CPU without bfloat16 refuses."""
    if runtime.cpu_has_bfloat16() is False:
        skip = pytest.mark.skip(reason="this CPU has no bfloat16 instructions, so mixed_bfloat16 is refused here")
        for item in items:
            if "bfloat16" in item.keywords:
                item.add_marker(skip)
