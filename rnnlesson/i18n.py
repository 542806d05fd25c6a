"""The language of what the package shows a learner: figure labels, checker feedback, the explorer.

A notebook's Setup cell calls `rnnlesson.set_language("en")` or `rnnlesson.set_language("zh-CN")`.
`text(english, **fields)` gives the English text in the current language, with its {fields} filled in;
an English text without a Chinese one in CHINESE is shown in English.
"""

LANGUAGES = ("en", "zh-CN")
_current = "en"

CHINESE = {}  # English text (a str.format template) -> its Chinese text, with the same {fields}


def set_language(tag):
    """Show figure labels, checker feedback and the explorer in `tag`: "en" or "zh-CN"."""
    global _current
    if tag not in LANGUAGES:
        raise ValueError(f"set_language takes one of {', '.join(map(repr, LANGUAGES))}; got {tag!r}.")
    _current = tag


def language():
    return _current


def text(english, **fields):
    template = CHINESE.get(english, english) if _current == "zh-CN" else english
    return template.format(**fields) if fields else template
