"""The exercises' verdicts: correct, not yet (with a hint) or not answered yet, and the checkers by name."""

import functools
import inspect
from dataclasses import dataclass

from rnnlesson import i18n
from rnnlesson.i18n import text

CHECKERS = {}
FIGURES = {}  # exercise name -> the significant figures its question asks for (the exercises with a rounded answer)


@dataclass(frozen=True)
class Verdict:
    status: str  # "correct", "not yet" or "not answered yet"
    message: str

    def __str__(self):
        """"Correct: ..." in English, "正确：..." in Chinese; `status` itself stays the English word."""
        word = {"correct": text("Correct"), "not yet": text("Not yet"),
                "not answered yet": text("Not answered yet")}[self.status]
        return text("{verdict}: {message}", verdict=word, message=self.message)


def correct(why):
    return Verdict("correct", why)


def not_yet(hint):
    return Verdict("not yet", hint)


def exercise(name, figures=None):
    """Register the function below as the checker of exercise `name`. An exercise that asks for a number to some
    significant figures says how many; its checker receives them as `figures`."""
    def register(checker):
        if "lang" in inspect.signature(checker).parameters:
            raise ValueError(f"exercise {name}'s checker may not take `lang`: check() takes it for the language.")
        CHECKERS[name] = functools.partial(checker, figures=figures) if figures else checker
        if figures:
            FIGURES[name] = figures
        return checker
    return register


def judge(name, answer, **context):
    """The Verdict on `answer` to exercise `name`; a wrong answer of any type or shape is a "not yet"."""
    if name not in CHECKERS:
        raise ValueError(f"No exercise {name!r}; the exercises are {sorted(CHECKERS)}.")
    _check_context(name, context)
    if answer is ...:  # the placeholder every answer cell starts with
        return Verdict("not answered yet",
                       text("replace the ... after `answer =` with your answer, then run the cell."))
    if answer is None:
        return not_yet(text("got None: did your function forget to return?"))
    return CHECKERS[name](answer, **context)


def _check_context(name, context):
    """Refuse a call without what the checker computes the expected value from, naming it."""
    parameters = list(inspect.signature(CHECKERS[name]).parameters.values())[1:]  # after the answer
    needed = [parameter.name for parameter in parameters if parameter.default is inspect.Parameter.empty]
    missing = [each for each in needed if each not in context]
    unknown = sorted(set(context) - {parameter.name for parameter in parameters})
    if missing or unknown:
        call = ", ".join(f"{each}={each}" for each in needed)
        raise TypeError(
            f"exercise {name} is checked with exercises.check({name!r}, answer, {call}), as its cell has it"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not used: {', '.join(unknown)}" if unknown else "") + "."
        )


def check(name, answer, /, lang=None, **context):
    """Print whether `answer` to exercise `name` is correct, with a hint if it is not yet: in the current language
    (rnnlesson.set_language), or in `lang` ("en" or "zh-CN") for this call only."""
    if lang is not None:
        i18n.checked(lang, "check takes lang=", also=" or None")
    with i18n.messages_in(lang or i18n.language()):
        print(f"{name} {judge(name, answer, **context)}")
