"""Compare the English notebooks with their Chinese twins: the same cells, the same program, the same sections.

Two code cells are the same program when their syntax trees are equal once comments and the text of string
literals are set aside (an f-string keeps its expressions and format specs). A string that differs must be a
translation, so its Chinese text holds Chinese characters; only the language tag may differ otherwise.
"""

import ast
import re
import textwrap
from pathlib import Path

from notebook_cells import CONFIG_CHANGE, FENCED_PYTHON, NOTEBOOKS, cells

CHINESE = NOTEBOOKS / "zh-CN"
NAMES = ("01_train.ipynb", "02_outputs_and_state.ipynb", "03_step_probabilities.ipynb")
LANGUAGE_TAGS = {("en", "zh-CN")}  # rnnlesson.set_language("en") in English, ("zh-CN") in Chinese
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
HEADING = re.compile(r"^(#{1,6}) ", re.MULTILINE)


class _SetStringsAside(ast.NodeTransformer):
    """Replace every string literal's text by a placeholder, keeping the texts in order."""

    def __init__(self):
        self.texts = []

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            self.texts.append(node.value)
            return ast.copy_location(ast.Constant(value="<text>"), node)
        return node

    def visit_JoinedStr(self, node):  # an f-string: its literal parts are text, its {expressions} are code
        values = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                self.texts.append(value.value)
            else:
                values.append(self.visit(value))
        return ast.copy_location(ast.JoinedStr(values=values), node)

    def visit_FormattedValue(self, node):
        node.value = self.visit(node.value)
        if node.format_spec is not None:  # ':.4f' is code: it keeps its text
            node.format_spec = ast.JoinedStr(values=[
                value if isinstance(value, ast.Constant) else self.visit(value) for value in node.format_spec.values])
        return node


def program(source):
    """(the code rewritten from its syntax tree with strings set aside, the string texts in order) of a cell."""
    tree = ast.parse(source)
    aside = _SetStringsAside()
    tree = aside.visit(tree)
    return ast.unparse(tree), aside.texts


def _code_differences(where, english, chinese):
    try:
        english_program, english_texts = program(english)
        chinese_program, chinese_texts = program(chinese)
    except SyntaxError as error:
        return [f"{where}: does not parse: {error}"]
    if english_program != chinese_program:
        first = next((pair for pair in zip(english_program.split("\n"), chinese_program.split("\n"))
                      if pair[0] != pair[1]), ("(its end)", "(more code)"))
        return [f"{where}: the code differs beyond comments and strings: {first[0].strip()!r} in English, "
                f"{first[1].strip()!r} in Chinese"]
    problems = []
    for english_text, chinese_text in zip(english_texts, chinese_texts):
        if english_text != chinese_text and not HAN.search(chinese_text) \
                and (english_text, chinese_text) not in LANGUAGE_TAGS:
            problems.append(f"{where}: the string {english_text!r} became {chinese_text!r}, which is not a translation")
    return problems


def headings(source):
    return [len(level) for level in HEADING.findall(re.sub(r"```.*?```", "", source, flags=re.DOTALL))]


def differences(english_path, chinese_path):
    """Every way the Chinese notebook differs from the English one other than in its words; [] if none."""
    english, chinese = cells(english_path), cells(chinese_path)
    name = Path(english_path).name
    ids = ([cell["id"], cell["cell_type"]] for cell in english), ([cell["id"], cell["cell_type"]] for cell in chinese)
    english_ids, chinese_ids = (list(each) for each in ids)
    if english_ids != chinese_ids:
        missing = [pair for pair in english_ids if pair not in chinese_ids]
        extra = [pair for pair in chinese_ids if pair not in english_ids]
        return [f"{name}: the cells differ (id, type): missing in Chinese {missing}, only in Chinese {extra}"
                + ("" if missing or extra else ", or are in another order")]
    problems = []
    for english_cell, chinese_cell in zip(english, chinese):
        where = f"{name} cell {english_cell['id']}"
        if english_cell.get("metadata", {}).get("tags") != chinese_cell.get("metadata", {}).get("tags"):
            problems.append(f"{where}: the tags differ")
        if english_cell["cell_type"] == "code":
            problems += _code_differences(where, english_cell["source"], chinese_cell["source"])
            continue
        if headings(english_cell["source"]) != headings(chinese_cell["source"]):
            problems.append(f"{where}: the headings differ: levels {headings(english_cell['source'])} in English, "
                            f"{headings(chinese_cell['source'])} in Chinese")
        for kind, pattern in (("code block", FENCED_PYTHON), ("config change", CONFIG_CHANGE)):
            english_blocks, chinese_blocks = pattern.findall(english_cell["source"]), \
                pattern.findall(chinese_cell["source"])
            if len(english_blocks) != len(chinese_blocks):
                problems.append(f"{where}: {len(english_blocks)} {kind}s in English, {len(chinese_blocks)} in Chinese")
                continue
            for number, (english_block, chinese_block) in enumerate(zip(english_blocks, chinese_blocks), start=1):
                problems += _code_differences(f"{where} {kind} {number}", textwrap.dedent(english_block),
                                              textwrap.dedent(chinese_block))
    return problems
