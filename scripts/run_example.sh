#!/usr/bin/env bash
# The main job: sets up if needed, then simulates the Brunel network of examples/brunel and
# prints what it measured (rates, construction and simulation wall time, real-time factor).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$repo/build/bin/starling" ] || bash "$repo/scripts/setup.sh"
exec "$repo/build/bin/starling" run "$repo/examples/brunel/brunel.json" --output "$repo/out/brunel" "$@"
