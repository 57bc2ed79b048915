// Random numbers that are the same on every standard library: the engine
// std::mt19937_64 is fully specified by the standard, its distributions are
// not, so generators draw through these helpers only ("same seed, same
// graph"). Not a public header. O(1) expected each.
#pragma once

#include <cstdint>
#include <random>

namespace diviml::gen {

// Uniform in [0, 1) from the top 53 bits.
inline double UniformReal(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Uniform in [0, n), n > 0, by rejection (no modulo bias).
inline uint64_t UniformInt(std::mt19937_64& rng, uint64_t n) {
  const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
  while (true) {
    uint64_t r = rng();
    if (r >= threshold) return r % n;
  }
}

// Uniform in [lo, hi] (lo <= hi).
inline int UniformIntIn(std::mt19937_64& rng, int lo, int hi) {
  return lo + static_cast<int>(UniformInt(rng, static_cast<uint64_t>(hi - lo) + 1));
}

// True with probability p.
inline bool Bernoulli(std::mt19937_64& rng, double p) { return UniformReal(rng) < p; }

}  // namespace diviml::gen
