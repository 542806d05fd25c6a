"""The ipywidgets explorer of notebook 03: sliders over images and steps, drawing with plots.StepView."""

import ipywidgets as widgets
import numpy as np

from rnnlesson import plots


class Explorer:
    """Scrub through the test images and the 28 steps; the figure is redrawn in place.

    pixels: (N, 28, 28); digits: (N,); probabilities: (N, steps, classes), computed once beforehand.
    """

    def __init__(self, pixels, digits, probabilities):
        if not len(pixels) == len(digits) == len(probabilities):
            raise ValueError(f"pixels, digits and probabilities must describe the same images; got "
                             f"{len(pixels)}, {len(digits)} and {len(probabilities)}.")
        self.pixels, self.digits, self.probabilities = pixels, np.asarray(digits), probabilities
        steps = probabilities.shape[1]
        self.predictions = np.argmax(probabilities[:, -1], axis=1)
        self.misclassified = np.flatnonzero(self.predictions != self.digits)
        self.view = plots.StepView(timestamp_size=steps, num_classes=probabilities.shape[2])
        self.image_slider = widgets.IntSlider(0, min=0, max=len(pixels) - 1, description="image",
                                              continuous_update=True)
        self.step_slider = widgets.IntSlider(steps, min=1, max=steps, description="rows read")
        self.play = widgets.Play(value=steps, min=1, max=steps, interval=250, description="play")
        widgets.jslink((self.play, "value"), (self.step_slider, "value"))
        self.jump = widgets.Dropdown(
            options=[("misclassified: pick one", -1)] + [
                (f"#{index}: true {self.digits[index]}, predicted {self.predictions[index]}", int(index))
                for index in self.misclassified],
            value=-1, description="jump to")
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
        for value, slider in ((image, self.image_slider), (step, self.step_slider)):
            if value is not None and not slider.min <= value <= slider.max:
                raise ValueError(f"{slider.description} must be between {slider.min} and {slider.max}, got {value}.")
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
                         label=f"#{index}: ")
        self.picture.value = self.view.png()
        self.caption.value = f"{self.view.image_axis.get_title()} · {self.view.bar_axis.get_title()}"

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
