#!/usr/bin/env bash
# The main job: set up (first run only), then score every year in data/raw and write the
# reports (HTML and PDF) under reports/. Extra arguments go to `antikorupsi run`.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/antikorupsi run "$@"
