// LP-rounding start of split: the threshold LP behind PeriodLowerBound
// gives fractional replica counts X(i,d) (sum_d X(i,d) = R) that use each
// device's comparative advantage. Round every node's counts to integers
// with the same sum (floor, then the largest remainders) and hand the
// copies out in device order, replica 0 first, so that neighbouring nodes
// with equal counts put a replica on the same device (fewer transfers).
// Links are only seen through the forced transfers of the LP; local search
// repairs the rest. O(LP + V m log m + R V).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

#include "diviml/solve/throughput.h"
#include "solve/throughput/internal.h"

namespace diviml::tp {

std::optional<ThroughputPlan> LpRoundingStart(const Problem& pr, int R, double bound) {
  const int n = pr.n(), m = pr.m();
  std::vector<double> x = PeriodLpCounts(pr, R, bound);
  if (x.size() != static_cast<size_t>(n) * m) return std::nullopt;
  ThroughputPlan plan;
  plan.device.assign(R, std::vector<int>(n, -1));
  std::vector<int> count(m), by_rest(m);
  for (int i = 0; i < n; ++i) {
    if (pr.fixed_device(i) >= 0) {
      for (int r = 0; r < R; ++r) plan.device[r][i] = pr.fixed_device(i);
      continue;
    }
    int total = 0;
    for (int d = 0; d < m; ++d) {
      double v = std::max(0.0, x[static_cast<size_t>(i) * m + d]);
      count[d] = static_cast<int>(std::floor(v + 1e-9));
      total += count[d];
    }
    std::iota(by_rest.begin(), by_rest.end(), 0);
    auto rest = [&](int d) { return x[static_cast<size_t>(i) * m + d] - count[d]; };
    std::stable_sort(by_rest.begin(), by_rest.end(), [&](int a, int b) { return rest(a) > rest(b); });
    for (int k = 0; total < R; k = (k + 1) % m)
      if (pr.allowed(i, by_rest[k])) ++count[by_rest[k]], ++total;
    for (int d = 0, r = 0; d < m && r < R; ++d)
      for (int c = 0; c < count[d] && r < R; ++c) plan.device[r++][i] = d;
  }
  return plan;
}

}  // namespace diviml::tp
