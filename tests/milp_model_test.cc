// The solver-neutral MILP layer on every backend built in: known optima of
// tiny LPs and MIPs, infeasibility, time limits, warm starts, the known
// bound, cutoffs, and the LP writer.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <string>

#include "milp/backend.h"
#include "milp/model.h"

#ifdef DIVIML_HAVE_HIGHS
#include "Highs.h"
#endif

namespace diviml::milp {
namespace {

MipOptions Quiet() {
  MipOptions o;
  o.time_limit_s = 30;
  return o;
}

// max 3x + 2y s.t. x + y <= 4, x + 3y <= 6, x <= 3 -> x=3, y=1, 11.
MipModel SmallLp(bool minimise) {
  MipModel m;
  m.name = "small lp";
  m.minimise = minimise;
  const double s = minimise ? -1 : 1;
  int x = m.AddColumn("x", 0, 3, 3 * s);
  int y = m.AddColumn("y", 0, kMipInf, 2 * s);
  m.AddRow("cap", -kMipInf, 4, {{x, 1}, {y, 1}});
  m.AddRow("mix", -kMipInf, 6, {{x, 1}, {y, 3}});
  return m;
}

// 0/1 knapsack: max 8a + 11b + 6c + 4d, 5a + 7b + 4c + 3d <= 14 -> 21
// (b, c, d); the LP relaxation gives 22.
MipModel Knapsack() {
  MipModel m;
  m.name = "knapsack";
  m.minimise = false;
  const double value[] = {8, 11, 6, 4}, weight[] = {5, 7, 4, 3};
  std::vector<std::pair<int, double>> row;
  for (int i = 0; i < 4; ++i) {
    int c = m.AddBinary("take[item " + std::to_string(i) + "]", value[i]);
    row.emplace_back(c, weight[i]);
  }
  m.AddRow("capacity", -kMipInf, 14, row);
  return m;
}

// Market split (Cornuejols & Dawande): equality knapsacks over binaries,
// notoriously hard for branch and bound; used to hit the time limit.
MipModel MarketSplit(int rows, int cols, unsigned seed) {
  MipModel m;
  m.name = "market split";
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> coef(0, 99);
  for (int j = 0; j < cols; ++j) m.AddBinary("x" + std::to_string(j), 0);
  for (int i = 0; i < rows; ++i) {
    std::vector<std::pair<int, double>> row;
    double sum = 0;
    for (int j = 0; j < cols; ++j) {
      double a = coef(rng);
      sum += a;
      row.emplace_back(j, a);
    }
    double rhs = std::floor(sum / 2);
    m.AddRow("split" + std::to_string(i), rhs, rhs, row);
  }
  return m;
}

class MipBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<MipBackend> backend() {
    std::string message;
    auto b = MakeBackend(GetParam(), &message);
    EXPECT_NE(b, nullptr) << message;
    return b;
  }
};

TEST_P(MipBackendTest, LpMaximiseAndMinimise) {
  auto b = backend();
  ASSERT_TRUE(b);
  for (bool minimise : {false, true}) {
    MipResult r = b->Solve(SmallLp(minimise), Quiet());
    ASSERT_EQ(r.status, MipStatus::kOptimal) << r.message;
    EXPECT_NEAR(r.objective, minimise ? -11 : 11, 1e-7);
    EXPECT_NEAR(r.dual_bound, r.objective, 1e-6);
    EXPECT_NEAR(r.gap, 0, 1e-9);
    ASSERT_EQ(r.solution.size(), 2u);
    EXPECT_NEAR(r.solution[0], 3, 1e-7);
    EXPECT_NEAR(r.solution[1], 1, 1e-7);
    EXPECT_EQ(r.row_dual.size(), 2u);
    EXPECT_EQ(r.backend, GetParam());
  }
}

TEST_P(MipBackendTest, KnapsackOptimal) {
  auto b = backend();
  ASSERT_TRUE(b);
  MipResult r = b->Solve(Knapsack(), Quiet());
  ASSERT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_NEAR(r.objective, 21, 1e-6);
  EXPECT_NEAR(r.dual_bound, 21, 1e-4);
  ASSERT_EQ(r.solution.size(), 4u);
  EXPECT_NEAR(r.solution[0], 0, 1e-6);
  EXPECT_NEAR(r.solution[1], 1, 1e-6);
  EXPECT_NEAR(r.solution[2], 1, 1e-6);
  EXPECT_NEAR(r.solution[3], 1, 1e-6);
  EXPECT_TRUE(r.row_dual.empty());
}

TEST_P(MipBackendTest, IntegerRoundingAndOffset) {
  // min x + y + 10, 2x + 2y >= 3, integers -> 12 (LP relaxation 11.5).
  auto b = backend();
  ASSERT_TRUE(b);
  MipModel m;
  int x = m.AddColumn("x", 0, 10, 1, true);
  int y = m.AddColumn("y", 0, 10, 1, true);
  m.AddRow("cover", 3, kMipInf, {{x, 2}, {y, 2}});
  m.objective_offset = 10;
  MipResult r = b->Solve(m, Quiet());
  ASSERT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_NEAR(r.objective, 12, 1e-6);
  EXPECT_NEAR(r.dual_bound, 12, 1e-4);
  EXPECT_LE(m.MaxViolation(r.solution), 1e-6);
}

TEST_P(MipBackendTest, Infeasible) {
  auto b = backend();
  ASSERT_TRUE(b);
  MipModel m;
  int x = m.AddColumn("x", 0, 10, 1, true);
  int y = m.AddColumn("y", 0, 10, 1, true);
  m.AddRow("at_least_3", 3, kMipInf, {{x, 1}, {y, 1}});
  m.AddRow("at_most_2", -kMipInf, 2, {{x, 1}, {y, 1}});
  MipResult r = b->Solve(m, Quiet());
  EXPECT_EQ(r.status, MipStatus::kInfeasible) << r.message;
  EXPECT_FALSE(r.has_solution());
  // And as an LP.
  m.columns[0].is_integer = m.columns[1].is_integer = false;
  r = b->Solve(m, Quiet());
  EXPECT_EQ(r.status, MipStatus::kInfeasible) << r.message;
}

TEST_P(MipBackendTest, TimeLimitIsWallClock) {
  auto b = backend();
  ASSERT_TRUE(b);
  MipModel m = MarketSplit(6, 50, 7);
  MipOptions o = Quiet();
  o.time_limit_s = 0.5;
  const auto t0 = std::chrono::steady_clock::now();
  MipResult r = b->Solve(m, o);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, MipStatus::kTimeLimit) << MipStatusName(r.status) << " " << r.message;
  EXPECT_LT(wall, 0.5 + 3.0);
  EXPECT_LT(r.time_s, 0.5 + 3.0);
  if (r.has_solution()) EXPECT_LE(m.MaxViolation(r.solution), 1e-6);
}

TEST_P(MipBackendTest, WarmStartAccepted) {
  auto b = backend();
  ASSERT_TRUE(b);
  MipOptions o = Quiet();
  o.initial_solution = {0, 1, 1, 1};
  MipResult r = b->Solve(Knapsack(), o);
  ASSERT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_TRUE(r.warm_start_accepted) << r.message;
  EXPECT_NEAR(r.objective, 21, 1e-6);
  // A suboptimal start is used and improved on.
  o.initial_solution = {1, 0, 1, 1};  // 18
  r = b->Solve(Knapsack(), o);
  ASSERT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_TRUE(r.warm_start_accepted) << r.message;
  EXPECT_NEAR(r.objective, 21, 1e-6);
  // An infeasible start is rejected, and says so, but the solve goes on.
  o.initial_solution = {1, 1, 1, 1};
  r = b->Solve(Knapsack(), o);
  ASSERT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_FALSE(r.warm_start_accepted);
  EXPECT_NE(r.message.find("warm start rejected"), std::string::npos) << r.message;
  EXPECT_NEAR(r.objective, 21, 1e-6);
}

TEST_P(MipBackendTest, WarmStartIsUsedOnAHardModel) {
  // Equality market split planted from a 0/1 vector: feasible solutions are
  // very hard to find, so a solution within a short limit is the start's.
  auto b = backend();
  ASSERT_TRUE(b);
  MipModel m = MarketSplit(7, 60, 11);
  std::vector<double> start(m.num_columns());
  for (int j = 0; j < m.num_columns(); ++j) start[j] = (j * 5 + 1) % 7 < 3 ? 1 : 0;
  for (MipRow& row : m.rows) {
    double rhs = 0;
    for (size_t k = 0; k < row.index.size(); ++k) rhs += row.value[k] * start[row.index[k]];
    row.lb = row.ub = rhs;
  }
  for (int j = 0; j < m.num_columns(); ++j) m.columns[j].cost = (j % 3) - 1.0;
  MipOptions o = Quiet();
  o.time_limit_s = 1.0;
  o.initial_solution = start;
  MipResult r = b->Solve(m, o);
  EXPECT_TRUE(r.warm_start_accepted) << r.message;
  ASSERT_TRUE(r.has_solution()) << MipStatusName(r.status) << " " << r.message;
  EXPECT_LE(m.MaxViolation(r.solution), 1e-6);
  EXPECT_LE(r.objective, m.Objective(start) + 1e-6);
}

TEST_P(MipBackendTest, KnownBoundStopsAtOnce) {
  // Market split with slacks, right-hand sides planted from a known 0/1
  // vector: the planted vector with zero slack is optimal (0) and the
  // caller's bound 0 makes it proven at once.
  auto b = backend();
  ASSERT_TRUE(b);
  MipModel m = MarketSplit(6, 50, 7);
  std::vector<double> start(m.num_columns());
  for (int j = 0; j < m.num_columns(); ++j) start[j] = (j * 7 + 3) % 5 < 2 ? 1 : 0;
  for (int i = 0; i < m.num_rows(); ++i) {
    double rhs = 0;
    for (size_t k = 0; k < m.rows[i].index.size(); ++k)
      rhs += m.rows[i].value[k] * start[m.rows[i].index[k]];
    m.rows[i].lb = m.rows[i].ub = rhs;
    int sp = m.AddColumn("slack+[" + m.rows[i].name + "]", 0, kMipInf, 1);
    int sm = m.AddColumn("slack-[" + m.rows[i].name + "]", 0, kMipInf, 1);
    m.rows[i].index.push_back(sp);
    m.rows[i].value.push_back(1);
    m.rows[i].index.push_back(sm);
    m.rows[i].value.push_back(-1);
  }
  start.resize(m.num_columns(), 0);
  ASSERT_LE(m.MaxViolation(start), 1e-9);
  MipOptions o = Quiet();
  o.time_limit_s = 20;
  o.initial_solution = start;
  o.known_bound = 0;
  MipResult r = b->Solve(m, o);
  EXPECT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_TRUE(r.warm_start_accepted) << r.message;
  EXPECT_NEAR(r.objective, 0, 1e-6);
  EXPECT_NEAR(r.dual_bound, 0, 1e-6);
  EXPECT_NEAR(r.gap, 0, 1e-9);
  EXPECT_LT(r.time_s, 10);
}

TEST_P(MipBackendTest, CutoffMakesInfeasible) {
  auto b = backend();
  ASSERT_TRUE(b);
  MipOptions o = Quiet();
  o.objective_cutoff = 21.5;  // maximise: only > 21.5 wanted, none exists
  MipResult r = b->Solve(Knapsack(), o);
  EXPECT_EQ(r.status, MipStatus::kInfeasible) << MipStatusName(r.status) << " " << r.message;
  o.objective_cutoff = 20.5;  // 21 is still found
  r = b->Solve(Knapsack(), o);
  EXPECT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_NEAR(r.objective, 21, 1e-6);
}

TEST_P(MipBackendTest, EmptyModelAndRowlessModel) {
  auto b = backend();
  ASSERT_TRUE(b);
  MipModel empty;
  empty.objective_offset = 4;
  MipResult r = b->Solve(empty, Quiet());
  EXPECT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_DOUBLE_EQ(r.objective, 4);
  MipModel rowless;
  rowless.AddColumn("x", 2, 5, 1, true);
  rowless.AddColumn("y", -1, 3, -1);
  r = b->Solve(rowless, Quiet());
  ASSERT_EQ(r.status, MipStatus::kOptimal) << r.message;
  EXPECT_NEAR(r.objective, -1, 1e-9);
}

TEST_P(MipBackendTest, InvalidModelIsAnError) {
  auto b = backend();
  ASSERT_TRUE(b);
  MipModel m;
  m.AddColumn("x", 0, 1);
  m.AddRow("bad", 0, 1, {{5, 1.0}});
  MipResult r = b->Solve(m, Quiet());
  EXPECT_EQ(r.status, MipStatus::kError);
  EXPECT_NE(r.message.find("bad"), std::string::npos) << r.message;
}

TEST_P(MipBackendTest, RepeatedSolvesWithDifferentThreads) {
  auto b = backend();
  ASSERT_TRUE(b);
  for (int threads : {1, 2, 1}) {
    MipOptions o = Quiet();
    o.threads = threads;
    o.seed = 42;
    MipResult r = b->Solve(Knapsack(), o);
    EXPECT_EQ(r.status, MipStatus::kOptimal) << "threads " << threads << ": " << r.message;
    EXPECT_NEAR(r.objective, 21, 1e-6);
  }
}

INSTANTIATE_TEST_SUITE_P(AllBackends, MipBackendTest, ::testing::ValuesIn(AvailableBackends()),
                         [](const auto& info) { return info.param; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MipBackendTest);

TEST(MipBackendFactory, UnknownAndDefault) {
  std::string message;
  EXPECT_EQ(MakeBackend("gurobi", &message), nullptr);
  EXPECT_NE(message.find("unknown MILP backend 'gurobi'"), std::string::npos) << message;
  auto names = AvailableBackends();
#if defined(DIVIML_HAVE_HIGHS)
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "highs");
#endif
  auto best = MakeBackend("", &message);
  if (names.empty()) {
    EXPECT_EQ(best, nullptr);
    MipResult r = SolveMip(Knapsack(), Quiet());
    EXPECT_EQ(r.status, MipStatus::kError);
  } else {
    ASSERT_NE(best, nullptr);
    EXPECT_EQ(best->name(), names.front());
    MipResult r = SolveMip(Knapsack(), Quiet());
    EXPECT_EQ(r.status, MipStatus::kOptimal);
  }
}

TEST(MipModel, ValidateAndViolation) {
  MipModel m = Knapsack();
  EXPECT_EQ(m.Validate(), "");
  EXPECT_EQ(m.num_integers(), 4);
  EXPECT_EQ(m.num_nonzeros(), 4);
  std::string where;
  EXPECT_NEAR(m.MaxViolation({1, 1, 0, 0}, &where), 0, 1e-12);
  EXPECT_NEAR(m.MaxViolation({1, 1, 1, 0}, &where), 2, 1e-12);
  EXPECT_NE(where.find("capacity"), std::string::npos);
  EXPECT_NEAR(m.MaxViolation({0.5, 0, 0, 0}, &where), 0.5, 1e-12);
  EXPECT_NE(where.find("integrality"), std::string::npos);
  m.columns[0].lb = 2;
  EXPECT_NE(m.Validate().find("take[item 0]"), std::string::npos);
}

TEST(MipModel, FinishResultAppliesTheKnownBound) {
  MipModel m = Knapsack();  // maximise
  MipResult base;
  base.status = MipStatus::kTimeLimit;
  base.solution = {0, 1, 1, 1};  // 21
  base.dual_bound = 25;
  MipOptions o;
  // No known bound: gap from the backend's bound.
  MipResult r = base;
  FinishResult(m, o, &r);
  EXPECT_EQ(r.status, MipStatus::kTimeLimit);
  EXPECT_NEAR(r.objective, 21, 1e-12);
  EXPECT_NEAR(r.gap, 4.0 / 21, 1e-12);
  // A known upper bound of 21: optimal, dual bound 21.
  o.known_bound = 21;
  r = base;
  FinishResult(m, o, &r);
  EXPECT_EQ(r.status, MipStatus::kOptimal);
  EXPECT_NEAR(r.dual_bound, 21, 1e-12);
  EXPECT_NEAR(r.gap, 0, 1e-12);
  // A known bound of 23: tightens the dual bound only.
  o.known_bound = 23;
  r = base;
  FinishResult(m, o, &r);
  EXPECT_EQ(r.status, MipStatus::kTimeLimit);
  EXPECT_NEAR(r.dual_bound, 23, 1e-12);
  EXPECT_NEAR(r.gap, 2.0 / 21, 1e-12);
  // A "bound" of 20 is wrong (21 exists): ignored with a warning.
  o.known_bound = 20;
  r = base;
  FinishResult(m, o, &r);
  EXPECT_EQ(r.status, MipStatus::kTimeLimit);
  EXPECT_NEAR(r.dual_bound, 25, 1e-12);
  EXPECT_NE(r.message.find("warning"), std::string::npos);
  // No solution: status kept, objective infinite, gap infinite.
  r = MipResult{};
  r.status = MipStatus::kTimeLimit;
  FinishResult(m, MipOptions{}, &r);
  EXPECT_FALSE(r.has_solution());
  EXPECT_TRUE(std::isinf(r.gap));
}

TEST(MipModel, SanitisedNamesAreUniqueAndClean) {
  auto names = SanitisedNames(
      {"x[n 3,GPU#1]", "x[n 3,GPU#1]", "", "3abc", "ok", "x(n_3,GPU_1)", "end", "e12", "e1x"}, 'c');
  ASSERT_EQ(names.size(), 9u);
  EXPECT_EQ(names[0], "x(n_3,GPU_1)");
  EXPECT_NE(names[1], names[0]);
  EXPECT_EQ(names[2], "c2");
  EXPECT_EQ(names[3], "_3abc");
  EXPECT_EQ(names[4], "ok");
  EXPECT_EQ(names[6], "_end");
  EXPECT_EQ(names[7], "_e12");
  EXPECT_EQ(names[8], "e1x");
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
}

TEST(LpWriter, ContainsReadableNames) {
  MipModel m = Knapsack();
  int t = m.AddColumn("T makespan", 0, kMipInf, 0);
  m.AddRow("range row", 1, 3, {{t, 1.0}, {0, 2.0}});
  m.AddRow("eq row", 2, 2, {{t, 1.0}});
  std::string text = LpFormatText(m);
  EXPECT_NE(text.find("Maximize"), std::string::npos);
  EXPECT_NE(text.find("capacity:"), std::string::npos);
  EXPECT_NE(text.find("take(item_0)"), std::string::npos);
  EXPECT_NE(text.find("T_makespan"), std::string::npos);
  EXPECT_NE(text.find("range_row_lo:"), std::string::npos);
  EXPECT_NE(text.find("range_row_hi:"), std::string::npos);
  EXPECT_NE(text.find("eq_row: 1 T_makespan = 2"), std::string::npos) << text;
  EXPECT_NE(text.find("Binaries"), std::string::npos);
  EXPECT_NE(text.find("End"), std::string::npos);

  auto path = std::filesystem::temp_directory_path() / ("diviml_milp_test_" + std::to_string(::getpid()) + ".lp");
  ASSERT_EQ(WriteLpFormat(m, path.string()), "");
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_NE(WriteLpFormat(m, "/nonexistent-dir/x.lp"), "");
#ifdef DIVIML_HAVE_HIGHS
  // HiGHS reads the file back and finds the same optimum as our solve.
  MipModel k = Knapsack();
  k.objective_offset = 2.5;
  ASSERT_EQ(WriteLpFormat(k, path.string()), "");
  Highs highs;
  highs.setOptionValue("output_flag", false);
  ASSERT_NE(highs.readModel(path.string()), HighsStatus::kError);
  ASSERT_EQ(highs.run(), HighsStatus::kOk);
  EXPECT_NEAR(highs.getInfo().objective_function_value, 23.5, 1e-6);
  EXPECT_EQ(highs.getLp().col_names_[1], "take(item_1)");
#endif
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace diviml::milp
