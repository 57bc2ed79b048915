// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator whose
// sequence is the same on every platform and standard library, for seeded
// data that must be reproducible byte for byte (random weights of ONNX
// parts, fuzz mutations). O(1) per draw.
#pragma once

#include <cstdint>

namespace diviml {

struct SplitMix64 {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) from the top 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
};

}  // namespace diviml
