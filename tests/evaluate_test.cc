// Evaluate() on hand-computed schedules and on every kind of violation.
#include <gtest/gtest.h>

#include "diviml/core/evaluate.h"

namespace diviml {
namespace {

// A -> B (10 bytes), A -> C (4 bytes); D1, D2 joined by a link of 2 B/s and
// 1 s latency.
Problem Small(double capacity = kUnlimited) {
  Graph g;
  g.name = "small";
  Node a{"A", "task", {{"D1", 2}, {"D2", 7}}, 0, 5, 0, 0};
  Node b{"B", "task", {{"D1", 3}, {"D2", 1}}, 0, 5, 0, 0};
  Node c{"C", "task", {{"D1", 4}, {"D2", 5}}, 0, 5, 0, 3};
  g.AddNode(a);
  g.AddNode(b);
  g.AddNode(c);
  g.AddEdge(0, 1, 10);
  g.AddEdge(0, 2, 4);
  Platform p;
  p.name = "two";
  p.devices = {Device{"D1", "cpu"}, Device{"D2", "gpu"}};
  p.devices[1].memory_bytes = capacity;
  p.devices[0].memory_bytes = capacity;
  p.SetDefaultLink(Link{2, 1});
  std::string err;
  Problem pr = Problem::Build(g, p, &err);
  EXPECT_EQ(err, "");
  return pr;
}

TEST(Evaluate, HandComputedSchedule) {
  Problem pr = Small();
  Plan plan;
  plan.device = {0, 1, 0};
  plan.order = {{0, 2}, {1}};
  Evaluation ev = Evaluate(pr, plan);
  ASSERT_TRUE(ev.valid) << (ev.violations.empty() ? "" : ev.violations[0]);
  EXPECT_DOUBLE_EQ(ev.schedule.start_s[0], 0);
  EXPECT_DOUBLE_EQ(ev.schedule.end_s[0], 2);
  EXPECT_DOUBLE_EQ(ev.schedule.start_s[2], 2);   // same device: no transfer
  EXPECT_DOUBLE_EQ(ev.schedule.end_s[2], 6);
  EXPECT_DOUBLE_EQ(ev.schedule.start_s[1], 8);   // 2 + 1 s latency + 10 B / 2 B/s
  EXPECT_DOUBLE_EQ(ev.schedule.end_s[1], 9);
  EXPECT_DOUBLE_EQ(ev.makespan_s, 9);
  ASSERT_EQ(ev.schedule.transfers.size(), 1u);
  EXPECT_EQ(ev.schedule.transfers[0].edge, 0);
  EXPECT_DOUBLE_EQ(ev.schedule.transfers[0].start_s, 2);
  EXPECT_DOUBLE_EQ(ev.schedule.transfers[0].end_s, 8);
  EXPECT_DOUBLE_EQ(ev.device_busy_s[0], 6);
  EXPECT_DOUBLE_EQ(ev.device_busy_s[1], 1);
}

TEST(Evaluate, DeviceOrderDelaysANode) {
  Problem pr = Small();
  Plan plan;  // all on D1, C before B: B waits for C
  plan.device = {0, 0, 0};
  plan.order = {{0, 2, 1}, {}};
  Evaluation ev = Evaluate(pr, plan);
  ASSERT_TRUE(ev.valid);
  EXPECT_DOUBLE_EQ(ev.schedule.start_s[1], 6);
  EXPECT_DOUBLE_EQ(ev.makespan_s, 9);
  EXPECT_TRUE(ev.schedule.transfers.empty());
}

TEST(Evaluate, OrderContradictingTheGraph) {
  Problem pr = Small();
  Plan plan;
  plan.device = {0, 1, 0};
  plan.order = {{2, 0}, {1}};
  Evaluation ev = Evaluate(pr, plan);
  EXPECT_FALSE(ev.valid);
  ASSERT_FALSE(ev.violations.empty());
  EXPECT_NE(ev.violations[0].find("contradicts"), std::string::npos);
}

TEST(Evaluate, MissingNodeUnknownDeviceDuplicate) {
  Problem pr = Small();
  Plan missing;
  missing.device = {0, 1, 0};
  missing.order = {{0}, {1}};
  EXPECT_FALSE(Evaluate(pr, missing).valid);
  EXPECT_NE(Evaluate(pr, missing).violations[0].find("'C' is missing"), std::string::npos);

  Plan unknown;
  unknown.device = {0, 5, 0};
  unknown.order = {{0, 2}, {1}};
  EXPECT_FALSE(Evaluate(pr, unknown).valid);

  Plan dup;
  dup.device = {0, 1, 0};
  dup.order = {{0, 2, 2}, {1}};
  EXPECT_FALSE(Evaluate(pr, dup).valid);

  Plan wrong_lane;
  wrong_lane.device = {0, 1, 0};
  wrong_lane.order = {{0, 2, 1}, {}};
  EXPECT_FALSE(Evaluate(pr, wrong_lane).valid);

  Plan short_plan;
  short_plan.device = {0, 1};
  short_plan.order = {{0}, {1}};
  EXPECT_FALSE(Evaluate(pr, short_plan).valid);
}

TEST(Evaluate, MemoryCapacity) {
  // Each node has 5 param bytes, C needs 3 workspace bytes: 5+5+5+3 = 18 on D1.
  Plan plan;
  plan.device = {0, 0, 0};
  plan.order = {{0, 1, 2}, {}};
  EXPECT_TRUE(Evaluate(Small(18), plan).valid);
  Evaluation ev = Evaluate(Small(17.5), plan);
  EXPECT_FALSE(ev.valid);
  EXPECT_NE(ev.violations[0].find("'D1'"), std::string::npos);
}

TEST(Evaluate, FromPriorityBuildsPerDeviceOrders) {
  Problem pr = Small();
  Plan plan = Plan::FromPriority({0, 1, 0}, {0, 2, 1}, 2);
  EXPECT_EQ(plan.order[0], (std::vector<int>{0, 2}));
  EXPECT_EQ(plan.order[1], (std::vector<int>{1}));
  EXPECT_DOUBLE_EQ(Evaluate(pr, plan).makespan_s, 9);
}

TEST(Problem, MissingTimeIsAnErrorNamingNodeAndDevice) {
  Graph g;
  g.AddNode(Node{"X", "task", {{"D1", 1}}});
  Platform p;
  p.devices = {Device{"D1", "cpu"}, Device{"D2", "gpu"}};
  p.SetDefaultLink(Link{});
  std::string err;
  Problem::Build(g, p, &err);
  EXPECT_NE(err.find("'X'"), std::string::npos);
  EXPECT_NE(err.find("'D2'"), std::string::npos);
}

TEST(Problem, TimesByTypeAndWildcard) {
  Graph g;
  g.AddNode(Node{"X", "task", {{"gpu", 2}, {"*", 9}}});
  Platform p;
  p.devices = {Device{"D1", "cpu"}, Device{"D2", "gpu"}};
  p.SetDefaultLink(Link{});
  std::string err;
  Problem pr = Problem::Build(g, p, &err);
  ASSERT_EQ(err, "");
  EXPECT_EQ(pr.p(0, 0), 9);
  EXPECT_EQ(pr.p(0, 1), 2);
}

TEST(Reachability, DiamondAndCutNodes) {
  Graph g;
  for (const char* id : {"a", "b", "c", "d"}) g.AddNode(Node{id});
  g.AddEdge(0, 1, 0);
  g.AddEdge(0, 2, 0);
  g.AddEdge(1, 3, 0);
  g.AddEdge(2, 3, 0);
  ASSERT_FALSE(g.Finalize().has_value());
  Reachability r(g);
  EXPECT_TRUE(r.Reaches(0, 3));
  EXPECT_FALSE(r.Reaches(3, 0));
  EXPECT_FALSE(r.Ordered(1, 2));
  EXPECT_EQ(r.num_descendants(0), 3);
  EXPECT_EQ(r.num_ancestors(3), 3);
  EXPECT_EQ(r.num_ancestors(1) + r.num_descendants(1), 2);
}

TEST(Graph, CycleIsReported) {
  Graph g;
  g.AddNode(Node{"a"});
  g.AddNode(Node{"b"});
  g.AddEdge(0, 1, 0);
  g.AddEdge(1, 0, 0);
  auto err = g.Finalize();
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("cycle"), std::string::npos);
}

}  // namespace
}  // namespace diviml
