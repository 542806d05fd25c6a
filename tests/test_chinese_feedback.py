"""The checkers' feedback in Chinese: every message is a template with a Chinese twin holding the same fields,
the verdicts print in Chinese in zh-CN (the exercise name first), check(..., lang=) asks for one language for
one call, and English stays as it was."""

import ast
import contextlib
import io
import pathlib
import string

import numpy as np
import pytest

import rnnlesson
from rnnlesson import exercises, i18n
from rnnlesson.config import Config
from rnnlesson.exercises.chinese import FEEDBACK
from rnnlesson.exercises.compare import PERCENT_HINT
from rnnlesson.exercises.notebook01 import FORGET_BIAS_SLIP

EXERCISES = pathlib.Path(__file__).resolve().parent.parent / "rnnlesson" / "exercises"
HAN = range(0x4E00, 0xA000)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    rnnlesson.set_language("en")


def fields(template):
    """The template's fields with their conversions and format specs, in order."""
    return [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None]


def text_templates():
    """Every literal first argument of a text(...) call in rnnlesson/exercises/, with where it is."""
    found = []
    for path in sorted(EXERCISES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "text"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.append((f"{path.name}:{node.lineno}", node.args[0].value))
    return found


def printed(name, answer, **context):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exercises.check(name, answer, **context)
    return out.getvalue()


def has_chinese(line):
    return any(ord(character) in HAN for character in line)


def test_every_chinese_template_has_the_english_fields():
    wrong = {english: chinese for english, chinese in FEEDBACK.items()
             if sorted(fields(english)) != sorted(fields(chinese))}
    assert not wrong
    assert not [english for english, chinese in FEEDBACK.items() if chinese == english]


def test_every_text_call_in_the_checkers_has_a_chinese_entry():
    templates = text_templates()
    assert len(templates) > 150  # the scan finds the calls
    missing = [(where, english) for where, english in templates if english not in FEEDBACK]
    assert not missing
    assert PERCENT_HINT in FEEDBACK and FORGET_BIAS_SLIP in FEEDBACK  # passed to text() by name


def test_no_message_is_left_as_an_f_string():
    """A message built with an f-string would bypass text(): the checkers format only inside text()."""
    for path in ["notebook01.py", "notebook02.py", "notebook03.py"]:
        tree = ast.parse((EXERCISES / path).read_text(encoding="utf-8"))
        assert not [node.lineno for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)], path


@pytest.mark.parametrize("name, answer, context, start", [
    ("01.2", ..., {"config": Config(), "cross_entropy": 2.3456}, "01.2 尚未作答：把 `answer =` 后面的 ..."),
    ("01.2", None, {"config": Config(), "cross_entropy": 2.3456}, "01.2 还不对：得到的是 None"),
    ("01.2", np.zeros(3), {"config": Config(), "cross_entropy": 2.3456},
     "01.2 还不对：应为一个数，但得到：形状为 (3,) 的数组。"),
    ("01.2", 0.2, {"config": Config(), "cross_entropy": 2.3456}, "01.2 还不对：很接近了，请给出两位有效数字"),
    ("01.2", 0.23, {"config": Config(), "cross_entropy": 2.3456}, "01.2 正确：平均是对 批量 x 10 个元素求的"),
    ("01.2", 2.3456, {"config": Config(), "cross_entropy": 2.3456}, "01.2 还不对：这是交叉熵本身"),
    ("01.1", "row five", {"config": Config()},
     "01.1 还不对：应为第 5 行的索引，例如 range(start, stop)，但得到：字符串 'row five'。"),
    ("01.4", (14, 7, 128), {"config": Config(num_hidden=128)}, "01.4 正确：14 个时间步"),
    ("02.6", 1.0, {"blank_rows": 10}, "02.6 还不对："),
    ("02.6", 2.63, {"blank_rows": 10}, "02.6 正确：f = 0.5 ** (1 / 10) = 0.9330"),
])
def test_verdicts_print_in_chinese_in_zh_cn(name, answer, context, start):
    rnnlesson.set_language("zh-CN")
    line = printed(name, answer, **context)
    assert line.startswith(start), line
    assert line.count("\n") == 1 and has_chinese(line)
    assert not any(word in line for word in ("Correct", "Not yet", "expected", "close:"))
    assert exercises.judge(name, answer, **context).status in ("correct", "not yet", "not answered yet")


def test_every_verdict_kind_keeps_its_english_status_in_chinese():
    rnnlesson.set_language("zh-CN")
    context = {"config": Config(), "cross_entropy": 2.3456}
    assert exercises.judge("01.2", ..., **context).status == "not answered yet"
    assert exercises.judge("01.2", 0.2, **context).status == "not yet"
    assert exercises.judge("01.2", 0.23, **context).status == "correct"


def test_check_lang_asks_for_one_language_for_one_call():
    context = {"config": Config(), "cross_entropy": 2.3456}
    assert printed("01.2", 0.23, lang="zh-CN", **context).startswith("01.2 正确：")
    assert i18n.language() == "en"
    assert printed("01.2", 0.23, **context).startswith("01.2 Correct: the mean runs over batch x 10 entries")
    rnnlesson.set_language("zh-CN")
    assert printed("01.2", 0.2, lang="en", **context) == (
        "01.2 Not yet: close: give two significant figures.\n")
    assert i18n.language() == "zh-CN"


def test_check_lang_restores_the_language_after_an_error():
    with pytest.raises(TypeError, match="missing: cross_entropy"):  # the programmer's error stays English
        exercises.check("01.2", 0.23, lang="zh-CN", config=Config())
    assert i18n.language() == "en"
    with pytest.raises(ValueError, match="lang= one of 'en', 'zh-CN'"):
        exercises.check("01.2", 0.23, lang="fr", config=Config(), cross_entropy=2.3456)
    assert i18n.language() == "en"


def test_lang_cannot_be_a_checkers_context_parameter():
    with pytest.raises(ValueError, match="may not take `lang`"):
        @exercises.exercise("99.9")
        def with_lang(answer, lang):
            return exercises.correct("")
    assert "99.9" not in exercises.CHECKERS


def test_english_verdicts_are_unchanged():
    context = {"config": Config(), "cross_entropy": 2.3456}
    assert printed("01.2", ..., **context) == (
        "01.2 Not answered yet: replace the ... after `answer =` with your answer, then run the cell.\n")
    assert printed("01.2", None, **context) == "01.2 Not yet: got None: did your function forget to return?\n"
    assert printed("01.2", np.zeros(3), **context) == (
        "01.2 Not yet: expected a number, got an array of shape (3,).\n")
    assert printed("01.2", 0.23, **context) == (
        "01.2 Correct: the mean runs over batch x 10 entries, and only one per image is non-zero, so the tutorial "
        "prints the cross-entropy / 10: 0.23.\n")
    assert printed("02.6", 2.63, blank_rows=10).startswith(
        "02.6 Correct: f = 0.5 ** (1 / 10) = 0.9330 keeps half after 10 blank rows;")


def test_the_chinese_feedback_uses_the_glossarys_terms():
    set_aside = ["细胞状态", "隐藏状态", "递归神经网络", "暂退法", "丢弃法"]  # TERMINOLOGY.md chose others
    assert not [chinese for chinese in FEEDBACK.values() if any(term in chinese for term in set_aside)]


def test_a_typical_slip_gets_its_chinese_hint():
    rnnlesson.set_language("zh-CN")
    line = printed("02.6", 0.933, blank_rows=10)  # f = 0.5 ** (1 / 10), not the bias that makes it
    assert line.startswith("02.6 还不对：") and "遗忘门的值 f" in line and line.rstrip().endswith("。")


def test_the_findings_and_the_progress_bar_speak_the_notebooks_language(capsys):
    from rnnlesson import probe  # imports TensorFlow

    changed = Config(num_hidden=64)  # not the lesson's config: a finding that does not hold is printed, not raised
    probe.check_findings({"a": True, "b": False}, changed)
    assert capsys.readouterr().out == "holds:    a\ndoes not: b\n"
    rnnlesson.set_language("zh-CN")
    probe.check_findings({"甲": True, "乙": False}, changed)
    assert capsys.readouterr().out == "成立：  甲\n不成立：乙\n"
    assert i18n.text("training") == "训练"
