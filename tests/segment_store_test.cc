// SegmentStore (include/diviml/bound/segment_store.h): a record's bound
// only rises, a proven optimum is kept against later unproven bounds, the
// shorter plan wins, version() moves only when a record changed, and
// concurrent offers from two threads lose nothing.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "diviml/bound/segment_store.h"

namespace diviml {
namespace {

Plan OneNode(int device) {
  Plan p;
  p.device = {device};
  p.order.assign(2, {});
  p.order[device].push_back(0);
  return p;
}

TEST(SegmentStore, BoundsRiseProofsStayShorterPlansWin) {
  SegmentStore st;
  EXPECT_FALSE(st.Find("a"));
  EXPECT_EQ(st.version(), 0);
  st.Offer("a", 2.0, false, nullptr, 0);
  const long v1 = st.version();
  EXPECT_GT(v1, 0);
  st.Offer("a", 1.0, false, nullptr, 0);  // lower: no change
  EXPECT_EQ(st.version(), v1);
  EXPECT_DOUBLE_EQ(st.Find("a")->lower_s, 2.0);
  EXPECT_FALSE(st.Find("a")->proven);

  const Plan p1 = OneNode(1), p0 = OneNode(0);
  st.Offer("a", 0, false, &p1, 5.0);
  EXPECT_EQ(st.Find("a")->plan.device, p1.device);
  st.Offer("a", 0, false, &p0, 6.0);  // longer: kept out
  EXPECT_EQ(st.Find("a")->plan.device, p1.device);
  st.Offer("a", 0, false, &p0, 4.0);
  EXPECT_EQ(st.Find("a")->plan.device, p0.device);
  EXPECT_DOUBLE_EQ(st.Find("a")->plan_s, 4.0);
  EXPECT_TRUE(st.Find("a", false)->plan.device.empty());  // without the plan
  EXPECT_DOUBLE_EQ(st.Find("a", false)->plan_s, 4.0);
  EXPECT_EQ(st.plans_kept(), 2);

  // A proven optimum replaces the bound and stays (a later unproven bound,
  // even above it by a solver tolerance, does not move it).
  st.Offer("a", 4.0, true, nullptr, 0);
  EXPECT_TRUE(st.Find("a")->proven);
  EXPECT_DOUBLE_EQ(st.Find("a")->lower_s, 4.0);
  const long v2 = st.version();
  st.Offer("a", 4.0000001, false, nullptr, 0);
  EXPECT_DOUBLE_EQ(st.Find("a")->lower_s, 4.0);
  EXPECT_EQ(st.version(), v2);
  EXPECT_EQ(st.proven(), 1);
  EXPECT_EQ(st.size(), 1);
}

TEST(SegmentStore, ConcurrentOffersKeepTheMaximum) {
  SegmentStore st;
  auto work = [&st](int from) {
    for (int i = 0; i < 2000; ++i) st.Offer("k" + std::to_string(i % 7), from + i, false, nullptr, 0);
  };
  std::thread t(work, 1);
  work(2);
  t.join();
  EXPECT_EQ(st.size(), 7);
  for (int r = 0; r < 7; ++r) {
    // Largest i with i % 7 == r, plus the larger start.
    const int i = 1999 - ((1999 - r) % 7);
    EXPECT_DOUBLE_EQ(st.Find("k" + std::to_string(r))->lower_s, 2.0 + i);
  }
}

}  // namespace
}  // namespace diviml
