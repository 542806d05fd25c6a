"""Look inside a trained network: every step's output and state, and what W and b make of each."""

from dataclasses import dataclass

import numpy as np
import tensorflow as tf


@dataclass(frozen=True)
class Trace:
    """Everything the unroll produced for a batch of images, as NumPy arrays."""

    outputs: np.ndarray  # (timestamp_size, batch, num_hidden): what the stack emitted at each step
    h: np.ndarray  # (timestamp_size, lstm_num, batch, num_hidden): each layer's h after each step
    c: np.ndarray  # (timestamp_size, lstm_num, batch, num_hidden): each layer's c after each step


def trace(network, images, training=False):
    """Run the step-by-step unroll on images and keep every output and every layer's [h, c]."""
    outputs, states = network.unroll(images, training=training, all_states=True)
    h = np.asarray([[layer_state[0] for layer_state in step] for step in states])
    c = np.asarray([[layer_state[1] for layer_state in step] for step in states])
    return Trace(outputs=np.asarray(outputs), h=h, c=c)


def readout(network, outputs):
    """softmax(h W + b) over the last axis: outputs (..., num_hidden) -> probabilities (..., num_classes)."""
    logits = tf.tensordot(tf.convert_to_tensor(outputs), network.W, axes=1) + network.b
    return tf.nn.softmax(logits, axis=-1)


def step_probabilities(network, outputs):
    """softmax(h_t W + b) for every step at once: outputs (steps, batch, units) -> (steps, batch, classes)."""
    return readout(network, outputs).numpy()


def keras_lstm_stack(network):
    """keras.layers.LSTM layers holding the same weights as the network's cells (the fast, fused path)."""
    import keras

    stack = []
    inputs = network.config.input_num
    for cell, _ in network.rnn_layers:
        layer = keras.layers.LSTM(network.config.num_hidden, return_sequences=True, return_state=True)
        layer.build((None, network.config.timestamp_size, inputs))
        layer.set_weights([weight.numpy() for weight in cell.weights])
        stack.append(layer)
        inputs = network.config.num_hidden
    return stack


def run_keras_lstm_stack(stack, rows):
    """rows (batch, steps, features) -> top sequence (batch, steps, units) and [h, c] per layer."""
    sequence, states = rows, []
    for layer in stack:
        sequence, h, c = layer(sequence)
        states.append([h, c])
    return sequence, states


def probabilities_by_step(network, images, batch_size=500):
    """Class probabilities after every row for many images: (N, timestamp_size, num_classes).

    Each image's 28 probability vectors come from one pass of the unroll; batches keep memory small.
    """
    @tf.function(reduce_retracing=True)
    def probabilities_of(batch):
        outputs, _ = network.unroll(batch)
        return readout(network, tf.stack(outputs, axis=1))  # (batch, steps, classes)

    images = np.asarray(images, dtype=np.float32)
    return np.concatenate([
        probabilities_of(images[start:start + batch_size]).numpy() for start in range(0, len(images), batch_size)
    ])


def decision_steps(probabilities):
    """Rows read when the prediction settles: (N, steps, classes) -> (N,) whole numbers from 1 to steps.

    The decision step is the first k such that after reading k rows, and after every later row,
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
    """Accuracy if the network had to answer after k rows, for k = 1..steps: (steps,)."""
    return np.mean(np.argmax(probabilities, axis=-1) == np.asarray(digits)[:, None], axis=0)
