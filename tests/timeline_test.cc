// Timeline: the blocked gap index gives exactly the answers of the plain
// linear scan (kept here as the reference) on random insert/find sequences
// with ties, zero durations, gaps exactly as long as the duration and
// non-representable decimal times, for small blocks (many splits) and the
// default block size.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "solve/heuristics/timeline.h"

namespace diviml::heuristics {
namespace {

// The insertion-policy scan the index replaces: flat sorted intervals.
class ReferenceTimeline {
 public:
  int size() const { return static_cast<int>(node_.size()); }
  double FindSlot(double ready, double dur, int* pos) const {
    const int k = size();
    int j = static_cast<int>(std::upper_bound(end_.begin(), end_.end(), ready) - end_.begin());
    double t = ready;
    for (; j < k; ++j) {
      if (t + dur <= start_[j]) break;
      t = end_[j];
    }
    *pos = j;
    return t;
  }
  double AppendSlot(double ready, int* pos) const {
    *pos = size();
    double f = end_.empty() ? 0.0 : end_.back();
    return ready > f ? ready : f;
  }
  void Insert(int pos, int node, double start, double end) {
    start_.insert(start_.begin() + pos, start);
    end_.insert(end_.begin() + pos, end);
    node_.insert(node_.begin() + pos, node);
  }
  const std::vector<int>& nodes() const { return node_; }
  double free_at() const { return end_.empty() ? 0.0 : end_.back(); }

 private:
  std::vector<double> start_, end_;
  std::vector<int> node_;
};

// A time drawn from a small grid (ties, exact fits) or a decimal that binary
// floating point cannot hold (rounding in t + dur <= start).
double Draw(std::mt19937_64& rng, int style, double hi) {
  std::uniform_int_distribution<int> grid(0, std::max(1, static_cast<int>(hi)));
  switch (style) {
    case 0:
      return grid(rng);
    case 1:
      return grid(rng) * 0.1;
    default:
      return std::uniform_real_distribution<double>(0, hi)(rng);
  }
}

// Runs `steps` random find+insert steps on both timelines, clearing both
// about every `clear_every` steps (0: never); returns the number of
// insertions that went before the last interval (into a gap).
int Compare(uint64_t seed, int block_max, int steps, int clear_every) {
  std::mt19937_64 rng(seed);
  Timeline index(block_max);
  ReferenceTimeline ref;
  const int style = static_cast<int>(rng() % 3);
  const double max_dur = 1 + static_cast<double>(rng() % 6);
  int into_gaps = 0;
  for (int step = 0; step < steps; ++step) {
    if (clear_every > 0 && rng() % clear_every == 0) {  // reuse after Clear, as the list scheduler does
      index.Clear();
      ref = ReferenceTimeline();
    }
    // Ready times mostly behind the end (gaps to fill), sometimes past it.
    const double horizon = ref.free_at() + 3;
    const double ready = Draw(rng, style, horizon);
    double dur = rng() % 7 == 0 ? 0.0 : Draw(rng, style, max_dur);
    const bool append = rng() % 10 == 0;
    int pos_i = -1, pos_r = -2;
    const double t_i = append ? index.AppendSlot(ready, &pos_i) : index.FindSlot(ready, dur, &pos_i);
    const double t_r = append ? ref.AppendSlot(ready, &pos_r) : ref.FindSlot(ready, dur, &pos_r);
    EXPECT_EQ(t_i, t_r) << "seed " << seed << " step " << step << " ready " << ready << " dur " << dur;
    EXPECT_EQ(pos_i, pos_r) << "seed " << seed << " step " << step;
    if (t_i != t_r || pos_i != pos_r) return -1;
    if (pos_r < ref.size()) ++into_gaps;
    index.Insert(pos_r, step, t_r, t_r + dur);
    ref.Insert(pos_r, step, t_r, t_r + dur);
    EXPECT_EQ(index.size(), ref.size());
    EXPECT_EQ(index.free_at(), ref.free_at());
    if (step % 97 == 0) EXPECT_EQ(index.nodes(), ref.nodes()) << "seed " << seed;
  }
  EXPECT_EQ(index.nodes(), ref.nodes()) << "seed " << seed;
  return into_gaps;
}

TEST(Timeline, EmptyTimelineStartsAtReady) {
  Timeline t;
  int pos = -1;
  EXPECT_EQ(t.FindSlot(2.5, 1.0, &pos), 2.5);
  EXPECT_EQ(pos, 0);
  EXPECT_EQ(t.free_at(), 0.0);
  EXPECT_TRUE(t.nodes().empty());
}

TEST(Timeline, GapExactlyAsLongAsTheDurationIsUsed) {
  Timeline t(2);  // every insertion past the first splits or fills a block
  t.Insert(0, 0, 0, 1);
  t.Insert(1, 1, 3, 4);
  t.Insert(2, 2, 6, 7);
  int pos = -1;
  EXPECT_EQ(t.FindSlot(0, 2, &pos), 1.0);  // [1, 3) fits exactly
  EXPECT_EQ(pos, 1);
  EXPECT_EQ(t.FindSlot(0, 2.5, &pos), 7.0);  // no gap is long enough
  EXPECT_EQ(pos, 3);
  EXPECT_EQ(t.FindSlot(4, 0, &pos), 4.0);  // zero duration fits any gap
  EXPECT_EQ(pos, 2);
  t.Insert(1, 3, 1, 3);
  EXPECT_EQ(t.nodes(), (std::vector<int>{0, 3, 1, 2}));
}

TEST(Timeline, SmallBlocksMatchTheLinearScan) {
  int into_gaps = 0;
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    const int block_max = 2 + static_cast<int>(seed % 15);
    const int r = Compare(seed, block_max, 150 + static_cast<int>(seed % 7) * 40, 500);
    ASSERT_GE(r, 0) << "seed " << seed;
    into_gaps += r;
  }
  // The sequences exercise the gap search, not only appends.
  EXPECT_GT(into_gaps, 100000);
}

TEST(Timeline, DefaultBlocksMatchTheLinearScan) {
  // Thousands of intervals: many full blocks of the default size.
  for (uint64_t seed = 10001; seed <= 10006; ++seed)
    ASSERT_GE(Compare(seed, Timeline::kBlockMax, 6000, 0), 0) << "seed " << seed;
}

}  // namespace
}  // namespace diviml::heuristics
