"""Train the lesson's LSTM the tutorial's way (a next_batch loop), evaluate it, save and load it."""

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from rnnlesson import config as lesson_config
from rnnlesson import model

CHECKPOINT_NAME = "lstm_mnist.npz"


class CheckpointError(ValueError):
    """A checkpoint is unreadable, or was made for another configuration."""


def loss_from_logits(labels, logits):
    """Cross-entropy per image, averaged over the batch, computed stably from logits.

    labels: (batch, num_classes) one-hot; logits: (batch, num_classes).
    """
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def tutorial_loss(labels, logits):
    """The tutorial's -tf.reduce_mean(y * tf.log(y_pre)): a mean over classes too, and log(0) = -inf."""
    return -tf.reduce_mean(labels * tf.math.log(tf.nn.softmax(logits)))


def accuracy(labels, logits):
    """Share of images whose highest score is the true class."""
    correct = tf.equal(tf.argmax(logits, axis=1), tf.argmax(labels, axis=1))
    return tf.reduce_mean(tf.cast(correct, tf.float32))


def make_train_step(network, optimizer):
    """One compiled iteration: forward with dropout on, loss, gradients, Adam update."""
    if not optimizer.built:
        optimizer.build(network.trainable_variables)  # Adam's slots made here, so the step is traced only once

    @tf.function(reduce_retracing=True)
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            logits = network(images, training=True)
            loss = loss_from_logits(labels, logits)
        gradients = tape.gradient(loss, network.trainable_variables)
        optimizer.apply_gradients(zip(gradients, network.trainable_variables))
        return loss, accuracy(labels, logits)

    return train_step


def make_logits_function(network):
    """The forward pass with dropout off, compiled once for any batch size."""
    return tf.function(lambda images: network(images, training=False), reduce_retracing=True)


@dataclass
class History:
    """Loss and accuracy of every training batch (dropout on), and the tutorial's log lines."""

    loss: np.ndarray = field(default_factory=lambda: np.zeros(0))
    accuracy: np.ndarray = field(default_factory=lambda: np.zeros(0))
    log: list = field(default_factory=list)  # (iteration, epochs_completed, batch accuracy, dropout off)


def fit(network, mnist, config, progress=True, echo=print):
    """Run config.iterations steps of next_batch(config.batch_size), as the tutorial did."""
    from tqdm.auto import tqdm

    optimizer = keras.optimizers.Adam(learning_rate=config.lr)
    train_step = make_train_step(network, optimizer)
    logits_of = make_logits_function(network)
    losses, accuracies, log = [], [], []
    # a progress update at most every 2 s: in a notebook each one is a message to the front end,
    # and thousands of them can overflow the kernel's output channel during a long cell
    for iteration in tqdm(range(config.iterations), disable=not progress, desc="training", mininterval=2.0):
        images, labels = mnist.train.next_batch(config.batch_size)
        if iteration % config.log_every == 0:
            batch_accuracy = float(accuracy(labels, logits_of(images)))
            log.append((iteration, mnist.train.epochs_completed, batch_accuracy))
            echo(f"train epoch {mnist.train.epochs_completed} iteration {iteration} "
                 f"train accuracy {batch_accuracy:.4f}")
        loss, batch_accuracy = train_step(images, labels)
        losses.append(loss)
        accuracies.append(batch_accuracy)
    return History(np.array(losses, dtype=np.float32), np.array(accuracies, dtype=np.float32), log)


def evaluate(network, dataset, batch_size=1000):
    """Accuracy on a whole DataSet with dropout off."""
    logits_of = make_logits_function(network)
    images, digits = dataset.images, dataset.digits
    predictions = np.concatenate([
        np.argmax(logits_of(images[start:start + batch_size]).numpy(), axis=1)
        for start in range(0, len(images), batch_size)
    ])
    return float(np.mean(predictions == digits))


def default_checkpoint_path():
    """$RNNLESSON_CHECKPOINT if set, else checkpoints/lstm_mnist.npz at the project's top."""
    if os.environ.get("RNNLESSON_CHECKPOINT"):
        return Path(os.environ["RNNLESSON_CHECKPOINT"])
    return Path(__file__).resolve().parents[1] / "checkpoints" / CHECKPOINT_NAME


def save_checkpoint(network, path, metrics=None):
    """Write weights, config and metrics to one .npz; a failed write leaves any old file intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"weight_{index:03d}": variable.numpy() for index, variable in enumerate(network.weights)}
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as file:
            np.savez(
                file,
                config=json.dumps(network.config.to_dict()),
                metrics=json.dumps(metrics or {}),
                **arrays,
            )
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)  # atomic on POSIX and Windows
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(path, config=None):
    """Rebuild the network saved at path; with config, refuse a checkpoint made for another one.

    Only config.precision may differ: float32 weights trained with bfloat16 products load into either.

    Returns (network, metrics).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No checkpoint at {path}. Run notebook 01 (or train.load_or_train) to make one.")
    try:
        with np.load(path, allow_pickle=False) as archive:
            saved_config = lesson_config.Config.from_dict(json.loads(str(archive["config"])))
            metrics = json.loads(str(archive["metrics"]))
            weights = [archive[name] for name in sorted(archive.files) if name.startswith("weight_")]
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError) as error:
        raise CheckpointError(
            f"{path} is not a readable rnnlesson checkpoint ({type(error).__name__}: {error}). "
            "Delete it and train again with notebook 01."
        ) from error
    # precision only says how the products are computed: the weights are float32 either way
    differences = config.differences(saved_config) if config is not None else {}
    differences.pop("precision", None)
    if differences:
        listed = "; ".join(
            f"{name}: checkpoint {saved!r}, yours {wanted!r}" for name, (wanted, saved) in differences.items()
        )
        raise CheckpointError(
            f"{path} was trained with another configuration ({listed}). Train again with "
            "notebook 01 using your config, or load it with the checkpoint's own config (config=None)."
        )
    network = model.build(config or saved_config)
    expected = [tuple(variable.shape) for variable in network.weights]
    if [array.shape for array in weights] != expected:
        raise CheckpointError(f"{path} holds weights of shapes {[a.shape for a in weights]}, expected {expected}.")
    network.set_weights(weights)
    return network, metrics


def load_or_train(config, path=None, mnist=None, progress=False, echo=print):
    """Load the checkpoint for config, or train one, save it and return it: (network, metrics)."""
    path = Path(path) if path is not None else default_checkpoint_path()
    if path.exists():
        return load_checkpoint(path, config)
    from rnnlesson import data

    echo(f"No checkpoint at {path}: training one now ({config.iterations} iterations).")
    mnist = mnist or data.load_mnist(seed=config.seed)
    keras.utils.set_random_seed(config.seed)
    network = model.build(config)
    fit(network, mnist, config, progress=progress, echo=echo)
    metrics = {"test_accuracy": evaluate(network, mnist.test), "data": mnist.source}
    save_checkpoint(network, path, metrics)
    return network, metrics
