#!/usr/bin/env bash
# The pre-commit hooks' runner: runs a tool from the project's virtual environment by path, so `git commit`
# works without activating it.  Usage: bash scripts/venv_tool.sh TOOL [ARGS...]
set -euo pipefail
venv="${RNNLESSON_VENV:-.venv}"
tool="${1:?usage: bash scripts/venv_tool.sh TOOL [ARGS...]}"
if [ ! -x "$venv/bin/$tool" ]; then
    echo "$venv/bin/$tool is missing: the hooks run the tools of $venv. Create it with \`make check\`" \
        "(or \`bash tasks.sh check\`), then commit again." >&2
    exit 1
fi
exec "$venv/bin/$tool" "${@:2}"
