#!/usr/bin/env bash
# Prepares what the GPU machine needs beside the source tree, in .deps/ (git-ignored):
#   .deps/starpu   StarPU 1.3.10 built with CUDA (stripped shared library, headers)
#   .deps/include  the header-only JSON library, for machines that lack its package
# Then, on the GPU machine, `bash scripts/gpu_test.sh` builds Starling with CUDA for sm_90 and
# runs the `gpu` test label and the CUDA sanitizers. Prints the size of what travels.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bash "$repo/scripts/install_deps.sh"
[ -f "$repo/.deps/starpu/.starling-cuda" ] || { echo "gpu_pack: StarPU with CUDA is missing (no nvcc?)"; exit 1; }
mkdir -p "$repo/.deps/include"
rm -rf "$repo/.deps/include/nlohmann"
cp -r /usr/include/nlohmann "$repo/.deps/include/"
rm -rf "$repo/.deps/starpu/share" "$repo/.deps/starpu/bin"
du -sh "$repo/.deps"
echo "gpu_pack: carry .deps to the GPU machine and run: bash scripts/gpu_test.sh"
