"""`python -m rnnlesson doctor`: check that this environment can run the lesson and show its widgets."""

import json
import os
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
REINSTALL = 'pip install -e ".[dev]" -c constraints/tested.txt  (or: bash tasks.sh lesson)'


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def version_of(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


CHECKED = ["ipywidgets", "jupyterlab_widgets", "jupyterlab", "tensorflow", "keras"]


def supported_ranges():
    """{distribution: SpecifierSet}: the ranges pyproject.toml declares, as installed with the package."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    try:
        requires = metadata.requires("rnnlesson") or []
    except metadata.PackageNotFoundError:  # run from a source folder that was never installed
        return {}
    ranges = {}
    for line in requires:
        requirement = Requirement(line)
        if requirement.marker is None:  # the optional extras carry an `extra == ...` marker
            ranges[canonicalize_name(requirement.name)] = requirement.specifier
    return ranges


def check_versions(installed=None, ranges=None):
    from packaging.utils import canonicalize_name

    installed = installed or version_of
    ranges = supported_ranges() if ranges is None else ranges
    findings = []
    for distribution in CHECKED:
        found, wanted = installed(distribution), ranges.get(canonicalize_name(distribution))
        ok = found is not None and (wanted is None or wanted.contains(found, prereleases=True))
        detail = found or "not installed"
        if not ok and wanted is not None:
            detail += f"; the lesson supports {distribution}{wanted}"
        fix = f'pip install "{distribution}{wanted or ""}", or the tested set: {REINSTALL}'
        findings.append(Finding(distribution, ok, detail, "" if ok else fix))
    return findings


def find_widget_extensions(search_path=None):
    """Every package.json of the widget front end on JupyterLab's extension path; JupyterLab uses the first."""
    if search_path is None:
        from jupyter_core.paths import jupyter_path

        search_path = jupyter_path("labextensions")
    candidates = (Path(folder) / WIDGET_EXTENSION / "package.json" for folder in search_path)
    return [candidate for candidate in candidates if candidate.is_file()]


def _front_end_version(package):
    """(version, major) from a package.json, or raise ValueError saying why it cannot be read."""
    try:
        version = json.loads(package.read_text())["version"]
        return version, int(version.split(".")[0])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{type(error).__name__}: {error}") from error


def check_widget_extension(search_path=None, prefix=sys.prefix):
    try:
        packages = find_widget_extensions(search_path)
    except ImportError as error:  # no jupyter_core: JupyterLab itself is missing
        return Finding("widget front end", False, f"cannot look for it ({error})", f"install JupyterLab: {REINSTALL}")
    if not packages:
        return Finding("widget front end", False, f"{WIDGET_EXTENSION} is not installed for JupyterLab",
                       f"install jupyterlab_widgets in the environment JupyterLab runs from: {REINSTALL}")
    package, later = packages[0], packages[1:]
    inside = Path(prefix).resolve() in package.resolve().parents
    hiding = _hiding_fix(package, later) if later and not inside else ""
    try:
        version, major = _front_end_version(package)
    except ValueError as error:
        return Finding("widget front end", False, f"{package} is unreadable ({error})",
                       hiding.strip() or f"reinstall jupyterlab_widgets: {REINSTALL}")
    if major < 5:
        return Finding("widget front end", False, f"{WIDGET_EXTENSION} {version} is for ipywidgets 7",
                       hiding.strip() or "pip install 'jupyterlab_widgets>=3' (then restart JupyterLab)")
    return Finding("widget front end", True,
                   f"{WIDGET_EXTENSION} {version} in {package.parent.parent.parent}"
                   + ("" if inside else " (outside this environment)"))


def _hiding_fix(package, later):
    """The fix for a copy outside this environment that JupyterLab reads before the environment's own."""
    where = f"{package} comes before {later[0]} on JupyterLab's extension path"
    if _on_jupyter_path(package):
        return (f"{where} (its folder is listed in $JUPYTER_PATH): take that folder off JUPYTER_PATH or remove "
                f"{package.parent}, then restart JupyterLab.")
    return f"{where}: remove {package.parent}, then restart JupyterLab."


def _on_jupyter_path(package):
    """True if the extension's labextensions folder sits under a folder listed in $JUPYTER_PATH."""
    folders = [Path(folder).expanduser().resolve() for folder in os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
               if folder]
    labextensions = package.parent.parent.parent.resolve()
    return any(labextensions == folder / "labextensions" for folder in folders)


def check_jupyter_on_path(prefix=sys.prefix):
    found = shutil.which("jupyter")
    mine = Path(prefix) / ("Scripts" if os.name == "nt" else "bin")
    if found is None:
        return Finding("jupyter command", True, f"none on PATH; start it as {mine / 'jupyter'} lab (make lesson does)")
    ok = Path(found).resolve().parent == mine.resolve()
    return Finding("jupyter command", ok, found,
                   "" if ok else f"this `jupyter` belongs to another environment; run {mine / 'jupyter'} lab")


def check_data():
    try:
        from rnnlesson import data

        mnist = data.load_mnist()
    except Exception as error:  # the doctor reports every failure instead of stopping at the first
        return Finding("embedded data", False, f"{type(error).__name__}: {error}", f"reinstall rnnlesson: {REINSTALL}")
    return Finding("embedded data", True, f"{mnist.train.num_examples} train + {mnist.test.num_examples} test digits, "
                   "sha256 verified")


def check_gpu():
    try:
        from rnnlesson import runtime

        tf = runtime.prepare()
        gpus = tf.config.list_physical_devices("GPU")
    except Exception as error:
        return Finding("TensorFlow", False, f"{type(error).__name__}: {error}", f"reinstall TensorFlow: {REINSTALL}")
    return Finding("GPU", True, f"{len(gpus)} GPU(s) visible" if gpus else "none: the lesson runs on the CPU")


def run_checks():
    return [*check_versions(), check_widget_extension(), check_jupyter_on_path(), check_data(), check_gpu()]


def report(findings, out=print):
    """Print one line per finding and a fix under each problem; return 0 if all is well, else 1."""
    for finding in findings:
        out(f"{'ok ' if finding.ok else 'BAD'} {finding.name:<20} {finding.detail}")
        if not finding.ok:
            out(f"    fix: {finding.fix}")
    problems = sum(not finding.ok for finding in findings)
    out("all good" if not problems else f"{problems} problem(s) found")
    return 1 if problems else 0
