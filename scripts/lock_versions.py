"""Write the exact versions of the running environment as a pip constraints file.

    .venv/bin/python scripts/lock_versions.py constraints/tested.txt

`bash tasks.sh lock` runs it after a passing `bash tasks.sh test`, and `bash tasks.sh lock-oldest` after a
passing `bash tasks.sh test-oldest`. A release that needs a newer Python than the oldest the project
supports (NumPy 2.3 needs 3.11, for instance) gets a `python_version` marker, so the file still installs
on every supported Python: there pip takes the newest release that fits instead.
"""

import platform
import sys
from importlib import metadata
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

SUPPORTED_PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
NOT_PINNED = {"rnnlesson", "pip", "setuptools", "wheel"}  # the project itself and the installers


def python_marker(requires_python):
    """'' when a release installs on every supported Python, else the marker that limits it to those it does.

    Each supported Python is probed at its first and a late patch release: '>=3.11.5' excludes 3.11.0.
    """
    probes = [f"{version}.{patch}" for version in SUPPORTED_PYTHONS for patch in (0, 99)]
    limits = [spec for spec in SpecifierSet(requires_python or "") if not all(spec.contains(p) for p in probes)]
    if not any(all(spec.contains(probe) for spec in limits) for probe in probes):
        return None
    if not limits:
        return ""
    return "; " + " and ".join(f'python_full_version {spec.operator} "{spec.version}"' for spec in limits)


def pins():
    found = {}
    for distribution in metadata.distributions():
        name = canonicalize_name(distribution.metadata["Name"])
        if name in NOT_PINNED or name in found:
            continue
        marker = python_marker(distribution.metadata["Requires-Python"])
        if marker is not None:
            found[name] = f"{name}=={distribution.version}{marker}"
    return [found[name] for name in sorted(found)]


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    tensorflow, keras = metadata.version("tensorflow"), metadata.version("keras")
    header = [
        f"# Python {platform.python_version()}, TensorFlow {tensorflow}, Keras {keras} ({sys.platform}).",
        "# Every version below passed the tests; written by scripts/lock_versions.py, do not edit by hand.",
    ]
    Path(argv[0]).write_text("\n".join(header + pins()) + "\n")
    print(f"wrote {argv[0]}: {len(pins())} pinned distributions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
