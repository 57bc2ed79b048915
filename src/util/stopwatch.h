// Wall-clock (steady) time since construction, in seconds: the one clock
// every solver's time limit and reported solve time is measured with.
#pragma once

#include <chrono>

namespace diviml {

class Stopwatch {
 public:
  Stopwatch() : t0_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }

 private:
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace diviml
