// Timeline slot search and insertion (insertion-based policy of HEFT,
// Topcuoglu, Hariri, Wu 2002) over a blocked gap index.
// FindSlot O(log k + k/B + B), Insert O(k/B + B).
#include "solve/heuristics/timeline.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace diviml::heuristics {

namespace {

// Relative slack of the skip test. With u = 2^-53, s >= e (sorted, disjoint
// intervals) and g = fl(s - e): fl(e + dur) <= s implies
// dur <= g + 2u (g + |s|) + tiny, far below this margin, so a block is
// skipped only when none of its gaps can pass the exact test.
constexpr double kSlack = 1e-12;

}  // namespace

void Timeline::Clear() {
  // Keeps the first block's storage for the next run.
  block_.resize(std::min<size_t>(block_.size(), 1));
  if (!block_.empty()) block_[0].clear();
  first_.clear();
  last_end_.clear();
  gap_.clear();
  skip_.clear();
  size_ = 0;
}

void Timeline::Reindex(int b) {
  const std::vector<Entry>& blk = block_[b];
  double gap = -std::numeric_limits<double>::infinity();
  size_t i = 0;
  double prev = 0;
  if (b > 0) {
    prev = last_end_[b - 1];
  } else {
    prev = blk[0].end;  // no gap in front of the very first interval
    i = 1;
  }
  for (; i < blk.size(); ++i) {
    gap = std::max(gap, blk[i].start - prev);
    prev = blk[i].end;
  }
  gap_[b] = gap;
  SetSkip(b);
}

void Timeline::SetSkip(int b) {
  const std::vector<Entry>& blk = block_[b];
  const double gap = gap_[b];
  if (gap == -std::numeric_limits<double>::infinity()) {  // the first interval alone
    skip_[b] = gap;
    return;
  }
  // Starts are sorted: the largest |start| is at one end of the block.
  const double mag = std::max(std::fabs(blk.front().start), std::fabs(blk.back().start));
  skip_[b] = gap + kSlack * (std::fabs(gap) + mag) + std::numeric_limits<double>::min();
}

double Timeline::FindSlot(double ready, double dur, int* pos) const {
  const int nb = static_cast<int>(block_.size());
  // Ends are sorted (sorted, disjoint intervals). Every interval before the
  // first one ending after `ready` ends at or before it: the gap in front of
  // that one starts at or before `ready`, so the first candidate is `ready`.
  int b = static_cast<int>(std::upper_bound(last_end_.begin(), last_end_.end(), ready) -
                           last_end_.begin());
  double t = ready;
  if (b >= nb || size_ == 0) {
    *pos = size_;
    return t;
  }
  {
    const std::vector<Entry>& blk = block_[b];
    const int n = static_cast<int>(blk.size());
    int j = static_cast<int>(
        std::upper_bound(blk.begin(), blk.end(), ready,
                         [](double r, const Entry& e) { return r < e.end; }) -
        blk.begin());
    for (; j < n; ++j) {
      if (t + dur <= blk[j].start) {
        *pos = first_[b] + j;
        return t;
      }
      t = blk[j].end;  // > ready
    }
  }
  const double* skip = skip_.data();
  for (++b; b < nb; ++b) {
    if (dur > skip[b]) continue;  // no gap of block b fits
    t = last_end_[b - 1];
    const std::vector<Entry>& blk = block_[b];
    const int n = static_cast<int>(blk.size());
    for (int j = 0; j < n; ++j) {
      if (t + dur <= blk[j].start) {
        *pos = first_[b] + j;
        return t;
      }
      t = blk[j].end;
    }
  }
  *pos = size_;
  return last_end_.back();
}

void Timeline::Insert(int pos, int node, double start, double end) {
  const Entry e{start, end, node};
  if (size_ == 0) {
    if (block_.empty()) block_.emplace_back();
    block_[0].push_back(e);
    first_.assign(1, 0);
    last_end_.assign(1, end);
    gap_.assign(1, 0.0);
    skip_.assign(1, 0.0);
    size_ = 1;
    Reindex(0);
    return;
  }
  int nb = static_cast<int>(block_.size());
  // The block holding index pos, or the last one when appending; an index at
  // a block boundary goes to the end of the earlier block.
  int b = nb - 1;
  if (pos < size_) {
    b = static_cast<int>(std::lower_bound(first_.begin(), first_.end(), pos) - first_.begin());
    if (b == nb || first_[b] > pos || (b > 0 && first_[b] == pos)) --b;
  }
  std::vector<Entry>& blk = block_[b];
  const int local = pos - first_[b];
  // The gap this entry splits (in front of the entry now at `local`), or
  // none when it goes first of all.
  const bool has_split_gap = local < static_cast<int>(blk.size()) && (b > 0 || local > 0);
  const double split_gap =
      has_split_gap ? blk[local].start - (local > 0 ? blk[local - 1].end : last_end_[b - 1]) : 0;
  blk.insert(blk.begin() + local, e);
  ++size_;
  for (int c = b + 1; c < nb; ++c) ++first_[c];
  last_end_[b] = blk.back().end;

  if (static_cast<int>(blk.size()) >= block_max_) {
    const int half = static_cast<int>(blk.size()) / 2;
    std::vector<Entry> tail(blk.begin() + half, blk.end());
    blk.resize(half);
    block_.insert(block_.begin() + b + 1, std::move(tail));
    first_.insert(first_.begin() + b + 1, first_[b] + half);
    last_end_.insert(last_end_.begin() + b + 1, block_[b + 1].back().end);
    last_end_[b] = block_[b].back().end;
    gap_.insert(gap_.begin() + b + 1, 0.0);
    skip_.insert(skip_.begin() + b + 1, 0.0);
    ++nb;
    Reindex(b);
    Reindex(b + 1);
    if (b + 2 < nb) Reindex(b + 2);
    return;
  }
  if (local == static_cast<int>(blk.size()) - 1) {
    // Went last in its block: one new gap in front of it (the common case
    // of appending, O(1)); the gap in front of the next block's first entry
    // now ends at this entry. local > 0: the block held an entry before.
    const double prev_end = blk[local - 1].end;
    gap_[b] = std::max(gap_[b], start - prev_end);
    SetSkip(b);
    // As below: the next block's first gap shrank; recompute only when it
    // was that block's largest.
    if (b + 1 < nb && block_[b + 1][0].start - prev_end >= gap_[b + 1]) Reindex(b + 1);
    return;
  }
  // Two gaps replace one, neither larger (rounding is monotone): the largest
  // changes only when the split one was it. Before the very first interval
  // a gap appears: recompute.
  if (!has_split_gap || split_gap >= gap_[b]) Reindex(b);
}

std::vector<int> Timeline::nodes() const {
  std::vector<int> out;
  out.reserve(size_);
  for (const std::vector<Entry>& blk : block_)
    for (const Entry& e : blk) out.push_back(e.node);
  return out;
}

}  // namespace diviml::heuristics
