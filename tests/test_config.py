import dataclasses

import numpy as np
import pytest

from rnnlesson.config import Config, whole_number


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


def test_weight_differences_leave_out_the_fields_that_do_not_change_the_weights():
    from rnnlesson.config import NOT_IN_WEIGHTS

    assert set(NOT_IN_WEIGHTS) == {"log_every", "precision"}
    unchanged = Config(log_every=7, precision="mixed_bfloat16")
    assert unchanged.differences(Config()) == {"log_every": (7, 200), "precision": ("mixed_bfloat16", "float32")}
    assert unchanged.weight_differences(Config()) == {}
    changed = unchanged.replace(num_hidden=8, seed=3)
    assert changed.weight_differences(Config()) == {"num_hidden": (8, 256), "seed": (3, 0)}
    assert Config().weight_differences(changed) == {"num_hidden": (256, 8), "seed": (0, 3)}


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (5, 5), (np.int64(3), 3), (np.uint8(5), 5)])
def test_whole_number_gives_a_plain_int(value, expected):
    given = whole_number(value, "n", 0, 5)
    assert given == expected and type(given) is int


@pytest.mark.parametrize(("value", "smallest", "largest", "message"), [
    (-1, 0, None, "n must be a whole number >= 0, got -1."),
    (0, 1, None, "n must be a whole number >= 1, got 0."),
    (2001, 1, 2000, "n must be a whole number between 1 and 2,000, got 2001."),
    (0, 1, 2000, "n must be a whole number between 1 and 2,000, got 0."),
    (2.0, 0, None, "n must be a whole number >= 0, got 2.0."),
    (True, 0, None, "n must be a whole number >= 0, got True (bool)."),
    ("3", 0, None, "n must be a whole number >= 0, got '3' (str)."),
    (None, 0, None, "n must be a whole number >= 0, got None (NoneType)."),
])
def test_whole_number_says_what_was_expected_and_what_was_given(value, smallest, largest, message):
    with pytest.raises(ValueError) as caught:
        whole_number(value, "n", smallest, largest)
    assert str(caught.value) == message


def test_whole_number_note_and_hint_frame_the_message():
    with pytest.raises(ValueError) as caught:
        whole_number(-1, "seed", note=" (it fixes the batch order)", hint=" For example seed=0.")
    assert str(caught.value) == ("seed must be a whole number >= 0 (it fixes the batch order), got -1. "
                                 "For example seed=0.")


def test_unknown_field_is_named():
    with pytest.raises(ValueError, match="hidden_units"):
        Config.from_dict({"hidden_units": 3})


def test_precision_is_float32_or_mixed_bfloat16():
    assert Config().precision == "float32"
    assert Config(precision="mixed_bfloat16").precision == "mixed_bfloat16"
    with pytest.raises(ValueError, match="mixed_bfloat16"):
        Config(precision="float16")


@pytest.mark.parametrize(("changes", "message"), [
    ({"lr": True}, r"Config.lr must be a finite number, got True \(bool\)"),
    ({"lr": float("inf")}, "Config.lr must be a finite number, got inf"),
    ({"lr": float("nan")}, "Config.lr must be a finite number, got nan"),
    ({"lr": None}, r"Config.lr must be a finite number, got None \(NoneType\)"),
    ({"keep_prob": True}, r"Config.keep_prob must be a finite number, got True \(bool\)"),
    ({"keep_prob": "0.5"}, r"Config.keep_prob must be a finite number, got '0.5' \(str\)"),
    ({"seed": "a"}, r"Config.seed must be a whole number between 0 and 4,294,967,295, got 'a' \(str\)"),
    ({"seed": -1}, "Config.seed must be a whole number between 0 and 4,294,967,295, got -1"),
    ({"seed": 2**32}, "Config.seed must be a whole number between 0 and 4,294,967,295, got 4294967296"),
    ({"num_hidden": "64"}, r"Config.num_hidden must be a whole number >= 1, got '64' \(str\)"),
    ({"precision": None}, r"Config.precision must be one of .*, got None \(NoneType\)"),
])
def test_wrong_types_and_values_name_the_field(changes, message):
    with pytest.raises(ValueError, match=message):
        Config(**changes)


def test_rows_times_pixels_must_make_one_mnist_image():
    with pytest.raises(ValueError, match=r"timestamp_size x Config.input_num must be 784 \(28 x 28\).*14 x 28 = 392"):
        Config(timestamp_size=14)
    with pytest.raises(ValueError, match=r"must be 784 \(28 x 28\).*28 x 27 = 756"):
        Config(input_num=27)


def test_another_split_of_the_image_reads_every_pixel():
    from rnnlesson import model

    config = Config(timestamp_size=56, input_num=14, num_hidden=8, lstm_num=1)
    images = np.random.default_rng(0).random((3, 784), dtype=np.float32)
    assert model.build(config)(images).shape == (3, 10)


def test_num_classes_is_mnists_ten():
    with pytest.raises(ValueError, match="num_classes must be 10"):
        Config(num_classes=5)


def test_numpy_numbers_are_accepted_as_plain_ones():
    config = Config(num_hidden=np.int64(64), lr=np.float32(0.5), keep_prob=1)
    assert config == Config(num_hidden=64, lr=0.5, keep_prob=1.0)
    assert type(config.num_hidden) is int and type(config.lr) is float and type(config.keep_prob) is float


def test_a_mistyped_field_is_named_with_the_closest_one():
    message = r"Unknown Config fields \['num_hiden'\] \(did you mean 'num_hidden' for 'num_hiden'\?\)"
    with pytest.raises(ValueError, match=message):
        Config().replace(num_hiden=64)
    with pytest.raises(ValueError, match=message):
        Config.from_dict({"num_hiden": 64})
