"""The ipywidgets explorer of notebook 03: sliders over images and steps, drawing with plots.StepView."""

import ipywidgets as widgets
import numpy as np

from rnnlesson import i18n, plots
from rnnlesson.config import whole_number


class Explorer:
    """Scrub through the test images and the 28 steps; the figure is redrawn in place.

    pixels: (N, 28, 28); digits: (N,); probabilities: (N, steps, classes), computed once beforehand.
    """

    def __init__(self, pixels, digits, probabilities):
        self.pixels, self.digits, self.probabilities = check_inputs(pixels, digits, probabilities)
        steps = self.probabilities.shape[1]
        self.predictions = np.argmax(self.probabilities[:, -1], axis=1)
        self.misclassified = np.flatnonzero(self.predictions != self.digits)
        self.view = plots.StepView(timestamp_size=steps, num_classes=self.probabilities.shape[2])
        self.image_slider = widgets.IntSlider(0, min=0, max=len(self.pixels) - 1, description=i18n.text("image"),
                                              continuous_update=True)
        self.step_slider = widgets.IntSlider(steps, min=1, max=steps, description=i18n.text("rows read"))
        self.play = widgets.Play(value=steps, min=1, max=steps, interval=250, description=i18n.text("play"))
        widgets.jslink((self.play, "value"), (self.step_slider, "value"))
        self.jump = widgets.Dropdown(
            options=[(i18n.text("misclassified: pick one"), -1)] + [
                (i18n.text("#{index}: true {true_class}, predicted {predicted}", index=index,
                           true_class=self.digits[index], predicted=self.predictions[index]), int(index))
                for index in self.misclassified],
            value=-1, description=i18n.text("jump to"))
        self.picture = widgets.Image(format="png")
        self.caption = widgets.HTML()  # the figure's titles as text, for screen readers and tests
        self.image_slider.observe(self._redraw, names="value")
        self.step_slider.observe(self._redraw, names="value")
        self.jump.observe(self._jump, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.image_slider, self.jump]),
            widgets.HBox([self.play, self.step_slider]),
            self.caption,
            self.picture,
        ])
        self._redraw()

    def select(self, image=None, step=None):
        """Move the sliders from code; values outside the sliders' ranges are refused."""
        for value, name, slider in ((image, "image", self.image_slider), (step, "rows read", self.step_slider)):
            if value is None:
                continue
            whole_number(value, name, slider.min, slider.max)  # the sliders' English names, in any language
        with self.image_slider.hold_trait_notifications(), self.step_slider.hold_trait_notifications():
            if image is not None:
                self.image_slider.value = image
            if step is not None:
                self.step_slider.value = step
        return self

    def _jump(self, change):
        if change["new"] >= 0:
            self.image_slider.value = change["new"]

    def _redraw(self, change=None):
        index, step = self.image_slider.value, self.step_slider.value
        self.view.update(self.pixels[index], self.probabilities[index], int(self.digits[index]), step,
                         label=i18n.label("#{index}: ", index=index))
        self.picture.value = self.view.png()
        # the caption is in the notebook's language, also when the figure stays in English for want of a font
        image_title, bar_title = self.view.titles(i18n.text, label=i18n.text("#{index}: ", index=index))
        self.caption.value = f"{image_title} · {bar_title}"

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def check_inputs(pixels, digits, probabilities):
    """The explorer's arrays, checked: (N, rows, columns) pixels, (N,) digits, (N, rows, classes) probabilities."""
    pixels, digits, probabilities = np.asarray(pixels), np.asarray(digits), np.asarray(probabilities)
    if pixels.ndim != 3:
        raise ValueError(f"pixels must be images of shape (N, 28, 28), e.g. mnist.test.pixels; got shape {pixels.shape}"
                         + (" (flattened: use .reshape(-1, 28, 28))." if pixels.ndim == 2 else "."))
    if digits.ndim != 1:
        raise ValueError(f"digits must be one class per image, shape (N,), e.g. mnist.test.digits; got shape "
                         f"{digits.shape}" + (" (one-hot rows? use .argmax(axis=1))." if digits.ndim == 2 else "."))
    if probabilities.ndim != 3:
        raise ValueError(f"probabilities must have shape (N, steps, classes), one row of class probabilities per step "
                         f"read, e.g. probe.probabilities_by_step(network, images); got shape {probabilities.shape}.")
    if not len(pixels) == len(digits) == len(probabilities):
        raise ValueError(f"pixels, digits and probabilities must describe the same images; got "
                         f"{len(pixels)}, {len(digits)} and {len(probabilities)}.")
    if len(pixels) == 0:
        raise ValueError("the explorer needs at least one image; got 0.")
    steps, num_classes = probabilities.shape[1:]
    if steps != pixels.shape[1]:
        raise ValueError(f"probabilities cover {steps} steps but the images have {pixels.shape[1]} rows; the explorer "
                         "shows one step per row read, so they must be equal.")
    if digits.dtype.kind not in "iu" or digits.min() < 0 or digits.max() >= num_classes:
        raise ValueError(f"digits must be whole numbers 0-{num_classes - 1} (one per class of the probabilities); "
                         f"got {digits.dtype} values from {digits.min()} to {digits.max()}.")
    if not np.all(np.isfinite(probabilities)) or probabilities.min() < 0 or probabilities.max() > 1:
        raise ValueError("probabilities must lie between 0 and 1 (softmax outputs, not logits); got values from "
                         f"{np.nanmin(probabilities):.3g} to {np.nanmax(probabilities):.3g}.")
    return pixels, digits, probabilities
