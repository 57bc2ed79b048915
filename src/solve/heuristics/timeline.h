// Timeline: the nodes placed on one device, as sorted, non-overlapping
// [start, end) intervals, with the insertion-policy slot search of HEFT
// (Topcuoglu, Hariri, Wu 2002, section 4.1): a node may go into any idle gap
// after its ready time that is long enough.
//
// Storage is three flat arrays (structure of arrays). FindSlot is
// O(log k + g) for k intervals, g of them ending after the ready time (list
// schedulers mostly place nodes near the end of the timeline, so g is small);
// Insert is O(k) in the worst case (a memmove), O(1) when appending.
//
// Start times found here equal the semi-active times Evaluate() recomputes
// from the final order: a node starts either at its ready time or at the end
// of the node before it, and later insertions in front of it only fill gaps.
#pragma once

#include <vector>

namespace diviml::heuristics {

class Timeline {
 public:
  void Clear() {
    start_.clear();
    end_.clear();
    node_.clear();
  }
  int size() const { return static_cast<int>(node_.size()); }
  // End of the last interval (0 when empty).
  double free_at() const { return end_.empty() ? 0.0 : end_.back(); }

  // Earliest t >= ready such that [t, t + dur] fits in an idle gap (or after
  // the last interval); *pos receives the index at which to insert.
  double FindSlot(double ready, double dur, int* pos) const;

  // Non-insertion policy: after the last interval.
  double AppendSlot(double ready, int* pos) const {
    *pos = size();
    double f = free_at();
    return ready > f ? ready : f;
  }

  void Insert(int pos, int node, double start, double end);

  // Nodes in start-time order.
  const std::vector<int>& nodes() const { return node_; }

 private:
  std::vector<double> start_, end_;
  std::vector<int> node_;
};

}  // namespace diviml::heuristics
