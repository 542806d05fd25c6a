"""The executed edition (scripts/book.py, `make book`): built from this run's notebooks, opened in Chromium.

Built from the executed copies nbval keeps in artifacts/executed/ (the notebooks run before this file's tests);
a notebook with no copy of its current code is run here. The site is served on a loopback port, and every
request of every page to anywhere else is refused and reported.
"""

import functools
import http.server
import importlib.util
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("book", ROOT / "scripts" / "book.py")
book = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book)
PAGES = ["index.html", *(name.replace(".ipynb", ".html") for name in book.ORDER)]
SITE_PAGES = PAGES + [f"zh-CN/{page}" for page in PAGES]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("book") / "book"
    book.build(out, reuse=ROOT / "artifacts" / "executed")
    return out


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def open_page(page, base, path):
    """Open base + path, refusing every request that would leave the machine; returns (refused, failed)."""
    refused, failed = [], []

    def route(route):
        url = route.request.url
        # about:blank is MathJax's font probe, which never leaves the page
        if urlparse(url).scheme in ("data", "blob", "about") or url.startswith(base):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}")
            if request.url not in refused and not request.url.startswith("about:") else None)
    page.goto(base + path, wait_until="load", timeout=120_000)
    page.wait_for_function("() => [...document.images].every(image => image.complete)", timeout=120_000)
    math_typeset(page)  # MathJax's own requests come after the load
    return refused, failed


def math_typeset(page):
    """Wait until MathJax has finished (the notebooks with formulas), then count the formulas drawn."""
    page.wait_for_function("() => !window.MathJax || (window.MathJax.isReady && window.MathJax.Hub.queue.pending === 0"
                           " && window.MathJax.Hub.queue.running === 0)", timeout=120_000)
    return page.locator("span.MathJax").count()


@pytest.mark.parametrize("path", SITE_PAGES)
def test_every_page_loads_from_the_machine_alone_with_its_figures_and_no_error(page, served, site, path, artifacts):
    refused, failed = open_page(page, served, path)
    assert refused == [], f"{path} asked for something off this machine: {refused}"
    assert failed == [], f"{path}: requests that failed: {failed}"
    images = page.locator("img")
    assert images.count() > 0 or path.endswith("index.html")
    broken = page.evaluate("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                           ".map(i => i.src.slice(0, 80))")
    assert broken == [], f"{path}: images that did not load: {broken}"
    unnamed = page.evaluate("() => [...document.images].filter(i => !(i.alt || '').trim()).length")
    assert unnamed == 0, f"{path}: {unnamed} images without alt text"
    errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error')
    assert errors.count() == 0, f"{path} shows an error output: {errors.first.inner_text()[:300]}"
    if not path.endswith("index.html"):
        assert page.locator(".jp-Cell").count() > 20
        assert page.locator("nav.book-bar a").count() == len(PAGES) + 1  # contents, three notebooks, language
    if "01_train" in path:
        assert math_typeset(page) > 5  # the formulas of the plain RNN and the LSTM cell, typeset
        assert "$h_t" not in page.locator("main").inner_text()
    # the exercises' solutions stay folded
    assert page.evaluate("() => [...document.querySelectorAll('details')].filter(d => d.open).length") == 0
    if path in ("index.html", "01_train.html", "zh-CN/02_outputs_and_state.html"):
        name = path.replace("/", "_").replace(".html", "")
        page.screenshot(path=str(artifacts / f"book_{name}.png"), full_page=path == "index.html")


def test_every_link_of_the_site_resolves(site):
    import re

    missing = []
    for path in SITE_PAGES:
        text = (site / path).read_text(encoding="utf-8")
        for target in re.findall(r'(?:href|src)="([^"#?]+)[^"]*"', text):
            if target.startswith("data:"):
                continue
            assert not urlparse(target).scheme, f"{path} links off the site: {target}"
            if not (site / urljoin(path, target)).is_file():
                missing.append(f"{path} -> {target}")
    assert missing == []
    index = (site / "index.html").read_text(encoding="utf-8")
    assert [name for name in re.findall(r'<li><a href="([^"]+)"', index)] == PAGES[1:]  # the README's order


@pytest.mark.parametrize("path", ["03_step_probabilities.html", "zh-CN/03_step_probabilities.html"])
def test_the_explorer_moves_without_a_kernel(page, served, path, artifacts):
    refused, _ = open_page(page, served, path)
    assert refused == []
    explorer = page.locator(".book-explorer")
    assert explorer.count() == 1
    explorer.scroll_into_view_if_needed()
    picture, caption = explorer.locator("img"), explorer.locator(".book-explorer-caption")
    before = picture.get_attribute("src"), caption.inner_text()
    slider = explorer.locator("input[type=range]")
    slider.focus()
    for _ in range(8):
        page.keyboard.press("ArrowLeft")  # 28 rows read -> 20
    assert explorer.locator("output").inner_text() == "20"
    page.wait_for_function("(src) => document.querySelector('.book-explorer img').complete && "
                           "document.querySelector('.book-explorer img').naturalWidth > 0", arg=before[0])
    after = picture.get_attribute("src"), caption.inner_text()
    assert after[0] != before[0] and after[1] != before[1]
    assert "20" in after[1] and picture.get_attribute("alt") == after[1]
    explorer.locator("input[type=radio]").nth(1).check()  # the wrong one
    wrong = picture.get_attribute("src"), caption.inner_text()
    assert wrong[0] != after[0] and wrong[0].endswith("-20.png")
    explorer.screenshot(path=str(artifacts / f"book_explorer_{'zh-CN' if 'zh' in path else 'en'}_moved.png"))


def test_the_explorer_shows_what_the_explorer_draws(site):
    """Each frame of the page is the live explorer's own drawing of that image after that many rows."""
    frames = book.ExplorerFrames()
    explorer = frames.explorer("en")
    for kind, index in frames.picks(explorer):
        for step in (1, 14, 28):
            explorer.select(image=index, step=step)
            assert (site / "explorer" / f"{index}-{step:02d}.png").read_bytes() == explorer.view.png(), (kind, step)
    kinds = dict(frames.picks(explorer))
    assert explorer.predictions[kinds["wrong"]] != explorer.digits[kinds["wrong"]]
    for kind in ("right", "late"):
        assert explorer.predictions[kinds[kind]] == explorer.digits[kinds[kind]]
    assert frames.decisions[kinds["right"]] < frames.decisions[kinds["late"]]
