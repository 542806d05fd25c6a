#!/usr/bin/env bash
# The README's commands, for machines with or without make:
#   bash tasks.sh lesson [zh-CN]   install what the lesson needs (not the test tools), then open notebook 01
#                                  in JupyterLab (zh-CN: the Chinese edition, notebooks/zh-CN/)
#   bash tasks.sh check    set everything up, then run lint and the unit tests not marked slow (while you work)
#   bash tasks.sh test     set everything up, then run lint, unit tests, every notebook and the browser tests
#   bash tasks.sh figures  build the book (as `book` does); from its run, the measured table (docs/benchmarks.md),
#                          the two pictures and the explorer's caption (scripts/figures.py), naming the CPU
#   bash tasks.sh book     run every notebook of both editions from a clean kernel and build the executed
#                          edition, a static site that reads without running, into build/book/ (scripts/book.py)
#   bash tasks.sh screenshots   the browser tests' screenshots of JupyterLab, into artifacts/screenshots/
#   bash tasks.sh bench    install the benchmark peers (PyTorch CPU, tf-keras), then run the benchmarks
#   bash tasks.sh test-oldest   the unit tests, notebooks and browser tests on the oldest supported set
#                               (constraints/oldest.txt) with Python 3.10, in .venv-oldest
#   bash tasks.sh lock | lock-oldest   after a passing test | test-oldest: rewrite constraints/tested.txt | oldest.txt
# `make` installs the exact tested set, constraints/tested.txt; pyproject.toml declares the supported ranges.
set -euo pipefail
cd "$(dirname "$0")"
venv="${RNNLESSON_VENV:-.venv}"
constraints=constraints/tested.txt
extras=dev  # `lesson` installs none: the lesson runs without the test tools

find_python() {  # 3.11-3.13 first (the tested set); 3.10 only when there is no other
    local candidate
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))'; then
            echo "$candidate"
            return
        fi
    done
    for candidate in python3 python3.10; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
            echo "Using Python 3.10: pip takes Keras 3.12 there, not the tested 3.15 (Keras 3.13 needs 3.11)." >&2
            echo "$candidate"
            return
        fi
    done
    echo "Python 3.10 to 3.13 is needed (TensorFlow 2.21 supports those); none was found on PATH." >&2
    exit 1
}

find_oldest_python() {  # Python 3.10: on PATH, or installed by pyenv (whose shim may point elsewhere)
    local candidate
    for candidate in "${RNNLESSON_OLDEST_PYTHON:-}" python3.10 "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10 \
        "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
        if [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
            command -v "$candidate"
            return
        fi
    done
    echo "The oldest supported set runs on Python 3.10, which was not found: install it (pyenv install 3.10," \
        "conda, or your system's packages) or point RNNLESSON_OLDEST_PYTHON at its python." >&2
    exit 1
}

setup() {  # $venv from $1 (default: find_python), with the project installed under $constraints, extras $extras
    if [ ! -x "$venv/bin/python" ]; then
        echo "Creating the virtual environment $venv"
        "${1:-$(find_python)}" -m venv "$venv"
    fi
    # reinstall only when the dependencies changed, or when the extras installed are fewer than wanted: a
    # lesson install (no extras) followed by `test` installs dev; `lesson` after `test` keeps what is there
    local stamp="$venv/.installed-from" wanted target="."
    wanted="$(cat pyproject.toml "$constraints" | sha256sum | cut -d' ' -f1)"
    if [ -n "$extras" ]; then target=".[$extras]"; fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted $extras" ] &&
        { [ -n "$extras" ] || [ "$(cut -d' ' -f1 "$stamp" 2>/dev/null)" != "$wanted" ]; }; then
        "$venv/bin/python" -m pip install --quiet --upgrade pip
        "$venv/bin/python" -m pip install --quiet -e "$target" -c "$constraints"
        echo "$wanted $extras" >"$stamp"
    fi
}

hub_proxy() {  # the hub test's proxy, from npm, into .node/ (git-ignored); without npm that test is skipped
    if [ ! -x .node/node_modules/.bin/configurable-http-proxy ] && command -v npm >/dev/null 2>&1; then
        npm install --prefix .node --no-audit --no-fund --loglevel=error configurable-http-proxy@5 ||
            echo "configurable-http-proxy could not be installed: the JupyterHub test will be skipped." >&2
    fi
}

venv_first_on_path() {  # the tests start jupyter: it must be this environment's
    PATH="$(cd "$venv/bin" && pwd):$PATH"
    export PATH
}

case "${1:-}" in
    lesson)
        case "${2:-en}" in
            en) first=notebooks/01_train.ipynb ;;
            zh-CN) first=notebooks/zh-CN/01_train.ipynb ;;
            *)
                echo "Unknown language '${2}': the lesson comes in en (the default) and zh-CN," \
                    "for example: bash tasks.sh lesson zh-CN" >&2
                exit 2
                ;;
        esac
        if [ ! -f "$first" ]; then
            echo "$first is not in this copy of the lesson: update it (git pull), or run bash tasks.sh lesson" >&2
            exit 1
        fi
        extras=""
        setup
        allow_root=""
        if [ "$(id -u)" = 0 ]; then allow_root="--allow-root"; fi  # containers often run as root
        exec "$venv/bin/jupyter" lab $allow_root "$first"
        ;;
    check)
        setup
        "$venv/bin/ruff" check .
        exec "$venv/bin/python" -m pytest -p no:cacheprovider -m "not slow" tests "${@:2}"
        ;;
    test)
        setup
        hub_proxy
        venv_first_on_path
        "$venv/bin/ruff" check .
        exec "$venv/bin/python" -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider "${@:2}"
        ;;
    figures)
        setup
        venv_first_on_path  # the notebooks' kernel must be this environment's
        exec "$venv/bin/python" scripts/figures.py
        ;;
    book)
        setup
        venv_first_on_path  # the notebooks' kernel must be this environment's
        exec "$venv/bin/python" scripts/book.py "${@:2}"
        ;;
    screenshots)
        # the README's picture comes from `figures`, drawn from the same run as the measured table
        setup
        venv_first_on_path
        exec "$venv/bin/python" -m pytest -p no:cacheprovider -m browser e2e
        ;;
    bench)
        setup
        "$venv/bin/python" -m pip install --quiet -e ".[dev,bench]" -c "$constraints"
        "$venv/bin/python" benchmarks/compare_speed.py
        "$venv/bin/python" benchmarks/train_speed.py
        "$venv/bin/python" benchmarks/train_speed.py --precision mixed_bfloat16
        "$venv/bin/python" benchmarks/explorer_redraw.py
        ;;
    test-oldest)
        venv="${RNNLESSON_OLDEST_VENV:-.venv-oldest}" constraints=constraints/oldest.txt
        oldest_python="$(find_oldest_python)"  # on its own line: a missing Python 3.10 stops here
        setup "$oldest_python"
        venv_first_on_path
        # notebook 01 saves the network it trains here, next to the environment that trained it
        RNNLESSON_CHECKPOINT_DIR="$(cd "$venv" && pwd)/checkpoints"
        export RNNLESSON_CHECKPOINT_DIR
        unset RNNLESSON_CHECKPOINT
        "$venv/bin/python" -m rnnlesson doctor
        exec "$venv/bin/python" -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider "${@:2}"
        ;;
    lock)
        "$venv/bin/python" scripts/lock_versions.py constraints/tested.txt
        ;;
    lock-oldest)
        "${RNNLESSON_OLDEST_VENV:-.venv-oldest}/bin/python" scripts/lock_versions.py constraints/oldest.txt
        ;;
    *)
        echo "usage: bash tasks.sh lesson [zh-CN]|check|test|test-oldest|figures|book|screenshots|bench|lock|lock-oldest" >&2
        exit 2
        ;;
esac
