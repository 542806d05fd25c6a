"""The lesson as a learner meets it: JupyterLab or Notebook 7 in Chromium, Run All, then the explorer moved."""

import json
import re
import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

# the notebook on show; other tabs (hidden) do not count
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ALL_CELLS_DONE = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    if (!panel) return false;
    if (panel.querySelector('[data-mime-type="application/vnd.jupyter.error"]')) return "error";
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)) ? "done" : false;
}"""


# where each front end opens a notebook
FRONT_ENDS = {"jupyterlab": "lab/tree/notebooks", "notebook7": "notebooks/notebooks"}


def server_api(lab, path, method="GET"):
    request = urllib.request.Request(f"{lab['base']}/api/{path}", method=method,
                                     headers={"Authorization": f"token {lab['token']}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
    return json.loads(body) if body else None


def shut_down_all_sessions(lab):
    """Each test starts from no running kernel, as a learner opening the lesson does."""
    for session in server_api(lab, "sessions"):
        server_api(lab, f"sessions/{session['id']}", method="DELETE")


def kernel_is_idle(lab, notebook):
    return any(session["path"].endswith(notebook) and session["kernel"]["execution_state"] == "idle"
               for session in server_api(lab, "sessions"))


def start_kernel(page, lab, notebook):
    """Answer the "Select Kernel" dialog if it shows, then wait until the server reports an idle kernel."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    try:
        select.wait_for(timeout=15_000)
        select.click()
    except PlaywrightTimeout:
        pass  # the kernel started without asking
    deadline = time.monotonic() + 120
    while not kernel_is_idle(lab, notebook):
        assert time.monotonic() < deadline, "no kernel became idle within 120 s"
        time.sleep(0.5)


def open_and_run_all(page, lab, notebook, timeout_s, front_end="jupyterlab"):
    shut_down_all_sessions(lab)
    reset = "&reset" if front_end == "jupyterlab" else ""  # a fresh workspace: no tabs from earlier tests
    page.goto(f"{lab['base']}/{FRONT_ENDS[front_end]}/{notebook}?token={lab['token']}{reset}")
    page.locator(f"{PANEL} .jp-Cell").first.wait_for(timeout=90_000)
    start_kernel(page, lab, notebook)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # poll once a second, not every animation frame: the kernel needs the CPU more than the check does
    outcome = page.wait_for_function(ALL_CELLS_DONE, polling=1000, timeout=timeout_s * 1000).json_value()
    errors = page.locator(f'{PANEL} [data-mime-type="application/vnd.jupyter.error"]')
    assert outcome == "done", f"a cell failed: {errors.first.inner_text()[:2000]}"


def assert_widgets_rendered(page):
    body = page.locator(PANEL).inner_text()
    assert "Error displaying widget" not in body
    assert not re.search(r"VBox\(children=", body), "the explorer was shown as text: no widget front end"


def explorer_state(page):
    explorer = page.locator(f"{PANEL} .widget-vbox").filter(has=page.locator(".widget-slider")).first
    caption = explorer.locator(".widget-html").first.inner_text()
    picture = explorer.locator("img").first.get_attribute("src")
    return explorer, caption, picture


def wait_for_caption(page, text):
    page.wait_for_function(
        "text => [...document.querySelectorAll('.widget-html')].some(e => e.innerText.includes(text))",
        arg=text, polling=200, timeout=30_000)


def click_slider(page, explorer, index, fraction):
    """Click a slider's track at `fraction` of its length, as a user would; return the new value it shows."""
    from playwright.sync_api import expect

    track = explorer.locator(".widget-slider .noUi-target").nth(index)
    readout = explorer.locator(".widget-readout").nth(index)
    before = readout.inner_text()
    box = track.bounding_box()
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)
    expect(readout).not_to_have_text(before, use_inner_text=True, timeout=10_000)  # the slider took the click
    return int(readout.inner_text())


def move_the_explorer(page, artifacts, name, keyboard=True):
    """Move the explorer's sliders as a user would; check that its caption and picture follow each move."""
    explorer, caption, picture = explorer_state(page)
    explorer.scroll_into_view_if_needed()
    match = re.match(r"#(\d+): true \d, rows read 14 · step 14: predicts \d", caption)
    assert match, caption  # the notebook's last cells moved it to a misclassified image, 14 rows read
    image = int(match.group(1))
    explorer.screenshot(path=str(artifacts / f"explorer_{name}_step14.png"))

    step = click_slider(page, explorer, 1, (20 - 1) / 27)  # the "rows read" slider, near 20
    assert step > 14
    wait_for_caption(page, f"rows read {step} · step {step}: predicts")
    _, caption_moved, picture_moved = explorer_state(page)
    assert caption_moved.startswith(f"#{image}: ") and picture_moved != picture
    explorer.screenshot(path=str(artifacts / f"explorer_{name}_step{step}.png"))

    if keyboard:
        explorer.locator(".widget-slider .noUi-handle").nth(1).click()
        page.keyboard.press("ArrowLeft")
        step -= 1
        wait_for_caption(page, f"rows read {step} ·")

    new_image = click_slider(page, explorer, 0, 0.5)  # the image slider, half way
    assert new_image != image
    wait_for_caption(page, f"#{new_image}: ")
    _, caption_next, picture_next = explorer_state(page)
    assert f"rows read {step} ·" in caption_next and picture_next != picture_moved


@pytest.mark.parametrize("front_end", list(FRONT_ENDS))
def test_notebook_03_explorer_responds_to_the_user(page, jupyter_lab, artifacts, front_end):
    open_and_run_all(page, jupyter_lab, "03_step_probabilities.ipynb", timeout_s=600, front_end=front_end)
    assert_widgets_rendered(page)
    # Notebook 7 keeps the arrow keys for itself; there the mouse is the way
    move_the_explorer(page, artifacts, front_end, keyboard=front_end == "jupyterlab")


SHORT = "config = config.replace(iterations=60, log_every=20)"


def short_copy(lab, notebook):
    """Notebook 01 beside itself, trained briefly: nbval runs the full training; here the front end is tested.

    Only the cells tagged full-training, which check what the full training reaches, are left out.
    """
    loaded = json.loads((lab["root"] / "notebooks" / notebook).read_text())
    loaded["cells"] = [cell for cell in loaded["cells"] if "full-training" not in cell["metadata"].get("tags", [])]
    setup = next(cell for cell in loaded["cells"] if cell["cell_type"] == "code")
    source, found = re.subn(r"^(config = Config\(\).*)$", lambda line: f"{line.group(1)}\n{SHORT}",
                            "".join(setup["source"]), count=1, flags=re.MULTILINE)
    assert found, "no `config = Config()` line in the Setup cell"
    setup["source"] = source
    short = notebook.replace(".ipynb", "_short.ipynb")
    (lab["root"] / "notebooks" / short).write_text(json.dumps(loaded))
    return short


def test_notebook_01_trains_and_draws_its_curves(page, jupyter_lab, artifacts):
    open_and_run_all(page, jupyter_lab, short_copy(jupyter_lab, "01_train.ipynb"), timeout_s=900)
    assert_widgets_rendered(page)
    curves = page.locator(f"{PANEL} .jp-CodeCell").filter(has_text="plots.training_curves(history)")
    figure = curves.locator(".jp-OutputArea-output img").first
    figure.scroll_into_view_if_needed()
    assert figure.evaluate("img => img.naturalWidth") > 400
    figure.screenshot(path=str(artifacts / "training_curves.png"))
    assert re.search(r"test accuracy 0\.\d", page.locator(PANEL).inner_text())
    # the training's progress bar, drawn as a widget (tqdm's HBox), not as text
    assert page.locator(f"{PANEL} .jp-OutputArea-output .widget-hbox").filter(has_text="training").count() >= 1


def test_chinese_notebook_03_explorer_draws_in_chinese(page, jupyter_lab, artifacts):
    """The Chinese edition's explorer: drawn, labelled in Chinese, and its picture follows the rows slider."""
    open_and_run_all(page, jupyter_lab, "zh-CN/03_step_probabilities.ipynb", timeout_s=600)
    assert_widgets_rendered(page)
    explorer, caption, picture = explorer_state(page)
    explorer.scroll_into_view_if_needed()
    assert re.search(r"[\u4e00-\u9fff]", caption), f"the explorer's caption is not in Chinese: {caption}"
    assert explorer.locator("img").first.evaluate("img => img.naturalWidth") > 300
    explorer.screenshot(path=str(artifacts / "explorer_zh-CN.png"))
    click_slider(page, explorer, 1, (20 - 1) / 27)
    page.wait_for_function("before => { const box = [...document.querySelectorAll('.widget-vbox')].find("
                           "b => b.querySelector('.widget-slider')); return box && "
                           "box.querySelector('img').getAttribute('src') !== before; }",
                           arg=picture, polling=200, timeout=30_000)
    explorer.screenshot(path=str(artifacts / "explorer_zh-CN_moved.png"))
