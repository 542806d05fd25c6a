"""The project's own promises: consistent environments and clean notebooks."""

import json
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_lists_exactly_the_pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert set(pip) - {"-e ."} == wanted
    python = next(item for item in environment["dependencies"] if str(item).startswith("python="))
    minimum = project["requires-python"].removeprefix(">=")
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], f"{path.name} has outputs; run nbstripout on it"
                assert cell["execution_count"] is None, f"{path.name} has execution counts"



def test_tests_keep_checkpoints_out_of_the_repository(own_checkpoints):
    from rnnlesson import checkpoints, config

    for settings in (config.Config(), config.Config(num_hidden=64)):
        path = checkpoints.path_for(settings)
        assert own_checkpoints in path.parents and (ROOT / "checkpoints") not in path.parents
