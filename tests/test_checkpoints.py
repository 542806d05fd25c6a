"""Checkpoints: one per configuration, readable by everyone, clear errors, and no training lost."""

import dataclasses
import errno
import json
import os
import re
import shutil
import stat
import types
from pathlib import Path

import keras
import notebook_cells
import numpy as np
import pytest

from rnnlesson import checkpoints, model
from rnnlesson.config import Config


@pytest.fixture(autouse=True)
def own_folder(tmp_path, monkeypatch):
    """Every test here saves to its own folder, and no teacher's checkpoint is set."""
    folder = tmp_path / "mine"
    monkeypatch.setenv(checkpoints.FOLDER_ENV, str(folder))
    monkeypatch.delenv(checkpoints.SHARED_ENV, raising=False)
    return folder


TINY = Config(num_hidden=4, iterations=3, batch_size=8, log_every=1)


@pytest.fixture
def tiny_config():
    return TINY


@pytest.fixture(scope="module")
def tiny_network():
    """Built once: the tests read it and save it, none changes it."""
    keras.utils.set_random_seed(0)
    return model.build(TINY)


@pytest.fixture
def saved(tmp_path, tiny_network):
    path = checkpoints.save(tiny_network, tmp_path / "lstm.npz", {"test_accuracy": 0.5})
    return tiny_network, path


def rewrite(path, **changes):
    """Write a copy of the checkpoint at path with some arrays replaced (None removes one)."""
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    for name, value in changes.items():
        if value is None:
            del arrays[name]
        else:
            arrays[name] = value
    np.savez(path, **arrays)


def test_round_trip(saved, tiny_config):
    network, path = saved
    images = np.random.default_rng(0).random((2, 784), dtype=np.float32)
    loaded, metrics = checkpoints.load(path, tiny_config)
    assert metrics == {"test_accuracy": 0.5} and loaded.config == tiny_config
    np.testing.assert_array_equal(loaded(images), network(images))
    assert not list(path.parent.glob("*.partial"))


def test_config_is_stored_as_json(saved, tiny_config):
    _, path = saved
    with np.load(path) as archive:
        assert json.loads(str(archive["config"])) == tiny_config.to_dict()


def test_saved_file_is_readable_by_other_users(saved):
    _, path = saved
    mode = stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
    assert mode & stat.S_IROTH or umask & stat.S_IROTH  # readable by others unless the umask forbids it


def test_numpy_metrics_are_saved_as_numbers(tmp_path, saved):
    network, _ = saved
    path = checkpoints.save(network, tmp_path / "n.npz", {"test_accuracy": np.float32(0.25), "n": np.int64(3)})
    assert checkpoints.load(path)[1] == {"test_accuracy": 0.25, "n": 3}


def test_metrics_that_are_not_json_are_refused_before_writing(tmp_path, saved):
    network, _ = saved
    with pytest.raises(ValueError, match="metrics must be a dict of numbers and strings"):
        checkpoints.save(network, tmp_path / "m.npz", {"network": network})
    assert not (tmp_path / "m.npz").exists()


def test_another_config_is_refused_and_the_difference_named(saved, tiny_config):
    _, path = saved
    with pytest.raises(checkpoints.CheckpointError, match="num_hidden: checkpoint 4, yours 8"):
        checkpoints.load(path, tiny_config.replace(num_hidden=8))


def test_log_every_does_not_matter_for_loading(saved, tiny_config):
    _, path = saved
    loaded, _ = checkpoints.load(path, tiny_config.replace(log_every=2))
    assert loaded.config.log_every == 2


@pytest.mark.bfloat16
def test_loads_with_either_precision(saved, tiny_config):
    network, path = saved
    loaded, _ = checkpoints.load(path, tiny_config.replace(precision="mixed_bfloat16"))
    assert loaded.config.precision == "mixed_bfloat16"
    for ours, theirs in zip(loaded.get_weights(), network.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m rnnlesson train"):
        checkpoints.load(tmp_path / "none.npz")


def test_a_folder_is_not_a_checkpoint_file(saved):
    _, path = saved
    with pytest.raises(checkpoints.CheckpointError, match=r"is a folder, not a checkpoint file.*lstm\.npz"):
        checkpoints.load(path.parent)


def test_truncated_file(saved):
    _, path = saved
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(checkpoints.CheckpointError, match="not a readable rnnlesson checkpoint"):
        checkpoints.load(path)


def test_missing_weight_is_named(saved):
    network, path = saved
    rewrite(path, weight_004=None)
    expected = r"missing weight_004 \(layer 2 recurrent_kernel, shape \(4, 16\)\)"
    with pytest.raises(checkpoints.CheckpointError, match=expected):
        checkpoints.load(path)


def test_other_weight_shape_is_named(saved):
    network, path = saved
    rewrite(path, weight_001=np.zeros((3, 3), np.float32))
    expected = r"weight_001 \(layer 1 recurrent_kernel\) has shape \(3, 3\), expected \(4, 16\)"
    with pytest.raises(checkpoints.CheckpointError, match=expected):
        checkpoints.load(path)


def test_float64_weights_are_refused(saved):
    network, path = saved
    rewrite(path, weight_000=network.weights[0].numpy().astype(np.float64))
    with pytest.raises(checkpoints.CheckpointError, match="is float64, expected float32"):
        checkpoints.load(path)


def test_nan_weights_are_refused(saved):
    network, path = saved
    broken = network.weights[2].numpy().copy()
    broken[0] = np.nan
    rewrite(path, weight_002=broken)
    with pytest.raises(checkpoints.CheckpointError, match="NaN or infinite values"):
        checkpoints.load(path)


def test_unreadable_file_says_it_is_a_permission_problem(saved, monkeypatch):
    _, path = saved

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(checkpoints.np, "load", refuse)  # root reads every file: fake the refusal
    with pytest.raises(PermissionError, match=r"you may not read it.*chmod a\+r") as caught:
        checkpoints.load(path)
    assert "Delete it" not in str(caught.value)


def test_loading_needs_no_write_access(saved, tiny_config):
    _, path = saved
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        before = sorted(path.parent.iterdir())
        checkpoints.load(path, tiny_config)
        assert sorted(path.parent.iterdir()) == before
    finally:
        path.parent.chmod(0o755)


def test_failed_save_keeps_the_old_checkpoint(saved, monkeypatch):
    network, path = saved
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        checkpoints.save(network, path, {"test_accuracy": 0.9})
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize("where", ["file_as_folder", "proc", "folder"])
def test_failed_save_names_the_given_path_not_a_temporary_file(tmp_path, saved, where):
    network, _ = saved
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    target = {"file_as_folder": blocker / "lstm.npz", "proc": "/proc/lstm_mnist.npz", "folder": tmp_path}[where]
    with pytest.raises(checkpoints.SaveError) as caught:
        checkpoints.save(network, target)
    message = str(caught.value)
    assert str(target) in message and ".partial" not in message
    assert "writable folder" in message or "give the checkpoint a file name" in message


def test_name_is_derived_from_the_settings_that_change_the_weights():
    assert checkpoints.name_for(Config()) == "lstm_mnist.npz"
    assert checkpoints.name_for(Config(log_every=7)) == "lstm_mnist.npz"
    assert checkpoints.name_for(Config(precision="mixed_bfloat16")) == "lstm_mnist.npz"
    assert checkpoints.name_for(Config(num_hidden=64, keep_prob=1.0)) == "lstm_mnist-num_hidden64-keep_prob1.0.npz"
    assert checkpoints.name_for(Config(), "keras") == "lstm_mnist-datakeras.npz"
    names = {checkpoints.name_for(Config(seed=seed)) for seed in range(5)}
    assert len(names) == 5


# one change of each field but num_classes (always 10); rows and pixels per row change together (28 x 28 = 784)
CHANGES = [{"lr": 0.01}, {"timestamp_size": 56, "input_num": 14}, {"lstm_num": 1}, {"num_hidden": 8},
           {"batch_size": 16}, {"iterations": 4}, {"keep_prob": 1.0}, {"seed": 1}, {"log_every": 2},
           {"precision": "mixed_bfloat16"}]


def test_the_changes_cover_every_field():
    assert set().union(*CHANGES) == {field.name for field in dataclasses.fields(Config)} - {"num_classes"}


@pytest.mark.parametrize("changes", CHANGES, ids=lambda changes: "+".join(changes))
def test_name_shared_path_and_load_agree_on_which_fields_change_the_weights(monkeypatch, saved, tiny_config,
                                                                            changes):
    _, path = saved
    changed = tiny_config.replace(**changes)
    weights_change = not set(changes) <= {"log_every", "precision"}
    assert (checkpoints.name_for(changed) != checkpoints.name_for(tiny_config)) == weights_change
    monkeypatch.setenv(checkpoints.SHARED_ENV, str(path))
    assert (checkpoints.path_for(changed) != path) == weights_change

    class BuiltError(Exception):
        """load got past the config check and began to build the network."""

    def build(config):
        raise BuiltError

    monkeypatch.setattr(model, "build", build)
    with pytest.raises(checkpoints.CheckpointError if weights_change else BuiltError):
        checkpoints.load(path, changed)


def test_own_folder_is_the_environment_or_a_per_user_place(monkeypatch, tmp_path, own_folder):
    assert checkpoints.folder() == own_folder
    monkeypatch.delenv(checkpoints.FOLDER_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(checkpoints, "__file__", str(tmp_path / "site-packages" / "rnnlesson" / "checkpoints.py"))
    assert checkpoints.folder() == tmp_path / "data" / "rnnlesson" / "checkpoints"


def test_shared_checkpoint_is_used_only_for_its_own_config(monkeypatch, saved, tiny_config, own_folder):
    _, path = saved
    monkeypatch.setenv(checkpoints.SHARED_ENV, str(path))
    assert checkpoints.path_for(tiny_config) == path
    assert checkpoints.path_for(tiny_config.replace(log_every=5)) == path
    other = tiny_config.replace(num_hidden=8)
    assert checkpoints.path_for(other) == own_folder / checkpoints.name_for(other)
    assert checkpoints.path_for(tiny_config, "keras") == own_folder / checkpoints.name_for(tiny_config, "keras")


def test_missing_shared_checkpoint_is_a_clear_error(monkeypatch, tmp_path, tiny_config):
    monkeypatch.setenv(checkpoints.SHARED_ENV, str(tmp_path / "teacher.npz"))
    with pytest.raises(FileNotFoundError, match="RNNLESSON_CHECKPOINT is set to .*teacher.npz"):
        checkpoints.path_for(tiny_config)


@pytest.mark.slow
def test_load_or_train_trains_once_per_config_then_loads(mnist, tiny_config, own_folder):
    messages = []
    network, metrics = checkpoints.load_or_train(tiny_config, mnist=mnist, progress=False, echo=messages.append)
    path = own_folder / "lstm_mnist-num_hidden4-batch_size8-iterations3.npz"
    assert path.is_file() and "training one now" in messages[0]
    assert metrics["data"] == "embedded" and 0.0 <= metrics["test_accuracy"] <= 1.0
    again, metrics_again = checkpoints.load_or_train(tiny_config, progress=False, echo=messages.append)
    assert metrics_again == metrics
    np.testing.assert_array_equal(again.W.numpy(), network.W.numpy())
    # another config trains its own network beside the first, never loading the wrong one
    other, _ = checkpoints.load_or_train(tiny_config.replace(num_hidden=6), mnist=mnist, progress=False,
                                         echo=messages.append)
    assert other.W.shape == (6, 10) and len(list(own_folder.glob("*.npz"))) == 2


def test_load_or_train_refuses_an_unwritable_place_before_training(tmp_path, monkeypatch, tiny_config):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setenv(checkpoints.FOLDER_ENV, str(blocker / "sub"))
    trained = []
    monkeypatch.setattr("rnnlesson.train.train_network", lambda *args, **kwargs: trained.append(1))
    with pytest.raises(checkpoints.SaveError, match="RNNLESSON_CHECKPOINT_DIR"):
        checkpoints.load_or_train(tiny_config, progress=False, echo=lambda line: None)
    assert not trained


@pytest.mark.slow
def test_a_failed_save_after_training_returns_the_network(mnist, tiny_config, monkeypatch):
    def failing_save(network, path, metrics=None):
        raise checkpoints.SaveError(f"Could not save the checkpoint to {path}: disk full.")

    monkeypatch.setattr(checkpoints, "save", failing_save)
    messages = []
    network, metrics = checkpoints.load_or_train(tiny_config, mnist=mnist, progress=False, echo=messages.append)
    assert network.config == tiny_config and "test_accuracy" in metrics
    assert "disk full" in messages[-1] and "checkpoints.save(network" in messages[-1]


@pytest.fixture
def quick_training(monkeypatch):
    """train_and_save without the minutes of training: an untrained network, a test accuracy of 0.5."""
    def untrained(config, mnist, progress=True, echo=print):
        keras.utils.set_random_seed(config.seed)
        return model.build(config)

    monkeypatch.setattr("rnnlesson.train.train_network", untrained)
    monkeypatch.setattr("rnnlesson.train.evaluate", lambda network, dataset: 0.5)
    return types.SimpleNamespace(source="embedded", test=None)


def test_train_and_save_saves_where_asked(tmp_path, tiny_config, quick_training):
    messages = []
    path = tmp_path / "lstm.npz"
    network, metrics, saved_to = checkpoints.train_and_save(tiny_config, quick_training, path, echo=messages.append)
    assert saved_to == path and metrics == {"test_accuracy": 0.5, "data": "embedded"} and not messages
    loaded, loaded_metrics = checkpoints.load(path, tiny_config)
    assert loaded_metrics == metrics
    np.testing.assert_array_equal(loaded.W.numpy(), network.W.numpy())


def test_train_and_save_keeps_the_network_when_the_save_fails(tmp_path, tiny_config, quick_training):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    messages = []
    network, metrics, saved_to = checkpoints.train_and_save(tiny_config, quick_training, blocker / "lstm.npz",
                                                            echo=messages.append)
    assert saved_to is None and network.config == tiny_config and metrics["test_accuracy"] == 0.5
    assert f"Could not save the checkpoint to {blocker / 'lstm.npz'}" in messages[-1]
    assert "not lost: it is the `network` this call returned" in messages[-1]


def test_train_and_save_rescues_a_failed_save_into_another_folder(tmp_path, tiny_config, quick_training):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    messages = []
    network, _, saved_to = checkpoints.train_and_save(tiny_config, quick_training, blocker / "lstm.npz",
                                                      echo=messages.append, rescue=[tmp_path / "rescue"])
    assert saved_to == tmp_path / "rescue" / checkpoints.name_for(tiny_config)
    assert f"saved to {saved_to} instead" in messages[-1] and str(blocker / "lstm.npz") in messages[-1]
    np.testing.assert_array_equal(checkpoints.load(saved_to, tiny_config)[0].W.numpy(), network.W.numpy())


def test_train_and_save_says_when_the_rescue_fails_too(tmp_path, tiny_config, quick_training):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    messages = []
    _, _, saved_to = checkpoints.train_and_save(tiny_config, quick_training, blocker / "lstm.npz",
                                                echo=messages.append, rescue=[blocker])
    rescue = blocker / checkpoints.name_for(tiny_config)
    assert saved_to is None and not rescue.exists()
    assert f"Could not save the checkpoint to {blocker / 'lstm.npz'}" in messages[-1]
    assert f"Could not save the checkpoint to {rescue}" in messages[-1]
    assert messages[-1].endswith("It was not saved anywhere.")


def full_disk(monkeypatch, full=lambda path: True):
    """Make checkpoints.save meet a full disk (ENOSPC) when it writes to a path for which full(path) is true."""
    write = checkpoints._write

    def writer(file, contents):
        if full(Path(f"/proc/self/fd/{file.fileno()}").resolve()):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        write(file, contents)

    monkeypatch.setattr(checkpoints, "_write", writer)


def test_a_full_disk_says_what_could_not_be_saved_where_and_how_much_room_it_needs(tmp_path, saved, monkeypatch):
    network, complete = saved
    full_disk(monkeypatch)
    target = tmp_path / "new.npz"
    with pytest.raises(checkpoints.SaveError) as caught:
        checkpoints.save(network, target, {"test_accuracy": 0.5})
    message = str(caught.value)
    assert f"Could not save the checkpoint to {target}: No space left on device." in message
    needed, free = (int(number.replace(",", "")) for number in
                    re.search(r"needs ([\d,]+) bytes; ([\d,]+) bytes are free there", message).groups())
    assert needed == complete.stat().st_size  # the same network and metrics, saved when the disk had room
    assert abs(free - shutil.disk_usage(tmp_path).free) < 64 * 2**20
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no chained tracebacks
    assert not target.exists() and not list(tmp_path.glob(".*.partial"))


def test_train_and_save_on_a_full_disk_tries_every_rescue_folder_and_says_where_it_went(tmp_path, tiny_config,
                                                                                       quick_training, monkeypatch):
    full_disk(monkeypatch, full=lambda path: "rescue2" not in str(path))
    path, first, second = tmp_path / "lstm.npz", tmp_path / "rescue1", tmp_path / "rescue2"
    messages = []
    network, _, saved_to = checkpoints.train_and_save(tiny_config, quick_training, path, echo=messages.append,
                                                      rescue=[first, second])
    assert saved_to == second / checkpoints.name_for(tiny_config)
    for tried in (path, first / checkpoints.name_for(tiny_config)):
        assert f"Could not save the checkpoint to {tried}: No space left on device. The checkpoint needs" \
            in messages[-1]
    assert f"The trained network was saved to {saved_to} instead" in messages[-1]
    np.testing.assert_array_equal(checkpoints.load(saved_to, tiny_config)[0].W.numpy(), network.W.numpy())
    full_disk(monkeypatch)
    messages = []
    *_, saved_to = checkpoints.train_and_save(tiny_config, quick_training, path, echo=messages.append)
    assert saved_to is None and "bytes are free there" in messages[-1]
    assert "not lost: it is the `network` this call returned" in messages[-1]


def test_a_save_removes_what_a_killed_save_left_behind(tmp_path, small_network):
    import os
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "lstm.npz"
    # a save killed between writing its temporary file and renaming it
    code = (f"import os, signal, tempfile; descriptor, partial = tempfile.mkstemp(dir={str(tmp_path)!r}, "
            "prefix='.lstm.npz.', suffix='.partial'); os.write(descriptor, b'half a checkpoint'); "
            "os.kill(os.getpid(), signal.SIGKILL)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == -signal.SIGKILL
    killed, = tmp_path.glob(".lstm.npz.*.partial")
    fresh = tmp_path / ".lstm.npz.another.partial"  # a save in progress in another process
    fresh.write_bytes(b"")
    old = time.time() - checkpoints.STALE_PARTIAL_SECONDS - 1
    os.utime(killed, (old, old))
    checkpoints.save(small_network, path)
    assert sorted(item.name for item in tmp_path.iterdir()) == [fresh.name, "lstm.npz"]


RESAVER = """
import sys, time
from pathlib import Path
import keras
from rnnlesson import checkpoints, model
from rnnlesson.config import Config

folder = Path(sys.argv[1])
networks = []
for seed in (0, 1):  # the same shape, other weights
    keras.utils.set_random_seed(seed)
    network = model.build(Config(num_hidden=4, iterations=3, batch_size=8, seed=seed))
    checkpoints.save(network, folder / f"seed{seed}.npz")
    networks.append(network)
(folder / "ready").touch()
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    for network in networks:
        checkpoints.save(network, folder / "shared.npz")
"""


@pytest.mark.slow
def test_a_load_takes_config_and_weights_from_one_file_while_another_process_saves(tmp_path, monkeypatch):
    import subprocess
    import sys
    import time

    built, build = {}, model.build  # a network per config, built once: the test is about reading the file
    monkeypatch.setattr(model, "build", lambda config: built.get(config) or built.setdefault(config, build(config)))
    seconds = 30
    saver = subprocess.Popen([sys.executable, "-c", RESAVER, str(tmp_path), str(seconds + 60)])
    try:
        while not (tmp_path / "ready").exists():
            assert saver.poll() is None, "the saving process ended before it began to save"
            time.sleep(0.1)
        known = {seed: checkpoints.load(tmp_path / f"seed{seed}.npz")[0].W.numpy() for seed in (0, 1)}
        assert not np.array_equal(known[0], known[1])
        loads, mixed, end = 0, 0, time.monotonic() + seconds
        while time.monotonic() < end:
            network, _ = checkpoints.load(tmp_path / "shared.npz")
            loads += 1
            mixed += not np.array_equal(network.W.numpy(), known[network.config.seed])
    finally:
        saver.kill()
        saver.wait()
    assert loads > 20 and mixed == 0, f"{mixed} of {loads} loads mixed one file's config with another's weights"


@pytest.mark.slow
def test_load_or_train_with_a_diverging_lr_raises_and_saves_nothing(mnist, tiny_config, own_folder):
    from rnnlesson import train

    config = tiny_config.replace(lr=1e38, iterations=20)
    for _ in range(2):  # the second call trains again: no NaN network was left to be found
        with pytest.raises(train.DivergedError, match=r"lr=1e\+38"):
            checkpoints.load_or_train(config, mnist=mnist, progress=False, echo=lambda line: None)
    assert not list(own_folder.iterdir())


@pytest.mark.slow
def test_load_or_train_says_when_the_network_ends_near_chance(mnist, tiny_config):
    messages = []
    config = tiny_config.replace(keep_prob=1e-6)
    _, metrics = checkpoints.load_or_train(config, mnist=mnist, progress=False, echo=messages.append)
    assert metrics["test_accuracy"] < 0.12  # what the warning is about, measured
    warning, = [line for line in messages if "near chance" in line]
    assert f"{metrics['test_accuracy']:.1%}" in warning and "keep_prob=1e-06 (default 0.5)" in warning


@pytest.fixture
def said(monkeypatch):
    """What path_for echoes, with this process's 'said once' forgotten."""
    monkeypatch.setattr(checkpoints, "_told", set())
    return []


def test_a_shared_checkpoint_for_other_settings_is_named_once_and_yours_trains_its_own(monkeypatch, saved,
                                                                                     tiny_config, own_folder, said):
    _, path = saved
    monkeypatch.setenv(checkpoints.SHARED_ENV, str(path))
    other = tiny_config.replace(num_hidden=8)
    for config in (other, other, tiny_config.replace(lr=0.5)):
        assert checkpoints.path_for(config, echo=said.append) == own_folder / checkpoints.name_for(config)
    message, = said
    assert f"$RNNLESSON_CHECKPOINT names {path}" in message and "num_hidden: the file 4, yours 8" in message
    assert f"its own checkpoint, {own_folder / checkpoints.name_for(other)}, and trains it" in message
    assert checkpoints.path_for(tiny_config, echo=said.append) == path and len(said) == 1


def test_a_corrupt_shared_checkpoint_leaves_every_configuration_its_own(monkeypatch, tmp_path, tiny_config,
                                                                       own_folder, said):
    teacher = tmp_path / "teacher.npz"
    teacher.write_bytes(b"not a checkpoint")
    monkeypatch.setenv(checkpoints.SHARED_ENV, str(teacher))
    for config in (tiny_config, tiny_config.replace(num_hidden=8), Config()):
        assert checkpoints.path_for(config, echo=said.append) == own_folder / checkpoints.name_for(config)
    message, = said
    assert f"$RNNLESSON_CHECKPOINT names {teacher}, which is not a readable checkpoint" in message
    assert "Ask whoever set it (your teacher?)" in message and "train again" not in message.lower()


def test_a_shared_checkpoint_that_is_a_folder_gets_a_fix_that_works(monkeypatch, saved, tmp_path, tiny_config):
    folder = tmp_path / "class"
    folder.mkdir()
    monkeypatch.setenv(checkpoints.SHARED_ENV, str(folder))
    with pytest.raises(FileNotFoundError, match="RNNLESSON_CHECKPOINT is set to .*class, but that is a folder"
                       ) as caught:
        checkpoints.path_for(tiny_config)
    suggested = re.search(r"train --out (\S+)`", str(caught.value)).group(1)
    checkpoints.save(saved[0], checkpoints.check_writable(suggested))  # what the message asks for works
    monkeypatch.setenv(checkpoints.SHARED_ENV, suggested)
    assert str(checkpoints.path_for(tiny_config)) == suggested


def test_a_checkpoint_folder_that_is_a_file_or_relative_is_refused_with_a_fix(monkeypatch, tmp_path, tiny_config):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setenv(checkpoints.FOLDER_ENV, str(blocker))
    with pytest.raises(NotADirectoryError, match="RNNLESSON_CHECKPOINT_DIR names a file") as caught:
        checkpoints.own_path(tiny_config)
    monkeypatch.setenv(checkpoints.FOLDER_ENV, re.search(r"such as RNNLESSON_CHECKPOINT_DIR=(\S+),",
                                                         str(caught.value)).group(1))
    assert checkpoints.own_path(tiny_config) == tmp_path / checkpoints.name_for(tiny_config)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(checkpoints.FOLDER_ENV, "ckpt")
    with pytest.raises(ValueError, match="RNNLESSON_CHECKPOINT_DIR is a relative path, 'ckpt'") as caught:
        checkpoints.folder()
    assert f"RNNLESSON_CHECKPOINT_DIR={tmp_path / 'ckpt'}." in str(caught.value)


def test_notebook_01_saves_the_network_under_the_config_it_was_built_with(tiny_network, tiny_config, own_folder):
    from rnnlesson import train

    cell = notebook_cells.code_defining("01_train.ipynb", "checkpoints.save(network")
    changed = Config(num_hidden=64)  # the Setup cell changed and run again, the network not rebuilt
    namespace = {"checkpoints": checkpoints, "network": tiny_network, "config": changed, "test_accuracy": 0.5,
                 "mnist": types.SimpleNamespace(source="embedded"), "train": train}
    exec(cell, namespace)  # noqa: S102 - the notebook's save cell
    assert namespace["path"] == own_folder / checkpoints.name_for(tiny_config)
    assert not (own_folder / checkpoints.name_for(changed)).exists()
    assert checkpoints.read_description(namespace["path"])[0] == tiny_config
