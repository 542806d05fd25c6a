"""The notebooks' prose, measured: words on the core path and in optional parts, and numbers no cell printed.

    python scripts/lesson_text.py words                 word counts of every notebook: core, optional, practice
    python scripts/lesson_text.py numbers RUN.ipynb...  the prose numbers that an executed notebook's outputs
                                                        and code do not contain (exit 1 if there are any)

A section is optional when its heading starts with "Optional · " (OPTIONAL), down to the next heading of the
same or a higher level; "Try it yourself", the exercises and the questions to discuss are practice.
"""

import json
import re
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
OPTIONAL = "Optional · "
PRACTICE = ("Try it yourself", "Exercises", "Exercise ", "Questions to discuss")
HEADING = re.compile(r"^(#{1,6}) +(.*)$", re.MULTILINE)
FENCED = re.compile(r"```.*?```", re.DOTALL)
WORD = re.compile(r"[^\W\d_][\w'’-]*")  # a word starts with a letter: "2,000" and "0.5" are not words
# a percentage (97.0%, 5 %) or a decimal number (0.95, 1.2, 86.64); not a version (2.21.0) or part of a name
# (ASCII neighbours only: Chinese prose writes 准确率97.0% with no space, and a Chinese character is a word character)
NUMBER = re.compile(r"(?<![0-9A-Za-z_.])(\d+(?:\.\d+)?)(\s?%)|(?<![0-9A-Za-z_.])(\d+\.\d+)(?![\d.]*\d)")

# Constants of the method, and arithmetic on them, that prose may name without a cell printing them.
# Each entry: the number as written, and why it is not a result of the run.
ALLOWED = {
    "0.5": "keep_prob, the tutorial's dropout; also sigmoid(0), a gate that is half open",
    "1.0": "keep_prob=1.0 (no dropout) and TF1's forget_bias=1.0",
    "0.1": "the tutorial's initial W (standard deviation) and b, and 1/10, a guess among ten classes",
    "10%": "guessing among ten classes",
    "0.2": "the tutorial's bar width in its code",
    "0.30": "exercise 01.2's given cross-entropy, and 0.03 its tenth",
    "0.03": "exercise 01.2: 0.30 / 10",
    "50%": "keep_prob = 0.5 as a share",
    "3.0": "CC BY-SA 3.0, the MNIST licence's version",
}


def cells(notebook):
    """The notebook's cells (a path or a loaded notebook), each with its source joined into one string."""
    loaded = notebook if isinstance(notebook, dict) else json.loads(Path(notebook).read_text())
    return [dict(cell, source="".join(cell["source"])) for cell in loaded["cells"]]


def sections(notebook):
    """(kind, markdown source) for every markdown cell; kind is "core", "optional" or "practice"."""
    optional_level = practice_level = None
    found = []
    for cell in cells(notebook):
        if cell["cell_type"] != "markdown":
            continue
        for hashes, title in HEADING.findall(FENCED.sub("", cell["source"])):
            level = len(hashes)
            if optional_level is not None and level <= optional_level:
                optional_level = None
            if practice_level is not None and level <= practice_level:
                practice_level = None
            if title.startswith(OPTIONAL) and optional_level is None:
                optional_level = level
            elif title.startswith(PRACTICE) and practice_level is None:
                practice_level = level
        kind = "optional" if optional_level is not None else "practice" if practice_level is not None else "core"
        found.append((kind, cell["source"]))
    return found


def word_counts(notebook):
    """{"core": words, "optional": words, "practice": words} of the notebook's markdown, code blocks left out."""
    counts = {"core": 0, "optional": 0, "practice": 0}
    for kind, source in sections(notebook):
        counts[kind] += len(WORD.findall(FENCED.sub("", source)))
    return counts


def prose_numbers(markdown):
    """The percentages and decimal numbers in a markdown text, as written ("97.0%", "0.95")."""
    return [percent_number + "%" if percent_number else decimal
            for percent_number, _, decimal in NUMBER.findall(markdown)]


def run_text(notebook):
    """Everything a run of the notebook shows or computes from: its code and all its outputs, as one text."""
    parts = []
    for cell in cells(notebook):
        if cell["cell_type"] != "code":
            continue
        parts.append(cell["source"])
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
            parts.append("\n".join(output.get("traceback", [])))
    return "\n".join(parts)


def appears(number, text):
    """Whether number ("97.0%" or "0.95") appears in text as a whole number, not inside a longer one."""
    digits = re.escape(number.rstrip("%"))
    percent = r"\s?%" if number.endswith("%") else ""
    return re.search(rf"(?<![\d.]){digits}{percent}(?![\d])", text) is not None


def untraced_numbers(notebook, allowed=ALLOWED):
    """[(number, the sentence around it)] for each prose number that neither outputs nor code contain.

    Code blocks in the markdown (a solution, a cell to paste) are code, not prose: their numbers are not read.
    """
    text = run_text(notebook)
    found = []
    for cell in cells(notebook):
        if cell["cell_type"] != "markdown":
            continue
        prose = FENCED.sub("", cell["source"])
        for match in NUMBER.finditer(prose):
            number = match.group(1) + "%" if match.group(1) else match.group(3)
            if number in allowed or appears(number, text):
                continue
            start, end = max(0, match.start() - 60), min(len(prose), match.end() + 40)
            found.append((number, " ".join(prose[start:end].split())))
    return found


def main(arguments):
    if arguments[:1] == ["words"]:
        total = {"core": 0, "optional": 0, "practice": 0}
        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            counts = word_counts(path)
            total = {kind: total[kind] + counts[kind] for kind in total}
            print(f"{path.name:32} core {counts['core']:6,}  optional {counts['optional']:6,}  "
                  f"practice {counts['practice']:6,}")
        print(f"{'all three':32} core {total['core']:6,}  optional {total['optional']:6,}  "
              f"practice {total['practice']:6,}")
        return 0
    if arguments[:1] == ["numbers"] and arguments[1:]:
        missing = 0
        for path in arguments[1:]:
            for number, context in untraced_numbers(path):
                missing += 1
                print(f"{Path(path).name}: {number} is in the prose but in no output or code: ...{context}...")
        return 1 if missing else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
