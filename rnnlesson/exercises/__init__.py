"""Check a learner's answers to the notebooks' exercises: correct, not yet (with a hint), or not answered yet.

In a notebook: `exercises.check("01.3", answer, network=network)`. The expected values are computed
from the learner's own network, config and data, never pasted in. Where an exercise asks for what the
probing code computes, the reference is computed another way (rnnlesson.reference): the cells unrolled in
NumPy from their weights, or keras.layers.LSTM holding the same weights.
"""

from rnnlesson.exercises import notebook01, notebook02, notebook03  # noqa: F401 - each registers its checkers
from rnnlesson.exercises.verdicts import CHECKERS, FIGURES, Verdict, check, correct, exercise, judge, not_yet

__all__ = ["CHECKERS", "FIGURES", "Verdict", "check", "correct", "exercise", "judge", "not_yet"]
