// Timeline slot search and insertion (insertion-based policy of HEFT,
// Topcuoglu, Hariri, Wu 2002). FindSlot O(log k + g), Insert O(k) worst case.
#include "solve/heuristics/timeline.h"

#include <algorithm>

namespace diviml::heuristics {

double Timeline::FindSlot(double ready, double dur, int* pos) const {
  const int k = size();
  // Intervals are sorted and disjoint, so their ends are sorted too. Every
  // interval before j ends at or before `ready`: the gap in front of j
  // starts at or before `ready`, so the first candidate start is `ready`.
  int j = static_cast<int>(std::upper_bound(end_.begin(), end_.end(), ready) - end_.begin());
  double t = ready;
  const double* st = start_.data();
  const double* en = end_.data();
  for (; j < k; ++j) {
    if (t + dur <= st[j]) break;
    t = en[j];  // > ready
  }
  *pos = j;
  return t;
}

void Timeline::Insert(int pos, int node, double start, double end) {
  if (pos == size()) {
    start_.push_back(start);
    end_.push_back(end);
    node_.push_back(node);
    return;
  }
  start_.insert(start_.begin() + pos, start);
  end_.insert(end_.begin() + pos, end);
  node_.insert(node_.begin() + pos, node);
}

}  // namespace diviml::heuristics
