"""scripts/book.py's page preparation, on small made-up executed notebooks (e2e/test_site.py builds the site)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("book", ROOT / "scripts" / "book.py")
book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book)
PICTURE = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 400x400 with 1 Axes>"}
DESCRIBED = {"image/png": {"alt": "One handwritten digit."}}


def code(source, *outputs):
    return {"cell_type": "code", "id": f"c{abs(hash(source)) % 10**6}", "metadata": {}, "source": source,
            "outputs": list(outputs), "execution_count": None}


def markdown(source):
    return {"cell_type": "markdown", "id": f"m{abs(hash(source)) % 10**6}", "metadata": {}, "source": source}


def notebook(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def printed(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def test_a_cell_ending_in_a_semicolon_shows_its_figure_once_where_it_was_drawn():
    result = {"output_type": "execute_result", "data": PICTURE, "metadata": DESCRIBED, "execution_count": 1}
    drawn = {"output_type": "display_data", "data": PICTURE, "metadata": DESCRIBED}
    other = {"output_type": "display_data", "data": dict(PICTURE, **{"image/png": "AAAA"}), "metadata": DESCRIBED}
    page = book.prepare(notebook(code("plots.a(x)\nplots.b(x);", result, other, drawn)), "nb", "en")
    assert page["cells"][0]["outputs"] == [other, drawn]  # as Jupyter shows it: the two figures, in drawing order
    page = book.prepare(notebook(code("plots.b(x)", result, drawn)), "nb", "en")
    assert page["cells"][0]["outputs"] == [result]  # one figure, returned and drawn: shown once


def test_the_cells_are_numbered_in_run_order():
    page = book.prepare(notebook(code("a = 1"), markdown("text"), code("b = 2")), "nb", "en")
    assert [cell.get("execution_count") for cell in page["cells"]] == [1, None, 2]


def test_what_a_cell_after_a_check_printed_is_folded_away():
    page = book.prepare(notebook(
        markdown("### Exercise"), code("answer = ...\nexercises.check('01.4', answer)", printed("not answered yet\n")),
        code("print(shape)", printed("(14, 7, 256)\n")), markdown("<details>Solution</details>"),
        code("print('after the solution')", printed("shown\n"))), "nb", "en")
    _, check, after, _, later = page["cells"]
    assert check["outputs"] == [printed("not answered yet\n")]  # the check's verdict stays in view
    folded = after["outputs"][0]["data"]["text/html"]
    assert folded.startswith('<details class="book-answer">') and "(14, 7, 256)" in folded
    assert later["outputs"] == [printed("shown\n")]


def test_errors_and_figures_without_a_description_stop_the_build():
    error = {"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}
    with pytest.raises(book.BookError, match="shows an error: ValueError: bad"):
        book.prepare(notebook(code("f()", error)), "nb", "en")
    undescribed = {"output_type": "display_data", "data": PICTURE, "metadata": {}}
    with pytest.raises(book.BookError, match="without a description"):
        book.prepare(notebook(code("plots.a(x);", undescribed)), "nb", "en")


def test_the_explorer_becomes_the_page_explorer_and_progress_bars_go():
    widget = {"output_type": "display_data", "metadata": {},
              "data": {book.WIDGET: {"model_id": "1"}, "text/plain": "VBox(...)"}}
    page = book.prepare(notebook(code("history = train.fit(config)", widget, printed("trained in 9 s\n")),
                                 code("explorer = widgets.Explorer(a, b, c)\nexplorer", widget)),
                        "nb", "en", explorer_html="<figure>frames</figure>")
    assert page["cells"][0]["outputs"] == [printed("trained in 9 s\n")]
    assert page["cells"][1]["outputs"][0]["data"] == {"text/html": "<figure>frames</figure>"}


def test_the_contents_follow_the_readme_and_link_the_pages():
    titles = {name: name.split("_")[0] for name in book.ORDER}
    for edition in book.EDITIONS:
        page = book.index_page(edition, titles, "_static/", 2000, ("explorer/1-20.png", "caption"))
        links = [part.split('"')[0] for part in page.split('<li><a href="')[1:]]
        assert links == [name.replace(".ipynb", ".html") for name in book.ORDER]
        assert "</p></li>" not in page


def test_the_note_links_the_repository_only_when_told_where_it_is(monkeypatch):
    monkeypatch.delenv("BOOK_SOURCE_URL", raising=False)
    assert "href" not in book.note("en", 2000)
    monkeypatch.setenv("BOOK_SOURCE_URL", "https://example.org/rnn-lesson")
    assert 'href="https://example.org/rnn-lesson#quick-start"' in book.note("zh-CN", 2000)
