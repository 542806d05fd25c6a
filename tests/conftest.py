"""Shared fixtures: TensorFlow started quietly once, small configurations for fast tests."""

import pytest

from rnnlesson import runtime

runtime.prepare()


@pytest.fixture
def mnist():
    """The embedded MNIST, loaded for each test so that no test sees where another left next_batch."""
    from rnnlesson import data

    return data.load_mnist()


@pytest.fixture
def small_config():
    from rnnlesson import config

    return config.Config(num_hidden=16, iterations=30, batch_size=32, log_every=10)


def pytest_collection_modifyitems(items):
    """Tests marked bfloat16 build a mixed_bfloat16 network, which a CPU without bfloat16 refuses."""
    if runtime.cpu_has_bfloat16() is False:
        skip = pytest.mark.skip(reason="this CPU has no bfloat16 instructions, so mixed_bfloat16 is refused here")
        for item in items:
            if "bfloat16" in item.keywords:
                item.add_marker(skip)
