"""The checkers of notebook 03's exercises: the probabilities after every row, from keras.layers.LSTM."""

import numpy as np

from rnnlesson.exercises.compare import PERCENT_HINT, as_whole_number, judge_number, remembered, shown, tolerance_for
from rnnlesson.exercises.verdicts import correct, exercise, not_yet
from rnnlesson.i18n import text
from rnnlesson.reference import keras_lstm_unroll


@remembered
def fused_probabilities(network, images):
    """softmax(h_t W + b) after every row, from keras.layers.LSTM holding the cells' weights: (N, steps, classes).

    The fused layers run the whole sequence themselves, so this does not go through the lesson's unroll.
    """
    sequence, _ = keras_lstm_unroll(network, images)  # (N, steps, units)
    logits = np.asarray(sequence) @ np.asarray(network.W) + np.asarray(network.b)
    exponentials = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def settling_rows(probabilities):
    """Rows read after which the predicted class never changes again: (N, steps, classes) -> (N,)."""
    predictions = probabilities.argmax(axis=-1)
    agrees = predictions == predictions[:, -1:]
    steps = predictions.shape[1]
    trailing = np.where(agrees.all(axis=1), steps, np.argmin(agrees[:, ::-1], axis=1))  # run of final answers
    return steps - trailing + 1


@exercise("03.1")
def half_right(answer, network, mnist):
    probabilities = fused_probabilities(network, mnist.test.images)
    accuracy = np.mean(probabilities.argmax(axis=-1) == mnist.test.digits[:, None], axis=0)  # (steps,)
    reached = np.flatnonzero(accuracy >= 0.5)
    if len(reached) == 0:
        return not_yet(text("this network never reaches 50% on the test digits; train it longer first."))
    expected = int(reached[0]) + 1
    number, form = as_whole_number(answer, text("a whole number of rows read, from 1 to 28"), text("an accuracy"))
    if form:
        return not_yet(form)
    below = np.flatnonzero(accuracy < 0.5)
    hints = {
        int(below[-1] if len(below) else -1) + 1: text("that is the last row below 50%; the question asks for the "
                                                       "first at or above."),
        expected + 1: text("one row too late: accuracy_after[k - 1] is the accuracy after k rows."),
        expected - 1: text("rows count from 1: accuracy_after[0] is the accuracy after row 1."),
    }
    if number != expected and number in hints:
        return not_yet(hints[number])
    median_settling = np.median(settling_rows(probabilities))
    if number != expected and number == median_settling:
        return not_yet(text("that is the median decision row: by then half the images have settled, on a right or "
                            "a wrong answer. The question asks when half of them are right."))
    if number == expected:
        return correct(text("after {rows} rows {a:.1%} are right, after {before} only {b:.1%}.", rows=expected,
                            a=accuracy[expected - 1], before=expected - 1, b=accuracy[expected - 2])
                       if expected > 1 else text("already after row 1, {a:.1%} are right.", a=accuracy[0]))
    return not_yet(hints.get(number, text("find the first k with accuracy_after[k - 1] >= 0.5.")))


@exercise("03.2", figures=3)
def class_accuracy(answer, network, mnist, digit, rows=21, figures=None):
    probabilities = fused_probabilities(network, mnist.test.images)
    predictions = probabilities[:, rows - 1].argmax(axis=-1)
    is_digit = mnist.test.digits == digit
    expected = np.mean(predictions[is_digit] == digit)
    predicted = predictions == digit
    overall = np.mean(predictions == mnist.test.digits)
    right, hint = judge_number(answer, expected, figures, [
        (np.mean(probabilities[is_digit, rows].argmax(axis=-1) == digit),
         text("that is after {rows} rows: the accuracy after k rows is at index k - 1.", rows=rows + 1)),
        (overall, text("that is all classes; take only the images of {digit}s.", digit=digit)),
        (np.mean(mnist.test.digits[predicted] == digit) if predicted.any() else None,
         text("that is the share right among the images predicted to be {digit}; the question asks among the "
              "images that are {digit}s.", digit=digit)),
        (100 * expected, text(PERCENT_HINT)),
    ], slack=tolerance_for(network, 0.0))
    if right:
        return correct(text("{share} of the {count} test {digit}s are predicted {digit} "
                            "after {rows} rows, against {overall} over all classes.", share=shown(expected, figures),
                            count=is_digit.sum(), digit=digit, rows=rows, overall=shown(overall, figures)))
    return not_yet(hint or text("among the test images that are {digit}s, the share predicted {digit} after {rows} "
                                "rows.", digit=digit, rows=rows))


@exercise("03.3")
def blank_start(answer, mnist, rows=4):
    def blank_for(k):  # test images with no ink in their first k rows
        return int(np.sum(mnist.test.pixels[:, :k].max(axis=(1, 2)) == 0))

    expected = blank_for(rows)
    number, form = as_whole_number(answer, text("a whole number of test images"), text("a share"))
    if form:
        return not_yet(form)

    hints = {
        mnist.test.num_examples - expected: text("that counts the images with ink in their first {rows} rows; the "
                                                 "others are the ones that look blank to the network.", rows=rows),
        blank_for(rows - 1): text("that is after {rows} rows: test_probabilities[:, k - 1] is after k rows.",
                                  rows=rows - 1),
        blank_for(rows + 1): text("that is after {rows} rows: test_probabilities[:, k - 1] is after k rows.",
                                  rows=rows + 1),
        mnist.test.num_examples: text("not all of them: some digits reach into the first {rows} rows.", rows=rows),
    }
    if number == expected:
        return correct(text("{count} test images have no ink in rows 1 to {rows}: identical inputs from the "
                            "same zero state give the same h, c and probabilities, whatever digit comes later.",
                            count=expected, rows=rows))
    return not_yet(hints.get(number, text("compare each image's probabilities after {rows} rows with the blank "
                                          "image's (np.all over the classes), or look for ink in the pixels.",
                                          rows=rows)))


@exercise("03.4")
def latest_right(answer, network, mnist):
    probabilities = fused_probabilities(network, mnist.test.images)
    rows = settling_rows(probabilities)
    right = probabilities[:, -1].argmax(axis=-1) == mnist.test.digits
    latest = rows[right].max()
    expected_form = text("the index of one test image, from 0 to {last}", last=len(rows) - 1)
    index, form = as_whole_number(answer, expected_form)
    if form or not 0 <= index < len(rows):
        return not_yet(form or text("expected {expected}, got {got}.", expected=expected_form, got=index))
    if right[index] and rows[index] == latest:
        return correct(text("test image {index}, a {digit}, is right only from row {latest} on, "
                            "the latest of the {count} images the network gets right.",
                            index=index, digit=mnist.test.digits[index], latest=latest, count=right.sum()))
    positions = np.flatnonzero(right)
    if index < len(positions) and rows[positions[index]] == latest:
        return not_yet(text("that is a position among the correctly classified images, not a test image index: "
                            "map it back with np.flatnonzero(...)."))
    if not right[index]:
        return not_yet(text("the network gets image {index} wrong (it says {digit}); choose among the images it "
                            "gets right.", index=index, digit=probabilities[index, -1].argmax()))
    return not_yet(text("image {index} settles after row {row}; a correctly classified image settles "
                        "later. Use decisions, restricted to the right answers.", index=index, row=rows[index]))


@exercise("03.5", figures=3)
def bottom_up_accuracy(answer, network, mnist, figures):
    pixels = mnist.test.pixels.astype(np.float32) / 255

    def accuracy(pictures):
        predictions = fused_probabilities(network, pictures.reshape(len(pictures), -1))[:, -1].argmax(axis=-1)
        return np.mean(predictions == mnist.test.digits)

    expected, top_down = accuracy(pixels[:, ::-1]), accuracy(pixels)
    right, hint = judge_number(answer, expected, figures, [
        (100 * expected, text(PERCENT_HINT)),
        (top_down, text("that is the accuracy read top-down: the rows are axis 1 of (images, rows, pixels); reverse "
                        "that one.")),
        (accuracy(pixels[::-1]), text("reversing axis 0 only reorders the images (and the answers no longer line up "
                                      "with their digits); reverse the rows, axis 1.")),
        (accuracy(pixels[:, :, ::-1]), text("that mirrors each row left to right (axis 2); bottom-up reverses the "
                                            "rows, axis 1.")),
    ], slack=tolerance_for(network, 0.0))
    if right:
        return correct(text("{bottom_up} read bottom-up against {top_down} top-down: "
                            "the network learned the rows in their order, not as a set.",
                            bottom_up=shown(expected, figures), top_down=shown(top_down, figures)))
    return not_yet(hint or text("reverse the rows of every image (axis 1), scale to [0, 1], flatten, and score the "
                                "network's answers after the last row."))
