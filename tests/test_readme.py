"""The README and the pages of docs/ stay true to the tree: the paths they name exist, the `make` targets
and `bash tasks.sh` commands they name are there, their links to sections land; and the lesson's commands
do what the README says (`make lesson` without the test tools, a language chosen or refused)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README, TEACHING = ROOT / "README.md", ROOT / "docs" / "teaching.md"
PAGES = (README, *sorted((ROOT / "docs").glob("*.md")))
EXTENSIONS = (".md", ".py", ".ipynb", ".yml", ".yaml", ".txt", ".sh", ".toml", ".npz", ".png", ".json")
# made by the commands, never committed: the pages name them as places, not as files of the tree
GENERATED = (".venv", ".node", "artifacts/", "checkpoints/", "build/")
# names of files outside the repository: a hub's configuration, the checkpoint a teacher trains
NOT_IN_THE_TREE = {"jupyterhub_config.py", "lstm_mnist.npz", "lstm_mnist-num_hidden64-keep_prob1.0.npz"}
WITHOUT_EXTENSION = {"LICENSE", "Makefile", "postBuild", "TERMINOLOGY"}  # files of the tree a page may name


def code_of(text):
    """The inline code spans and fenced code blocks of a Markdown text, as a list of strings."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S)
    inline = re.findall(r"(?<!`)`([^`\n]+)`(?!`)", re.sub(r"^```.*?^```", "", text, flags=re.M | re.S))
    return fenced + inline


def named_paths(text):
    """The repository paths named in code spans, as written: relative, with a folder or a file extension."""
    names = set()
    for span in code_of(text):
        for token in span.split():
            token = token.strip(",;:()")
            if not re.fullmatch(r"[\w.\-/]+", token) or token.startswith(("/", ".", "lab/", "tree/")) and \
                    not token.startswith((".venv", ".ci", ".github", ".pre-commit", ".node")):
                continue
            if re.fullmatch(r"[A-Z]+", token.split("/")[0]):
                continue  # a placeholder: REGISTRY/rnnlesson, PATH/lstm_mnist.npz
            if "/" in token or token.endswith(EXTENSIONS) or token in WITHOUT_EXTENSION:
                names.add(token)
    return names


def exists(name, page):
    if name in NOT_IN_THE_TREE or name.startswith(GENERATED):
        return True
    return any((folder / name).exists() for folder in (ROOT, page.parent, ROOT / "notebooks", ROOT / "benchmarks"))


def slug(heading):
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def makefile_targets():
    return set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))


def tasks_commands():
    commands = set()
    for line in re.findall(r"^ {4}([\w|-]+)\)", (ROOT / "tasks.sh").read_text(), re.M):
        commands.update(line.split("|"))
    return commands


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_path_a_page_names_exists(page):
    text = page.read_text()
    missing = sorted(name for name in named_paths(text) if not exists(name, page))
    links = [target.split("#")[0] for target in re.findall(r"\]\(([^)\s]+)\)", text)]
    missing += sorted(target for target in links
                      if target and not target.startswith(("http://", "https://")) and
                      not (page.parent / target).exists())
    assert not missing, f"{page.name} names files that are not in the tree: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_make_target_and_task_a_page_names_exists(page):
    code = "\n".join(code_of(page.read_text()))
    make = set(re.findall(r"\bmake ([a-z][\w-]*)", code))
    tasks = set(re.findall(r"\bbash tasks\.sh ([a-z][\w-]*)", code))
    if page == README:
        assert {"lesson", "test"} <= make, "the README's Quick start names make lesson and make test"
    assert make <= makefile_targets(), f"{page.name} names make targets the Makefile lacks: {make - makefile_targets()}"
    assert tasks <= tasks_commands(), f"{page.name} names tasks.sh commands it lacks: {tasks - tasks_commands()}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_to_a_section_lands(page):
    text = page.read_text()
    for target in re.findall(r"\]\(([^)\s]*#[^)\s]+)\)", text):
        file, anchor = target.split("#", 1)
        linked = (page.parent / file) if file else page
        anchors = {slug(heading) for heading in re.findall(r"^#+ (.+)$", linked.read_text(), re.M)}
        assert anchor in anchors, f"{page.name} links to {target}, but {linked.name} has no such section"


def test_the_checks_find_what_is_missing():
    assert named_paths("run `notebooks/04_missing.ipynb`, `REGISTRY/x` and `python -m x`") == \
        {"notebooks/04_missing.ipynb"}
    assert not exists("notebooks/04_missing.ipynb", README)
    assert exists("01_train.ipynb", TEACHING)
    assert slug("5. Sizing a class on Zero to JupyterHub") == "5-sizing-a-class-on-zero-to-jupyterhub"
    assert {"lesson", "check", "test", "figures"} <= makefile_targets()
    assert {"lesson", "test-oldest", "lock", "lock-oldest"} <= tasks_commands() and "zh-CN" not in tasks_commands()


def test_the_readme_starts_short():
    lines = README.read_text().splitlines()
    assert len(lines[0]) <= 40, "the first line stays short: a language link goes on it"
    assert len(lines) <= 150, f"the README has {len(lines)} lines: move details to docs/"
    assert lines.index("## Quick start") < 30, "the Quick start is on the first screen"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("lang, edition", [("zh-CN", "zh-CN"), ("zh_CN.UTF-8", "zh-CN"), ("zh", "zh-CN"),
                                           ("en_US.UTF-8", "en"), ("C.UTF-8", "en"), ("", "en")])
def test_make_lesson_maps_the_language(lang, edition):
    environment = {**os.environ, "LANG": lang}
    shown = subprocess.run(["make", "-s", "-n", "lesson"], cwd=ROOT, env=environment, capture_output=True,
                           text=True, check=True).stdout
    assert shown.strip() == f"bash tasks.sh lesson {edition}"


def fake_venv(folder):
    """A venv whose python, jupyter and ruff only write down how they were called."""
    (folder / "bin").mkdir()
    for tool in ("python", "jupyter", "ruff"):
        (folder / "bin" / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> "{folder}/calls"\n')
        (folder / "bin" / tool).chmod(0o755)
    return folder


def tasks(venv, *arguments):
    return subprocess.run(["bash", "tasks.sh", *arguments], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "RNNLESSON_VENV": str(venv)})


def installs(venv):
    calls = (venv / "calls").read_text().splitlines() if (venv / "calls").exists() else []
    return [call.split(" -e ")[1].split()[0] for call in calls if " pip install --quiet -e " in call]


def test_lesson_installs_without_the_test_tools_and_test_adds_them(tmp_path):
    venv = fake_venv(tmp_path)
    assert tasks(venv, "lesson").returncode == 0
    assert installs(venv) == ["."]
    assert (venv / "calls").read_text().splitlines()[-1] == f"jupyter lab {'--allow-root ' * (os.getuid() == 0)}" \
        "notebooks/01_train.ipynb"
    tasks(venv, "lesson")
    assert installs(venv) == ["."], "a second lesson reinstalls nothing"
    tasks(venv, "check")
    assert installs(venv) == [".", ".[dev]"], "after a lesson install, check must install the test tools"
    tasks(venv, "lesson")
    tasks(venv, "check")
    assert installs(venv) == [".", ".[dev]"], "the test tools stay installed: nothing to reinstall"


def test_an_unknown_language_is_refused_before_anything_is_installed(tmp_path):
    venv = fake_venv(tmp_path)
    refused = tasks(venv, "lesson", "fr")
    assert refused.returncode == 2
    assert "Unknown language 'fr'" in refused.stderr and "zh-CN" in refused.stderr
    assert installs(venv) == []
