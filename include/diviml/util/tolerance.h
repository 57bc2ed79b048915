// The one place that decides when two times are "the same" for the result
// contract: a plan meets a bound, a bound lies above a plan (a bug), and
// the relative gap. O(1) each.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>

namespace diviml {

// Relative tolerance with which a plan's value meets a bound (noise of
// summing floating-point times in a different order).
inline constexpr double kMeetRelTol = 1e-9;
// Relative tolerance beyond which a bound above a plan's value is a bug in
// the bound (MILP backends prove bounds with tolerances of about 1e-6 in
// scaled units, docs/milp.md; anything further above is wrong).
inline constexpr double kBoundAboveRelTol = 1e-6;

inline double ScaleOf(double a, double b) { return std::max({std::abs(a), std::abs(b), 1e-300}); }

// value <= bound within kMeetRelTol: a minimised value that meets a valid
// lower bound is optimal. False when value is not finite or bound <= 0.
inline bool MeetsBound(double value, double bound) {
  if (!std::isfinite(value) || !std::isfinite(bound) || !(bound > 0)) return false;
  return value <= bound + kMeetRelTol * ScaleOf(value, bound);
}

// bound > value beyond kBoundAboveRelTol: a lower bound above a valid
// plan's value cannot be valid. Never hidden by clamping.
inline bool BoundAbove(double bound, double value) {
  if (!std::isfinite(value) || !std::isfinite(bound)) return false;
  return bound > value + kBoundAboveRelTol * ScaleOf(value, bound);
}

// (value - bound) / bound; 0 when they meet; nullopt when undefined (no
// finite value, or bound <= 0). Negative when the bound is above the value
// (BoundAbove says whether that is beyond noise): reported, never clamped.
inline std::optional<double> RelativeGap(double value, double bound) {
  if (!std::isfinite(value) || !std::isfinite(bound) || !(bound > 0)) return std::nullopt;
  if (std::abs(value - bound) <= kMeetRelTol * ScaleOf(value, bound)) return 0.0;
  return (value - bound) / bound;
}

}  // namespace diviml
