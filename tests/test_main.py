"""The command line: python -m rnnlesson doctor | train."""

import subprocess
import sys
import tempfile
import types
from pathlib import Path

import numpy as np
import pytest

from rnnlesson import __main__ as command_line
from rnnlesson import checkpoints
from rnnlesson import config as lesson_config


def run(*arguments):
    return subprocess.run([sys.executable, "-m", "rnnlesson", *arguments], capture_output=True, text=True,
                          timeout=120)


def test_help_exits_0_and_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0 and "doctor" in result.stdout and "train" in result.stdout


def test_unknown_command_is_named_with_the_usage():
    result = run("trian")
    assert result.returncode == 2 and "'trian'" in result.stderr
    assert "doctor" in result.stderr and "train" in result.stderr


def test_train_help_lists_every_config_field():
    result = run("train", "--help")
    assert result.returncode == 0
    for option in ("--num-hidden", "--keep-prob", "--iterations", "--seed", "--out", "--data"):
        assert option in result.stdout


def test_train_refuses_a_bad_value_before_training():
    result = run("train", "--keep-prob", "2")
    assert result.returncode == 2 and "keep_prob" in result.stdout


@pytest.mark.slow
def test_train_saves_a_checkpoint_others_can_load(tmp_path, monkeypatch):
    out = tmp_path / "teacher" / "lstm.npz"
    lines = []
    arguments = command_line.parser().parse_args(
        ["train", "--num-hidden", "4", "--iterations", "3", "--batch-size", "8", "--out", str(out)])
    assert command_line.train(arguments, echo=lines.append) == 0
    assert f"RNNLESSON_CHECKPOINT={out.resolve()}" in lines[-1]
    assert out.stat().st_mode & 0o044  # readable by group and others
    monkeypatch.setenv(checkpoints.SHARED_ENV, str(out))
    config = checkpoints.read_description(out)[0]
    assert config.num_hidden == 4 and checkpoints.path_for(config) == out
    network, metrics = checkpoints.load(out, config)
    assert np.isfinite(network.W.numpy()).all() and 0 <= metrics["test_accuracy"] <= 1


def test_train_refuses_an_unwritable_out_before_training(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    trained = []
    monkeypatch.setattr("rnnlesson.train.train_network", lambda *args, **kwargs: trained.append(1))
    lines = []
    arguments = command_line.parser().parse_args(["train", "--out", str(blocker / "lstm.npz")])
    assert command_line.train(arguments, echo=lines.append) == 2
    assert lines[-1].startswith(f"error: Could not save the checkpoint to {blocker / 'lstm.npz'}")
    assert not trained


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--data", "no/such/folder", "No MNIST file or folder at no/such/folder"),
    ("--out", ".", "is a folder; give the checkpoint a file name"),
])
def test_train_says_what_to_fix_without_a_traceback(tmp_path, monkeypatch, option, value, message):
    monkeypatch.chdir(tmp_path)
    result = run("train", option, value)
    assert result.returncode == 2 and message in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def quick_training(monkeypatch):
    from rnnlesson import model

    monkeypatch.setattr("rnnlesson.train.train_network", lambda config, mnist, **kwargs: model.build(config))
    monkeypatch.setattr("rnnlesson.train.evaluate", lambda network, dataset: 0.5)


def test_train_refuses_to_replace_another_configurations_checkpoint(tmp_path, monkeypatch):
    quick_training(monkeypatch)
    out = tmp_path / "shared.npz"
    first = command_line.parser().parse_args(["train", "--num-hidden", "4", "--out", str(out)])
    assert command_line.train(first, echo=lambda line: None) == 0
    before = out.read_bytes()
    lines = []
    other = ["train", "--num-hidden", "8", "--out", str(out)]
    assert command_line.train(command_line.parser().parse_args(other), echo=lines.append) == 2
    assert "num_hidden: the file 4, now 8" in lines[-1] and "--replace" in lines[-1]
    assert out.read_bytes() == before
    assert command_line.train(command_line.parser().parse_args([*other, "--replace"]), echo=lines.append) == 0
    assert checkpoints.read_description(out)[0].num_hidden == 8
    same = ["train", "--num-hidden", "8", "--log-every", "7", "--out", str(out)]  # log_every is not in the weights
    assert command_line.train(command_line.parser().parse_args(same), echo=lines.append) == 0


def test_ctrl_c_during_training_says_how_far_and_that_nothing_was_saved(tmp_path, monkeypatch):
    from rnnlesson import config as lesson_config
    from rnnlesson import data, train

    class InterruptedBatches:
        epochs_completed = 0

        def __init__(self, real, after):
            self.real, self.after, self.calls = real, after, 0

        def next_batch(self, batch_size):
            if self.calls == self.after:
                raise KeyboardInterrupt
            self.calls += 1
            return self.real.next_batch(batch_size)

    real = data.load_mnist()
    mnist = types.SimpleNamespace(train=InterruptedBatches(real.train, after=3), test=real.test)
    config = lesson_config.Config(num_hidden=4, iterations=3000, batch_size=8, log_every=1000)
    with pytest.raises(KeyboardInterrupt, match="after 3 of 3,000 iterations"):
        train.train_network(config, mnist, progress=False, echo=lambda line: None)

    def interrupted(config, mnist, **kwargs):
        raise KeyboardInterrupt("after 3 of 3,000 iterations")

    monkeypatch.setattr("rnnlesson.train.train_network", interrupted)
    out, lines = tmp_path / "lstm.npz", []
    arguments = command_line.parser().parse_args(["train", "--out", str(out)])
    assert command_line.train(arguments, echo=lines.append) == 130
    assert lines[-1] == "Interrupted after 3 of 3,000 iterations: nothing was saved."
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("rescue_works", [True, False])
def test_train_rescues_a_failed_save_to_the_temporary_folder(tmp_path, monkeypatch, rescue_works):
    from rnnlesson import model

    out = tmp_path / "teacher" / "lstm.npz"
    original_save = checkpoints.save

    def save_failing_at_out(network, path, metrics=None):
        if path == out:
            raise checkpoints.SaveError(f"Could not save the checkpoint to {path}: No space left on device.")
        return original_save(network, path, metrics)

    blocker = tmp_path / "a_file"
    blocker.write_text("")
    rescue = tmp_path / "temp" if rescue_works else blocker
    monkeypatch.setattr(checkpoints, "save", save_failing_at_out)
    monkeypatch.setattr(command_line, "_rescue_folders", lambda: [rescue])
    monkeypatch.setattr("rnnlesson.train.train_network", lambda config, mnist, **kwargs: model.build(config))
    monkeypatch.setattr("rnnlesson.train.evaluate", lambda network, dataset: 0.5)
    lines = []
    arguments = command_line.parser().parse_args(
        ["train", "--num-hidden", "4", "--iterations", "3", "--batch-size", "8", "--out", str(out)])
    assert command_line.train(arguments, echo=lines.append) == 1
    rescued = rescue / "lstm_mnist-num_hidden4-batch_size8-iterations3.npz"
    assert f"Could not save the checkpoint to {out}: No space left on device." in lines[-1]
    if rescue_works:
        assert f"The trained network was saved to {rescued} instead" in lines[-1]
        assert checkpoints.read_description(rescued)[0].num_hidden == 4
    else:
        assert f"Could not save the checkpoint to {rescued}" in lines[-1] and "not saved anywhere" in lines[-1]


def test_train_on_a_full_disk_says_where_it_tried_and_how_much_room_it_needs(tmp_path, monkeypatch):
    import errno
    import os

    def full(file, contents):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    quick_training(monkeypatch)
    monkeypatch.setattr(checkpoints, "_write", full)
    folders = [tmp_path / "temporary", tmp_path / "home"]
    monkeypatch.setattr(command_line, "_rescue_folders", lambda: folders)
    out, lines = tmp_path / "lstm.npz", []
    arguments = command_line.parser().parse_args(["train", "--num-hidden", "4", "--out", str(out)])
    assert command_line.train(arguments, echo=lines.append) == 1
    name = checkpoints.name_for(lesson_config.Config(num_hidden=4))
    for tried in (out, *(folder / name for folder in folders)):
        assert f"Could not save the checkpoint to {tried}: No space left on device. The checkpoint needs " \
            in lines[-1]
    assert "bytes are free there" in lines[-1] and lines[-1].endswith("It was not saved anywhere.")
    assert "To share it" not in "\n".join(lines)


def test_the_rescue_folders_are_the_temporary_folder_home_and_here_once_each(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert command_line._rescue_folders() == [Path(tempfile.gettempdir()), tmp_path]


@pytest.mark.slow
def test_train_with_a_diverging_lr_saves_nothing_and_exits_1(tmp_path):
    out, lines = tmp_path / "lstm.npz", []
    arguments = command_line.parser().parse_args(
        ["train", "--lr", "1e38", "--num-hidden", "4", "--iterations", "20", "--batch-size", "8", "--out", str(out)])
    assert command_line.train(arguments, echo=lines.append) == 1
    assert lines[-1].startswith("error: The training diverged") and "lr=1e+38" in lines[-1]
    assert "To share it" not in "\n".join(lines) and not list(tmp_path.iterdir())
