"""The measured table and training curves (docs/benchmarks.md), the README's explorer picture and caption.

    python scripts/figures.py          (or: bash tasks.sh figures, make figures)

Builds the executed edition (scripts/book.py, into build/book/), which runs the notebooks of both editions in
order, each from a fresh kernel: each edition's 01 trains and saves into a new temporary folder, its 02 and 03
load that checkpoint. From the English run it reads the figures the cells
printed and the times of each Run All, writes docs/training_curves.png (notebook 01's figure) and
docs/explorer.png (the book's picture of the first misclassified test digit after 20 rows read), and rewrites
docs/benchmarks.md (the table) and the README (the caption) between their "figures" markers, naming the CPU
the figures came from. So the README's pictures are the book's.
"""

import ast
import base64
import platform
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("01_train.ipynb", "02_outputs_and_state.ipynb", "03_step_probabilities.ipynb")
TABLE = ("<!-- figures: table -->", "<!-- /figures: table -->")
CAPTION = ("<!-- figures: caption -->", "<!-- /figures: caption -->")
TABLE_PAGE = ROOT / "docs" / "benchmarks.md"  # where TABLE's markers are
CAPTION_PAGE = ROOT / "README.md"  # where CAPTION's markers are, under the explorer's picture


def cpu_name(cpuinfo="/proc/cpuinfo"):
    """The CPU's model name ("AMD EPYC 7B13"), from /proc/cpuinfo, else what Python's platform says."""
    try:
        for line in Path(cpuinfo).read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "an unknown CPU"


def printed(notebook):
    """All the text the executed notebook's cells printed, one string."""
    return "\n".join("".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
                     for cell in notebook["cells"] if cell["cell_type"] == "code" for output in cell["outputs"])


def find(pattern, text, what):
    match = re.search(pattern, text)
    if match is None:
        raise LookupError(f"the run printed no {what} (looked for {pattern!r}): did a cell change what it prints?")
    return match.group(1)


def read_figures(train, steps):
    """The table's figures from the executed notebooks 01 and 03 (loaded JSON)."""
    first, third = printed(train), printed(steps)
    return {
        "setup": find(r"(Python [^\n]*threads: [^\n]*)", first, "Setup line (runtime.describe())"),
        "test_accuracy": float(find(r"test accuracy (\d\.\d+)", first, "test accuracy")),
        "training_seconds": int(find(r"trained in (\d+) s", first, "training time")),
        "median_decision": find(r"median decision row: (\S+)", third, "median decision row"),
        "accuracy_after": ast.literal_eval(find(r"accuracy after k rows: (\{[^}]*\})", third, "accuracy after k rows")),
    }


def table(figures, run_seconds, cpu):
    """The measured table of docs/benchmarks.md, in Markdown."""
    after = figures["accuracy_after"]
    times = " / ".join(f"{run_seconds[name]:.0f} s" for name in NOTEBOOKS)
    rows = [
        ("test accuracy on the 2,000 held-out digits after 2,000 iterations, notebook 01",
         f"{figures['test_accuracy']:.1%}"),
        ("training time, 2,000 iterations, notebook 01 Step 15 (progress bar and accuracy checks included)",
         f"{figures['training_seconds']} s"),
        ("Run All from a fresh kernel, notebooks 01 / 02 / 03 (02 and 03 load 01's checkpoint)", times),
        ("median decision row on the test set (rows read when the prediction settles), notebook 03",
         f"{figures['median_decision']} of 28"),
        ("accuracy if the network must answer after 14 / 21 / 28 rows, notebook 03",
         " / ".join(f"{after[k]:.1%}" for k in (14, 21, 28))),
    ]
    lines = [f"One run of `bash tasks.sh figures` on {cpu} ({figures['setup']}):", "",
             "| what | figure |", "|---|---|"]
    lines += [f"| {what} | {figure} |" for what, figure in rows]
    return "\n".join(lines)


def explorer_caption(index, true_digit, probabilities, step):
    """What the explorer's picture shows: one test image's readout after `step` rows, and its true class's curve."""
    predicted = int(probabilities[step - 1].argmax())
    true_curve = probabilities[:, true_digit]
    peak = int(true_curve.argmax()) + 1
    article = "an" if true_digit == 8 else "a"  # "an 8", "a 2"
    return (f"*Notebook 03's explorer: test image #{index}, {article} {true_digit} that the network gets wrong, after "
            f"{step} rows read. The readout then says {predicted} ({probabilities[step - 1, predicted]:.0%}); the true "
            f"class's probability (right) peaks after row {peak} ({true_curve[peak - 1]:.2f}) and ends at "
            f"{true_curve[-1]:.2f}.*")


def replace_between(text, markers, new):
    """text with what lies between the two marker lines replaced by new; the markers must be there, once each."""
    begin, end = markers
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(f"expected the markers {begin} and {end} once each, in that order, in the page")
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    return f"{head}{begin}\n{new}\n{end}{tail}"


def load_book():
    """scripts/book.py, which runs the notebooks and draws the explorer's pictures for the executed edition."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("book", ROOT / "scripts" / "book.py")
    book = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book)
    return book


def main():
    checkpoints = Path(tempfile.mkdtemp(prefix="rnnlesson-figures-"))  # each edition trains its own network there
    print(f"checkpoints in {checkpoints}", flush=True)
    book = load_book()
    site = ROOT / "build" / "book"
    built = book.build(site, checkpoints=checkpoints)  # runs every notebook of both editions, from fresh kernels
    executed, seconds = built["executed"]["en"], built["seconds"]["en"]
    figures = read_figures(executed[NOTEBOOKS[0]], executed[NOTEBOOKS[2]])
    curves = [output["data"]["image/png"] for cell in executed[NOTEBOOKS[0]].cells
              if cell.cell_type == "code" and "plots.training_curves(" in cell.source
              for output in cell.outputs if "image/png" in output.get("data", {})]
    (ROOT / "docs" / "training_curves.png").write_bytes(base64.b64decode(curves[0]))
    # the README's explorer picture is the executed edition's: its first wrong test image after 20 rows read
    first_wrong = int(built["explorers"]["en"].misclassified[0])
    step = book.PICTURE_STEP  # the frame the book's contents page shows too
    shutil.copyfile(site / "explorer" / f"{first_wrong}-{step:02d}.png", ROOT / "docs" / "explorer.png")
    probabilities = built["frames"].probabilities[first_wrong]
    caption = explorer_caption(first_wrong, int(built["frames"].mnist.test.digits[first_wrong]), probabilities, step)
    TABLE_PAGE.write_text(replace_between(TABLE_PAGE.read_text(), TABLE, table(figures, seconds, cpu_name())))
    CAPTION_PAGE.write_text(replace_between(CAPTION_PAGE.read_text(), CAPTION, caption))
    print(f"docs/benchmarks.md, README.md, docs/training_curves.png and docs/explorer.png written from this run "
          f"on {cpu_name()}, as is the executed edition in build/book/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
