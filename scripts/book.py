"""`make book`: the lesson as a static site, build/book/, that reads without running anything.

    python scripts/book.py                     (or: bash tasks.sh book, make book)
    python scripts/book.py --reuse artifacts/executed

Each notebook of each edition (English in notebooks/, Chinese in notebooks/zh-CN/) is executed from a clean
kernel, or, with --reuse, read from a folder of executed copies (nbval's run keeps them in artifacts/executed/)
when its code is the notebook's. Then every page is rendered by nbconvert's HTML exporter (JupyterLab's look)
with nothing fetched from the internet, at build time or when a page is opened: MathJax comes from the
jupyter-server-mathjax package, and no other script is loaded but book/explorer.js.

Notebook 03's explorer redraws in Python, which a page does not have. Its page shows instead the same
drawing (plots.StepView, as the explorer draws it) for three test images, a right one, a wrong one and a late
decision, after each of the 28 rows, and a slider that moves through them in the browser.
"""

import argparse
import contextlib
import html
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"  # the page template, its stylesheet and the explorer's script
ORDER = ("01_train.ipynb", "02_outputs_and_state.ipynb", "03_step_probabilities.ipynb")
EDITIONS = {"en": (NOTEBOOKS, "README.md"), "zh-CN": (NOTEBOOKS / "zh-CN", "README.zh-CN.md")}
WIDGET = "application/vnd.jupyter.widget-view+json"
PICTURE_STEP = 20  # the contents page shows the explorer's first wrong image after this many rows, as the README
CELL_TIMEOUT_S = 3600  # one cell (01's training is the longest); a cell that runs longer fails the build

TEXT = {
    "en": {
        "language": "English", "other": "中文", "contents": "Contents", "lesson": "rnn-lesson",
        "note": "The executed edition: every output on these pages comes from one Run All of this edition's "
                "notebooks, each from a clean kernel. Where the text asks you to run a cell, change a setting or "
                "move the explorer, that needs the live notebooks: {get} (<code>make lesson</code>), which also "
                "explore all {count:,} test images.",
        "get": "the lesson's Quick start",
        "index_title": "How an LSTM reads a handwritten digit, one row at a time",
        "explorer_note": "Without a kernel this page cannot redraw, so here are three of the {count:,} test images "
                         "drawn after every row: move the slider. In JupyterLab (<code>make lesson</code>, then "
                         "notebook 03) the explorer redraws any image live.",
        "images": "image", "rows_read": "rows read",
        "answer": "What this cell printed: predict first, then open",
        "right": "right, decided early: #{index}, true {digit}, settles after row {row}",
        "wrong": "wrong: #{index}, true {digit}, read as {predicted}",
        "late": "right, decided late: #{index}, true {digit}, settles after row {row}",
        "picture": "Notebook 03's explorer: {caption}",
    },
    "zh-CN": {
        "language": "中文", "other": "English", "contents": "目录", "lesson": "rnn-lesson",
        "note": "已执行版本：这些页面上的每个输出都来自本版本笔记本的一次“全部运行”，每个笔记本都从新内核开始。"
                "正文让你运行单元格、修改设置或拖动探索器的地方，需要可运行的笔记本：{get}"
                "（<code>make lesson LANG=zh-CN</code>），那里的探索器可以查看全部 {count:,} 张测试图像。",
        "get": "见课程的“快速开始”",
        "index_title": "LSTM 怎样一行一行地读手写数字",
        "explorer_note": "没有内核，这个页面不能重新绘图，所以这里给出 {count:,} 张测试图像中的三张，"
                         "每读一行画一张：拖动滑块即可。在 JupyterLab 中（<code>make lesson LANG=zh-CN</code>，"
                         "然后打开笔记本 03），探索器可以实时重绘任意一张图像。",
        "images": "图像", "rows_read": "已读行数",
        "answer": "这个单元格打印的结果：先预测，再打开",
        "right": "正确，较早定下：#{index}，真实数字 {digit}，读完第 {row} 行后定下",
        "wrong": "错误：#{index}，真实数字 {digit}，被认作 {predicted}",
        "late": "正确，很晚才定下：#{index}，真实数字 {digit}，读完第 {row} 行后定下",
        "picture": "笔记本 03 的探索器：{caption}",
    },
}


class BookError(Exception):
    """The book cannot be built from these notebooks; the message says why and what to do."""


def code_of(notebook):
    """What decides a run: the cells' types and sources, in order."""
    return [(cell["cell_type"], "".join(cell["source"])) for cell in notebook["cells"]]


def execute(notebook, folder, name):
    """Run all cells from a clean kernel in `folder`; a failing cell stops the build with its notebook and id."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    try:
        client.execute()
    except CellTimeoutError as error:
        raise BookError(f"{name}: a cell ran longer than {CELL_TIMEOUT_S} s; run the notebook in JupyterLab to see "
                        f"which, and why.\n{error}") from None
    except CellExecutionError as error:
        raise BookError(f"{name}: a cell failed, so the book would show an error. Run the notebook in JupyterLab "
                        f"and fix it first.\n{error}") from None
    return notebook


def executed_notebooks(edition, reuse=None, echo=print):
    """{name: executed notebook} of one edition, and {name: seconds} for those executed here (not reused)."""
    import nbformat

    folder = EDITIONS[edition][0]
    executed, seconds = {}, {}
    for name in ORDER:
        source = nbformat.read(folder / name, as_version=4)
        copy = None if reuse is None else Path(reuse) / folder.relative_to(NOTEBOOKS) / name
        if copy is not None and copy.is_file():
            kept = nbformat.read(copy, as_version=4)
            if code_of(kept) == code_of(source):
                executed[name] = kept
                echo(f"{edition} {name}: the run kept in {copy}")
                continue
            echo(f"{edition} {name}: the kept run is of another version of the notebook; running it again")
        started = time.perf_counter()
        executed[name] = execute(source, folder, f"{edition} {name}")
        seconds[name] = time.perf_counter() - started
        echo(f"{edition} {name}: Run All in {seconds[name]:.0f} s")
    return executed, seconds


def first_heading(notebook):
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.MULTILINE)
            if match:
                return match.group(1).strip()
    return "rnn-lesson"


def find_cell(notebook, text, name):
    """The one code cell whose source contains `text`."""
    found = [cell for cell in notebook["cells"] if cell["cell_type"] == "code" and text in "".join(cell["source"])]
    if len(found) != 1:
        raise BookError(f"{name}: expected one code cell containing {text!r}, found {len(found)}; "
                        "scripts/book.py looks for it to place the explorer's pictures")
    return found[0]


def printed(cell):
    return "".join("".join(output.get("text", "")) for output in cell["outputs"] if output["output_type"] == "stream")


# ---- notebook 03's explorer, drawn for a page ----

class ExplorerFrames:
    """The trained network's test-set probabilities and an Explorer over them (the explorer notebook 03 makes)."""

    def __init__(self):
        from rnnlesson import runtime

        runtime.prepare()
        from rnnlesson import checkpoints, data, probe
        from rnnlesson.config import Config

        config = Config()
        self.network, _ = checkpoints.load(checkpoints.path_for(config, echo=lambda *_: None), config)
        self.mnist = data.load_mnist(seed=config.seed)
        self.probabilities = probe.probabilities_by_step(self.network, self.mnist.test.images)
        self.decisions = probe.decision_steps(self.probabilities)
        self.half = config.timestamp_size // 2

    def explorer(self, edition):
        import rnnlesson
        from rnnlesson import widgets

        rnnlesson.set_language(edition)
        return widgets.Explorer(self.mnist.test.pixels, self.mnist.test.digits, self.probabilities)

    def matches(self, explorer, moved_cell):
        """Whether the run's own explorer (what its cell printed after moving it) drew what this one draws."""
        first_wrong = int(explorer.misclassified[0])
        explorer.select(image=first_wrong, step=self.half)
        ours = f"{explorer.view.image_axis.get_title()} | {explorer.view.bar_axis.get_title()}"
        return ours in printed(moved_cell)

    def picks(self, explorer):
        """(kind, index) for a right image that settles earliest, the first wrong one, and a right late one."""
        import numpy as np

        right = np.flatnonzero(explorer.predictions == explorer.digits)
        early = int(right[np.argmin(self.decisions[right])])
        rows = self.probabilities.shape[1]
        late_ones = right[self.decisions[right] >= rows - 2]
        late = int(late_ones[0]) if len(late_ones) else int(right[np.argmax(self.decisions[right])])
        return [("right", early), ("wrong", int(explorer.misclassified[0])), ("late", late)]

    def draw(self, explorer, edition, out, prefix):
        """Write every frame of the three picks under out/; returns the explorer's HTML for the page."""
        words = TEXT[edition]
        steps = self.probabilities.shape[1]
        out.mkdir(parents=True, exist_ok=True)
        choices, data = [], []
        for number, (kind, index) in enumerate(self.picks(explorer)):
            frames, captions = [], []
            for step in range(1, steps + 1):
                explorer.select(image=index, step=step)
                file = out / f"{index}-{step:02d}.png"
                file.write_bytes(explorer.view.png())
                frames.append(f"{prefix}{file.name}")
                captions.append(html.unescape(re.sub("<[^>]+>", "", explorer.caption.value)))
            data.append({"frames": frames, "captions": captions})
            label = words[kind].format(index=index, digit=int(explorer.digits[index]),
                                       predicted=int(explorer.predictions[index]), row=int(self.decisions[index]))
            checked = " checked" if number == 0 else ""
            choices.append(f'<label><input type="radio" name="book-explorer-image" value="{number}"{checked}> '
                           f"{html.escape(label)}</label>")
        note = words["explorer_note"].format(count=len(self.probabilities))
        return (f'<figure class="book-explorer">'
                f'<script type="application/json">{json.dumps(data, ensure_ascii=False)}</script>'
                f'<fieldset><legend>{words["images"]}</legend>{"".join(choices)}</fieldset>'
                f'<label>{words["rows_read"]} <input type="range" min="1" max="{steps}" value="{steps}" '
                f'aria-label="{words["rows_read"]}"> <output>{steps}</output></label>'
                f'<p class="book-explorer-caption" aria-live="polite">{html.escape(data[0]["captions"][-1])}</p>'
                f'<img src="{data[0]["frames"][-1]}" alt="{html.escape(data[0]["captions"][-1])}">'
                f"<figcaption>{note}</figcaption></figure>")


# ---- one page ----

def prepare(notebook, name, edition, explorer_html=None):
    """The executed notebook as the page shows it: widgets made static, each figure once, alt text required, and
    what an exercise's "run it after answering" cell printed folded away."""
    problems = []
    count, after_check = 0, False
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            after_check = False
            continue
        count += 1
        if cell.get("execution_count") is None:
            cell["execution_count"] = count  # Run All from a clean kernel ran the cells in this order
        source = "".join(cell["source"])
        quiet = source.rstrip().endswith(";")  # Jupyter shows no result for such a cell (nbval's run kept it)
        outputs, pictures = [], set()
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                problems.append(f"cell {cell.get('id')} shows an error: {output['ename']}: {output['evalue']}")
            if output["output_type"] == "execute_result" and quiet:
                continue
            data = output.get("data", {})
            if WIDGET in data:
                if explorer_html is not None and "widgets.Explorer(" in source:
                    outputs.append({"output_type": "display_data", "metadata": {},
                                    "data": {"text/html": explorer_html}})
                continue  # a progress bar: the lines printed after it say how the training went
            if "image/png" in data:
                if data["image/png"] in pictures:
                    continue  # a figure a cell both returned and drew: shown once
                pictures.add(data["image/png"])
                if not output.get("metadata", {}).get("image/png", {}).get("alt"):
                    problems.append(f"cell {cell.get('id')} draws a figure without a description (give it one with "
                                    "plots.described)")
            outputs.append(output)
        if after_check and outputs and all(output["output_type"] == "stream" for output in outputs):
            printed_text = "".join("".join(output["text"]) for output in outputs)
            outputs = [{"output_type": "display_data", "metadata": {}, "data": {"text/html": (
                f'<details class="book-answer"><summary>{TEXT[edition]["answer"]}</summary>'
                f"<pre>{html.escape(printed_text)}</pre></details>")}}]
        after_check = "exercises.check(" in source
        cell["outputs"] = outputs
    if problems:
        raise BookError(f"{name}:\n  " + "\n  ".join(problems))
    notebook["metadata"].pop("widgets", None)
    return notebook


def bar(edition, current, titles):
    """The links above every page: contents, the three notebooks, the other language."""
    other = "zh-CN" if edition == "en" else "en"
    other_prefix = "zh-CN/" if edition == "en" else "../"
    here = "index.html" if current is None else current.replace(".ipynb", ".html")
    links = [f'<a href="index.html"{" class=book-current" if current is None else ""}>{TEXT[edition]["contents"]}</a>']
    for name in ORDER:
        mark = ' class="book-current" aria-current="page"' if name == current else ""
        links.append(f'<a href="{name.replace(".ipynb", ".html")}"{mark}>{html.escape(titles[name])}</a>')
    links.append(f'<a class="book-language" hreflang="{other}" lang="{other}" href="{other_prefix}{here}">'
                 f'{TEXT[edition]["other"]}</a>')
    return f'<nav class="book-bar" aria-label="{TEXT[edition]["lesson"]}">{" ".join(links)}</nav>'


def note(edition, count):
    """What the executed edition is, and where the live one is: BOOK_SOURCE_URL (the repository's address, which
    the publishing workflow sets) if it is set."""
    words = TEXT[edition]
    source = os.environ.get("BOOK_SOURCE_URL", "").strip()
    get = (f'<a href="{html.escape(source)}#quick-start">{words["get"]}</a>' if source.startswith("https://")
           else words["get"])
    return f'<p class="book-note">{words["note"].format(count=count, get=get)}</p>'


def render(notebook, edition, name, titles, static, count):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="book.html.j2", extra_template_paths=[str(BOOK)],
                            language_code=edition)
    resources = {"metadata": {"name": titles[name]},
                 "book": {"static": static, "bar": bar(edition, name, titles) + note(edition, count)}}
    page, _ = exporter.from_notebook_node(notebook, resources=resources)
    # the notebooks link to each other as .ipynb files: here they are pages
    return re.sub(r'href="([\w-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', page)


def index_page(edition, titles, static, count, picture):
    """The contents: the README's list of notebooks, in its order, linking to the pages, and the explorer's
    picture `picture` (its file under the edition's folder, its description)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    readme = (ROOT / EDITIONS[edition][1]).read_text(encoding="utf-8")
    items = re.findall(r"^- \[`(0\d_\w+\.ipynb)`\]\([^)]*\)[^:·]*[:·]\s*(.+?)(?=\n- |\n\n)", readme,
                       re.MULTILINE | re.DOTALL)
    if [item for item, _ in items] != list(ORDER):
        raise BookError(f"{EDITIONS[edition][1]}: expected its list of the notebooks, {', '.join(ORDER)}, in order "
                        f"(found {[item for item, _ in items]})")
    plain = lambda text: re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", " ".join(text.split()))  # noqa: E731
    entries = "".join(f'<li><a href="{item.replace(".ipynb", ".html")}">{html.escape(titles[item])}</a>: '
                      f"{markdown2html_mistune(plain(about)).strip().removeprefix('<p>').removesuffix('</p>')}</li>"
                      for item, about in items)
    words = TEXT[edition]
    return (f'<!DOCTYPE html>\n<html lang="{edition}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f'<title>{words["lesson"]} · {words["index_title"]}</title>\n'
            f'<link rel="stylesheet" href="{static}book.css">\n<link rel="icon" href="data:,">\n'
            f'</head>\n<body>\n{bar(edition, None, titles)}\n'
            f'<main class="book-index">\n<h1>{words["index_title"]}</h1>\n'
            f'<figure><img src="{picture[0]}" alt="{html.escape(picture[1])}">'
            f"<figcaption>{html.escape(words['picture'].format(caption=picture[1]))}</figcaption></figure>\n"
            f'<ol>{entries}</ol>\n{note(edition, count)}\n'
            f"</main>\n</body>\n</html>\n")


def copy_static(out):
    import jupyter_server_mathjax

    static = out / "_static"
    static.mkdir(parents=True, exist_ok=True)
    mathjax = Path(jupyter_server_mathjax.__file__).parent / "static"
    unused = mathjax / "jax" / "output" / "SVG"  # the pages use the HTML-CSS output, with its STIX-Web fonts
    shutil.copytree(mathjax, static / "mathjax", dirs_exist_ok=True,
                    ignore=lambda folder, names: names if Path(folder) == unused else [])
    for file in ("book.css", "explorer.js"):
        shutil.copy2(BOOK / file, static / file)


def build(out=ROOT / "build" / "book", reuse=None, checkpoints=None, echo=print):
    """Build the site into out; returns what figures.py reads: the executed notebooks, times and the explorer.

    checkpoints: a folder in which each edition's notebook 01 saves the network it trains (checkpoints/en,
    checkpoints/zh-CN), for its 02 and 03 and the explorer's pictures to load; None: where the environment says
    (RNNLESSON_CHECKPOINT_DIR), as for the runs --reuse reads.
    """
    import nbformat

    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy_static(out)
    built = {"executed": {}, "seconds": {}, "explorers": {}, "frames": None}
    for edition, (folder, _) in EDITIONS.items():
        with checkpoint_folder(None if checkpoints is None else Path(checkpoints) / edition):
            executed, seconds = executed_notebooks(edition, reuse, echo)
            frames = ExplorerFrames()
            explorer = frames.explorer(edition)
            if not frames.matches(explorer, find_cell(executed[ORDER[2]], "explorer.select(image=first_wrong",
                                                      ORDER[2])):
                echo(f"{edition} {ORDER[2]}: its run loaded another network than the one saved now; running it again")
                moment = time.perf_counter()
                executed[ORDER[2]] = execute(nbformat.read(folder / ORDER[2], as_version=4), folder,
                                             f"{edition} {ORDER[2]}")
                seconds[ORDER[2]] = time.perf_counter() - moment
                if not frames.matches(explorer, find_cell(executed[ORDER[2]], "explorer.select(image=first_wrong",
                                                          ORDER[2])):
                    raise BookError(f"{edition} {ORDER[2]}: its explorer and the saved network disagree even after "
                                    "a fresh run; was the checkpoint changed while the book was built?")
            pages = out if edition == "en" else out / edition
            static = "_static/" if edition == "en" else "../_static/"
            pages.mkdir(parents=True, exist_ok=True)
            explorer_html = frames.draw(explorer, edition, pages / "explorer", "explorer/")
            count = len(frames.probabilities)
            first_wrong = int(explorer.misclassified[0])
            explorer.select(image=first_wrong, step=PICTURE_STEP)
            picture = (f"explorer/{first_wrong}-{PICTURE_STEP:02d}.png", explorer.caption.value)
        titles = {name: first_heading(notebook) for name, notebook in executed.items()}
        for name, notebook in executed.items():
            page = prepare(json.loads(json.dumps(notebook)), f"{edition} {name}", edition,
                           explorer_html if name == ORDER[2] else None)
            (pages / name.replace(".ipynb", ".html")).write_text(
                render(nbformat.from_dict(page), edition, name, titles, static, count), encoding="utf-8")
        (pages / "index.html").write_text(index_page(edition, titles, static, count, picture), encoding="utf-8")
        built["executed"][edition], built["seconds"][edition] = executed, seconds
        built["explorers"][edition] = explorer
        if edition == "en":
            built["frames"] = frames
    size = sum(file.stat().st_size for file in out.rglob("*") if file.is_file())
    echo(f"{out}: {size / 1e6:.1f} MB, built in {time.perf_counter() - started:.0f} s")
    return built


@contextlib.contextmanager
def checkpoint_folder(folder):
    """RNNLESSON_CHECKPOINT_DIR=folder (and no shared RNNLESSON_CHECKPOINT) inside; unchanged for None."""
    if folder is None:
        yield
        return
    saved = {name: os.environ.get(name) for name in ("RNNLESSON_CHECKPOINT", "RNNLESSON_CHECKPOINT_DIR")}
    os.environ.pop("RNNLESSON_CHECKPOINT", None)
    os.environ["RNNLESSON_CHECKPOINT_DIR"] = str(folder)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", metavar="FOLDER", help="read executed copies from FOLDER where their code is "
                        "the notebook's (nbval keeps them in artifacts/executed/); run the others")
    parser.add_argument("--out", default=str(ROOT / "build" / "book"), help="where the site goes (default: "
                        "build/book)")
    args = parser.parse_args(argv)
    # a run trains its own networks, next to the book, and leaves the user's checkpoints alone
    checkpoints = None if args.reuse else ROOT / "build" / "book-checkpoints"
    try:
        build(Path(args.out), args.reuse, checkpoints)
    except BookError as error:
        print(f"The book was not built: {error}", file=sys.stderr)
        return 1
    print(f"open {Path(args.out) / 'index.html'} in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
