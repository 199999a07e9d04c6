#pragma once
// Philox4x32-10 (Salmon et al., SC'11): a counter-based generator. Every random number is a pure
// function of (key, counter), so results do not depend on threads, back end or process layout.
#include <cstdint>

#include "host_device.hpp"

namespace starling::codelets {

struct philox_block {
  std::uint32_t v[4];
};

STARLING_HOST_DEVICE inline void philox_mul(std::uint32_t a, std::uint32_t b, std::uint32_t& hi,
                                            std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}

/// Ten rounds of Philox4x32 on counter c with key (k0, k1).
STARLING_HOST_DEVICE inline philox_block philox4x32(philox_block c, std::uint32_t k0,
                                                    std::uint32_t k1) {
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    philox_mul(0xD2511F53u, c.v[0], hi0, lo0);
    philox_mul(0xCD9E8D57u, c.v[2], hi1, lo1);
    c = philox_block{{hi1 ^ c.v[1] ^ k0, lo1, hi0 ^ c.v[3] ^ k1, lo0}};
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return c;
}

/// A uniform double in [0, 1) with 53 random bits from two 32-bit words.
STARLING_HOST_DEVICE inline double uniform53(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t bits = (static_cast<std::uint64_t>(hi) << 21) ^ (lo >> 11);
  return static_cast<double>(bits & ((1ull << 53) - 1)) * (1.0 / 9007199254740992.0);
}

/// Mixes a 64-bit seed and a stream number into a Philox key (splitmix64 finaliser).
STARLING_HOST_DEVICE inline std::uint64_t philox_key(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace starling::codelets
