#!/usr/bin/env bash
# Refresh requirements/lock.txt: install saksgen with its test extra, unconstrained, into a
# throwaway venv (newest releases allowed by pyproject.toml) and freeze every package, transitive
# ones and pip/setuptools included, at exact versions. requirements/hold.txt holds packages back
# (with the reason), as constraints of this install.
#   tools/oppdater-las.sh            # writes requirements/lock.txt
#   tools/oppdater-las.sh FIL        # writes FIL instead (e.g. to compare)
# Afterwards: ./kom-i-gang.sh test (installs from the new lock), review `git diff`, commit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out="${1:-requirements/lock.txt}"
python="${PYTHON:-python3}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "Lager et nytt virtuelt miljø i $tmp og installerer nyeste versjoner (unntatt dem i requirements/hold.txt) …"
"$python" -m venv "$tmp/venv"
pip=("$tmp/venv/bin/python" -m pip --disable-pip-version-check -q)
if ! { "${pip[@]}" install --upgrade pip setuptools &&
       "${pip[@]}" install --upgrade --upgrade-strategy eager -c requirements/hold.txt \
         -e "$root[test]"; } \
    >"$tmp/pip.log" 2>&1; then
  cat "$tmp/pip.log" >&2
  echo "feil: installasjonen feilet (se over); låsefilen er ikke endret" >&2
  exit 1
fi

pyver="$("$tmp/venv/bin/python" -c 'import platform; print(platform.python_version())')"
mkdir -p "$(dirname "$out")"
{
  echo "# Exact versions of every package saksgen and its test extra install, transitive ones included."
  echo "# Used as pip constraints (-c) by kom-i-gang.sh. Do not edit by hand: regenerate with"
  echo "# tools/oppdater-las.sh (see README, «Oppdatere låste versjoner»)."
  echo "# Generated $(date -u +%Y-%m-%d) with Python $pyver on $(uname -s) $(uname -m)."
  "$tmp/venv/bin/python" -m pip --disable-pip-version-check freeze --all --exclude-editable \
    | grep -v -i "^saksgen[= @]"
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "Skrev $out ($(grep -vc '^#' "$out") pakker). Kjør nå «./kom-i-gang.sh test», se over «git diff $out» og commit."
