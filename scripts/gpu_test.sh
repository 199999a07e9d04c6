#!/usr/bin/env bash
# Runs on the GPU machine (after scripts/gpu_pack.sh here): builds Starling with CUDA for sm_90
# against the carried StarPU, runs the `gpu` test label, then the gpu tests under
# compute-sanitizer memcheck and racecheck. Logs go to ${OUT:-build-gpu}/.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
jobs=$(nproc)
status=0
exec > >(tee "$out/gpu_test.log") 2>&1
configure_gpu_build || exit 1
make -C "$build" -j"$jobs" ${STARLING_GPU_TARGETS:-} >"$out/build.log" 2>&1 ||
  { grep -E "error" "$out/build.log" | head -30; exit 1; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "== ctest -L gpu"
(cd "$build" && ctest -L gpu --output-on-failure 2>&1) | tee "$out/ctest_gpu.log" | tail -25
[ "${PIPESTATUS[0]}" = 0 ] || status=1
# racecheck is slow (minutes per thousand launches): it runs on the shorter tests.
for tool in memcheck racecheck; do
  echo "== compute-sanitizer --tool $tool"
  for t in tests/codelets/test_codelet_parity tests/gpu/test_gpu_determinism tests/gpu/test_model_parity; do
    case "$tool:$t" in
      memcheck:*model_parity) filter='*_sub' ;;
      racecheck:*model_parity) continue ;;
      memcheck:*parity) filter='*' ;;
      racecheck:*parity) filter='CodeletParity.Dc*' ;;
      memcheck:*) filter='GpuMemory.*:GpuConnectivity.*:GpuDeterminism.Generators*' ;;
      *) filter='GpuMemory.*:GpuConnectivity.*' ;;
    esac
    log="$out/sanitizer_${tool}_$(basename "$t").log"
    compute-sanitizer --tool "$tool" --error-exitcode 3 "$build/$t" --gtest_filter="$filter" >"$log" 2>&1
    rc=$?
    echo "$tool $(basename "$t") [$filter]: exit $rc; $(grep -E "ERROR SUMMARY|RACECHECK SUMMARY" "$log" | tail -1); $(grep -E "^\[  (PASSED|FAILED)" "$log" | tr '\n' ' ')"
    [ $rc = 0 ] || status=1
  done
done
exit $status
