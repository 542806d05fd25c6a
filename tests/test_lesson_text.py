"""scripts/lesson_text.py: the prose numbers a run must print, and the words of the core path and optional parts."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("lesson_text", ROOT / "scripts" / "lesson_text.py")
lesson_text = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lesson_text)


def notebook(*cells):
    """A notebook from ("markdown", text) and ("code", source, printed text) tuples."""
    made = []
    for kind, source, *printed in cells:
        cell = {"cell_type": kind, "source": source, "metadata": {}}
        if kind == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": text} for text in printed]
        made.append(cell)
    return {"cells": made}


def test_a_typed_number_is_caught_and_a_printed_one_is_not():
    run = notebook(("code", "print(accuracy)", "test accuracy 0.9700\nshare 37.6%\n"),
                   ("markdown", "It ended at 97.6% after 21 rows, and 37.6% here; its loss fell to 0.19."))
    assert [number for number, _ in lesson_text.untraced_numbers(run)] == ["97.6%", "0.19"]


def test_a_number_inside_a_longer_printed_one_does_not_count():
    run = notebook(("code", "print(f)", "forget gate 0.953, 0.9\n"), ("markdown", "f rises to about 0.95."))
    assert [number for number, _ in lesson_text.untraced_numbers(run)] == ["0.95"]


def test_numbers_in_the_code_constants_of_the_method_and_versions_pass():
    run = notebook(("code", "rate = 1 - 0.25", ""),
                   ("markdown", "A rate of 0.25 (in the code), dropout 0.5 (allowed), TensorFlow 2.21.0, "
                                "and a typed 3.15."))
    assert [number for number, _ in lesson_text.untraced_numbers(run)] == ["3.15"]


def test_numbers_in_a_code_block_of_the_prose_are_code():
    run = notebook(("markdown", "Paste this:\n```python\nbias[:units] = -30.0\n```\nand 0.25 stays prose."))
    assert [number for number, _ in lesson_text.untraced_numbers(run)] == ["0.25"]


def test_percentages_with_a_space_and_whole_percentages_are_numbers():
    assert lesson_text.prose_numbers("about 97 % of them, 5%, 2,000 images, row 21, 1e-3, 0.006%") == \
        ["97%", "5%", "0.006%"]


def test_optional_sections_run_to_the_next_heading_of_their_level():
    text = notebook(("markdown", "# Title\nfive words of core here"),
                    ("markdown", "## Optional · For readers of the TF1 tutorial\nthree optional words"),
                    ("markdown", "### A subsection of it\ntwo more"),
                    ("markdown", "## Step 2 · Back on the core\none two"),
                    ("markdown", "### Optional · When exactly does the loss turn NaN?\nnan"),
                    ("markdown", "## Exercises\nanswer these"),
                    ("markdown", "### Exercise 01.1 · Row 5\nwhich pixels"))
    assert [kind for kind, _ in lesson_text.sections(text)] == \
        ["core", "optional", "optional", "core", "optional", "practice", "practice"]
    assert lesson_text.word_counts(text) == {"core": 13, "optional": 25, "practice": 7}  # headings count too


def test_code_blocks_are_not_words():
    text = notebook(("markdown", "Run this:\n```python\nanswer = range(112, 140)\n```\nthen check."))
    assert lesson_text.word_counts(text)["core"] == 4  # Run, this, then, check


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda path: path.name)
def test_each_notebook_says_what_the_optional_marker_means_and_uses_it(path):
    introduction = lesson_text.cells(path)[0]["source"]
    assert lesson_text.OPTIONAL.strip() in introduction, f"{path.name}: the introduction does not explain the marker"
    counts = lesson_text.word_counts(path)
    assert counts["optional"] > 0 and counts["core"] > 0
