#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine with Python 3.11:
# a virtual environment with the package and its Python dependencies, and, for PDF
# reports, a headless Chromium plus poppler-utils (pdftotext/pdftoppm used by the tests
# to check pages). Idempotent and quick when nothing changed. Called by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
say() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}
apt_install() {
  command -v apt-get >/dev/null || return 1
  say "memasang paket sistem: $* (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq >/dev/null || return 1; APT_UPDATED=1; fi
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. Python virtual environment (Debian's python3 needs python3-venv for this).
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    apt_install python3-venv || { say "tidak bisa membuat venv: pasang python3-venv"; exit 1; }
    "$PYTHON" -m venv "$VENV"
  fi
fi

# 2. The package and its Python dependencies; skipped when pyproject.toml is unchanged.
stamp="$VENV/.setup-stamp"
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-64)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  say "memasang paket Python (pip install -e .[pdf,test])"
  log="$VENV/pip-install.log"
  if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip \
         && "$VENV/bin/python" -m pip install --disable-pip-version-check -e ".[pdf,test]"; } \
       > "$log" 2>&1 \
     || ! "$VENV/bin/python" -c "import antikorupsi, pandas, papermill, nbclient, playwright"; then
    tail -n 30 "$log" >&2
    say "pemasangan paket Python gagal (log lengkap: $log)"
    exit 1
  fi
  echo "$want" > "$stamp"
fi

# 3. System packages for PDF: a Chromium-family browser and poppler-utils.
have_browser() {
  [ -n "${ANTIKORUPSI_BROWSER:-}" ] && [ -x "${ANTIKORUPSI_BROWSER}" ] && return 0
  for b in chromium chromium-browser google-chrome google-chrome-stable microsoft-edge; do
    command -v "$b" >/dev/null && return 0
  done
  return 1
}
need=()
have_browser || need+=(chromium fonts-liberation fonts-dejavu-core)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  apt_install "${need[@]}" || say "PERINGATAN: tidak dapat memasang ${need[*]}; laporan tetap ditulis sebagai HTML, PDF dilewati"
fi
exit 0
