#!/usr/bin/env bash
# The README's two commands, for machines with or without make:
#   bash tasks.sh lesson   set everything up, then open the lesson in JupyterLab
#   bash tasks.sh test     set everything up, then run lint, unit tests, every notebook and the browser tests
#   bash tasks.sh screenshots   refresh the README's screenshots from the browser tests
#   bash tasks.sh bench    install the benchmark peers (PyTorch CPU, tf-keras), then run the benchmarks
set -euo pipefail
cd "$(dirname "$0")"
venv="${RNNLESSON_VENV:-.venv}"

find_python() {
    for candidate in python3 python3.13 python3.12 python3.11 python3.10; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))'; then
            echo "$candidate"
            return
        fi
    done
    echo "Python 3.10 to 3.13 is needed (TensorFlow 2.21 supports those); none was found on PATH." >&2
    exit 1
}

setup() {
    if [ ! -x "$venv/bin/python" ]; then
        echo "Creating the virtual environment $venv"
        "$(find_python)" -m venv "$venv"
    fi
    # reinstall only when the dependencies changed
    local stamp="$venv/.installed-from" wanted
    wanted="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        "$venv/bin/python" -m pip install --quiet --upgrade pip
        "$venv/bin/python" -m pip install --quiet -e ".[dev]"
        echo "$wanted" >"$stamp"
    fi
}

venv_first_on_path() {  # the tests start jupyter: it must be this environment's
    PATH="$(cd "$venv/bin" && pwd):$PATH"
    export PATH
}

case "${1:-}" in
    lesson)
        setup
        allow_root=""
        if [ "$(id -u)" = 0 ]; then allow_root="--allow-root"; fi  # containers often run as root
        exec "$venv/bin/jupyter" lab $allow_root notebooks/01_train.ipynb
        ;;
    test)
        setup
        venv_first_on_path
        "$venv/bin/ruff" check .
        exec "$venv/bin/python" -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider "${@:2}"
        ;;
    screenshots)
        # refresh docs/explorer.png and docs/training_curves.png from the browser tests' screenshots
        setup
        venv_first_on_path
        "$venv/bin/python" -m pytest -p no:cacheprovider -m browser e2e
        cp artifacts/screenshots/explorer_jupyterlab_step20.png docs/explorer.png  # the click lands on 20
        cp artifacts/screenshots/training_curves.png docs/training_curves.png
        ;;
    bench)
        setup
        "$venv/bin/python" -m pip install --quiet -e ".[dev,bench]"
        "$venv/bin/python" benchmarks/compare_speed.py
        "$venv/bin/python" benchmarks/train_speed.py
        "$venv/bin/python" benchmarks/train_speed.py --precision mixed_bfloat16
        "$venv/bin/python" benchmarks/explorer_redraw.py
        ;;
    *)
        echo "usage: bash tasks.sh lesson|test|screenshots|bench" >&2
        exit 2
        ;;
esac
