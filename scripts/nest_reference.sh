#!/usr/bin/env bash
# NEST 3.10 reference data for the neuron models (tests/data/nest): installs NEST 3.10.0 from
# PyPI into a venv at .deps/nest-venv (once, scripts/nest_venv.sh), then runs
# scripts/nest_reference.py, which reads tests/data/nest/cases.json and writes <case>.csv,
# <case>_spikes.csv and defaults.json there.
# Idempotent: a venv that already has nest-simulator 3.10.0 is used as it is.
#   scripts/nest_reference.sh              all cases and defaults.json
#   scripts/nest_reference.sh NAME...      only the named cases
# The synapse models' data (tests/data/nest/stdp): scripts/nest_stdp_reference.sh.
set -euo pipefail
. "$(dirname "$0")/nest_venv.sh"
cd "$repo"
PYNEST_QUIET=1 exec "$venv/bin/python" "$repo/scripts/nest_reference.py" "$@"
