#!/usr/bin/env bash
# The test suite: sets up (dependencies and build), then runs every CTest label. Tests that need
# a GPU skip with a message where there is none.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bash "$repo/scripts/setup.sh"
cd "$repo/build"
ctest --output-on-failure -j"$(nproc)" "$@"
