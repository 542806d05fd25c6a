import dataclasses

import pytest

from rnnlesson.config import Config


def test_defaults_are_the_tutorials():
    config = Config()
    assert (config.lr, config.input_num, config.timestamp_size, config.lstm_num) == (1e-3, 28, 28, 2)
    assert (config.num_hidden, config.num_classes, config.batch_size) == (256, 10, 64)
    assert (config.iterations, config.keep_prob, config.log_every) == (2000, 0.5, 200)


def test_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().lr = 0.1


@pytest.mark.parametrize("keep_prob", [0.0, -0.1, 1.5])
def test_keep_prob_outside_zero_one_is_refused(keep_prob):
    with pytest.raises(ValueError, match="keep_prob.*\\(0, 1\\]"):
        Config(keep_prob=keep_prob)


@pytest.mark.parametrize("name", ["num_hidden", "lstm_num", "batch_size", "iterations", "timestamp_size"])
@pytest.mark.parametrize("value", [0, -3, 2.5, True])
def test_sizes_must_be_positive_whole_numbers(name, value):
    with pytest.raises(ValueError, match=name):
        Config(**{name: value})


def test_learning_rate_must_be_positive():
    with pytest.raises(ValueError, match="lr"):
        Config(lr=0)


def test_round_trip_and_differences():
    config = Config(num_hidden=8)
    assert Config.from_dict(config.to_dict()) == config
    assert config.differences(Config()) == {"num_hidden": (8, 256)}
    assert config.replace(num_hidden=256) == Config()


def test_unknown_field_is_named():
    with pytest.raises(ValueError, match="hidden_units"):
        Config.from_dict({"hidden_units": 3})


def test_precision_is_float32_or_mixed_bfloat16():
    assert Config().precision == "float32"
    assert Config(precision="mixed_bfloat16").precision == "mixed_bfloat16"
    with pytest.raises(ValueError, match="mixed_bfloat16"):
        Config(precision="float16")
