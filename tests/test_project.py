"""The project's own promises: consistent environments, versions tested at both ends of each range, clean notebooks."""

import json
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
TESTED = "constraints/tested.txt"


def declared():
    """pyproject.toml's requirements: the lesson's and the developers' (tests, lint)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"]["dev"]


def pins(name):
    """{distribution: [(version, marker or None), ...]} of a constraints file."""
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            (version,) = [spec.version for spec in requirement.specifier if spec.operator == "=="]
            found.setdefault(canonicalize_name(requirement.name), []).append((Version(version), requirement.marker))
    return found


def test_environment_yml_lists_exactly_the_pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert f"-c {TESTED}" in pip  # the conda route installs the tested versions too
    assert set(pip) - {"-e .", f"-c {TESTED}"} == set(declared())
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

def test_every_tested_version_lies_in_the_declared_range():
    tested = pins(TESTED)
    python = {"python_version": "3.11", "python_full_version": "3.11.7"}  # the tested set's Python
    for requirement in map(Requirement, declared()):
        versions = tested.get(canonicalize_name(requirement.name), [])
        if not requirement.marker or requirement.marker.evaluate(python):
            assert versions, f"{TESTED} has no {requirement.name}: after `make test` passes, run `bash tasks.sh lock`"
        for version, _marker in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{TESTED} pins {requirement.name}=={version}, outside pyproject.toml's {requirement}")


def test_the_oldest_set_is_the_lower_bound_of_every_declared_range():
    oldest = pins("constraints/oldest.txt")
    python = {"python_version": "3.10", "python_full_version": "3.10.0"}  # the oldest set's Python
    for requirement in map(Requirement, declared()):
        if requirement.marker and not requirement.marker.evaluate(python):
            continue
        lower = [Version(spec.version) for spec in requirement.specifier if spec.operator == ">="]
        assert len(lower) == 1, f"pyproject.toml: give {requirement} one lower bound (>=), the oldest tested"
        pinned = [version for version, _marker in oldest.get(canonicalize_name(requirement.name), [])]
        assert pinned == lower, (f"pyproject.toml says {requirement}, so constraints/oldest.txt must pin "
                                 f"{requirement.name}=={lower[0]} (then `bash tasks.sh test-oldest`)")
