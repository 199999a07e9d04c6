#!/usr/bin/env bash
# NEST 3.10 reference data for the synapse models (STDP), tests/data/nest/stdp: installs NEST
# 3.10.0 into .deps/nest-venv (once, scripts/nest_venv.sh), then runs
# scripts/nest_stdp_reference.py, which rewrites every <case>.csv and cases.json there and
# prints its sanity checks (closed forms, a replay of each rule).
set -euo pipefail
. "$(dirname "$0")/nest_venv.sh"
cd "$repo"
PYNEST_QUIET=1 exec "$venv/bin/python" "$repo/scripts/nest_stdp_reference.py" "$@"
