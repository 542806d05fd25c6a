"""The checkers of notebook 03's exercises: the probabilities after every row, from keras.layers.LSTM."""

import numpy as np

from rnnlesson.exercises.compare import PERCENT_HINT, as_whole_number, judge_number, remembered, shown, tolerance_for
from rnnlesson.exercises.verdicts import correct, exercise, not_yet
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
        return not_yet("this network never reaches 50% on the test digits; train it longer first.")
    expected = int(reached[0]) + 1
    number, form = as_whole_number(answer, "a whole number of rows read, from 1 to 28", "an accuracy")
    if form:
        return not_yet(form)
    below = np.flatnonzero(accuracy < 0.5)
    hints = {
        int(below[-1] if len(below) else -1) + 1: "that is the last row below 50%; the question asks for the "
                                                  "first at or above.",
        expected + 1: "one row too late: accuracy_after[k - 1] is the accuracy after k rows.",
        expected - 1: "rows count from 1: accuracy_after[0] is the accuracy after row 1.",
    }
    if number != expected and number in hints:
        return not_yet(hints[number])
    median_settling = np.median(settling_rows(probabilities))
    if number != expected and number == median_settling:
        return not_yet("that is the median decision row: by then half the images have settled, on a right or "
                       "a wrong answer. The question asks when half of them are right.")
    if number == expected:
        return correct(f"after {expected} rows {accuracy[expected - 1]:.1%} are right, after "
                       f"{expected - 1} only {accuracy[expected - 2]:.1%}." if expected > 1 else
                       f"already after row 1, {accuracy[0]:.1%} are right.")
    return not_yet(hints.get(number, "find the first k with accuracy_after[k - 1] >= 0.5."))


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
         f"that is after {rows + 1} rows: the accuracy after k rows is at index k - 1."),
        (overall, f"that is all classes; take only the images of {digit}s."),
        (np.mean(mnist.test.digits[predicted] == digit) if predicted.any() else None,
         f"that is the share right among the images predicted to be {digit}; the question asks among the "
         f"images that are {digit}s."),
        (100 * expected, PERCENT_HINT),
    ], slack=tolerance_for(network, 0.0))
    if right:
        return correct(f"{shown(expected, figures)} of the {is_digit.sum()} test {digit}s are predicted {digit} "
                       f"after {rows} rows, against {shown(overall, figures)} over all classes.")
    return not_yet(hint or f"among the test images that are {digit}s, the share predicted {digit} after {rows} rows.")


@exercise("03.3")
def blank_start(answer, mnist, rows=4):
    def blank_for(k):  # test images with no ink in their first k rows
        return int(np.sum(mnist.test.pixels[:, :k].max(axis=(1, 2)) == 0))

    expected = blank_for(rows)
    number, form = as_whole_number(answer, "a whole number of test images", "a share")
    if form:
        return not_yet(form)

    hints = {
        mnist.test.num_examples - expected: f"that counts the images with ink in their first {rows} rows; the "
                                            "others are the ones that look blank to the network.",
        blank_for(rows - 1): f"that is after {rows - 1} rows: test_probabilities[:, k - 1] is after k rows.",
        blank_for(rows + 1): f"that is after {rows + 1} rows: test_probabilities[:, k - 1] is after k rows.",
        mnist.test.num_examples: f"not all of them: some digits reach into the first {rows} rows.",
    }
    if number == expected:
        return correct(f"{expected} test images have no ink in rows 1 to {rows}: identical inputs from the "
                       "same zero state give the same h, c and probabilities, whatever digit comes later.")
    return not_yet(hints.get(number, f"compare each image's probabilities after {rows} rows with the blank "
                                     "image's (np.all over the classes), or look for ink in the pixels."))


@exercise("03.4")
def latest_right(answer, network, mnist):
    probabilities = fused_probabilities(network, mnist.test.images)
    rows = settling_rows(probabilities)
    right = probabilities[:, -1].argmax(axis=-1) == mnist.test.digits
    latest = rows[right].max()
    expected_form = f"the index of one test image, from 0 to {len(rows) - 1}"
    index, form = as_whole_number(answer, expected_form)
    if form or not 0 <= index < len(rows):
        return not_yet(form or f"expected {expected_form}, got {index}.")
    if right[index] and rows[index] == latest:
        return correct(f"test image {index}, a {mnist.test.digits[index]}, is right only from row {latest} on, "
                       f"the latest of the {right.sum()} images the network gets right.")
    positions = np.flatnonzero(right)
    if index < len(positions) and rows[positions[index]] == latest:
        return not_yet("that is a position among the correctly classified images, not a test image index: "
                       "map it back with np.flatnonzero(...).")
    if not right[index]:
        return not_yet(f"the network gets image {index} wrong (it says "
                       f"{probabilities[index, -1].argmax()}); choose among the images it gets right.")
    return not_yet(f"image {index} settles after row {rows[index]}; a correctly classified image settles "
                   "later. Use decisions, restricted to the right answers.")


@exercise("03.5", figures=3)
def bottom_up_accuracy(answer, network, mnist, figures):
    pixels = mnist.test.pixels.astype(np.float32) / 255

    def accuracy(pictures):
        predictions = fused_probabilities(network, pictures.reshape(len(pictures), -1))[:, -1].argmax(axis=-1)
        return np.mean(predictions == mnist.test.digits)

    expected, top_down = accuracy(pixels[:, ::-1]), accuracy(pixels)
    right, hint = judge_number(answer, expected, figures, [
        (100 * expected, PERCENT_HINT),
        (top_down, "that is the accuracy read top-down: the rows are axis 1 of (images, rows, pixels); reverse "
                   "that one."),
        (accuracy(pixels[::-1]), "reversing axis 0 only reorders the images (and the answers no longer line up "
                                 "with their digits); reverse the rows, axis 1."),
        (accuracy(pixels[:, :, ::-1]), "that mirrors each row left to right (axis 2); bottom-up reverses the "
                                       "rows, axis 1."),
    ], slack=tolerance_for(network, 0.0))
    if right:
        return correct(f"{shown(expected, figures)} read bottom-up against {shown(top_down, figures)} top-down: "
                       "the network learned the rows in their order, not as a set.")
    return not_yet(hint or "reverse the rows of every image (axis 1), scale to [0, 1], flatten, and score the "
                           "network's answers after the last row.")
