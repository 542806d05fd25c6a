"""The lesson as a learner meets it: JupyterLab in Chromium, Run All, then the explorer moved by keyboard."""

import re

import pytest

pytestmark = pytest.mark.browser

ALL_CELLS_DONE = """() => {
    if (document.querySelector('[data-mime-type="application/vnd.jupyter.error"]')) return "error";
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)) ? "done" : false;
}"""


def start_kernel(page):
    """Answer JupyterLab's "Select Kernel" dialog if it shows, then wait for an idle kernel."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    try:
        select.wait_for(timeout=15_000)
        select.click()
    except PlaywrightTimeout:
        pass  # the kernel started without asking
    page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=120_000)


def open_and_run_all(page, lab, notebook, timeout_s):
    page.goto(f"{lab['base']}/lab/tree/notebooks/{notebook}?token={lab['token']}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=90_000)
    start_kernel(page)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    outcome = page.wait_for_function(ALL_CELLS_DONE, timeout=timeout_s * 1000).json_value()
    errors = page.locator('[data-mime-type="application/vnd.jupyter.error"]')
    assert outcome == "done", f"a cell failed: {errors.first.inner_text()[:2000]}"


def assert_widgets_rendered(page):
    body = page.locator(".jp-Notebook").inner_text()
    assert "Error displaying widget" not in body
    assert not re.search(r"VBox\(children=", body), "the explorer was shown as text: no widget front end"


def explorer_state(page):
    explorer = page.locator(".widget-vbox").filter(has=page.locator(".widget-slider")).first
    caption = explorer.locator(".widget-html").first.inner_text()
    picture = explorer.locator("img").first.get_attribute("src")
    return explorer, caption, picture


def press_on_slider(page, explorer, index, key, times):
    handle = explorer.locator(".widget-slider .noUi-handle").nth(index)
    handle.focus()
    for _ in range(times):
        handle.press(key)


def test_notebook_03_explorer_responds_to_the_keyboard(page, jupyter_lab, artifacts):
    open_and_run_all(page, jupyter_lab, "03_step_probabilities.ipynb", timeout_s=600)
    assert_widgets_rendered(page)
    explorer, caption, picture = explorer_state(page)
    explorer.scroll_into_view_if_needed()
    match = re.match(r"#(\d+): true \d, rows read 14 · step 14: predicts \d", caption)
    assert match, caption  # the notebook's last cells moved it to a misclassified image, 14 rows read
    image = int(match.group(1))
    explorer.screenshot(path=str(artifacts / "explorer_step14.png"))

    press_on_slider(page, explorer, 1, "ArrowRight", 6)  # the "rows read" slider
    page.wait_for_function(
        "() => [...document.querySelectorAll('.widget-html')].some(e => e.innerText.includes('rows read 20'))")
    _, caption_20, picture_20 = explorer_state(page)
    assert caption_20.startswith(f"#{image}: ") and "step 20: predicts" in caption_20
    assert picture_20 != picture
    explorer.screenshot(path=str(artifacts / "explorer_step20.png"))

    press_on_slider(page, explorer, 0, "ArrowRight", 1)  # the image slider
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.widget-html')].some(e => e.innerText.startsWith('#{image + 1}:'))")
    _, caption_next, picture_next = explorer_state(page)
    assert "rows read 20" in caption_next and picture_next != picture_20


def test_notebook_01_trains_and_draws_its_curves(page, jupyter_lab, artifacts):
    open_and_run_all(page, jupyter_lab, "01_train.ipynb", timeout_s=900)
    assert_widgets_rendered(page)
    curves = page.locator(".jp-CodeCell").filter(has_text="plots.training_curves(history)")
    figure = curves.locator(".jp-OutputArea-output img").first
    figure.scroll_into_view_if_needed()
    assert figure.evaluate("img => img.naturalWidth") > 400
    figure.screenshot(path=str(artifacts / "training_curves.png"))
    assert "test accuracy 0.9" in page.locator(".jp-Notebook").inner_text()
