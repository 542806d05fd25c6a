"""The Chinese edition (notebooks/zh-CN/) is the English one in other words: same cells, same program, same sections.

The tests that depend only on a notebook's code run on the English notebooks; these tests hold the Chinese twins
to that code, so those tests stand for both editions. nbval runs the Chinese notebooks once as well.
"""

import copy
import json
import re

import pytest
from editions import CHINESE, NAMES, NOTEBOOKS, cells, differences

ROOT = NOTEBOOKS.parent


@pytest.mark.parametrize("name", NAMES)
def test_the_chinese_notebook_is_the_english_program_with_the_same_sections(name):
    assert (CHINESE / name).exists(), f"notebooks/zh-CN/{name} is missing"
    assert differences(NOTEBOOKS / name, CHINESE / name) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_markdown_cell_is_translated(name):
    untranslated = [cell["id"] for cell in cells(CHINESE / name)
                    if cell["cell_type"] == "markdown" and not re.search(r"[\u4e00-\u9fff]", cell["source"])]
    assert untranslated == []


@pytest.mark.parametrize("name", NAMES)
def test_the_chinese_setup_cell_sets_the_language(name):
    setup = next(cell["source"] for cell in cells(CHINESE / name) if cell["cell_type"] == "code")
    assert 'rnnlesson.set_language("zh-CN")' in setup


def _drifted(tmp_path, change):
    """A copy of the Chinese notebook 01 with `change(cells)` applied, and what the comparison says of it."""
    notebook = json.loads((CHINESE / NAMES[0]).read_text())
    change(notebook["cells"])
    path = tmp_path / NAMES[0]
    path.write_text(json.dumps(notebook, ensure_ascii=False))
    return differences(NOTEBOOKS / NAMES[0], path)


def _code_cell(cells_, text):
    return next(cell for cell in cells_ if cell["cell_type"] == "code" and text in "".join(cell["source"]))


def _edit(cell, old, new):
    source = "".join(cell["source"])
    assert old in source
    cell["source"] = source.replace(old, new, 1)


DRIFTS = {
    "a number in the code": lambda cells_: _edit(_code_cell(cells_, "config.iterations // 4"), "// 4", "// 5"),
    "a name in the code": lambda cells_: _edit(_code_cell(cells_, "plain_accuracy ="), "plain_accuracy =",
                                              "plain_acc ="),
    "an exercise name": lambda cells_: _edit(_code_cell(cells_, '"01.2"'), '"01.2"', '"01.3"'),
    "a cell left out": lambda cells_: cells_.pop(len(cells_) // 2),
    "a heading level": lambda cells_: _edit(next(cell for cell in cells_ if cell["cell_type"] == "markdown"
                                                 and "".join(cell["source"]).startswith("## ")), "## ", "### "),
    "a Try-it code change": lambda cells_: _edit(
        next(cell for cell in cells_ if "config = config.replace(" in "".join(cell["source"])
             and cell["cell_type"] == "markdown"), "config = config.replace(", "config = config.replace(seed=3, "),
}


@pytest.mark.parametrize("drift", list(DRIFTS))
def test_a_drift_between_the_editions_is_caught(drift, tmp_path):
    assert _drifted(tmp_path, DRIFTS[drift]), f"{drift} went unnoticed"


def test_comments_and_translated_strings_are_not_drift(tmp_path):
    def translate_more(cells_):
        cell = copy.deepcopy(_code_cell(cells_, "plain_accuracy ="))
        _edit(cell, "\n", "  # 又一条注释\n")
        cells_[cells_.index(_code_cell(cells_, "plain_accuracy ="))] = cell

    assert _drifted(tmp_path, translate_more) == []


# the chosen term, then terms set aside: those may appear only in a sentence that names the choice (译作 / 写作)
TERMS = [("记忆元", ["细胞状态"]), ("隐状态", ["隐藏状态"]), ("遗忘门", []), ("时间步", []), ("检查点", []),
         ("循环神经网络", ["递归神经网络"]), ("dropout", ["暂退法", "丢弃法"])]
QUOTED = re.compile(r"「[^」]*」|“[^”]*”|《[^》]*》|> .*")


def _prose(name):
    return "\n".join(cell["source"] for cell in cells(CHINESE / name) if cell["cell_type"] == "markdown")


@pytest.mark.parametrize(("chosen", "set_aside"), TERMS, ids=[chosen for chosen, _ in TERMS])
def test_the_edition_uses_the_terms_of_its_glossary(chosen, set_aside):
    glossary = (ROOT / "TERMINOLOGY.md").read_text()
    assert chosen in glossary
    prose = {name: _prose(name) for name in NAMES}
    assert any(chosen in text for text in prose.values()), f"{chosen} is used in no Chinese notebook"
    for name, text in prose.items():
        for sentence in re.split(r"[。！？\n]", QUOTED.sub("", text)):
            for term in set_aside:
                assert term not in sentence or re.search("译作|写作|也叫|称为", sentence), \
                    f"{name}: {term!r} where the glossary chose {chosen!r}: {sentence.strip()}"


def test_the_readmes_link_to_each_other():
    english, chinese = (ROOT / "README.md").read_text(), (ROOT / "README.zh-CN.md").read_text()
    assert "(README.zh-CN.md)" in english.split("\n\n")[0] + english.split("\n\n")[1]
    assert "(README.md)" in chinese.split("\n")[0]
    assert "make lesson LANG=zh-CN" in chinese and "notebooks/zh-CN/" in chinese
