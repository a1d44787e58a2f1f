#!/usr/bin/env bash
# Linters, with the versions from requirements/lock.txt (run ./kom-i-gang.sh test first; it
# installs them into .venv/, or .venv-nyeste/ with SAKSGEN_NYESTE=1).
#   tools/lint.sh          # every check runs; only those in GATES fail the run
#   tools/lint.sh --alle   # every check is a gate (to see whether a new gate would pass)
#
# GATES: the checks that must pass (all of them since the whole tree was formatted).
GATES=(ruff-check ruff-format mypy)

set -uo pipefail
cd "$(dirname "$0")/.."

venv=.venv
[ "${SAKSGEN_NYESTE:-}" = 1 ] && venv=.venv-nyeste
bin="$venv/bin"
paths=(saksgen tests bench tools)
[ "${1:-}" = --alle ] && GATES=(ruff-check ruff-format mypy)

for tool in ruff mypy; do
  if [ ! -x "$bin/$tool" ]; then
    echo "feil: finner ikke $bin/$tool; kjør «./kom-i-gang.sh test» først" >&2
    exit 2
  fi
done

is_gate() {
  local g
  for g in "${GATES[@]}"; do [ "$g" = "$1" ] && return 0; done
  return 1
}

failed=()
run() {
  local name=$1; shift
  echo "== $name: $*"
  if "$@"; then
    echo "== $name: ok"
  elif is_gate "$name"; then
    echo "== $name: FEILET"
    failed+=("$name")
  else
    echo "== $name: feilet, men er ikke en port ennå (se GATES i tools/lint.sh)"
  fi
}

run ruff-check "$bin/ruff" check "${paths[@]}"
# One line per file to reformat (the default output is the whole diff; see it with --diff).
run ruff-format "$bin/ruff" format --check --output-format concise "${paths[@]}"
# mypy's files and settings are in pyproject.toml ([tool.mypy]).
run mypy "$bin/mypy"

if [ ${#failed[@]} -gt 0 ]; then
  echo "feil: ${failed[*]}" >&2
  exit 1
fi
