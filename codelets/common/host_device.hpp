#pragma once
// Marks functions that both back ends compile: the CPU codelets and the CUDA kernels.
#if defined(__CUDACC__)
#define STARLING_HOST_DEVICE __host__ __device__
#else
#define STARLING_HOST_DEVICE
#endif
