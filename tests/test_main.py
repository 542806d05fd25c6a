"""The command line: python -m rnnlesson doctor | train."""

import subprocess
import sys
import types

import numpy as np
import pytest

from rnnlesson import __main__ as command_line
from rnnlesson import checkpoints


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
    arguments = command_line.parser().parse_args(["train", "--out", str(blocker / "lstm.npz")])
    with pytest.raises(checkpoints.SaveError, match="a_file/lstm.npz"):
        command_line.train(arguments, echo=lambda line: None)
    assert not trained


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
    monkeypatch.setattr(command_line, "tempfile", types.SimpleNamespace(gettempdir=lambda: str(rescue)))
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
        assert f"could not be saved to {rescued} either (" in lines[-1] and "not saved anywhere" in lines[-1]
