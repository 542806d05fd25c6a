"""Train the lesson's LSTM the tutorial's way (a next_batch loop) and evaluate it."""

import functools
import weakref
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from rnnlesson import i18n, model
from rnnlesson.config import NOT_IN_WEIGHTS, Config

CHANCE = 0.1  # the accuracy of guessing one of 10 digits
NEAR_CHANCE = 0.02  # a test accuracy within this of CHANCE: the network learnt next to nothing


class DivergedError(ValueError):
    """The loss became NaN or infinite: the training diverged and its weights are useless."""


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


_logits_functions = weakref.WeakKeyDictionary()  # network -> its compiled forward pass


def _logits(owner, images):
    return owner()(images, training=False)


def make_logits_function(network):
    """The forward pass with dropout off, compiled once per network for any batch size."""
    if network not in _logits_functions:
        # a partial, not a lambda: TensorFlow counts the tracings of all functions that share one code object
        # and warns about "retracing" once a few networks have each traced theirs
        owner = weakref.ref(network)  # the function must not keep the network alive
        _logits_functions[network] = tf.function(functools.partial(_logits, owner), reduce_retracing=True)
    return _logits_functions[network]


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
    iteration = 0
    try:
        for iteration in tqdm(range(config.iterations), disable=not progress, desc=i18n.text("training"),
                              mininterval=2.0):
            images, labels = mnist.train.next_batch(config.batch_size)
            if iteration % config.log_every == 0:
                batch_accuracy = float(accuracy(labels, logits_of(images)))
                log.append((iteration, mnist.train.epochs_completed, batch_accuracy))
                echo(f"train epoch {mnist.train.epochs_completed} iteration {iteration} "
                     f"train accuracy {batch_accuracy:.4f}")
            loss, batch_accuracy = train_step(images, labels)
            if not np.isfinite(float(loss)):
                raise DivergedError(f"The training diverged: at iteration {iteration:,} the loss became "
                                    f"{float(loss)}. It was stopped there and nothing was saved. With "
                                    f"{settings(config)}; a smaller lr (the default is {Config().lr}) keeps "
                                    "Adam's steps small enough to learn.")
            losses.append(loss)
            accuracies.append(batch_accuracy)
    except KeyboardInterrupt:
        raise KeyboardInterrupt(f"after {iteration:,} of {config.iterations:,} iterations") from None
    history = History(np.array(losses, dtype=np.float32), np.array(accuracies, dtype=np.float32), log)
    if (warning := loss_grew_warning(config, history.loss)) is not None:
        echo(warning)
    return history


def settings(config):
    """The fields of config that change the weights and differ from the defaults, as 'lr=1000.0, ...'."""
    default = Config()
    changed = [f"{name}={value!r} (default {default_value!r})" for name, (value, default_value)
               in config.differences(default).items() if name not in NOT_IN_WEIGHTS]
    return "settings " + ", ".join(changed) if changed else "the default settings"


def loss_grew_warning(config, losses):
    """A warning when the mean loss of the last tenth of the batches is above the first batch's loss."""
    last = losses[-max(1, len(losses) // 10):].mean() if len(losses) > 1 else None
    if last is None or not last > losses[0]:
        return None
    return (f"Warning: the loss grew during training, from {losses[0]:.3g} (first batch) to {last:.3g} (mean "
            f"of the last tenth): the network did not learn. It was trained with {settings(config)}; a smaller "
            "lr usually fixes this.")


def near_chance_warning(config, test_accuracy):
    """A warning when the test accuracy is within NEAR_CHANCE of guessing (10%)."""
    if test_accuracy > CHANCE + NEAR_CHANCE:
        return None
    return (f"Warning: the test accuracy, {test_accuracy:.1%}, is near chance ({CHANCE:.0%}, a guess among "
            f"10 digits): the network learnt next to nothing. It was trained with {settings(config)}; move "
            "them toward the defaults, or train for more iterations.")


def train_network(config, mnist, progress=True, echo=print):
    """A network for config, seeded and trained from scratch: what notebook 01 does, in one call."""
    keras.utils.set_random_seed(config.seed)
    network = model.build(config)
    fit(network, mnist, config, progress=progress, echo=echo)
    return network


def evaluate(network, dataset, batch_size=1000):
    """Accuracy on a whole DataSet with dropout off."""
    logits_of = make_logits_function(network)
    images, digits = dataset.images, dataset.digits
    predictions = np.concatenate([
        np.argmax(logits_of(images[start:start + batch_size]).numpy(), axis=1)
        for start in range(0, len(images), batch_size)
    ])
    return float(np.mean(predictions == digits))
