"""Figures for the notebooks; each function returns its figure and never calls plt.show()."""

import matplotlib.pyplot as plt
import numpy as np


def digits(pixels, digits, count=10):
    """The first `count` images in a row, each titled with its label."""
    figure, axes = plt.subplots(1, count, figsize=(1.2 * count, 1.6))
    for axis, image, digit in zip(np.atleast_1d(axes), pixels, digits):
        axis.imshow(np.reshape(image, (28, 28)), cmap="gray_r")
        axis.set_title(str(int(digit)))
        axis.axis("off")
    return figure


def rows_as_timesteps(image, steps=(0, 7, 14, 21, 27)):
    """One digit with some rows marked: row t is what the LSTM reads at timestep t."""
    figure, axis = plt.subplots(figsize=(4, 4))
    axis.imshow(np.reshape(image, (28, 28)), cmap="gray_r")
    for step in steps:
        axis.axhline(step, color="tab:orange", linewidth=0.8)
        axis.text(28.5, step, f"t = {step}", va="center", fontsize=8, color="tab:orange")
    axis.set_xlabel("28 pixels per row = 28 input features")
    axis.set_ylabel("row = timestep")
    return figure


def moving_average(values, window):
    """Mean of each run of `window` values: (len(values) - window + 1,)."""
    values = np.asarray(values, dtype=np.float64)
    window = max(1, min(window, len(values)))
    cumulative = np.cumsum(np.concatenate([[0.0], values]))
    return (cumulative[window:] - cumulative[:-window]) / window


def training_curves(history, window=50):
    """Loss and accuracy of each training batch (dropout on), smoothed, and the tutorial's logged points."""
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(11, 3.6))
    iterations = np.arange(len(history.loss))
    smoothed_at = iterations[window - 1:] if len(iterations) >= window else iterations[-1:]
    loss_axis.plot(iterations, history.loss, color="0.8", linewidth=0.6, label="each batch")
    loss_axis.plot(smoothed_at, moving_average(history.loss, window), label=f"mean of {window}")
    loss_axis.set(xlabel="iteration", ylabel="cross-entropy", yscale="log", title="training loss")
    accuracy_axis.plot(smoothed_at, moving_average(history.accuracy, window),
                       label=f"batch, dropout on (mean of {window})")
    if history.log:
        logged = np.array(history.log)
        accuracy_axis.plot(logged[:, 0], logged[:, 2], "o", label="logged batch, dropout off")
    accuracy_axis.set(xlabel="iteration", ylabel="accuracy", ylim=(0, 1.02), title="training accuracy")
    for axis in (loss_axis, accuracy_axis):
        axis.legend()
        axis.grid(alpha=0.3)
    figure.tight_layout()
    return figure
