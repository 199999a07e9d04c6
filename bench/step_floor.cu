// The floor of a slice step on this GPU: a CUDA graph of 1000 steps of two kernels (623 and
// 792 blocks of 128 threads, the microcircuit's update and delivery grids) that do nothing, or
// walk a chain of D dependent loads per thread through a 16 MB table held in L2 (loads that
// bypass L1). Prints the GPU time per step for each D: the cost of a kernel boundary and of one
// level of dependent global loads, the two things a step of the batched kernels is made of.
//   step_floor
#include <cuda_runtime.h>

#include <cstdio>
#include <vector>

namespace {

bool ok(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return true;
  std::fprintf(stderr, "step_floor: %s: %s\n", what, cudaGetErrorString(e));
  return false;
}

__global__ void chain(const int* next, int mask, int depth, int* out) {
  int j = static_cast<int>((blockIdx.x * blockDim.x + threadIdx.x) * 2654435761u) & mask;
  for (int d = 0; d < depth; ++d) j = __ldcg(&next[j]);
  if (j < 0) out[0] = j;  // never: keeps the loads
}

}  // namespace

int main() {
  constexpr int n = 1 << 22;
  std::vector<int> host(n);
  for (int i = 0; i < n; ++i)
    host[static_cast<std::size_t>(i)] = static_cast<int>((i * 2654435761u + 12345u) & (n - 1));
  int* next = nullptr;
  int* out = nullptr;
  cudaStream_t s = nullptr;
  cudaEvent_t a = nullptr, b = nullptr;
  if (!ok(cudaMalloc(&next, n * sizeof(int)), "cudaMalloc") ||
      !ok(cudaMalloc(&out, sizeof(int)), "cudaMalloc") ||
      !ok(cudaMemcpy(next, host.data(), n * sizeof(int), cudaMemcpyHostToDevice), "cudaMemcpy") ||
      !ok(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate") ||
      !ok(cudaEventCreate(&a), "cudaEventCreate") || !ok(cudaEventCreate(&b), "cudaEventCreate"))
    return 1;
  for (int depth : {0, 1, 3, 6, 12}) {
    cudaGraph_t g = nullptr;
    cudaGraphExec_t e = nullptr;
    if (!ok(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "capture")) return 1;
    for (int k = 0; k < 1000; ++k) {
      chain<<<623, 128, 0, s>>>(next, n - 1, depth, out);
      chain<<<792, 128, 0, s>>>(next, n - 1, depth, out);
    }
    if (!ok(cudaStreamEndCapture(s, &g), "capture") ||
        !ok(cudaGraphInstantiate(&e, g, 0), "cudaGraphInstantiate"))
      return 1;
    float best = 1e30f;
    for (int r = 0; r < 6; ++r) {  // the first launch uploads the graph
      cudaEventRecord(a, s);
      cudaGraphLaunch(e, s);
      cudaEventRecord(b, s);
      if (!ok(cudaEventSynchronize(b), "graph")) return 1;
      float ms = 0.0f;
      cudaEventElapsedTime(&ms, a, b);
      if (r > 0 && ms < best) best = ms;
    }
    std::printf(
        "{\"bench\":\"step_floor\",\"kernels_per_step\":2,\"dependent_loads\":%d,"
        "\"us_per_step\":%.2f}\n",
        depth, best);
    cudaGraphExecDestroy(e);
    cudaGraphDestroy(g);
  }
  return 0;
}
