#pragma once
// Always-on check of CUDA return codes; throws starling::runtime_error.
#include <cuda_runtime.h>

#include <string>

#include "starling/error.hpp"

#define STARLING_CHECK_CUDA(call)                                                                \
  do {                                                                                           \
    const cudaError_t starling_err_ = (call);                                                    \
    if (starling_err_ != cudaSuccess)                                                            \
      throw ::starling::runtime_error(std::string("cuda: ") + #call +                            \
                                      " failed: " + cudaGetErrorString(starling_err_) + " at " + \
                                      __FILE__ + ":" + std::to_string(__LINE__));                \
  } while (0)
