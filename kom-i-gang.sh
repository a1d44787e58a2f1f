#!/usr/bin/env bash
# saksgen: set up everything on a fresh Debian/Ubuntu machine (only Python 3 needed), then either
# build the bundled example meeting ("eksempel") or run the test suite ("test").
#   ./kom-i-gang.sh eksempel     # installs, then: saksgen build --offentlig  -> output/
#   ./kom-i-gang.sh test         # installs, then: pytest
# Python packages are installed at the exact versions in requirements/lock.txt (pip constraints).
# SAKSGEN_NYESTE=1 instead installs the newest releases pyproject.toml allows, into .venv-nyeste/,
# to find out whether the next lock refresh will pass.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-eksempel}"
case "$mode" in eksempel|test) ;; *) echo "bruk: $0 eksempel|test" >&2; exit 2 ;; esac

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "feil: trenger root eller sudo for å installere: $*" >&2; exit 1
  fi
}

apt_packages=()
command -v soffice >/dev/null 2>&1 || apt_packages+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || apt_packages+=(poppler-utils)
# A kept LibreOffice (build --overvåk, and the normal build's early start) is driven over UNO.
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || apt_packages+=(python3-uno)
command -v gs >/dev/null 2>&1 || apt_packages+=(ghostscript)
fc-list 2>/dev/null | grep -qi carlito || apt_packages+=(fonts-crosextra-carlito)
fc-list 2>/dev/null | grep -qi "liberation sans" || apt_packages+=(fonts-liberation2)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || apt_packages+=(python3-venv)
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "Installerer systempakker: ${apt_packages[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${apt_packages[@]}" >/dev/null
fi

lock=requirements/lock.txt
venv=.venv
pins=(-c "$lock")
if [ "${SAKSGEN_NYESTE:-}" = 1 ]; then
  # Newest releases: no lock, and upgrade whatever an earlier run installed.
  venv=.venv-nyeste
  pins=(--upgrade --upgrade-strategy eager)
  echo "SAKSGEN_NYESTE=1: installerer nyeste versjoner (uten $lock) i $venv/"
elif [ ! -f "$lock" ]; then
  echo "feil: finner ikke $lock (låste versjoner av Python-pakkene)" >&2
  exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
extra=""
[ "$mode" = test ] && extra="[test]"
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check "${pins[@]}")
# pip and setuptools (the build backend) come from the lock too, and the editable install is built
# with them (no isolated build environment that would fetch the newest setuptools).
if ! { "${pip[@]}" --upgrade pip setuptools &&
       "${pip[@]}" --no-build-isolation -e ".${extra}"; } >"$venv/pip-install.log" 2>&1; then
  cat "$venv/pip-install.log" >&2
  echo "feil: installasjonen av Python-pakkene feilet (se over)" >&2
  exit 1
fi
# pip compiles what it installs, but not the editable saksgen itself: compiled once here, every
# saksgen command starts ~0.1 s sooner (also where PYTHONDONTWRITEBYTECODE is set, as on CI).
"$venv/bin/python" -m compileall -q saksgen >/dev/null

if [ "$mode" = test ]; then
  exec "$venv/bin/python" -m pytest -q -p no:cacheprovider
fi
"$venv/bin/saksgen" build --offentlig
echo "Ferdig: se output/ (aktiver verktøyet med «source $venv/bin/activate»)"
