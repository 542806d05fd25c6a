import json

import pytest
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from rnnlesson import __main__ as command
from rnnlesson import doctor


def fake_extension(folder, version):
    package = folder / doctor.WIDGET_EXTENSION / "package.json"
    package.parent.mkdir(parents=True)
    package.write_text(json.dumps({"name": doctor.WIDGET_EXTENSION, "version": version}))
    return folder


def test_this_environment_is_healthy(capsys):
    assert all(item.ok for item in doctor.check_versions())
    assert command.main(["doctor"]) == 0
    printed = capsys.readouterr().out
    assert "widget front end" in printed and "all good" in printed


def test_the_supported_ranges_are_the_installed_package_requirements():
    ranges = doctor.supported_ranges()
    assert {"tensorflow", "keras", "ipywidgets"} <= ranges.keys() and "pytest" not in ranges  # dev extra excluded
    assert ranges["tensorflow"].contains(doctor.version_of("tensorflow"))


def test_missing_widget_extension_gets_a_fix(tmp_path):
    finding = doctor.check_widget_extension(search_path=[tmp_path])
    assert not finding.ok and "jupyterlab_widgets" in finding.fix


def test_ipywidgets_7_front_end_is_named(tmp_path):
    finding = doctor.check_widget_extension(search_path=[fake_extension(tmp_path, "3.1.0")], prefix=tmp_path)
    assert not finding.ok and "ipywidgets 7" in finding.detail


def test_current_front_end_is_accepted(tmp_path):
    finding = doctor.check_widget_extension(search_path=[fake_extension(tmp_path, "5.0.16")], prefix=tmp_path)
    assert finding.ok and "5.0.16" in finding.detail


def jupyter_on_path(environment, monkeypatch):
    """A `jupyter` command in environment/bin, alone on PATH."""
    folder = environment / "bin"
    folder.mkdir(parents=True)
    (folder / "jupyter").write_text("#!/bin/sh\n")
    (folder / "jupyter").chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    return folder / "jupyter"


def test_jupyter_from_another_environment_is_a_problem(tmp_path, monkeypatch):
    jupyter_on_path(tmp_path / "other", monkeypatch)
    finding = doctor.check_jupyter_on_path(prefix=tmp_path / "mine")
    assert not finding.ok and "another environment" in finding.fix


def test_report_lists_fixes_and_exit_code():
    lines = []
    code = doctor.report([doctor.Finding("a", True, "fine"), doctor.Finding("b", False, "broken", "do this")],
                         out=lines.append)
    assert code == 1 and "    fix: do this" in lines and lines[-1] == "1 problem(s) found"


def versions(**overrides):
    """version_of() as in an environment whose versions are the real ones except `overrides`."""
    real = doctor.version_of

    def version_of(distribution):
        return overrides[distribution] if distribution in overrides else real(distribution)

    return version_of


def finding(findings, name):
    return next(item for item in findings if item.name == name)


def test_a_missing_package_is_named_with_its_fix(monkeypatch):
    monkeypatch.setattr(doctor, "version_of", versions(ipywidgets=None))
    item = finding(doctor.check_versions(), "ipywidgets")
    assert not item.ok and item.detail.startswith("not installed; the lesson supports ipywidgets")
    assert item.fix.startswith('pip install "ipywidgets')
    assert sum(not other.ok for other in doctor.check_versions()) == 1


@pytest.mark.parametrize(("distribution", "version"), [
    ("ipywidgets", "7.8.5"), ("keras", "2.15.0"), ("tensorflow", "1.15.5"),
    ("jupyterlab", "3.6.8"), ("jupyterlab_widgets", "1.1.11"), ("keras", "30.1"),
])
def test_a_version_outside_the_supported_range_is_named_with_the_range_and_its_fix(monkeypatch, distribution, version):
    monkeypatch.setattr(doctor, "version_of", versions(**{distribution: version}))
    findings = doctor.check_versions()
    item = finding(findings, distribution)
    assert not item.ok and item.detail.startswith(f"{version}; the lesson supports {distribution}")
    assert item.fix.startswith(f'pip install "{distribution}')
    assert [other.name for other in findings if not other.ok] == [distribution]
    # a range given here is named as pip writes it; without a range, installed is fine and missing is "not installed"
    missing = "ipywidgets" if distribution == "jupyterlab" else "jupyterlab"
    given = {canonicalize_name(distribution): SpecifierSet(">=2.16.1,<2.22")}
    findings = {item.name: item for item in doctor.check_versions(versions(**{missing: None}), given)}
    assert f"supports {distribution}<2.22,>=2.16.1" in findings[distribution].detail
    assert f'pip install "{distribution}<2.22,>=2.16.1"' in findings[distribution].fix
    assert not findings[missing].ok and findings[missing].detail == "not installed"
    assert all(item.ok for name, item in findings.items() if name not in (distribution, missing))


def test_no_jupyter_on_path_says_how_to_start_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    item = doctor.check_jupyter_on_path(prefix=tmp_path / "mine")
    mine = tmp_path / "mine" / "bin" / "jupyter"
    assert item.ok and item.detail == f"none on PATH; start it as {mine} lab (make lesson does)"


def test_jupyter_of_this_environment_is_fine(tmp_path, monkeypatch):
    jupyter = jupyter_on_path(tmp_path / "mine", monkeypatch)
    item = doctor.check_jupyter_on_path(prefix=tmp_path / "mine")
    assert item.ok and item.detail == str(jupyter)


def test_front_end_outside_this_environment_is_said(tmp_path):
    item = doctor.check_widget_extension(search_path=[fake_extension(tmp_path / "elsewhere", "5.0.16")],
                                         prefix=tmp_path / "mine")
    assert item.ok and item.detail.endswith("(outside this environment)")


def test_damaged_data_is_a_problem(monkeypatch):
    from rnnlesson import data

    def damaged(*args, **kwargs):
        raise data.MnistFileError("mnist_10k.npz has sha256 0000, expected bab2")

    monkeypatch.setattr(data, "load_mnist", damaged)
    item = doctor.check_data()
    assert not item.ok and item.detail == "MnistFileError: mnist_10k.npz has sha256 0000, expected bab2"
    assert "reinstall rnnlesson" in item.fix


def test_broken_tensorflow_is_a_problem(monkeypatch):
    from rnnlesson import runtime

    def broken():
        raise ImportError("libtensorflow_framework.so.2: cannot open shared object file")

    monkeypatch.setattr(runtime, "prepare", broken)
    item = doctor.check_gpu()
    assert not item.ok and item.name == "TensorFlow" and "cannot open shared object" in item.detail


def test_every_problem_is_reported_with_exit_code_one(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "version_of", versions(keras=None, tensorflow="1.15.5"))
    assert command.main(["doctor"]) == 1
    printed = capsys.readouterr().out
    assert "BAD keras" in printed and "BAD tensorflow" in printed and printed.endswith("2 problem(s) found\n")


@pytest.mark.parametrize("content", ["{not json", '{"name": "x"}', '{"version": "five"}', "[]"])
def test_a_damaged_front_end_is_reported_not_raised(tmp_path, content):
    package = fake_extension(tmp_path, "5.0.0") / doctor.WIDGET_EXTENSION / "package.json"
    package.write_text(content)
    item = doctor.check_widget_extension(search_path=[tmp_path], prefix=tmp_path)
    assert not item.ok and item.detail.startswith(f"{package} is unreadable") and "jupyterlab_widgets" in item.fix


def test_no_jupyter_core_is_reported_not_raised(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "jupyter_core.paths", None)  # as if it were not installed
    item = doctor.check_widget_extension()
    assert not item.ok and "jupyter_core.paths" in item.detail and "install JupyterLab" in item.fix


def stale_before_good(tmp_path, stale):
    """JUPYTER_PATH's folder holds a stale copy of the front end; the environment under tmp_path/env a good one."""
    environment = tmp_path / "env"
    good = fake_extension(environment / "share" / "jupyter" / "labextensions", "5.0.16")
    first = tmp_path / "stale" / "labextensions"
    package = first / doctor.WIDGET_EXTENSION / "package.json"
    package.parent.mkdir(parents=True)
    package.write_text(stale)
    return [first, good], environment, package


@pytest.mark.parametrize("stale", [json.dumps({"version": "3.1.0"}), "{not json"])
def test_a_stale_front_end_earlier_on_jupyter_path_is_named_with_the_variable(tmp_path, monkeypatch, stale):
    search_path, environment, package = stale_before_good(tmp_path, stale)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "stale"))
    item = doctor.check_widget_extension(search_path=search_path, prefix=environment)
    assert not item.ok
    assert str(package) in item.fix and "JUPYTER_PATH" in item.fix
    assert "pip install" not in item.fix and "reinstall" not in item.fix  # what is installed is not the problem


def test_a_stale_front_end_elsewhere_earlier_is_named_without_the_variable(tmp_path, monkeypatch):
    search_path, environment, package = stale_before_good(tmp_path, json.dumps({"version": "3.1.0"}))
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    item = doctor.check_widget_extension(search_path=search_path, prefix=environment)
    good = search_path[1] / doctor.WIDGET_EXTENSION / "package.json"
    assert not item.ok and item.fix == (f"{package} comes before {good} on JupyterLab's extension path: "
                                        f"remove {package.parent}, then restart JupyterLab.")
