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


def outputs_heatmap(outputs):
    """One image's outputs, (timestamp_size, num_hidden): a row per step, a column per unit."""
    figure, axis = plt.subplots(figsize=(11, 3.2))
    shown = axis.imshow(outputs, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    axis.set(xlabel="unit", ylabel="step (image row)", title="outputs of one image: 28 steps x 256 units")
    figure.colorbar(shown, ax=axis, label="output = top layer's h")
    return figure


def h_and_c(h, c, units):
    """h and c of some units over the steps; h, c: (timestamp_size, num_hidden) for one layer and image."""
    figure, (h_axis, c_axis) = plt.subplots(1, 2, figsize=(11, 3.4), sharex=True)
    steps = np.arange(1, len(h) + 1)
    for unit in units:
        line, = h_axis.plot(steps, h[:, unit], marker=".", label=f"unit {unit}")
        c_axis.plot(steps, c[:, unit], marker=".", color=line.get_color())
    for axis, name in ((h_axis, "h (the output)"), (c_axis, "c (the cell's memory)")):
        axis.axhline(1, color="0.6", linestyle=":")
        axis.axhline(-1, color="0.6", linestyle=":")
        axis.set(xlabel="rows read", title=name)
        axis.grid(alpha=0.3)
    h_axis.legend(fontsize=8)
    figure.tight_layout()
    return figure


def unrolled_diagram(steps=3, layers=2):
    """The stacked LSTM unrolled over a few steps: which arrows are outputs and which are state."""
    figure, axis = plt.subplots(figsize=(10, 5.2))
    boxes = {}
    for layer in range(layers):
        for step in range(steps):
            x, y = 2.6 * step, 2.0 * layer
            axis.add_patch(plt.Rectangle((x, y), 1.4, 0.9, facecolor="#dbe9f6", edgecolor="#1f4e79"))
            axis.text(x + 0.7, y + 0.45, f"layer {layer + 1}\nstep t{step - 1:+d}".replace("t+0", "t"),
                      ha="center", va="center", fontsize=9)
            boxes[layer, step] = (x, y)
    state_style = dict(arrowstyle="-|>", color="tab:orange", linewidth=2)
    output_style = dict(arrowstyle="-|>", color="tab:blue", linewidth=2)
    for (layer, step), (x, y) in boxes.items():
        if step + 1 < steps:
            axis.annotate("", xy=(x + 2.6, y + 0.45), xytext=(x + 1.4, y + 0.45), arrowprops=state_style)
            axis.text(x + 2.0, y + 0.55, "[h, c]", ha="center", fontsize=8, color="tab:orange")
        top = y + 2.0 if layer + 1 < layers else y + 1.7
        axis.annotate("", xy=(x + 0.7, top), xytext=(x + 0.7, y + 0.9), arrowprops=output_style)
        axis.text(x + 0.8, y + 1.25, "h, dropout in training", fontsize=8, color="tab:blue")
        if layer == 0:
            axis.annotate("", xy=(x + 0.7, 0), xytext=(x + 0.7, -0.8), arrowprops=dict(arrowstyle="-|>"))
            axis.text(x + 0.7, -1.05, f"row t{step - 1:+d}".replace("t+0", "t"), ha="center", fontsize=9)
        if layer + 1 == layers:
            axis.text(x + 0.7, y + 1.85, f"outputs[t{step - 1:+d}]".replace("t+0", "t"), ha="center",
                      fontsize=9, color="tab:blue")
    axis.text(-0.3, 2.0 * layers + 0.5,
              "blue: output (goes up: to the next layer, or out as outputs[t])   "
              "orange: state (goes right: to the same layer's next step)", fontsize=9)
    axis.set(xlim=(-0.5, 2.6 * steps), ylim=(-1.4, 2.0 * layers + 0.9))
    axis.axis("off")
    return figure
