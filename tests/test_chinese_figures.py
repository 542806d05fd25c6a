"""The figures and the explorer in Chinese: every text has a Chinese template with the same fields, the Chinese
figures draw with a font that has their characters, and without such a font they stay in English."""

import ast
import re
import string
import warnings
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnnlesson  # noqa: E402
from rnnlesson import fonts, i18n, plots, train, widgets  # noqa: E402
from rnnlesson.chinese_figures import FIGURES  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "rnnlesson"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_afterwards():
    """Each test leaves the language, matplotlib's fonts and the cached font choice as it found them."""
    with matplotlib.rc_context():
        yield
    rnnlesson.set_language("en")
    fonts.use_chinese_font.cache_clear()


def fields(template):
    """The {fields} of a str.format template with their format specs and conversions, counted."""
    return Counter((name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(template)
                   if name is not None)


def translated_literals(path):
    """The literal first arguments of the label(...), text(...) and _(...) calls (plots imports label as _), of
    the titles' translate(...) calls, and the descriptions given to described(figure, ...), in one module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[1] if name == "described" and len(node.args) > 1 else node.args[0]
            name = "text" if name == "described" else name
            if name in ("label", "text", "_", "translate") and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return [text for _, text in sorted(found)]


def untranslated_words(path):
    """String constants and f-strings given to matplotlib as a text (axis.text's third argument; title, label,
    xlabel and ylabel keywords; set_title, set_xlabel, set_ylabel, suptitle, supxlabel, supylabel) that are not
    wrapped in a translation: only mathematics and symbols may be left so."""
    wrapped = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None)
        shown = [keyword.value for keyword in node.keywords if keyword.arg in ("title", "label", "xlabel", "ylabel")]
        if name == "text" and len(node.args) >= 3:
            shown.append(node.args[2])
        if name in ("set_title", "set_xlabel", "set_ylabel", "suptitle", "supxlabel", "supylabel") and node.args:
            shown.append(node.args[0])
        for value in shown:
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):  # e.g. _(...).replace(...)
                value = value.func.value
            if isinstance(value, (ast.Constant, ast.JoinedStr)):
                wrapped.append(ast.unparse(value))
    return wrapped


def english_texts():
    panels = [text for _, title, meaning, _ in plots.GATE_PANELS for text in (title, meaning)]
    return {*translated_literals(PACKAGE / "plots.py"), *translated_literals(PACKAGE / "widgets.py"), *panels}


def figure_texts(figure):
    texts = [text.get_text() for text in figure.findobj(matplotlib.text.Text)]
    for axis in figure.axes:
        if axis.get_legend() is not None:
            texts += [text.get_text() for text in axis.get_legend().get_texts()]
    return [text for text in texts if text]


def probabilities(steps=28, seed=0):
    values = np.random.default_rng(seed).random((steps, 10))
    return values / values.sum(axis=1, keepdims=True)


def drawn_without_missing_glyphs(figure):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.canvas.draw()
    problems = [str(warning.message) for warning in caught
                if "missing from font" in str(warning.message) or "Glyph" in str(warning.message)]
    assert problems == []


def test_every_chinese_template_has_the_english_fields():
    for english, chinese in FIGURES.items():
        assert fields(chinese) == fields(english), (english, chinese)
        assert chinese != english, english


def test_every_text_of_the_figures_and_the_explorer_has_chinese():
    texts = english_texts()
    assert len(texts) > 60  # the scan found the calls
    assert sorted(texts - FIGURES.keys()) == []
    assert sorted(FIGURES.keys() - texts) == []  # no Chinese for a text that no longer exists


def test_the_scans_see_the_calls_they_must_check(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('axis.set_title(_("a title {n}", n=1))\ncaption = i18n.text("a caption")\nlabel(name)\n'
                      'axis.text(0, 1, "words", fontsize=9)\naxis.set(xlabel=f"row {row}", ylabel=_("rows"))\n')
    assert translated_literals(module) == ["a title {n}", "a caption", "rows"]
    assert sorted(untranslated_words(module)) == ["'words'", "f'row {row}'"]


def test_only_mathematics_and_symbols_are_left_untranslated():
    assert sorted(untranslated_words(PACKAGE / "plots.py")) == sorted([
        "f'$c_{{t-1}}$ (batch, {num_hidden})'", "f'$h_{{t-1}}$ (batch, {num_hidden})'", "f'$h_{{{row}}}$'",
        "f'$\\\\partial h_{{{right}}}/\\\\partial h_{{{left}}}$'", "'[h, c]'", "f'outputs[t{step - 1:+d}]'", "'...'"])
    assert untranslated_words(PACKAGE / "widgets.py") == []


@pytest.mark.skipif(fonts.find_chinese_font() is None, reason="no font with Chinese characters installed")
def test_chinese_figures_have_chinese_texts_and_every_glyph():
    rnnlesson.set_language("zh-CN")
    assert i18n.figures_language() == "zh-CN"
    history = train.History(loss=np.linspace(2, 0.1, 120), accuracy=np.linspace(0.1, 0.99, 120),
                            log=[(0, 0, 0.1), (100, 1, 0.9)])
    curves = plots.training_curves(history, window=50)
    loss_axis, accuracy_axis = curves.axes
    assert (loss_axis.get_xlabel(), loss_axis.get_ylabel()) == ("迭代", "交叉熵")
    assert accuracy_axis.get_ylabel() == "准确率"
    assert [text.get_text() for text in loss_axis.get_legend().get_texts()] == ["每个批量", "50 次迭代的平均"]
    drawn_without_missing_glyphs(curves)

    bars = plots.step_bars(probabilities(), true_class=4)
    predictions = probabilities().argmax(axis=1)
    panels = [axis for axis in bars.axes if axis.patches]
    assert [axis.get_title() for axis in panels] == [f"第 {k + 1} 行：{predictions[k]}" for k in range(28)]
    assert bars.get_suptitle().startswith("每读一行后各类别的概率（真实类别 4，")
    drawn_without_missing_glyphs(bars)

    cell = plots.cell_diagram(input_num=28, num_hidden=256)
    texts = figure_texts(cell)
    assert "遗忘门" in " ".join(texts) and "$x_t$ (batch, 28)：图像的一行" in texts
    assert "$c_{t-1}$ (batch, 256)" in texts  # the mathematics stays as it is
    drawn_without_missing_glyphs(cell)


@pytest.mark.skipif(fonts.find_chinese_font() is None, reason="no font with Chinese characters installed")
def test_chinese_explorer_keeps_the_order_of_its_numbers():
    rnnlesson.set_language("zh-CN")
    rng = np.random.default_rng(0)
    values = rng.random((4, 28, 10))
    values /= values.sum(axis=2, keepdims=True)
    digits = values[:, -1].argmax(axis=1)
    explorer = widgets.Explorer(rng.integers(0, 256, (4, 28, 28), dtype=np.uint8), digits, values)
    explorer.select(image=2, step=7)
    image_title, bar_title = explorer.view.image_axis.get_title(), explorer.view.bar_axis.get_title()
    assert image_title == f"#2：真实数字 {digits[2]}，已读 7 行"
    assert re.findall(r"\d+", image_title) == ["2", str(digits[2]), "7"]
    predicted = values[2, 6].argmax()
    assert re.findall(r"\d+", bar_title) == ["7", str(predicted), f"{values[2, 6, predicted]:.0%}"[:-1]]
    assert explorer.caption.value == f"{image_title} · {bar_title}"
    with pytest.raises(ValueError, match="rows read must be a whole number between 1 and 28, got 29"):
        explorer.select(step=29)
    assert explorer.step_slider.description == "已读行数"
    assert explorer.view.line_axis.get_xlabel() == "已读行数"
    drawn_without_missing_glyphs(explorer.view.figure)


def test_without_a_chinese_font_one_notice_and_english_figures(monkeypatch, capsys):
    monkeypatch.setattr(fonts, "find_chinese_font", lambda: None)
    fonts.use_chinese_font.cache_clear()
    rnnlesson.set_language("zh-CN")
    rnnlesson.set_language("zh-CN")  # a second Setup run says it no more
    assert capsys.readouterr().out == fonts.NOTICE + "\n"
    assert (i18n.language(), i18n.figures_language()) == ("zh-CN", "en")
    heatmap = plots.probability_heatmap(probabilities(), true_class=2)
    assert heatmap.axes[0].get_title() == "after each row (true class 2 framed)"
    assert heatmap.axes[0].get_ylabel() == "rows read"
    assert not any(CJK.search(text) for text in figure_texts(heatmap))
    # the explorer's figure stays English; its caption, which is text, is in the notebook's language
    values = probabilities()[None]
    explorer = widgets.Explorer(np.zeros((1, 28, 28)), values[:, -1].argmax(axis=1), values)
    assert explorer.view.image_axis.get_title().startswith("#0: true ")
    assert explorer.caption.value.startswith(f"#0：真实数字 {values[0, -1].argmax()}，已读 28 行 · 第 28 步：预测 ")


def test_english_figures_are_unchanged_by_a_chinese_session():
    before = figure_texts(plots.decision_summary(np.array([1, 5, 5, 28]), np.array([0, 1, 1, 2]),
                                                 np.linspace(0.1, 0.97, 28)))
    rnnlesson.set_language("zh-CN")
    rnnlesson.set_language("en")
    after = figure_texts(plots.decision_summary(np.array([1, 5, 5, 28]), np.array([0, 1, 1, 2]),
                                                np.linspace(0.1, 0.97, 28)))
    assert after == before
    assert "accuracy if stopped after k rows" in after and "rows read (k)" in after


@pytest.mark.skipif(fonts.find_chinese_font() is None, reason="no font with Chinese characters installed")
def test_english_figures_look_the_same_after_a_chinese_session():
    def pixels():
        figure = plots.true_class_trajectory(probabilities(), true_class=3)
        figure.canvas.draw()
        drawn = np.asarray(figure.canvas.buffer_rgba()).copy()
        plots.plt.close(figure)
        return drawn

    before = pixels()
    rnnlesson.set_language("zh-CN")
    rnnlesson.set_language("en")
    np.testing.assert_array_equal(pixels(), before)  # the Chinese font no longer comes first
