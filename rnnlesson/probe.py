"""Look inside a trained network: every step's output and state, and what W and b make of each."""

from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from rnnlesson import i18n


@dataclass(frozen=True)
class Trace:
    """Everything the unroll produced for a batch of images, as NumPy arrays.

    Rows read 1..timestamp_size are indices 0..timestamp_size - 1 of the first axis.
    """

    outputs: np.ndarray  # (timestamp_size, batch, num_hidden): what the stack emitted after each row
    h: np.ndarray  # (timestamp_size, lstm_num, batch, num_hidden): each layer's h after each row
    c: np.ndarray  # (timestamp_size, lstm_num, batch, num_hidden): each layer's c after each row
    # with gates=True, the gates after their activations, same shape as h; otherwise None
    i: np.ndarray | None = None  # input gate, sigmoid: how much of the candidate g is written into c
    f: np.ndarray | None = None  # forget gate, sigmoid: how much of the previous c is kept
    g: np.ndarray | None = None  # candidate, tanh: what could be written into c
    o: np.ndarray | None = None  # output gate, sigmoid: how much of tanh(c) is shown as h


def trace(network, images, training=False, gates=False):
    """Run the step-by-step unroll on images and keep every output and every layer's [h, c].

    With gates=True, also the gates i, f, g, o of every layer after every row, recomputed from
    the cells' weights and the traced inputs and states (dropout must be off: training=False).
    """
    if gates and training:
        raise ValueError("trace(..., gates=True) needs training=False: with dropout on, the input each "
                         "upper layer read was a random mask of the traced h and cannot be recomputed.")
    images = checked_images(network, images, "trace")
    outputs, states = network.unroll(images, training=training, all_states=True)
    h = np.asarray([[layer_state[0] for layer_state in step] for step in states])
    c = np.asarray([[layer_state[1] for layer_state in step] for step in states])
    if not gates:
        return Trace(outputs=np.asarray(outputs), h=h, c=c)
    rows = np.transpose(np.asarray(network.as_rows(images)), (1, 0, 2))  # (timestamp_size, batch, input_num)
    layer_gates = [cell_gates(layer.cell, rows if number == 0 else h[:, number - 1], h[:, number])
                   for number, layer in enumerate(network.rnn_layers)]
    i, f, g, o = (np.stack([each[k] for each in layer_gates], axis=1) for k in range(4))
    return Trace(outputs=np.asarray(outputs), h=h, c=c, i=i, f=f, g=g, o=o)


def cell_gates(cell, inputs, h):
    """One LSTM layer's gates at every row: inputs (rows, batch, features), h (rows, batch, units) -> i, f, g, o.

    The gates at row t read that row's input and the h left by row t - 1 (zeros before row 1).
    Keras stores the four gates side by side in kernel, recurrent_kernel and bias, in the order i, f, c, o.
    """
    h_before = np.concatenate([np.zeros_like(h[:1]), h[:-1]])  # h_{t-1}
    z = tf.tensordot(inputs, cell.kernel, axes=1) + tf.tensordot(h_before, cell.recurrent_kernel, axes=1)
    if cell.use_bias:
        z = z + cell.bias
    z_i, z_f, z_g, z_o = tf.split(z, 4, axis=-1)
    sigmoid, tanh = cell.recurrent_activation, cell.activation
    return tuple(np.asarray(gate) for gate in (sigmoid(z_i), sigmoid(z_f), tanh(z_g), sigmoid(z_o)))


def readout(network, outputs):
    """softmax(h W + b) over the last axis: outputs (..., num_hidden) -> probabilities (..., num_classes)."""
    logits = tf.tensordot(tf.convert_to_tensor(outputs), network.W, axes=1) + network.b
    return tf.nn.softmax(logits, axis=-1)


def step_probabilities(network, outputs):
    """softmax(h_t W + b) for every step at once: outputs (steps, batch, units) -> (steps, batch, classes)."""
    return readout(network, outputs).numpy()


def probabilities_by_step(network, images, batch_size=500):
    """Class probabilities after every row for many images: (N, timestamp_size, num_classes).

    Each image's 28 probability vectors come from one pass of the unroll; batches keep memory small.
    """
    @tf.function(reduce_retracing=True)
    def probabilities_of(batch):
        outputs, _ = network.unroll(batch)
        return readout(network, tf.stack(outputs, axis=1))  # (batch, steps, classes)

    images = checked_images(network, images, "probabilities_by_step")
    return np.concatenate([
        probabilities_of(images[start:start + batch_size]).numpy() for start in range(0, len(images), batch_size)
    ])


def decision_steps(probabilities):
    """Rows read when the prediction settles: (N, steps, classes) -> (N,) whole numbers from 1 to steps.

    The decision row is the first k such that after reading k rows, and after every later row,
    the predicted class is already the final prediction.
    """
    predictions = np.argmax(probabilities, axis=-1)  # (N, steps)
    differs = predictions != predictions[:, -1:]
    steps = predictions.shape[1]
    # index of the last step whose prediction differs from the final one (-1 if none does)
    last_different = steps - 1 - np.argmax(differs[:, ::-1], axis=1)
    last_different[~differs.any(axis=1)] = -1
    return last_different + 2


def accuracy_by_step(probabilities, digits):
    """Accuracy if the network had to answer after k rows, for k = 1..steps: (steps,).

    digits: (N,) whole numbers, or (N, classes) one-hot labels.
    """
    probabilities, digits = np.asarray(probabilities), np.asarray(digits)
    if digits.ndim == 2 and digits.shape[1] == probabilities.shape[-1]:
        digits = digits.argmax(axis=1)  # one-hot labels: the digit is where the 1 is
    if probabilities.ndim != 3 or digits.shape != probabilities.shape[:1]:
        raise ValueError(f"accuracy_by_step needs probabilities (N, steps, classes) and N digits, got "
                         f"probabilities of shape {probabilities.shape} and digits of shape {digits.shape}.")
    return np.mean(np.argmax(probabilities, axis=-1) == digits[:, None], axis=0)


def check_findings(findings, config):
    """Print whether each sentence about a trained network holds; for the lesson's own config, assert them all.

    findings: {sentence: bool}. The sentences describe the network trained with the default Config;
    after a change to config, one that no longer holds is the experiment's result, so it is printed, not raised.
    """
    from rnnlesson.config import Config

    for sentence, holds in findings.items():
        print(i18n.text("holds:    " if holds else "does not: ") + sentence)
    lesson_config = not config.weight_differences(Config())
    failed = [sentence for sentence, holds in findings.items() if not holds]
    if lesson_config and failed:
        raise AssertionError(f"with the lesson's config these should hold but do not: {failed}")
    return not failed


def checked_images(network, images, caller):
    """images as float32 (N, pixels) or (N, rows, pixels per row), or a ValueError saying what was expected."""
    rows, per_row = network.config.timestamp_size, network.config.input_num
    images = np.asarray(images, dtype=np.float32)  # also a tf.Tensor of any float type
    if images.ndim not in (2, 3) or images.shape[1:] not in ((rows * per_row,), (rows, per_row)):
        raise ValueError(f"{caller} needs images of {rows} x {per_row} = {rows * per_row} pixels, shaped (N, "
                         f"{rows * per_row}) or (N, {rows}, {per_row}), such as mnist.test.images[:5]; got shape "
                         f"{images.shape}.")
    if len(images) == 0:
        raise ValueError(f"{caller} needs at least one image; got 0 (an empty slice such as images[5:5]?).")
    if images.max() > 1.0 or images.min() < 0.0:
        raise ValueError(f"{caller} needs pixels scaled to [0, 1], as in mnist.test.images; these run from "
                         f"{images.min():g} to {images.max():g} (mnist.test.pixels are 0-255: divide by 255).")
    return images
