"""Save, find and load the trained network: one checkpoint file per configuration, readable by everyone."""

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

from rnnlesson import config as lesson_config
from rnnlesson import data

STEM = "lstm_mnist"
SHARED_ENV = "RNNLESSON_CHECKPOINT"  # a teacher's checkpoint file, shared read-only by a class
FOLDER_ENV = "RNNLESSON_CHECKPOINT_DIR"  # where a user's own checkpoints go


class CheckpointError(ValueError):
    """A checkpoint is unreadable, damaged, or was made for another configuration."""


class SaveError(OSError):
    """A checkpoint could not be written where it was asked to go."""


def name_for(config, source="embedded"):
    """The file name for config's network: the default config gives lstm_mnist.npz.

    Every other config adds the fields that differ from the default, for example
    lstm_mnist-num_hidden64-keep_prob1.0.npz, except those that do not change the weights
    (config.NOT_IN_WEIGHTS: log_every, precision); a data source other than the embedded digits is added too,
    a folder or file by its resolved path (data.source_name), so every spelling of it gives one name.
    """
    parts = [f"{name}{value}" for name, (value, _) in config.weight_differences(lesson_config.Config()).items()]
    source = data.source_name(source)
    if source != "embedded":
        tag = source if source == "keras" else hashlib.sha1(source.encode()).hexdigest()[:8]
        parts.append(f"data{tag}")
    return "-".join([STEM, *parts]) + ".npz"


def folder():
    """Where a user's own checkpoints go.

    $RNNLESSON_CHECKPOINT_DIR if set (an absolute path: a relative one would name another folder for every
    notebook's working folder); else checkpoints/ in the project, when the package runs from a source
    checkout you may write to; else a per-user data folder (~/.local/share/rnnlesson/checkpoints on Linux),
    never inside an installed package.
    """
    if os.environ.get(FOLDER_ENV):
        return _folder_from_environment(os.environ[FOLDER_ENV])
    project = Path(__file__).resolve().parents[1]
    if (project / "pyproject.toml").is_file() and (project / "notebooks").is_dir():
        place = project / "checkpoints"
        if os.access(place if place.exists() else project, os.W_OK):
            return place
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "rnnlesson" / "checkpoints"


def _folder_from_environment(value):
    place = Path(value).expanduser()
    if not place.is_absolute():
        raise ValueError(
            f"${FOLDER_ENV} is a relative path, {value!r}: every notebook and command would read it from its own "
            f"working folder and train its own copy of each checkpoint. Give an absolute path, such as "
            f"{FOLDER_ENV}={place.resolve()}."
        )
    if place.exists() and not place.is_dir():
        raise NotADirectoryError(
            f"${FOLDER_ENV} names a file, {place}; it must name a folder, where your checkpoints are saved. "
            f"Set it to a folder, such as {FOLDER_ENV}={place.parent}, or unset it."
        )
    return place


def own_path(config, source="embedded"):
    """Where this user's checkpoint for config is saved: folder() / name_for(config)."""
    return folder() / name_for(config, source)


_told = set()  # (shared file, what about it) already said in this process


def path_for(config, source="embedded", echo=print):
    """Where the network for config is loaded from.

    The teacher's shared file $RNNLESSON_CHECKPOINT when it is set and was trained with this config (and data);
    otherwise own_path(config): a changed config never loads a network trained with another one. When the
    shared file is for other settings or unreadable, echo says so once per process.
    """
    shared = os.environ.get(SHARED_ENV)
    own = own_path(config, source)
    if not shared:
        return own
    shared = _shared_file(Path(shared).expanduser(), config, source)
    try:
        saved_config, metrics = read_description(shared)
    except CheckpointError:
        _say_once(echo, shared, "unreadable",
                  f"${SHARED_ENV} names {shared}, which is not a readable checkpoint (damaged, or not one). Ask "
                  f"whoever set it (your teacher?) to save it again with `python -m rnnlesson train --out "
                  f"{shared} --replace`. Until then this configuration uses its own checkpoint, {own}.")
        return own
    differences = _differences(saved_config, metrics, config, source)
    if not differences:
        return shared
    _say_once(echo, shared, "other settings",
              f"${SHARED_ENV} names {shared}, a network trained with other settings "
              f"({_listed(differences, 'the file', 'yours')}), so this configuration uses its own checkpoint, "
              f"{own}, and trains it if it is not there yet.")
    return own


def _shared_file(shared, config, source):
    """shared if it is a file; else an error naming $RNNLESSON_CHECKPOINT, what it should be and whom to ask."""
    if shared.is_file():
        return shared
    suggested = shared / name_for(config, source) if shared.is_dir() else shared
    what = "that is a folder, not a checkpoint file" if shared.is_dir() else "there is no checkpoint file there"
    raise FileNotFoundError(
        f"${SHARED_ENV} is set to {shared}, but {what}. It must name a checkpoint file: ask whoever "
        f"set it (your teacher?) to run `python -m rnnlesson train --out {suggested}` and set {SHARED_ENV} to "
        f"that file, or unset {SHARED_ENV} to train your own."
    )


def _say_once(echo, shared, about, message):
    if (shared, about) not in _told:
        _told.add((shared, about))
        echo(message)


def save(network, path, metrics=None):
    """Write weights, config and metrics to one .npz that every user may read; returns its path.

    The file is written under a temporary name and then renamed, so a failed save leaves any old file intact.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise SaveError(f"{path} is a folder; give the checkpoint a file name, such as "
                        f"{path / name_for(network.config)}.")
    contents = _archive_bytes(network, metrics or {})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as error:
        raise _save_error(path, error, len(contents)) from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            _write(file, contents)
        os.chmod(partial, 0o666 & ~_umask())  # mkstemp makes it private (0600): others could not load it
        os.replace(partial, path)  # atomic on POSIX and Windows
        _remove_stale_partials(path)
    except OSError as error:
        Path(partial).unlink(missing_ok=True)
        raise _save_error(path, error, len(contents)) from None
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path


def _archive_bytes(network, metrics):
    """The whole .npz in memory: its size is known before a byte is written."""
    metrics_json = _metrics_json(metrics)
    arrays = {f"weight_{index:03d}": variable.numpy() for index, variable in enumerate(network.weights)}
    buffer = io.BytesIO()
    np.savez(buffer, config=json.dumps(network.config.to_dict()), metrics=metrics_json, **arrays)
    return buffer.getvalue()


def _write(file, contents):
    file.write(contents)
    file.flush()
    os.fsync(file.fileno())


STALE_PARTIAL_SECONDS = 600  # a save takes seconds: an older .partial file was left by a killed one


def _remove_stale_partials(path):
    """Remove the temporary files of saves to path that were killed before they could clean up."""
    for partial in path.parent.glob(f".{path.name}.*.partial"):
        with contextlib.suppress(OSError):  # another process may remove it first, or own it
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
                partial.unlink()


def read_description(path):
    """(config, metrics) stored in a checkpoint, without building the network."""
    with _opened(path) as archive:
        return _description(archive, path)


def _description(archive, path):
    try:
        return (lesson_config.Config.from_dict(json.loads(str(archive["config"]))),
                json.loads(str(archive["metrics"])))
    except (KeyError, ValueError, TypeError) as error:
        raise _unreadable(path, error) from error


def load(path, config=None):
    """Rebuild the network saved at path; with config, refuse a checkpoint made for another one.

    The file is read once, so its config, metrics and weights come from the same save even while another
    process replaces it. Only reads: loading never needs write access to the file or its folder.
    Returns (network, metrics).
    """
    from rnnlesson import model

    path = Path(path).expanduser()
    with _opened(path) as archive:
        saved_config, metrics = _description(archive, path)
        differences = saved_config.weight_differences(config) if config is not None else {}
        if differences:
            raise CheckpointError(
                f"{path} was trained with another configuration "
                f"({_listed(differences, 'checkpoint', 'yours')}). Load it with its own config "
                "(config=None), or let checkpoints.load_or_train(config) train the network for yours."
            )
        try:
            weights = {name: archive[name] for name in archive.files if name.startswith("weight_")}
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as error:
            raise _unreadable(path, error) from error
    network = model.build(config or saved_config)
    _check_weights(path, weights, network)
    network.set_weights([weights[f"weight_{index:03d}"] for index in range(len(network.weights))])
    return network, metrics


def load_or_train(config, mnist=None, progress=True, echo=print):
    """The network for config: loaded from path_for(config), or trained, saved and returned.

    Returns (network, metrics). A failed save does not lose the training: the network is returned anyway.
    """
    source = mnist.source if mnist is not None else "embedded"
    path = path_for(config, source, echo)
    if path.exists():
        return load(path, config)
    check_writable(path)
    echo(f"No checkpoint for this configuration yet ({path.name}): training one now, "
         f"{config.iterations:,} iterations; the progress bar shows the time left.")
    mnist = mnist or data.load_mnist(seed=config.seed)
    network, metrics, saved_to = train_and_save(config, mnist, path, progress=progress, echo=echo)
    if saved_to is not None:
        echo(f"Saved to {saved_to}.")
    return network, metrics


def check_not_another_configuration(path, config, source="embedded"):
    """Refuse to replace a checkpoint at path that holds another configuration's network (others may use it)."""
    path = Path(path).expanduser()
    if not path.exists():
        return
    try:
        saved_config, metrics = read_description(path)
    except CheckpointError:
        raise CheckpointError(f"{path} exists and is not a readable checkpoint. Choose another --out, or add "
                              "--replace to overwrite it.") from None
    differences = _differences(saved_config, metrics, config, source)
    if differences:
        raise CheckpointError(
            f"{path} holds a network trained with other settings ({_listed(differences, 'the file', 'now')}); "
            "whoever loads it for those settings "
            "would lose it. Choose another --out, or add --replace to replace it on purpose."
        )


def _differences(saved_config, metrics, config, source):
    """What differs between a checkpoint (its config and metrics) and config with source, that the weights see."""
    differences = saved_config.weight_differences(config)
    if metrics.get("data", "embedded") != data.source_name(source):
        differences["data"] = (metrics.get("data", "embedded"), data.source_name(source))
    return differences


def _listed(differences, saved_as, wanted_as):
    """{name: (saved, wanted)} as "num_hidden: checkpoint 64, yours 256; ..."."""
    return "; ".join(f"{name}: {saved_as} {saved!r}, {wanted_as} {wanted!r}"
                     for name, (saved, wanted) in differences.items())


def train_and_save(config, mnist, path, progress=True, echo=print, rescue=()):
    """Train a network for config on mnist, measure its test accuracy and save it to path.

    Returns (network, metrics, saved_to): saved_to is path, or None when the save failed, which is echoed.
    A training that diverges raises train.DivergedError and saves nothing.
    rescue: folders where a failed save is tried again, in order, as folder / name_for(config, mnist.source);
    saved_to is then the file that worked. Call check_writable(path) first, before minutes of training.
    """
    from rnnlesson import train

    network = train.train_network(config, mnist, progress=progress, echo=echo)
    metrics = {"test_accuracy": train.evaluate(network, mnist.test), "data": mnist.source}
    if (warning := train.near_chance_warning(config, metrics["test_accuracy"])) is not None:
        echo(warning)
    failures = []
    for place in [path, *(Path(folder) / name_for(config, mnist.source) for folder in rescue)]:
        try:
            saved_to = save(network, place, metrics)
        except SaveError as error:
            failures.append(str(error))
            continue
        if failures:
            echo("\n".join(failures) + f"\nThe trained network was saved to {saved_to} instead: move it where "
                 "you want it.")
        return network, metrics, saved_to
    kept = ("It was not saved anywhere" if rescue else
            "The trained network is not lost: it is the `network` this call returned. Save it elsewhere with "
            "checkpoints.save(network, 'some/folder/lstm_mnist.npz', metrics)")
    echo("\n".join(failures) + f"\n{kept}.")
    return network, metrics, None


@contextlib.contextmanager
def _opened(path):
    """np.load with clear errors for a folder, a missing, unreadable or damaged file."""
    path = Path(path).expanduser()
    if path.is_dir():
        found = sorted(item.name for item in path.glob("*.npz"))
        raise CheckpointError(
            f"{path} is a folder, not a checkpoint file. Give the path of the .npz file"
            + (f" inside it (it holds {', '.join(found)})." if found else "; this folder holds none.")
        )
    if not path.exists():
        raise FileNotFoundError(
            f"No checkpoint at {path}. Make one with notebook 01, checkpoints.load_or_train(config) "
            f"or `python -m rnnlesson train --out {path}`."
        )
    try:
        archive = np.load(io.BytesIO(path.read_bytes()), allow_pickle=False)  # one read: one save's contents
    except PermissionError as error:
        raise PermissionError(
            f"{path} exists but you may not read it ({_mode(path)}). Its owner can share it with "
            f"`chmod a+r {path}` (and `chmod a+rx` on its folder), or save it again with "
            "checkpoints.save, which writes files every user may read."
        ) from error
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise _unreadable(path, error) from error
    with archive:
        yield archive


def _check_weights(path, weights, network):
    names = _readable_names(network)
    wanted = {f"weight_{index:03d}": (name, tuple(variable.shape))
              for index, (name, variable) in enumerate(zip(names, network.weights))}
    missing = [f"{key} ({name}, shape {shape})" for key, (name, shape) in wanted.items() if key not in weights]
    extra = sorted(set(weights) - set(wanted))
    if missing or extra:
        raise CheckpointError(
            f"{path} does not hold the weights of this network: "
            + (f"missing {', '.join(missing)}" if missing else "")
            + ("; " if missing and extra else "")
            + (f"unexpected {', '.join(extra)}" if extra else "")
            + ". The file is incomplete or from other code: train again and save it anew."
        )
    for key, (name, shape) in wanted.items():
        array = weights[key]
        if array.shape != shape:
            raise CheckpointError(
                f"{path}: {key} ({name}) has shape {array.shape}, expected {shape}. "
                "The file is from other code: train again and save it anew."
            )
        if array.dtype != np.float32:
            raise CheckpointError(
                f"{path}: {key} ({name}) is {array.dtype}, expected float32; checkpoints.save writes float32. "
                "Train again and save it anew."
            )
        if not np.all(np.isfinite(array)):
            raise CheckpointError(
                f"{path}: {key} ({name}) holds NaN or infinite values: the training that made it diverged. "
                "Train again (a smaller lr helps)."
            )


def _readable_names(network):
    """'layer 1 kernel', ..., 'W', 'b': the lesson's names for network.weights, in their order."""
    known = {id(network.W): "W", id(network.b): "b"}
    for number, layer in enumerate(network.rnn_layers, start=1):
        known.update({id(variable): f"layer {number} {variable.name}" for variable in layer.cell.weights})
    return [known.get(id(variable), variable.name) for variable in network.weights]


def _metrics_json(metrics):
    def plain(value):
        if isinstance(value, (np.generic, np.ndarray)):
            return value.tolist()
        raise TypeError
    try:
        return json.dumps(metrics, default=plain)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"metrics must be a dict of numbers and strings (NumPy numbers are fine), got {metrics!r}."
        ) from error


def _unreadable(path, error):
    return CheckpointError(
        f"{path} is not a readable rnnlesson checkpoint ({type(error).__name__}: {error}): the file is damaged "
        "or not a checkpoint. Train again (notebook 01 or checkpoints.load_or_train) to replace it."
    )


def _save_error(path, error, size=None):
    """A SaveError naming path, the reason, and the room the checkpoint needs against the room there is."""
    reason = error.strerror or str(error)
    room = "" if size is None else f" The checkpoint needs {size:,} bytes"
    free = _free_bytes(path.parent)
    if room and free is not None:
        room += f"; {free:,} bytes are free there"
    return SaveError(
        f"Could not save the checkpoint to {path}: {reason}.{room and room + '.'} Choose a place you can write "
        f"to, for example checkpoints.save(network, '~/{path.name}'), or set {FOLDER_ENV} to a writable folder."
    )


def _free_bytes(folder):
    """Free bytes on the disk that holds folder (or its nearest existing parent), None if unknown."""
    for place in (folder, *folder.parents):
        with contextlib.suppress(OSError):
            if place.is_dir():
                return shutil.disk_usage(place).free
    return None


def check_writable(path):
    """Fail before minutes of training, not after, if a checkpoint could not be saved at path; returns it."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise SaveError(f"{path} is a folder; give the checkpoint a file name, such as {path / (STEM + '.npz')}.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as error:
        raise _save_error(path, error) from None
    return path


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode(path):
    try:
        info = path.stat()
    except OSError:
        return "its folder may not be read"
    return f"mode {info.st_mode & 0o777:o}, owner uid {info.st_uid}"
