// Timeline: the nodes placed on one device, as sorted, non-overlapping
// [start, end) intervals, with the insertion-policy slot search of HEFT
// (Topcuoglu, Hariri, Wu 2002, section 4.1): a node may go into any idle gap
// after its ready time that is long enough.
//
// Storage is a gap index: the intervals in order, cut into blocks of fewer
// than B entries (B = kBlockMax; a full block splits in half), each block
// knowing (up to rounding, on the safe side) the largest idle gap in front of
// its entries. FindSlot returns exactly what a scan of every interval ending
// after the ready time returns (the earliest fitting start, the same insert
// position) but passes over whole blocks whose gaps are all too short:
// O(log k + k/B + B) for k intervals (the k/B term reads one contiguous
// array). Insert is O(k/B + B): one block's entries move and its gap is
// recomputed (O(1) when the interval goes last in its block, as appends do),
// later blocks' first indices shift by one; a split every B/2 insertions
// adds O(1) amortised. nodes() builds the flat order, O(k).
//
// Start times found here equal the semi-active times Evaluate() recomputes
// from the final order: a node starts either at its ready time or at the end
// of the node before it, and later insertions in front of it only fill gaps.
#pragma once

#include <vector>

namespace diviml::heuristics {

class Timeline {
 public:
  // A block splits in two when it reaches block_max entries (at least 2;
  // tests use small blocks to exercise the index).
  static constexpr int kBlockMax = 512;
  explicit Timeline(int block_max = kBlockMax) : block_max_(block_max < 2 ? 2 : block_max) {}

  void Clear();
  int size() const { return size_; }
  // End of the last interval (0 when empty).
  double free_at() const { return last_end_.empty() ? 0.0 : last_end_.back(); }

  // Earliest t >= ready such that [t, t + dur] fits in an idle gap (or after
  // the last interval), tested as t + dur <= next start; *pos receives the
  // index (in start-time order) at which to insert.
  double FindSlot(double ready, double dur, int* pos) const;

  // Non-insertion policy: after the last interval.
  double AppendSlot(double ready, int* pos) const {
    *pos = size();
    double f = free_at();
    return ready > f ? ready : f;
  }

  // Inserts [start, end) as the pos-th interval (0 <= pos <= size()); the
  // caller keeps the intervals sorted and disjoint (FindSlot's answer does).
  void Insert(int pos, int node, double start, double end);

  // Nodes in start-time order (a copy).
  std::vector<int> nodes() const;

 private:
  struct Entry {
    double start, end;
    int node;
  };
  // Recomputes gap_[b] and skip_[b] from the gaps in front of block b's
  // entries, O(B); SetSkip(b) only skip_[b] from gap_[b], O(1).
  void Reindex(int b);
  void SetSkip(int b);

  std::vector<std::vector<Entry>> block_;
  std::vector<int> first_;         // index of each block's first entry
  std::vector<double> last_end_;   // end of each block's last entry
  // Largest computed gap start - previous end in front of a block's entries
  // (-inf for a block holding only the first interval).
  std::vector<double> gap_;
  // FindSlot passes over block b when dur > skip_[b]: skip_[b] is gap_[b]
  // plus a relative margin far above the rounding of t + dur <= start, so no
  // fitting gap is passed over.
  std::vector<double> skip_;
  int size_ = 0;
  int block_max_;
};

}  // namespace diviml::heuristics
