import json

from packaging.specifiers import SpecifierSet

from rnnlesson import __main__ as command
from rnnlesson import doctor


def fake_extension(folder, version):
    package = folder / doctor.WIDGET_EXTENSION / "package.json"
    package.parent.mkdir(parents=True)
    package.write_text(json.dumps({"name": doctor.WIDGET_EXTENSION, "version": version}))
    return folder


def test_this_environment_is_healthy(capsys):
    assert command.main(["doctor"]) == 0
    printed = capsys.readouterr().out
    assert "widget front end" in printed and "all good" in printed


def test_a_version_outside_the_supported_range_is_named_with_the_range():
    ranges = {"tensorflow": SpecifierSet(">=2.16.1,<2.22"), "keras": SpecifierSet(">=3.0,<3.16")}
    versions = {"tensorflow": "2.15.1", "keras": "3.16.0", "ipywidgets": "8.1.0", "jupyterlab_widgets": "3.0.8"}
    findings = {finding.name: finding for finding in doctor.check_versions(versions.get, ranges)}
    assert not findings["tensorflow"].ok and "supports tensorflow<2.22,>=2.16.1" in findings["tensorflow"].detail
    assert 'pip install "tensorflow<2.22,>=2.16.1"' in findings["tensorflow"].fix
    assert not findings["keras"].ok and findings["ipywidgets"].ok
    assert not findings["jupyterlab"].ok and findings["jupyterlab"].detail == "not installed"


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


def test_jupyter_from_another_environment_is_a_problem(tmp_path, monkeypatch):
    other = tmp_path / "other" / "bin"
    other.mkdir(parents=True)
    (other / "jupyter").write_text("#!/bin/sh\n")
    (other / "jupyter").chmod(0o755)
    monkeypatch.setenv("PATH", str(other))
    finding = doctor.check_jupyter_on_path(prefix=tmp_path / "mine")
    assert not finding.ok and "another environment" in finding.fix


def test_report_lists_fixes_and_exit_code():
    lines = []
    code = doctor.report([doctor.Finding("a", True, "fine"), doctor.Finding("b", False, "broken", "do this")],
                         out=lines.append)
    assert code == 1 and "    fix: do this" in lines and lines[-1] == "1 problem(s) found"


def test_unknown_command_prints_usage(capsys):
    assert command.main(["cure"]) == 2
    assert "doctor" in capsys.readouterr().out
