"""Shared fixtures: TensorFlow started quietly once, small configurations for fast tests."""

import pytest

from rnnlesson import runtime

runtime.prepare()


@pytest.fixture(scope="session")
def mnist():
    from rnnlesson import data

    return data.load_mnist()


@pytest.fixture
def small_config():
    from rnnlesson import config

    return config.Config(num_hidden=16, iterations=30, batch_size=32, log_every=10)
