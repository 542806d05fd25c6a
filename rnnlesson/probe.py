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


def step_probabilities(network, outputs):
    """softmax(h_t W + b) for every step at once: outputs (steps, batch, units) -> (steps, batch, classes)."""
    logits = tf.tensordot(tf.convert_to_tensor(outputs), network.W, axes=1) + network.b
    return tf.nn.softmax(logits, axis=-1).numpy()


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
