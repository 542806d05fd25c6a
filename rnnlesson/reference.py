"""The lesson's LSTM stack computed another way, to check against: float64 NumPy, and keras.layers.LSTM."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def rnn_step(x, h, kernel, recurrent_kernel, bias):
    """One plain RNN step: x (batch, inputs), h (batch, units) -> the new h = tanh(x W + h U + b)."""
    return np.tanh(x @ kernel + h @ recurrent_kernel + bias)


def lstm_step(x, h, c, kernel, recurrent_kernel, bias):
    """One LSTM step: x (batch, inputs), h and c (batch, units) -> the gates i, f, g, o and the new c, h.

    Keras stores the four gates side by side in the columns of kernel, recurrent_kernel and bias,
    in the order i, f, c (the candidate, g here), o.
    """
    z = x @ kernel + h @ recurrent_kernel + bias
    z_i, z_f, z_g, z_o = np.split(z, 4, axis=-1)
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), np.tanh(z_g), sigmoid(z_o)
    c = f * c + i * g
    h = o * np.tanh(c)
    return i, f, g, o, c, h


def numpy_unroll(network, images):
    """The network's stack of cells run row by row in float64 NumPy from their weights, dropout off.

    Returns {name: (steps, layers, batch, units)} for the gates i, f, g, o and the states c, h.
    """
    config = network.config
    rows = np.asarray(images, np.float64).reshape(-1, config.timestamp_size, config.input_num).transpose(1, 0, 2)
    layers = []
    for layer in network.rnn_layers:
        weights = [np.asarray(weight, np.float64) for weight in layer.cell.weights]  # kernel, recurrent, bias
        h = c = np.zeros((rows.shape[1], layer.cell.units))
        steps = []
        for x in rows:
            *gates, c, h = lstm_step(x, h, c, *weights)
            steps.append((*gates, c, h))
        layers.append([np.stack(values) for values in zip(*steps)])  # i, f, g, o, c, h: (steps, batch, units)
        rows = layers[-1][-1]  # the next layer reads this layer's h
    return {name: np.stack([layer[k] for layer in layers], axis=1) for k, name in enumerate("ifgoch")}


def keras_lstm_unroll(network, images):
    """The network's stack rebuilt from keras.layers.LSTM layers that hold its cells' weights, run on images.

    Each LSTM layer runs all the rows in one call. Returns the top layer's outputs (batch, steps, units)
    and the final [h, c] of every layer.
    """
    import keras

    config = network.config
    sequence = np.asarray(images, np.float32).reshape(-1, config.timestamp_size, config.input_num)
    states = []
    for layer in network.rnn_layers:
        lstm = keras.layers.LSTM(layer.cell.units, return_sequences=True, return_state=True)
        lstm.build(sequence.shape)
        lstm.set_weights([np.asarray(weight) for weight in layer.cell.weights])
        sequence, h, c = lstm(sequence)
        states.append([h, c])
    return sequence, states
