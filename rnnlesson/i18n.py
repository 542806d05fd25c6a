"""The language of what the package shows a learner: figure labels, checker feedback, the explorer.

A notebook's Setup cell calls `rnnlesson.set_language("en")` or `rnnlesson.set_language("zh-CN")`.
`text(english, **fields)` gives a message in the current language, `label(english, **fields)` a figure's text
(in English when no font for Chinese was found), each with its {fields} filled in by str.format. The Chinese
texts are in rnnlesson/chinese_figures.py and rnnlesson/exercises/chinese.py; an English text without a
Chinese one is shown in English.
"""

import contextlib
import functools

LANGUAGES = ("en", "zh-CN")
_current = "en"
_figures = "en"  # the language of figure texts: Chinese only with a font that has its characters


# the few texts of the other modules: probe.check_findings' verdicts, the training's progress bar
MESSAGES = {"holds:    ": "成立：  ", "does not: ": "不成立：", "training": "训练"}


def checked(tag, caller, also=""):
    """`tag` if it is one of LANGUAGES, else a ValueError naming `caller` and the tags it takes."""
    if tag not in LANGUAGES:
        raise ValueError(f"{caller} one of {', '.join(map(repr, LANGUAGES))}{also}; got {tag!r}.")
    return tag


def set_language(tag):
    """Show figure labels, checker feedback and the explorer in `tag`: "en" or "zh-CN"."""
    global _current, _figures
    checked(tag, "set_language takes")
    _current = _figures = tag
    from rnnlesson import fonts

    if tag == "zh-CN":
        name = fonts.use_chinese_font()  # looked up once (and the notice printed once, if there is none)
        if name is None:
            _figures = "en"
        fonts.first_font(name)
    else:
        fonts.first_font(None)


@contextlib.contextmanager
def messages_in(tag):
    """Messages (text) in `tag` inside the with block, the previous language after it, even on an error; figures
    keep their language."""
    global _current
    previous, _current = _current, checked(tag, "the language is")
    try:
        yield
    finally:
        _current = previous


def language():
    return _current


def figures_language():
    return _figures


@functools.cache
def chinese():
    """English template -> Chinese template, for figures and for the exercises' feedback (merged once)."""
    from rnnlesson.chinese_figures import FIGURES
    from rnnlesson.exercises.chinese import FEEDBACK

    return {**FIGURES, **FEEDBACK, **MESSAGES}


def _translated(english, language, fields):
    template = chinese().get(english, english) if language == "zh-CN" else english
    return template.format(**fields) if fields else template


def text(english, **fields):
    """A message (checker feedback, the explorer's caption) in the current language."""
    return _translated(english, _current, fields)


def label(english, **fields):
    """A figure's title, axis label, legend or annotation in the figures' language."""
    return _translated(english, _figures, fields)
