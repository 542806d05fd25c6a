"""Figures for the notebooks; each function returns its figure and never calls plt.show().

Colours come from the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies (tests/test_plots.py checks the pairs that carry meaning under a deuteranopia simulation).
Every figure carries a one-sentence description, `figure.alt_text`, in the notebook's language: shown in
a notebook, it goes with the picture as its alt text (the executed edition, `make book`, prints it).
"""

import matplotlib.pyplot as plt
import numpy as np

from rnnlesson import i18n
from rnnlesson.i18n import label as _

# Okabe & Ito (2008), "Color Universal Design": the colours that carry a meaning in the figures
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SKY_BLUE, PURPLE = "#56B4E9", "#CC79A7"
TRUE_CLASS, WRONG_CLASS, OTHER_CLASS = GREEN, VERMILLION, "0.75"
LINES = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, "0.2")  # one per unit or network, in order


def described(figure, sentence, **fields):
    """figure, with figure.alt_text: the English template `sentence` in the notebook's language."""
    figure.alt_text = i18n.text(sentence, **fields)
    _show_alt_text_in_notebooks()
    return figure


def _show_alt_text_in_notebooks():
    """Under IPython, send figure.alt_text with every PNG of a figure as its "alt" metadata."""
    try:
        from IPython import get_ipython
        from matplotlib.figure import Figure
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        drawn = formatter.lookup_by_type(Figure)  # matplotlib_inline's, registered when pyplot was imported
    except KeyError:
        return
    if getattr(drawn, "with_alt_text", False):
        return

    def with_alt(figure):
        png = drawn(figure)
        alt = getattr(figure, "alt_text", None)
        return png if png is None or alt is None else (png, {"alt": alt})

    with_alt.with_alt_text = True
    formatter.for_type(Figure, with_alt)


def digits(pixels, digits, count=10):
    """The first `count` images in a row, each titled with its label."""
    figure, axes = plt.subplots(1, count, figsize=(1.2 * count, 1.6))
    for axis, image, digit in zip(np.atleast_1d(axes), pixels, digits):
        axis.imshow(np.reshape(image, (28, 28)), cmap="gray_r")
        axis.set_title(str(int(digit)))
        axis.axis("off")
    shown = [str(int(digit)) for digit in digits[:count]]
    if len(shown) == 1:
        return described(figure, "A handwritten digit from MNIST, with its label above it: {label}.", label=shown[0])
    return described(figure, "{count} handwritten digits from MNIST, each with its label above it: {labels}.",
                     count=len(shown), labels=", ".join(shown))


def rows_as_timesteps(image, rows=(1, 8, 15, 22, 28)):
    """One digit with some rows marked: row t (1 to 28, top to bottom) is what the LSTM reads at step t."""
    figure, axis = plt.subplots(figsize=(4, 4))
    axis.imshow(np.reshape(image, (28, 28)), cmap="gray_r")
    for row in rows:
        axis.axhline(row - 1, color=ORANGE, linewidth=0.8)
        axis.text(28.5, row - 1, _("row {row}: step {row}", row=row), va="center", fontsize=8, color=ORANGE)
    axis.set_yticks([row - 1 for row in rows], [str(row) for row in rows])
    axis.set_xlabel(_("28 pixels per row = 28 input features"))
    axis.set_ylabel(_("row = step"))
    return described(figure, "One handwritten digit as a grid of 28 x 28 pixels, with rows {rows} marked: the "
                     "network reads row t at step t, 28 pixels at a time.", rows=", ".join(map(str, rows)))


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
    loss_axis.plot(iterations, history.loss, color="0.8", linewidth=0.6, label=_("each batch"))
    loss_axis.plot(smoothed_at, moving_average(history.loss, window), color=BLUE,
                   label=_("mean of {window}", window=window))
    loss_axis.set(xlabel=_("iteration"), ylabel=_("cross-entropy"), yscale="log",
                  title=_("training loss (log scale)"))
    accuracy_axis.plot(smoothed_at, moving_average(history.accuracy, window),
                       color=BLUE, label=_("batch, dropout on (mean of {window})", window=window))
    if history.log:
        logged = np.array(history.log)
        accuracy_axis.plot(logged[:, 0], logged[:, 2], "o", color=ORANGE, label=_("logged batch, dropout off"))
    accuracy_axis.set(xlabel=_("iteration"), ylabel=_("accuracy"), ylim=(0, 1.02), title=_("training accuracy"))
    for axis in (loss_axis, accuracy_axis):
        axis.legend()
        axis.grid(alpha=0.3)
    figure.tight_layout()
    return described(figure, "Two line charts over {iterations} training iterations: the loss of each batch on a "
                     "log scale with its mean over {window} batches (left), and the batch accuracy (right), "
                     "whose mean ends at {accuracy:.0%}.", iterations=len(iterations), window=window,
                     accuracy=moving_average(history.accuracy, window)[-1])


def outputs_heatmap(outputs):
    """One image's outputs, (timestamp_size, num_hidden): a line per row read, a column per unit."""
    rows, units = outputs.shape
    figure, axis = plt.subplots(figsize=(11, 3.2))
    shown = axis.imshow(outputs, aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest",
                        extent=(-0.5, units - 0.5, rows + 0.5, 0.5))  # rows read 1..rows, top to bottom
    axis.set(xlabel=_("unit"), ylabel=_("rows read"),
             title=_("outputs of one image: {rows} rows read x {units} units", rows=rows, units=units))
    figure.colorbar(shown, ax=axis, label=_("output = top layer's h"))
    return described(figure, "A heatmap of one image's outputs: {rows} rows read, top to bottom, by {units} units, "
                     "from blue for -1 to red for +1.", rows=rows, units=units)


def unrolled_diagram(steps=3, layers=2):
    """The stacked LSTM unrolled over a few steps: which arrows are outputs and which are state."""
    figure, axis = plt.subplots(figsize=(10, 5.2))
    boxes = {}
    for layer in range(layers):
        for step in range(steps):
            x, y = 2.6 * step, 2.0 * layer
            axis.add_patch(plt.Rectangle((x, y), 1.4, 0.9, facecolor="#dbe9f6", edgecolor="#1f4e79"))
            box_text = _("layer {layer}\nstep t{offset:+d}", layer=layer + 1, offset=step - 1).replace("t+0", "t")
            axis.text(x + 0.7, y + 0.45, box_text,
                      ha="center", va="center", fontsize=9)
            boxes[layer, step] = (x, y)
    state_style = dict(arrowstyle="-|>", color=ORANGE, linewidth=2)
    output_style = dict(arrowstyle="-|>", color=BLUE, linewidth=2)
    for (layer, step), (x, y) in boxes.items():
        if step + 1 < steps:
            axis.annotate("", xy=(x + 2.6, y + 0.45), xytext=(x + 1.4, y + 0.45), arrowprops=state_style)
            axis.text(x + 2.0, y + 0.55, "[h, c]", ha="center", fontsize=8, color=ORANGE)
        top = y + 2.0 if layer + 1 < layers else y + 1.7
        axis.annotate("", xy=(x + 0.7, top), xytext=(x + 0.7, y + 0.9), arrowprops=output_style)
        axis.text(x + 0.8, y + 1.25, _("h, dropout in training"), fontsize=8, color=BLUE)
        if layer == 0:
            axis.annotate("", xy=(x + 0.7, 0), xytext=(x + 0.7, -0.8), arrowprops=dict(arrowstyle="-|>"))
            axis.text(x + 0.7, -1.05, _("row t{offset:+d}", offset=step - 1).replace("t+0", "t"), ha="center",
                      fontsize=9)
        if layer + 1 == layers:
            axis.text(x + 0.7, y + 1.85, f"outputs[t{step - 1:+d}]".replace("t+0", "t"), ha="center",
                      fontsize=9, color=BLUE)
    axis.text(-0.3, 2.0 * layers + 0.5,
              _("blue: output (goes up: to the next layer, or out as outputs[t])   "
                "orange: state (goes right: to the same layer's next step)"), fontsize=9)
    axis.set(xlim=(-0.5, 2.6 * steps), ylim=(-1.4, 2.0 * layers + 0.9))
    axis.axis("off")
    return described(figure, "A diagram of the {layers}-layer LSTM unrolled over {steps} steps: each box passes its "
                     "output h up to the layer above (blue) and its state [h, c] right to its own next step "
                     "(orange).", layers=layers, steps=steps)


def cell_diagram(input_num=28, num_hidden=256):
    """One LSTM cell: x_t, h_{t-1} and c_{t-1} enter, four gates, c_t and h_t leave."""
    figure, axis = plt.subplots(figsize=(11, 5.6))
    axis.add_patch(plt.Rectangle((1.2, 0.1), 10.0, 5.6, facecolor="#f4f8fc", edgecolor="#1f4e79", linewidth=1.5))
    arrow = dict(arrowstyle="-|>", color="0.2", linewidth=1.4, shrinkA=0, shrinkB=0)
    memory = dict(arrow, color=ORANGE, linewidth=2.2)
    output = dict(arrow, color=BLUE, linewidth=2.2)

    def line(start, end, style=arrow):
        axis.annotate("", xy=end, xytext=start, arrowprops=style)

    def operation(x, y, symbol, color="0.2"):
        axis.add_patch(plt.Circle((x, y), 0.28, facecolor="white", edgecolor=color, linewidth=1.6, zorder=3))
        axis.text(x, y, symbol, ha="center", va="center", fontsize=14, zorder=4)

    def box(x, y, text, color, width=1.25):
        axis.add_patch(plt.Rectangle((x - width / 2, y - 0.4), width, 0.8, facecolor=color, edgecolor="0.25",
                                     zorder=3))
        axis.text(x, y, text, ha="center", va="center", fontsize=10, zorder=4, linespacing=1.3)

    # the memory line: c_{t-1} -> x f -> + i*g -> c_t
    line((-2.0, 4.9), (2.72, 4.9), memory)
    operation(3.0, 4.9, "×", ORANGE)
    line((3.28, 4.9), (6.22, 4.9), memory)
    operation(6.5, 4.9, "+", ORANGE)
    line((6.78, 4.9), (12.4, 4.9), memory)
    axis.text(-2.1, 5.15, f"$c_{{t-1}}$ (batch, {num_hidden})", fontsize=11, color=ORANGE)
    axis.text(12.45, 4.9, _("$c_t$ (batch, {num_hidden})\nmemory: to this\nlayer's next step", num_hidden=num_hidden),
              va="center", fontsize=10,
              color=ORANGE)

    # the inputs: h_{t-1} from the left, x_t from below, both read by every gate
    axis.plot([-2.0, 8.9], [0.7, 0.7], color="0.2", linewidth=1.4)
    axis.text(-2.1, 0.95, f"$h_{{t-1}}$ (batch, {num_hidden})", fontsize=11)
    line((1.9, -0.9), (1.9, 0.7))
    axis.text(1.9, -1.2, _("$x_t$ (batch, {input_num}): one image row", input_num=input_num), ha="center", fontsize=11)
    axis.plot([1.9], [0.7], "o", color="0.2", markersize=5)
    gates = [(3.0, "f", _("forget"), "$\\sigma$"), (4.7, "i", _("input"), "$\\sigma$"),
             (6.5, "g", _("candidate"), "tanh"), (8.9, "o", _("output"), "$\\sigma$")]
    for x, name, meaning, function in gates:
        line((x, 0.7), (x, 1.6))
        candidate = name == "g"
        box(x, 2.0, f"{function}  ${name}$\n{meaning}", "#e6f2dc" if candidate else "#dbe9f6",
            width=1.5 if candidate else 1.3)
    # f scales the old memory; i scales the candidate g; their sum is the new memory
    line((3.0, 2.4), (3.0, 4.62))
    operation(5.6, 3.45, "×")
    line((4.7, 2.4), (5.4, 3.25))
    line((6.5, 2.4), (5.8, 3.25))
    line((5.6, 3.73), (6.3, 4.66))
    # h_t = o * tanh(c_t)
    box(10.3, 4.05, "tanh", "#e6f2dc", width=0.9)
    line((10.3, 4.9), (10.3, 4.45))
    operation(10.3, 2.0, "×", BLUE)
    line((10.3, 3.65), (10.3, 2.28))
    line((9.55, 2.0), (10.02, 2.0))
    line((10.58, 2.0), (12.4, 2.0), output)
    axis.text(12.45, 2.0, _("$h_t$ (batch, {num_hidden})\noutput: to the next\nlayer and next step",
                            num_hidden=num_hidden), va="center",
              fontsize=10, color=BLUE)

    axis.text(1.35, 5.35, _("one LSTM cell, per image: $x_t$ carries {input_num} numbers, every other arrow "
                "{num_hidden}", input_num=input_num, num_hidden=num_hidden), fontsize=10, color="#1f4e79")
    axis.text(6.2, -1.75, _("each gate: $\\sigma$ or tanh of  $x_t W + h_{t-1} U + b$, "
                "with its own quarter of W, U and b"), ha="center", fontsize=10)
    axis.set(xlim=(-2.4, 14.6), ylim=(-2.0, 5.9))
    axis.set_aspect("equal")
    axis.axis("off")
    return described(figure, "A diagram of one LSTM cell: the image row x ({input_num} numbers) and the previous h "
                     "feed four gates; the forget gate scales the old memory c, the input gate times the "
                     "candidate is added to it, and the new h is the output gate times tanh of the new c "
                     "({num_hidden} numbers each).", input_num=input_num, num_hidden=num_hidden)


def _bar_colors(num_classes, true_class, predicted_class):
    colors = [OTHER_CLASS] * num_classes
    if predicted_class != true_class:
        colors[predicted_class] = WRONG_CLASS
    colors[true_class] = TRUE_CLASS
    return colors


def step_bars(probabilities, true_class):
    """The tutorial's figure done well: one bar chart of the class probabilities per step, 4 x 7.

    probabilities: (timestamp_size, num_classes). The true class is green; a wrong prediction red.
    """
    steps, num_classes = probabilities.shape
    columns = int(np.ceil(steps / 4))
    figure, axes = plt.subplots(4, columns, figsize=(2.0 * columns, 7.6), sharex=True, sharey=True)
    predictions = np.argmax(probabilities, axis=1)
    for step, axis in enumerate(axes.flat):
        if step >= steps:
            axis.axis("off")
            continue
        axis.bar(np.arange(num_classes), probabilities[step], width=0.8,
                 color=_bar_colors(num_classes, true_class, predictions[step]))
        axis.set_title(_("row {row}: {predicted}", row=step + 1, predicted=predictions[step]), fontsize=9)
        axis.set_ylim(0, 1)
        axis.set_xticks(np.arange(num_classes))
        axis.tick_params(labelsize=7)
    figure.suptitle(_("class probabilities after each row read (true class {true_class}, green; "
                      "final prediction {predicted}; a wrong prediction is red)",
                      true_class=true_class, predicted=predictions[-1]))
    figure.supxlabel(_("class"))
    figure.supylabel(_("probability"))
    figure.tight_layout()
    return described(figure, "{steps} small bar charts, one per row read, of the probabilities of the {num_classes} "
                     "classes: the true class {true_class} in green, a wrong prediction in red; the final "
                     "prediction is {predicted}.", steps=steps, num_classes=num_classes, true_class=true_class,
                     predicted=predictions[-1])


def probability_heatmap(probabilities, true_class):
    """Probability of every class (columns) after every row read (lines): (timestamp_size, num_classes)."""
    rows, num_classes = probabilities.shape
    figure, axis = plt.subplots(figsize=(4.6, 6))
    shown = axis.imshow(probabilities, aspect="auto", cmap="Greens", vmin=0, vmax=1, interpolation="nearest",
                        extent=(-0.5, num_classes - 0.5, rows + 0.5, 0.5))  # rows read 1..rows, top to bottom
    axis.add_patch(plt.Rectangle((true_class - 0.5, 0.5), 1, rows, fill=False,
                                 edgecolor=ORANGE, linewidth=2))
    axis.set(xlabel=_("class"), ylabel=_("rows read"), xticks=np.arange(num_classes),
             yticks=[1, *range(4, rows + 1, 4)], title=_("after each row (true class {true_class} framed)",
                                                         true_class=true_class))
    figure.colorbar(shown, ax=axis, label=_("probability"))
    return described(figure, "A heatmap of the probability of each of the {num_classes} classes (columns) after each "
                     "of the {rows} rows read (lines), darker green for higher, the true class {true_class} "
                     "framed.", num_classes=num_classes, rows=rows, true_class=true_class)


def true_class_trajectory(probabilities, true_class):
    """The probability of the true class, and of the strongest other class, after each row."""
    figure, axis = plt.subplots(figsize=(7, 3.2))
    rows_read = np.arange(1, len(probabilities) + 1)
    other_classes = np.delete(np.arange(probabilities.shape[1]), true_class)
    strongest = other_classes[np.delete(probabilities, true_class, axis=1).argmax(axis=1)]  # (rows,)
    others = probabilities[np.arange(len(probabilities)), strongest]
    axis.plot(rows_read, probabilities[:, true_class], marker="o", color=GREEN,
              label=_("class {true_class} (true)", true_class=true_class))
    axis.plot(rows_read, others, marker=".", color=VERMILLION,
              label=_("strongest other class (its number where it changes)"))
    for row in np.flatnonzero(np.r_[True, strongest[1:] != strongest[:-1]]):  # where another class takes over
        axis.annotate(str(strongest[row]), (rows_read[row], others[row]), xytext=(0, 5), textcoords="offset points",
                      ha="center", fontsize=9, color=VERMILLION)
    axis.set(xlabel=_("rows read"), ylabel=_("probability"), ylim=(0, 1.02), title=_("when does it make up its mind?"))
    axis.grid(alpha=0.3)
    axis.legend()
    return described(figure, "A line chart over the {rows} rows read: the probability of the true class "
                     "{true_class} (green), which ends at {final:.2f}, and that of the strongest other class "
                     "(red), which ends at {other:.2f}.", rows=len(rows_read), true_class=true_class,
                     final=probabilities[-1, true_class], other=others[-1])


def decision_summary(decision_steps, digits, accuracy_by_step):
    """Three views of the test set: decision rows, their mean per class, accuracy after k rows."""
    figure, (histogram, by_class, accuracy) = plt.subplots(1, 3, figsize=(14, 3.6))
    steps = len(accuracy_by_step)
    histogram.hist(decision_steps, bins=np.arange(0.5, steps + 1.5), color=BLUE)
    histogram.set(xlabel=_("rows read when the prediction settles"), ylabel=_("test images"), title=_("decision row"))
    classes = np.arange(10)
    means = [decision_steps[digits == digit].mean() if np.any(digits == digit) else np.nan for digit in classes]
    by_class.bar(classes, means, color=BLUE)
    by_class.set(xlabel=_("true class"), ylabel=_("mean decision row"), xticks=classes, title=_("by class"))
    accuracy.plot(np.arange(1, steps + 1), accuracy_by_step, marker="o", color=BLUE)
    accuracy.set(xlabel=_("rows read (k)"), ylabel=_("accuracy"), ylim=(0, 1.02),
                 title=_("accuracy if stopped after k rows"))
    for axis in (histogram, by_class, accuracy):
        axis.grid(alpha=0.3)
    figure.tight_layout()
    return described(figure, "Three charts of the test set: a histogram of the decision rows (median {median:g}), "
                     "the mean decision row of each true class, and the accuracy if the network stopped after k "
                     "rows, which reaches {accuracy:.0%} after all {steps}.", median=np.median(decision_steps),
                     accuracy=accuracy_by_step[-1], steps=steps)


class StepView:
    """One figure for one image at one step, changed in place by update(): the explorer's drawing.

    Left: the digit, rows read so far bright, the current row framed, unread rows dimmed.
    Middle: the class probabilities at this step. Right: the true class's probability over the steps.
    """

    def __init__(self, timestamp_size=28, num_classes=10, dpi=80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(11, 3.3), dpi=dpi)
        FigureCanvasAgg(self.figure)  # drawn off-screen; no pyplot figure is created
        self.image_axis, self.bar_axis, self.line_axis = self.figure.subplots(
            1, 3, gridspec_kw={"width_ratios": [1, 1.5, 1.7]})
        self.figure.subplots_adjust(left=0.02, right=0.98, bottom=0.16, top=0.88, wspace=0.3)
        self.digit = self.image_axis.imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1)
        self.unread = self.image_axis.imshow(np.zeros((28, 28, 4)), interpolation="nearest")
        self.current_row = plt.Rectangle((-0.5, -0.5), 28, 1, fill=False, edgecolor=ORANGE, linewidth=2)
        self.image_axis.add_patch(self.current_row)
        self.image_axis.axis("off")
        self.bars = self.bar_axis.bar(np.arange(num_classes), np.zeros(num_classes), color=OTHER_CLASS)
        self.bar_axis.set(ylim=(0, 1), xticks=np.arange(num_classes), xlabel=_("class"),
                          ylabel=_("probability"))
        steps = np.arange(1, timestamp_size + 1)
        self.trajectory, = self.line_axis.plot(steps, np.zeros(timestamp_size), color=GREEN, marker=".")
        self.marker, = self.line_axis.plot([1], [0], "o", color=ORANGE, markersize=10)
        self.line_axis.set(xlim=(0.5, timestamp_size + 0.5), ylim=(0, 1.02), xlabel=_("rows read"),
                           ylabel=_("probability of the true class"))
        self.line_axis.grid(alpha=0.3)
        # what changes from move to move is drawn on a saved copy of everything else (blitting)
        self._changing = [self.digit, self.unread, self.current_row, *self.bars, self.trajectory, self.marker,
                          self.image_axis.title, self.bar_axis.title]
        for artist in self._changing:
            artist.set_animated(True)
        self._background = None

    def update(self, pixels, probabilities, true_class, step, label=""):
        """Show image `pixels` (28, 28) after `step` rows (1-based); probabilities: (steps, classes)."""
        steps = len(probabilities)
        if not 1 <= step <= steps:
            raise ValueError(f"step must be between 1 and {steps} (rows read), got {step}.")
        predicted = int(np.argmax(probabilities[step - 1]))
        self.digit.set_data(np.reshape(pixels, (28, 28)) / (255.0 if np.max(pixels) > 1 else 1.0))
        dim = np.zeros((28, 28, 4))
        dim[step:, :, :3] = 1.0
        dim[step:, :, 3] = 0.8  # unread rows: mostly covered in white
        self.unread.set_data(dim)
        self.current_row.set_y(step - 1.5)
        colors = _bar_colors(len(self.bars), true_class, predicted)
        for bar, height, color in zip(self.bars, probabilities[step - 1], colors):
            bar.set_height(height)
            bar.set_color(color)
        self.trajectory.set_ydata(probabilities[:, true_class])
        self.marker.set_data([step], [probabilities[step - 1, true_class]])
        self.shown = dict(label=label, true_class=true_class, step=step, predicted=predicted,
                          share=probabilities[step - 1, predicted])
        image_title, bar_title = self.titles(_)
        self.image_axis.set_title(image_title, fontsize=10)
        self.bar_axis.set_title(bar_title, fontsize=10)
        return self.figure

    def titles(self, translate, label=None):
        """The image's and the bars' titles of the step shown, in the language of `translate` (i18n.label or
        i18n.text), `label` (default: update's) before the first: image, true digit and rows read keep their
        order in every language, as do step, predicted class and its probability."""
        shown = self.shown
        label = shown["label"] if label is None else label
        return (translate("{label}true {true_class}, rows read {step}", label=label,
                          true_class=shown["true_class"], step=shown["step"]),
                translate("step {step}: predicts {predicted} ({share:.0%})", step=shown["step"],
                          predicted=shown["predicted"], share=shown["share"]))

    def png(self):
        """The current figure as PNG bytes: the saved background plus the changing parts."""
        import io

        from PIL import Image

        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # everything that never changes: axes, ticks, labels
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._changing:
            self.figure.draw_artist(artist)
        picture = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        buffer = io.BytesIO()
        picture.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


GATE_PANELS = (
    ("i", "input gate i", "how much of g is written into c", (0, 1)),
    ("f", "forget gate f", "how much of the last c is kept", (0, 1)),
    ("g", "candidate g", "what could be written into c", (-1, 1)),
    ("o", "output gate o", "how much of tanh(c) is shown", (0, 1)),
    ("c", "cell state c", "c = f * c_before + i * g", None),
    ("h", "hidden state h", "h = o * tanh(c): the output", (-1, 1)),
)


def gates_over_time(traced, units, image=0, layer=-1):
    """i, f, g, o, c and h of a few units of one layer over the rows read, for one image of a gated probe.Trace.

    traced: probe.Trace from trace(..., gates=True); units: a few unit numbers; one colour per unit in every panel.
    """
    if traced.i is None:
        raise ValueError("gates_over_time needs the gates: use probe.trace(network, images, gates=True).")
    rows_read = np.arange(1, len(traced.h) + 1)
    figure, axes = plt.subplots(2, 3, figsize=(13, 6.4), sharex=True)
    for axis, (name, title, meaning, limits) in zip(axes.flat, GATE_PANELS):
        values = getattr(traced, name)[:, layer, image]  # (rows, units)
        for unit, color in zip(units, LINES * len(units)):
            axis.plot(rows_read, values[:, unit], marker=".", markersize=4, color=color,
                      label=_("unit {unit}", unit=unit))
        if limits is None:
            axis.axhline(1, color="0.5", linestyle=":")
            axis.axhline(-1, color="0.5", linestyle=":")
        else:
            axis.set_ylim(limits[0] - 0.05, limits[1] + 0.05)
        axis.set_title(_("{title}: {meaning}", title=_(title), meaning=_(meaning)), fontsize=10)
        axis.grid(alpha=0.3)
    for axis in axes[-1]:
        axis.set_xlabel(_("rows read"))
        axis.set_xticks([1, *range(4, len(rows_read) + 1, 4)])
    axes[0, 0].legend(fontsize=8)
    layer_number = layer % traced.h.shape[1] + 1
    figure.suptitle(_("layer {layer}, image {image}: the gates, c and h after each row "
                      "(dotted: c = ±1, which h never reaches)", layer=layer_number, image=image))
    figure.tight_layout()
    return described(figure, "Six line charts over the rows read, one line per unit ({units}) of layer {layer}, "
                     "image {image}: the input, forget and output gates, the candidate g, the cell state c "
                     "and the output h.", units=", ".join(map(str, units)), layer=layer_number, image=image)


def backpropagation_diagram(rows=28, shown=(1, 2, 3, 26, 27, 28)):
    """The plain RNN unrolled over the rows, and the loss's gradient flowing back from row 28 to row 1."""
    figure, axis = plt.subplots(figsize=(11, 3.6))
    places = {row: 1.6 * index for index, row in enumerate(shown)}
    forward = dict(arrowstyle="-|>", color=BLUE, linewidth=1.6)
    backward = dict(arrowstyle="-|>", color=VERMILLION, linewidth=1.6, linestyle="--")
    for row, x in places.items():
        axis.add_patch(plt.Rectangle((x, 1.0), 1.0, 0.8, facecolor="#dbe9f6", edgecolor="#1f4e79"))
        axis.text(x + 0.5, 1.4, f"$h_{{{row}}}$", ha="center", va="center", fontsize=11)
        axis.annotate("", xy=(x + 0.5, 1.0), xytext=(x + 0.5, 0.3), arrowprops=dict(arrowstyle="-|>"))
        axis.text(x + 0.5, 0.05, _("row {row}", row=row), ha="center", fontsize=9)
    for left, right in zip(shown, shown[1:]):
        start, end = places[left] + 1.0, places[right]
        if right - left > 1:
            axis.text((start + end) / 2, 1.4, "...", ha="center", va="center", fontsize=14)
            continue
        axis.annotate("", xy=(end, 1.55), xytext=(start, 1.55), arrowprops=forward)
        axis.annotate("", xy=(start, 1.25), xytext=(end, 1.25), arrowprops=backward)
        axis.text((start + end) / 2, 0.95, f"$\\partial h_{{{right}}}/\\partial h_{{{left}}}$", ha="center",
                  va="top", fontsize=8, color=VERMILLION)
    last = places[rows] + 1.0
    axis.add_patch(plt.Rectangle((last + 0.6, 1.0), 1.3, 0.8, facecolor="#fde9d9", edgecolor=VERMILLION))
    axis.text(last + 1.25, 1.4, _("W, b,\nloss L"), ha="center", va="center", fontsize=9)
    axis.annotate("", xy=(last + 0.6, 1.55), xytext=(last, 1.55), arrowprops=forward)
    axis.annotate("", xy=(last, 1.25), xytext=(last + 0.6, 1.25), arrowprops=backward)
    axis.text(0, 2.25, _("blue: the forward pass, h_t = tanh(x_t W + h_{t-1} U + b), one row per step   "
                "red: the gradient of L, flowing back"), fontsize=9)
    axis.text(0, 2.0, _("dL/dh_t = dL/dh_{rows} x (dh_{rows}/dh_{previous}) x ... x (dh_{{t+1}}/dh_t): "
                "{rows} - t factors, each diag(1 - h^2) U^T", rows=rows, previous=rows - 1),
              fontsize=9, color=VERMILLION)
    axis.set(xlim=(-0.2, last + 2.1), ylim=(-0.2, 2.5))
    axis.axis("off")
    return described(figure, "A diagram of a plain RNN unrolled over {rows} rows: the forward pass runs from row 1 "
                     "to row {rows} (blue), and the gradient of the loss flows back (red), multiplied by one "
                     "factor for every row it crosses.", rows=rows)


def gradient_by_row(curves):
    """|dL/dh_t| after each row for several networks, on a log scale: curves {label: (rows,) array}."""
    figure, axis = plt.subplots(figsize=(8, 4))
    for (label, values), style, color in zip(curves.items(), ("-", "--", "-", "--", ":", "-.") * len(curves),
                                             LINES * len(curves)):
        axis.plot(np.arange(1, len(values) + 1), values, style, marker=".", color=color, label=label)
    axis.set_yscale("log")
    axis.set(xlabel=_("row t"), ylabel=_("mean |dL/dh_t| (log scale)"),
             title=_("how much of the loss's gradient reaches each row's h (top layer)"))
    axis.grid(alpha=0.3, which="both")
    axis.legend(fontsize=8)
    return described(figure, "A line chart, on a log scale, of how much of the loss's gradient reaches the h of "
                     "each row, for {networks}.", networks="; ".join(curves))
